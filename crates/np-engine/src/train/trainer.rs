//! The trainer the app drives frame by frame: one batch or one epoch per call.

use super::config::TrainConfig;
use super::metrics::{self, EvalMetrics};
use super::objective::record_objective;
use crate::autodiff::{Graph, NodeId};
use crate::backend::{poll_once, Backend, BufferId, ReadFuture};
use crate::data::{Dataset, Splits};
use crate::error::{EngineError, Result};
use crate::nn::{release_all, Regularization, Sequential};
use crate::optim::Optimizer;
use crate::rng::{pcg_hash, Rng};
use crate::shape::Shape;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// Which part of the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    Val,
    Test,
}

/// Why training cannot go on, reported as a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Status {
    Running,
    /// The loss or a parameter became NaN or infinite.
    Diverged {
        epoch: usize,
        step: u64,
        what: String,
    },
    /// Early stopping ended the run.
    Stopped {
        epoch: usize,
        best_epoch: usize,
    },
}

/// What one batch step reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Training loss of the batch including penalties; `None` when the backend cannot read it
    /// synchronously (await [`Trainer::read_last_loss`] instead).
    pub loss: Option<f32>,
    pub rows: usize,
    /// This step finished an epoch.
    pub epoch_done: bool,
    pub status: Status,
}

/// One epoch of history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub train: EvalMetrics,
    pub val: Option<EvalMetrics>,
}

/// Owns the graph (and so the backend), the model, the optimizer and the data.
#[derive(Debug)]
pub struct Trainer {
    pub(super) graph: Graph,
    pub(super) model: Sequential,
    pub(super) opt: Optimizer,
    pub(super) cfg: TrainConfig,
    pub(super) data: Splits,
    /// Training features and dense targets on the backend, uploaded once.
    pub(super) train_x: BufferId,
    pub(super) train_t: BufferId,
    pub(super) order: Vec<u32>,
    pub(super) cursor: usize,
    pub(super) epoch: usize,
    pub(super) step: u64,
    pub(super) rng: Rng,
    pub(super) history: Vec<EpochRecord>,
    pub(super) status: Status,
    /// Early stopping's best so far: monitored loss, epoch, and copies of the parameters kept
    /// on the backend (no readback needed, so it works with a GPU in the browser).
    pub(super) best: Option<(f32, usize, Vec<BufferId>)>,
    pub(super) bad_epochs: usize,
    pub(super) last_loss: Option<NodeId>,
}

impl Trainer {
    /// A trainer on the CPU backend.
    pub fn new(cfg: TrainConfig, data: Splits) -> Result<Self> {
        Self::with_backend(cfg, data, Box::new(crate::backend::cpu::CpuBackend::new()))
    }
    /// A trainer on any backend.
    pub fn with_backend(cfg: TrainConfig, data: Splits, backend: Box<dyn Backend>) -> Result<Self> {
        if data.train.is_empty() {
            return Err(EngineError::InvalidConfig(
                "the training set is empty".into(),
            ));
        }
        if data.train.features() != cfg.model.inputs {
            return Err(EngineError::InvalidConfig(format!(
                "model takes {} inputs, data has {} features",
                cfg.model.inputs,
                data.train.features()
            )));
        }
        let mut graph = Graph::new(backend);
        let model = Sequential::new(&mut graph, &cfg.model, cfg.init_seed)?;
        let mut opt = Optimizer::new(cfg.optimizer, model.params());
        opt.set_trainable(&mut graph, &model.trainable_mask());
        let t = data.train.target_matrix(cfg.model.outputs)?;
        let train_x = graph.backend_mut().upload(data.train.x.data())?;
        let train_t = graph.backend_mut().upload(t.data())?;
        let rng = Rng::new(cfg.shuffle_seed);
        Ok(Self {
            graph,
            model,
            opt,
            cfg,
            data,
            train_x,
            train_t,
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            step: 0,
            rng,
            history: Vec::new(),
            status: Status::Running,
            best: None,
            bad_epochs: 0,
            last_loss: None,
        })
    }
    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
    pub fn model(&self) -> &Sequential {
        &self.model
    }
    pub fn data(&self) -> &Splits {
        &self.data
    }
    pub fn split(&self, s: Split) -> &Dataset {
        match s {
            Split::Train => &self.data.train,
            Split::Val => &self.data.val,
            Split::Test => &self.data.test,
        }
    }
    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.epoch
    }
    /// Batch steps taken.
    pub fn steps(&self) -> u64 {
        self.step
    }
    pub fn history(&self) -> &[EpochRecord] {
        &self.history
    }
    pub fn status(&self) -> &Status {
        &self.status
    }
    pub(super) fn batch_size(&self) -> usize {
        match self.cfg.batch_size {
            0 => self.data.train.len(),
            b => b.min(self.data.train.len()),
        }
    }
    /// Change the (base) learning rate now; weights and optimizer state are kept.
    pub fn set_lr(&mut self, lr: f32) {
        self.opt.set_lr(lr);
        self.cfg.optimizer = self.cfg.optimizer.with_lr(lr);
    }
    /// The learning rate the next step takes: the schedule's rate for this epoch.
    pub fn current_lr(&self) -> f32 {
        self.cfg.schedule.rate(self.cfg.optimizer.lr(), self.epoch)
    }
    /// Change the learning-rate schedule from the next step on; it counts from epoch 0 of the
    /// run, so the rate jumps to where the new schedule stands at this epoch.
    pub fn set_schedule(&mut self, schedule: super::Schedule) {
        self.cfg.schedule = schedule;
    }
    /// Change early stopping from the next epoch on. A run that early stopping had stopped
    /// may go on (the best epoch so far is kept; patience counts again from zero).
    pub fn set_early_stopping(&mut self, es: Option<super::EarlyStopping>) {
        if es != self.cfg.early_stopping {
            self.bad_epochs = 0;
            if matches!(self.status, Status::Stopped { .. }) {
                self.status = Status::Running;
            }
        }
        self.cfg.early_stopping = es;
    }
    /// Change the weight penalty from the next step on; weights and optimizer state are kept
    /// (the loss is recorded afresh every step).
    /// Freeze or thaw weight layers' tensors while training (`frozen` as
    /// [`crate::nn::ModelSpec::frozen`]): values and the other tensors' optimizer state stay.
    pub fn set_frozen(&mut self, frozen: Vec<crate::nn::Frozen>) -> Result<()> {
        self.model.set_frozen(&mut self.graph, frozen)?;
        self.cfg.model = self.model.spec.clone();
        self.opt
            .set_trainable(&mut self.graph, &self.model.trainable_mask());
        Ok(())
    }
    pub fn set_regularization(&mut self, r: Regularization) {
        self.cfg.regularization = r;
    }
    /// Change the mini-batch size from the next step on (0 = full batch). The epoch's shuffled
    /// order is kept, so the epoch continues where it was.
    pub fn set_batch_size(&mut self, batch_size: usize) {
        self.cfg.batch_size = batch_size;
    }
    /// Change every hidden layer's dropout rate from the next step on.
    pub fn set_dropout(&mut self, rate: f32) -> Result<()> {
        if !(0.0..1.0).contains(&rate) {
            return Err(EngineError::InvalidConfig(format!(
                "dropout rate must be in [0, 1), not {rate}"
            )));
        }
        let hidden = self.cfg.model.hidden.len();
        for l in self.model.layers.iter_mut().take(hidden) {
            l.dropout = rate;
        }
        for h in self
            .cfg
            .model
            .hidden
            .iter_mut()
            .chain(self.model.spec.hidden.iter_mut())
        {
            h.dropout = rate;
        }
        Ok(())
    }

    /// One mini-batch: forward, backward, optimizer step. The recorded graph of this step
    /// stays readable ([`Trainer::graph`]) until the next step.
    pub fn step_batch(&mut self) -> Result<StepReport> {
        self.step_batch_observed(&mut |_| Ok(()))
    }
    /// [`Trainer::step_batch`], calling `before_update` with the step's graph after backward
    /// and before the optimizer moves the weights (what the backprop stepper explains).
    pub(super) fn step_batch_observed(
        &mut self,
        before_update: &mut dyn FnMut(&Graph) -> Result<()>,
    ) -> Result<StepReport> {
        if self.status != Status::Running {
            return Ok(self.idle_report());
        }
        let n = self.data.train.len();
        if self.cursor == 0 || self.order.len() != n {
            // Reshuffle at every epoch start.
            self.order = (0..n as u32).collect();
            self.rng.shuffle(&mut self.order);
            self.cursor = 0;
        }
        let end = (self.cursor + self.batch_size()).min(n);
        let idx = self.order[self.cursor..end].to_vec();
        let (loss, rows) = self.step_on(&idx, before_update)?;
        self.cursor = end;
        let epoch_done = self.cursor >= n;
        if epoch_done {
            self.cursor = 0;
            self.epoch += 1;
        }
        Ok(StepReport {
            loss,
            rows,
            epoch_done,
            status: self.status.clone(),
        })
    }
    /// One extra step on chosen training rows (indices into the training split), outside the
    /// epoch's shuffled order: the epoch and its position stay, the step count advances.
    pub fn step_rows(&mut self, rows: &[u32]) -> Result<StepReport> {
        self.step_rows_observed(rows, &mut |_| Ok(()))
    }
    pub(super) fn step_rows_observed(
        &mut self,
        rows: &[u32],
        before_update: &mut dyn FnMut(&Graph) -> Result<()>,
    ) -> Result<StepReport> {
        let n = self.data.train.len();
        if let Some(&bad) = rows.iter().find(|&&r| r as usize >= n) {
            return Err(EngineError::InvalidConfig(format!(
                "training row {bad} does not exist: the training set has {n} rows"
            )));
        }
        if rows.is_empty() {
            return Err(EngineError::InvalidConfig(
                "a step needs at least one row".into(),
            ));
        }
        if self.status != Status::Running {
            return Ok(self.idle_report());
        }
        let (loss, rows) = self.step_on(rows, before_update)?;
        Ok(StepReport {
            loss,
            rows,
            epoch_done: false,
            status: self.status.clone(),
        })
    }
    fn idle_report(&self) -> StepReport {
        StepReport {
            loss: None,
            rows: 0,
            epoch_done: false,
            status: self.status.clone(),
        }
    }
    /// The step itself on training rows `idx`: returns the loss (when readable at once) and
    /// the row count.
    fn step_on(
        &mut self,
        idx: &[u32],
        before_update: &mut dyn FnMut(&Graph) -> Result<()>,
    ) -> Result<(Option<f32>, usize)> {
        let rows = idx.len();
        let loss = self.record_on(idx, true)?;
        let g = &mut self.graph;
        // With every tensor frozen there is nothing to differentiate: the step only measures.
        if self.opt.trains_any() {
            g.backward(loss)?;
        }
        before_update(g)?;
        // The optimizer holds the base rate between steps (so exported state and `config()`
        // name the rate the student set) and takes the schedule's rate for the step itself.
        let base = self.cfg.optimizer.lr();
        self.opt.set_lr(self.cfg.schedule.rate(base, self.epoch));
        let stepped = self.opt.step(g);
        self.opt.set_lr(base);
        stepped?;
        self.last_loss = Some(loss);
        self.step += 1;
        let value = poll_once(g.read_value(loss)?)
            .transpose()?
            .and_then(|v| v.first().copied());
        if let Some(v) = value.filter(|v| !v.is_finite()) {
            self.diverge(format!("training loss is {v}"));
        }
        Ok((value, rows))
    }
    /// Record the training objective of training rows `idx` on a fresh tape (recording off:
    /// values only, for finite differences). Gradients are zeroed, not computed.
    pub(super) fn record_on(&mut self, idx: &[u32], recording: bool) -> Result<NodeId> {
        let rows = idx.len();
        let (d, o) = (self.cfg.model.inputs, self.cfg.model.outputs);
        let dropout_seed = self.dropout_seed();
        let g = &mut self.graph;
        g.clear();
        g.zero_grad()?;
        g.set_recording(true);
        let be = g.backend_mut();
        let xb = be.alloc(rows * d)?;
        be.gather_rows(self.train_x, d, idx, xb)?;
        let tb = be.alloc(rows * o)?;
        be.gather_rows(self.train_t, o, idx, tb)?;
        let x = g.input_buffer("x", xb, Shape::matrix(rows, d))?;
        let t = g.input_buffer("y", tb, Shape::matrix(rows, o))?;
        g.set_recording(recording);
        let loss = record_objective(
            g,
            &self.model,
            self.cfg.loss,
            self.cfg.regularization,
            (x, t),
            Some(dropout_seed),
        );
        g.set_recording(true);
        loss
    }
    /// The dropout masks' seed of the next step (a function of the step count, so a restored
    /// run and an explained step draw the same masks).
    pub(super) fn dropout_seed(&self) -> u32 {
        pcg_hash((self.cfg.shuffle_seed as u32) ^ pcg_hash(self.step as u32))
    }
    /// The last step's loss, read asynchronously (for backends that cannot block).
    pub fn read_last_loss(&self) -> Result<ReadFuture> {
        match self.last_loss {
            Some(id) => self.graph.read_value(id),
            None => Err(EngineError::InvalidConfig("no step taken yet".into())),
        }
    }
    /// Output-unit values for many rows at once (graph-free, e.g. the decision grid).
    /// # Shapes
    /// `x: [rows, inputs]`; result `[rows, outputs]`.
    pub fn predict(&mut self, x: &Tensor) -> Result<Tensor> {
        let fut = self.predict_async(x)?;
        let rows = x.shape().rows_cols().0;
        let v = poll_once(fut).unwrap_or(Err(EngineError::NotReady))?;
        Tensor::new(v, &[rows, self.cfg.model.outputs])
    }
    /// [`Trainer::predict`] with an asynchronous read (GPU in the browser).
    pub fn predict_async(&mut self, x: &Tensor) -> Result<ReadFuture> {
        let (rows, d) = x.shape().rows_cols();
        if d != self.cfg.model.inputs {
            return Err(EngineError::ShapeMismatch {
                op: "predict",
                left: x.dims().to_vec(),
                right: vec![rows, self.cfg.model.inputs],
            });
        }
        let xb = self.graph.backend_mut().upload(x.data())?;
        let pairs = self.model.infer(&mut self.graph, xb, rows, false)?;
        let be = self.graph.backend_mut();
        let fut = match pairs.last() {
            Some(&(_, post)) => be.read(post),
            None => Box::pin(std::future::ready(Ok(Vec::new()))),
        };
        release_all(be, &pairs);
        be.release(xb);
        Ok(fut)
    }
    /// Loss and metrics of a split from predictions (synchronous).
    pub fn evaluate(&mut self, s: Split) -> Result<EvalMetrics> {
        let set = self.split(s).clone();
        if set.is_empty() {
            return Ok(EvalMetrics::default());
        }
        let pred = self.predict(&set.x)?;
        self.metrics_from_predictions(&set, pred.data())
    }
    /// Loss and metrics of `set` given predictions `[n, outputs]` (after an async predict).
    pub fn metrics_from_predictions(&self, set: &Dataset, pred: &[f32]) -> Result<EvalMetrics> {
        let o = self.cfg.model.outputs;
        let t = set.target_matrix(o)?;
        let mut m = EvalMetrics {
            loss: metrics::loss_from_predictions(self.cfg.loss, pred, t.data(), o),
            samples: set.len(),
            ..EvalMetrics::default()
        };
        if set.is_regression() {
            m.r2 = Some(metrics::r2(pred, &set.y));
        } else {
            let classes = metrics::predicted_classes(pred, o, self.cfg.model.output);
            m.accuracy = Some(metrics::accuracy(&classes, &set.y));
            if set.classes == 2 {
                let scores: Vec<f32> = pred
                    .chunks_exact(o)
                    .map(|r| metrics::positive_score(r) as f32)
                    .collect();
                m.auc = metrics::roc_auc(&scores, &set.y);
            }
        }
        Ok(m)
    }
    /// `m[true][predicted]` on a split.
    pub fn confusion(&mut self, s: Split) -> Result<Vec<Vec<usize>>> {
        let set = self.split(s).clone();
        let pred = self.predict(&set.x)?;
        let classes =
            metrics::predicted_classes(pred.data(), self.cfg.model.outputs, self.cfg.model.output);
        Ok(metrics::confusion_matrix(
            &classes,
            &set.y,
            set.classes.max(1),
        ))
    }
}

impl Drop for Trainer {
    fn drop(&mut self) {
        self.drop_best();
        self.opt.reset(&mut self.graph);
        let be = self.graph.backend_mut();
        be.release(self.train_x);
        be.release(self.train_t);
    }
}
