//! The experiment as files a student takes away: a runnable Keras 3 script and a PyTorch script
//! (the same layers, activations, initializers, loss, optimizer with its hyper-parameters,
//! penalty, dropout, batch size and epochs, plus the weights the page trained and the page's
//! predictions to check them against), the data as CSV and the metrics history as CSV.
//!
//! Plain text from plain data and no DOM, so it is tested natively; `components::export`
//! downloads what this writes. The description comes from the engine, not from the app's
//! names: the session's own `TrainConfig` (`session::train_config`), the engine's feature
//! rows and, for the predictions, the inspector's probe of the session's model.

mod csv;
mod keras;
mod python;
mod pytorch;

use crate::analysis::summary::summarize;
use crate::config::Config;
use crate::inspector::probe::{input_rows, EngineProbe, Net};
use crate::session::{LayerView, Point, Snapshot};
use np_engine::train::TrainConfig;

pub use self::csv::{data_csv, history_csv};
pub use keras::keras_script;
pub use pytorch::pytorch_script;

/// File names of the downloads. The scripts read the data file from their own folder.
pub const KERAS_FILE: &str = "neural-playground-keras.py";
pub const PYTORCH_FILE: &str = "neural-playground-pytorch.py";
pub const DATA_FILE: &str = "neural-playground-data.csv";
pub const HISTORY_FILE: &str = "neural-playground-history.csv";

/// The export buttons: one list, from which the buttons, their `data-testid`s, the file names
/// and the contents are derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    Keras,
    Pytorch,
    Data,
    History,
}

impl Download {
    pub const ALL: [Download; 4] = [
        Download::Keras,
        Download::Pytorch,
        Download::Data,
        Download::History,
    ];

    /// The button's `data-testid`.
    pub fn testid(self) -> &'static str {
        match self {
            Download::Keras => "export-keras",
            Download::Pytorch => "export-pytorch",
            Download::Data => "export-data-csv",
            Download::History => "export-history-csv",
        }
    }

    /// The button's text.
    pub fn label(self) -> &'static str {
        match self {
            Download::Keras => "Keras script",
            Download::Pytorch => "PyTorch script",
            Download::Data => "Data (CSV)",
            Download::History => "Metrics history (CSV)",
        }
    }

    pub fn file(self) -> &'static str {
        match self {
            Download::Keras => KERAS_FILE,
            Download::Pytorch => PYTORCH_FILE,
            Download::Data => DATA_FILE,
            Download::History => HISTORY_FILE,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Download::Keras | Download::Pytorch => "text/x-python",
            Download::Data | Download::History => "text/csv",
        }
    }

    /// The file's text for the experiment a snapshot of a session of `config` shows.
    pub fn text(self, config: &Config, snapshot: &Snapshot) -> Result<String, Unsupported> {
        if self == Download::History {
            return Ok(history_csv(&snapshot.history));
        }
        if !config.active_dataset().is_planar() {
            // The page holds a sample of a shipped set's rows, not the set: a script trained
            // on it would not be this experiment.
            return Err(Unsupported(format!(
                "Exports of the real data sets are not written yet: the page holds only a sample of the {} rows. The metrics history downloads as usual.",
                config.active_dataset().label()
            )));
        }
        if self != Download::Data && (config.steps_apply() || config.frozen.contains(&true)) {
            // A script that trained every layer would be another experiment.
            return Err(Unsupported(
                "The Keras and PyTorch scripts do not yet freeze layers or build the step \
                 construction; unfreeze every layer and turn the steps off to export a script. \
                 The data and the metrics history download as usual."
                    .into(),
            ));
        }
        let e = Experiment::of(config, snapshot);
        match self {
            Download::Keras => keras_script(&e),
            Download::Pytorch => pytorch_script(&e),
            _ => Ok(data_csv(&e)),
        }
    }
}

/// A choice that has no faithful counterpart in the target framework: the export says so
/// instead of writing a script that trains something else.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One example as the network sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `train`, `val` or `test`.
    pub split: &'static str,
    /// The input features as the engine computes them, in the network's input order.
    pub x: Vec<f32>,
    /// Class index, or the regression target.
    pub label: f32,
}

/// Everything the exports need, taken from one snapshot of a session.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The session's training description: model, loss, optimizer, penalty, batch size, seed.
    pub train: TrainConfig,
    /// Column names of the input features (the page's node labels, `X1^2` for `X1²`).
    pub columns: Vec<String>,
    /// Number of classes; 1 for regression.
    pub classes: usize,
    /// Epochs the page trained.
    pub epochs: u64,
    /// The model summary's parameter count (what the page shows).
    pub parameters: usize,
    /// Trained weights, `w[to][from]`, `b[to]` per weight layer.
    pub weights: Vec<LayerView>,
    /// Every example: training rows first, then validation, then test.
    pub rows: Vec<Row>,
    /// The page's output for each row with `weights` (output-unit values).
    pub predictions: Vec<Vec<f64>>,
    /// The dataset's name, for the script's heading.
    pub title: String,
    /// The URL hash of the experiment, so a reader can open it again.
    pub hash: String,
}

impl Experiment {
    /// The experiment a snapshot of a session of `config` shows.
    pub fn of(config: &Config, snapshot: &Snapshot) -> Self {
        let train = EngineProbe::config_for(config, snapshot);
        let features = &snapshot.features;
        let columns = if features.is_empty() {
            // The engine feeds a network without features one constant-zero column.
            vec!["zero".to_string()]
        } else {
            features
                .iter()
                .map(|f| f.label().replace('²', "^2"))
                .collect()
        };
        let data = &snapshot.data;
        let splits: [(&'static str, &[Point]); 3] = [
            ("train", &data.train),
            ("val", &data.val),
            ("test", &data.test),
        ];
        let mut rows = Vec::new();
        for (split, points) in splits {
            let xy: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.y)).collect();
            for (x, p) in input_rows(features, &xy).into_iter().zip(points.iter()) {
                rows.push(Row {
                    split,
                    // The engine's f32 values, widened without loss by `input_rows`.
                    x: x.into_iter().map(|v| v as f32).collect(),
                    label: p.label as f32,
                });
            }
        }
        let x: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| r.x.iter().map(|&v| f64::from(v)).collect())
            .collect();
        let predictions = EngineProbe::for_config(&train, data.classes, None)
            .map(|p| p.forward(&snapshot.layers, &x).post)
            .and_then(|mut post| post.pop())
            .unwrap_or_default();
        let parameters = summarize(&Net::of(snapshot, config).widths(), &[], &[]).total;
        Self {
            train,
            columns,
            classes: data.classes.max(1),
            epochs: snapshot.epoch,
            parameters,
            weights: snapshot.layers.clone(),
            rows,
            predictions,
            title: format!("{} ({})", config.active_dataset().label(), config.problem),
            hash: crate::config::hash::print(config),
        }
    }

    /// Output units of the network.
    pub fn outputs(&self) -> usize {
        self.train.model.outputs
    }

    /// Rows of a split.
    pub fn count(&self, split: &str) -> usize {
        self.rows.iter().filter(|r| r.split == split).count()
    }

    /// The mini-batch the trainer uses: the training set when 0 or larger.
    pub fn batch_size(&self) -> usize {
        let n = self.count("train").max(1);
        match self.train.batch_size {
            0 => n,
            b => b.min(n),
        }
    }
}

#[cfg(test)]
mod frameworks;
#[cfg(test)]
mod tests;
