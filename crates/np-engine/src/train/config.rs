//! The serializable description of a training run.

use super::metrics::EvalMetrics;
use super::schedule::Schedule;
use crate::backend::UpdateRule;
use crate::nn::{Loss, ModelSpec, Regularization};
use serde::{Deserialize, Serialize};

/// The metric early stopping watches, on the validation split (the training split when there
/// is none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    /// Lower is better.
    #[default]
    Loss,
    /// Higher is better; classification only (the loss stands in where there is no accuracy).
    Accuracy,
    /// ROC AUC, higher is better; two classes only (the loss stands in elsewhere).
    Auc,
}

impl Monitor {
    /// The monitored value of `m`, signed so that lower is always better, and whether it is
    /// the metric asked for (`false`: the loss stood in for a metric the problem lacks).
    pub fn score(self, m: &EvalMetrics) -> (f32, bool) {
        let higher_better = match self {
            Monitor::Loss => None,
            Monitor::Accuracy => m.accuracy,
            Monitor::Auc => m.auc,
        };
        match higher_better {
            Some(v) => (-v, true),
            None => (m.loss, self == Monitor::Loss),
        }
    }
}

/// Early stopping on a validation metric (the training split's when there is no validation
/// set).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    #[serde(default)]
    pub monitor: Monitor,
    /// Epochs without improvement before stopping.
    pub patience: usize,
    /// The smallest decrease that counts as an improvement.
    #[serde(default)]
    pub min_delta: f32,
    /// Put back the best epoch's parameters when stopping.
    #[serde(default)]
    pub restore_best: bool,
}

/// Everything a [`super::Trainer`] needs besides the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub model: ModelSpec,
    pub optimizer: UpdateRule,
    pub loss: Loss,
    #[serde(default)]
    pub regularization: Regularization,
    /// Rows per mini-batch; 0 means the full training set.
    pub batch_size: usize,
    /// Seeds the initial weights (same seed, same weights).
    pub init_seed: u64,
    /// Seeds the shuffling and the dropout masks.
    pub shuffle_seed: u64,
    #[serde(default)]
    pub early_stopping: Option<EarlyStopping>,
    /// How the learning rate (the optimizer's, the base rate) moves over the epochs.
    #[serde(default)]
    pub schedule: Schedule,
}
