//! The sandbox's parser, builder and worked examples, and a fuzz of both parsers.

use super::build::{Binding, Built, Role, Setup, MAX_NODE_ELEMENTS, SUMMED};
use super::examples::EXAMPLES;
use super::parse::{parse_program, parse_value, Expr, MAX_DEPTH};
use np_engine::autodiff::TraceKind;
use np_engine::rng::Rng;

fn setup(program: &str, names: &[(&str, Role, &str)]) -> Setup {
    Setup {
        program: program.into(),
        bindings: names
            .iter()
            .map(|&(n, role, t)| Binding {
                name: n.into(),
                role,
                text: t.into(),
            })
            .collect(),
    }
}

fn example(id: &str) -> Built {
    let e = EXAMPLES.iter().find(|e| e.id == id).unwrap();
    let s = e.setup();
    let mut b = Built::start(&s).unwrap();
    for _ in 1..e.runs {
        b.run_again(&s).unwrap();
    }
    if e.gradients {
        b.gradients().unwrap();
    }
    b
}

fn fetched(b: &Built) -> Vec<(String, Vec<f32>)> {
    b.fetched().into_iter().map(|f| (f.name, f.data)).collect()
}

#[test]
fn precedence_names_and_calls() {
    let p = parse_program("a * (b + c) - -2 ^ 2").unwrap();
    assert_eq!(p.free_names(), vec!["a", "b", "c"]);
    let Expr::Binary { op, .. } = &p.statements[0].expr else {
        panic!()
    };
    assert_eq!(op.symbol(), "-");
    let p = parse_program("z = matmul(x, w) + b; sigmoid(z)\n# a comment\n").unwrap();
    assert_eq!(p.statements.len(), 2);
    assert_eq!(
        p.free_names(),
        vec!["x", "w", "b"],
        "z is defined, not free"
    );
    assert_eq!(parse_program("x @ w").unwrap().free_names(), vec!["x", "w"]);
}

#[test]
fn parse_errors_point_at_the_character_and_say_what_was_expected() {
    let cases = [
        (
            "a * (b + c",
            10,
            "character 11: expected `)` to close the `(` at character 5, found the end",
        ),
        (
            "a * * b",
            4,
            "character 5: expected a number, a name or `(`, found `*`",
        ),
        (
            "a b",
            2,
            "character 3: expected an operator (+ - * / @ ^), a new line or `;`, found `b`",
        ),
        ("sigmod(x)", 0, "unknown function `sigmod`"),
        ("matmul(x)", 0, "matmul takes 2 arguments, got 1"),
        ("a $ b", 2, "`$` is not part of an expression"),
        ("x ^ y", 4, "expected a number after `^`"),
        ("assign(2, x)", 7, "its first argument must be a name"),
        (
            "a = 1\nb = a +",
            13,
            "line 2, character 8: expected a number, a name or `(`",
        ),
        ("", 0, "the program is empty"),
        ("1e99 * a", 0, "too large"),
    ];
    for (text, at, words) in cases {
        let e = parse_program(text).unwrap_err();
        assert_eq!(e.at, at, "{text}: {e:?}");
        assert!(e.message.contains(words), "{text}: {}", e.message);
    }
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 5),
        ")".repeat(MAX_DEPTH + 5)
    );
    assert!(parse_program(&deep)
        .unwrap_err()
        .message
        .contains("nested more than"));
}

#[test]
fn values_read_scalars_vectors_and_matrices() {
    let v = parse_value("[[3, 3]]").unwrap();
    assert_eq!((v.data, v.dims), (vec![3.0, 3.0], vec![1, 2]));
    let v = parse_value(" [[2],[2]] ").unwrap();
    assert_eq!(v.dims, vec![2, 1]);
    let v = parse_value("-1.5e2").unwrap();
    assert_eq!((v.data, v.dims), (vec![-150.0], vec![]));
    assert_eq!(parse_value("[1, 2, 3]").unwrap().dims, vec![3]);
    for (bad, words) in [
        ("[[1, 2], [3]]", "rows must be equally long"),
        ("[1, [2]]", "mixed depths"),
        ("[1, 2", "expected `]`"),
        ("abc", "`abc` is not a number"),
        ("", "no value"),
        ("[]", "empty list"),
        ("[[[[[1]]]]]", "four deep"),
    ] {
        let e = parse_value(bad).unwrap_err();
        assert!(e.message.contains(words), "{bad}: {}", e.message);
    }
    let huge = format!("[{}]", vec!["1"; 5000].join(","));
    assert!(parse_value(&huge)
        .unwrap_err()
        .message
        .contains("more than 4096"));
}

#[test]
fn the_worked_examples_give_the_course_numbers() {
    assert_eq!(
        fetched(&example("matmul")),
        vec![("result".into(), vec![12.0])]
    );
    assert_eq!(
        fetched(&example("fetch")),
        vec![("intermed".into(), vec![7.0]), ("mul".into(), vec![21.0])],
        "both fetched in one run"
    );
    assert_eq!(example("fetch").runs(), 1);
    assert_eq!(
        fetched(&example("feed")),
        vec![("product".into(), vec![14.0])]
    );
    let counter = example("counter");
    let history = counter.history();
    assert_eq!(history.len(), 1);
    let seen: Vec<f32> = history[0].1.iter().map(|v| v[0]).collect();
    assert_eq!(seen, vec![0.0, 1.0, 2.0, 3.0]);
    assert_eq!(counter.readings().result, Some(3.0));
}

#[test]
fn the_graph_is_the_engines_tape_with_kinds_and_names() {
    let b = example("fetch");
    let t = b.trace();
    let labels: Vec<String> = t.nodes.iter().map(|n| n.label()).collect();
    assert_eq!(labels, vec!["b", "c", "a", "intermed", "mul"]);
    assert!(
        t.nodes
            .iter()
            .filter(|n| n.kind == TraceKind::Constant)
            .count()
            == 3
    );
    assert_eq!(t.nodes[4].inputs, vec![2, 3]);
    assert!(
        t.nodes.iter().all(|n| n.scope.is_empty()),
        "one-op lines are not scoped"
    );
    // A named line of several ops is a scope; the names it reads stay outside.
    let n = example("neuron").trace();
    let scoped: Vec<String> = n
        .nodes
        .iter()
        .filter(|n| n.scope == "z/")
        .map(|n| n.label())
        .collect();
    assert_eq!(scoped, vec!["mul", "z"]);
    assert!(n
        .nodes
        .iter()
        .filter(|n| n.label() == "w" || n.label() == "x")
        .all(|n| n.scope.is_empty()));
    let feed = example("feed").trace();
    assert!(feed.nodes[..2].iter().all(|n| n.kind == TraceKind::Input));
}

#[test]
fn feeding_new_values_reruns_the_same_graph() {
    let mut s = EXAMPLES.iter().find(|e| e.id == "feed").unwrap().setup();
    let mut b = Built::start(&s).unwrap();
    s.bindings[0].text = "4".into();
    assert!(b.same_graph(&s), "only a fed value changed");
    b.run_again(&s).unwrap();
    assert_eq!(fetched(&b)[0].1, vec![8.0]);
    assert_eq!(b.runs(), 2);
    s.bindings[0].role = Role::Constant;
    assert!(!b.same_graph(&s), "a new role is a new graph");
    s.bindings[0].role = Role::Input;
    s.bindings[0].text = "[1, 2]".into();
    let e = b.run_again(&s).unwrap_err();
    assert_eq!(e.name.as_deref(), Some("a"));
}

#[test]
fn gradients_reach_every_node_upstream_of_a_variable() {
    let b = example("neuron");
    let t = b.trace();
    let by_label = |l: &str| t.nodes.iter().find(|n| n.label() == l).unwrap();
    // sigmoid(0.5 * 2 - 0.25) = sigmoid(0.75); d/dw = s(1-s) x, d/db = s(1-s).
    let s = 1.0 / (1.0 + (-0.75f32).exp());
    let ds = s * (1.0 - s);
    assert!((by_label("sigmoid").value[0] - s).abs() < 1e-6);
    assert!((by_label("w").grad.as_ref().unwrap()[0] - ds * 2.0).abs() < 1e-6);
    assert!((by_label("b").grad.as_ref().unwrap()[0] - ds).abs() < 1e-6);
    assert!(
        by_label("x").grad.is_none(),
        "a fed input takes no gradient"
    );
    assert!(b.readings().gradients);

    // A result of many numbers is summed first, in a node that says so.
    let mut m = Built::start(&setup(
        "matmul(x, w)",
        &[
            ("x", Role::Input, "[[1, 2], [3, 4]]"),
            ("w", Role::Variable, "[[1], [1]]"),
        ],
    ))
    .unwrap();
    m.gradients().unwrap();
    m.gradients().unwrap();
    let t = m.trace();
    assert_eq!(t.nodes.iter().filter(|n| n.label() == SUMMED).count(), 1);
    let w = t.nodes.iter().find(|n| n.label() == "w").unwrap();
    assert_eq!(
        w.grad.as_ref().unwrap(),
        &vec![4.0, 6.0],
        "not accumulated over two clicks"
    );

    let mut c = example("matmul");
    let e = c.gradients().unwrap_err();
    assert!(e.message.contains("mark a name variable"), "{}", e.message);
}

#[test]
fn bad_setups_say_what_and_where() {
    let cases: Vec<(Setup, &str, Option<usize>, Option<&str>)> = vec![
        (
            setup(
                "x * w",
                &[("x", Role::Input, ""), ("w", Role::Constant, "2")],
            ),
            "`x` is a fed input with no value",
            None,
            Some("x"),
        ),
        (
            setup("x * w", &[("x", Role::Constant, "1")]),
            "`w` has no role or value yet",
            Some(4),
            None,
        ),
        (
            setup(
                "x + w",
                &[
                    ("x", Role::Constant, "[1, 2]"),
                    ("w", Role::Constant, "[1, 2, 3]"),
                ],
            ),
            "do not broadcast",
            Some(0),
            None,
        ),
        (
            setup(
                "1 + matmul(x, w)",
                &[
                    ("x", Role::Constant, "[[1, 2]]"),
                    ("w", Role::Constant, "[[1, 2]]"),
                ],
            ),
            "[1, 2] × [1, 2] (2 ≠ 1)",
            Some(4),
            None,
        ),
        (
            setup(
                "x @ w",
                &[("x", Role::Constant, "3"), ("w", Role::Constant, "[[1]]")],
            ),
            "needs two matrices",
            Some(0),
            None,
        ),
        (
            setup("assign(c, c + 1)", &[("c", Role::Constant, "0")]),
            "`c` is not one",
            Some(7),
            None,
        ),
        (setup("x = 1\nx = 2", &[]), "defined twice", Some(6), None),
        (
            setup("y = x + 1\nx = 2", &[]),
            "used before the line that defines it",
            Some(4),
            None,
        ),
        (
            setup("x", &[("x", Role::Constant, "[[1, 2], [3]]")]),
            "the value of `x`, character 10: this list has 1 entry",
            None,
            Some("x"),
        ),
    ];
    for (s, words, at, name) in cases {
        let e = Built::start(&s).unwrap_err();
        assert!(e.message.contains(words), "{}: {}", s.program, e.message);
        assert_eq!(
            (e.at, e.name.as_deref()),
            (at, name),
            "{}: {}",
            s.program,
            e.message
        );
    }
    // A huge tensor is refused before it is made.
    let col = format!("[{}]", vec!["[1]"; 4000].join(","));
    let row = format!("[[{}]]", vec!["1"; 4000].join(","));
    let e = Built::start(&setup(
        "x @ y",
        &[("x", Role::Constant, &col), ("y", Role::Constant, &row)],
    ))
    .unwrap_err();
    assert!(
        e.message.contains(&format!("{}", 4000 * 4000))
            && e.message.contains(&MAX_NODE_ELEMENTS.to_string()),
        "{}",
        e.message
    );
    let e = Built::start(&setup(
        "x + y",
        &[("x", Role::Constant, &col), ("y", Role::Constant, &row)],
    ))
    .unwrap_err();
    assert!(e.message.contains("16000000"), "{}", e.message);
}

/// Random text from pieces of the language and stray characters.
fn random_text(rng: &mut Rng, pieces: &[&str], len: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(len + 1) {
        if rng.below(8) == 0 {
            s.push(char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'));
        } else {
            s.push_str(pieces[rng.below(pieces.len())]);
        }
    }
    s
}

#[test]
fn the_parsers_survive_random_text() {
    let mut rng = Rng::new(13);
    let pieces = [
        "a", "b", "x", "w", "counter", " ", "+", "-", "*", "/", "@", "^", "(", ")", ",", "=", ";",
        "\n", "1", "2.5", "1e3", "matmul", "sigmoid", "assign", "sum", "tanh", "#", ".", "e",
    ];
    let mut parsed = 0;
    for _ in 0..20_000 {
        let text = random_text(&mut rng, &pieces, 24);
        if parse_program(&text).is_ok() {
            parsed += 1;
        }
    }
    assert!(
        parsed > 500,
        "the fuzz reaches the parser's depths: {parsed} parsed"
    );
    let value_pieces = [
        "[", "]", ",", " ", "1", "-2.5", "e", "3", "[[", "]]", "nan", "inf",
    ];
    for _ in 0..20_000 {
        let _ = parse_value(&random_text(&mut rng, &value_pieces, 20));
    }
}

#[test]
fn random_programs_build_or_fail_with_a_message() {
    let mut rng = Rng::new(7);
    let pieces = [
        "a",
        "b",
        "x",
        " + ",
        " - ",
        " * ",
        " / ",
        " @ ",
        "^2",
        "(",
        ")",
        ", ",
        "\n",
        "1",
        "0",
        "matmul(",
        "sigmoid(",
        "log(",
        "sqrt(",
        "assign(a, ",
        "sum(",
        "y = ",
    ];
    let values = [
        "2",
        "[1, 2]",
        "[[1, 2], [3, 4]]",
        "[[1], [2]]",
        "0",
        "-1",
        "",
    ];
    let mut built = 0;
    for _ in 0..4_000 {
        let program = random_text(&mut rng, &pieces, 10);
        let names: Vec<(&str, Role, &str)> = ["a", "b", "x"]
            .iter()
            .map(|&n| {
                let role = Role::ALL[rng.below(3)];
                (n, role, values[rng.below(values.len())])
            })
            .collect();
        let s = setup(&program, &names);
        match Built::start(&s) {
            Ok(mut b) => {
                built += 1;
                let _ = b.gradients();
                let _ = b.run_again(&s);
                let _ = b.trace();
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
    assert!(built > 50, "{built} built");
}
