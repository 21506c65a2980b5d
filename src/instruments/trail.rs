//! The weights a run went through, as the page saw them: one entry per snapshot with a new
//! epoch, in the engine's layout (`w1 [fan_in, units], b1 [units], ...`), so the host can
//! project them onto a landscape's plane. Plain Rust, tested natively.

use np_engine::TensorData;

use crate::session::LayerView;

/// At most this many points are kept, and at most `MAX_FLOATS` numbers in all (a wide network
/// keeps fewer points); beyond that every other point is dropped (the path keeps its shape,
/// its start and its end).
const MAX_POINTS: usize = 400;
const MAX_FLOATS: usize = 2_000_000;

/// A run's recorded weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trail {
    /// `(fan_in, units)` of each weight layer: another network starts another trail.
    shape: Vec<(usize, usize)>,
    last_epoch: Option<u64>,
    last_version: Option<u64>,
    pub points: Vec<Vec<TensorData>>,
}

/// A snapshot's layers in the engine's layout (`LayerView` holds `w[to][from]`; the values are
/// the engine's f32s widened, so narrowing them back is exact).
pub fn engine_params(layers: &[LayerView]) -> Vec<TensorData> {
    let mut out = Vec::with_capacity(2 * layers.len());
    for l in layers {
        let units = l.w.len();
        let fan_in = l.w.first().map_or(0, Vec::len);
        let mut w = vec![0f32; fan_in * units];
        for (to, row) in l.w.iter().enumerate() {
            for (from, &v) in row.iter().enumerate().take(fan_in) {
                w[from * units + to] = v as f32;
            }
        }
        out.push(TensorData {
            dims: vec![fan_in, units],
            data: w,
        });
        out.push(TensorData {
            dims: vec![units],
            data: l.b.iter().map(|&v| v as f32).collect(),
        });
    }
    out
}

fn shape_of(layers: &[LayerView]) -> Vec<(usize, usize)> {
    layers
        .iter()
        .map(|l| (l.w.first().map_or(0, Vec::len), l.w.len()))
        .collect()
}

impl Trail {
    /// Takes a snapshot's weights at `epoch`. A new network, or an epoch before the last one
    /// (a reset), starts the trail again; the same epoch again replaces its point (an edited
    /// weight, a step on one row).
    pub fn record(&mut self, epoch: u64, layers: &[LayerView]) {
        let shape = shape_of(layers);
        if shape != self.shape || self.last_epoch.is_some_and(|e| epoch < e) {
            self.points.clear();
            self.shape = shape;
        }
        let params = engine_params(layers);
        if self.last_epoch == Some(epoch) && !self.points.is_empty() {
            if let Some(last) = self.points.last_mut() {
                *last = params;
            }
        } else {
            self.points.push(params);
        }
        self.last_epoch = Some(epoch);
        let per_point: usize = self
            .points
            .last()
            .map_or(1, |p| p.iter().map(|t| t.data.len()).sum());
        let limit = (MAX_FLOATS / per_point.max(1)).clamp(2, MAX_POINTS);
        if self.points.len() > limit {
            let last = self.points.pop();
            let kept: Vec<Vec<TensorData>> = self.points.drain(..).step_by(2).collect();
            self.points = kept;
            self.points.extend(last);
        }
    }

    /// [`Trail::record`] once per snapshot `version` (a render without a new snapshot adds
    /// nothing).
    pub fn record_once(&mut self, version: u64, epoch: u64, layers: &[LayerView]) {
        if self.last_version != Some(version) {
            self.last_version = Some(version);
            self.record(epoch, layers);
        }
    }

    /// For a model of exactly one weight and one bias: the `(w, b)` of every point.
    pub fn two_parameters(&self) -> Option<Vec<(f64, f64)>> {
        (self.shape == [(1, 1)]).then(|| {
            self.points
                .iter()
                .map(|p| (f64::from(p[0].data[0]), f64::from(p[1].data[0])))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(w: f64, b: f64) -> Vec<LayerView> {
        vec![LayerView {
            w: vec![vec![w]],
            b: vec![b],
        }]
    }

    #[test]
    fn engine_layout_is_fan_in_by_units() {
        let l = LayerView {
            w: vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]], // 2 units from 3 inputs
            b: vec![0.5, -0.5],
        };
        let p = engine_params(&[l]);
        assert_eq!(p[0].dims, vec![3, 2]);
        assert_eq!(p[0].data, vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        assert_eq!(p[1].dims, vec![2]);
    }

    #[test]
    fn a_trail_follows_epochs_and_restarts_on_a_reset_or_another_network() {
        let mut t = Trail::default();
        t.record(0, &layer(0.0, 0.0));
        t.record(1, &layer(0.1, 0.5));
        t.record(1, &layer(0.12, 0.5)); // an edit at the same epoch
        t.record(2, &layer(0.2, 0.9));
        assert_eq!(
            t.two_parameters().unwrap(),
            vec![
                (0.0, 0.0),
                (0.12f32 as f64, 0.5),
                (0.2f32 as f64, 0.9f32 as f64)
            ]
        );
        t.record(0, &layer(0.0, 0.0)); // reset
        assert_eq!(t.points.len(), 1);
        t.record(
            1,
            &[LayerView {
                w: vec![vec![1.0, 2.0]],
                b: vec![0.0],
            }],
        );
        assert_eq!(t.points.len(), 1, "another network");
        assert_eq!(t.two_parameters(), None, "two inputs: three parameters");
    }

    #[test]
    fn a_long_trail_is_thinned_keeping_its_ends() {
        let mut t = Trail::default();
        for e in 0..1000 {
            t.record(e, &layer(e as f64, 0.0));
        }
        let path = t.two_parameters().unwrap();
        assert!(path.len() <= MAX_POINTS + 1);
        assert_eq!(path[0].0, 0.0);
        assert_eq!(path.last().unwrap().0, 999.0);
    }
}
