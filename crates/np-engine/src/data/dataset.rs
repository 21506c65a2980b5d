//! A dataset (features and targets) and its seeded train/validation/test split.

use crate::error::{EngineError, Result};
use crate::rng::Rng;
use crate::tensor::Tensor;

/// Features and targets.
/// # Shapes
/// `x: [n, features]`; `y: [n]` holding class indices (as f32) or regression values.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: Tensor,
    pub y: Vec<f32>,
    /// Number of classes; 0 means regression.
    pub classes: usize,
}

/// The three parts of a split.
#[derive(Clone, Debug, PartialEq)]
pub struct Splits {
    pub train: Dataset,
    pub val: Dataset,
    pub test: Dataset,
}

impl Splits {
    /// Every input column shifted and scaled to mean 0 and standard deviation 1 on the training
    /// part, the same shift and scale applied to the other parts: a test row must be encoded
    /// without knowing the test rows. A column constant on the training part is only shifted.
    /// Returns the `(mean, std)` of each column, as the training rows gave them.
    pub fn standardized(mut self) -> (Splits, Vec<(f32, f32)>) {
        let (n, d) = self.train.x.shape().rows_cols();
        if d == 0 {
            return (self, Vec::new());
        }
        let rows = self.train.x.data();
        let mut scales = Vec::with_capacity(d);
        for col in 0..d {
            let values = || (0..n).map(|r| f64::from(rows[r * d + col]));
            let mean = values().sum::<f64>() / n.max(1) as f64;
            let var = values().map(|v| (v - mean).powi(2)).sum::<f64>() / n.max(1) as f64;
            let std = var.sqrt();
            let std = if std.is_finite() && std > 1e-12 {
                std
            } else {
                1.0
            };
            scales.push((mean as f32, std as f32));
        }
        for part in [&mut self.train, &mut self.val, &mut self.test] {
            let x: Vec<f32> = part
                .x
                .data()
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let (mean, std) = scales[i % d];
                    (v - mean) / std
                })
                .collect();
            // Same length and shape, so the tensor is always valid.
            if let Ok(t) = Tensor::new(x, part.x.dims()) {
                part.x = t;
            }
        }
        (self, scales)
    }
}

impl Splits {
    /// A regression target shifted and scaled to mean 0 and standard deviation 1 on the
    /// training part, as [`Splits::standardized`] does the inputs: a network that starts near 0
    /// then needs no learning rate tuned to the target's units, and a loss of 1 is what always
    /// predicting the training mean scores. Returns the `(mean, std)` that give the units back
    /// (`y * std + mean`); classes are left as they are, with `(0, 1)`.
    pub fn target_standardized(mut self) -> (Splits, (f32, f32)) {
        if !self.train.is_regression() || self.train.is_empty() {
            return (self, (0.0, 1.0));
        }
        let n = self.train.len() as f64;
        let mean = self.train.y.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = self
            .train
            .y
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        let std = var.sqrt();
        let std = if std.is_finite() && std > 1e-12 {
            std
        } else {
            1.0
        };
        let (mean, std) = (mean as f32, std as f32);
        for part in [&mut self.train, &mut self.val, &mut self.test] {
            for y in &mut part.y {
                *y = (*y - mean) / std;
            }
        }
        (self, (mean, std))
    }
}

impl Dataset {
    /// A dataset from rows of features; checks lengths and class labels.
    pub fn new(x: Tensor, y: Vec<f32>, classes: usize) -> Result<Self> {
        let (n, _) = x.shape().rows_cols();
        if x.shape().rank() != 2 || n != y.len() {
            return Err(EngineError::InvalidConfig(format!(
                "{} targets for features {:?}",
                y.len(),
                x.dims()
            )));
        }
        if classes > 0 {
            if let Some(bad) = y
                .iter()
                .find(|&&c| c < 0.0 || c as usize >= classes || c.fract() != 0.0)
            {
                return Err(EngineError::InvalidConfig(format!(
                    "label {bad} for {classes} classes"
                )));
            }
        }
        Ok(Self { x, y, classes })
    }
    pub fn len(&self) -> usize {
        self.y.len()
    }
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
    pub fn features(&self) -> usize {
        self.x.shape().rows_cols().1
    }
    pub fn is_regression(&self) -> bool {
        self.classes == 0
    }
    /// The same dataset with TensorFlow Playground's input features of its 2-D points.
    pub fn with_features(&self, features: &[super::Feature]) -> Result<Self> {
        Self::new(
            super::feature_matrix(&self.x, features)?,
            self.y.clone(),
            self.classes,
        )
    }
    /// The rows at `idx`, in that order.
    pub fn subset(&self, idx: &[usize]) -> Result<Self> {
        let d = self.features();
        let src = self.x.data();
        let mut x = Vec::with_capacity(idx.len() * d);
        let mut y = Vec::with_capacity(idx.len());
        for &i in idx {
            if i >= self.len() {
                return Err(EngineError::OutOfRange {
                    what: "dataset row",
                    index: i,
                    limit: self.len(),
                });
            }
            x.extend_from_slice(&src[i * d..(i + 1) * d]);
            y.push(self.y[i]);
        }
        Self::new(Tensor::new(x, &[idx.len(), d])?, y, self.classes)
    }
    /// Targets as a dense matrix for a model with `outputs` outputs: one-hot rows when
    /// `outputs > 1` for classification, the label itself (0/1) with one output, the value
    /// for regression.
    /// # Shapes
    /// result `[n, outputs]`.
    pub fn target_matrix(&self, outputs: usize) -> Result<Tensor> {
        let n = self.len();
        if self.classes > 1 && outputs > 1 {
            if outputs != self.classes {
                return Err(EngineError::InvalidConfig(format!(
                    "{outputs} outputs for {} classes",
                    self.classes
                )));
            }
            let mut t = vec![0.0; n * outputs];
            for (r, &c) in self.y.iter().enumerate() {
                let slot = t
                    .get_mut(r * outputs + c as usize)
                    .filter(|_| c >= 0.0 && (c as usize) < outputs);
                *slot.ok_or_else(|| {
                    EngineError::InvalidConfig(format!("label {c} for {outputs} classes"))
                })? = 1.0;
            }
            return Tensor::new(t, &[n, outputs]);
        }
        if outputs != 1 {
            return Err(EngineError::InvalidConfig(format!(
                "{outputs} outputs for one target per row"
            )));
        }
        Tensor::new(self.y.clone(), &[n, 1])
    }
    /// Shuffle (seeded), then take `test_pct` % for test and `val_pct` % of the rest for
    /// validation, as the course does (test 10 %, then validation 20 % of the remainder).
    pub fn split(&self, val_pct: f32, test_pct: f32, seed: u64) -> Result<Splits> {
        if !(0.0..100.0).contains(&val_pct) || !(0.0..100.0).contains(&test_pct) {
            return Err(EngineError::InvalidConfig(
                "split percentages must be in [0, 100)".into(),
            ));
        }
        let mut idx: Vec<usize> = (0..self.len()).collect();
        Rng::new(seed).shuffle(&mut idx);
        let n_test = (self.len() as f32 * test_pct / 100.0).round() as usize;
        let rest = self.len() - n_test;
        let n_val = (rest as f32 * val_pct / 100.0).round() as usize;
        Ok(Splits {
            test: self.subset(&idx[..n_test])?,
            val: self.subset(&idx[n_test..n_test + n_val])?,
            train: self.subset(&idx[n_test + n_val..])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardizing_uses_the_training_rows_only() {
        let part = |rows: &[[f32; 2]]| {
            let x = Tensor::matrix(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap();
            Dataset::new(x, vec![0.0; rows.len()], 2).unwrap()
        };
        let splits = Splits {
            train: part(&[[1.0, 5.0], [3.0, 5.0]]),
            val: part(&[[2.0, 6.0]]),
            test: part(&[[5.0, 4.0]]),
        };
        let (s, scales) = splits.standardized();
        assert_eq!(scales, vec![(2.0, 1.0), (5.0, 1.0)]);
        assert_eq!(s.train.x.data(), &[-1.0, 0.0, 1.0, 0.0]);
        assert_eq!(s.val.x.data(), &[0.0, 1.0]);
        // The test row is encoded with the training scale, not its own.
        assert_eq!(s.test.x.data(), &[3.0, -1.0]);
    }

    #[test]
    fn a_regression_target_is_standardized_on_the_training_rows_and_classes_are_not() {
        let part = |y: &[f32], classes| {
            let x = Tensor::matrix(&y.iter().map(|_| vec![0.0]).collect::<Vec<_>>()).unwrap();
            Dataset::new(x, y.to_vec(), classes).unwrap()
        };
        let splits = Splits {
            train: part(&[10.0, 30.0], 0),
            val: part(&[20.0], 0),
            test: part(&[50.0], 0),
        };
        let (s, scale) = splits.target_standardized();
        assert_eq!(scale, (20.0, 10.0));
        assert_eq!(
            (s.train.y.clone(), s.val.y.clone(), s.test.y.clone()),
            (vec![-1.0, 1.0], vec![0.0], vec![3.0])
        );
        // A constant target is only shifted.
        let flat = Splits {
            train: part(&[4.0, 4.0], 0),
            val: part(&[], 0),
            test: part(&[5.0], 0),
        };
        assert_eq!(flat.target_standardized().1, (4.0, 1.0));
        let classes = Splits {
            train: part(&[0.0, 1.0], 2),
            val: part(&[], 2),
            test: part(&[1.0], 2),
        };
        let (same, scale) = classes.clone().target_standardized();
        assert_eq!((same, scale), (classes, (0.0, 1.0)));
    }
}
