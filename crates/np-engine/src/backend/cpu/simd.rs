//! The matmul micro-kernel: a 4 x 8 block of C accumulated over a packed B panel.
//!
//! Built for wasm32 with `simd128` it uses `core::arch::wasm32` vectors explicitly (the safe
//! constructors and arithmetic; no raw loads, so `unsafe` stays forbidden). Elsewhere the plain
//! version is written so LLVM vectorizes it (fixed-size rows, no bounds checks in the loop).

use super::matmul::{MR, NR};

/// `acc[i][j] += sum_p a_i[p] * bp[p * NR + j]` for the four rows `a0..a3`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn kernel_4x8(
    a0: &[f32],
    a1: &[f32],
    a2: &[f32],
    a3: &[f32],
    bp: &[f32],
    acc: &mut [[f32; NR]; MR],
) {
    let rows = a0.iter().zip(a1).zip(a2).zip(a3);
    for (bv, (((&x0, &x1), &x2), &x3)) in bp.chunks_exact(NR).zip(rows) {
        let mut b = [0.0f32; NR];
        b.copy_from_slice(bv);
        for j in 0..NR {
            acc[0][j] += x0 * b[j];
            acc[1][j] += x1 * b[j];
            acc[2][j] += x2 * b[j];
            acc[3][j] += x3 * b[j];
        }
    }
}

/// SIMD128 version of the micro-kernel: eight `f32x4` accumulators.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn kernel_4x8(
    a0: &[f32],
    a1: &[f32],
    a2: &[f32],
    a3: &[f32],
    bp: &[f32],
    acc: &mut [[f32; NR]; MR],
) {
    use core::arch::wasm32::{f32x4, f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128};
    let z = f32x4_splat(0.0);
    let mut c: [[v128; 2]; MR] = [[z; 2]; MR];
    let rows = a0.iter().zip(a1).zip(a2).zip(a3);
    for (b, (((&x0, &x1), &x2), &x3)) in bp.chunks_exact(NR).zip(rows) {
        let lo = f32x4(b[0], b[1], b[2], b[3]);
        let hi = f32x4(b[4], b[5], b[6], b[7]);
        for (ci, x) in c.iter_mut().zip([x0, x1, x2, x3]) {
            let s = f32x4_splat(x);
            ci[0] = f32x4_add(ci[0], f32x4_mul(s, lo));
            ci[1] = f32x4_add(ci[1], f32x4_mul(s, hi));
        }
    }
    for (row, ci) in acc.iter_mut().zip(c) {
        let lanes = [
            f32x4_extract_lane::<0>(ci[0]),
            f32x4_extract_lane::<1>(ci[0]),
            f32x4_extract_lane::<2>(ci[0]),
            f32x4_extract_lane::<3>(ci[0]),
            f32x4_extract_lane::<0>(ci[1]),
            f32x4_extract_lane::<1>(ci[1]),
            f32x4_extract_lane::<2>(ci[1]),
            f32x4_extract_lane::<3>(ci[1]),
        ];
        for (r, l) in row.iter_mut().zip(lanes) {
            *r += l;
        }
    }
}
