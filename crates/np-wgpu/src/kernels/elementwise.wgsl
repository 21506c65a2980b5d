// Elementwise single-input ops: value, backward, and the fused bias + activation of a Dense
// layer. The op codes and formulas mirror np_engine::backend::ops::UnaryOp (apply/derivative).
//
// Workgroup size 256: WebGPU's guaranteed maximum and a multiple of every SIMD width; the
// dispatch is folded into 2D past 65,535 groups, so the linear index uses num_workgroups.

struct Params {
    len: u32,
    op: u32,
    a: f32,
    b: f32,
    cols: u32,
    _p0: u32,
    _p1: u32,
    _p2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // input (pre-activation)
@group(0) @binding(2) var<storage, read> y: array<f32>;        // forward output, or bias row
@group(0) @binding(3) var<storage, read> dy: array<f32>;       // upstream gradient
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// tanh and sigmoid written so that large |x| neither overflows nor gives NaN.
fn stable_sigmoid(v: f32) -> f32 {
    if (v >= 0.0) {
        return 1.0 / (1.0 + exp(-v));
    }
    let e = exp(v);
    return e / (1.0 + e);
}

fn stable_tanh(v: f32) -> f32 {
    let e = exp(-2.0 * abs(v));
    let t = (1.0 - e) / (1.0 + e);
    return select(-t, t, v >= 0.0);
}

// Infinity and NaN built at run time: a constant expression evaluating to either is a
// shader-creation error in WGSL, so the bits are or-ed with a uniform the compiler cannot fold.
fn special(bits: u32) -> f32 {
    return bitcast<f32>(bits | (params._p0 & 0u));
}

// x^p with Rust's powf semantics where WGSL's pow is undefined (x <= 0).
fn powf(v: f32, p: f32) -> f32 {
    if (v > 0.0) {
        return pow(v, p);
    }
    if (v == 0.0) {
        if (p > 0.0) { return 0.0; }
        if (p == 0.0) { return 1.0; }
        return special(0x7f800000u);
    }
    if (p != floor(p)) {
        return special(0x7fc00000u); // NaN, as powf gives for a negative base
    }
    let m = pow(-v, p);
    let odd = abs(p - 2.0 * floor(p / 2.0)) == 1.0;
    return select(m, -m, odd);
}

fn apply(op: u32, v: f32, a: f32, b: f32) -> f32 {
    switch op {
        case 0u: { return v; }                                  // identity
        case 1u: { return -v; }                                 // neg
        case 2u: { return exp(v); }                             // exp
        case 3u: { return log(v); }                             // log
        case 4u: { return sqrt(v); }                            // sqrt
        case 5u: { return v * v; }                              // square
        case 6u: { return powf(v, a); }                         // powf(a)
        case 7u: { return abs(v); }                             // abs
        case 8u: { return sin(v); }                             // sin
        case 9u: { return cos(v); }                             // cos
        case 10u: { return stable_sigmoid(v); }                 // sigmoid
        case 11u: { return stable_tanh(v); }                    // tanh
        case 12u: { return max(v, 0.0); }                       // relu
        case 13u: { return select(a * v, v, v > 0.0); }         // leaky relu(alpha)
        case 14u: { return select(a * (exp(v) - 1.0), v, v > 0.0); } // elu(alpha)
        case 15u: { return select(0.0, 1.0, v > 0.0); }         // step
        case 16u: { return min(max(v, a), b); }                 // clip(min, max)
        case 17u: { return v + a; }                             // add scalar
        case 18u: { return a * v; }                             // mul scalar
        default: { return v; }
    }
}

// f'(x) given x and y = f(x), exactly as UnaryOp::derivative.
fn derivative(op: u32, v: f32, w: f32, a: f32, b: f32) -> f32 {
    switch op {
        case 0u, 17u: { return 1.0; }
        case 1u: { return -1.0; }
        case 2u: { return w; }
        case 3u: { return 1.0 / v; }
        case 4u: { return 0.5 / w; }
        case 5u: { return 2.0 * v; }
        case 6u: { return a * powf(v, a - 1.0); }
        case 7u: { return sign(v); }
        case 8u: { return cos(v); }
        case 9u: { return -sin(v); }
        case 10u: { return w * (1.0 - w); }
        case 11u: { return 1.0 - w * w; }
        case 12u: { return select(0.0, 1.0, v > 0.0); }
        case 13u: { return select(a, 1.0, v > 0.0); }
        case 14u: { return select(w + a, 1.0, v > 0.0); }
        case 15u: { return 0.0; }                               // step: zero gradient, by definition
        case 16u: { return select(0.0, 1.0, v >= a && v <= b); }
        case 18u: { return a; }
        default: { return 1.0; }
    }
}

fn linear_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.x + wid.y * nwg.x) * 256u + lid;
}

@compute @workgroup_size(256)
fn unary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = apply(params.op, x[i], params.a, params.b);
}

@compute @workgroup_size(256)
fn unary_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = dy[i] * derivative(params.op, x[i], y[i], params.a, params.b);
}

// out[r, c] = act(x[r, c] + bias[c]): a Dense layer's tail in one pass over memory.
@compute @workgroup_size(256)
fn bias_act(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    let c = i % params.cols;
    out[i] = apply(params.op, x[i] + y[c], params.a, params.b);
}
