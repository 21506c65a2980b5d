//! The course's worked examples of section 1, each a program with its names' roles and values,
//! and how many runs the click makes.

use super::build::{Binding, Role, Setup};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Example {
    /// Its button's test id is `sandbox-example-<id>`.
    pub id: &'static str,
    pub title: &'static str,
    pub program: &'static str,
    pub names: &'static [(&'static str, Role, &'static str)],
    /// Runs made by one click (the counter runs three times).
    pub runs: usize,
    /// Whether the click also asks for gradients.
    pub gradients: bool,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "matmul",
        title: "Row times column",
        program: "matmul(x, w)",
        names: &[
            ("x", Role::Constant, "[[3, 3]]"),
            ("w", Role::Constant, "[[2], [2]]"),
        ],
        runs: 1,
        gradients: false,
    },
    Example {
        id: "fetch",
        title: "Two values in one run",
        program: "intermed = b + c\nmul = a * intermed",
        names: &[
            ("b", Role::Constant, "2"),
            ("c", Role::Constant, "5"),
            ("a", Role::Constant, "3"),
        ],
        runs: 1,
        gradients: false,
    },
    Example {
        id: "feed",
        title: "Feed the inputs",
        program: "product = a * b",
        names: &[("a", Role::Input, "7"), ("b", Role::Input, "2")],
        runs: 1,
        gradients: false,
    },
    Example {
        id: "counter",
        title: "A counter (assign)",
        program: "assign(counter, counter + 1)",
        names: &[("counter", Role::Variable, "0")],
        runs: 3,
        gradients: false,
    },
    Example {
        id: "neuron",
        title: "One neuron, with gradients",
        program: "z = w * x + b\nsigmoid(z)",
        names: &[
            ("w", Role::Variable, "0.5"),
            ("x", Role::Input, "2"),
            ("b", Role::Variable, "-0.25"),
        ],
        runs: 1,
        gradients: true,
    },
];

impl Example {
    pub fn setup(&self) -> Setup {
        Setup {
            program: self.program.to_string(),
            bindings: self
                .names
                .iter()
                .map(|&(name, role, text)| Binding {
                    name: name.to_string(),
                    role,
                    text: text.to_string(),
                })
                .collect(),
        }
    }
}
