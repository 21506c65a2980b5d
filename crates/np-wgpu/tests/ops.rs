//! Every kernel against the plain reference backend, on random shapes including sizes that are
//! not multiples of the workgroup size (256 threads, 64x64 matmul tiles), tiny and large ones.
//! Tolerances: 1e-5 absolute plus 1e-5 relative for elementwise ops (GPU exp/log/sin are within
//! a few ulps); sums are compared against f64 references with a bound growing with their length.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_close, both, random, read};
use np_engine::backend::{BinaryOp, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use np_engine::rng::Rng;
use np_engine::{Backend, Shape};

#[test]
fn matmul_all_transposes_and_odd_sizes() {
    let mut rng = Rng::new(1);
    let sizes = [
        (1, 1, 1),
        (3, 5, 7),
        (64, 64, 64),
        (65, 17, 129),
        (130, 300, 70),
        (2, 0, 3),
        // Thin shapes take matmul_thin (k <= 16 or n <= 16); the others the 64x64 tiles.
        (100, 8, 8),
        (33, 40, 10),
        (17, 16, 200),
        (0, 5, 5),
        // Large: several tiles each way, none full at the edges.
        (257, 513, 300),
    ];
    for &(m, k, n) in &sizes {
        // All eight transpose/accumulate combinations; the large case only two, for time.
        let all: &[u8] = if m * k * n > 1_000_000 {
            &[0, 7]
        } else {
            &[0, 1, 2, 3, 4, 5, 6, 7]
        };
        for &flags in all {
            let desc = MatmulDesc {
                m,
                k,
                n,
                trans_a: flags & 1 != 0,
                trans_b: flags & 2 != 0,
                accumulate: flags & 4 != 0,
            };
            let (a, b, c) = (
                random(&mut rng, m * k, -1.0, 1.0),
                random(&mut rng, k * n, -1.0, 1.0),
                random(&mut rng, m * n, -1.0, 1.0),
            );
            let (g, r) = both(|be| {
                let (a, b, o) = (be.upload(&a)?, be.upload(&b)?, be.upload(&c)?);
                be.matmul(a, b, o, desc)?;
                Ok(vec![o])
            });
            let tol = 1e-5 * (k as f32).sqrt().max(1.0);
            assert_close(&g[0], &r[0], tol, 1e-5, &format!("matmul {desc:?}"));
        }
    }
}

fn unary_ops() -> Vec<(UnaryOp, f64, f64)> {
    use UnaryOp::*;
    vec![
        (Identity, -3.0, 3.0),
        (Neg, -3.0, 3.0),
        (Exp, -5.0, 5.0),
        (Log, 0.01, 10.0),
        (Sqrt, 0.01, 10.0),
        (Square, -3.0, 3.0),
        (Powf(3.0), -2.0, 2.0),
        (Powf(0.5), 0.01, 4.0),
        (Abs, -3.0, 3.0),
        (Sin, -3.0, 3.0),
        (Cos, -3.0, 3.0),
        (Sigmoid, -30.0, 30.0),
        (Tanh, -30.0, 30.0),
        (Relu, -3.0, 3.0),
        (LeakyRelu(0.1), -3.0, 3.0),
        (Elu(1.5), -3.0, 3.0),
        (Step, -3.0, 3.0),
        (
            Clip {
                min: -0.5,
                max: 0.7,
            },
            -2.0,
            2.0,
        ),
        (AddScalar(0.25), -2.0, 2.0),
        (MulScalar(-1.5), -2.0, 2.0),
    ]
}

#[test]
fn unary_forward_backward_and_bias_act() {
    let mut rng = Rng::new(2);
    for (op, lo, hi) in unary_ops() {
        for &n in &[1usize, 255, 257, 5000] {
            let x = random(&mut rng, n, lo, hi);
            let dy = random(&mut rng, n, -1.0, 1.0);
            let (g, r) = both(|be| {
                let (xb, y, d, dx) = (be.upload(&x)?, be.alloc(n)?, be.upload(&dy)?, be.alloc(n)?);
                be.unary(op, xb, y)?;
                be.unary_backward(op, xb, y, d, dx)?;
                Ok(vec![y, dx])
            });
            assert_close(&g[0], &r[0], 1e-5, 2e-5, &format!("{op:?} value n={n}"));
            assert_close(&g[1], &r[1], 1e-4, 1e-4, &format!("{op:?} grad n={n}"));
        }
        let (rows, cols) = (37, 19);
        let x = random(&mut rng, rows * cols, lo, hi);
        let bias = random(&mut rng, cols, -0.5, 0.5);
        let (g, r) = both(|be| {
            let (xb, bb, o) = (be.upload(&x)?, be.upload(&bias)?, be.alloc(rows * cols)?);
            be.bias_act(xb, bb, o, rows, cols, op)?;
            Ok(vec![o])
        });
        assert_close(&g[0], &r[0], 1e-5, 2e-5, &format!("bias_act {op:?}"));
    }
}

#[test]
fn binary_broadcasting_and_helpers() {
    let mut rng = Rng::new(3);
    let cases: &[(&[usize], &[usize])] = &[
        (&[3, 1], &[4]),
        (&[2, 3, 4], &[3, 1]),
        (&[5], &[]),
        (&[2, 1, 3, 1], &[1, 4, 1, 5]),
        (&[300, 7], &[300, 7]),
        (&[1], &[1000]),
    ];
    let ops = [
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Maximum,
        BinaryOp::Minimum,
        BinaryOp::Greater,
        BinaryOp::Equal,
    ];
    for (ad, bd) in cases {
        let (sa, sb) = (Shape::new(ad).unwrap(), Shape::new(bd).unwrap());
        let so = Shape::broadcast(sa, sb).unwrap();
        // Small integers so Equal has hits and Div has no zero.
        let a: Vec<f32> = (0..sa.numel())
            .map(|_| (rng.below(5) as f32) - 2.0)
            .collect();
        let b: Vec<f32> = (0..sb.numel())
            .map(|_| (rng.below(4) as f32) + 0.5)
            .collect();
        for op in ops {
            let (g, r) = both(|be| {
                let (x, y, o) = (be.upload(&a)?, be.upload(&b)?, be.alloc(so.numel())?);
                be.binary(op, x, sa, y, sb, o)?;
                Ok(vec![o])
            });
            assert_close(&g[0], &r[0], 1e-6, 1e-6, &format!("{op:?} {ad:?} {bd:?}"));
        }
        let (g, r) = both(|be| {
            let (x, o) = (be.upload(&a)?, be.alloc(so.numel())?);
            be.expand(x, sa, o, so)?;
            Ok(vec![o])
        });
        assert_close(&g[0], &r[0], 0.0, 0.0, "expand");
    }
    let n = 1031;
    let (c, a, b) = (
        random(&mut rng, n, -1.0, 1.0)
            .iter()
            .map(|v| f32::from(*v > 0.0))
            .collect::<Vec<_>>(),
        random(&mut rng, n, -1.0, 1.0),
        random(&mut rng, n, -1.0, 1.0),
    );
    let (g, r) = both(|be| {
        let (cb, ab, bb, o) = (be.upload(&c)?, be.upload(&a)?, be.upload(&b)?, be.alloc(n)?);
        be.select(cb, ab, bb, o)?;
        let y = be.upload(&b)?;
        be.axpy(-0.5, ab, y)?;
        let f = be.alloc(n)?;
        be.fill(f, 2.5)?;
        let cp = be.alloc(n)?;
        be.copy(ab, cp)?;
        be.write(ab, &b)?; // lands after the copy above, which must still see the old a
        Ok(vec![o, y, f, cp, ab])
    });
    for (i, what) in ["select", "axpy", "fill", "copy", "write"]
        .iter()
        .enumerate()
    {
        assert_close(&g[i], &r[i], 1e-6, 1e-6, what);
    }
}

#[test]
fn reductions_over_every_axis() {
    let mut rng = Rng::new(4);
    let shapes: &[&[usize]] = &[&[7, 300], &[2, 3, 4, 5], &[1], &[1000], &[3, 65, 2]];
    for dims in shapes {
        let s = Shape::new(dims).unwrap();
        let x = random(&mut rng, s.numel(), -2.0, 2.0);
        let axes: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..dims.len()).map(Some))
            .collect();
        for axis in axes {
            for op in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max] {
                let out_len = axis.map_or(1, |a| s.numel() / dims[a]);
                let (g, r) = both(|be| {
                    let (xb, o) = (be.upload(&x)?, be.alloc(out_len)?);
                    be.reduce(op, xb, s, axis, o)?;
                    Ok(vec![o])
                });
                assert_close(
                    &g[0],
                    &r[0],
                    1e-4,
                    1e-5,
                    &format!("{op:?} {dims:?} axis {axis:?}"),
                );
            }
        }
    }
}

#[test]
fn reduce_and_elementwise_past_65535_workgroups() {
    // 70,000 outputs over an axis of 65 takes the workgroup-per-output path with 70,000 groups:
    // the dispatch must fold into two dimensions.
    let mut rng = Rng::new(5);
    let s = Shape::new(&[70_000, 65]).unwrap();
    let x = random(&mut rng, s.numel(), -1.0, 1.0);
    let (g, r) = both(|be| {
        let (xb, o) = (be.upload(&x)?, be.alloc(70_000)?);
        be.reduce(ReduceOp::Sum, xb, s, Some(1), o)?;
        Ok(vec![o])
    });
    assert_close(&g[0], &r[0], 1e-4, 1e-5, "wide reduce, folded dispatch");
}

#[test]
fn softmax_and_cross_entropy() {
    let mut rng = Rng::new(6);
    for &(rows, cols) in &[(1, 1), (5, 3), (33, 10), (4, 130), (300, 2)] {
        let x = random(&mut rng, rows * cols, -20.0, 20.0);
        let dy = random(&mut rng, rows * cols, -1.0, 1.0);
        let labels: Vec<f32> = (0..rows).map(|_| rng.below(cols) as f32).collect();
        let bin: Vec<f32> = (0..rows * cols).map(|_| rng.below(2) as f32).collect();
        for log in [false, true] {
            let (g, r) = both(|be| {
                let (xb, y, d, dx) = (
                    be.upload(&x)?,
                    be.alloc(rows * cols)?,
                    be.upload(&dy)?,
                    be.alloc(rows * cols)?,
                );
                be.softmax(xb, y, rows, cols, log)?;
                be.softmax_backward(y, d, dx, rows, cols, log)?;
                Ok(vec![y, dx])
            });
            assert_close(
                &g[0],
                &r[0],
                1e-5,
                1e-5,
                &format!("softmax log={log} {rows}x{cols}"),
            );
            assert_close(
                &g[1],
                &r[1],
                1e-4,
                1e-4,
                &format!("softmax backward log={log}"),
            );
        }
        for kind in [XentKind::Softmax, XentKind::Sigmoid] {
            let (g, r) = both(|be| {
                let z = be.upload(&x)?;
                let lb = be.upload(&labels)?;
                let t = be.alloc(rows * cols)?;
                if kind == XentKind::Softmax {
                    be.one_hot(lb, cols, t)?;
                } else {
                    be.write(t, &bin)?;
                }
                let (loss, grad, loss2) =
                    (be.alloc(rows)?, be.alloc(rows * cols)?, be.alloc(rows)?);
                be.cross_entropy(
                    kind,
                    z,
                    t,
                    rows,
                    cols,
                    loss,
                    Some((grad, 1.0 / rows as f32)),
                )?;
                be.cross_entropy(kind, z, t, rows, cols, loss2, None)?;
                Ok(vec![t, loss, grad, loss2])
            });
            assert_close(&g[0], &r[0], 0.0, 0.0, "targets");
            assert_close(
                &g[1],
                &r[1],
                1e-4,
                1e-5,
                &format!("{kind:?} loss {rows}x{cols}"),
            );
            assert_close(&g[2], &r[2], 1e-5, 1e-4, &format!("{kind:?} grad"));
            assert_close(&g[3], &r[3], 1e-4, 1e-5, &format!("{kind:?} loss only"));
        }
    }
}

#[test]
fn optimizer_updates_match_pytorch_rules() {
    let mut rng = Rng::new(7);
    let rules = [
        UpdateRule::Sgd {
            lr: 0.1,
            momentum: 0.0,
            nesterov: false,
        },
        UpdateRule::Sgd {
            lr: 0.1,
            momentum: 0.9,
            nesterov: false,
        },
        UpdateRule::Sgd {
            lr: 0.1,
            momentum: 0.9,
            nesterov: true,
        },
        UpdateRule::AdaGrad {
            lr: 0.05,
            eps: 1e-10,
            initial_accumulator: 0.1,
        },
        UpdateRule::RmsProp {
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
        },
        UpdateRule::Adam {
            lr: 0.001,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        },
    ];
    for rule in rules {
        for &n in &[1usize, 300, 4099] {
            let p0 = random(&mut rng, n, -1.0, 1.0);
            let grads: Vec<Vec<f32>> = (0..3).map(|_| random(&mut rng, n, -1.0, 1.0)).collect();
            let (g, r) = both(|be| {
                let p = be.upload(&p0)?;
                let state = (0..rule.state_buffers())
                    .map(|_| {
                        let s = be.alloc(n)?;
                        be.fill(s, rule.state_init())?;
                        Ok(s)
                    })
                    .collect::<np_engine::Result<Vec<_>>>()?;
                let gb = be.alloc(n)?;
                for (t, gr) in grads.iter().enumerate() {
                    be.write(gb, gr)?;
                    be.optimizer_step(rule, t as u64 + 1, p, gb, &state)?;
                }
                let mut out = vec![p];
                out.extend(state);
                Ok(out)
            });
            for i in 0..g.len() {
                assert_close(
                    &g[i],
                    &r[i],
                    1e-6,
                    1e-5,
                    &format!("{rule:?} n={n} buffer {i}"),
                );
            }
        }
    }
}

#[test]
fn dropout_masks_match_the_cpu_generator_bit_for_bit() {
    for &(n, seed, offset, keep) in &[
        (1usize, 0u32, 0u32, 0.5f32),
        (1000, 42, 7, 0.8),
        (70_001, 9, u32::MAX - 5, 0.3),
    ] {
        let (g, r) = both(|be| {
            let m = be.alloc(n)?;
            be.dropout_mask(m, seed, offset, keep)?;
            Ok(vec![m])
        });
        assert_eq!(g[0], r[0], "mask n={n} seed={seed}");
    }
}

#[test]
fn gather_one_hot_argmax() {
    let mut rng = Rng::new(8);
    let (n, cols) = (500, 7);
    let src = random(&mut rng, n * cols, -1.0, 1.0);
    let idx: Vec<u32> = (0..129).map(|_| rng.below(n) as u32).collect();
    let labels: Vec<f32> = (0..300).map(|_| rng.below(12) as f32 - 1.0).collect(); // some outside 0..10
    let (g, r) = both(|be| {
        let (s, o) = (be.upload(&src)?, be.alloc(idx.len() * cols)?);
        be.gather_rows(s, cols, &idx, o)?;
        let (l, oh) = (be.upload(&labels)?, be.alloc(300 * 10)?);
        be.one_hot(l, 10, oh)?;
        let am = be.alloc(n)?;
        be.argmax(s, n, cols, am)?;
        Ok(vec![o, oh, am])
    });
    for i in 0..3 {
        assert_close(&g[i], &r[i], 0.0, 0.0, ["gather", "one_hot", "argmax"][i]);
    }
    let mut gpu = common::gpu();
    let s = gpu.upload(&src).unwrap();
    let o = gpu.alloc(cols).unwrap();
    assert!(
        gpu.gather_rows(s, cols, &[n as u32], o).is_err(),
        "out-of-range index is an error"
    );
    assert!(
        gpu.matmul(s, s, o, MatmulDesc::new(2, 2, 2)).is_err(),
        "wrong lengths are an error"
    );
    assert_eq!(read(&gpu, o), vec![0.0; cols]);
}

#[test]
fn empty_buffers_are_fine() {
    let (g, r) = both(|be| {
        let (x, y) = (be.upload(&[])?, be.alloc(0)?);
        be.unary(UnaryOp::Exp, x, y)?;
        be.fill(y, 3.0)?;
        let z = be.alloc(0)?;
        be.matmul(x, y, z, MatmulDesc::new(0, 0, 0))?;
        let s = be.alloc(0)?;
        be.softmax(x, s, 0, 5, false)?;
        Ok(vec![y, z, s])
    });
    assert_eq!(g, r);
    assert!(g.iter().all(Vec::is_empty));
}
