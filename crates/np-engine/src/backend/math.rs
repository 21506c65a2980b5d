//! Scalar transcendental functions in plain f32 arithmetic: no platform libm, so native and
//! wasm builds compute the very same bits, and loops over them vectorize.

/// The logistic function, computed without overflow for large `|x|`:
/// `e = exp(-|x|)`, then `1/(1+e)` or `e/(1+e)` by sign (branch-free so loops vectorize).
#[inline]
pub fn sigmoid(x: f32) -> f32 {
    let e = exp(-x.abs());
    let r = 1.0 / (1.0 + e);
    if x >= 0.0 {
        r
    } else {
        e * r
    }
}

/// `e^x` in f32 without a libm call, so loops over it vectorize: `x = n ln2 + r` with
/// `|r| <= ln2/2`, `e^r` by a degree-7 polynomial (Cephes' expf coefficients), `2^n` built in
/// the exponent bits. Relative error about 2e-7 on [-87, 88]; inputs beyond clamp (0 / 1.7e38).
#[inline]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // Round to nearest by adding and removing 1.5 * 2^23 (no libm `roundf` call on targets
    // without SSE4.1, and it vectorizes).
    const MAGIC: f32 = 12_582_912.0;
    let kn = x * std::f32::consts::LOG2_E + MAGIC;
    let n = kn - MAGIC;
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let mut p = 1.987_569_1e-4f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // `kn`'s low mantissa bits hold n (its bits are 0x4B40_0000 + n), so 2^n is built with
    // integer ops only: no float-to-int conversion, which would not vectorize on SSE2.
    let biased = kn.to_bits().wrapping_sub(0x4B40_0000).wrapping_add(127);
    e * f32::from_bits(biased << 23)
}

/// `ln x` in f32 with basic arithmetic only (so native and wasm builds agree bit for bit, unlike
/// platform libm): `x = 2^e m` with `m` in [sqrt(1/2), sqrt(2)), then `ln m = 2 atanh(s)`,
/// `s = (m-1)/(m+1)`, by its odd series to `s^9` (|s| < 0.172). Relative error about 1e-7.
/// `ln 0 = -inf`, `ln` of a negative number or NaN is NaN, `ln inf = inf`.
#[inline]
pub fn ln(x: f32) -> f32 {
    if x.is_nan() || x < 0.0 {
        return f32::NAN;
    }
    if x == 0.0 {
        return f32::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f32::INFINITY;
    }
    // Scale subnormals into the normal range first.
    let (x, bias) = if x < f32::MIN_POSITIVE {
        (x * 8_388_608.0, -23)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let mut e = ((bits >> 23) & 0xff) as i32 - 127 + bias;
    let mut m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000); // in [1, 2)
    if m > std::f32::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series =
        2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0)))));
    e as f32 * std::f32::consts::LN_2 + series
}

/// `ln(1 + x)` for `x >= 0` small or large, from [`ln`], exact to first order for tiny `x`.
#[inline]
pub fn ln_1p(x: f32) -> f32 {
    if x.abs() < 1e-4 {
        x - 0.5 * x * x
    } else {
        ln(1.0 + x)
    }
}

/// `tanh x` from [`exp`]: `(1 - e)/(1 + e)` with `e = exp(-2|x|)` and the sign put back; an odd
/// Taylor polynomial below |x| = 0.25, where the subtraction would lose relative accuracy.
#[inline]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let e = exp(-2.0 * a);
    let big = (1.0 - e) / (1.0 + e);
    let x2 = x * x;
    let small = x
        * (1.0
            + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0 + x2 * (62.0 / 2835.0)))));
    if a < 0.25 {
        small
    } else {
        big.copysign(x)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_exp_and_tanh_are_accurate() {
        let mut worst = (0.0f64, 0.0f64);
        for i in -20_000..=20_000 {
            let x = i as f32 * 0.001;
            let e = (f64::from(super::exp(x)) - f64::from(x).exp()).abs() / f64::from(x).exp();
            let t64 = f64::from(x).tanh();
            let t = (f64::from(super::tanh(x)) - t64).abs() / t64.abs().max(1e-30);
            worst = (
                worst.0.max(e),
                if x == 0.0 { worst.1 } else { worst.1.max(t) },
            );
        }
        assert!(worst.0 < 5e-7 && worst.1 < 1e-6, "{worst:?}");
        assert_eq!(super::exp(-200.0), super::exp(-87.0));
        let mut worst_ln = 0.0f64;
        for i in 1..200_000 {
            let x = i as f32 * 0.0005;
            let want = f64::from(x).ln();
            let err = (f64::from(super::ln(x)) - want).abs() / want.abs().max(1e-3);
            worst_ln = worst_ln.max(err);
        }
        for x in [1e-30f32, f32::from_bits(0x0001_16c2), 3.0e38, 1.0, 2.0] {
            let want = f64::from(x).ln();
            assert!(
                (f64::from(super::ln(x)) - want).abs() <= 2e-7 * want.abs().max(1.0),
                "ln {x}"
            );
        }
        assert!(worst_ln < 5e-7, "{worst_ln}");
        assert!(super::ln(-1.0).is_nan() && super::ln(0.0) == f32::NEG_INFINITY);
        assert!((super::ln_1p(1e-6) - 1e-6).abs() < 1e-12);
        assert!(super::sigmoid(-100.0) >= 0.0 && super::sigmoid(100.0) == 1.0);
    }
}
