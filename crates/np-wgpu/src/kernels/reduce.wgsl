// Reductions over one axis: x viewed as [outer, axis_len, inner], out as [outer, inner]
// (a reduction over everything is outer = inner = 1). Also the row-wise argmax.
//
// Two shapes of work, picked on the host by axis length:
// - reduce_wide: one workgroup of 256 threads per output. The threads stride along the axis,
//   then combine their partial results in a shared-memory tree (8 halvings). For long axes:
//   a whole-tensor sum, a bias gradient summed over a large batch.
// - reduce_narrow: one thread per output, looping over the axis. For short axes (<= 64), where
//   a workgroup per output would leave most of its 256 threads idle.

struct Params {
    outer: u32,
    axis_len: u32,
    inner: u32,
    op: u32, // 0 sum, 1 mean, 2 max
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, 256>;

// -inf built at run time (a constant infinity is a shader-creation error).
fn neg_inf() -> f32 {
    return bitcast<f32>(0xff800000u | (params.op & 0u));
}

fn combine(op: u32, acc: f32, v: f32) -> f32 {
    if (op == 2u) { return max(acc, v); }
    return acc + v;
}

fn identity(op: u32) -> f32 {
    if (op == 2u) { return neg_inf(); }
    return 0.0;
}

fn finish(op: u32, acc: f32) -> f32 {
    if (op == 1u) { return acc / f32(params.axis_len); }
    return acc;
}

@compute @workgroup_size(256)
fn reduce_wide(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
    let g = wid.x + wid.y * nwg.x; // which output (uniform across the workgroup)
    if (g >= params.outer * params.inner) { return; }
    let o = g / params.inner;
    let i = g % params.inner;
    let base = o * params.axis_len * params.inner + i;
    let op = params.op;
    var acc = identity(op);
    for (var j = lid; j < params.axis_len; j += 256u) {
        acc = combine(op, acc, x[base + j * params.inner]);
    }
    partial[lid] = acc;
    workgroupBarrier();
    for (var half = 128u; half > 0u; half = half >> 1u) {
        if (lid < half) {
            partial[lid] = combine(op, partial[lid], partial[lid + half]);
        }
        workgroupBarrier();
    }
    if (lid == 0u) {
        out[g] = finish(op, partial[0]);
    }
}

@compute @workgroup_size(256)
fn reduce_narrow(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_index) lid: u32) {
    let g = (wid.x + wid.y * nwg.x) * 256u + lid;
    if (g >= params.outer * params.inner) { return; }
    let o = g / params.inner;
    let i = g % params.inner;
    let base = o * params.axis_len * params.inner + i;
    let op = params.op;
    var acc = identity(op);
    for (var j = 0u; j < params.axis_len; j++) {
        acc = combine(op, acc, x[base + j * params.inner]);
    }
    out[g] = finish(op, acc);
}

// out[r] = index of the largest x[r, c] (first on ties), as f32. outer = rows, axis_len = cols.
@compute @workgroup_size(256)
fn argmax(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
    let r = (wid.x + wid.y * nwg.x) * 256u + lid;
    if (r >= params.outer) { return; }
    let cols = params.axis_len;
    var best = 0u;
    var best_v = neg_inf();
    for (var c = 0u; c < cols; c++) {
        let v = x[r * cols + c];
        if (v > best_v) { best_v = v; best = c; }
    }
    out[r] = f32(best);
}
