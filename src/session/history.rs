//! Loss and accuracy per epoch, kept at a bounded size so drawing cost does not grow with the
//! epoch count: when full, every other point is dropped and the recording stride doubles.

/// Metrics of one epoch. `None` where a split is empty or the problem has no accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub epoch: u64,
    pub loss_train: f64,
    pub loss_test: Option<f64>,
    pub loss_val: Option<f64>,
    pub acc_train: Option<f64>,
    pub acc_test: Option<f64>,
    /// Area under the test split's ROC curve, for two classes (absent from older saves).
    #[serde(default)]
    pub auc_test: Option<f64>,
}

/// The most records a history may be asked to keep.
const MAX_CAPACITY: usize = 1 << 16;

/// A bounded, evenly strided history.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct History {
    records: Vec<Record>,
    capacity: usize,
    stride: u64,
}

impl Default for History {
    fn default() -> Self {
        Self::with_capacity(256)
    }
}

impl History {
    /// Holds at most `capacity` records (at least 4).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            records: Vec::new(),
            capacity: capacity.max(4),
            stride: 1,
        }
    }

    /// Offers the metrics of one epoch; kept when the epoch falls on the current stride.
    pub fn push(&mut self, record: Record) {
        if !record.epoch.is_multiple_of(self.stride) {
            return;
        }
        self.records.push(record);
        if self.records.len() >= self.capacity {
            self.stride *= 2;
            let stride = self.stride;
            self.records.retain(|r| r.epoch.is_multiple_of(stride));
        }
    }

    /// Whether this history could have been made by `push` (a restored one comes from a file
    /// and can be anything): a capacity it keeps to, a power-of-two stride, epochs rising on
    /// it. Says what is wrong when not.
    pub fn check(&self) -> Result<(), String> {
        if !(4..=MAX_CAPACITY).contains(&self.capacity) {
            return Err(format!(
                "the history keeps {} records; between 4 and {MAX_CAPACITY} are possible",
                self.capacity
            ));
        }
        if !self.stride.is_power_of_two() || self.stride > 1 << 48 {
            return Err(format!(
                "the history's stride {} is not a power of two of at most 2^48",
                self.stride
            ));
        }
        if self.records.len() >= self.capacity {
            return Err(format!(
                "the history holds {} records, more than its capacity {}",
                self.records.len(),
                self.capacity
            ));
        }
        let on_stride = self
            .records
            .iter()
            .all(|r| r.epoch.is_multiple_of(self.stride));
        let rising = self.records.windows(2).all(|w| w[0].epoch < w[1].epoch);
        if !on_stride || !rising {
            return Err("the history's epochs are out of order".into());
        }
        Ok(())
    }

    /// The kept records, oldest first.
    pub fn records(&self) -> &[Record] {
        &self.records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_spans_the_whole_run() {
        let mut h = History::with_capacity(64);
        for epoch in 0..=100_000 {
            h.push(Record {
                epoch,
                loss_train: 1.0 / (epoch as f64 + 1.0),
                ..Record::default()
            });
        }
        let r = h.records();
        assert!(r.len() <= 64 && r.len() >= 32, "{}", r.len());
        assert_eq!(r[0].epoch, 0);
        assert!(r[r.len() - 1].epoch > 90_000);
        assert!(
            r.windows(2)
                .all(|w| w[1].epoch - w[0].epoch == r[1].epoch - r[0].epoch),
            "even spacing"
        );
    }
}
