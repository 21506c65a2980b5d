//! Matrix products, reductions, softmax and cross-entropy.

use crate::suite::{random, Suite, Tol};
use np_engine::backend::{MatmulDesc, ReduceOp, XentKind};
use np_engine::rng::Rng;
use np_engine::Shape;

/// Every transpose/accumulate combination on odd, thin, empty and tile-sized shapes. Sums of
/// `k` products are compared with f64 sums within `1e-5 sqrt(k)`.
pub async fn matmul(s: &mut Suite<'_>) {
    let mut rng = Rng::new(1);
    let sizes = [
        (1, 1, 1),
        (3, 5, 7),
        (7, 5, 3),
        (64, 64, 64),
        (65, 17, 129),
        (130, 300, 70),
        (2, 0, 3),
        // Thin shapes (k <= 16 or n <= 16) take the GPU's matmul_thin; the others its tiles.
        (100, 8, 8),
        (33, 40, 10),
        (17, 16, 200),
        (0, 5, 5),
        (33, 70, 17),
        (64, 128, 64),
        (130, 257, 9),
        (20, 300, 1),
    ];
    for (m, k, n) in sizes {
        for flags in 0..8u8 {
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
            let tol = Tol::new(1e-5 * (k as f32).sqrt().max(1.0), 1e-5);
            s.check(&format!("matmul {desc:?}"), &[tol], |be| {
                let (a, b, o) = (be.upload(&a)?, be.upload(&b)?, be.upload(&c)?);
                be.matmul(a, b, o, desc)?;
                Ok(vec![o])
            })
            .await;
        }
    }
}

/// Sum, mean and max over everything and over every axis.
pub async fn reduce(s: &mut Suite<'_>) {
    let mut rng = Rng::new(4);
    let shapes: &[&[usize]] = &[
        &[7, 300],
        &[2, 3, 4, 5],
        &[1],
        &[1000],
        &[3, 65, 2],
        &[3, 5, 4, 6],
    ];
    for dims in shapes {
        let Ok(shape) = Shape::new(dims) else {
            return s.expect(&format!("shape {dims:?}"), false);
        };
        let x = random(&mut rng, shape.numel(), -2.0, 2.0);
        let axes = std::iter::once(None).chain((0..dims.len()).map(Some));
        for axis in axes {
            for op in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max] {
                let out_len = axis.map_or(1, |a| shape.numel() / dims[a]);
                let what = format!("reduce {op:?} {dims:?} axis {axis:?}");
                s.check(&what, &[Tol::new(1e-4, 1e-5)], |be| {
                    let (xb, o) = (be.upload(&x)?, be.alloc(out_len)?);
                    be.reduce(op, xb, shape, axis, o)?;
                    Ok(vec![o])
                })
                .await;
            }
        }
    }
}

/// Softmax and log-softmax with their backward, on wide logits.
pub async fn softmax(s: &mut Suite<'_>) {
    let mut rng = Rng::new(6);
    for (rows, cols) in [(1, 1), (5, 3), (33, 10), (4, 130), (300, 2), (37, 19)] {
        let x = random(&mut rng, rows * cols, -20.0, 20.0);
        let dy = random(&mut rng, rows * cols, -1.0, 1.0);
        for log in [false, true] {
            let what = format!("softmax log={log} {rows}x{cols}, value and backward");
            let tols = [Tol::new(1e-5, 1e-5), Tol::new(1e-4, 1e-4)];
            s.check(&what, &tols, |be| {
                let (xb, y) = (be.upload(&x)?, be.alloc(rows * cols)?);
                let (d, dx) = (be.upload(&dy)?, be.alloc(rows * cols)?);
                be.softmax(xb, y, rows, cols, log)?;
                be.softmax_backward(y, d, dx, rows, cols, log)?;
                Ok(vec![y, dx])
            })
            .await;
        }
    }
}

/// Both cross-entropies with and without the gradient; softmax targets from `one_hot`.
pub async fn cross_entropy(s: &mut Suite<'_>) {
    let mut rng = Rng::new(6);
    let sizes = [(1, 1), (5, 3), (33, 10), (4, 130), (300, 2), (37, 19)];
    for (rows, cols) in sizes {
        let x = random(&mut rng, rows * cols, -20.0, 20.0);
        let labels: Vec<f32> = (0..rows).map(|_| rng.below(cols) as f32).collect();
        let bin: Vec<f32> = (0..rows * cols).map(|_| rng.below(2) as f32).collect();
        let scale = if (rows, cols) == (37, 19) {
            0.25
        } else {
            1.0 / rows as f32
        };
        for kind in [XentKind::Softmax, XentKind::Sigmoid] {
            let what = format!("cross_entropy {kind:?} {rows}x{cols}: targets, loss, grad, loss");
            let tols = [
                Tol::EXACT,
                Tol::new(1e-4, 1e-5),
                Tol::new(1e-5, 1e-4),
                Tol::new(1e-4, 1e-5),
            ];
            s.check(&what, &tols, |be| {
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
                be.cross_entropy(kind, z, t, rows, cols, loss, Some((grad, scale)))?;
                be.cross_entropy(kind, z, t, rows, cols, loss2, None)?;
                Ok(vec![t, loss, grad, loss2])
            })
            .await;
        }
    }
}
