//! Saving, restoring, resetting and moving a trainer between backends.

use super::trainer::{EpochRecord, Status, Trainer};
use crate::backend::Backend;
use crate::error::{EngineError, Result};
use crate::optim::OptimizerState;
use crate::rng::Rng;
use crate::tensor::TensorData;
use serde::{Deserialize, Serialize};

/// Everything needed to continue a run exactly: parameters, optimizer state, counters, the
/// shuffling generator and the history. Plain data (serde).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainerState {
    /// `w1, b1, w2, b2, ...`
    pub params: Vec<TensorData>,
    pub optimizer: OptimizerState,
    pub epoch: usize,
    pub step: u64,
    pub rng: Rng,
    pub order: Vec<u32>,
    pub cursor: usize,
    pub history: Vec<EpochRecord>,
}

/// The largest epoch or step count a state may carry: 2^40, centuries of training at any pace.
const MAX_COUNT: u64 = 1 << 40;

impl Trainer {
    /// All parameters as plain data, `w1, b1, w2, b2, ...`.
    pub async fn export_params_async(&self) -> Result<Vec<TensorData>> {
        let mut reads = Vec::new();
        for v in self.model.params() {
            let var = self.graph.var_info(v)?;
            reads.push((var.shape, self.graph.backend().read(var.value_buffer())));
        }
        let mut out = Vec::with_capacity(reads.len());
        for (shape, f) in reads {
            out.push(TensorData {
                dims: shape.dims().to_vec(),
                data: f.await?,
            });
        }
        Ok(out)
    }
    /// [`Trainer::export_params_async`] where reads are synchronous (else `NotReady`).
    pub fn export_params(&self) -> Result<Vec<TensorData>> {
        crate::backend::poll_once(Box::pin(self.export_params_async()))
            .unwrap_or(Err(EngineError::NotReady))
    }
    /// Load parameters exported from a model of the same spec.
    pub fn import_params(&mut self, params: &[TensorData]) -> Result<()> {
        super::probe::load_params(&mut self.graph, &self.model.params(), params)
    }
    /// Export the whole state (save, or move to another backend).
    pub async fn export_async(&self) -> Result<TrainerState> {
        Ok(TrainerState {
            params: self.export_params_async().await?,
            optimizer: self.opt.export_async(&self.graph).await?,
            epoch: self.epoch,
            step: self.step,
            rng: self.rng.clone(),
            order: self.order.clone(),
            cursor: self.cursor,
            history: self.history.clone(),
        })
    }
    /// [`Trainer::export_async`] where reads are synchronous (else `NotReady`).
    pub fn export(&self) -> Result<TrainerState> {
        crate::backend::poll_once(Box::pin(self.export_async()))
            .unwrap_or(Err(EngineError::NotReady))
    }
    /// Continue from an exported state (same model spec and data). A state that does not fit
    /// this trainer is refused before anything changes, so a failed import leaves the run as
    /// it was.
    pub fn import(&mut self, s: &TrainerState) -> Result<()> {
        self.check_state(s)?;
        self.import_params(&s.params)?;
        self.opt.import(&mut self.graph, &s.optimizer)?;
        self.cfg.optimizer = s.optimizer.rule;
        self.epoch = s.epoch;
        self.step = s.step;
        self.rng = s.rng.clone();
        self.order = s.order.clone();
        self.cursor = s.cursor;
        self.history = s.history.clone();
        self.status = Status::Running;
        Ok(())
    }
    /// Whether `s` fits this trainer: one tensor per parameter in its shape, optimizer state
    /// in the rule's layout, and a shuffle position inside a permutation of this training set.
    /// A saved state read from a file can be anything; this is what keeps `import` atomic and
    /// the next step in bounds.
    fn check_state(&self, s: &TrainerState) -> Result<()> {
        let mismatch = |what: String| Err(EngineError::StateMismatch(what));
        let params = self.model.params();
        if s.params.len() != params.len() {
            return mismatch(format!(
                "{} tensors for {} parameters",
                s.params.len(),
                params.len()
            ));
        }
        let mut sizes = Vec::with_capacity(params.len());
        for (&v, p) in params.iter().zip(&s.params) {
            let var = self.graph.var_info(v)?;
            if p.dims != var.shape.dims() || p.data.len() != var.shape.numel() {
                return mismatch(format!(
                    "parameter {} has shape {:?} with {} values; this network's is {:?}",
                    var.name,
                    p.dims,
                    p.data.len(),
                    var.shape.dims()
                ));
            }
            sizes.push(var.shape.numel());
        }
        let o = &s.optimizer;
        if !o.state.is_empty() {
            let fits = o.state.len() == sizes.len()
                && o.state.iter().zip(&sizes).all(|(tensors, &n)| {
                    tensors.len() == o.rule.state_buffers() && tensors.iter().all(|t| t.len() == n)
                });
            if !fits {
                return mismatch("the optimizer state does not fit the parameters".into());
            }
        }
        // Counters far beyond any run, which would overflow as training goes on.
        // In u64: on wasm32 a usize cannot even hold the limit.
        if s.epoch as u64 > MAX_COUNT || s.step > MAX_COUNT || s.optimizer.step > MAX_COUNT {
            return mismatch(format!(
                "epoch {} or step {} is beyond any run (at most {MAX_COUNT})",
                s.epoch, s.step
            ));
        }
        let n = self.data.train.len();
        if !s.order.is_empty() {
            let mut seen = vec![false; n];
            let permutation = s.order.len() == n
                && s.order.iter().all(|&i| {
                    let i = i as usize;
                    i < n && !std::mem::replace(&mut seen[i], true)
                });
            if !permutation {
                return mismatch(format!(
                    "the shuffle order is not an ordering of the {n} training rows"
                ));
            }
        }
        if s.cursor > 0 && s.cursor >= s.order.len() {
            return mismatch(format!(
                "the position {} in the epoch is past its {} rows",
                s.cursor,
                s.order.len()
            ));
        }
        Ok(())
    }
    /// Start over: the initial weights of `init_seed` again, fresh optimizer, counters, history.
    pub fn reset(&mut self) -> Result<()> {
        self.graph.clear();
        self.model.reinit(&mut self.graph, self.cfg.init_seed)?;
        self.graph.zero_grad()?;
        self.opt.reset(&mut self.graph);
        self.rng = Rng::new(self.cfg.shuffle_seed);
        self.order.clear();
        self.cursor = 0;
        self.epoch = 0;
        self.step = 0;
        self.history.clear();
        self.status = Status::Running;
        self.drop_best();
        self.bad_epochs = 0;
        self.last_loss = None;
        Ok(())
    }
    /// Change the optimizer rule (another kind starts with fresh state).
    pub fn set_optimizer(&mut self, rule: crate::backend::UpdateRule) {
        self.opt.set_rule(&mut self.graph, rule);
        self.cfg.optimizer = rule;
    }
    /// Move the run to another backend mid-training (parameters, gradients, optimizer state
    /// and the uploaded training data go across). Returns the old backend. If a read fails
    /// part-way, the optimizer state is lost (rebuild the trainer from an export).
    pub async fn replace_backend_async(
        &mut self,
        backend: Box<dyn Backend>,
    ) -> Result<Box<dyn Backend>> {
        let opt = self.opt.export_async(&self.graph).await?;
        self.opt.reset(&mut self.graph);
        // Early stopping's snapshot lives on the old backend; it restarts from here.
        self.drop_best();
        let mut old = self.graph.replace_backend_async(backend).await?;
        old.release(self.train_x);
        old.release(self.train_t);
        self.opt.import(&mut self.graph, &opt)?;
        let t = self.data.train.target_matrix(self.cfg.model.outputs)?;
        self.train_x = self.graph.backend_mut().upload(self.data.train.x.data())?;
        self.train_t = self.graph.backend_mut().upload(t.data())?;
        self.last_loss = None;
        Ok(old)
    }
    /// [`Trainer::replace_backend_async`] where the current backend reads synchronously.
    pub fn replace_backend(&mut self, backend: Box<dyn Backend>) -> Result<Box<dyn Backend>> {
        crate::backend::poll_once(Box::pin(self.replace_backend_async(backend)))
            .unwrap_or(Err(EngineError::NotReady))
    }
}
