// Two-input elementwise ops with NumPy broadcasting, and the small helpers that move or fill
// whole buffers (expand, select, axpy, fill). Shapes are padded to rank 4; an input's stride is
// 0 along every dimension it is broadcast over, so one index formula serves all cases.
//
// Workgroup size 256, folded into 2D past 65,535 groups (see elementwise.wgsl).

struct Params {
    len: u32,
    op: u32,
    alpha: f32,
    value: f32,
    shape: vec4<u32>,     // output shape, padded to rank 4
    a_strides: vec4<u32>, // strides of a in output index space (0 where broadcast)
    b_strides: vec4<u32>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn linear_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.x + wid.y * nwg.x) * 256u + lid;
}

// The output's rank-4 coordinates of flat index i.
fn coords(i: u32) -> vec4<u32> {
    let s = params.shape;
    let i3 = i % s.w;
    let r3 = i / s.w;
    let i2 = r3 % s.z;
    let r2 = r3 / s.z;
    let i1 = r2 % s.y;
    let i0 = r2 / s.y;
    return vec4<u32>(i0, i1, i2, i3);
}

fn binary_op(op: u32, x: f32, y: f32) -> f32 {
    switch op {
        case 0u: { return x + y; }
        case 1u: { return x - y; }
        case 2u: { return x * y; }
        case 3u: { return x / y; }
        case 4u: { return max(x, y); }
        case 5u: { return min(x, y); }
        case 6u: { return select(0.0, 1.0, x > y); }
        case 7u: { return select(0.0, 1.0, x == y); }
        default: { return x; }
    }
}

@compute @workgroup_size(256)
fn binary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    let q = coords(i);
    let ia = dot(q, params.a_strides);
    let ib = dot(q, params.b_strides);
    out[i] = binary_op(params.op, a[ia], b[ib]);
}

// out = a broadcast up to the output shape.
@compute @workgroup_size(256)
fn expand(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = a[dot(coords(i), params.a_strides)];
}

// out = cond != 0 ? b : c, with cond in binding 1.
@compute @workgroup_size(256)
fn select_where(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = select(c[i], b[i], a[i] != 0.0);
}

// out += alpha * a (gradient accumulation, in place).
@compute @workgroup_size(256)
fn axpy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = out[i] + params.alpha * a[i];
}

@compute @workgroup_size(256)
fn fill(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.len) { return; }
    out[i] = params.value;
}
