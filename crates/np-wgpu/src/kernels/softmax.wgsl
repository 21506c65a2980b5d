// Row-wise softmax and log-softmax (stable: the row maximum is subtracted before exp), their
// backward, and cross-entropy from logits with its gradient, for x viewed as [rows, cols].
//
// One workgroup of 64 threads per row: the threads stride over the columns, then combine in a
// shared-memory tree (6 halvings) for the row maximum and the row sums. 64 rather than 256
// because rows are short here (2 to 10 classes, at most a few hundred columns): a bigger group
// would mostly idle, and 64 is still a whole wavefront on every GPU.

struct Params {
    rows: u32,
    cols: u32,
    mode: u32,  // softmax: 1 = log-softmax. cross-entropy: 0 = softmax, 1 = sigmoid (binary)
    scale: f32, // cross-entropy gradient scale (1/rows for a mean loss)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // logits, or softmax output y
@group(0) @binding(2) var<storage, read> t: array<f32>;        // targets, or upstream dy
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // result, dx, or per-row loss
@group(0) @binding(4) var<storage, read_write> grad: array<f32>; // cross-entropy gradient

const WG: u32 = 64u;
var<workgroup> shared_max: array<f32, 64>;
var<workgroup> shared_sum: array<f32, 64>;

fn neg_inf() -> f32 {
    return bitcast<f32>(0xff800000u | (params.mode & 0u)); // run-time: constant inf is an error
}

fn row_id(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return wid.x + wid.y * nwg.x;
}

// Tree-combine the 64 partial maxima; every thread returns the row maximum.
fn workgroup_max(lid: u32, v: f32) -> f32 {
    shared_max[lid] = v;
    workgroupBarrier();
    for (var half = WG / 2u; half > 0u; half = half >> 1u) {
        if (lid < half) { shared_max[lid] = max(shared_max[lid], shared_max[lid + half]); }
        workgroupBarrier();
    }
    let m = shared_max[0];
    workgroupBarrier();
    return m;
}

fn workgroup_sum(lid: u32, v: f32) -> f32 {
    shared_sum[lid] = v;
    workgroupBarrier();
    for (var half = WG / 2u; half > 0u; half = half >> 1u) {
        if (lid < half) { shared_sum[lid] = shared_sum[lid] + shared_sum[lid + half]; }
        workgroupBarrier();
    }
    let s = shared_sum[0];
    workgroupBarrier();
    return s;
}

// Row maximum and log of the sum of exp(x - max): logsumexp = m + log(s).
fn row_stats(lid: u32, base: u32) -> vec2<f32> {
    var m = neg_inf();
    for (var c = lid; c < params.cols; c += WG) { m = max(m, x[base + c]); }
    m = workgroup_max(lid, m);
    var s = 0.0;
    for (var c = lid; c < params.cols; c += WG) { s += exp(x[base + c] - m); }
    s = workgroup_sum(lid, s);
    return vec2<f32>(m, log(s));
}

@compute @workgroup_size(64)
fn softmax(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
    let r = row_id(wid, nwg);
    if (r >= params.rows) { return; }
    let base = r * params.cols;
    let st = row_stats(lid, base);
    for (var c = lid; c < params.cols; c += WG) {
        let z = x[base + c] - st.x;
        if (params.mode == 1u) {
            out[base + c] = z - st.y;
        } else {
            out[base + c] = exp(z - st.y);
        }
    }
}

// softmax: dx = y * (dy - sum(dy * y)); log-softmax: dx = dy - exp(y) * sum(dy).
@compute @workgroup_size(64)
fn softmax_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
    let r = row_id(wid, nwg);
    if (r >= params.rows) { return; }
    let base = r * params.cols;
    let log_mode = params.mode == 1u;
    var s = 0.0;
    for (var c = lid; c < params.cols; c += WG) {
        if (log_mode) { s += t[base + c]; } else { s += t[base + c] * x[base + c]; }
    }
    s = workgroup_sum(lid, s);
    for (var c = lid; c < params.cols; c += WG) {
        let y = x[base + c];
        let dy = t[base + c];
        if (log_mode) { out[base + c] = dy - exp(y) * s; } else { out[base + c] = y * (dy - s); }
    }
}

// Binary cross-entropy from a logit, stable for any z: max(z, 0) - z t + log(1 + exp(-|z|)).
fn bce(z: f32, tv: f32) -> f32 {
    return max(z, 0.0) - z * tv + log(1.0 + exp(-abs(z)));
}

fn stable_sigmoid(v: f32) -> f32 {
    if (v >= 0.0) { return 1.0 / (1.0 + exp(-v)); }
    let e = exp(v);
    return e / (1.0 + e);
}

// Per-row loss into out[r].
fn cross_entropy_loss(r: u32, lid: u32) {
    let base = r * params.cols;
    var loss = 0.0;
    if (params.mode == 1u) {
        var acc = 0.0;
        for (var c = lid; c < params.cols; c += WG) { acc += bce(x[base + c], t[base + c]); }
        loss = workgroup_sum(lid, acc);
    } else {
        let st = row_stats(lid, base);
        var tz = 0.0;
        for (var c = lid; c < params.cols; c += WG) { tz += t[base + c] * x[base + c]; }
        tz = workgroup_sum(lid, tz);
        loss = st.x + st.y - tz;
    }
    if (lid == 0u) { out[r] = loss; }
}

// The gradient w.r.t. the logits: (softmax(z) - t) * scale, or (sigmoid(z) - t) * scale.
fn cross_entropy_grad(r: u32, lid: u32) {
    let base = r * params.cols;
    if (params.mode == 1u) {
        for (var c = lid; c < params.cols; c += WG) {
            grad[base + c] = (stable_sigmoid(x[base + c]) - t[base + c]) * params.scale;
        }
    } else {
        let st = row_stats(lid, base);
        for (var c = lid; c < params.cols; c += WG) {
            grad[base + c] = (exp(x[base + c] - st.x - st.y) - t[base + c]) * params.scale;
        }
    }
}

@compute @workgroup_size(64)
fn xent_loss(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
    let r = row_id(wid, nwg);
    if (r >= params.rows) { return; }
    cross_entropy_loss(r, lid);
}

@compute @workgroup_size(64)
fn xent_loss_grad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
    let r = row_id(wid, nwg);
    if (r >= params.rows) { return; }
    cross_entropy_loss(r, lid);
    cross_entropy_grad(r, lid);
}
