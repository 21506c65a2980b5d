//! The panels' window on the network. The numbers (every layer's activations, the full-batch
//! gradient of the training objective) come from np-engine's `Probe`: the session's own model,
//! loss and penalty, built from the same `TrainConfig` as the trainer and loaded with the
//! snapshot's weights or an earlier epoch's. What stays here is UI: which points to show, and
//! the conversions between the engine's tensors and the panels' per-unit rows.

use std::cell::RefCell;
use std::rc::Rc;

use np_engine::data::Dataset;
use np_engine::nn::OutputUnit;
use np_engine::train::{Probe, TrainConfig};
use np_engine::{Tensor, TensorData};

use crate::analysis::activation::Curve;
use crate::config::{Config, Feature};
use crate::session::data::{evenly_spaced, feature_rows};
use crate::session::{train_config, LayerView, Point, Snapshot};

/// The network as the panels describe it: weights, and the engine's activations and output
/// unit of the model the session trains.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    pub layers: Vec<LayerView>,
    /// One curve per hidden layer (what the activation panel plots for it).
    pub curves: Vec<Curve>,
    pub output: OutputUnit,
}

/// Activations of every weight layer on a batch. `pre[l][s][u]`: layer l (hidden layers first,
/// the output layer last), sample s, unit u.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Forward {
    pub pre: Vec<Vec<Vec<f64>>>,
    pub post: Vec<Vec<Vec<f64>>>,
}

impl Net {
    /// The network of a snapshot under a config: activations and output unit as the session's
    /// `TrainConfig` has them.
    pub fn of(snapshot: &Snapshot, config: &Config) -> Self {
        let model = EngineProbe::config_for(config, snapshot).model;
        Self {
            layers: snapshot.layers.clone(),
            curves: model
                .hidden
                .iter()
                .map(|l| Curve::from(l.activation))
                .collect(),
            output: model.output,
        }
    }

    /// Units per layer, inputs first: `[inputs, hidden.., outputs]`.
    pub fn widths(&self) -> Vec<usize> {
        let inputs = self
            .layers
            .first()
            .and_then(|l| l.w.first())
            .map_or(0, Vec::len);
        std::iter::once(inputs)
            .chain(self.layers.iter().map(|l| l.b.len()))
            .collect()
    }
}

/// The engine's parameter list (`w1, b1, ...`, W as `[fan_in, units]`) of the panels' layers
/// (`w[to][from]`).
pub fn params_of(layers: &[LayerView]) -> Vec<TensorData> {
    layers
        .iter()
        .flat_map(|l| {
            let units = l.b.len();
            let fan_in = l.w.first().map_or(0, Vec::len);
            let w = (0..fan_in)
                .flat_map(|from| (0..units).map(move |to| (from, to)))
                .map(|(from, to)| l.w[to].get(from).map_or(f32::NAN, |&v| v as f32))
                .collect();
            [
                TensorData {
                    dims: vec![fan_in, units],
                    data: w,
                },
                TensorData {
                    dims: vec![units],
                    data: l.b.iter().map(|&v| v as f32).collect(),
                },
            ]
        })
        .collect()
}

/// The panels' layers from the engine's parameter list (the inverse of [`params_of`]).
pub fn views_of(params: &[TensorData]) -> Vec<LayerView> {
    params
        .chunks_exact(2)
        .map(|wb| crate::session::layer_view(&wb[0].dims, &wb[0].data, &wb[1].data))
        .collect()
}

/// The network's input rows for plane positions: the session's own features (the engine's
/// feature code), so the panels feed the network exactly what it trains on.
pub fn input_rows(features: &[Feature], points: &[(f64, f64)]) -> Vec<Vec<f64>> {
    let plane: Vec<f32> = points
        .iter()
        .flat_map(|&(x, y)| [x as f32, y as f32])
        .collect();
    let rows = Tensor::new(plane, &[points.len(), 2])
        .map_err(|e| e.to_string())
        .and_then(|t| feature_rows(&t, features));
    match rows {
        Ok(t) => {
            let (_, d) = t.shape().rows_cols();
            t.data()
                .chunks(d.max(1))
                .map(|r| r.iter().map(|&v| f64::from(v)).collect())
                .collect()
        }
        Err(_) => Vec::new(),
    }
}

/// Input rows and labels of `points`, at most `limit` of them spread evenly over the set.
pub fn batch(features: &[Feature], points: &[Point], limit: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let chosen: Vec<&Point> = evenly_spaced(points.len(), limit)
        .map(|i| &points[i])
        .collect();
    let xy: Vec<(f64, f64)> = chosen.iter().map(|p| (p.x, p.y)).collect();
    (
        input_rows(features, &xy),
        chosen.iter().map(|p| p.label).collect(),
    )
}

fn tensor_of(rows: &[Vec<f64>]) -> Option<Tensor> {
    let d = rows.first().map_or(0, Vec::len);
    let data: Vec<f32> = rows.iter().flatten().map(|&v| v as f32).collect();
    Tensor::new(data, &[rows.len(), d]).ok()
}

/// The engine's probe for the session's network, shared by the panels (one CPU model, loaded
/// with whichever weights a panel asks about).
#[derive(Debug, Clone)]
pub struct EngineProbe {
    probe: Rc<RefCell<Probe>>,
    /// Classes as the engine counts them (0 for regression).
    classes: usize,
}

impl EngineProbe {
    /// The training description the session builds for this config and data.
    pub fn config_for(config: &Config, snapshot: &Snapshot) -> TrainConfig {
        let inputs = match &snapshot.data.wide {
            Some(w) => w.width(),
            None if !config.active_dataset().is_planar() => config.input_width(),
            None => input_rows(&snapshot.features, &[(0.0, 0.0)])
                .first()
                .map_or(1, Vec::len),
        };
        train_config(config, inputs, snapshot.data.classes)
    }

    /// A probe for `cfg`, reusing `previous` when it already computes the same objective.
    pub fn for_config(cfg: &TrainConfig, classes: usize, previous: Option<&Self>) -> Option<Self> {
        let classes = if classes > 1 { classes } else { 0 };
        if let Some(p) = previous.filter(|p| p.probe.borrow().matches(cfg)) {
            return Some(Self {
                probe: p.probe.clone(),
                classes,
            });
        }
        Probe::new(cfg).ok().map(|p| Self {
            probe: Rc::new(RefCell::new(p)),
            classes,
        })
    }

    /// Every layer's activations under `layers` for `rows`; empty when the weights do not fit
    /// the network (a session that could not be built).
    pub fn forward(&self, layers: &[LayerView], rows: &[Vec<f64>]) -> Forward {
        let mut p = self.probe.borrow_mut();
        let Some(x) = tensor_of(rows) else {
            return Forward::default();
        };
        if rows.is_empty() || p.set_params(&params_of(layers)).is_err() {
            return Forward::default();
        }
        let Ok(acts) = p.activations(&x) else {
            return Forward::default();
        };
        let per_row = |t: &Tensor| -> Vec<Vec<f64>> {
            let (_, units) = t.shape().rows_cols();
            t.data()
                .chunks(units.max(1))
                .map(|r| r.iter().map(|&v| f64::from(v)).collect())
                .collect()
        };
        Forward {
            pre: acts.iter().map(|a| per_row(&a.pre)).collect(),
            post: acts.iter().map(|a| per_row(&a.post)).collect(),
        }
    }

    /// The gradient of the training objective (mean data loss over `rows` + L1/L2 penalty, no
    /// dropout) under `layers`, shaped like them.
    pub fn gradient(
        &self,
        layers: &[LayerView],
        rows: &[Vec<f64>],
        labels: &[f64],
    ) -> Option<Vec<LayerView>> {
        let x = tensor_of(rows)?;
        let y = labels.iter().map(|&v| v as f32).collect();
        let data = Dataset::new(x, y, self.classes).ok()?;
        let mut p = self.probe.borrow_mut();
        p.set_params(&params_of(layers)).ok()?;
        p.gradient(&data).ok().map(|g| views_of(&g.params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    fn config(hash: &str) -> Config {
        crate::config::hash::parse(hash).0
    }

    #[test]
    fn params_round_trip_the_engine_layout() {
        let layers = vec![LayerView {
            w: vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]],
            b: vec![0.5, -0.5, 0.25],
        }];
        let p = params_of(&layers);
        assert_eq!(p[0].dims, vec![2, 3]);
        // Engine W[from][to]: the first row holds every unit's weight from input 0.
        assert_eq!(p[0].data, vec![1.0, 3.0, 5.0, 2.0, 4.0, 6.0]);
        assert_eq!(views_of(&p), layers);
    }

    #[test]
    fn probe_of_the_snapshot_reproduces_the_sessions_own_outputs() {
        // Two and three classes, regression, per-layer activations, L2: the probe built from
        // the config and fed the snapshot's weights computes what the trainer drew.
        for hash in [
            "dataset=circle&networkShape=4,3&activation=tanh&regularization=L2&regularizationRate=0.01",
            "dataset=spiral3&networkShape=5&activation=relu",
            "problem=regression&regDataset=reg-plane&networkShape=3&activation=sigmoid",
        ] {
            let c = config(hash);
            let mut s = Session::new(&c);
            s.step_epoch_now();
            let snap = s.snapshot_now(8);
            let cfg = EngineProbe::config_for(&c, &snap);
            let probe = EngineProbe::for_config(&cfg, snap.data.classes, None).unwrap_or_else(|| panic!("no probe"));
            let cells: Vec<(f64, f64)> = (0..64)
                .map(|i| snap.data.extent.cell(8, i / 8, i % 8))
                .collect();
            let rows = input_rows(&snap.features, &cells);
            let fw = probe.forward(&snap.layers, &rows);
            assert_eq!(fw.post.len(), snap.layers.len(), "{hash}");
            let out = fw.post.last().unwrap_or_else(|| panic!("no output"));
            for (i, o) in out.iter().enumerate() {
                for (k, v) in o.iter().enumerate() {
                    assert!(
                        (v - snap.output[i][k]).abs() < 1e-6,
                        "{hash}: cell {i} output {k}: {v} vs {}",
                        snap.output[i][k]
                    );
                }
            }
            for (l, neurons) in snap.neurons.iter().enumerate() {
                for (u, cells) in neurons.iter().enumerate() {
                    assert!((fw.post[l][5][u] - cells[5]).abs() < 1e-6, "{hash}");
                }
            }
            // A reused probe for the same objective, a new one for another penalty.
            let again = EngineProbe::for_config(&cfg, snap.data.classes, Some(&probe)).unwrap_or_else(|| panic!("no probe"));
            assert!(Rc::ptr_eq(&again.probe, &probe.probe));
            let mut other = cfg.clone();
            other.regularization.l2 += 0.5;
            let fresh = EngineProbe::for_config(&other, snap.data.classes, Some(&probe)).unwrap_or_else(|| panic!("no probe"));
            assert!(!Rc::ptr_eq(&fresh.probe, &probe.probe));
            // The gradient has the layers' shapes and is finite.
            let (rows, labels) = batch(&snap.features, &snap.data.train, 1000);
            let g = probe.gradient(&snap.layers, &rows, &labels).unwrap_or_else(|| panic!("no gradient"));
            assert_eq!(g.len(), snap.layers.len());
            for (a, b) in g.iter().zip(&snap.layers) {
                assert_eq!(a.b.len(), b.b.len());
                assert!(a.w.iter().flatten().all(|v| v.is_finite()));
            }
        }
    }

    #[test]
    fn penalty_reaches_the_panels_gradient() {
        // Same weights, same points: the L2 objective's weight gradient differs from the plain
        // one by 2 * rate * W.
        let plain = config("dataset=xor&networkShape=3&activation=tanh");
        let l2 = config(
            "dataset=xor&networkShape=3&activation=tanh&regularization=L2&regularizationRate=0.1",
        );
        let mut s = Session::new(&plain);
        s.step_epoch_now();
        let snap = s.snapshot_now(4);
        let (rows, labels) = batch(&snap.features, &snap.data.train, 1000);
        let g = |c: &Config| {
            let cfg = EngineProbe::config_for(c, &snap);
            EngineProbe::for_config(&cfg, snap.data.classes, None)
                .and_then(|p| p.gradient(&snap.layers, &rows, &labels))
                .unwrap_or_else(|| panic!("no gradient"))
        };
        let (a, b) = (g(&plain), g(&l2));
        for l in 0..snap.layers.len() {
            for (u, row) in snap.layers[l].w.iter().enumerate() {
                for (i, w) in row.iter().enumerate() {
                    let d = b[l].w[u][i] - a[l].w[u][i];
                    assert!(
                        (d - 0.2 * w).abs() < 1e-5,
                        "layer {l} w[{u}][{i}]: {d} vs {}",
                        0.2 * w
                    );
                }
            }
            assert_eq!(a[l].b, b[l].b, "biases carry no penalty");
        }
    }

    #[test]
    fn batch_is_spread_and_bounded() {
        let pts: Vec<Point> = (0..10)
            .map(|i| Point {
                x: f64::from(i),
                y: 0.0,
                label: f64::from(i % 2),
            })
            .collect();
        let (rows, labels) = batch(&[Feature::X, Feature::Y], &pts, 4);
        assert!(rows.len() <= 4 && rows.len() >= 3);
        assert_eq!(rows[1], vec![3.0, 0.0]);
        assert_eq!(labels.len(), rows.len());
    }

    #[test]
    fn the_net_has_the_trained_models_units() {
        let net = |hash: &str| {
            let c = config(hash);
            Net::of(&Session::new(&c).snapshot_now(4), &c)
        };
        let two_softmax =
            net("dataset=circle&networkShape=3,2&activation=relu&twoClassOutput=softmax");
        assert_eq!(two_softmax.output, OutputUnit::Softmax);
        assert_eq!(two_softmax.curves, vec![Curve::Relu; 2]);
        assert_eq!(
            net("dataset=circle&networkShape=3").output,
            OutputUnit::Sigmoid
        );
        assert_eq!(
            net("dataset=spiral3&networkShape=3").output,
            OutputUnit::Softmax
        );
        let regression =
            net("problem=regression&regDataset=reg-plane&networkShape=2&activation=leakyrelu");
        assert_eq!(regression.output, OutputUnit::Linear);
        let leaky = np_engine::nn::Activation::LeakyRelu { alpha: 0.01 };
        assert_eq!(regression.curves, vec![Curve::from(leaky)]);
    }
}
