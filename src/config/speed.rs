//! The speed setting: a target rate in epochs per second, or as fast as the machine allows.
//!
//! Until training moved into a worker the setting was an index into a list of epochs per
//! animation frame (`speed=0` .. `speed=5`); links written then still open, read as the rate
//! they meant at 60 frames a second. Rates therefore start above the old indices.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speed {
    /// Epochs per second, within `MIN_RATE..=MAX_RATE`.
    Rate(u32),
    /// Train flat out (`speed=max`).
    Max,
}

impl Default for Speed {
    /// About twice TensorFlow Playground's one epoch per frame: fast enough to see learning,
    /// slow enough to watch it.
    fn default() -> Self {
        Speed::Rate(120)
    }
}

/// The old epochs-per-frame list, by index.
const LEGACY_PER_FRAME: [u32; 5] = [1, 2, 5, 10, 25];

impl Speed {
    pub const MIN_RATE: u32 = LEGACY_PER_FRAME.len() as u32 + 1;
    pub const MAX_RATE: u32 = 100_000;
    /// The choices the speed picker offers; every old link lands on one of them.
    pub const OFFERED: [Speed; 8] = [
        Speed::Rate(10),
        Speed::Rate(30),
        Speed::Rate(60),
        Speed::Rate(120),
        Speed::Rate(300),
        Speed::Rate(600),
        Speed::Rate(1500),
        Speed::Max,
    ];

    /// Reads the hash's text: `max`, a rate, or an old index (`0`..`5`).
    pub fn parse(text: &str) -> Option<Speed> {
        if text.eq_ignore_ascii_case("max") {
            return Some(Speed::Max);
        }
        let n: u32 = text.trim().parse().ok()?;
        match LEGACY_PER_FRAME.get(n as usize) {
            Some(per_frame) => Some(Speed::Rate(per_frame * 60)),
            // The old list's last entry, 100 epochs a frame, was its "as fast as it goes".
            None if n < Self::MIN_RATE => Some(Speed::Max),
            None => (n <= Self::MAX_RATE).then_some(Speed::Rate(n)),
        }
    }

    /// Within the limits.
    pub fn clamped(self) -> Speed {
        match self {
            Speed::Rate(r) => Speed::Rate(r.clamp(Self::MIN_RATE, Self::MAX_RATE)),
            Speed::Max => Speed::Max,
        }
    }

    /// Epochs per second; `None` for as fast as possible.
    pub fn rate(self) -> Option<f64> {
        match self {
            Speed::Rate(r) => Some(f64::from(r)),
            Speed::Max => None,
        }
    }

    /// The words the picker shows.
    pub fn label(self) -> String {
        match self {
            Speed::Rate(r) => format!("{r} / s"),
            Speed::Max => "as fast as possible".to_string(),
        }
    }
}

impl std::fmt::Display for Speed {
    /// The hash's text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speed::Rate(r) => write!(f, "{r}"),
            Speed::Max => f.write_str("max"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_links_read_as_the_rate_they_meant() {
        let old: Vec<_> = (0..=5).map(|i| Speed::parse(&i.to_string())).collect();
        let rates = [60, 120, 300, 600, 1500].map(|r| Some(Speed::Rate(r)));
        assert_eq!(&old[..5], &rates);
        assert_eq!(old[5], Some(Speed::Max));
        for s in old.into_iter().flatten() {
            assert!(Speed::OFFERED.contains(&s), "{s} is offered");
        }
    }

    #[test]
    fn rates_and_max_round_trip() {
        for s in Speed::OFFERED {
            assert_eq!(Speed::parse(&s.to_string()), Some(s));
        }
        assert_eq!(Speed::parse("MAX"), Some(Speed::Max));
        assert_eq!(Speed::parse("6"), Some(Speed::Rate(6)));
        for bad in ["", "fast", "-1", "100001", "2.5", "1e3"] {
            assert_eq!(Speed::parse(bad), None, "{bad}");
        }
        assert_eq!(Speed::Rate(1).clamped(), Speed::Rate(Speed::MIN_RATE));
    }
}
