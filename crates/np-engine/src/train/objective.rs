//! The training objective: the one definition of what the trainer minimizes, recorded by the
//! trainer's step and by [`super::Probe::gradient`] alike.

use crate::autodiff::{Graph, NodeId};
use crate::error::Result;
use crate::nn::{Loss, Regularization, Sequential};

/// The training objective of one batch, recorded on `g`: the data loss of the model's forward
/// pass plus the L1/L2 penalty of every weight matrix. `dropout_seed`: `Some` in training,
/// `None` for the evaluation-mode objective (no dropout).
/// # Shapes
/// `x: [batch, inputs]`, `t: [batch, outputs]`; result: scalar.
pub(super) fn record_objective(
    g: &mut Graph,
    model: &Sequential,
    loss: Loss,
    regularization: Regularization,
    (x, t): (NodeId, NodeId),
    dropout_seed: Option<u32>,
) -> Result<NodeId> {
    let logits = model.forward(g, x, dropout_seed)?;
    let head = if loss.from_logits() {
        logits
    } else {
        model.output(g, logits)?
    };
    g.push_scope("loss");
    let mut total = loss.build(g, head, t)?;
    // Without a penalty the weights are not read here at all: the graph a student looks at
    // has no dangling reads.
    if regularization.l1 != 0.0 || regularization.l2 != 0.0 {
        for l in &model.layers {
            let w = g.var(l.w)?;
            if let Some(p) = regularization.build(g, w)? {
                total = g.add(total, p)?;
            }
        }
    }
    g.pop_scope();
    g.name(total, "loss")
}
