// Inverted-dropout masks from a counter-based generator: element i of a call with
// (seed, offset) keeps its unit when u < keep, u = pcg_hash(pcg_hash(seed) ^ (offset + i))
// as 24 bits in [0, 1). This is np_engine::rng::counter_uniform, bit for bit (32-bit integer
// ops only), so the CPU and GPU backends drop the very same units.
// Workgroup size 256, folded into 2D past 65,535 groups.

struct Params {
    len: u32,
    seed: u32,
    offset: u32,
    keep: f32,
    inv_keep: f32, // 1 / keep, computed on the host so it is the CPU's float
    _p0: u32,
    _p1: u32,
    _p2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> mask: array<f32>;

// O'Neill's PCG output hash, as np_engine::rng::pcg_hash (u32 arithmetic wraps in WGSL).
fn pcg_hash(v: u32) -> u32 {
    let state = v * 747796405u + 2891336453u;
    let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

@compute @workgroup_size(256)
fn dropout_mask(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
    let i = (wid.x + wid.y * nwg.x) * 256u + lid;
    if (i >= params.len) { return; }
    let h = pcg_hash(pcg_hash(params.seed) ^ (params.offset + i));
    let u = f32(h >> 8u) * (1.0 / 16777216.0);
    mask[i] = select(0.0, params.inv_keep, u < params.keep);
}
