// Moving rows and building index-derived tensors: mini-batch row gathering, one-hot encoding,
// and the input points of a decision-boundary grid (generated on the device so a 100x100 grid
// costs no upload). One thread per output element, workgroups of 256, folded into 2D past
// 65,535 groups.

struct Params {
    rows: u32,
    cols: u32, // row width (gather), classes (one-hot), or grid resolution (grid points)
    _p0: u32,
    _p1: u32,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;       // source rows, or labels
@group(0) @binding(2) var<storage, read> indices: array<u32>;   // row indices (validated on the host)
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn linear_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.x + wid.y * nwg.x) * 256u + lid;
}

// out[r, c] = src[indices[r], c].
@compute @workgroup_size(256)
fn gather_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.rows * params.cols) { return; }
    let r = i / params.cols;
    let c = i % params.cols;
    out[i] = src[indices[r] * params.cols + c];
}

// out[r, c] = 1 if labels[r] == c else 0; labels outside 0..classes give a zero row.
@compute @workgroup_size(256)
fn one_hot(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
    let i = linear_index(wid, nwg, lid);
    if (i >= params.rows * params.cols) { return; }
    let r = i / params.cols;
    let c = i % params.cols;
    out[i] = select(0.0, 1.0, src[r] == f32(c));
}

// The grid's points, row-major [res * res, 2]: point (row i, column j) is
// (x0 + (x1 - x0) j / (res - 1), y0 + (y1 - y0) i / (res - 1)).
@compute @workgroup_size(256)
fn grid_points(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
    let p = linear_index(wid, nwg, lid);
    let res = params.cols;
    if (p >= res * res) { return; }
    let i = p / res;
    let j = p % res;
    let d = f32(max(res, 2u) - 1u);
    out[2u * p] = params.x0 + (params.x1 - params.x0) * f32(j) / d;
    out[2u * p + 1u] = params.y0 + (params.y1 - params.y0) * f32(i) / d;
}
