//! The fused training kernels (optimizer steps, dropout masks), indexing, and the contract's
//! edges: empty buffers, and errors instead of out-of-bounds access.

use crate::suite::{random, Suite, Tol};
use np_engine::backend::{MatmulDesc, UnaryOp, UpdateRule};
use np_engine::rng::Rng;

/// Three steps of every update rule (PyTorch's definitions), with explicit hyperparameters and
/// with the constructors' defaults; the parameter and every state buffer are compared.
pub async fn optimizer_step(s: &mut Suite<'_>) {
    let mut rng = Rng::new(7);
    let explicit = [
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
    let defaults = [
        UpdateRule::sgd(0.1),
        UpdateRule::momentum(0.1, 0.9),
        UpdateRule::nesterov(0.1, 0.9),
        UpdateRule::adagrad(0.1),
        UpdateRule::rmsprop(0.01),
        UpdateRule::adam(0.01),
    ];
    let runs = explicit
        .iter()
        .flat_map(|&r| [(r, 1usize), (r, 300), (r, 4099)])
        .chain(defaults.iter().map(|&r| (r, 703)));
    for (rule, n) in runs {
        let p0 = random(&mut rng, n, -1.0, 1.0);
        let grads: Vec<Vec<f32>> = (0..3).map(|_| random(&mut rng, n, -1.0, 1.0)).collect();
        let what = format!("optimizer_step {rule:?} n={n}: param, state");
        s.check(&what, &[Tol::new(1e-6, 1e-5)], |be| {
            let p = be.upload(&p0)?;
            let mut out = vec![p];
            for _ in 0..rule.state_buffers() {
                let st = be.alloc(n)?;
                be.fill(st, rule.state_init())?;
                out.push(st);
            }
            let gb = be.alloc(n)?;
            for (t, g) in grads.iter().enumerate() {
                be.write(gb, g)?;
                be.optimizer_step(rule, t as u64 + 1, p, gb, &out[1..])?;
            }
            Ok(out)
        })
        .await;
    }
}

/// Dropout masks equal the CPU's counter hash bit for bit, also where the counter wraps.
pub async fn dropout_mask(s: &mut Suite<'_>) {
    for (n, seed, offset, keep) in [
        (1usize, 0u32, 0u32, 0.5f32),
        (1000, 42, 7, 0.8),
        (1000, 77, 12_345, 0.6),
        (70_001, 9, u32::MAX - 5, 0.3),
    ] {
        let what = format!("dropout_mask n={n} seed={seed} offset={offset} keep={keep}");
        s.check(&what, &[Tol::EXACT], |be| {
            let m = be.alloc(n)?;
            be.dropout_mask(m, seed, offset, keep)?;
            Ok(vec![m])
        })
        .await;
    }
}

/// `gather_rows`, `one_hot` (labels outside the classes give zero rows) and `argmax`, exactly.
pub async fn indexing(s: &mut Suite<'_>) {
    let mut rng = Rng::new(8);
    let (n, cols) = (500, 7);
    let src = random(&mut rng, n * cols, -1.0, 1.0);
    let idx: Vec<u32> = (0..129).map(|_| rng.below(n) as u32).collect();
    // Some labels fall outside 0..10.
    let labels: Vec<f32> = (0..300).map(|_| rng.below(12) as f32 - 1.0).collect();
    s.check("gather_rows, one_hot, argmax", &[Tol::EXACT], |be| {
        let (sb, o) = (be.upload(&src)?, be.alloc(idx.len() * cols)?);
        be.gather_rows(sb, cols, &idx, o)?;
        let (l, oh) = (be.upload(&labels)?, be.alloc(300 * 10)?);
        be.one_hot(l, 10, oh)?;
        let am = be.alloc(n)?;
        be.argmax(sb, n, cols, am)?;
        Ok(vec![o, oh, am])
    })
    .await;
    let (rows, cols) = (37, 19);
    let x = random(&mut rng, rows * cols, -3.0, 3.0);
    let labels: Vec<f32> = (0..rows).map(|i| (i % cols) as f32).collect();
    let idx = [3u32, 0, 36, 3, 17];
    s.check("37x19: gather_rows, one_hot, argmax", &[Tol::EXACT], |be| {
        let (xb, o) = (be.upload(&x)?, be.alloc(idx.len() * cols)?);
        be.gather_rows(xb, cols, &idx, o)?;
        let (l, oh) = (be.upload(&labels)?, be.alloc(rows * cols)?);
        be.one_hot(l, cols, oh)?;
        let am = be.alloc(rows)?;
        be.argmax(xb, rows, cols, am)?;
        Ok(vec![o, oh, am])
    })
    .await;
}

/// A bad index or a wrong length is an error, and the output is left as it was.
pub async fn errors(s: &mut Suite<'_>) {
    let (n, cols) = (500, 7);
    let be = s.candidate();
    let src = vec![0.5; n * cols];
    let checks = (|| {
        let sb = be.upload(&src)?;
        let o = be.alloc(cols)?;
        let bad_index = be.gather_rows(sb, cols, &[n as u32], o).is_err();
        let bad_length = be.matmul(sb, sb, o, MatmulDesc::new(2, 2, 2)).is_err();
        np_engine::Result::Ok((bad_index, bad_length, o))
    })();
    match checks {
        Ok((bad_index, bad_length, o)) => {
            let untouched = s.candidate().read(o).await;
            s.expect("an out-of-range gather index is an error", bad_index);
            s.expect(
                "a matmul on buffers of the wrong length is an error",
                bad_length,
            );
            s.expect(
                "the output of the failed calls is unchanged",
                untouched.is_ok_and(|v| v == vec![0.0; cols]),
            );
        }
        Err(e) => s.expect(&format!("setting up the error checks: {e}"), false),
    }
}

/// Empty buffers go through every kind of op.
pub async fn empty_buffers(s: &mut Suite<'_>) {
    s.check("empty buffers", &[Tol::EXACT], |be| {
        let (x, y) = (be.upload(&[])?, be.alloc(0)?);
        be.unary(UnaryOp::Exp, x, y)?;
        be.fill(y, 3.0)?;
        let z = be.alloc(0)?;
        be.matmul(x, y, z, MatmulDesc::new(0, 0, 0))?;
        let sm = be.alloc(0)?;
        be.softmax(x, sm, 0, 5, false)?;
        Ok(vec![y, z, sm])
    })
    .await;
}
