//! Everything the panels show, computed once per session snapshot: the network, a sample of
//! training and test points with their activations (from the engine's probe), and the recorded
//! timeline.

use std::rc::Rc;

use super::probe::{batch, EngineProbe, Forward, Net};
use super::timeline::Frame;
use crate::config::{Config, Feature};
use crate::session::data::evenly_spaced;
use crate::session::{LayerView, Snapshot};

/// Most points the panels push through the network per frame: enough for a readable scatter,
/// few enough to stay well inside a frame.
pub const SAMPLE_LIMIT: usize = 300;

/// Most training points in the recorded full-batch gradient (every point of the app's data
/// sets fits; a larger set would be sampled evenly).
pub const GRADIENT_LIMIT: usize = 2000;

/// A batch of input rows and their labels (class index or target value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    pub inputs: Vec<Vec<f64>>,
    pub labels: Vec<f64>,
}

/// The panels' shared input. Equality is by session version and timeline length, so panels
/// re-render once per new snapshot, not on every parent render.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub version: u64,
    pub epoch: u64,
    pub net: Net,
    /// The engine's model of this network; `None` when the session could not be built.
    pub probe: Option<EngineProbe>,
    pub features: Vec<Feature>,
    /// 1 for regression.
    pub classes: usize,
    /// The input plane's box (x range, y range), for the warped grid.
    pub extent: ((f64, f64), (f64, f64)),
    pub train: Batch,
    pub test: Batch,
    /// Activations of `train` under the current weights.
    pub forward: Forward,
    pub frames: Rc<Vec<Frame>>,
}

impl PartialEq for Inspection {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.frames.len() == other.frames.len()
            && self.net.curves == other.net.curves
    }
}

impl Inspection {
    pub fn new(
        snapshot: &Snapshot,
        config: &Config,
        probe: Option<EngineProbe>,
        frames: Rc<Vec<Frame>>,
    ) -> Self {
        let net = Net::of(snapshot, config);
        let (inputs, labels) = rows_of(snapshot, Part::Train, SAMPLE_LIMIT);
        let train = Batch { inputs, labels };
        let (inputs, labels) = rows_of(snapshot, Part::Test, SAMPLE_LIMIT);
        let test = Batch { inputs, labels };
        let forward = probe
            .as_ref()
            .map(|p| p.forward(&net.layers, &train.inputs))
            .unwrap_or_default();
        Self {
            version: snapshot.version,
            epoch: snapshot.epoch,
            features: snapshot.features.clone(),
            classes: snapshot.data.classes,
            extent: extent_of(snapshot),
            train,
            test,
            forward,
            net,
            probe,
            frames,
        }
    }

    /// Number of hidden layers.
    pub fn hidden_layers(&self) -> usize {
        self.net.layers.len().saturating_sub(1)
    }

    /// Whether labels are classes.
    pub fn is_classification(&self) -> bool {
        self.classes > 1
    }

    /// Every layer's activations for `rows` under `layers` (another epoch's weights).
    pub fn forward_with(&self, layers: &[LayerView], rows: &[Vec<f64>]) -> Forward {
        self.probe
            .as_ref()
            .map(|p| p.forward(layers, rows))
            .unwrap_or_default()
    }
}

/// The frame to record for the snapshot's epoch: its weights and the full-batch gradient of the
/// training objective there.
pub fn frame_of(snapshot: &Snapshot, probe: Option<&EngineProbe>) -> Frame {
    let (inputs, labels) = rows_of(snapshot, Part::Train, GRADIENT_LIMIT);
    let grads = probe
        .and_then(|p| p.gradient(&snapshot.layers, &inputs, &labels))
        .unwrap_or_default();
    Frame {
        epoch: snapshot.epoch,
        grads,
        layers: snapshot.layers.clone(),
    }
}

#[derive(Clone, Copy)]
enum Part {
    Train,
    Test,
}

/// At most `limit` input rows of a part with their labels: the plane's points through the
/// features, or the sample of real data the host sent (already as the network receives it;
/// the host caps it at `session::shipped::SAMPLE_ROWS`, which keeps a wide network's probe
/// on the page cheap).
fn rows_of(snapshot: &Snapshot, part: Part, limit: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    if let Some(wide) = &snapshot.data.wide {
        let sample = match part {
            Part::Train => &wide.train,
            Part::Test => &wide.test,
        };
        let picked: Vec<usize> = evenly_spaced(sample.rows.len(), limit).collect();
        let rows = picked
            .iter()
            .map(|&i| sample.rows[i].iter().map(|&v| f64::from(v)).collect())
            .collect();
        return (rows, picked.iter().map(|&i| sample.labels[i]).collect());
    }
    let points = match part {
        Part::Train => &snapshot.data.train,
        Part::Test => &snapshot.data.test,
    };
    batch(&snapshot.features, points, limit)
}

/// The input plane the session draws (course datasets keep their own scale).
fn extent_of(snapshot: &Snapshot) -> ((f64, f64), (f64, f64)) {
    let e = snapshot.data.extent;
    (e.x, e.y)
}
