// out[m, n] = op(a)[m, k] @ op(b)[k, n] (+ out when accumulating), op transposing on request.
//
// Tiling: a workgroup of 16x16 = 256 threads computes a 64x64 block of out. Each step loads a
// 64x16 slab of op(a) and a 16x64 slab of op(b) into shared memory (2 x 4.1 KiB, well inside
// WebGPU's 16 KiB guarantee), then every thread accumulates a 4x4 register block from them:
// each loaded value is reused 64 times from shared memory and each shared value 4 times from a
// register. A thread's rows are ly, ly+16, ly+32, ly+48 (and likewise for columns), so
// neighbouring threads touch neighbouring addresses when loading and storing.
// Transposed operands change only how a slab is loaded: loads always walk along the stored
// contiguous dimension, so global reads stay coalesced in all four cases. Tiles that stick out
// of the matrix are padded with zeros, so any m, n, k works (including 0 and 1).

struct Params {
    m: u32,
    n: u32,
    k: u32,
    flags: u32, // bit 0: a transposed (stored [k, m]); bit 1: b transposed (stored [n, k]); bit 2: accumulate
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const TILE: u32 = 64u;   // output block edge
const DEPTH: u32 = 16u;  // k per step
const THREADS: u32 = 256u;

// Rows of the shared slabs are padded from 64 to 65 floats: when a slab is loaded along k
// (a not transposed, b transposed), consecutive threads store 65 apart, which lands in
// different shared-memory banks instead of all in one (a 64-float stride is 16-way conflicted).
const STRIDE: u32 = 65u;
var<workgroup> a_tile: array<f32, 1040>; // [DEPTH][STRIDE]: a_tile[kk * 65 + row]
var<workgroup> b_tile: array<f32, 1040>; // [DEPTH][STRIDE]: b_tile[kk * 65 + col]

@compute @workgroup_size(16, 16)
fn matmul(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
          @builtin(local_invocation_index) tid: u32) {
    let m = params.m;
    let n = params.n;
    let k = params.k;
    let trans_a = (params.flags & 1u) != 0u;
    let trans_b = (params.flags & 2u) != 0u;
    let row0 = wid.y * TILE;
    let col0 = wid.x * TILE;

    // The 4x4 register block as four vec4 rows: no dynamically indexed private arrays, which
    // some compilers (lavapipe's among them) spill to memory.
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);

    for (var k0 = 0u; k0 < k; k0 += DEPTH) {
        // Each thread loads 4 of the 1024 values of each slab.
        for (var l = 0u; l < 4u; l++) {
            let e = tid + l * THREADS;
            // a slab: rows row0..row0+64, depth k0..k0+16.
            var r: u32;
            var kk: u32;
            if (trans_a) { kk = e / TILE; r = e % TILE; } else { r = e / DEPTH; kk = e % DEPTH; }
            let gr = row0 + r;
            let gk = k0 + kk;
            var va = 0.0;
            if (gr < m && gk < k) {
                if (trans_a) { va = a[gk * m + gr]; } else { va = a[gr * k + gk]; }
            }
            a_tile[kk * STRIDE + r] = va;
            // b slab: depth k0..k0+16, columns col0..col0+64.
            var c: u32;
            var kb: u32;
            if (trans_b) { c = e / DEPTH; kb = e % DEPTH; } else { kb = e / TILE; c = e % TILE; }
            let gc = col0 + c;
            let gkb = k0 + kb;
            var vb = 0.0;
            if (gc < n && gkb < k) {
                if (trans_b) { vb = b[gc * k + gkb]; } else { vb = b[gkb * n + gc]; }
            }
            b_tile[kb * STRIDE + c] = vb;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < DEPTH; kk++) {
            let ao = kk * STRIDE + lid.y;
            let bo = kk * STRIDE + lid.x;
            let rb = vec4<f32>(b_tile[bo], b_tile[bo + 16u], b_tile[bo + 32u], b_tile[bo + 48u]);
            acc0 = fma(vec4<f32>(a_tile[ao]), rb, acc0);
            acc1 = fma(vec4<f32>(a_tile[ao + 16u]), rb, acc1);
            acc2 = fma(vec4<f32>(a_tile[ao + 32u]), rb, acc2);
            acc3 = fma(vec4<f32>(a_tile[ao + 48u]), rb, acc3);
        }
        workgroupBarrier();
    }

    let accumulate = (params.flags & 4u) != 0u;
    var rows = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
    for (var i = 0u; i < 4u; i++) {
        let gr = row0 + lid.y + 16u * i;
        if (gr >= m) { continue; }
        let acc = rows[i];
        for (var j = 0u; j < 4u; j++) {
            let gc = col0 + lid.x + 16u * j;
            if (gc >= n) { continue; }
            let o = gr * n + gc;
            var v = acc[j];
            if (accumulate) { v = v + out[o]; }
            out[o] = v;
        }
    }
}

// The same product for thin shapes (k <= 16 or n <= 16: a playground layer of 8 units, a
// 10-class output, a 2-feature input): one thread per output element, no shared memory. A
// 64x64 tile would leave most of its threads without a valid column and pay two barriers per
// step for a single step; here every thread is busy. 256 threads per group, 2D-folded.
@compute @workgroup_size(256)
fn matmul_thin(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) tid: u32) {
    let o = (wid.x + wid.y * nwg.x) * 256u + tid;
    let m = params.m;
    let n = params.n;
    let k = params.k;
    if (o >= m * n) { return; }
    let r = o / n;
    let c = o % n;
    let trans_a = (params.flags & 1u) != 0u;
    let trans_b = (params.flags & 2u) != 0u;
    // Strides of op(a)[r, p] and op(b)[p, c] along p.
    var a_base = r * k;
    var a_step = 1u;
    if (trans_a) { a_base = r; a_step = m; }
    var b_base = c;
    var b_step = n;
    if (trans_b) { b_base = c * k; b_step = 1u; }
    var acc = 0.0;
    for (var p = 0u; p < k; p++) {
        acc = fma(a[a_base + p * a_step], b[b_base + p * b_step], acc);
    }
    if ((params.flags & 4u) != 0u) { acc = acc + out[o]; }
    out[o] = acc;
}
