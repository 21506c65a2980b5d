//! Every backend op, declared once.
//!
//! [`backend_ops!`] holds the one list: each op's name, its arguments in call order, and the role
//! of each argument (a plain value, a buffer it reads, a buffer it writes, ...). Generator macros
//! turn that list into everything that would otherwise be written per op:
//! - [`Call`]: one op call as a value, the argument of [`Backend::exec`], the only op method a
//!   backend implements;
//! - the [`Backend`] methods the engine calls (`backend.matmul(a, b, out, desc)`), each building
//!   its [`Call`] and handing it to `exec`;
//! - [`CallRecord`]: an owned copy of a call (a journal entry), with the buffers it writes
//!   ([`Call::outputs`]) and its buffer ids translated ([`Call::map_buffers`]).
//!
//! Argument roles: `value(T)` a plain `Copy` value; `read` a buffer the op only reads; `write` a
//! buffer it overwrites; `update` a buffer it reads and writes (`axpy`'s `y`, an accumulating
//! matmul's `out`); `scaled_write` an optional output with a scale (`Option<(BufferId, f32)>`);
//! `updates` a list of buffers read and written (`&[BufferId]`); `indices` host-side row
//! indices (`&[u32]`). In a [`Call`] the two lists are borrowed, so building and running one
//! allocates nothing.
//!
//! [`Backend`]: super::Backend
//! [`Backend::exec`]: super::Backend::exec

use super::{BinaryOp, BufferId, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use crate::error::Result;
use crate::shape::Shape;

/// The list of backend ops, expanded by the generator macro `$gen`. The doc comment of each op
/// becomes the doc of its [`Backend`](super::Backend) method and of its [`Call`] variant.
macro_rules! backend_ops {
    ($gen:ident) => {
        $gen! {
            /// Copy `src` into `dst` (same length).
            Copy => copy(src: read, dst: write);
            /// Set every element of `dst` to `value`.
            Fill => fill(dst: write, value: value(f32));

            /// `out[i] = op(x[i])`. `x` and `out` have the same length.
            Unary => unary(op: value(UnaryOp), x: read, out: write);
            /// The backward of a unary op: `dx[i] = dy[i] * op'(x[i])`, where the derivative may
            /// use the forward output `y[i] = op(x[i])` (see [`UnaryOp::derivative`]). All four
            /// buffers have the same length.
            UnaryBackward => unary_backward(
                op: value(UnaryOp), x: read, y: read, dy: read, dx: write
            );
            /// `out = op(a, b)` with NumPy broadcasting.
            /// # Shapes
            /// `a: a_shape`, `b: b_shape`, `out: Shape::broadcast(a_shape, b_shape)`.
            Binary => binary(
                op: value(BinaryOp), a: read, a_shape: value(Shape), b: read,
                b_shape: value(Shape), out: write
            );
            /// Broadcast `x` up to `out_shape` (the gradient of a sum; the value of a bias row).
            /// # Shapes
            /// `x: x_shape` (broadcastable to `out_shape`), `out: out_shape`.
            Expand => expand(x: read, x_shape: value(Shape), out: write, out_shape: value(Shape));
            /// `out[i] = cond[i] != 0 ? a[i] : b[i]` (where / mask). All the same length.
            Select => select(cond: read, a: read, b: read, out: write);
            /// `y += alpha * x`, in place (gradient accumulation). Same length.
            Axpy => axpy(alpha: value(f32), x: read, y: update);

            /// `out = op(a) @ op(b)` (or `out += ...` with `desc.accumulate`), where `op`
            /// transposes when the flag is set.
            /// # Shapes
            /// `a: [m, k]` (stored `[k, m]` if `trans_a`), `b: [k, n]` (stored `[n, k]` if
            /// `trans_b`), `out: [m, n]`.
            Matmul => matmul(a: read, b: read, out: update, desc: value(MatmulDesc));
            /// Reduce over one axis (kept as size 1) or over everything (`axis: None`, out has
            /// length 1).
            /// # Shapes
            /// `x: shape`, `out: shape.reduced(axis)` or `[1]`.
            Reduce => reduce(
                op: value(ReduceOp), x: read, shape: value(Shape), axis: value(Option<usize>),
                out: write
            );
            /// Row-wise softmax, or log-softmax when `log`; numerically stable (max subtracted).
            /// # Shapes
            /// `x, out: [rows, cols]`.
            Softmax => softmax(
                x: read, out: write, rows: value(usize), cols: value(usize), log: value(bool)
            );
            /// Backward of [`Backend::softmax`](super::Backend::softmax) given its output `y` and
            /// the upstream gradient `dy`: softmax: `dx = y * (dy - sum_j(dy * y))`;
            /// log-softmax: `dx = dy - exp(y) * sum_j(dy)`.
            /// # Shapes
            /// `y, dy, dx: [rows, cols]`.
            SoftmaxBackward => softmax_backward(
                y: read, dy: read, dx: write, rows: value(usize), cols: value(usize),
                log: value(bool)
            );

            /// `out = act(x + bias)` with the bias row broadcast over rows (a Dense layer's tail).
            /// # Shapes
            /// `x, out: [rows, cols]`, `bias: [cols]`.
            BiasAct => bias_act(
                x: read, bias: read, out: write, rows: value(usize), cols: value(usize),
                act: value(UnaryOp)
            );
            /// Cross-entropy from logits, stable, per row; with `grad` also its gradient with
            /// respect to the logits scaled by `grad_scale` (1/rows for a mean loss):
            /// softmax: `loss_r = logsumexp(z_r) - sum_j t_rj z_rj`,
            /// `grad = (softmax(z) - t) * scale`; sigmoid (binary, elementwise, summed over
            /// cols): `loss = max(z,0) - z t + log(1 + exp(-|z|))`,
            /// `grad = (sigmoid(z) - t) * scale`.
            /// # Shapes
            /// `logits, targets, grad: [rows, cols]` (targets one-hot or probabilities),
            /// `loss: [rows]`.
            CrossEntropy => cross_entropy(
                kind: value(XentKind), logits: read, targets: read, rows: value(usize),
                cols: value(usize), loss: write, grad: scaled_write
            );
            /// Apply one optimizer step to one parameter tensor, in place, with its state buffers
            /// (`rule.state_buffers()` of them, each as long as the parameter, zero at the
            /// start). `step` counts from 1 (Adam's bias correction).
            OptimizerStep => optimizer_step(
                rule: value(UpdateRule), step: value(u64), param: update, grad: read,
                state: updates
            );
            /// Inverted-dropout mask: `out[i] = 1/keep` if
            /// [`crate::rng::counter_uniform`]`(seed, offset + i) < keep`, else 0. Counter based,
            /// so every backend produces the same mask.
            DropoutMask => dropout_mask(
                out: write, seed: value(u32), offset: value(u32), keep: value(f32)
            );

            /// `out[r] = src[indices[r]]` row by row (mini-batch selection).
            /// # Shapes
            /// `src: [n, cols]`, `out: [indices.len(), cols]`; every index `< n`.
            GatherRows => gather_rows(src: read, cols: value(usize), indices: indices, out: write);
            /// One-hot encode class labels stored as floats; labels outside `0..classes` give a
            /// zero row.
            /// # Shapes
            /// `labels: [rows]`, `out: [rows, classes]`.
            OneHot => one_hot(labels: read, classes: value(usize), out: write);
            /// Index of the largest value in each row (first on ties), as a float.
            /// # Shapes
            /// `x: [rows, cols]`, `out: [rows]`.
            Argmax => argmax(x: read, rows: value(usize), cols: value(usize), out: write);
        }
    };
}
pub(crate) use backend_ops;

/// The type of an argument inside a [`Call`] (and of the [`Backend`](super::Backend) method's
/// parameter, where the lifetime is elided).
macro_rules! call_type {
    ($l:lifetime, value($t:ty)) => { $t };
    ($l:lifetime, read) => { $crate::backend::BufferId };
    ($l:lifetime, write) => { $crate::backend::BufferId };
    ($l:lifetime, update) => { $crate::backend::BufferId };
    ($l:lifetime, scaled_write) => { Option<($crate::backend::BufferId, f32)> };
    ($l:lifetime, updates) => { &$l [$crate::backend::BufferId] };
    ($l:lifetime, indices) => { &$l [u32] };
}
pub(crate) use call_type;

/// The type of an argument inside a [`CallRecord`]: the lists owned.
macro_rules! record_type {
    (value($t:ty)) => { $t };
    (updates) => { Vec<BufferId> };
    (indices) => { Vec<u32> };
    ($role:ident) => { call_type!('static, $role) };
}

/// An argument of a [`Call`] (bound by value) copied into a [`CallRecord`].
macro_rules! to_record {
    (updates, $a:ident) => {
        $a.to_vec()
    };
    (indices, $a:ident) => {
        $a.to_vec()
    };
    ($role:ident $(($t:ty))?, $a:ident) => {
        $a
    };
}

/// An argument of a [`CallRecord`] (bound by reference) borrowed into a [`Call`].
macro_rules! as_call {
    (updates, $a:ident) => {
        $a.as_slice()
    };
    (indices, $a:ident) => {
        $a.as_slice()
    };
    ($role:ident $(($t:ty))?, $a:ident) => {
        *$a
    };
}

/// An argument of a [`Call`] (bound by value) with its buffer ids passed through `$f`.
macro_rules! map_ids {
    (value($t:ty), $a:ident, $f:ident) => {
        $a
    };
    (indices, $a:ident, $f:ident) => {
        $a.to_vec()
    };
    (scaled_write, $a:ident, $f:ident) => {
        match $a {
            Some((id, scale)) => Some(($f(id)?, scale)),
            None => None,
        }
    };
    (updates, $a:ident, $f:ident) => {
        $a.iter().map(|&id| $f(id)).collect::<Result<Vec<_>>>()?
    };
    ($role:ident, $a:ident, $f:ident) => {
        $f($a)?
    };
}

/// Passes the buffers an argument writes to `$f`.
macro_rules! visit_outputs {
    (write, $a:ident, $f:ident) => {
        $f($a)
    };
    (update, $a:ident, $f:ident) => {
        $f($a)
    };
    (scaled_write, $a:ident, $f:ident) => {
        if let Some((id, _)) = $a {
            $f(id)
        }
    };
    (updates, $a:ident, $f:ident) => {
        $a.iter().copied().for_each(&mut $f)
    };
    ($role:ident $(($t:ty))?, $a:ident, $f:ident) => {
        let _ = $a;
    };
}

/// Expands the op list into [`Call`], [`CallRecord`] and their conversions.
macro_rules! define_calls {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $method:ident($($arg:ident: $role:ident $(($t:ty))?),* $(,)?);
    )*) => {
        /// One op call: the op and its arguments, with buffers as the caller's ids. Every
        /// [`Backend`](super::Backend) op method builds one and hands it to
        /// [`Backend::exec`](super::Backend::exec).
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Call<'a> {
            $(
                $(#[$doc])*
                $variant { $($arg: call_type!('a, $role $(($t))?)),* },
            )*
        }

        /// A [`Call`] that owns its lists, to keep (a journal of calls to replay).
        #[derive(Clone, Debug, PartialEq)]
        pub enum CallRecord {
            $(
                $(#[$doc])*
                $variant { $($arg: record_type!($role $(($t))?)),* },
            )*
        }

        impl Call<'_> {
            /// The name of the [`Backend`](super::Backend) method that makes this call.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Call::$variant { .. } => stringify!($method),)*
                }
            }

            /// An owned copy.
            pub fn to_record(&self) -> CallRecord {
                match *self {
                    $(Call::$variant { $($arg),* } => CallRecord::$variant {
                        $($arg: to_record!($role $(($t))?, $arg)),*
                    },)*
                }
            }

            /// The same call with every buffer id passed through `f` (from one backend's ids to
            /// another's); the first error `f` returns stops it.
            pub fn map_buffers(
                &self,
                mut f: impl FnMut(BufferId) -> Result<BufferId>,
            ) -> Result<CallRecord> {
                Ok(match *self {
                    $(Call::$variant { $($arg),* } => CallRecord::$variant {
                        $($arg: map_ids!($role $(($t))?, $arg, f)),*
                    },)*
                })
            }

            /// Passes every buffer the call writes to `f`, in argument order.
            pub fn outputs(&self, mut f: impl FnMut(BufferId)) {
                match *self {
                    $(Call::$variant { $($arg),* } => {
                        $(visit_outputs!($role $(($t))?, $arg, f);)*
                    })*
                }
            }
        }

        impl CallRecord {
            /// The call this record holds, borrowing its lists.
            pub fn as_call(&self) -> Call<'_> {
                match self {
                    $(CallRecord::$variant { $($arg),* } => Call::$variant {
                        $($arg: as_call!($role $(($t))?, $arg)),*
                    },)*
                }
            }
        }
    };
}

backend_ops!(define_calls);

/// Expands the op list into the [`Backend`](super::Backend) trait's op methods, each one
/// [`Call`] handed to `exec`. Invoked inside the trait.
macro_rules! call_methods {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $method:ident($($arg:ident: $role:ident $(($t:ty))?),* $(,)?);
    )*) => {
        $(
            $(#[$doc])*
            // The argument lists are the ops' own (cross_entropy has seven); a struct per call
            // would only move them.
            #[allow(clippy::too_many_arguments)]
            fn $method(
                &mut self,
                $($arg: $crate::backend::call::call_type!('_, $role $(($t))?)),*
            ) -> $crate::error::Result<()> {
                self.exec($crate::backend::Call::$variant { $($arg),* })
            }
        )*
    };
}
pub(crate) use call_methods;
