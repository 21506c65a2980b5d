//! Named builders for every op, so graph code reads like math: `g.add(a, b)?`.

use super::{Graph, NodeId, Op};
use crate::backend::{BinaryOp, ReduceOp, UnaryOp, XentKind};
use crate::error::Result;
use crate::shape::Shape;

macro_rules! unary {
    ($($(#[$m:meta])* $name:ident => $f:expr;)*) => {$(
        $(#[$m])*
        pub fn $name(&mut self, x: NodeId) -> Result<NodeId> {
            self.apply(Op::Unary { f: $f }, &[x])
        }
    )*};
}
macro_rules! binary {
    ($($(#[$m:meta])* $name:ident => $f:expr;)*) => {$(
        $(#[$m])*
        pub fn $name(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
            self.apply(Op::Binary { f: $f }, &[a, b])
        }
    )*};
}

impl Graph {
    unary! {
        neg => UnaryOp::Neg;
        exp => UnaryOp::Exp;
        log => UnaryOp::Log;
        sqrt => UnaryOp::Sqrt;
        square => UnaryOp::Square;
        abs => UnaryOp::Abs;
        sin => UnaryOp::Sin;
        cos => UnaryOp::Cos;
        sigmoid => UnaryOp::Sigmoid;
        tanh => UnaryOp::Tanh;
        relu => UnaryOp::Relu;
        /// Forward only in effect: its gradient is 0 (see [`UnaryOp::Step`]).
        step => UnaryOp::Step;
    }
    binary! {
        add => BinaryOp::Add;
        sub => BinaryOp::Sub;
        mul => BinaryOp::Mul;
        div => BinaryOp::Div;
        maximum => BinaryOp::Maximum;
        minimum => BinaryOp::Minimum;
        /// 1 where `a > b` else 0 (a mask; no gradient).
        greater => BinaryOp::Greater;
        /// 1 where `a == b` else 0 (a mask; no gradient).
        equal => BinaryOp::Equal;
    }
    /// Any unary op, activations included.
    pub fn unary(&mut self, f: UnaryOp, x: NodeId) -> Result<NodeId> {
        self.apply(Op::Unary { f }, &[x])
    }
    /// `x^p`.
    pub fn powf(&mut self, x: NodeId, p: f32) -> Result<NodeId> {
        self.unary(UnaryOp::Powf(p), x)
    }
    pub fn leaky_relu(&mut self, x: NodeId, alpha: f32) -> Result<NodeId> {
        self.unary(UnaryOp::LeakyRelu(alpha), x)
    }
    pub fn elu(&mut self, x: NodeId, alpha: f32) -> Result<NodeId> {
        self.unary(UnaryOp::Elu(alpha), x)
    }
    pub fn clip(&mut self, x: NodeId, min: f32, max: f32) -> Result<NodeId> {
        self.unary(UnaryOp::Clip { min, max }, x)
    }
    pub fn add_scalar(&mut self, x: NodeId, c: f32) -> Result<NodeId> {
        self.unary(UnaryOp::AddScalar(c), x)
    }
    pub fn mul_scalar(&mut self, x: NodeId, c: f32) -> Result<NodeId> {
        self.unary(UnaryOp::MulScalar(c), x)
    }
    /// `[m,k] @ [k,n]`.
    pub fn matmul(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.apply(
            Op::MatMul {
                trans_a: false,
                trans_b: false,
            },
            &[a, b],
        )
    }
    /// `op(a) @ op(b)` with stored-transposed operands.
    pub fn matmul_t(
        &mut self,
        a: NodeId,
        b: NodeId,
        trans_a: bool,
        trans_b: bool,
    ) -> Result<NodeId> {
        self.apply(Op::MatMul { trans_a, trans_b }, &[a, b])
    }
    /// `act(x + bias)`, `x: [rows, cols]`, `bias: [cols]` (a Dense layer's tail, fused).
    pub fn bias_act(&mut self, x: NodeId, bias: NodeId, act: UnaryOp) -> Result<NodeId> {
        self.apply(Op::BiasAct { act }, &[x, bias])
    }
    /// Reduce over everything (a scalar) or one axis (kept as size 1).
    pub fn reduce(&mut self, f: ReduceOp, x: NodeId, axis: Option<usize>) -> Result<NodeId> {
        self.apply(Op::Reduce { f, axis }, &[x])
    }
    pub fn sum(&mut self, x: NodeId) -> Result<NodeId> {
        self.reduce(ReduceOp::Sum, x, None)
    }
    pub fn mean(&mut self, x: NodeId) -> Result<NodeId> {
        self.reduce(ReduceOp::Mean, x, None)
    }
    pub fn max(&mut self, x: NodeId) -> Result<NodeId> {
        self.reduce(ReduceOp::Max, x, None)
    }
    pub fn softmax(&mut self, x: NodeId) -> Result<NodeId> {
        self.apply(Op::Softmax { log: false }, &[x])
    }
    pub fn log_softmax(&mut self, x: NodeId) -> Result<NodeId> {
        self.apply(Op::Softmax { log: true }, &[x])
    }
    /// Mean over rows of the cross-entropy of `targets` (one-hot/probabilities, same shape)
    /// against `logits`, stable (never forms `log(softmax)` or `log(sigmoid)` separately).
    pub fn cross_entropy(
        &mut self,
        kind: XentKind,
        logits: NodeId,
        targets: NodeId,
    ) -> Result<NodeId> {
        self.apply(Op::CrossEntropy { kind }, &[logits, targets])
    }
    /// `where(cond != 0, a, b)`.
    pub fn where_(&mut self, cond: NodeId, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.apply(Op::Select, &[cond, a, b])
    }
    /// Inverted dropout keeping each element with probability `keep`. Use only in training;
    /// `(seed, offset)` choose the mask (same numbers, same mask, on every backend).
    pub fn dropout(&mut self, x: NodeId, keep: f32, seed: u32, offset: u32) -> Result<NodeId> {
        self.apply(Op::Dropout { keep, seed, offset }, &[x])
    }
    pub fn reshape(&mut self, x: NodeId, dims: &[usize]) -> Result<NodeId> {
        self.apply(
            Op::Reshape {
                shape: Shape::new(dims)?,
            },
            &[x],
        )
    }
    /// `[rows]` class labels to `[rows, classes]`.
    pub fn one_hot(&mut self, labels: NodeId, classes: usize) -> Result<NodeId> {
        self.apply(Op::OneHot { classes }, &[labels])
    }
    /// Row-wise argmax, `[rows, cols]` to `[rows]`.
    pub fn argmax(&mut self, x: NodeId) -> Result<NodeId> {
        self.apply(Op::Argmax, &[x])
    }
}
