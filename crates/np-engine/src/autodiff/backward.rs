//! Reverse-mode differentiation over the recorded tape.

use super::{op, Graph, NodeId, NodeKind};
use crate::error::{EngineError, Result};

impl Graph {
    /// Reverse-mode differentiation of the scalar node `loss`: fills every reached node's
    /// gradient and *adds* into each trainable variable's accumulated gradient.
    pub fn backward(&mut self, loss: NodeId) -> Result<()> {
        let root = self.node(loss)?;
        if root.shape.numel() != 1 {
            return Err(EngineError::Backward(format!(
                "loss must be a scalar, got {:?}",
                root.shape
            )));
        }
        if !root.requires_grad {
            return Err(EngineError::Backward(
                "the loss does not depend on a trainable variable (or recording was off)".into(),
            ));
        }
        for n in &mut self.nodes {
            if let Some(g) = n.grad.take() {
                self.backend.release(g);
            }
        }
        let one = self.backend.upload(&[1.0])?;
        self.nodes[loss.0].grad = Some(one);
        for i in (0..=loss.0).rev() {
            let (Some(g), NodeKind::Op { op }) = (self.nodes[i].grad, self.nodes[i].kind) else {
                continue;
            };
            let node = &self.nodes[i];
            let ins: Vec<op::Val> = node
                .inputs
                .iter()
                .map(|&j| op::Val {
                    buffer: self.nodes[j.0].value,
                    shape: self.nodes[j.0].shape,
                })
                .collect();
            let needs: Vec<bool> = node
                .inputs
                .iter()
                .map(|&j| self.nodes[j.0].requires_grad)
                .collect();
            if !needs.iter().any(|&b| b) {
                continue;
            }
            let out = op::Val {
                buffer: node.value,
                shape: node.shape,
            };
            let aux = node.aux.clone();
            let inputs = node.inputs.clone();
            let grads = op::backward(&op, self.backend.as_mut(), &ins, out, &aux, g, &needs)?;
            for ((j, gi), need) in inputs.into_iter().zip(grads).zip(needs) {
                let Some(gi) = gi else { continue };
                if !need {
                    self.backend.release(gi);
                    continue;
                }
                match self.nodes[j.0].grad {
                    Some(existing) => {
                        self.backend.axpy(1.0, gi, existing)?;
                        self.backend.release(gi);
                    }
                    None => self.nodes[j.0].grad = Some(gi),
                }
            }
        }
        for n in &self.nodes {
            if let (NodeKind::Variable { var }, Some(g)) = (n.kind, n.grad) {
                if let Some(v) = self.vars.get(var.0).filter(|v| v.trainable) {
                    self.backend.axpy(1.0, g, v.grad)?;
                }
            }
        }
        Ok(())
    }
}
