//! Matrix products on the CPU: a plain reference and a cache-blocked, register-tiled kernel.
//!
//! The fast path only multiplies untransposed operands: a transposed operand is first copied
//! into a reusable scratch buffer (O(m k) work against O(m k n)), which keeps one kernel to tune.
//! B is packed into column panels of [`NR`] floats, `k` is cut into blocks of [`KC`] so a panel
//! stays in L1, and a 4 x 8 block of C lives in registers while `k` runs.

use crate::backend::MatmulDesc;

/// Columns per packed panel (two SIMD128 vectors).
pub const NR: usize = 8;
/// Rows of C per micro-kernel call.
pub const MR: usize = 4;
/// Depth of one k block: an `KC x NR` panel is 8 KiB, comfortably in L1.
pub const KC: usize = 256;

/// Reference `out (+)= op(a) @ op(b)`: the obvious triple loop, kept to check the fast kernel
/// and as the benchmark's naive baseline.
pub fn matmul_reference(a: &[f32], b: &[f32], out: &mut [f32], d: MatmulDesc) {
    for i in 0..d.m {
        for j in 0..d.n {
            let mut s = 0.0f32;
            for p in 0..d.k {
                let x = if d.trans_a {
                    a[p * d.m + i]
                } else {
                    a[i * d.k + p]
                };
                let y = if d.trans_b {
                    b[j * d.k + p]
                } else {
                    b[p * d.n + j]
                };
                s += x * y;
            }
            let o = &mut out[i * d.n + j];
            *o = if d.accumulate { *o + s } else { s };
        }
    }
}

/// Reusable scratch memory so that steady-state training allocates nothing per product.
#[derive(Debug, Default)]
pub struct MatmulScratch {
    a_t: Vec<f32>,
    b_t: Vec<f32>,
    packed: Vec<f32>,
}

/// Transpose `src` (`rows x cols`) into `dst` (`cols x rows`), in tiles for cache friendliness.
fn transpose_into(src: &[f32], rows: usize, cols: usize, dst: &mut Vec<f32>) {
    dst.clear();
    dst.resize(rows * cols, 0.0);
    const T: usize = 32;
    for r0 in (0..rows).step_by(T) {
        for c0 in (0..cols).step_by(T) {
            for r in r0..(r0 + T).min(rows) {
                for c in c0..(c0 + T).min(cols) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
        }
    }
}

/// Fast `out (+)= op(a) @ op(b)`. Slices must have the lengths `d` implies (checked by caller).
pub fn matmul_blocked(
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    d: MatmulDesc,
    scratch: &mut MatmulScratch,
) {
    if d.k == 0 || d.m == 0 || d.n == 0 {
        if !d.accumulate {
            out.fill(0.0);
        }
        return;
    }
    if d.trans_a && !d.trans_b && d.m * d.n <= SMALL_OUTER {
        outer_product_tn(a, b, out, d);
        return;
    }
    if !d.trans_a && d.n == 1 {
        // A matrix-vector product (a single-output layer): 1 of the 8 panel columns would be
        // used, so take dot products instead. B is contiguous whether transposed or not.
        for (o, row) in out.iter_mut().zip(a.chunks_exact(d.k.max(1))).take(d.m) {
            let s = dot(row, &b[..d.k]);
            *o = if d.accumulate { *o + s } else { s };
        }
        return;
    }
    let MatmulScratch { a_t, b_t, packed } = scratch;
    let a = if d.trans_a {
        transpose_into(a, d.k, d.m, a_t);
        &a_t[..]
    } else {
        a
    };
    let b = if d.trans_b {
        transpose_into(b, d.n, d.k, b_t);
        &b_t[..]
    } else {
        b
    };
    if !d.accumulate {
        out.fill(0.0);
    }
    let (m, k, n) = (d.m, d.k, d.n);
    let panels = n.div_ceil(NR);
    for k0 in (0..k).step_by(KC) {
        let kc = KC.min(k - k0);
        pack_b(b, n, k0, kc, panels, packed);
        for i0 in (0..m).step_by(MR) {
            let rows = MR.min(m - i0);
            for jp in 0..panels {
                let j0 = jp * NR;
                let cols = NR.min(n - j0);
                let bp = &packed[jp * kc * NR..(jp + 1) * kc * NR];
                let mut acc = [[0.0f32; NR]; MR];
                if rows == MR {
                    let r = |i: usize| &a[(i0 + i) * k + k0..(i0 + i) * k + k0 + kc];
                    super::simd::kernel_4x8(r(0), r(1), r(2), r(3), bp, &mut acc);
                } else {
                    for (i, acc_row) in acc.iter_mut().enumerate().take(rows) {
                        let ar = &a[(i0 + i) * k + k0..(i0 + i) * k + k0 + kc];
                        kernel_1x8(ar, bp, acc_row);
                    }
                }
                for (i, acc_row) in acc.iter().enumerate().take(rows) {
                    let o = &mut out[(i0 + i) * n + j0..(i0 + i) * n + j0 + cols];
                    for (o, v) in o.iter_mut().zip(acc_row) {
                        *o += v;
                    }
                }
            }
        }
    }
}

/// Largest `m * n` for which `A^T B` is summed as outer products (C stays in L1).
const SMALL_OUTER: usize = 4096;

/// `C (+)= A^T B` with `A: [k, m]`, `B: [k, n]`, summed as outer products of rows without a
/// transpose copy or packing: for each 4 x 8 block of C, step through `p` reading four
/// contiguous values of A's row `p` and eight of B's row `p`. The weight gradient of a small
/// layer (`m * n` small, `k` the batch).
fn outer_product_tn(a: &[f32], b: &[f32], out: &mut [f32], d: MatmulDesc) {
    if !d.accumulate {
        out.fill(0.0);
    }
    let (m, n) = (d.m, d.n);
    for i0 in (0..m).step_by(MR) {
        let rows = MR.min(m - i0);
        for j0 in (0..n).step_by(NR) {
            let cols = NR.min(n - j0);
            let mut acc = [[0.0f32; NR]; MR];
            for (ar, br) in a.chunks_exact(m).zip(b.chunks_exact(n)).take(d.k) {
                let av: [f32; MR] = load(&ar[i0..i0 + rows]);
                let bv: [f32; NR] = load(&br[j0..j0 + cols]);
                for (accr, &x) in acc.iter_mut().zip(&av) {
                    for (c, &y) in accr.iter_mut().zip(&bv) {
                        *c += x * y;
                    }
                }
            }
            for (r, accr) in acc.iter().enumerate().take(rows) {
                let o = &mut out[(i0 + r) * n + j0..(i0 + r) * n + j0 + cols];
                o.iter_mut().zip(accr).for_each(|(o, v)| *o += v);
            }
        }
    }
}

/// Dot product with eight partial sums (so it vectorizes without reassociating floats).
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0.0f32; NR];
    let (xc, yc) = (x.chunks_exact(NR), y.chunks_exact(NR));
    let tail: f32 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xc.zip(yc) {
        for ((s, &p), &q) in acc.iter_mut().zip(a).zip(b) {
            *s += p * q;
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// A fixed-size copy of `src`, zero-padded when shorter (edge blocks).
#[inline(always)]
fn load<const N: usize>(src: &[f32]) -> [f32; N] {
    match <[f32; N]>::try_from(src) {
        Ok(v) => v,
        Err(_) => {
            let mut v = [0.0; N];
            v.iter_mut().zip(src).for_each(|(d, s)| *d = *s);
            v
        }
    }
}

/// Pack rows `k0..k0+kc` of `b` (`k x n`) into panels `[panel][p][NR]`, zero-padding the last.
fn pack_b(b: &[f32], n: usize, k0: usize, kc: usize, panels: usize, packed: &mut Vec<f32>) {
    packed.clear();
    packed.resize(panels * kc * NR, 0.0);
    for jp in 0..panels {
        let j0 = jp * NR;
        let cols = NR.min(n - j0);
        let dst = &mut packed[jp * kc * NR..(jp + 1) * kc * NR];
        for (p, chunk) in dst.chunks_exact_mut(NR).enumerate() {
            let row = (k0 + p) * n + j0;
            chunk[..cols].copy_from_slice(&b[row..row + cols]);
        }
    }
}

/// One row of A against one packed panel.
fn kernel_1x8(a: &[f32], bp: &[f32], acc: &mut [f32; NR]) {
    for (bv, &x) in bp.chunks_exact(NR).zip(a) {
        for (c, &y) in acc.iter_mut().zip(bv) {
            *c += x * y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn blocked_matches_reference_for_every_transpose_and_odd_sizes() {
        let mut rng = Rng::new(1);
        let mut scratch = MatmulScratch::default();
        for &(m, k, n) in &[
            (1, 1, 1),
            (5, 3, 7),
            (13, 300, 9),
            (4, 8, 16),
            (33, 517, 21),
            (70, 40, 80), // m * n above the outer-product threshold
            (37, 21, 1),  // matrix-vector path
            (3, 0, 4),    // empty inner dimension: zeros
            (0, 5, 3),
        ] {
            for flags in 0..8u8 {
                let d = MatmulDesc {
                    m,
                    k,
                    n,
                    trans_a: flags & 1 != 0,
                    trans_b: flags & 2 != 0,
                    accumulate: flags & 4 != 0,
                };
                let a: Vec<f32> = (0..m * k).map(|_| rng.normal() as f32).collect();
                let b: Vec<f32> = (0..k * n).map(|_| rng.normal() as f32).collect();
                let start: Vec<f32> = (0..m * n).map(|_| rng.normal() as f32).collect();
                let (mut x, mut y) = (start.clone(), start);
                matmul_reference(&a, &b, &mut x, d);
                matmul_blocked(&a, &b, &mut y, d, &mut scratch);
                for (p, q) in x.iter().zip(&y) {
                    assert!((p - q).abs() < 1e-3 * (1.0 + p.abs()), "{d:?}: {p} vs {q}");
                }
            }
        }
    }
}
