//! One test suite for every backend: each op on random inputs (odd sizes, broadcasting, every
//! flag) run on the candidate and on [`CpuBackend`], results compared. Written once here so the
//! WebGPU backend passes the very same checks as the CPU (as burn-backend-tests does).
//!
//! ```ignore
//! let report = pollster::block_on(np_engine::backend::conformance::check(&mut gpu, 1e-4))?;
//! assert!(report.failures.is_empty(), "{:#?}", report.failures);
//! ```

use super::cpu::CpuBackend;
use super::{Backend, BinaryOp, BufferId, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use crate::error::Result;
use crate::rng::Rng;
use crate::shape::Shape;

/// What the suite found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Comparisons made.
    pub checks: usize,
    /// One line per mismatch: the op, the element, both values.
    pub failures: Vec<String>,
}

/// A buffer on both backends.
#[derive(Clone, Copy, Debug)]
struct Both(BufferId, BufferId);

struct Pair<'a> {
    cpu: CpuBackend,
    cand: &'a mut dyn Backend,
    rng: Rng,
    tol: f32,
    report: Report,
}

impl Pair<'_> {
    fn random(&mut self, n: usize, lo: f64, hi: f64) -> Result<Both> {
        let data: Vec<f32> = (0..n).map(|_| self.rng.uniform(lo, hi) as f32).collect();
        self.upload(&data)
    }
    fn upload(&mut self, data: &[f32]) -> Result<Both> {
        Ok(Both(self.cpu.upload(data)?, self.cand.upload(data)?))
    }
    fn alloc(&mut self, n: usize) -> Result<Both> {
        Ok(Both(self.cpu.alloc(n)?, self.cand.alloc(n)?))
    }
    /// Run the same call on both backends, each with its own ids.
    fn run(
        &mut self,
        bufs: &[Both],
        f: impl Fn(&mut dyn Backend, &[BufferId]) -> Result<()>,
    ) -> Result<()> {
        let ids: Vec<BufferId> = bufs.iter().map(|b| b.0).collect();
        f(&mut self.cpu, &ids)?;
        let ids: Vec<BufferId> = bufs.iter().map(|b| b.1).collect();
        f(self.cand, &ids)
    }
    async fn compare(&mut self, what: &str, b: Both) -> Result<()> {
        let want = self.cpu.read_blocking(b.0)?;
        let got = self.cand.read(b.1).await?;
        self.report.checks += 1;
        if want.len() != got.len() {
            self.report
                .failures
                .push(format!("{what}: length {} vs {}", got.len(), want.len()));
            return Ok(());
        }
        if let Some((i, (g, w))) = got.iter().zip(&want).enumerate().find(|(_, (g, w))| {
            !(g == w || (g.is_nan() && w.is_nan()) || (*g - *w).abs() <= self.tol * (1.0 + w.abs()))
        }) {
            self.report
                .failures
                .push(format!("{what}[{i}]: candidate {g}, cpu {w}"));
        }
        Ok(())
    }
}

/// Run every op on `candidate` and on the CPU backend and compare within relative `tol`
/// (`|a - b| <= tol (1 + |b|)`; dropout masks, one-hot, argmax and gathers must match exactly
/// in practice since they are 0/1 or copies). Buffers it allocates on the candidate are
/// released only where convenient; use a fresh backend.
pub async fn check(candidate: &mut dyn Backend, tol: f32) -> Result<Report> {
    let mut p = Pair {
        cpu: CpuBackend::new(),
        cand: candidate,
        rng: Rng::new(2024),
        tol,
        report: Report::default(),
    };
    let (r, c) = (37, 19);
    let n = r * c;

    let unary = [
        (UnaryOp::Identity, -3.0, 3.0),
        (UnaryOp::Neg, -3.0, 3.0),
        (UnaryOp::Exp, -5.0, 5.0),
        (UnaryOp::Log, 0.1, 5.0),
        (UnaryOp::Sqrt, 0.1, 5.0),
        (UnaryOp::Square, -3.0, 3.0),
        (UnaryOp::Powf(2.5), 0.1, 3.0),
        (UnaryOp::Abs, -3.0, 3.0),
        (UnaryOp::Sin, -4.0, 4.0),
        (UnaryOp::Cos, -4.0, 4.0),
        (UnaryOp::Sigmoid, -8.0, 8.0),
        (UnaryOp::Tanh, -4.0, 4.0),
        (UnaryOp::Relu, -3.0, 3.0),
        (UnaryOp::LeakyRelu(0.1), -3.0, 3.0),
        (UnaryOp::Elu(1.0), -3.0, 3.0),
        (UnaryOp::Step, -3.0, 3.0),
        (
            UnaryOp::Clip {
                min: -0.5,
                max: 1.0,
            },
            -3.0,
            3.0,
        ),
        (UnaryOp::AddScalar(0.7), -3.0, 3.0),
        (UnaryOp::MulScalar(-1.3), -3.0, 3.0),
    ];
    for (op, lo, hi) in unary {
        let x = p.random(n, lo, hi)?;
        let (y, dy, dx) = (p.alloc(n)?, p.random(n, -1.0, 1.0)?, p.alloc(n)?);
        p.run(&[x, y], |be, b| be.unary(op, b[0], b[1]))?;
        p.compare(&format!("unary {op:?}"), y).await?;
        p.run(&[x, y, dy, dx], |be, b| {
            be.unary_backward(op, b[0], b[1], b[2], b[3])
        })?;
        p.compare(&format!("unary_backward {op:?}"), dx).await?;
    }

    let shapes: [(&[usize], &[usize]); 8] = [
        (&[5, 7], &[5, 7]),
        (&[5, 7], &[7]),
        (&[6, 6], &[6, 1]), // a column as long as a row
        (&[6], &[6, 6]),
        (&[5, 1], &[1, 7]),
        (&[2, 3, 5], &[3, 1]),
        (&[4, 6], &[]),
        (&[2, 1, 3, 4], &[5, 1, 1]),
    ];
    for op in [
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Maximum,
        BinaryOp::Minimum,
        BinaryOp::Greater,
        BinaryOp::Equal,
    ] {
        for (da, db) in shapes {
            let (sa, sb) = (Shape::new(da)?, Shape::new(db)?);
            let so = Shape::broadcast(sa, sb)?;
            let a = p.random(sa.numel(), -2.0, 2.0)?;
            let b = p.random(sb.numel(), 0.5, 2.0)?;
            let o = p.alloc(so.numel())?;
            p.run(&[a, b, o], |be, x| be.binary(op, x[0], sa, x[1], sb, x[2]))?;
            p.compare(&format!("binary {op:?} {da:?} {db:?}"), o)
                .await?;
            let e = p.alloc(so.numel())?;
            p.run(&[b, e], |be, x| be.expand(x[0], sb, x[1], so))?;
            p.compare(&format!("expand {db:?} -> {:?}", so.dims()), e)
                .await?;
        }
    }

    let cond = p.upload(
        &(0..n)
            .map(|i| f32::from(u8::from(i % 3 == 0)))
            .collect::<Vec<_>>(),
    )?;
    let (a, b, o) = (
        p.random(n, -1.0, 1.0)?,
        p.random(n, -1.0, 1.0)?,
        p.alloc(n)?,
    );
    p.run(&[cond, a, b, o], |be, x| be.select(x[0], x[1], x[2], x[3]))?;
    p.compare("select", o).await?;
    p.run(&[a, b], |be, x| be.axpy(-0.75, x[0], x[1]))?;
    p.compare("axpy", b).await?;
    p.run(&[a, o], |be, x| be.copy(x[0], x[1]))?;
    p.compare("copy", o).await?;
    p.run(&[o], |be, x| be.fill(x[0], 2.5))?;
    p.compare("fill", o).await?;

    for &(m, k, nn) in &[
        (1, 1, 1),
        (7, 5, 3),
        (33, 70, 17),
        (64, 128, 64),
        (130, 257, 9),
        (20, 300, 1),
    ] {
        for flags in 0..8u8 {
            let d = MatmulDesc {
                m,
                k,
                n: nn,
                trans_a: flags & 1 != 0,
                trans_b: flags & 2 != 0,
                accumulate: flags & 4 != 0,
            };
            let (a, b, o) = (
                p.random(m * k, -1.0, 1.0)?,
                p.random(k * nn, -1.0, 1.0)?,
                p.random(m * nn, -1.0, 1.0)?,
            );
            p.run(&[a, b, o], |be, x| be.matmul(x[0], x[1], x[2], d))?;
            p.compare(&format!("matmul {d:?}"), o).await?;
        }
    }

    let s = Shape::new(&[3, 5, 4, 6])?;
    let x = p.random(s.numel(), -3.0, 3.0)?;
    for op in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max] {
        for axis in [None, Some(0), Some(1), Some(2), Some(3)] {
            let len = axis.map_or(Ok(1), |a| s.reduced(a).map(|r| r.numel()))?;
            let o = p.alloc(len)?;
            p.run(&[x, o], |be, b| be.reduce(op, b[0], s, axis, b[1]))?;
            p.compare(&format!("reduce {op:?} {axis:?}"), o).await?;
        }
    }

    for log in [false, true] {
        let (x, y, dy, dx) = (
            p.random(n, -6.0, 6.0)?,
            p.alloc(n)?,
            p.random(n, -1.0, 1.0)?,
            p.alloc(n)?,
        );
        p.run(&[x, y], |be, b| be.softmax(b[0], b[1], r, c, log))?;
        p.compare(&format!("softmax log={log}"), y).await?;
        p.run(&[y, dy, dx], |be, b| {
            be.softmax_backward(b[0], b[1], b[2], r, c, log)
        })?;
        p.compare(&format!("softmax_backward log={log}"), dx)
            .await?;
    }
    for act in [
        UnaryOp::Identity,
        UnaryOp::Relu,
        UnaryOp::Tanh,
        UnaryOp::Sigmoid,
        UnaryOp::Elu(1.0),
    ] {
        let (x, bias, o) = (
            p.random(n, -3.0, 3.0)?,
            p.random(c, -1.0, 1.0)?,
            p.alloc(n)?,
        );
        p.run(&[x, bias, o], |be, b| {
            be.bias_act(b[0], b[1], b[2], r, c, act)
        })?;
        p.compare(&format!("bias_act {act:?}"), o).await?;
    }
    let labels: Vec<f32> = (0..r).map(|i| (i % c) as f32).collect();
    let lab = p.upload(&labels)?;
    let onehot = p.alloc(n)?;
    p.run(&[lab, onehot], |be, b| be.one_hot(b[0], c, b[1]))?;
    p.compare("one_hot", onehot).await?;
    for kind in [XentKind::Softmax, XentKind::Sigmoid] {
        let (z, loss, g) = (p.random(n, -8.0, 8.0)?, p.alloc(r)?, p.alloc(n)?);
        p.run(&[z, onehot, loss, g], |be, b| {
            be.cross_entropy(kind, b[0], b[1], r, c, b[2], Some((b[3], 0.25)))
        })?;
        p.compare(&format!("cross_entropy {kind:?} loss"), loss)
            .await?;
        p.compare(&format!("cross_entropy {kind:?} grad"), g)
            .await?;
    }
    let (x, am) = (p.random(n, -3.0, 3.0)?, p.alloc(r)?);
    p.run(&[x, am], |be, b| be.argmax(b[0], r, c, b[1]))?;
    p.compare("argmax", am).await?;
    let idx = [3u32, 0, 36, 3, 17];
    let out = p.alloc(idx.len() * c)?;
    p.run(&[x, out], |be, b| be.gather_rows(b[0], c, &idx, b[1]))?;
    p.compare("gather_rows", out).await?;
    let mask = p.alloc(1000)?;
    p.run(&[mask], |be, b| be.dropout_mask(b[0], 77, 12_345, 0.6))?;
    p.compare("dropout_mask", mask).await?;

    for rule in [
        UpdateRule::sgd(0.1),
        UpdateRule::momentum(0.1, 0.9),
        UpdateRule::nesterov(0.1, 0.9),
        UpdateRule::adagrad(0.1),
        UpdateRule::rmsprop(0.01),
        UpdateRule::adam(0.01),
    ] {
        let param = p.random(n, -1.0, 1.0)?;
        let mut state = Vec::new();
        for _ in 0..rule.state_buffers() {
            let s = p.alloc(n)?;
            p.run(&[s], |be, b| be.fill(b[0], rule.state_init()))?;
            state.push(s);
        }
        for step in 1..=3 {
            let g = p.random(n, -1.0, 1.0)?;
            let mut bufs = vec![param, g];
            bufs.extend(&state);
            p.run(&bufs, |be, b| {
                be.optimizer_step(rule, step, b[0], b[1], &b[2..])
            })?;
        }
        p.compare(&format!("optimizer_step {rule:?}"), param)
            .await?;
        for (i, s) in state.into_iter().enumerate() {
            p.compare(&format!("optimizer_step {rule:?} state {i}"), s)
                .await?;
        }
    }
    Ok(p.report)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests stop at the failing line
mod tests {
    use super::*;
    use crate::backend::poll_once;

    fn run(be: &mut CpuBackend, tol: f32) -> Report {
        poll_once(Box::pin(check(be, tol))).unwrap().unwrap()
    }

    #[test]
    fn the_cpu_backend_conforms_and_the_suite_sees_differences() {
        let report = run(&mut CpuBackend::new(), 0.0);
        assert!(
            report.checks > 200 && report.failures.is_empty(),
            "{report:?}"
        );
        // The reference matmul differs from the blocked one only by rounding...
        assert!(run(&mut CpuBackend::with_reference_matmul(), 1e-5)
            .failures
            .is_empty());
        // ...which a zero tolerance does see.
        let strict = run(&mut CpuBackend::with_reference_matmul(), 0.0);
        assert!(
            strict.failures.iter().any(|f| f.starts_with("matmul")),
            "{strict:?}"
        );
    }
}
