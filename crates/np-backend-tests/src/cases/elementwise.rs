//! Unary ops and their backward, the fused bias + activation, broadcasting binary ops, expand,
//! and the small helpers (select, axpy, fill, copy, write).

use crate::suite::{random, Precision, Suite, Tol, WGSL_TRIG_ABS};
use np_engine::backend::{BinaryOp, UnaryOp};
use np_engine::rng::Rng;
use np_engine::Shape;

/// Every unary op with an input range where it is defined and interesting.
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
        (Powf(2.5), 0.1, 3.0),
        (Abs, -3.0, 3.0),
        (Sin, -3.0, 3.0),
        (Cos, -3.0, 3.0),
        (Sigmoid, -30.0, 30.0),
        (Tanh, -30.0, 30.0),
        (Relu, -3.0, 3.0),
        (LeakyRelu(0.1), -3.0, 3.0),
        (Elu(1.5), -3.0, 3.0),
        (Elu(1.0), -3.0, 3.0),
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

/// Each unary op forward and backward at sizes around the GPU's 256-thread workgroups, then as
/// the activation of `bias_act`.
pub async fn unary(s: &mut Suite<'_>) {
    let mut rng = Rng::new(2);
    for (op, lo, hi) in unary_ops() {
        let trig = matches!(op, UnaryOp::Sin | UnaryOp::Cos);
        let (value_tol, backward_tol, bias_act_tol) = if trig && s.precision() == Precision::Wgsl {
            let t = Tol::new(WGSL_TRIG_ABS, 0.0);
            (t, t, t)
        } else {
            (
                Tol::new(1e-5, 2e-5),
                Tol::new(1e-4, 1e-4),
                Tol::new(1e-5, 2e-5),
            )
        };
        for n in [1usize, 255, 257, 703, 5000] {
            let x = random(&mut rng, n, lo, hi);
            let dy = random(&mut rng, n, -1.0, 1.0);
            let what = format!("unary {op:?} n={n}, value and backward");
            s.check(&what, &[value_tol, backward_tol], |be| {
                let (xb, y) = (be.upload(&x)?, be.alloc(n)?);
                let (d, dx) = (be.upload(&dy)?, be.alloc(n)?);
                be.unary(op, xb, y)?;
                be.unary_backward(op, xb, y, d, dx)?;
                Ok(vec![y, dx])
            })
            .await;
        }
        let (rows, cols) = (37, 19);
        let x = random(&mut rng, rows * cols, lo, hi);
        let bias = random(&mut rng, cols, -0.5, 0.5);
        s.check(&format!("bias_act {op:?}"), &[bias_act_tol], |be| {
            let (xb, bb, o) = (be.upload(&x)?, be.upload(&bias)?, be.alloc(rows * cols)?);
            be.bias_act(xb, bb, o, rows, cols, op)?;
            Ok(vec![o])
        })
        .await;
    }
}

const BINARY_OPS: [BinaryOp; 8] = [
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Maximum,
    BinaryOp::Minimum,
    BinaryOp::Greater,
    BinaryOp::Equal,
];

/// Every binary op under NumPy broadcasting, on small integers (so `Equal` has hits and `Div`
/// no zero) and on random floats; `expand` of either operand to the result's shape.
pub async fn binary(s: &mut Suite<'_>) {
    let mut rng = Rng::new(3);
    let cases: &[(&[usize], &[usize])] = &[
        (&[3, 1], &[4]),
        (&[2, 3, 4], &[3, 1]),
        (&[5], &[]),
        (&[2, 1, 3, 1], &[1, 4, 1, 5]),
        (&[300, 7], &[300, 7]),
        (&[1], &[1000]),
        (&[5, 7], &[5, 7]),
        (&[5, 7], &[7]),
        (&[6, 6], &[6, 1]), // a column as long as a row
        (&[6], &[6, 6]),
        (&[5, 1], &[1, 7]),
        (&[2, 3, 5], &[3, 1]),
        (&[4, 6], &[]),
        (&[2, 1, 3, 4], &[5, 1, 1]),
    ];
    for (ad, bd) in cases {
        let shapes = (Shape::new(ad), Shape::new(bd));
        let (Ok(sa), Ok(sb)) = shapes else {
            return s.expect(&format!("shapes {ad:?} {bd:?}"), false);
        };
        let Ok(so) = Shape::broadcast(sa, sb) else {
            return s.expect(&format!("broadcast {ad:?} {bd:?}"), false);
        };
        let ints = (
            (0..sa.numel())
                .map(|_| (rng.below(5) as f32) - 2.0)
                .collect::<Vec<_>>(),
            (0..sb.numel())
                .map(|_| (rng.below(4) as f32) + 0.5)
                .collect::<Vec<_>>(),
        );
        let floats = (
            random(&mut rng, sa.numel(), -2.0, 2.0),
            random(&mut rng, sb.numel(), 0.5, 2.0),
        );
        for (kind, (a, b)) in [("integers", ints), ("floats", floats)] {
            for op in BINARY_OPS {
                let what = format!("binary {op:?} {ad:?} {bd:?} on {kind}");
                s.check(&what, &[Tol::new(1e-6, 1e-6)], |be| {
                    let (x, y, o) = (be.upload(&a)?, be.upload(&b)?, be.alloc(so.numel())?);
                    be.binary(op, x, sa, y, sb, o)?;
                    Ok(vec![o])
                })
                .await;
            }
            let what = format!("expand {ad:?} and {bd:?} to {:?}", so.dims());
            s.check(&what, &[Tol::EXACT], |be| {
                let (x, ox) = (be.upload(&a)?, be.alloc(so.numel())?);
                be.expand(x, sa, ox, so)?;
                let (y, oy) = (be.upload(&b)?, be.alloc(so.numel())?);
                be.expand(y, sb, oy, so)?;
                Ok(vec![ox, oy])
            })
            .await;
        }
    }
}

/// `select`, `axpy`, `fill`, `copy` and a `write` that must land after the copy before it.
pub async fn helpers(s: &mut Suite<'_>) {
    let mut rng = Rng::new(3);
    for n in [1031, 703] {
        let c: Vec<f32> = if n == 703 {
            (0..n).map(|i| f32::from(u8::from(i % 3 == 0))).collect()
        } else {
            random(&mut rng, n, -1.0, 1.0)
                .iter()
                .map(|v| f32::from(*v > 0.0))
                .collect()
        };
        let (a, b) = (
            random(&mut rng, n, -1.0, 1.0),
            random(&mut rng, n, -1.0, 1.0),
        );
        let what = format!("n={n}: select, axpy, fill, copy, write");
        s.check(&what, &[Tol::new(1e-6, 1e-6)], |be| {
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
        })
        .await;
    }
}
