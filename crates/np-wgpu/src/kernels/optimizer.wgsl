// One optimizer step on one parameter tensor, in place: one dispatch per tensor, one thread per
// element, workgroups of 256 (folded into 2D past 65,535 groups). The formulas are PyTorch's
// defaults, written exactly as np_engine's UpdateRule::update_scalar so the two backends agree
// to rounding. Adam's bias corrections depend only on the step, so the host computes them once.

struct Params {
    len: u32,
    rule: u32,    // one_state: 0 momentum, 1 Nesterov, 2 AdaGrad, 3 RMSProp
    lr: f32,
    a: f32,       // momentum, RMSProp alpha, or Adam beta1
    b: f32,       // Adam beta2
    eps: f32,
    lr_c1: f32,   // Adam: lr / (1 - beta1^t)
    c2_sqrt: f32, // Adam: sqrt(1 - beta2^t)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> p: array<f32>;
@group(0) @binding(3) var<storage, read_write> s0: array<f32>;
@group(0) @binding(4) var<storage, read_write> s1: array<f32>;

fn linear_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.x + wid.y * nwg.x) * 256u + lid;
}

// Plain SGD (momentum 0): p -= lr g.
@compute @workgroup_size(256)
fn sgd(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
       @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    p[i] = p[i] - params.lr * g[i];
}

// The rules with one state buffer.
@compute @workgroup_size(256)
fn one_state(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    let gi = g[i];
    var s = s0[i];
    var step: f32;
    switch params.rule {
        case 0u, 1u: {
            // v = momentum v + g; Nesterov looks ahead: g + momentum v.
            s = params.a * s + gi;
            step = select(s, gi + params.a * s, params.rule == 1u);
            step = params.lr * step;
        }
        case 2u: {
            // AdaGrad: s += g^2.
            s = s + gi * gi;
            step = params.lr * gi / (sqrt(s) + params.eps);
        }
        default: {
            // RMSProp: v = alpha v + (1 - alpha) g^2.
            s = params.a * s + (1.0 - params.a) * gi * gi;
            step = params.lr * gi / (sqrt(s) + params.eps);
        }
    }
    s0[i] = s;
    p[i] = p[i] - step;
}

// Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr_c1 m / (sqrt(v) / c2_sqrt + eps).
@compute @workgroup_size(256)
fn adam(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    let gi = g[i];
    let m = params.a * s0[i] + (1.0 - params.a) * gi;
    let v = params.b * s1[i] + (1.0 - params.b) * gi * gi;
    s0[i] = m;
    s1[i] = v;
    p[i] = p[i] - params.lr_c1 * m / (sqrt(v) / params.c2_sqrt + params.eps);
}
