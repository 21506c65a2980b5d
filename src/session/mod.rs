//! The training session: turns a Config into data and a network, steps training in frame-sized
//! slices, and hands out snapshots for drawing. Knows nothing of the DOM, so it is tested
//! natively; the app's frame loop decides when to call it.

pub mod data;
pub mod history;
mod mlp;
mod snapshot;

use std::rc::Rc;

use np_engine::rng::Rng;

pub use data::{Data, Point, DOMAIN};
pub use history::{History, Record};
pub use snapshot::{cell_xy, LayerView, Snapshot};

use crate::config::{Config, Feature};
use crate::state::Impact;
use mlp::{Hyper, Mlp};

/// Grid resolution of the output heatmap and the neuron thumbnails.
pub const GRID: usize = 40;

/// A running experiment.
#[derive(Debug)]
pub struct Session {
    config: Config,
    data: Rc<Data>,
    features: Vec<Feature>,
    net: Mlp,
    /// Completed epochs.
    epoch: u64,
    /// This epoch's order of training points and how far through it we are.
    order: Vec<usize>,
    cursor: usize,
    shuffle: Rng,
    history: History,
    latest: Record,
    diverged: Option<String>,
    /// Bumped whenever something drawable changes.
    version: u64,
}

impl Session {
    /// Data and a fresh network for `config`.
    pub fn new(config: &Config) -> Self {
        let data = Rc::new(data::build(config));
        let mut s = Self {
            config: config.clone(),
            features: config.input_features(),
            net: Mlp::new(config, config.input_features().len(), data.classes),
            data,
            epoch: 0,
            order: Vec::new(),
            cursor: 0,
            shuffle: Rng::new(0),
            history: History::default(),
            latest: Record::default(),
            diverged: None,
            version: 0,
        };
        s.reset();
        s
    }

    /// Adopts a changed config with the least disruption `impact` allows.
    pub fn update(&mut self, config: &Config, impact: Impact) {
        match impact {
            Impact::None => self.config = config.clone(),
            Impact::Live => {
                self.config = config.clone();
                self.net.hyper = Hyper {
                    learning_rate: config.learning_rate,
                    regularization_rate: config.regularization_rate,
                    momentum: config.momentum,
                };
            }
            Impact::Reset => {
                self.config = config.clone();
                self.reset();
            }
            Impact::Rebuild => *self = Session::new(config),
        }
        self.version += 1;
    }

    /// Back to epoch 0 with the very same initial weights and shuffle order (same seeds).
    pub fn reset(&mut self) {
        self.features = self.config.input_features();
        self.net = Mlp::new(&self.config, self.features.len(), self.data.classes);
        self.shuffle = Rng::new(self.config.data_seed() ^ 0x5u64.rotate_left(60));
        self.epoch = 0;
        self.cursor = 0;
        self.history = History::default();
        self.diverged = None;
        self.evaluate();
    }

    /// Trains one mini-batch. A partial last batch ends its own epoch; the next epoch starts
    /// with a fresh shuffle. Returns whether an epoch completed.
    pub fn step_batch(&mut self) -> bool {
        if self.diverged.is_some() || self.data.train.is_empty() {
            return false;
        }
        if self.cursor == 0 {
            self.order = (0..self.data.train.len()).collect();
            self.shuffle.shuffle(&mut self.order);
        }
        let end = (self.cursor + self.config.batch_size as usize).min(self.order.len());
        let batch: Vec<(Vec<f64>, f64)> = self.order[self.cursor..end]
            .iter()
            .map(|&i| {
                let p = self.data.train[i];
                (self.inputs(p.x, p.y), p.label)
            })
            .collect();
        self.net.train_batch(&batch);
        self.cursor = end;
        self.version += 1;
        if self.cursor >= self.order.len() {
            self.cursor = 0;
            self.epoch += 1;
            self.evaluate();
            true
        } else {
            false
        }
    }

    /// Finishes the current epoch (a whole one when at its start).
    pub fn step_epoch(&mut self) {
        while self.diverged.is_none() && !self.data.train.is_empty() && !self.step_batch() {}
    }

    /// Trains whole epochs until `max_epochs` are done or `elapsed_ms()` passes `budget_ms`.
    /// Returns the epochs completed.
    pub fn train_for(
        &mut self,
        max_epochs: u32,
        budget_ms: f64,
        elapsed_ms: impl Fn() -> f64,
    ) -> u32 {
        let mut done = 0;
        while done < max_epochs && self.diverged.is_none() && elapsed_ms() < budget_ms {
            self.step_epoch();
            done += 1;
        }
        done
    }

    /// Computes losses and accuracies, records them, and stops on a non-finite loss.
    fn evaluate(&mut self) {
        let train = self.metrics(&self.data.train);
        let test = self.metrics(&self.data.test);
        let val = self.metrics(&self.data.val);
        self.latest = Record {
            epoch: self.epoch,
            loss_train: train.map_or(f64::NAN, |m| m.0),
            loss_test: test.map(|m| m.0),
            loss_val: val.map(|m| m.0),
            acc_train: train.and_then(|m| m.1),
            acc_test: test.and_then(|m| m.1),
        };
        let finite = [Some(self.latest.loss_train), self.latest.loss_test]
            .iter()
            .flatten()
            .all(|v| v.is_finite());
        if !finite && !self.data.train.is_empty() {
            self.diverged = Some(format!(
                "The loss became infinite or not a number at epoch {} (learning rate {}): the weights \
                 overflowed. Training is paused. Lower the learning rate (for example to {}) and press reset.",
                self.epoch,
                self.config.learning_rate,
                suggest_rate(self.config.learning_rate)
            ));
        }
        self.history.push(self.latest);
    }

    /// Mean loss and accuracy (classification only) over `points`; `None` when empty.
    fn metrics(&self, points: &[Point]) -> Option<(f64, Option<f64>)> {
        if points.is_empty() {
            return None;
        }
        let mut loss = 0.0;
        let mut correct = 0usize;
        for p in points {
            let outs = self.net.forward(&self.inputs(p.x, p.y));
            let out = outs.last().map_or(&[][..], |v| v.as_slice());
            loss += self.net.loss_of(out, p.label);
            if predicted_class(out) == p.label as usize {
                correct += 1;
            }
        }
        let n = points.len() as f64;
        let accuracy = (self.data.classes > 1).then(|| correct as f64 / n);
        Some((loss / n, accuracy))
    }

    /// The network's inputs for one point.
    fn inputs(&self, x: f64, y: f64) -> Vec<f64> {
        self.features.iter().map(|f| f.eval(x, y)).collect()
    }

    /// Sets one weight (`layer` counts weight layers, the output layer last).
    pub fn set_weight(&mut self, layer: usize, to: usize, from: usize, value: f64) {
        if let Some(w) = self
            .net
            .layers
            .get_mut(layer)
            .and_then(|l| l.w.get_mut(to))
            .and_then(|r| r.get_mut(from))
        {
            *w = value;
            self.after_edit();
        }
    }

    /// Sets one bias, the output bias included.
    pub fn set_bias(&mut self, layer: usize, to: usize, value: f64) {
        if let Some(b) = self.net.layers.get_mut(layer).and_then(|l| l.b.get_mut(to)) {
            *b = value;
            self.after_edit();
        }
    }

    fn after_edit(&mut self) {
        self.diverged = None;
        // Re-evaluate without recording a new epoch.
        let history = self.history.clone();
        self.evaluate();
        self.history = history;
        self.version += 1;
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn latest(&self) -> Record {
        self.latest
    }

    pub fn diverged(&self) -> Option<&str> {
        self.diverged.as_deref()
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// Everything the panels draw, computed now.
    pub fn snapshot(&self, grid: usize) -> Snapshot {
        snapshot::take(self, grid)
    }
}

/// The most probable class of an output (a single sigmoid unit means class 1 above one half).
pub fn predicted_class(out: &[f64]) -> usize {
    match out {
        [p] => usize::from(*p >= 0.5),
        _ => {
            out.iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (k, &v)| {
                    if v > best.1 {
                        (k, v)
                    } else {
                        best
                    }
                })
                .0
        }
    }
}

/// A learning rate a tenth of `lr`, rounded to one significant digit.
fn suggest_rate(lr: f64) -> f64 {
    let t = lr / 10.0;
    let mag = 10f64.powf(t.log10().floor());
    ((t / mag).round() * mag * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests;
