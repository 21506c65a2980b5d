//! The one test suite every Neural Playground backend passes (burn's backend-tests pattern).
//!
//! Each case runs the same calls on the backend under test and on np-engine's plain
//! [`ReferenceBackend`](np_engine::backend::cpu::ReferenceBackend) and compares the results:
//! every op, odd sizes and sizes around the GPU's workgroup edges, broadcasting, every matmul
//! flag, every optimizer for three steps, dropout masks bit for bit, empty buffers, and the
//! errors the contract promises. A backend's test file instantiates it once:
//!
//! ```ignore
//! np_backend_tests::backend_tests!(Box::new(np_engine::backend::cpu::CpuBackend::new()));
//! ```
//!
//! which makes one `#[test]` per case, each on a fresh backend from the expression. In the
//! browser, `backend_tests!(browser: expr, Precision::Wgsl)` makes `#[wasm_bindgen_test]` async
//! tests from an expression that is awaited for each backend. What only one backend has (GPU dispatch limits,
//! device loss) is tested beside that backend, with [`Suite::check`] directly.

mod cases;
mod deferred;
mod suite;

pub use cases::*;
pub use deferred::Deferred;
pub use suite::{random, Precision, Report, Suite, Tol, WGSL_TRIG_ABS};

/// Waits for a future on this thread (native tests; the browser awaits instead).
#[cfg(not(target_arch = "wasm32"))]
pub use pollster::block_on;

/// One test per case of the suite, on a fresh backend each. `$make` is an expression of type
/// `Box<dyn Backend>`; with `browser:` it is a future of one, the tests are
/// `wasm_bindgen_test`s (the calling crate depends on wasm-bindgen-test), and a [`Precision`]
/// follows the expression.
#[macro_export]
macro_rules! backend_tests {
    (browser: $make:expr, $precision:expr) => {
        $crate::backend_tests!(@cases browser [$make] [$precision]);
    };
    ($make:expr) => {
        $crate::backend_tests!(@cases native [$make] [$crate::Precision::Full]);
    };
    (@cases $kind:ident [$make:expr] [$precision:expr]) => {
        $crate::backend_tests!(@each $kind [$make] [$precision]
            unary binary helpers matmul reduce softmax cross_entropy optimizer_step dropout_mask
            indexing errors empty_buffers);
    };
    (@each native [$make:expr] [$precision:expr] $($case:ident)*) => {$(
        #[test]
        fn $case() {
            let mut backend: Box<dyn $crate::__Backend> = $make;
            let mut suite = $crate::Suite::new(&mut *backend).with_precision($precision);
            $crate::block_on($crate::$case(&mut suite));
            suite.finish().assert_clean(stringify!($case));
        }
    )*};
    (@each browser [$make:expr] [$precision:expr] $($case:ident)*) => {$(
        #[wasm_bindgen_test::wasm_bindgen_test]
        async fn $case() {
            let mut backend: Box<dyn $crate::__Backend> = $make.await;
            let mut suite = $crate::Suite::new(&mut *backend).with_precision($precision);
            $crate::$case(&mut suite).await;
            suite.finish().assert_clean(stringify!($case));
        }
    )*};
}

/// Inside `impl Backend for Wrapper`, where `Wrapper` holds another backend in its field `.0`:
/// the memory methods (`alloc`, `upload`, `write`, `release`, `buffer_len`) forwarded to it, so a
/// test backend writes only what it changes (its name, reads, `exec`).
#[macro_export]
macro_rules! forward_memory_to_inner {
    () => {
        fn alloc(&mut self, len: usize) -> $crate::__Result<$crate::__BufferId> {
            self.0.alloc(len)
        }
        fn upload(&mut self, data: &[f32]) -> $crate::__Result<$crate::__BufferId> {
            self.0.upload(data)
        }
        fn write(&mut self, buf: $crate::__BufferId, data: &[f32]) -> $crate::__Result<()> {
            self.0.write(buf, data)
        }
        fn release(&mut self, buf: $crate::__BufferId) {
            self.0.release(buf)
        }
        fn buffer_len(&self, buf: $crate::__BufferId) -> $crate::__Result<usize> {
            self.0.buffer_len(buf)
        }
    };
}

#[doc(hidden)]
pub use np_engine::Backend as __Backend;
#[doc(hidden)]
pub use np_engine::{BufferId as __BufferId, Result as __Result};
