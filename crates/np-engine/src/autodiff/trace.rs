//! A recorded graph as plain data: what a drawing of the graph needs (kinds, ops, shapes,
//! scopes, edges, values and gradients), detached from the backend so it can cross a worker
//! boundary or be kept after the tape is cleared.

use serde::{Deserialize, Serialize};

use super::{Graph, NodeKind};
use crate::error::Result;

/// What one traced node is, in words a drawing can show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    Constant,
    /// A fed input ("placeholder").
    Input,
    /// A read of the named persistent variable.
    Variable {
        var: String,
        trainable: bool,
    },
    /// An op, by its drawing label (`matmul`, `bias+tanh`, ...).
    Op {
        op: String,
    },
}

/// One node of a [`GraphTrace`]; `inputs` index [`GraphTrace::nodes`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceNode {
    pub kind: TraceKind,
    pub inputs: Vec<usize>,
    pub dims: Vec<usize>,
    pub name: Option<String>,
    /// Scope path such as `"dense_1/"`, empty at top level.
    pub scope: String,
    /// The value, row-major; only its first `GraphTrace::max_elements` elements when larger.
    pub value: Vec<f32>,
    /// The gradient after `backward`, cut like `value`; `None` where none reached the node.
    pub grad: Option<Vec<f32>>,
}

impl TraceNode {
    /// Elements of the whole tensor (more than `value.len()` when it was cut).
    pub fn elements(&self) -> usize {
        self.dims.iter().product()
    }
    /// The node's caption: its name, else its variable or op.
    pub fn label(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        match &self.kind {
            TraceKind::Constant => "const".into(),
            TraceKind::Input => "input".into(),
            TraceKind::Variable { var, .. } => var.clone(),
            TraceKind::Op { op } => op.clone(),
        }
    }
}

/// A whole tape as data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphTrace {
    pub nodes: Vec<TraceNode>,
    /// The most elements kept of one value or gradient.
    pub max_elements: usize,
}

impl Graph {
    /// The current tape as data, values and gradients cut to `max_elements` each (a drawing
    /// shows a heatmap of a large tensor, not all of it, and a trace at display rate must stay
    /// small). Reads block: call it where reads complete at once (the CPU backend).
    pub fn trace(&self, max_elements: usize) -> Result<GraphTrace> {
        let cut = |mut v: Vec<f32>| {
            v.truncate(max_elements);
            v
        };
        let nodes = self
            .nodes
            .iter()
            .map(|n| {
                let kind = match n.kind {
                    NodeKind::Constant => TraceKind::Constant,
                    NodeKind::Input => TraceKind::Input,
                    NodeKind::Variable { var } => {
                        let v = self.var_info(var)?;
                        TraceKind::Variable {
                            var: v.name.clone(),
                            trainable: v.trainable,
                        }
                    }
                    NodeKind::Op { op } => TraceKind::Op { op: op.label() },
                    // Drawn as an op node: what a drawing needs is its label and its edge.
                    NodeKind::Assign { .. } => TraceKind::Op {
                        op: "assign".into(),
                    },
                };
                Ok(TraceNode {
                    kind,
                    inputs: n.inputs.iter().map(|i| i.0).collect(),
                    dims: n.shape.dims().to_vec(),
                    name: n.name.clone(),
                    scope: n.scope.clone(),
                    value: cut(self.backend.read_blocking(n.value)?),
                    grad: match n.grad {
                        Some(g) => Some(cut(self.backend.read_blocking(g)?)),
                        None => None,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(GraphTrace {
            nodes,
            max_elements,
        })
    }
}
