//! The training session: turns a Config into np-engine data and a `Trainer`, steps it in
//! slices, evaluates it (`eval.rs`, one asynchronous path for every backend) and hands out
//! snapshots for drawing. Knows nothing of the DOM, so it is tested natively; the host
//! (`host.rs`) decides when to call it, in a Web Worker or on the page.

pub mod data;
mod eval;
pub mod history;
pub mod host;
pub mod own;
pub mod run;
pub mod shipped;
mod snapshot;
mod spec;

use std::rc::Rc;

use np_engine::train::{GradCheck, Split, Status, StepExplanation, StepPick, Trainer};
use np_engine::Tensor;
use np_wgpu::FallbackBackend;

pub use data::{Data, Extent, Point};
pub use eval::{EvalReads, PendingEval};
pub use history::{History, Record};
pub use snapshot::{layer_view, LayerView, RunProgress, Snapshot};
pub use spec::{activation as engine_activation, frozen as frozen_tensors, train_config};

use crate::config::{BackendChoice, Config, Dataset, Feature};
use crate::state::Impact;

/// Grid resolution of the output heatmap and the neuron thumbnails.
pub const GRID: usize = 40;

/// A running experiment.
#[derive(Debug)]
pub struct Session {
    config: Config,
    data: Rc<Data>,
    features: Vec<Feature>,
    /// `None` only when the engine refused the experiment (then `diverged` says why).
    trainer: Option<Trainer>,
    history: History,
    latest: Record,
    diverged: Option<String>,
    /// The shipped dataset this session waits for: no network is built until its file is
    /// loaded (`shipped::load`), then the host builds the session again.
    waiting: Option<crate::config::Dataset>,
    /// Input rows of the drawing grid, by grid size.
    grid_rows: Option<(usize, Tensor)>,
    /// Bumped whenever something drawable changes.
    version: u64,
    /// The GPU handle the trainer runs on; `None` on the plain CPU backend.
    gpu: Option<FallbackBackend>,
    /// Metrics owed (see `eval.rs`): training waits until they are read.
    due: Option<eval::Due>,
    /// Counts resets and rebuilds, so a late evaluation of an older network is dropped.
    generation: u64,
    /// Side of the drawing grid the view is read at.
    grid: usize,
    /// The last view read: the output over the grid, the hidden neurons' outputs over it, the
    /// parameters.
    output: Vec<Vec<f64>>,
    neurons: Vec<Vec<Vec<f64>>>,
    layers: Vec<LayerView>,
    /// The training rows the training metrics are measured on, when the training part is
    /// larger than [`TRAIN_METRIC_ROWS`]; `None`: all of them.
    train_probe: Option<np_engine::data::Dataset>,
    /// The last test metrics' counts per group (`analysis::groups`).
    groups: Vec<crate::analysis::groups::GroupCounts>,
}

/// Most training rows the training loss and accuracy are measured on after each epoch. On
/// MNIST's 60,000 rows, measuring every row took about as long as half an epoch of training;
/// 10,000 evenly spaced rows give the same curve to about a percent of accuracy for a sixth of
/// the cost. The test and validation parts are always measured whole.
pub const TRAIN_METRIC_ROWS: usize = 10_000;

/// The rows of `train` its metrics are measured on when it has more than `limit`: `limit` of
/// them at most, evenly spaced; `None` when every row is measured.
fn train_probe(train: &np_engine::data::Dataset, limit: usize) -> Option<np_engine::data::Dataset> {
    if train.len() <= limit {
        return None;
    }
    let rows: Vec<usize> = data::evenly_spaced(train.len(), limit).collect();
    train.subset(&rows).ok()
}

impl Session {
    /// Data and a fresh network for `config` on the CPU backend.
    pub fn new(config: &Config) -> Self {
        Self::build(config, None)
    }

    /// The same network (same seeds) on `gpu` when given, else on the CPU. The one place that
    /// turns a Config into an engine.
    pub fn build(config: &Config, gpu: Option<FallbackBackend>) -> Self {
        let features = config.input_features();
        let built = data::build(config, &features).and_then(|(splits, data)| {
            let inputs = splits.train.features();
            let cfg = spec::train_config(config, inputs, data.classes);
            let trainer = match &gpu {
                Some(g) => Trainer::with_backend(cfg, splits, Box::new(g.clone())),
                None => Trainer::new(cfg, splits),
            };
            trainer.map(|t| (t, data)).map_err(|e| e.to_string())
        });
        let dataset = config.active_dataset();
        let not_read = match dataset {
            Dataset::Own => own::get().is_none(),
            d => d.is_shipped() && shipped::get(d).is_none(),
        };
        let waiting = not_read.then_some(dataset);
        let (trainer, data, diverged) = match built {
            Ok((t, d)) => (Some(t), d, None),
            // Not refused: the host fetches the file and builds again when it arrives.
            Err(_) if waiting.is_some() => (None, Data::default(), None),
            // The student's file under a choice that does not work: the column picker stays
            // (it is in the data) so the choice can be changed.
            Err(e) if dataset == Dataset::Own => (
                None,
                own::build(config).map(|(_, d)| d).unwrap_or_default(),
                Some(format!(
                    "Your file cannot be trained on with these columns: {e}. Change the target or the inputs in the data area."
                )),
            ),
            Err(e) => (
                None,
                Data::default(),
                Some(format!(
                    "This experiment cannot be built: {e}. Change the data or network settings."
                )),
            ),
        };
        let mut s = Self {
            config: config.clone(),
            data: Rc::new(data),
            features,
            trainer,
            history: History::default(),
            latest: Record::default(),
            diverged,
            waiting,
            grid_rows: None,
            version: 0,
            gpu,
            due: None,
            generation: 0,
            grid: GRID,
            output: Vec::new(),
            neurons: Vec::new(),
            layers: Vec::new(),
            train_probe: None,
            groups: Vec::new(),
        };
        s.train_probe = s
            .trainer
            .as_ref()
            .and_then(|t| train_probe(t.split(Split::Train), TRAIN_METRIC_ROWS));
        // The diagram needs the layer shapes before the first read lands: zeros until then.
        s.layers = s
            .trainer
            .as_ref()
            .map_or_else(Vec::new, |t| snapshot::zero_layers(&t.config().model));
        // No loss is known until then either (not 0).
        s.latest.loss_train = f64::NAN;
        s.evaluate(true);
        s
    }

    /// Adopts a changed config with the least disruption `impact` allows.
    pub fn update(&mut self, config: &Config, impact: Impact) {
        match impact {
            Impact::None => self.config = config.clone(),
            Impact::Live => {
                if let Some(t) = self.trainer.as_mut() {
                    // The same kind of optimizer with other settings keeps its state.
                    if spec::update_rule(config) != spec::update_rule(&self.config) {
                        t.set_optimizer(spec::update_rule(config));
                    }
                    t.set_lr(config.learning_rate as f32);
                    t.set_schedule(spec::schedule(config));
                    t.set_early_stopping(spec::early_stopping(config));
                    t.set_regularization(spec::regularization(config));
                    t.set_batch_size(config.batch_size as usize);
                    // The reducer clamps dropout below 1, which is all the engine refuses.
                    let _ = t.set_dropout(config.dropout as f32);
                    // The reducer keeps the flags to the network's layers, all the engine checks.
                    let _ = t.set_frozen(spec::frozen(config));
                }
                self.config = config.clone();
            }
            Impact::Reset | Impact::Rebuild => {
                // Stays on the GPU handle unless the CPU was picked; the app reopens the
                // backend when the choice changes.
                let gpu = self
                    .gpu
                    .take()
                    .filter(|_| config.backend != BackendChoice::Cpu);
                self.rebuild(config, gpu);
            }
        }
        self.version += 1;
    }

    /// A fresh session for `config` on `gpu` (or the CPU). Versions and generations keep
    /// counting across sessions: panels compare snapshots by version.
    pub fn rebuild(&mut self, config: &Config, gpu: Option<FallbackBackend>) {
        let (version, generation) = (self.version, self.generation);
        // The old network goes first: on a GPU handle its buffers return to the pool (and the
        // handle's journal empties) before the new one allocates.
        self.trainer = None;
        *self = Session::build(config, gpu);
        self.version = version + 1;
        self.generation = generation + 1;
    }

    /// Moves the running experiment onto `target` (a GPU handle, or the plain CPU backend for
    /// `None`) where it stands: weights, optimizer state, epoch, shuffle position and history go
    /// across (`Trainer::export` / `import`), and what is on screen stays until the new backend's
    /// first evaluation lands. From a GPU the handle first hands its work to its CPU understudy
    /// (`FallbackBackend::leave_gpu`), so the export reads synchronously.
    ///
    /// Why move rather than wait for the device: opening WebGPU takes from a fraction of a
    /// second to several seconds (adapter, device, compiling every kernel), and a student who
    /// presses play at once expects training to start at once. Training on the CPU meanwhile
    /// and handing the run over keeps both: nothing restarts and no epoch is lost. The same goes
    /// for switching the backend choice mid-run. (Early stopping's best snapshot and patience
    /// start afresh, as after any `import`.)
    pub fn move_to(&mut self, target: Option<FallbackBackend>) {
        let left = self
            .gpu
            .as_ref()
            .map_or(Ok(()), |g| g.leave_gpu("cpu: moved to another backend"));
        let state = match (left, self.trainer.as_ref()) {
            (Ok(()), Some(t)) => t.export().ok(),
            _ => None,
        };
        let Some(state) = state else {
            let config = self.config.clone();
            self.rebuild(&config, target);
            return;
        };
        let shown = (
            std::mem::take(&mut self.output),
            std::mem::take(&mut self.neurons),
            std::mem::take(&mut self.layers),
        );
        // The old trainer goes first, so the two never hold memory at once.
        self.trainer = None;
        let mut next = Session::build(&self.config, target);
        let imported = next.trainer.as_mut().map(|t| t.import(&state));
        if let Some(Err(e)) = imported {
            next.diverged = Some(format!("Moving training to the new backend failed: {e}"));
        } else {
            next.history = std::mem::take(&mut self.history);
            next.latest = self.latest;
            next.diverged = self.diverged.take();
            (next.output, next.neurons, next.layers) = shown;
            // One evaluation on the new backend to confirm the numbers; no new history point.
            next.due = None;
            next.evaluate(false);
        }
        next.version = self.version + 1;
        next.generation = self.generation + 1;
        *self = next;
    }

    /// Floating-point operations of one training step (the automatic backend rule's input).
    pub fn step_flops(&self) -> f64 {
        let Some(t) = self.trainer.as_ref() else {
            return 0.0;
        };
        let batch = match t.config().batch_size {
            0 => t.split(Split::Train).len(),
            b => b.min(t.split(Split::Train).len()),
        };
        t.config().model.step_flops(batch)
    }

    /// Back to epoch 0 with the very same initial weights and shuffle order (same seeds).
    /// The app resets through `update(.., Impact::Reset)`, which rebuilds from the same seeds;
    /// the tests use this in-place reset to check the two agree.
    #[cfg(test)]
    pub fn reset(&mut self) {
        if let Some(t) = self.trainer.as_mut() {
            if let Err(e) = t.reset() {
                self.diverged = Some(format!("Reset failed: {e}"));
                return;
            }
            self.diverged = None;
        }
        self.history = History::default();
        self.generation += 1;
        self.due = None;
        self.evaluate(true);
        self.version += 1;
    }

    /// The dataset whose file this session waits for (shipped, or the student's), if any.
    pub fn waiting_for(&self) -> Option<crate::config::Dataset> {
        self.waiting
    }

    /// Whether training can go on (built, not diverged, not stopped early).
    pub fn can_train(&self) -> bool {
        self.running()
    }

    fn running(&self) -> bool {
        self.diverged.is_none()
            && self
                .trainer
                .as_ref()
                .is_some_and(|t| *t.status() == Status::Running)
    }

    /// Trains one mini-batch. A partial last batch ends its own epoch; the next epoch starts
    /// with a fresh shuffle (the engine's). Returns whether an epoch completed. Nothing happens
    /// while metrics are owed: they must be read first (`begin_eval`), or an epoch's record is
    /// lost.
    pub fn step_batch(&mut self) -> bool {
        if !self.running() || self.due.is_some() {
            return false;
        }
        let Some(t) = self.trainer.as_mut() else {
            return false;
        };
        let report = t.step_batch();
        self.version += 1;
        match report {
            Ok(r) => {
                if r.epoch_done || r.status != Status::Running {
                    self.evaluate(true);
                }
                r.epoch_done
            }
            Err(e) => {
                self.diverged = Some(format!("Training failed: {e}"));
                false
            }
        }
    }

    /// Finishes the current epoch (a whole one when at its start).
    pub fn step_epoch(&mut self) {
        while self.running() && self.due.is_none() && !self.step_batch() {}
    }

    /// Trains mini-batches until `max_epochs` epochs have completed, `elapsed_ms()` passes
    /// `budget_ms` or an epoch's metrics are owed (read them, then call again); batch
    /// granularity keeps a slice short even when one epoch is slow. Returns the epochs completed.
    pub fn train_for(
        &mut self,
        max_epochs: u32,
        budget_ms: f64,
        elapsed_ms: impl Fn() -> f64,
    ) -> u32 {
        let mut done = 0;
        // An epoch's evaluation must be read before training goes on.
        while done < max_epochs && self.running() && elapsed_ms() < budget_ms && self.due.is_none()
        {
            if self.step_batch() {
                done += 1;
            }
        }
        done
    }

    /// Owes an evaluation of losses and accuracies (recorded in the history when `record`);
    /// `begin_eval` reads it.
    fn evaluate(&mut self, record: bool) {
        let due = eval::Due {
            record,
            epoch_done: record && self.trainer.as_ref().is_some_and(|t| t.steps() > 0),
        };
        self.due = Some(self.due.unwrap_or_default().merge(due));
    }

    /// Takes `latest` as the current metrics, stops when the trainer judges the run diverged
    /// (`Trainer::check_divergence`: a non-finite loss or parameter, among them `latest`'s
    /// losses, `step_loss` and `params` where the caller read them), and records it in the
    /// history when `record`.
    fn judge(
        &mut self,
        latest: Record,
        step_loss: Option<f32>,
        params: Option<&[Vec<f32>]>,
        record: bool,
    ) {
        self.latest = latest;
        let Some(t) = self.trainer.as_mut() else {
            return;
        };
        // Losses are kept as f64 for drawing; the engine's values are f32, so this is exact.
        let mut losses = vec![("the training loss", latest.loss_train as f32)];
        losses.extend(latest.loss_test.map(|v| ("the test loss", v as f32)));
        losses.extend(step_loss.map(|v| ("the last step's loss", v)));
        let why = match t.check_divergence(&losses, params) {
            Ok(Status::Diverged { what, .. }) => Some(what.clone()),
            Ok(_) => None,
            Err(e) => Some(format!("reading the weights failed ({e})")),
        };
        if let Some(what) = why {
            let lr = self.config.learning_rate;
            self.diverged = Some(format!(
                "At epoch {} {what}: the weights overflowed. Training is paused. Lower the learning rate \
                 (for example from {lr} to {}) and press reset.",
                self.latest.epoch,
                suggest_rate(lr)
            ));
        }
        if record {
            self.history.push(self.latest);
        }
    }

    /// One training step explained and undone (the backprop stepper, the graph panel): see
    /// `Trainer::explain_step`. The engine reads values synchronously, so this needs the CPU
    /// backend; on the GPU the student is told to switch.
    pub fn explain(&mut self, pick: StepPick) -> Result<StepExplanation, String> {
        self.engine_view()?
            .explain_step(pick)
            .map_err(|e| e.to_string())
    }

    /// The gradient check of the next mini-batch (see `Trainer::gradient_check`).
    pub fn gradient_check(&mut self, limit: usize, seed: u64) -> Result<GradCheck, String> {
        self.engine_view()?
            .gradient_check(limit, seed)
            .map_err(|e| e.to_string())
    }

    /// The loss landscape around the current weights (see `Trainer::landscape`).
    pub fn landscape(
        &mut self,
        request: &np_engine::train::LandscapeRequest,
    ) -> Result<np_engine::train::Landscape, String> {
        self.engine_view()?
            .landscape(request)
            .map_err(|e| e.to_string())
    }

    /// One extra step on one chosen training row (the stepper's "take this step").
    pub fn step_row(&mut self, row: u32) -> Result<(), String> {
        if self.due.is_some() {
            return Err("the last epoch's metrics are still being read: try again".into());
        }
        let t = self.engine_view()?;
        t.step_rows(&[row]).map_err(|e| e.to_string())?;
        // Not an epoch's end: the metrics are read afresh, not recorded.
        self.evaluate(false);
        self.version += 1;
        Ok(())
    }

    /// The trainer, where the inside-the-engine views can read it synchronously.
    fn engine_view(&mut self) -> Result<&mut Trainer, String> {
        if self.on_gpu() {
            return Err(
                "This view reads the engine's values as it computes them, which only \
                the CPU backend allows: choose the CPU backend to use it."
                    .into(),
            );
        }
        if let Some(why) = &self.diverged {
            return Err(format!("The run has stopped ({why}): reset it first."));
        }
        self.trainer
            .as_mut()
            .ok_or_else(|| "There is no network yet.".to_string())
    }

    /// Sets one weight (`layer` counts weight layers, the output layer last).
    pub fn set_weight(&mut self, layer: usize, to: usize, from: usize, value: f64) {
        if let Some(t) = self.trainer.as_mut() {
            if t.set_weight(layer, from, to, value as f32).is_ok() {
                self.after_edit();
            }
        }
    }

    /// Sets one bias, the output bias included.
    pub fn set_bias(&mut self, layer: usize, to: usize, value: f64) {
        if let Some(t) = self.trainer.as_mut() {
            if t.set_bias(layer, to, value as f32).is_ok() {
                self.after_edit();
            }
        }
    }

    fn after_edit(&mut self) {
        self.diverged = None;
        self.evaluate(false);
        self.version += 1;
    }

    pub fn diverged(&self) -> Option<&str> {
        self.diverged.as_deref()
    }

    /// Bumped whenever something drawable changes.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The latest metrics and the last view read, ready to draw.
    pub fn snapshot(&self) -> Snapshot {
        snapshot::take(self)
    }

    /// Where the schedule and early stopping stand.
    pub fn progress(&self) -> RunProgress {
        let Some(t) = self.trainer.as_ref() else {
            return RunProgress {
                lr: self.config.learning_rate,
                ..RunProgress::default()
            };
        };
        let best = t.config().early_stopping.and(t.best_epoch());
        RunProgress {
            lr: f64::from(t.current_lr()),
            best_epoch: best.map(|(e, _)| e as u64),
            waited: t.epochs_without_improvement() as u64,
            stopped_early: self.stopped_early(),
        }
    }

    /// Why early stopping ended the run, in words; `None` while it runs.
    pub fn stopped_early(&self) -> Option<String> {
        let t = self.trainer.as_ref()?;
        let Status::Stopped { epoch, best_epoch } = *t.status() else {
            return None;
        };
        let es = t.config().early_stopping?;
        let split = if t.split(Split::Val).is_empty() {
            "training"
        } else {
            "validation"
        };
        let metric = match es.monitor {
            np_engine::train::Monitor::Loss => "loss",
            np_engine::train::Monitor::Accuracy if self.data.classes > 0 => "accuracy",
            np_engine::train::Monitor::Auc if self.data.classes == 2 => "AUC",
            // The engine watches the loss where the problem lacks the metric.
            _ => "loss (this problem has no such metric)",
        };
        let restored = if es.restore_best {
            format!(" The weights of epoch {best_epoch}, the best, are back in place.")
        } else {
            " The weights are those of the last epoch (restore best is off).".to_string()
        };
        Some(format!(
            "Early stopping ended the run at epoch {epoch}: the {split} {metric} had not improved \
             for {} epochs since epoch {best_epoch}.{restored} To train on, turn early stopping \
             off or raise its patience; reset starts over.",
            es.patience
        ))
    }

    /// Reads what is owed (and the view when `view`) at once: on the CPU the reads are ready
    /// when recorded. Returns false if a read was still pending (a real GPU), which tests and
    /// the native tools never meet.
    #[cfg(test)]
    pub fn settle_now(&mut self, view: bool) -> bool {
        let mut view = view;
        while let Some(p) = self.begin_eval(view) {
            view = false;
            match np_engine::backend::poll_once(Box::pin(p.run())) {
                Some(reads) => {
                    self.finish_eval(reads);
                }
                None => return false,
            }
        }
        true
    }

    /// The run as plain data, read asynchronously (the GPU's weights are read back).
    pub async fn checkpoint_async(&self) -> Option<crate::protocol::Checkpoint> {
        let trainer = self.trainer.as_ref()?.export_async().await.ok()?;
        Some(crate::protocol::Checkpoint {
            trainer,
            history: self.history.clone(),
            latest: self.latest,
        })
    }

    /// The run as plain data, now; `None` where a read is pending (a real GPU).
    #[cfg(test)]
    pub fn checkpoint(&self) -> Option<crate::protocol::Checkpoint> {
        np_engine::backend::poll_once(Box::pin(self.checkpoint_async())).flatten()
    }

    /// Continues from `c`, a checkpoint of this same experiment. Refused (with the reason, the
    /// run untouched) when it does not fit the network.
    pub fn restore(&mut self, c: &crate::protocol::Checkpoint) -> Result<(), String> {
        c.history.check()?;
        let t = self
            .trainer
            .as_mut()
            .ok_or("there is no network to restore into")?;
        // The config says how the run trains. A state kept by another kind of optimizer means
        // nothing to this one; the same kind under other settings (a learning rate changed
        // after the checkpoint) keeps its state and takes the config's settings.
        let rule = spec::update_rule(&self.config);
        let kept = c.trainer.optimizer.rule;
        if std::mem::discriminant(&kept) != std::mem::discriminant(&rule)
            || kept.state_buffers() != rule.state_buffers()
        {
            return Err(format!(
                "its optimizer state was kept by {}, and this experiment trains with {}",
                kept.name(),
                rule.name()
            ));
        }
        t.import(&c.trainer).map_err(|e| e.to_string())?;
        t.set_optimizer(rule);
        self.history = c.history.clone();
        self.latest = c.latest;
        self.diverged = None;
        self.due = None;
        self.generation += 1;
        self.version += 1;
        // The metrics are the checkpoint's, as the page showed them when it was made: metrics
        // are measured at epoch ends, and measuring mid-epoch now would show other numbers for
        // the same run. The view is read afresh with the next snapshot.
        Ok(())
    }

    /// An epoch, and its metrics read at once.
    #[cfg(test)]
    pub fn step_epoch_now(&mut self) {
        self.settle_now(false);
        self.step_epoch();
        self.settle_now(false);
    }

    /// A batch, and what it owes read at once. Returns whether an epoch completed.
    #[cfg(test)]
    pub fn step_batch_now(&mut self) -> bool {
        self.settle_now(false);
        let done = self.step_batch();
        self.settle_now(false);
        done
    }

    /// The epoch of the latest metrics, read now.
    #[cfg(test)]
    pub fn epoch(&mut self) -> u64 {
        self.settle_now(false);
        self.latest.epoch
    }

    /// The latest metrics, read now.
    #[cfg(test)]
    pub fn latest(&mut self) -> Record {
        self.settle_now(false);
        self.latest
    }

    /// A snapshot with the view read now at `grid` x `grid`.
    #[cfg(test)]
    pub fn snapshot_now(&mut self, grid: usize) -> Snapshot {
        self.grid = grid;
        self.settle_now(true);
        self.snapshot()
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
