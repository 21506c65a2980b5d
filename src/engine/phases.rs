//! The phases the backprop stepper walks through, built from a `StepExplanation` (the
//! engine's own recorded step): pure data, tested natively; `stepper.rs` draws it.

use np_engine::backend::UpdateRule;
use np_engine::train::StepExplanation;

/// What a phase is about (the stepper picks its formula by this).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PhaseKind {
    /// Weight layer `layer` (1-based) forward: `Z = X W + b`, `A = f(Z)`.
    Forward { layer: usize, last: bool },
    /// The loss of the batch (and the penalty).
    Loss,
    /// Weight layer `layer` backward: `dZ`, `dW`, `db`, and `dA` of the layer before.
    Backward { layer: usize, first: bool },
    /// The optimizer moves every parameter.
    Update,
}

/// One tensor a phase shows, with the name the formulas use.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// `W1`, `dZ2`, `b1 after`, ...: also the readout's test id (`stepper-<id>`).
    pub label: String,
    pub id: String,
    pub dims: Vec<usize>,
    pub values: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub kind: PhaseKind,
    pub title: String,
    /// Trace nodes this phase is about (highlighted on the graph).
    pub nodes: Vec<usize>,
    pub shown: Vec<Shown>,
}

fn shown(label: impl Into<String>, dims: &[usize], values: &[f32]) -> Shown {
    let label = label.into();
    Shown {
        id: label.replace(' ', "-"),
        label,
        dims: dims.to_vec(),
        values: values.to_vec(),
    }
}

/// The names of the optimizer's state tensors, in the engine's order.
pub fn state_names(rule: &UpdateRule) -> &'static [&'static str] {
    match rule {
        UpdateRule::Sgd { momentum, .. } if *momentum != 0.0 => &["v"],
        UpdateRule::Sgd { .. } => &[],
        UpdateRule::AdaGrad { .. } => &["s"],
        UpdateRule::RmsProp { .. } => &["v"],
        UpdateRule::Adam { .. } => &["m", "v"],
    }
}

/// Every phase of the explained step: forward layer by layer, the loss, backward from the
/// last layer to the first, the update.
pub fn phases(e: &StepExplanation) -> Vec<Phase> {
    let nodes = &e.trace.nodes;
    let value = |i: usize| (nodes[i].dims.clone(), nodes[i].value.clone());
    let grad = |i: usize| nodes[i].grad.clone().unwrap_or_default();
    let count = e.layers.len();
    let mut out = Vec::new();
    for (l, parts) in e.layers.iter().enumerate() {
        let n = l + 1;
        let (xw_dims, xw) = value(parts.xw);
        let (_, b) = value(parts.b);
        // Z = XW + b, as the fused bias-and-activation op adds it before f.
        let units = b.len().max(1);
        let z: Vec<f32> = xw
            .iter()
            .enumerate()
            .map(|(k, v)| v + b[k % units])
            .collect();
        let input = nodes[parts.xw].inputs.first().copied().unwrap_or(e.x);
        let (in_dims, in_values) = value(input);
        let input_label = if l == 0 {
            "X".to_string()
        } else {
            format!("A{l}")
        };
        let (w_dims, w) = value(parts.w);
        let (a_dims, a) = value(parts.a);
        let mut shown_here = vec![
            shown(input_label, &in_dims, &in_values),
            shown(format!("W{n}"), &w_dims, &w),
            shown(format!("b{n}"), &[b.len()], &b),
            shown(format!("Z{n}"), &xw_dims, &z),
        ];
        if l + 1 < count {
            shown_here.push(shown(format!("A{n}"), &a_dims, &a));
        }
        out.push(Phase {
            kind: PhaseKind::Forward {
                layer: n,
                last: l + 1 == count,
            },
            title: format!("Forward, layer {n} of {count}"),
            nodes: vec![parts.w, parts.b, parts.xw, parts.a],
            shown: shown_here,
        });
    }
    let (y_dims, y) = value(e.y);
    let (_, loss) = value(e.loss);
    out.push(Phase {
        kind: PhaseKind::Loss,
        title: "The loss".into(),
        nodes: vec![e.y, e.loss],
        shown: vec![shown("Y", &y_dims, &y), shown("loss", &[], &loss)],
    });
    for (l, parts) in e.layers.iter().enumerate().rev() {
        let n = l + 1;
        let mut shown_here = vec![
            shown(format!("dZ{n}"), &nodes[parts.xw].dims, &grad(parts.xw)),
            shown(format!("dW{n}"), &nodes[parts.w].dims, &grad(parts.w)),
            shown(format!("db{n}"), &nodes[parts.b].dims, &grad(parts.b)),
        ];
        let mut involved = vec![parts.xw, parts.w, parts.b];
        if l > 0 {
            let input = nodes[parts.xw].inputs.first().copied().unwrap_or(e.x);
            shown_here.push(shown(format!("dA{l}"), &nodes[input].dims, &grad(input)));
            involved.push(input);
        }
        out.push(Phase {
            kind: PhaseKind::Backward {
                layer: n,
                first: l == 0,
            },
            title: format!("Backward, layer {n}"),
            nodes: involved,
            shown: shown_here,
        });
    }
    let names = state_names(&e.optimizer_after.rule);
    let mut shown_update = Vec::new();
    for (p, after) in e.after.iter().enumerate() {
        let name = format!("{}{}", if p % 2 == 0 { "W" } else { "b" }, p / 2 + 1);
        shown_update.push(shown(format!("{name} after"), &after.dims, &after.data));
        if let Some(state) = e.optimizer_after.state.get(p) {
            for (k, tensor) in state.iter().enumerate() {
                if let Some(state_name) = names.get(k) {
                    shown_update.push(shown(
                        format!("{state_name} of {name}"),
                        &after.dims,
                        tensor,
                    ));
                }
            }
        }
    }
    out.push(Phase {
        kind: PhaseKind::Update,
        title: "The update".into(),
        nodes: e.layers.iter().flat_map(|p| [p.w, p.b]).collect(),
        shown: shown_update,
    });
    out
}
