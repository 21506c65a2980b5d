//! Finite-difference checks of every differentiable op, on random shapes including
//! broadcasting. Each check reduces the op's output to a scalar with random weights (so the
//! upstream gradient is not all ones), differentiates, and compares every input element's
//! gradient with a central difference (step 0.01, f32).

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::{BinaryOp, ReduceOp, UnaryOp, XentKind};
use np_engine::rng::Rng;
use np_engine::{Graph, NodeId, Result, Tensor};

type Build = dyn Fn(&mut Graph, &[NodeId]) -> Result<NodeId>;

/// Random input in `[lo, hi)`, nudged away from 0 (where abs, relu and friends have kinks).
fn random(rng: &mut Rng, dims: &[usize], lo: f64, hi: f64) -> Tensor {
    let n: usize = dims.iter().product();
    let data = (0..n)
        .map(|_| {
            let mut v = rng.uniform(lo, hi);
            if v.abs() < 0.05 {
                v += 0.1;
            }
            v as f32
        })
        .collect();
    Tensor::new(data, dims).unwrap()
}

/// Checks `build` on inputs; returns the worst relative error.
fn check(name: &str, inputs: Vec<Tensor>, build: &Build, tol: f32) {
    let mut g = Graph::cpu();
    let vars: Vec<_> = inputs
        .iter()
        .enumerate()
        .map(|(i, t)| g.variable(&format!("in{i}"), t, true).unwrap())
        .collect();
    let mut rng = Rng::new(99);
    let mut weights: Option<Tensor> = None;
    let mut eval = |g: &mut Graph, backward: bool| -> f32 {
        g.clear();
        let ins: Vec<NodeId> = vars.iter().map(|&v| g.var(v).unwrap()).collect();
        let y = build(g, &ins).unwrap();
        let shape = g.node(y).unwrap().shape;
        let w = weights
            .get_or_insert_with(|| random(&mut rng, shape.dims(), -1.0, 1.0))
            .clone();
        let wn = g.constant(&w).unwrap();
        let p = g.mul(y, wn).unwrap();
        let l = g.sum(p).unwrap();
        if backward {
            g.zero_grad().unwrap();
            g.backward(l).unwrap();
        }
        g.value(l).unwrap().item().unwrap()
    };
    eval(&mut g, true);
    let grads: Vec<Tensor> = vars.iter().map(|&v| g.var_grad(v).unwrap()).collect();
    let eps = 1e-2f32;
    for (vi, &v) in vars.iter().enumerate() {
        let base = g.var_value(v).unwrap();
        for i in 0..base.data().len() {
            let mut d = base.to_vec();
            d[i] += eps;
            g.set_var(v, &Tensor::from_shape(d.clone(), base.shape()).unwrap())
                .unwrap();
            let up = eval(&mut g, false);
            d[i] -= 2.0 * eps;
            g.set_var(v, &Tensor::from_shape(d, base.shape()).unwrap())
                .unwrap();
            let down = eval(&mut g, false);
            g.set_var(v, &base).unwrap();
            let numeric = (up - down) / (2.0 * eps);
            let analytic = grads[vi].data()[i];
            let err = (numeric - analytic).abs() / (1.0 + numeric.abs().max(analytic.abs()));
            assert!(
                err < tol,
                "{name}: input {vi} element {i}: numeric {numeric} analytic {analytic}"
            );
        }
    }
}

fn shapes(rng: &mut Rng) -> (usize, usize) {
    (1 + rng.below(4), 1 + rng.below(5))
}

#[test]
fn unary_ops() {
    let mut rng = Rng::new(1);
    let ops: Vec<(UnaryOp, f64, f64)> = vec![
        (UnaryOp::Identity, -2.0, 2.0),
        (UnaryOp::Neg, -2.0, 2.0),
        (UnaryOp::Exp, -2.0, 2.0),
        (UnaryOp::Log, 0.5, 3.0),
        (UnaryOp::Sqrt, 0.5, 3.0),
        (UnaryOp::Square, -2.0, 2.0),
        (UnaryOp::Powf(3.0), -2.0, 2.0),
        (UnaryOp::Abs, -2.0, 2.0),
        (UnaryOp::Sin, -3.0, 3.0),
        (UnaryOp::Cos, -3.0, 3.0),
        (UnaryOp::Sigmoid, -4.0, 4.0),
        (UnaryOp::Tanh, -2.0, 2.0),
        (UnaryOp::Relu, -2.0, 2.0),
        (UnaryOp::LeakyRelu(0.1), -2.0, 2.0),
        (UnaryOp::Elu(1.0), -2.0, 2.0),
        (UnaryOp::Step, -2.0, 2.0),
        (
            UnaryOp::Clip {
                min: -0.5,
                max: 0.7,
            },
            -2.0,
            2.0,
        ),
        (UnaryOp::AddScalar(1.5), -2.0, 2.0),
        (UnaryOp::MulScalar(-0.7), -2.0, 2.0),
    ];
    for (op, lo, hi) in ops {
        let (r, c) = shapes(&mut rng);
        let mut x = random(&mut rng, &[r, c], lo, hi);
        if let UnaryOp::Clip { .. } = op {
            // keep clear of the clip edges where the derivative jumps
            let d = x
                .data()
                .iter()
                .map(|&v| {
                    if (v + 0.5).abs() < 0.05 || (v - 0.7).abs() < 0.05 {
                        v + 0.2
                    } else {
                        v
                    }
                })
                .collect();
            x = Tensor::new(d, &[r, c]).unwrap();
        }
        check(
            &format!("{op:?}"),
            vec![x],
            &move |g, i| g.unary(op, i[0]),
            2e-2,
        );
    }
}

#[test]
fn binary_ops_with_broadcasting() {
    let mut rng = Rng::new(2);
    let cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
        (vec![3, 4], vec![3, 4]),
        (vec![3, 4], vec![4]),
        (vec![4, 4], vec![4, 1]), // a column that happens to be as long as a row
        (vec![4], vec![4, 4]),
        (vec![3, 1], vec![1, 4]),
        (vec![2, 3, 4], vec![3, 1]),
        (vec![3, 4], vec![]),
        (vec![1], vec![2, 2, 3]),
    ];
    for f in [
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Maximum,
        BinaryOp::Minimum,
    ] {
        for (a, b) in &cases {
            let ta = random(&mut rng, a, -2.0, 2.0);
            let mut tb = if f == BinaryOp::Div {
                random(&mut rng, b, 0.5, 2.0)
            } else {
                random(&mut rng, b, -2.0, 2.0)
            };
            let mut ta = ta;
            if matches!(f, BinaryOp::Maximum | BinaryOp::Minimum) {
                // Values on two interleaved grids never tie, so the difference never jumps.
                let grid = |t: &Tensor, off: f32| {
                    Tensor::from_shape(
                        t.data()
                            .iter()
                            .map(|v| (v * 5.0).round() * 0.2 + off)
                            .collect(),
                        t.shape(),
                    )
                    .unwrap()
                };
                ta = grid(&ta, 0.1);
                tb = grid(&tb, 0.0);
            }
            check(
                &format!("{f:?} {a:?} {b:?}"),
                vec![ta, tb],
                &move |g, i| g.apply(np_engine::autodiff::Op::Binary { f }, &[i[0], i[1]]),
                2e-2,
            );
        }
    }
}

#[test]
fn matmul_every_transpose() {
    let mut rng = Rng::new(3);
    for ta in [false, true] {
        for tb in [false, true] {
            let (m, k, n) = (1 + rng.below(4), 1 + rng.below(5), 1 + rng.below(4));
            let a = random(&mut rng, &if ta { [k, m] } else { [m, k] }, -1.0, 1.0);
            let b = random(&mut rng, &if tb { [n, k] } else { [k, n] }, -1.0, 1.0);
            check(
                &format!("matmul {ta} {tb}"),
                vec![a, b],
                &move |g, i| g.matmul_t(i[0], i[1], ta, tb),
                2e-2,
            );
        }
    }
}

#[test]
fn fused_bias_activation() {
    let mut rng = Rng::new(4);
    for act in [
        UnaryOp::Identity,
        UnaryOp::Relu,
        UnaryOp::Sigmoid,
        UnaryOp::Tanh,
        UnaryOp::Elu(1.0),
        UnaryOp::LeakyRelu(0.2),
        UnaryOp::Sin,
    ] {
        let (r, c) = shapes(&mut rng);
        let x = random(&mut rng, &[r, c], -2.0, 2.0);
        let b = random(&mut rng, &[c], -0.02, 0.02);
        check(
            &format!("bias_act {act:?}"),
            vec![x, b],
            &move |g, i| g.bias_act(i[0], i[1], act),
            2e-2,
        );
    }
}

#[test]
fn reductions_softmax_and_losses() {
    let mut rng = Rng::new(5);
    for f in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max] {
        for axis in [None, Some(0), Some(1), Some(2)] {
            let x = random(&mut rng, &[2, 3, 4], -2.0, 2.0);
            check(
                &format!("{f:?} {axis:?}"),
                vec![x],
                &move |g, i| g.reduce(f, i[0], axis),
                2e-2,
            );
        }
    }
    for log in [false, true] {
        let x = random(&mut rng, &[3, 5], -2.0, 2.0);
        check(
            "softmax",
            vec![x],
            &move |g, i| {
                if log {
                    g.log_softmax(i[0])
                } else {
                    g.softmax(i[0])
                }
            },
            2e-2,
        );
    }
    let z = random(&mut rng, &[4, 3], -2.0, 2.0);
    let t = Tensor::new(
        vec![1., 0., 0., 0., 1., 0., 0., 0., 1., 0., 1., 0.],
        &[4, 3],
    )
    .unwrap();
    let tc = t.clone();
    check(
        "softmax xent",
        vec![z.clone()],
        &move |g, i| {
            let t = g.constant(&tc)?;
            g.cross_entropy(XentKind::Softmax, i[0], t)
        },
        2e-2,
    );
    check(
        "sigmoid xent",
        vec![z],
        &move |g, i| {
            let t = g.constant(&t)?;
            g.cross_entropy(XentKind::Sigmoid, i[0], t)
        },
        2e-2,
    );
}

#[test]
fn where_dropout_reshape() {
    let mut rng = Rng::new(6);
    let a = random(&mut rng, &[3, 4], -2.0, 2.0);
    let b = random(&mut rng, &[3, 4], -2.0, 2.0);
    let cond = Tensor::new(
        (0..12).map(|i| (i % 3 == 0) as u8 as f32).collect(),
        &[3, 4],
    )
    .unwrap();
    check(
        "where",
        vec![a.clone(), b],
        &move |g, i| {
            let c = g.constant(&cond)?;
            g.where_(c, i[0], i[1])
        },
        2e-2,
    );
    check(
        "dropout",
        vec![a.clone()],
        &|g, i| g.dropout(i[0], 0.6, 17, 0),
        2e-2,
    );
    check("reshape", vec![a], &|g, i| g.reshape(i[0], &[2, 6]), 2e-2);
}

#[test]
fn composite_expression_with_reused_nodes() {
    // f = sum(tanh(x @ w) * x2) + mean(x) reuses x: gradients must accumulate.
    let mut rng = Rng::new(7);
    let x = random(&mut rng, &[3, 3], -1.0, 1.0);
    let w = random(&mut rng, &[3, 3], -1.0, 1.0);
    check(
        "composite",
        vec![x, w],
        &|g, i| {
            let h = g.matmul(i[0], i[1])?;
            let t = g.tanh(h)?;
            let p = g.mul(t, i[0])?;
            let m = g.mean(i[0])?;
            g.add(p, m)
        },
        2e-2,
    );
}
