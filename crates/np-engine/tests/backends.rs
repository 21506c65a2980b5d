//! The backend test suite (crates/np-backend-tests) on the CPU backend, on the CPU backend with
//! the plain triple-loop matmul, and on a backend whose reads complete late; and the suite
//! itself seeing differences.

use np_backend_tests::{backend_tests, block_on, Deferred, Suite};
use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{Call, ReadFuture, UnaryOp};
use np_engine::{Backend, BufferId, Result};

mod cpu {
    use super::*;
    backend_tests!(Box::new(CpuBackend::new()));
}

mod cpu_reference_matmul {
    use super::*;
    backend_tests!(Box::new(CpuBackend::with_reference_matmul()));
}

mod deferred {
    use super::*;
    backend_tests!(Box::new(Deferred::default()));
}

/// The CPU backend with one wrong kernel: `tanh` computed as the logistic sigmoid.
#[derive(Debug, Default)]
struct WrongTanh(CpuBackend);

impl Backend for WrongTanh {
    fn name(&self) -> String {
        "wrong tanh".into()
    }
    np_backend_tests::forward_memory_to_inner!();
    fn read(&self, buf: BufferId) -> ReadFuture {
        self.0.read(buf)
    }
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        match call {
            Call::Unary {
                op: UnaryOp::Tanh,
                x,
                out,
            } => self.0.unary(UnaryOp::Sigmoid, x, out),
            other => self.0.exec(other),
        }
    }
}

#[test]
fn the_suite_sees_differences() {
    // The f32 triple loop differs from the reference's f64 sums only by rounding, which a zero
    // tolerance does see.
    let mut cpu = CpuBackend::with_reference_matmul();
    let mut strict = Suite::new(&mut cpu).with_tolerance_scale(0.0);
    block_on(np_backend_tests::matmul(&mut strict));
    let strict = strict.finish();
    assert!(
        strict.failures.iter().any(|f| f.starts_with("matmul")),
        "{strict:?}"
    );
    // One wrong kernel fails the case that covers it, and only where it is used.
    let mut wrong = WrongTanh::default();
    let mut suite = Suite::new(&mut wrong);
    block_on(np_backend_tests::unary(&mut suite));
    let report = suite.finish();
    assert!(!report.failures.is_empty());
    assert!(
        report.failures.iter().all(|f| f.contains("Tanh")),
        "{:#?}",
        report.failures
    );
}
