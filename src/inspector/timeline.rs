//! The panels' memory of past epochs: weights, gradients and their norms, kept at a bounded
//! size (every other frame dropped when full, as the loss history does) so cost does not grow
//! with training time.

use crate::analysis::units::l2_norm;
use crate::session::LayerView;

/// One recorded epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub epoch: u64,
    /// The network's parameters then.
    pub layers: Vec<LayerView>,
    /// Full-batch gradient of the training loss then, shaped like `layers`.
    pub grads: Vec<LayerView>,
}

impl Frame {
    /// Every weight (biases excluded, as TensorBoard's kernel histograms) of layer `l`.
    pub fn weights(&self, l: usize) -> Vec<f64> {
        flat(self.layers.get(l))
    }

    /// Every weight gradient of layer `l`.
    pub fn weight_grads(&self, l: usize) -> Vec<f64> {
        flat(self.grads.get(l))
    }

    /// The L2 norm of layer `l`'s weight gradient.
    pub fn grad_norm(&self, l: usize) -> f64 {
        l2_norm(&self.weight_grads(l))
    }
}

fn flat(layer: Option<&LayerView>) -> Vec<f64> {
    layer.map_or_else(Vec::new, |l| l.w.iter().flatten().copied().collect())
}

/// Layer widths of a parameter list, to notice a changed architecture.
fn shape(layers: &[LayerView]) -> Vec<(usize, usize)> {
    layers
        .iter()
        .map(|l| (l.b.len(), l.w.first().map_or(0, Vec::len)))
        .collect()
}

/// Bounded, evenly strided frames of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    frames: Vec<Frame>,
    capacity: usize,
    stride: u64,
}

impl Default for Timeline {
    fn default() -> Self {
        Self::with_capacity(48)
    }
}

impl Timeline {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            frames: Vec::new(),
            capacity: capacity.max(4),
            stride: 1,
        }
    }

    /// Offers the state at `epoch`. A new run (epoch going back, or other layer shapes) starts
    /// over; the same epoch again (an edited weight) replaces the last frame. `make` is called
    /// only when the frame is kept, so the gradient is not computed for nothing. Returns whether
    /// the frames changed.
    pub fn observe(
        &mut self,
        epoch: u64,
        layers: &[LayerView],
        make: impl FnOnce() -> Frame,
    ) -> bool {
        if let Some(last) = self.frames.last() {
            if epoch < last.epoch || shape(&last.layers) != shape(layers) {
                self.frames.clear();
                self.stride = 1;
            } else if epoch == last.epoch {
                if last.layers == layers {
                    return false;
                }
                self.frames.pop();
                self.frames.push(make());
                return true;
            } else if epoch < last.epoch + self.stride {
                // Snapshots arrive at the drawing rate, several epochs apart: spacing by
                // distance rather than by `epoch % stride` never skips a whole stretch.
                return false;
            }
        }
        self.frames.push(make());
        if self.frames.len() >= self.capacity {
            self.stride *= 2;
            // Every other frame goes; the first (the initial weights) always stays.
            let mut index = 0;
            self.frames.retain(|_| {
                index += 1;
                index % 2 == 1
            });
        }
        true
    }

    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers(v: f64) -> Vec<LayerView> {
        vec![LayerView {
            w: vec![vec![v, 2.0 * v]],
            b: vec![0.0],
        }]
    }

    fn frame(epoch: u64, v: f64) -> Frame {
        Frame {
            epoch,
            layers: layers(v),
            grads: vec![LayerView {
                w: vec![vec![3.0, 4.0]],
                b: vec![1.0],
            }],
        }
    }

    #[test]
    fn bounded_evenly_and_restarts_on_reset() {
        let mut t = Timeline::with_capacity(8);
        for e in 0..100 {
            t.observe(e, &layers(e as f64), || frame(e, e as f64));
        }
        assert!(t.frames().len() < 8);
        assert_eq!(t.frames()[0].epoch, 0);
        assert!(t.frames().last().map_or(0, |f| f.epoch) >= 64);
        t.observe(0, &layers(0.0), || frame(0, 0.0));
        assert_eq!(t.frames().len(), 1, "a reset starts a new timeline");
        // Epochs seen only at odd numbers (several per drawn frame) are still recorded.
        let mut t = Timeline::with_capacity(8);
        for e in (1..200).step_by(3) {
            t.observe(e, &layers(1.0), || frame(e, 1.0));
        }
        assert!(t.frames().len() >= 4, "{}", t.frames().len());
        assert!(t.frames().last().map_or(0, |f| f.epoch) > 150);
    }

    #[test]
    fn same_epoch_replaces_and_norms_are_per_layer() {
        let mut t = Timeline::default();
        t.observe(3, &layers(1.0), || frame(3, 1.0));
        t.observe(3, &layers(1.5), || frame(3, 1.5));
        assert_eq!(t.frames().len(), 1);
        assert_eq!(t.frames()[0].weights(0), vec![1.5, 3.0]);
        assert_eq!(t.frames()[0].grad_norm(0), 5.0);
        assert!(t.frames()[0].weights(7).is_empty());
    }
}
