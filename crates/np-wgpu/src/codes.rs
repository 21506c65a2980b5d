//! The engine's op enums as the numeric codes and constants the WGSL kernels switch on.
//! Each table mirrors a `switch` in a .wgsl file; keep them in the same order.

use np_engine::backend::{BinaryOp, ReduceOp, UnaryOp};

/// `(code, a, b)` for `elementwise.wgsl`'s `apply` / `derivative`.
pub(crate) fn unary(op: UnaryOp) -> (u32, f32, f32) {
    match op {
        UnaryOp::Identity => (0, 0.0, 0.0),
        UnaryOp::Neg => (1, 0.0, 0.0),
        UnaryOp::Exp => (2, 0.0, 0.0),
        UnaryOp::Log => (3, 0.0, 0.0),
        UnaryOp::Sqrt => (4, 0.0, 0.0),
        UnaryOp::Square => (5, 0.0, 0.0),
        UnaryOp::Powf(p) => (6, p, 0.0),
        UnaryOp::Abs => (7, 0.0, 0.0),
        UnaryOp::Sin => (8, 0.0, 0.0),
        UnaryOp::Cos => (9, 0.0, 0.0),
        UnaryOp::Sigmoid => (10, 0.0, 0.0),
        UnaryOp::Tanh => (11, 0.0, 0.0),
        UnaryOp::Relu => (12, 0.0, 0.0),
        UnaryOp::LeakyRelu(a) => (13, a, 0.0),
        UnaryOp::Elu(a) => (14, a, 0.0),
        UnaryOp::Step => (15, 0.0, 0.0),
        UnaryOp::Clip { min, max } => (16, min, max),
        UnaryOp::AddScalar(c) => (17, c, 0.0),
        UnaryOp::MulScalar(c) => (18, c, 0.0),
    }
}

/// The code for `broadcast.wgsl`'s `binary_op`.
pub(crate) fn binary(op: BinaryOp) -> u32 {
    match op {
        BinaryOp::Add => 0,
        BinaryOp::Sub => 1,
        BinaryOp::Mul => 2,
        BinaryOp::Div => 3,
        BinaryOp::Maximum => 4,
        BinaryOp::Minimum => 5,
        BinaryOp::Greater => 6,
        BinaryOp::Equal => 7,
    }
}

/// The code for `reduce.wgsl`.
pub(crate) fn reduce(op: ReduceOp) -> u32 {
    match op {
        ReduceOp::Sum => 0,
        ReduceOp::Mean => 1,
        ReduceOp::Max => 2,
    }
}
