//! Optimizers: per-parameter state on the backend, one fused update call per parameter.
//!
//! The update rules are PyTorch's (see [`UpdateRule`]); the constructors use PyTorch's default
//! hyperparameters. Keras differs only in defaults and in where it puts constants: Keras's
//! momentum `v = m v - lr g; p += v` equals PyTorch's `v = m v + g; p -= lr v` while `lr` is
//! constant (the course's `v = gamma v + lr g` is the same again); Keras's RMSprop uses
//! `rho = 0.9` and `eps = 1e-7`, Adam `eps = 1e-7` — pass those to get Keras numbers.

use crate::autodiff::{Graph, VarId};
use crate::backend::{BufferId, UpdateRule};
use crate::error::{EngineError, Result};
use serde::{Deserialize, Serialize};

/// Constructors with PyTorch's defaults.
impl UpdateRule {
    /// Plain gradient descent `p -= lr g`.
    pub fn sgd(lr: f32) -> Self {
        UpdateRule::Sgd {
            lr,
            momentum: 0.0,
            nesterov: false,
        }
    }
    /// Heavy-ball momentum.
    pub fn momentum(lr: f32, momentum: f32) -> Self {
        UpdateRule::Sgd {
            lr,
            momentum,
            nesterov: false,
        }
    }
    /// Nesterov momentum.
    pub fn nesterov(lr: f32, momentum: f32) -> Self {
        UpdateRule::Sgd {
            lr,
            momentum,
            nesterov: true,
        }
    }
    /// AdaGrad, `eps = 1e-10`, accumulator starting at 0.
    pub fn adagrad(lr: f32) -> Self {
        UpdateRule::AdaGrad {
            lr,
            eps: 1e-10,
            initial_accumulator: 0.0,
        }
    }
    /// RMSprop, `alpha = 0.99`, `eps = 1e-8`.
    pub fn rmsprop(lr: f32) -> Self {
        UpdateRule::RmsProp {
            lr,
            alpha: 0.99,
            eps: 1e-8,
        }
    }
    /// Adam, `betas = (0.9, 0.999)`, `eps = 1e-8`.
    pub fn adam(lr: f32) -> Self {
        UpdateRule::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

/// An optimizer over a set of graph variables.
#[derive(Clone, Debug)]
pub struct Optimizer {
    rule: UpdateRule,
    step: u64,
    params: Vec<VarId>,
    /// Per parameter: left alone by [`Optimizer::step`], with no state.
    frozen: Vec<bool>,
    /// State buffers per parameter, created lazily at the first step; empty before it, and
    /// empty for a frozen parameter.
    state: Vec<Vec<BufferId>>,
}

/// An optimizer's state as plain data: rule, step count and every state tensor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    pub rule: UpdateRule,
    pub step: u64,
    /// `state[param][k]`: the k-th state tensor of a parameter, flattened (empty before step 1).
    pub state: Vec<Vec<Vec<f32>>>,
}

impl Optimizer {
    /// An optimizer for `params` (in order; the order defines the exported state).
    pub fn new(rule: UpdateRule, params: Vec<VarId>) -> Self {
        Self {
            rule,
            step: 0,
            frozen: vec![false; params.len()],
            params,
            state: Vec::new(),
        }
    }
    /// Which parameters train (`trainable[i]` for `params[i]`; missing ones train). A frozen
    /// parameter's state is given back; one thawed later starts from fresh state, while the
    /// step count (and so Adam's bias correction) stays the optimizer's.
    pub fn set_trainable(&mut self, g: &mut Graph, trainable: &[bool]) {
        for (i, frozen) in self.frozen.iter_mut().enumerate() {
            *frozen = !trainable.get(i).copied().unwrap_or(true);
            if *frozen {
                if let Some(bufs) = self.state.get_mut(i) {
                    for b in bufs.drain(..) {
                        g.backend_mut().release(b);
                    }
                }
            }
        }
    }
    /// Whether any parameter trains.
    pub fn trains_any(&self) -> bool {
        self.frozen.iter().any(|f| !f)
    }
    pub fn rule(&self) -> UpdateRule {
        self.rule
    }
    /// Steps taken since creation or reset.
    pub fn steps(&self) -> u64 {
        self.step
    }
    /// Change the learning rate; state is kept (live change during training).
    pub fn set_lr(&mut self, lr: f32) {
        self.rule = self.rule.with_lr(lr);
    }
    fn ensure_state(&mut self, g: &mut Graph) -> Result<()> {
        if self.state.is_empty() {
            self.state = vec![Vec::new(); self.params.len()];
        }
        let wanted = self.rule.state_buffers();
        for ((&p, bufs), &frozen) in self.params.iter().zip(&mut self.state).zip(&self.frozen) {
            if frozen || bufs.len() == wanted {
                continue;
            }
            let n = g.var_info(p)?.shape.numel();
            for _ in 0..wanted {
                let b = g.backend_mut().alloc(n)?;
                g.backend_mut().fill(b, self.rule.state_init())?;
                bufs.push(b);
            }
        }
        Ok(())
    }
    /// Apply one update to every trainable parameter from its accumulated gradient.
    pub fn step(&mut self, g: &mut Graph) -> Result<()> {
        self.ensure_state(g)?;
        self.step += 1;
        for ((&p, st), &frozen) in self.params.iter().zip(&self.state).zip(&self.frozen) {
            if frozen {
                continue;
            }
            let v = g.var_info(p)?;
            let (value, grad) = (v.value_buffer(), v.grad_buffer());
            g.backend_mut()
                .optimizer_step(self.rule, self.step, value, grad, st)?;
        }
        Ok(())
    }
    /// Forget all state (momenta, accumulators, step count).
    pub fn reset(&mut self, g: &mut Graph) {
        for b in self.state.drain(..).flatten() {
            g.backend_mut().release(b);
        }
        self.step = 0;
    }
    /// Replace the rule (another optimizer kind resets the state; same kind keeps it).
    pub fn set_rule(&mut self, g: &mut Graph, rule: UpdateRule) {
        if std::mem::discriminant(&rule) != std::mem::discriminant(&self.rule)
            || rule.state_buffers() != self.rule.state_buffers()
        {
            self.reset(g);
        }
        self.rule = rule;
    }
    /// Export rule, step and state.
    pub async fn export_async(&self, g: &Graph) -> Result<OptimizerState> {
        let reads: Vec<Vec<crate::backend::ReadFuture>> = self
            .state
            .iter()
            .map(|bufs| bufs.iter().map(|&b| g.backend().read(b)).collect())
            .collect();
        let mut state = Vec::with_capacity(reads.len());
        for futs in reads {
            let mut tensors = Vec::with_capacity(futs.len());
            for f in futs {
                tensors.push(f.await?);
            }
            state.push(tensors);
        }
        Ok(OptimizerState {
            rule: self.rule,
            step: self.step,
            state,
        })
    }
    /// [`Optimizer::export_async`] where reads are synchronous (else `NotReady`).
    pub fn export(&self, g: &Graph) -> Result<OptimizerState> {
        crate::backend::poll_once(Box::pin(self.export_async(g)))
            .unwrap_or(Err(EngineError::NotReady))
    }
    /// Load exported state (from this or another backend).
    pub fn import(&mut self, g: &mut Graph, s: &OptimizerState) -> Result<()> {
        self.reset(g);
        self.rule = s.rule;
        self.step = s.step;
        if s.state.is_empty() {
            return Ok(());
        }
        if s.state.len() != self.params.len() {
            return Err(EngineError::StateMismatch(format!(
                "{} state entries for {} parameters",
                s.state.len(),
                self.params.len()
            )));
        }
        for ((&p, tensors), &frozen) in self.params.iter().zip(&s.state).zip(&self.frozen) {
            let n = g.var_info(p)?.shape.numel();
            // An empty entry is a parameter that was frozen when saved: fresh state if it
            // trains now.
            let fits = tensors.is_empty()
                || (tensors.len() == s.rule.state_buffers()
                    && tensors.iter().all(|t| t.len() == n));
            if !fits {
                self.reset(g);
                return Err(EngineError::StateMismatch(
                    "optimizer state does not fit the parameters".into(),
                ));
            }
            let bufs = if frozen {
                Vec::new()
            } else {
                tensors
                    .iter()
                    .map(|t| g.backend_mut().upload(t))
                    .collect::<Result<Vec<_>>>()?
            };
            self.state.push(bufs);
        }
        Ok(())
    }
}
