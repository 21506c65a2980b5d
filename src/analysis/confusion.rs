//! The confusion matrix: rows are the true class, columns the predicted one. Predictions follow
//! the engine's one rule (`np_engine::train::metrics::predicted_class`), the rule of the
//! trainer's accuracy.

/// Counts of (true, predicted) pairs over `classes` classes.
#[derive(Debug, Clone, PartialEq)]
pub struct Confusion {
    pub classes: usize,
    /// `counts[actual][predicted]`.
    pub counts: Vec<Vec<u32>>,
}

impl Confusion {
    /// Tallies the pairs; labels outside `0..classes` are ignored.
    pub fn from_pairs(classes: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut counts = vec![vec![0u32; classes]; classes];
        for (a, p) in pairs {
            if a < classes && p < classes {
                counts[a][p] += 1;
            }
        }
        Self { classes, counts }
    }

    /// All counted samples.
    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }

    /// Share on the diagonal (0 when empty).
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let right: u32 = (0..self.classes).map(|i| self.counts[i][i]).sum();
        f64::from(right) / f64::from(total)
    }

    /// `counts[a][p]` as a share of class `a`'s samples (recall on the diagonal).
    pub fn row_share(&self, a: usize, p: usize) -> f64 {
        let row: u32 = self.counts[a].iter().sum();
        if row == 0 {
            0.0
        } else {
            f64::from(self.counts[a][p]) / f64::from(row)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accuracy_and_shares() {
        let c = Confusion::from_pairs(3, [(0, 0), (0, 0), (0, 1), (1, 1), (2, 0), (2, 2), (5, 0)]);
        assert_eq!(c.counts, vec![vec![2, 1, 0], vec![0, 1, 0], vec![1, 0, 1]]);
        assert_eq!(c.total(), 6);
        assert!((c.accuracy() - 4.0 / 6.0).abs() < 1e-12);
        assert!((c.row_share(0, 0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(Confusion::from_pairs(2, []).accuracy(), 0.0);
    }

    #[test]
    fn predictions_follow_the_engines_rule_and_agree_with_its_accuracy() {
        use np_engine::nn::OutputUnit::{Sigmoid, Softmax};
        use np_engine::train::metrics::{accuracy, predicted_class, predicted_classes};
        assert_eq!(predicted_class(&[0.2, 0.7, 0.1], Softmax), 1);
        assert_eq!(predicted_class(&[0.51], Sigmoid), 1);
        assert_eq!(predicted_class(&[0.49], Sigmoid), 0);
        assert_eq!(predicted_class(&[f64::NAN, f64::NAN], Softmax), 0);
        // The tie p = 0.5: class 0 in the matrix as in the trainer's accuracy.
        let outputs = [0.5_f32, 0.5, 0.9, 0.1];
        let labels = [0.0_f32, 1.0, 1.0, 1.0];
        let c = Confusion::from_pairs(
            2,
            outputs
                .iter()
                .zip(&labels)
                .map(|(&o, &l)| (l as usize, predicted_class(&[f64::from(o)], Sigmoid))),
        );
        assert_eq!(c.counts, vec![vec![1, 0], vec![2, 1]]);
        let engine = accuracy(&predicted_classes(&outputs, 1, Sigmoid), &labels);
        assert!((c.accuracy() - f64::from(engine)).abs() < 1e-12);
    }
}
