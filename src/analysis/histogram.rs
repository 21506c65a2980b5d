//! Fixed-bin histograms that keep count of what falls outside the bins, NaN and infinities
//! included, so a diverging layer shows up as numbers rather than as a silently empty chart.

/// Counts of values in `bins` equal bins over `[lo, hi]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u32>,
    /// Finite values below `lo`, and negative infinity.
    pub below: u32,
    /// Finite values above `hi`, and positive infinity.
    pub above: u32,
    /// NaN values.
    pub nan: u32,
}

impl Histogram {
    /// An empty histogram. A reversed or empty range is widened so binning stays defined.
    pub fn new(lo: f64, hi: f64, bins: usize) -> Self {
        let (lo, hi) = sane_range(lo, hi);
        Self {
            lo,
            hi,
            counts: vec![0; bins.max(1)],
            below: 0,
            above: 0,
            nan: 0,
        }
    }

    /// A histogram over the finite range of `values` (or [-1, 1] when none is finite).
    #[cfg(test)]
    pub fn of(values: &[f64], bins: usize) -> Self {
        let (lo, hi) = finite_range(values).unwrap_or((-1.0, 1.0));
        let mut h = Self::new(lo, hi, bins);
        h.extend(values);
        h
    }

    /// The bin `v` falls in; `hi` itself belongs to the last bin.
    pub fn bin_of(&self, v: f64) -> Option<usize> {
        if !(v >= self.lo && v <= self.hi) {
            return None;
        }
        let n = self.counts.len();
        let t = (v - self.lo) / (self.hi - self.lo);
        // `as usize` saturates, and the clamp puts `hi` in the last bin.
        Some(((t * n as f64) as usize).min(n - 1))
    }

    /// Counts one value.
    pub fn add(&mut self, v: f64) {
        if v.is_nan() {
            self.nan += 1;
        } else if let Some(i) = self.bin_of(v) {
            self.counts[i] += 1;
        } else if v < self.lo {
            self.below += 1;
        } else {
            self.above += 1;
        }
    }

    /// Counts every value.
    pub fn extend(&mut self, values: &[f64]) {
        for &v in values {
            self.add(v);
        }
    }

    /// Values counted, in or out of the bins.
    #[cfg(test)]
    pub fn total(&self) -> u32 {
        self.counts.iter().sum::<u32>() + self.below + self.above + self.nan
    }

    /// The largest bin count.
    pub fn peak(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }

    /// Centre of bin `i`.
    #[cfg(test)]
    pub fn center(&self, i: usize) -> f64 {
        self.lo + (self.hi - self.lo) * (i as f64 + 0.5) / self.counts.len() as f64
    }
}

/// The smallest and largest finite value, if any.
pub fn finite_range(values: &[f64]) -> Option<(f64, f64)> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `[lo, hi]` made finite and non-empty: a single value gets a unit-wide range around it.
pub fn sane_range(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (-1.0, 1.0)
    };
    if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_split_the_range_evenly_and_hi_is_in_the_last_bin() {
        let mut h = Histogram::new(0.0, 1.0, 4);
        h.extend(&[0.0, 0.1, 0.25, 0.49, 0.5, 0.74, 0.99, 1.0]);
        assert_eq!(h.counts, vec![2, 2, 2, 2]);
        assert_eq!(h.total(), 8);
        assert_eq!(h.peak(), 2);
        assert!((h.center(0) - 0.125).abs() < 1e-12);
    }

    #[test]
    fn nan_and_infinities_are_counted_not_lost() {
        let mut h = Histogram::new(-1.0, 1.0, 10);
        h.extend(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -2.0, 3.0, 0.0]);
        assert_eq!(h.nan, 1);
        assert_eq!(h.above, 2);
        assert_eq!(h.below, 2);
        assert_eq!(h.counts.iter().sum::<u32>(), 1);
        assert_eq!(h.total(), 6);
    }

    #[test]
    fn range_comes_from_finite_values_only() {
        let h = Histogram::of(&[f64::NAN, 2.0, -3.0, f64::INFINITY, 5.0], 8);
        assert_eq!((h.lo, h.hi), (-3.0, 5.0));
        assert_eq!(h.counts.iter().sum::<u32>(), 3);
        assert_eq!(h.above, 1);
        assert_eq!(h.nan, 1);
    }

    #[test]
    fn degenerate_ranges_are_widened() {
        let h = Histogram::of(&[0.3, 0.3, 0.3], 5);
        assert!(h.lo < 0.3 && h.hi > 0.3);
        assert_eq!(h.counts.iter().sum::<u32>(), 3);
        let h = Histogram::of(&[f64::NAN], 5);
        assert_eq!((h.lo, h.hi), (-1.0, 1.0));
        assert_eq!(h.nan, 1);
        assert_eq!(Histogram::new(1.0, 0.0, 0).counts.len(), 1);
    }
}
