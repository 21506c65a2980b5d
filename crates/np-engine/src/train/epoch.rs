//! The end of an epoch: history, divergence and early stopping.

use super::metrics::EvalMetrics;
use super::trainer::{EpochRecord, Split, Status, Trainer};
use crate::backend::poll_once;
use crate::error::Result;

impl Trainer {
    /// Finish the current epoch (all its remaining batches), then evaluate, record history,
    /// check divergence and early stopping. Evaluation reads synchronously: with a backend that
    /// cannot (a GPU in the browser), drive [`Trainer::step_batch`], evaluate with
    /// [`Trainer::predict_async`] + [`Trainer::metrics_from_predictions`] and call
    /// [`Trainer::finish_epoch`].
    pub fn step_epoch(&mut self) -> Result<EpochRecord> {
        loop {
            let r = self.step_batch()?;
            if r.epoch_done || r.status != Status::Running {
                break;
            }
        }
        let train = self.evaluate(Split::Train)?;
        let val = if self.data.val.is_empty() {
            None
        } else {
            Some(self.evaluate(Split::Val)?)
        };
        self.finish_epoch(train, val)
    }
    /// Record an epoch's metrics (computed by the caller, possibly asynchronously): history,
    /// divergence (a non-finite loss; parameters too where they can be read synchronously) and
    /// early stopping ([`Trainer::watch_early_stopping`]).
    pub fn finish_epoch(
        &mut self,
        train: EvalMetrics,
        val: Option<EvalMetrics>,
    ) -> Result<EpochRecord> {
        let rec = EpochRecord {
            epoch: self.epoch,
            train,
            val,
        };
        self.history.push(rec.clone());
        let monitored = rec.val.as_ref().map_or(rec.train.loss, |v| v.loss);
        self.check_divergence(
            &[
                ("training loss", rec.train.loss),
                ("monitored loss", monitored),
            ],
            None,
        )?;
        self.watch_early_stopping(&rec.train, rec.val.as_ref())?;
        Ok(rec)
    }
    /// Early stopping's judgement of an epoch's metrics (call once per completed epoch): keep
    /// the parameters of the best epoch so far, count the epochs since, and stop the run
    /// (`Status::Stopped`) when they reach the patience, putting the best parameters back if
    /// asked. Watches the monitor on `val`, on `train` when there is no validation split.
    pub fn watch_early_stopping(
        &mut self,
        train: &EvalMetrics,
        val: Option<&EvalMetrics>,
    ) -> Result<()> {
        let (Some(es), Status::Running) = (self.cfg.early_stopping, &self.status) else {
            return Ok(());
        };
        let (monitored, _) = es.monitor.score(val.unwrap_or(train));
        if !monitored.is_finite() {
            return Ok(());
        }
        let improved = self
            .best
            .as_ref()
            .is_none_or(|(b, _, _)| monitored < b - es.min_delta);
        if improved {
            self.snapshot_best(monitored)?;
            self.bad_epochs = 0;
        } else {
            self.bad_epochs += 1;
            if self.bad_epochs >= es.patience {
                let best_epoch = self.best.as_ref().map_or(self.epoch, |b| b.1);
                if es.restore_best {
                    self.restore_best()?;
                }
                self.status = Status::Stopped {
                    epoch: self.epoch,
                    best_epoch,
                };
            }
        }
        Ok(())
    }
    /// Epochs since the monitored metric last improved.
    pub fn epochs_without_improvement(&self) -> usize {
        self.bad_epochs
    }
    /// The best epoch so far and its monitored score (lower is better, see [`Monitor::score`]).
    ///
    /// [`Monitor::score`]: super::Monitor::score
    pub fn best_epoch(&self) -> Option<(usize, f32)> {
        self.best.as_ref().map(|b| (b.1, b.0))
    }
    fn snapshot_best(&mut self, monitored: f32) -> Result<()> {
        let old = self.best.take().map(|b| b.2).unwrap_or_default();
        let params = self.model.params();
        let mut copies = Vec::with_capacity(params.len());
        for (i, v) in params.into_iter().enumerate() {
            let src = self.graph.var_info(v)?.value_buffer();
            let be = self.graph.backend_mut();
            let dst = match old.get(i) {
                Some(&b) => b,
                None => be.alloc(be.buffer_len(src)?)?,
            };
            be.copy(src, dst)?;
            copies.push(dst);
        }
        self.best = Some((monitored, self.epoch, copies));
        Ok(())
    }
    fn restore_best(&mut self) -> Result<()> {
        let Some((_, _, copies)) = &self.best else {
            return Ok(());
        };
        for (v, &src) in self.model.params().into_iter().zip(copies) {
            let dst = self.graph.var_info(v)?.value_buffer();
            self.graph.backend_mut().copy(src, dst)?;
        }
        Ok(())
    }
    /// Give early stopping's parameter copies back to the backend.
    pub(super) fn drop_best(&mut self) {
        if let Some((_, _, copies)) = self.best.take() {
            for b in copies {
                self.graph.backend_mut().release(b);
            }
        }
    }
    /// The one divergence rule: the run has diverged when a loss or a parameter is NaN or
    /// infinite. Marks the run [`Status::Diverged`] (naming the first such value) if it is still
    /// running, and returns the status. `losses` are named values the caller read (an epoch's
    /// losses, a step's loss read asynchronously); `params` are the parameters as read by the
    /// caller (`w1, b1, w2, ...`), or `None` to read them here, which is skipped on a backend
    /// that cannot read synchronously. [`Trainer::step_batch`] and [`Trainer::finish_epoch`]
    /// apply it to what they read themselves.
    pub fn check_divergence(
        &mut self,
        losses: &[(&str, f32)],
        params: Option<&[Vec<f32>]>,
    ) -> Result<&Status> {
        if self.status != Status::Running {
            return Ok(&self.status);
        }
        if let Some((name, v)) = losses.iter().find(|(_, v)| !v.is_finite()) {
            self.diverge(format!("{name} is {v}"));
            return Ok(&self.status);
        }
        let vars = self.model.params();
        let read: Vec<Vec<f32>> = match params {
            Some(p) => p.to_vec(),
            None => {
                let mut read = Vec::with_capacity(vars.len());
                for &v in &vars {
                    let buffer = self.graph.var_info(v)?.value_buffer();
                    match poll_once(self.graph.backend().read(buffer)) {
                        Some(r) => read.push(r?),
                        None => return Ok(&self.status),
                    }
                }
                read
            }
        };
        if let Some(i) = read.iter().position(|p| p.iter().any(|x| !x.is_finite())) {
            let name = vars
                .get(i)
                .and_then(|&v| self.graph.var_info(v).ok())
                .map_or_else(|| format!("{i}"), |v| v.name.clone());
            self.diverge(format!("parameter {name} is not finite"));
        }
        Ok(&self.status)
    }

    pub(super) fn diverge(&mut self, what: String) {
        self.status = Status::Diverged {
            epoch: self.epoch,
            step: self.step,
            what,
        };
    }
}
