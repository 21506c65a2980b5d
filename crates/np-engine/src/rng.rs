//! Seeded randomness, identical natively and in wasm (integer arithmetic only, no platform RNG).
//!
//! - [`Rng`]: SplitMix64, a small sequential generator for initializers, data and shuffling.
//! - [`counter_uniform`]: a stateless hash of `(seed, counter)` for dropout masks, so a GPU
//!   kernel computes the same mask from the same numbers with 32-bit integer ops only.

use serde::{Deserialize, Serialize};

/// SplitMix64 (Steele, Lea and Flood, 2014): one 64-bit state, good statistical quality,
/// trivially reproducible. Serializable so a run's random stream can be saved and resumed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator from a seed. Equal seeds give equal streams.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }
    /// Standard normal by Box-Muller (one value per call; simple beats fast here).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64(); // in (0, 1], so ln is finite
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    /// Uniform integer in `0..n` (`n > 0`), by rejection so there is no modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let r = self.next_u64();
            if r < zone {
                return (r % n) as usize;
            }
        }
    }
    /// Fisher-Yates shuffle in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
    /// A derived generator for a sub-purpose, so adding draws in one place does not shift
    /// another's stream.
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }
}

/// PCG's output hash on 32 bits (O'Neill's `pcg_hash`), a cheap well-mixed permutation.
#[inline]
pub fn pcg_hash(x: u32) -> u32 {
    let state = x.wrapping_mul(747_796_405).wrapping_add(2_891_336_453);
    let word = ((state >> ((state >> 28) + 4)) ^ state).wrapping_mul(277_803_737);
    (word >> 22) ^ word
}

/// Counter-based uniform in `[0, 1)` with 24 bits: `pcg_hash(pcg_hash(seed) ^ counter)`.
/// The dropout mask for element `i` of a call with `(seed, offset)` uses counter
/// `offset.wrapping_add(i)`. WGSL: the same expression on `u32`, then `f32(h >> 8u) / 16777216.0`.
#[inline]
pub fn counter_uniform(seed: u32, counter: u32) -> f32 {
    let h = pcg_hash(pcg_hash(seed) ^ counter);
    (h >> 8) as f32 * (1.0 / 16_777_216.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn streams_are_reproducible_and_roughly_uniform() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mean: f64 = (0..10_000).map(|_| a.normal()).sum::<f64>() / 10_000.0;
        assert!(mean.abs() < 0.05);
        let kept = (0..10_000u32)
            .filter(|&i| counter_uniform(3, i) < 0.5)
            .count();
        assert!((4_700..5_300).contains(&kept), "{kept}");
    }
}
