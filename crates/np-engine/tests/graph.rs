//! The recorded graph's contract: node kinds, names and scopes, gradient accumulation and
//! zeroing, evaluation mode, and errors as values.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::autodiff::Op;
use np_engine::backend::UnaryOp;
use np_engine::{EngineError, Graph, NodeKind, Tensor};

#[test]
fn nodes_keep_kind_inputs_shape_name_scope_value_and_grad() {
    let mut g = Graph::cpu();
    let w = g
        .variable("w", &Tensor::vector(vec![1.0, -2.0]), true)
        .unwrap();
    let c = g
        .variable("c", &Tensor::vector(vec![3.0, 3.0]), false)
        .unwrap();
    g.push_scope("layer");
    let x = g.input("x", &Tensor::vector(vec![0.5, 0.25])).unwrap();
    let wn = g.var(w).unwrap();
    let cn = g.var(c).unwrap();
    let p = g.mul(x, wn).unwrap();
    let q = g.add(p, cn).unwrap();
    g.pop_scope();
    let loss = g.sum(q).unwrap();
    g.name(loss, "loss").unwrap();
    g.backward(loss).unwrap();

    let n = g.node(q).unwrap();
    assert_eq!(
        n.kind,
        NodeKind::Op {
            op: Op::Binary {
                f: np_engine::backend::BinaryOp::Add
            }
        }
    );
    assert_eq!(
        (n.inputs.clone(), n.shape.dims().to_vec(), n.scope.as_str()),
        (vec![p, cn], vec![2], "layer/")
    );
    assert_eq!(g.node(x).unwrap().kind, NodeKind::Input);
    assert_eq!(g.node(loss).unwrap().name.as_deref(), Some("loss"));
    assert_eq!(g.value(q).unwrap().data(), &[3.5, 2.5]);
    assert_eq!(g.grad(p).unwrap().unwrap().data(), &[1.0, 1.0]);
    assert_eq!(g.var_grad(w).unwrap().data(), &[0.5, 0.25]);
    // A non-trainable variable receives no gradient at all.
    assert!(g.grad(cn).unwrap().is_none());
    assert_eq!(g.var_grad(c).unwrap().data(), &[0.0, 0.0]);
    // Labels for drawings.
    assert_eq!(Op::Unary { f: UnaryOp::Relu }.label(), "relu");
}

#[test]
fn gradients_accumulate_until_zeroed() {
    let mut g = Graph::cpu();
    let w = g.variable("w", &Tensor::scalar(2.0), true).unwrap();
    for _ in 0..3 {
        g.clear();
        let wn = g.var(w).unwrap();
        let sq = g.square(wn).unwrap();
        g.backward(sq).unwrap();
    }
    assert_eq!(g.var_grad(w).unwrap().item().unwrap(), 12.0);
    g.zero_grad().unwrap();
    assert_eq!(g.var_grad(w).unwrap().item().unwrap(), 0.0);
}

#[test]
fn evaluation_mode_records_nothing() {
    let mut g = Graph::cpu();
    let w = g.variable("w", &Tensor::scalar(2.0), true).unwrap();
    g.set_recording(false);
    let wn = g.var(w).unwrap();
    let y = g.tanh(wn).unwrap();
    assert_eq!(g.node(y).unwrap().kind, NodeKind::Constant);
    assert!(g.node(y).unwrap().inputs.is_empty());
    assert!((g.value(y).unwrap().item().unwrap() - 2f32.tanh()).abs() < 1e-6);
    assert!(matches!(g.backward(y), Err(EngineError::Backward(_))));
}

#[test]
fn errors_are_values() {
    let mut g = Graph::cpu();
    let a = g.constant(&Tensor::zeros(&[2, 3]).unwrap()).unwrap();
    let b = g.constant(&Tensor::zeros(&[4, 5]).unwrap()).unwrap();
    assert!(matches!(
        g.matmul(a, b),
        Err(EngineError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        g.add(a, b),
        Err(EngineError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        g.reduce(np_engine::backend::ReduceOp::Sum, a, Some(5)),
        Err(EngineError::BadAxis { .. })
    ));
    assert!(g.backward(a).is_err());
    assert!(matches!(
        g.apply(Op::Select, &[a, b]),
        Err(EngineError::InvalidConfig(_))
    ));
    assert!(Tensor::new(vec![1.0], &[2]).is_err());
}

#[test]
fn broadcasting_literal_values() {
    let mut g = Graph::cpu();
    let a = g
        .constant(&Tensor::matrix(&[vec![1.0, 2.0], vec![3.0, 4.0]]).unwrap())
        .unwrap();
    let col = g
        .constant(&Tensor::new(vec![10.0, 20.0], &[2, 1]).unwrap())
        .unwrap();
    let row = g.constant(&Tensor::vector(vec![10.0, 20.0])).unwrap();
    let s1 = g.add(a, col).unwrap();
    let s2 = g.add(a, row).unwrap();
    assert_eq!(g.value(s1).unwrap().data(), &[11.0, 12.0, 23.0, 24.0]);
    assert_eq!(g.value(s2).unwrap().data(), &[11.0, 22.0, 13.0, 24.0]);
    let m = g
        .reduce(np_engine::backend::ReduceOp::Max, a, Some(0))
        .unwrap();
    assert_eq!(
        (
            g.value(m).unwrap().dims().to_vec(),
            g.value(m).unwrap().to_vec()
        ),
        (vec![1, 2], vec![3.0, 4.0])
    );
}

#[test]
fn a_trace_is_the_tape_as_data_cut_to_its_element_limit() {
    let mut g = Graph::cpu();
    let w = g
        .variable(
            "w",
            &Tensor::new(vec![1.0, 2.0, 3.0, 4.0], &[2, 2]).unwrap(),
            true,
        )
        .unwrap();
    g.push_scope("layer");
    let x = g
        .input("x", &Tensor::new(vec![1.0, -1.0], &[1, 2]).unwrap())
        .unwrap();
    let wn = g.var(w).unwrap();
    let z = g.matmul(x, wn).unwrap();
    g.pop_scope();
    let loss = g.sum(z).unwrap();
    g.name(loss, "loss").unwrap();
    g.backward(loss).unwrap();

    let t = g.trace(3).unwrap();
    assert_eq!(t.nodes.len(), g.nodes().len());
    let kinds: Vec<_> = t.nodes.iter().map(|n| n.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            np_engine::autodiff::TraceKind::Input,
            np_engine::autodiff::TraceKind::Variable {
                var: "w".into(),
                trainable: true
            },
            np_engine::autodiff::TraceKind::Op {
                op: "matmul".into()
            },
            np_engine::autodiff::TraceKind::Op {
                op: "reduce_sum".into()
            },
        ]
    );
    assert_eq!(t.nodes[2].inputs, vec![0, 1]);
    assert_eq!(t.nodes[2].scope, "layer/");
    assert_eq!(t.nodes[2].value, vec![-2.0, -2.0]);
    // The 2x2 variable keeps only 3 elements, but says it has 4.
    assert_eq!((t.nodes[1].value.len(), t.nodes[1].elements()), (3, 4));
    // d(sum(x W))/dW[i][j] = x[i].
    assert_eq!(t.nodes[1].grad, Some(vec![1.0, 1.0, -1.0]));
    assert_eq!(t.nodes[0].grad, None);
    assert_eq!(t.nodes[3].label(), "loss");
}
