//! What the function-approximation view draws (course section 5): for a one-input regression,
//! the network's output along the input and each unit of its last hidden layer's weighted part
//! of that output, `v_j h_j(x)`. Computed on the page from a snapshot's weights, which are
//! already there for the diagram; a few hundred units times a few hundred points is cheap.

use crate::config::Config;
use crate::session::{engine_activation, LayerView, Point, Snapshot};

/// Points along the input at which the curves are drawn: enough that a step of steepness 100
/// on [0, 1] (about 0.04 wide) still rises over several of them.
pub const POINTS: usize = 241;

/// The curves of one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCurves {
    /// The input values, evenly spaced over the data's range.
    pub xs: Vec<f64>,
    /// `parts[j][i]`: unit `j`'s weighted output `v_j h_j(xs[i])`.
    pub parts: Vec<Vec<f64>>,
    /// The output layer's bias, the constant the parts sit on.
    pub bias: f64,
    /// The network's output, `bias + sum_j parts[j]`.
    pub output: Vec<f64>,
    /// Per unit, where it switches and how steeply, when its input is one number: the centre
    /// `c = -b / w` and the steepness `w`.
    pub units: Vec<(f64, f64)>,
}

/// Why there is nothing to draw, in a student's words.
pub fn unavailable(c: &Config) -> Option<&'static str> {
    if !c.active_dataset().is_one_dimensional() {
        Some("This view is for one input and one number to predict: pick a 1-D regression dataset (the function curve, or the line).")
    } else if c.network_shape.is_empty() {
        Some("The network has no hidden layer, so there are no units to add up: add one with “+ layer”.")
    } else {
        None
    }
}

/// The network's layers applied to `rows` (`[row][input]`), up to the last hidden layer's
/// outputs (`[row][unit]`).
fn last_hidden(layers: &[LayerView], c: &Config, rows: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let hidden = layers.len().saturating_sub(1);
    let mut h = rows;
    for (l, layer) in layers.iter().take(hidden).enumerate() {
        let act = engine_activation(c.layer_activation(l), c);
        h = h
            .iter()
            .map(|input| {
                layer
                    .w
                    .iter()
                    .zip(&layer.b)
                    .map(|(w, b)| {
                        let z = b + w.iter().zip(input).map(|(w, x)| w * x).sum::<f64>();
                        f64::from(act.value(z as f32))
                    })
                    .collect()
            })
            .collect();
    }
    h
}

/// The network's input row for input value `x` (the config's features of `x`).
fn input_row(x: f64, features: &[crate::config::Feature]) -> Vec<f64> {
    use crate::config::Feature;
    if features.is_empty() {
        // No feature chosen: the network sees one constant input (see `Config::input_width`).
        return vec![1.0];
    }
    features
        .iter()
        .map(|f| match f {
            Feature::X => x,
            Feature::XSquared => x * x,
            Feature::SinX => x.sin(),
            Feature::CosX => x.cos(),
            // One-input data: the second coordinate is 0.
            _ => 0.0,
        })
        .collect()
}

impl UnitCurves {
    /// The curves of `s` under config `c`, or `None` where [`unavailable`] says why, or the
    /// snapshot has no weights yet.
    pub fn of(s: &Snapshot, c: &Config) -> Option<Self> {
        if unavailable(c).is_some() || s.layers.len() < 2 {
            return None;
        }
        let (lo, hi) = s.data.extent.x;
        let xs: Vec<f64> = (0..POINTS)
            .map(|i| lo + (hi - lo) * i as f64 / (POINTS - 1) as f64)
            .collect();
        let rows = xs.iter().map(|&x| input_row(x, &s.features)).collect();
        let h = last_hidden(&s.layers, c, rows);
        let out = s.layers.last()?;
        let v = out.w.first()?;
        let bias = *out.b.first()?;
        let parts: Vec<Vec<f64>> = (0..v.len())
            .map(|j| h.iter().map(|row| v[j] * row[j]).collect())
            .collect();
        let output = (0..xs.len())
            .map(|i| bias + parts.iter().map(|p| p[i]).sum::<f64>())
            .collect();
        let units = match (s.layers.len(), s.features.as_slice()) {
            (2, [crate::config::Feature::X]) => s.layers[0]
                .w
                .iter()
                .zip(&s.layers[0].b)
                .map(|(w, b)| (-b / w[0], w[0]))
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            xs,
            parts,
            bias,
            output,
            units,
        })
    }

    /// Neighbouring units added in pairs (0+1, 2+3, ...): two opposite steps make a bump.
    pub fn pairs(&self) -> Vec<Vec<f64>> {
        self.parts
            .chunks(2)
            .map(|pair| {
                (0..self.xs.len())
                    .map(|i| pair.iter().map(|p| p[i]).sum())
                    .collect()
            })
            .collect()
    }

    /// The network's output at input `x`, read off the curve between its two nearest points.
    #[cfg(test)]
    pub fn output_at(&self, x: f64) -> f64 {
        let (lo, hi) = (self.xs[0], self.xs[self.xs.len() - 1]);
        let t = ((x - lo) / (hi - lo)).clamp(0.0, 1.0) * (self.xs.len() - 1) as f64;
        let i = (t.floor() as usize).min(self.xs.len() - 2);
        let f = t - i as f64;
        self.output[i] * (1.0 - f) + self.output[i + 1] * f
    }
}

/// The course's cost: the sum of squared errors of the network at `points` (their `label` is
/// the target), computed exactly from the weights rather than off the drawn curve.
pub fn sum_of_squares(s: &Snapshot, c: &Config, points: &[Point]) -> Option<f64> {
    if unavailable(c).is_some() || s.layers.len() < 2 {
        return None;
    }
    let rows = points.iter().map(|p| input_row(p.x, &s.features)).collect();
    let h = last_hidden(&s.layers, c, rows);
    let out = s.layers.last()?;
    let (v, bias) = (out.w.first()?, *out.b.first()?);
    Some(
        points
            .iter()
            .zip(&h)
            .map(|(p, row)| {
                let y = bias + v.iter().zip(row).map(|(v, h)| v * h).sum::<f64>();
                (y - p.label).powi(2)
            })
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::hash;
    use crate::session::Session;

    const PRESET: &str = "problem=regression&regDataset=func1d&samples=125&percTrainData=80&noise=0&networkShape=100&activation=sigmoid&x=true&y=false&loss=sse&optimizer=sgd&learningRate=0.0001&batchSize=100&steps=100";

    fn session(text: &str) -> (Config, Session) {
        let (c, notices) = hash::parse(text);
        assert_eq!(notices, vec![]);
        let s = Session::new(&c);
        (c, s)
    }

    #[test]
    fn the_steps_start_as_unit_steps_at_evenly_spaced_centres() {
        let (c, mut s) = session(PRESET);
        let curves = UnitCurves::of(&s.snapshot_now(20), &c).unwrap();
        assert_eq!(curves.parts.len(), 100);
        let (c10, w10) = curves.units[10];
        assert!((c10 - 10.0 / 99.0).abs() < 1e-6 && w10 == 100.0);
        // Unit 10 (even: output weight +1) is 0 well left of its centre and 1 well right of it.
        let at = |j: usize, x: f64| {
            let i = curves.xs.iter().position(|&v| v >= x).unwrap();
            curves.parts[j][i]
        };
        assert!(at(10, 0.0).abs() < 1e-3 && (at(10, 0.3) - 1.0).abs() < 1e-3);
        assert!((at(11, 0.3) + 1.0).abs() < 1e-3, "odd units start at -1");
        // A pair is a bump: 0 on both sides, up between the two centres. At steepness 100 the
        // steps are wider than their spacing (1/99), so the bump is low and smooth.
        let bump = &curves.pairs()[5];
        let i_mid = curves.xs.iter().position(|&v| v >= 10.5 / 99.0).unwrap();
        let sig = |z: f64| 1.0 / (1.0 + (-z).exp());
        let x = curves.xs[i_mid];
        let want = sig(100.0 * (x - 10.0 / 99.0)) - sig(100.0 * (x - 11.0 / 99.0));
        assert!(
            (bump[i_mid] - want).abs() < 1e-4 && want > 0.2,
            "{}",
            bump[i_mid]
        );
        assert!(bump[0].abs() < 1e-3 && bump[POINTS - 1].abs() < 1e-3);
    }

    #[test]
    fn the_curves_add_up_to_what_the_session_predicts() {
        let (c, mut s) = session(PRESET);
        for _ in 0..20 {
            s.step_epoch_now();
        }
        let snap = s.snapshot_now(20);
        let curves = UnitCurves::of(&snap, &c).unwrap();
        // The session's own output over its grid: a 1-D set varies along the columns only.
        let grid = snap.grid;
        for col in [0, grid / 3, grid - 1] {
            let (x, _) = snap.data.extent.cell(grid, 0, col);
            let want = snap.output[col][0];
            let got = curves.output_at(x);
            assert!((got - want).abs() < 2e-2, "x {x}: {got} vs {want}");
        }
        // The course's cost, summed over the training points, is the session's training loss.
        let sse = sum_of_squares(&snap, &c, &snap.data.train).unwrap();
        let loss = snap.latest.loss_train;
        assert!((sse - loss).abs() < 1e-3 * loss.max(1.0), "{sse} vs {loss}");
    }

    #[test]
    fn other_problems_say_why_there_is_nothing_to_draw() {
        let (c, mut s) = session("dataset=circle");
        assert!(UnitCurves::of(&s.snapshot_now(10), &c).is_none());
        assert!(unavailable(&c).unwrap().contains("1-D"));
        let (c, _) = session("problem=regression&regDataset=func1d&networkShape=");
        assert!(unavailable(&c).unwrap().contains("hidden layer"));
    }
}
