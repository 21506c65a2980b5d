//! The serializable description of a training run.

use crate::backend::UpdateRule;
use crate::nn::{Loss, ModelSpec, Regularization};
use serde::{Deserialize, Serialize};

/// Early stopping on the validation loss (the training loss when there is no validation set).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
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
}
