//! Reverse-mode automatic differentiation over a recorded graph.
//!
//! A [`Graph`] owns a backend, a set of persistent *variables* (trainable parameters and other
//! state that outlives a step) and a *tape* of nodes recorded as ops are applied. Every node
//! keeps its op, inputs, shape, optional name and scope, its value (a backend buffer) and, after
//! [`Graph::backward`], its gradient, so a UI can draw the graph with values and gradients.
//!
//! - Constants ([`NodeKind::Constant`]), fed inputs ([`NodeKind::Input`], re-fed with
//!   [`Graph::feed`] and re-run with [`Graph::rerun`]) and variables ([`NodeKind::Variable`])
//!   are distinct node kinds.
//! - Values are computed eagerly as nodes are recorded (so they can be shown at once).
//! - Gradients of variables *accumulate* across `backward` calls until [`Graph::zero_grad`].
//! - With recording off ([`Graph::set_recording`]), ops still compute values but record no
//!   inputs, so nothing can be differentiated (evaluation mode).
//! - [`Graph::assign`] writes a node's value into a variable, again on every `rerun` (state
//!   kept between runs, such as a counter).
//! - [`Graph::clear`] drops the tape (returning its buffers to the backend) and keeps variables.

mod assign;
mod backward;
mod build;
mod elementwise;
mod linalg;
mod misc;
pub mod op;
mod reduce;
mod trace;

use crate::backend::{Backend, BufferId, ReadFuture};
use crate::error::{EngineError, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;
pub use op::Op;
use serde::{Deserialize, Serialize};
pub use trace::{GraphTrace, TraceKind, TraceNode};

/// A node of the current tape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub usize);

/// A persistent variable of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VarId(pub usize);

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeKind {
    /// A fixed value (also every result computed with recording off).
    Constant,
    /// A value fed at run time (a "placeholder").
    Input,
    /// A read of a persistent variable.
    Variable { var: VarId },
    /// The result of an op on the node's inputs.
    Op { op: Op },
    /// `var := input`: writes its one input into a variable ([`Graph::assign`]); no gradient.
    Assign { var: VarId },
}

/// One recorded node.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub inputs: Vec<NodeId>,
    pub shape: Shape,
    pub name: Option<String>,
    /// Scope path such as `"dense_1/"` (empty at top level), for grouping in drawings.
    pub scope: String,
    /// Whether a gradient flows to this node (it depends on a trainable variable).
    pub requires_grad: bool,
    value: BufferId,
    grad: Option<BufferId>,
    aux: Vec<BufferId>,
}

impl Node {
    /// The buffer holding the value (on the graph's backend). A variable node shares its
    /// variable's buffer, so after an optimizer step it shows the updated value.
    pub fn value_buffer(&self) -> BufferId {
        self.value
    }
    /// The buffer holding the gradient after `backward`, if one reached this node.
    pub fn grad_buffer(&self) -> Option<BufferId> {
        self.grad
    }
}

/// A persistent variable: a parameter or state tensor that survives `clear`.
#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub shape: Shape,
    pub trainable: bool,
    value: BufferId,
    grad: BufferId,
}

impl Variable {
    pub fn value_buffer(&self) -> BufferId {
        self.value
    }
    /// The accumulated gradient (zero until a backward reaches it).
    pub fn grad_buffer(&self) -> BufferId {
        self.grad
    }
}

/// The graph: a backend, persistent variables and the current tape.
#[derive(Debug)]
pub struct Graph {
    backend: Box<dyn Backend>,
    vars: Vec<Variable>,
    nodes: Vec<Node>,
    recording: bool,
    scope: Vec<String>,
}

impl Graph {
    /// A graph on the given backend.
    pub fn new(backend: Box<dyn Backend>) -> Self {
        Self {
            backend,
            vars: Vec::new(),
            nodes: Vec::new(),
            recording: true,
            scope: Vec::new(),
        }
    }
    /// A graph on a fresh CPU backend.
    pub fn cpu() -> Self {
        Self::new(Box::new(crate::backend::cpu::CpuBackend::new()))
    }
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }
    pub fn backend_mut(&mut self) -> &mut dyn Backend {
        self.backend.as_mut()
    }
    /// Swap the backend, moving every variable's value and gradient across through the host.
    /// The tape is cleared. Returns the old backend.
    pub async fn replace_backend_async(
        &mut self,
        mut backend: Box<dyn Backend>,
    ) -> Result<Box<dyn Backend>> {
        self.clear();
        // Start every read before awaiting any (reads capture contents at call time).
        let reads: Vec<(ReadFuture, ReadFuture)> = self
            .vars
            .iter()
            .map(|v| (self.backend.read(v.value), self.backend.read(v.grad)))
            .collect();
        let mut host = Vec::with_capacity(reads.len());
        for (value, grad) in reads {
            host.push((value.await?, grad.await?));
        }
        let mut uploaded = Vec::with_capacity(host.len());
        for (value, grad) in &host {
            uploaded.push((backend.upload(value)?, backend.upload(grad)?));
        }
        for (v, (value, grad)) in self.vars.iter_mut().zip(uploaded) {
            self.backend.release(v.value);
            self.backend.release(v.grad);
            v.value = value;
            v.grad = grad;
        }
        Ok(std::mem::replace(&mut self.backend, backend))
    }
    /// [`Graph::replace_backend_async`] for a current backend that reads synchronously (the
    /// CPU); otherwise [`EngineError::NotReady`] (and `backend` is dropped).
    pub fn replace_backend(&mut self, backend: Box<dyn Backend>) -> Result<Box<dyn Backend>> {
        crate::backend::poll_once(Box::pin(self.replace_backend_async(backend)))
            .unwrap_or(Err(EngineError::NotReady))
    }

    // ---- variables -------------------------------------------------------------------

    /// A new persistent variable holding `init`.
    pub fn variable(&mut self, name: &str, init: &Tensor, trainable: bool) -> Result<VarId> {
        let value = self.backend.upload(init.data())?;
        let grad = self.backend.alloc(init.shape().numel())?;
        self.vars.push(Variable {
            name: name.to_string(),
            shape: init.shape(),
            trainable,
            value,
            grad,
        });
        Ok(VarId(self.vars.len() - 1))
    }
    /// Freeze (`false`) or thaw a variable: nodes recorded from now on pass it no gradient.
    pub fn set_trainable(&mut self, v: VarId, trainable: bool) -> Result<()> {
        self.vars
            .get_mut(v.0)
            .ok_or(EngineError::UnknownVariable(v.0))?
            .trainable = trainable;
        Ok(())
    }
    pub fn vars(&self) -> &[Variable] {
        &self.vars
    }
    pub fn var_info(&self, v: VarId) -> Result<&Variable> {
        self.vars.get(v.0).ok_or(EngineError::UnknownVariable(v.0))
    }
    /// Overwrite a variable's value (same shape).
    pub fn set_var(&mut self, v: VarId, value: &Tensor) -> Result<()> {
        let var = self.var_info(v)?;
        if var.shape.numel() != value.shape().numel() {
            return Err(EngineError::ShapeMismatch {
                op: "set_var",
                left: var.shape.dims().to_vec(),
                right: value.dims().to_vec(),
            });
        }
        let buf = var.value;
        self.backend.write(buf, value.data())
    }
    /// A variable's value, read synchronously (CPU, or a native GPU that can block).
    pub fn var_value(&self, v: VarId) -> Result<Tensor> {
        let var = self.var_info(v)?;
        Tensor::from_shape(self.backend.read_blocking(var.value)?, var.shape)
    }
    /// A variable's accumulated gradient, read synchronously.
    pub fn var_grad(&self, v: VarId) -> Result<Tensor> {
        let var = self.var_info(v)?;
        Tensor::from_shape(self.backend.read_blocking(var.grad)?, var.shape)
    }
    /// Set every variable's accumulated gradient to zero.
    pub fn zero_grad(&mut self) -> Result<()> {
        for v in &self.vars {
            self.backend.fill(v.grad, 0.0)?;
        }
        Ok(())
    }

    // ---- tape ------------------------------------------------------------------------

    /// Turn recording on (training) or off (evaluation: values only, nothing differentiable).
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }
    pub fn is_recording(&self) -> bool {
        self.recording
    }
    /// Open a name scope; nodes recorded until `pop_scope` carry it.
    pub fn push_scope(&mut self, name: &str) {
        self.scope.push(name.to_string());
    }
    pub fn pop_scope(&mut self) {
        self.scope.pop();
    }
    fn scope_path(&self) -> String {
        self.scope.iter().map(|s| format!("{s}/")).collect()
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> Result<&Node> {
        self.nodes.get(id.0).ok_or(EngineError::UnknownNode(id.0))
    }
    /// Name a node (returns it, for chaining).
    pub fn name(&mut self, id: NodeId, name: &str) -> Result<NodeId> {
        let n = self
            .nodes
            .get_mut(id.0)
            .ok_or(EngineError::UnknownNode(id.0))?;
        n.name = Some(name.to_string());
        Ok(id)
    }
    /// Drop the tape, returning its buffers to the backend. Variables stay.
    pub fn clear(&mut self) {
        for n in self.nodes.drain(..) {
            if !matches!(n.kind, NodeKind::Variable { .. }) {
                self.backend.release(n.value);
            }
            if let Some(g) = n.grad {
                self.backend.release(g);
            }
            for a in n.aux {
                self.backend.release(a);
            }
        }
    }
    fn push(
        &mut self,
        kind: NodeKind,
        inputs: Vec<NodeId>,
        shape: Shape,
        value: BufferId,
        aux: Vec<BufferId>,
        requires_grad: bool,
    ) -> NodeId {
        self.nodes.push(Node {
            kind,
            inputs,
            shape,
            name: None,
            scope: self.scope_path(),
            requires_grad,
            value,
            grad: None,
            aux,
        });
        NodeId(self.nodes.len() - 1)
    }
    /// A constant node.
    pub fn constant(&mut self, t: &Tensor) -> Result<NodeId> {
        let b = self.backend.upload(t.data())?;
        Ok(self.push(NodeKind::Constant, vec![], t.shape(), b, vec![], false))
    }
    /// A fed input node (a placeholder with its first value); re-feed with [`Graph::feed`].
    pub fn input(&mut self, name: &str, t: &Tensor) -> Result<NodeId> {
        let b = self.backend.upload(t.data())?;
        let id = self.push(NodeKind::Input, vec![], t.shape(), b, vec![], false);
        self.name(id, name)
    }
    /// A fed input node that takes ownership of a buffer already on the backend (no host
    /// round trip: mini-batches gathered on the device).
    pub fn input_buffer(&mut self, name: &str, buf: BufferId, shape: Shape) -> Result<NodeId> {
        let len = self.backend.buffer_len(buf)?;
        if len != shape.numel() {
            return Err(EngineError::BufferLength {
                what: "input buffer",
                got: len,
                want: shape.numel(),
            });
        }
        let id = self.push(NodeKind::Input, vec![], shape, buf, vec![], false);
        self.name(id, name)
    }
    /// A node reading variable `v` (shares the variable's buffer).
    pub fn var(&mut self, v: VarId) -> Result<NodeId> {
        let var = self.var_info(v)?;
        let (shape, value, trainable) = (var.shape, var.value, var.trainable);
        let id = self.push(
            NodeKind::Variable { var: v },
            vec![],
            shape,
            value,
            vec![],
            trainable && self.recording,
        );
        let name = self.vars[v.0].name.clone();
        self.name(id, &name)
    }
    /// Feed a new value into an input node (shape may change); follow with [`Graph::rerun`].
    pub fn feed(&mut self, id: NodeId, t: &Tensor) -> Result<()> {
        let n = self.node(id)?;
        if n.kind != NodeKind::Input {
            return Err(EngineError::InvalidConfig(format!(
                "node {} is not an input",
                id.0
            )));
        }
        let old = n.value;
        self.backend.release(old);
        let b = self.backend.upload(t.data())?;
        let n = &mut self.nodes[id.0];
        n.value = b;
        n.shape = t.shape();
        Ok(())
    }
    /// Recompute every op node in order from the current inputs and variables (after `feed`
    /// or an optimizer step). Gradients from an earlier backward are dropped.
    pub fn rerun(&mut self) -> Result<()> {
        for i in 0..self.nodes.len() {
            if let Some(g) = self.nodes[i].grad.take() {
                self.backend.release(g);
            }
            let op = match self.nodes[i].kind {
                NodeKind::Op { op } => op,
                NodeKind::Assign { var } => {
                    self.rerun_assign(i, var)?;
                    continue;
                }
                _ => continue,
            };
            let ins: Vec<op::Val> = self.nodes[i]
                .inputs
                .iter()
                .map(|&j| op::Val {
                    buffer: self.nodes[j.0].value,
                    shape: self.nodes[j.0].shape,
                })
                .collect();
            let mut aux = Vec::new();
            let op::Val {
                buffer: value,
                shape,
            } = op::forward(&op, self.backend.as_mut(), &ins, &mut aux)?;
            let n = &mut self.nodes[i];
            let old_value = std::mem::replace(&mut n.value, value);
            let old_aux = std::mem::replace(&mut n.aux, aux);
            n.shape = shape;
            self.backend.release(old_value);
            for a in old_aux {
                self.backend.release(a);
            }
        }
        Ok(())
    }
    /// Record `op` on `inputs` and compute its value.
    pub fn apply(&mut self, op: Op, inputs: &[NodeId]) -> Result<NodeId> {
        if inputs.len() != op.arity() {
            return Err(EngineError::InvalidConfig(format!(
                "{} takes {} inputs, got {}",
                op.label(),
                op.arity(),
                inputs.len()
            )));
        }
        let mut ins = Vec::with_capacity(inputs.len());
        let mut requires_grad = false;
        for &i in inputs {
            let n = self.node(i)?;
            ins.push(op::Val {
                buffer: n.value,
                shape: n.shape,
            });
            requires_grad |= n.requires_grad;
        }
        let mut aux = Vec::new();
        let op::Val {
            buffer: value,
            shape,
        } = op::forward(&op, self.backend.as_mut(), &ins, &mut aux)?;
        if !self.recording {
            for a in aux {
                self.backend.release(a);
            }
            return Ok(self.push(NodeKind::Constant, vec![], shape, value, vec![], false));
        }
        let requires_grad = requires_grad && op.differentiable();
        Ok(self.push(
            NodeKind::Op { op },
            inputs.to_vec(),
            shape,
            value,
            aux,
            requires_grad,
        ))
    }

    // ---- reading values --------------------------------------------------------------

    /// A node's value, read asynchronously (ready at once on the CPU).
    pub fn read_value(&self, id: NodeId) -> Result<ReadFuture> {
        Ok(self.backend.read(self.node(id)?.value))
    }
    /// A node's value, read synchronously.
    pub fn value(&self, id: NodeId) -> Result<Tensor> {
        let n = self.node(id)?;
        Tensor::from_shape(self.backend.read_blocking(n.value)?, n.shape)
    }
    /// A node's gradient after `backward`, read synchronously (`None` if none reached it).
    pub fn grad(&self, id: NodeId) -> Result<Option<Tensor>> {
        let n = self.node(id)?;
        match n.grad {
            None => Ok(None),
            Some(g) => Ok(Some(Tensor::from_shape(
                self.backend.read_blocking(g)?,
                n.shape,
            )?)),
        }
    }
}

impl Drop for Graph {
    fn drop(&mut self) {
        self.clear();
        for v in &self.vars {
            self.backend.release(v.value);
            self.backend.release(v.grad);
        }
    }
}
