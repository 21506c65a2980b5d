//! `assign`: the one op with a side effect. It writes a node's value into a persistent
//! variable, as TensorFlow's `assign` does, so a graph can keep state between runs (a counter
//! that each run increments). It is recorded on the tape like any node, and [`Graph::rerun`]
//! writes again, so running the graph once more applies the update once more.

use super::{Graph, NodeId, NodeKind, VarId};
use crate::error::{EngineError, Result};

impl Graph {
    /// `v := x`: copies the value of node `x` into variable `v` (same number of elements) and
    /// records an assign node whose value is the value written. No gradient flows through it
    /// (an update is not part of the function being differentiated).
    pub fn assign(&mut self, v: VarId, x: NodeId) -> Result<NodeId> {
        let var = self.var_info(v)?;
        let (target, var_shape) = (var.value, var.shape);
        let n = self.node(x)?;
        let (source, shape) = (n.value, n.shape);
        if var_shape.numel() != shape.numel() {
            return Err(EngineError::ShapeMismatch {
                op: "assign",
                left: var_shape.dims().to_vec(),
                right: shape.dims().to_vec(),
            });
        }
        // The node keeps its own copy: the variable may change again later in the tape.
        let value = self.backend.alloc(shape.numel())?;
        self.backend.copy(source, value)?;
        self.backend.copy(source, target)?;
        let inputs = if self.recording { vec![x] } else { vec![] };
        let kind = if self.recording {
            NodeKind::Assign { var: v }
        } else {
            NodeKind::Constant
        };
        Ok(self.push(kind, inputs, shape, value, vec![], false))
    }

    /// Repeats the write of assign node `i` from its input's current value (for `rerun`).
    pub(super) fn rerun_assign(&mut self, i: usize, v: VarId) -> Result<()> {
        let source = self.nodes[self.nodes[i].inputs[0].0].value;
        let target = self.var_info(v)?.value;
        let own = self.nodes[i].value;
        self.backend.copy(source, own)?;
        self.backend.copy(source, target)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Graph, NodeKind, Tensor};

    #[test]
    fn a_counter_incremented_by_assign_reads_0_1_2_3() {
        let mut g = Graph::cpu();
        let state = g.variable("counter", &Tensor::scalar(0.0), false).unwrap();
        let mut seen = vec![g.var_value(state).unwrap().data()[0]];
        let read = g.var(state).unwrap();
        let one = g.constant(&Tensor::scalar(1.0)).unwrap();
        let next = g.add(read, one).unwrap();
        let update = g.assign(state, next).unwrap();
        seen.push(g.var_value(state).unwrap().data()[0]);
        for _ in 0..2 {
            g.rerun().unwrap();
            seen.push(g.var_value(state).unwrap().data()[0]);
        }
        assert_eq!(seen, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(g.value(update).unwrap().data(), &[3.0]);
        assert_eq!(
            g.node(update).unwrap().kind,
            NodeKind::Assign { var: state }
        );
        assert_eq!(g.node(update).unwrap().inputs, vec![next]);
    }

    #[test]
    fn assign_refuses_another_size_and_names_both_shapes() {
        let mut g = Graph::cpu();
        let state = g.variable("s", &Tensor::scalar(0.0), false).unwrap();
        let x = g.constant(&Tensor::vector(vec![1.0, 2.0])).unwrap();
        let e = g.assign(state, x).unwrap_err().to_string();
        assert!(e.contains("assign") && e.contains("[2]"), "{e}");
        assert_eq!(g.var_value(state).unwrap().data(), &[0.0]);
    }

    #[test]
    fn assign_shows_in_the_trace_and_passes_no_gradient() {
        let mut g = Graph::cpu();
        let w = g.variable("w", &Tensor::scalar(2.0), true).unwrap();
        let s = g.variable("s", &Tensor::scalar(0.0), false).unwrap();
        let wn = g.var(w).unwrap();
        let sq = g.square(wn).unwrap();
        let a = g.assign(s, sq).unwrap();
        g.backward(sq).unwrap();
        let t = g.trace(16).unwrap();
        assert_eq!(t.nodes[a.0].label(), "assign");
        assert_eq!(t.nodes[a.0].inputs, vec![sq.0]);
        assert_eq!(t.nodes[a.0].value, vec![4.0]);
        assert!(t.nodes[a.0].grad.is_none());
        assert_eq!(g.var_grad(w).unwrap().data(), &[4.0]);
    }
}
