//! What the panels draw: metrics, the decimated history, the output over the input plane, every
//! neuron's output over the plane, and the parameters.

use std::rc::Rc;

use np_engine::train::LayerActivations;
use np_engine::Tensor;

use super::{data, Data, Record, Session};
use crate::analysis::groups::GroupCounts;
use crate::config::Feature;

/// One weight layer's parameters: `w[to][from]`, `b[to]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerView {
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
}

/// A frame's worth of drawable state.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The session version it was taken at; equality compares only this.
    pub version: u64,
    pub epoch: u64,
    pub latest: Record,
    pub history: Vec<Record>,
    /// Grid side; cell (row, col) sits at `data.extent.cell(grid, row, col)`, row 0 at the top.
    pub grid: usize,
    /// Network output per cell, row-major: class probabilities (one sigmoid unit for two classes)
    /// or the regression value.
    pub output: Vec<Vec<f64>>,
    /// Hidden neurons' outputs per cell: `[layer][neuron][cell]`.
    pub neurons: Vec<Vec<Vec<f64>>>,
    pub layers: Vec<LayerView>,
    pub features: Vec<Feature>,
    pub data: Rc<Data>,
    pub progress: RunProgress,
    /// The test part's counts per group of a categorical input (tables with one).
    pub groups: Vec<GroupCounts>,
}

/// Where the learning-rate schedule and early stopping stand, for the readouts.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunProgress {
    /// The learning rate the next step takes: the schedule's rate for this epoch.
    pub lr: f64,
    /// Early stopping's best epoch so far, while it is on and has judged an epoch.
    pub best_epoch: Option<u64>,
    /// Epochs since that best one.
    pub waited: u64,
    /// Why early stopping ended the run, once it has.
    pub stopped_early: Option<String>,
}

impl Snapshot {
    /// What the page draws before the host's first snapshot arrives: the data set (generated
    /// here, it is cheap and seeded the same), the network's shape with zero weights, no
    /// metrics yet.
    pub fn placeholder(config: &crate::config::Config) -> Self {
        let features = config.input_features();
        // A shipped dataset's file is in the host, not here: its shape is known all the same.
        let data = data::build(config, &features).map_or_else(
            |_| Data {
                classes: config.active_dataset().classes(),
                ..Data::default()
            },
            |(_, d)| d,
        );
        let model = super::spec::train_config(config, config.input_width(), data.classes).model;
        Snapshot {
            version: 0,
            epoch: 0,
            latest: Record {
                loss_train: f64::NAN,
                ..Record::default()
            },
            history: Vec::new(),
            grid: super::GRID,
            output: Vec::new(),
            neurons: Vec::new(),
            layers: zero_layers(&model),
            features,
            data: Rc::new(data),
            progress: RunProgress {
                lr: config.learning_rate,
                ..RunProgress::default()
            },
            groups: Vec::new(),
        }
    }
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// Zero weights of `model`'s shapes: the diagram drawn before the first weights are read.
pub(super) fn zero_layers(model: &np_engine::nn::ModelSpec) -> Vec<LayerView> {
    let widths: Vec<usize> = std::iter::once(model.inputs)
        .chain(model.hidden.iter().map(|l| l.units))
        .chain(std::iter::once(model.outputs))
        .collect();
    widths
        .windows(2)
        .map(|w| LayerView {
            w: vec![vec![0.0; w[0]]; w[1]],
            b: vec![0.0; w[1]],
        })
        .collect()
}

/// The network's input rows at the centres of a `grid` x `grid` raster of the plane.
pub(super) fn grid_rows(s: &Session, grid: usize) -> Option<Tensor> {
    if let Some(wide) = &s.data.wide {
        // No plane to raster: the views read the network on the test sample instead, so
        // `output[i]` is test row i's output (`components::wide_view`).
        let rows = &wide.test.rows;
        let flat: Vec<f32> = rows.iter().flatten().copied().collect();
        return Tensor::new(flat, &[rows.len(), wide.width()]).ok();
    }
    let e = s.data.extent;
    let one_d = s.config.active_dataset().is_one_dimensional();
    let plane: Vec<f32> = (0..grid * grid)
        .flat_map(|i| {
            let (x, y) = e.cell(grid, i / grid, i % grid);
            [x as f32, if one_d { 0.0 } else { y as f32 }]
        })
        .collect();
    let plane = Tensor::new(plane, &[grid * grid, 2]).ok()?;
    data::feature_rows(&plane, &s.features).ok()
}

/// A weight layer for the diagram from the engine's W `[fan_in, units]` and b `[units]`.
pub fn layer_view(w_dims: &[usize], w: &[f32], b: &[f32]) -> LayerView {
    // The engine stores W as [fan_in, units]; the diagram reads w[to][from].
    let (fan_in, units) = match w_dims {
        [f, u] => (*f, *u),
        _ => (0, 0),
    };
    LayerView {
        w: (0..units)
            .map(|to| {
                (0..fan_in)
                    .map(|from| w.get(from * units + to).map_or(f64::NAN, |&x| f64::from(x)))
                    .collect()
            })
            .collect(),
        b: b.iter().map(|&x| f64::from(x)).collect(),
    }
}

/// The output per cell (`[cell][unit]`) and the hidden neurons' outputs (`[layer][neuron][cell]`)
/// from every layer's activations over the grid; the last layer is the output.
pub(super) fn grid_views(acts: &[LayerActivations]) -> (Vec<Vec<f64>>, Vec<Vec<Vec<f64>>>) {
    let mut output = Vec::new();
    let mut neurons = Vec::new();
    let last = acts.len().saturating_sub(1);
    for (l, a) in acts.iter().enumerate() {
        // [cells, units]
        let (n, units) = a.post.shape().rows_cols();
        let v = a.post.data();
        if l == last {
            output = v
                .chunks_exact(units.max(1))
                .take(n)
                .map(|row| row.iter().map(|&x| f64::from(x)).collect())
                .collect();
        } else if units > crate::config::DRAWN_UNITS {
            // Drawn as one block, without thumbnails: hundreds of them would be megabytes per
            // snapshot for nothing on screen. Kept as an empty entry, so indices stay layers.
            neurons.push(Vec::new());
        } else {
            neurons.push(
                (0..units)
                    .map(|u| (0..n).map(|i| f64::from(v[i * units + u])).collect())
                    .collect(),
            );
        }
    }
    (output, neurons)
}

/// The latest metrics and the last view read (`eval.rs`); computes nothing.
pub(super) fn take(s: &Session) -> Snapshot {
    Snapshot {
        version: s.version,
        epoch: s.latest.epoch,
        latest: s.latest,
        history: s.history.records().to_vec(),
        grid: s.grid,
        output: s.output.clone(),
        neurons: s.neurons.clone(),
        layers: s.layers.clone(),
        features: s.features.clone(),
        data: s.data.clone(),
        progress: s.progress(),
        groups: s.groups.clone(),
    }
}
