//! Evaluation, one asynchronous path for every backend. The session records its reads at once
//! (`begin_eval`, so they see exactly the weights of that moment), the caller awaits them
//! (`PendingEval::run`) and hands the values back (`finish_eval`). On the CPU the reads are
//! complete when recorded, so awaiting them costs nothing; on WebGPU they resolve when the
//! device has done the work.
//!
//! Two things are read. The metrics (losses, accuracies, a history point) are owed after each
//! epoch and after every change (`Due`). The view (every layer's output over the drawing grid,
//! and the parameters) is read only when someone will look at it: the host asks for it when the
//! page can draw another snapshot.

use std::fmt;

use np_engine::backend::ReadFuture;
use np_engine::nn::OutputUnit;
use np_engine::train::metrics::predicted_classes;
use np_engine::train::{EvalMetrics, LayerActivations, PendingActivations, Split};
use np_wgpu::FallbackBackend;

use super::{Record, Session};
use crate::analysis::groups::count;

/// Metrics owed: `record` adds a history point, `epoch_done` also takes a device-loss
/// checkpoint on a GPU handle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Due {
    pub record: bool,
    pub epoch_done: bool,
}

impl Due {
    pub fn merge(self, other: Due) -> Due {
        Due {
            record: self.record || other.record,
            epoch_done: self.epoch_done || other.epoch_done,
        }
    }
}

/// Reads already submitted, not yet awaited. Owns everything it needs ('static futures), so the
/// session stays free while they complete.
pub struct PendingEval {
    generation: u64,
    /// The metrics owed, if any (a view-only read has none).
    due: Option<Due>,
    loss: Option<ReadFuture>,
    splits: [Option<ReadFuture>; 3],
    /// Every layer's outputs over the drawing grid: the hidden ones are the neuron thumbnails,
    /// the last one the output heatmap.
    grid: Option<PendingActivations>,
    /// Every layer's weights and bias, `w1, b1, w2, b2, ...`, with their dims.
    params: Vec<(Vec<usize>, ReadFuture)>,
    /// The GPU handle, for the per-epoch checkpoint; `None` on the plain CPU backend.
    backend: Option<FallbackBackend>,
}

impl fmt::Debug for PendingEval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingEval")
            .field("generation", &self.generation)
            .field("due", &self.due)
            .finish_non_exhaustive()
    }
}

type Read = Option<Result<Vec<f32>, String>>;

/// The values of a `PendingEval`, ready to apply.
#[derive(Debug)]
pub struct EvalReads {
    generation: u64,
    due: Option<Due>,
    loss: Read,
    splits: [Read; 3],
    grid: Option<Result<Vec<LayerActivations>, String>>,
    params: Vec<(Vec<usize>, Read)>,
    /// A failed checkpoint (the device-loss insurance); training goes on without it.
    pub checkpoint_error: Option<String>,
}

async fn settle(f: Option<ReadFuture>) -> Read {
    match f {
        Some(f) => Some(f.await.map_err(|e| e.to_string())),
        None => None,
    }
}

impl PendingEval {
    /// Awaits the reads one after another, then checkpoints once per epoch.
    pub async fn run(self) -> EvalReads {
        let loss = settle(self.loss).await;
        let [a, b, c] = self.splits;
        let splits = [settle(a).await, settle(b).await, settle(c).await];
        let grid = match self.grid {
            Some(g) => Some(g.finish().await.map_err(|e| e.to_string())),
            None => None,
        };
        let mut params = Vec::with_capacity(self.params.len());
        for (dims, f) in self.params {
            params.push((dims, settle(Some(f)).await));
        }
        let checkpoint_error = match (&self.backend, self.due) {
            (Some(b), Some(d)) if d.epoch_done => b.checkpoint().await.err().map(|e| e.to_string()),
            _ => None,
        };
        EvalReads {
            generation: self.generation,
            due: self.due,
            loss,
            splits,
            grid,
            params,
            checkpoint_error,
        }
    }
}

const SPLITS: [Split; 3] = [Split::Train, Split::Val, Split::Test];

impl Session {
    /// Whether training runs on the GPU (through the fallback handle).
    pub fn on_gpu(&self) -> bool {
        self.gpu.is_some()
    }

    /// The reason training left the GPU mid-run, once it has.
    pub fn fell_back(&self) -> Option<String> {
        self.gpu.as_ref().and_then(FallbackBackend::fell_back)
    }

    /// Whether metrics are owed: training waits until they are read.
    pub fn eval_due(&self) -> bool {
        self.due.is_some()
    }

    /// Submits the reads of the owed metrics, and of the view when `view`; `None` when there
    /// is nothing to read.
    pub fn begin_eval(&mut self, view: bool) -> Option<PendingEval> {
        if self.due.is_none() && !view {
            return None;
        }
        if view && self.grid_rows.as_ref().is_none_or(|(g, _)| *g != self.grid) {
            self.grid_rows = super::snapshot::grid_rows(self, self.grid).map(|t| (self.grid, t));
        }
        let backend = self.gpu.clone();
        // Taken first: with no network (the experiment was refused) nothing stays owed.
        let due = self.due.take();
        let probe = self.train_probe.as_ref();
        let t = self.trainer.as_mut()?;
        let loss = due.and_then(|_| t.read_last_loss().ok());
        let splits = SPLITS.map(|s| {
            let set = match (s, probe) {
                (Split::Train, Some(p)) => p,
                _ => t.split(s),
            };
            if due.is_none() || set.is_empty() {
                return None;
            }
            let x = set.x.clone();
            t.predict_async(&x).ok()
        });
        let grid = match self.grid_rows.as_ref() {
            Some((_, rows)) if view => t.begin_activations(rows).ok(),
            _ => None,
        };
        let params = t
            .model()
            .params()
            .into_iter()
            .filter_map(|v| {
                let var = t.graph().var_info(v).ok()?;
                let read = t.graph().backend().read(var.value_buffer());
                Some((var.shape.dims().to_vec(), read))
            })
            .collect();
        Some(PendingEval {
            generation: self.generation,
            due,
            loss,
            splits,
            grid,
            params,
            backend,
        })
    }

    /// Applies an evaluation's values; stale ones (from before a reset or rebuild) are dropped.
    /// Returns whether anything changed.
    pub fn finish_eval(&mut self, r: EvalReads) -> bool {
        if r.generation != self.generation {
            return false;
        }
        let Some(t) = self.trainer.as_mut() else {
            return false;
        };
        let mut failed = None;
        let probe = self.train_probe.as_ref();
        let mut metrics = |i: usize, read: &Read| -> Option<EvalMetrics> {
            let set = match (SPLITS[i], probe) {
                (Split::Train, Some(p)) => p,
                (s, _) => t.split(s),
            };
            match read {
                Some(Ok(v)) => t.metrics_from_predictions(set, v).ok(),
                Some(Err(e)) => {
                    failed = Some(e.clone());
                    None
                }
                None => None,
            }
        };
        let [train, val, test] = [0, 1, 2].map(|i| metrics(i, &r.splits[i]));
        if let (Some(Ok(pred)), Some(wide)) = (&r.splits[2], &self.data.wide) {
            if !wide.groupings.is_empty() && self.data.classes > 1 {
                let set = t.split(Split::Test);
                let outputs = t.config().model.outputs;
                let unit = if outputs == 1 {
                    OutputUnit::Sigmoid
                } else {
                    OutputUnit::Softmax
                };
                let predicted = predicted_classes(pred, outputs, unit);
                self.groups = count(
                    &wide.groupings,
                    set.x.data(),
                    set.features(),
                    &set.y,
                    &predicted,
                    self.data.classes,
                );
            }
        }
        match &r.grid {
            Some(Ok(acts)) => {
                (self.output, self.neurons) = super::snapshot::grid_views(acts);
            }
            Some(Err(e)) => failed = Some(e.clone()),
            None => {}
        }
        let step_loss = match &r.loss {
            Some(Ok(v)) => v.first().copied(),
            _ => None,
        };
        let mut params = Vec::with_capacity(r.params.len());
        for (dims, read) in r.params {
            match read {
                Some(Ok(v)) => params.push((dims, v)),
                Some(Err(e)) => failed = Some(e),
                None => {}
            }
        }
        if failed.is_none() {
            self.layers = params
                .chunks_exact(2)
                .map(|wb| super::snapshot::layer_view(&wb[0].0, &wb[0].1, &wb[1].1))
                .collect();
        }
        if failed.is_some() && self.gpu.as_ref().is_some_and(|g| !g.on_gpu()) {
            // The device was lost while these reads were in flight; the backend has moved to
            // the CPU with the same state. Ask again there instead of stopping the run.
            if let Some(d) = r.due {
                self.due = Some(self.due.unwrap_or_default().merge(d));
            }
            self.version += 1;
            return true;
        }
        if let Some(e) = failed {
            self.diverged = Some(format!("Reading results from the GPU failed: {e}"));
            self.version += 1;
            return true;
        }
        let Some(due) = r.due else {
            // A view-only read: the metrics stand as they were.
            return true;
        };
        let loss = |m: &Option<EvalMetrics>| m.as_ref().map(|m| f64::from(m.loss));
        let acc = |m: &Option<EvalMetrics>| m.as_ref().and_then(|m| m.accuracy.map(f64::from));
        let latest = Record {
            epoch: t.epoch() as u64,
            loss_train: loss(&train).unwrap_or(f64::NAN),
            loss_test: loss(&test),
            loss_val: loss(&val),
            acc_train: acc(&train),
            acc_test: acc(&test),
            auc_test: test.as_ref().and_then(|m| m.auc.map(f64::from)),
        };
        let values: Vec<Vec<f32>> = params.into_iter().map(|(_, v)| v).collect();
        self.judge(latest, step_loss, Some(values.as_slice()), due.record);
        // Early stopping judges completed epochs only, on the metrics just read.
        if due.epoch_done && self.diverged.is_none() {
            if let (Some(t), Some(train)) = (self.trainer.as_mut(), train.as_ref()) {
                if let Err(e) = t.watch_early_stopping(train, val.as_ref()) {
                    self.diverged = Some(format!("Early stopping failed: {e}"));
                }
            }
        }
        self.version += 1;
        true
    }
}
