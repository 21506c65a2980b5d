//! The uniform parameter structs, each mirroring a WGSL `struct Params` field for field.
//! Sizes are multiples of 16 bytes (uniform structs are), with explicit padding.

use bytemuck::{Pod, Zeroable};

/// `elementwise.wgsl`: unary ops, their backward, and the fused bias + activation.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct UnaryParams {
    /// Number of elements.
    pub len: u32,
    /// The op code (see `ops::unary_code`).
    pub op: u32,
    /// First op constant (alpha, exponent, clip min, scalar).
    pub a: f32,
    /// Second op constant (clip max).
    pub b: f32,
    /// Columns of the `[rows, cols]` view, for `bias_act`.
    pub cols: u32,
    pub _pad: [u32; 3],
}

/// `broadcast.wgsl`: broadcasting binary ops, expand, select, axpy, fill.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct BroadcastParams {
    pub len: u32,
    pub op: u32,
    /// `axpy`'s alpha.
    pub alpha: f32,
    /// `fill`'s value.
    pub value: f32,
    /// The output shape padded to rank 4.
    pub shape: [u32; 4],
    /// Strides of `a` in the output's index space (0 along broadcast dimensions).
    pub a_strides: [u32; 4],
    /// Strides of `b`, likewise.
    pub b_strides: [u32; 4],
}

/// `matmul.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct MatmulParams {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    /// Bit 0: `a` transposed; bit 1: `b` transposed; bit 2: accumulate into `out`.
    pub flags: u32,
}

/// `reduce.wgsl`: `x` viewed as `[outer, axis_len, inner]`, out as `[outer, inner]`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct ReduceParams {
    pub outer: u32,
    pub axis_len: u32,
    pub inner: u32,
    /// 0 sum, 1 mean, 2 max.
    pub op: u32,
}

/// `softmax.wgsl`: row-wise softmax, its backward, and cross-entropy from logits.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct SoftmaxParams {
    pub rows: u32,
    pub cols: u32,
    /// softmax: 1 for log-softmax. Cross-entropy: 0 softmax, 1 sigmoid.
    pub mode: u32,
    /// Cross-entropy gradient scale (1/rows for a mean loss).
    pub scale: f32,
}

/// `optimizer.wgsl`: one update rule applied to one parameter tensor.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct OptimParams {
    pub len: u32,
    /// `one_state`: 0 momentum, 1 Nesterov, 2 AdaGrad, 3 RMSProp.
    pub rule: u32,
    pub lr: f32,
    /// Momentum, RMSProp's alpha, or Adam's beta1.
    pub a: f32,
    /// Adam's beta2.
    pub b: f32,
    pub eps: f32,
    /// Adam: `lr / (1 - beta1^t)`, computed on the host exactly as the CPU backend does.
    pub lr_c1: f32,
    /// Adam: `sqrt(1 - beta2^t)`, likewise.
    pub c2_sqrt: f32,
}

/// `dropout.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct DropoutParams {
    pub len: u32,
    pub seed: u32,
    pub offset: u32,
    pub keep: f32,
    /// `1 / keep`, computed on the host so it is the same float as on the CPU.
    pub inv_keep: f32,
    pub _pad: [u32; 3],
}

/// `indexing.wgsl`: gather rows, one-hot, grid points.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub(crate) struct IndexParams {
    pub rows: u32,
    pub cols: u32,
    pub _pad: [u32; 2],
    /// Grid extent: x from `x0` to `x1`, y from `y0` to `y1`.
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
}
