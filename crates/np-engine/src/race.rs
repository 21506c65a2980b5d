//! The optimizer race: the engine's own optimizers, each stepping a two-element parameter
//! `(x, y)` on a [`Surface`], from one start. Every step is the CPU backend's
//! [`Backend::optimizer_step`], the very call a training step makes per parameter tensor, so the
//! paths are the update rules of [`UpdateRule`] and nothing written again beside them.

use serde::{Deserialize, Serialize};

use crate::backend::cpu::CpuBackend;
use crate::backend::{Backend, UpdateRule};
use crate::error::Result;
use crate::surfaces::Surface;

/// Coordinates beyond this are a path that left for infinity: it stops there.
const ESCAPED: f64 = 1e6;

/// One optimizer's run on a surface.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RacePath {
    pub rule: UpdateRule,
    /// `points[t]`: the parameter after `t` steps (`points[0]` is the start).
    pub points: Vec<(f64, f64)>,
    /// `losses[t] = f(points[t])`.
    pub losses: Vec<f64>,
    /// The step after which the path stopped because it diverged (non-finite or far away).
    pub diverged_at: Option<usize>,
}

impl RacePath {
    /// The first step whose loss is within the surface's tolerance of its minimum.
    pub fn steps_to_minimum(&self, surface: Surface) -> Option<usize> {
        let goal = surface.minimum() + surface.tolerance();
        self.losses.iter().position(|&l| l <= goal)
    }
}

/// Runs `rule` for `steps` steps on `surface` from `start`.
pub fn run(
    surface: Surface,
    start: (f64, f64),
    rule: UpdateRule,
    steps: usize,
) -> Result<RacePath> {
    let mut backend = CpuBackend::new();
    let param = backend.upload(&[start.0 as f32, start.1 as f32])?;
    let grad = backend.alloc(2)?;
    let state = (0..rule.state_buffers())
        .map(|_| {
            let b = backend.alloc(2)?;
            backend.fill(b, rule.state_init())?;
            Ok(b)
        })
        .collect::<Result<Vec<_>>>()?;
    // The parameter as the engine holds it (f32), so the path is what the optimizer sees.
    let (mut x, mut y) = (f64::from(start.0 as f32), f64::from(start.1 as f32));
    let mut path = RacePath {
        rule,
        points: vec![(x, y)],
        losses: vec![surface.value(x, y)],
        diverged_at: None,
    };
    for t in 1..=steps {
        let (gx, gy) = surface.gradient(x, y);
        backend.write(grad, &[gx as f32, gy as f32])?;
        backend.optimizer_step(rule, t as u64, param, grad, &state)?;
        let p = backend.read_blocking(param)?;
        (x, y) = (f64::from(p[0]), f64::from(p[1]));
        let loss = surface.value(x, y);
        if !(loss.is_finite() && x.abs() < ESCAPED && y.abs() < ESCAPED) {
            path.diverged_at = Some(t);
            break;
        }
        path.points.push((x, y));
        path.losses.push(loss);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path stepped by hand with the reference update, to show `run` is that update.
    fn by_hand(surface: Surface, rule: UpdateRule, steps: usize) -> Vec<(f64, f64)> {
        let (sx, sy) = surface.start();
        let mut p = [sx as f32, sy as f32];
        let mut s = [[rule.state_init(); 2]; 2];
        let mut out = vec![(f64::from(p[0]), f64::from(p[1]))];
        for t in 1..=steps {
            let (gx, gy) = surface.gradient(f64::from(p[0]), f64::from(p[1]));
            for (i, g) in [gx as f32, gy as f32].into_iter().enumerate() {
                let mut st = [s[0][i], s[1][i]];
                rule.update_scalar(t as u64, &mut p[i], g, &mut st);
                (s[0][i], s[1][i]) = (st[0], st[1]);
            }
            out.push((f64::from(p[0]), f64::from(p[1])));
        }
        out
    }

    fn rules(lr: f32) -> [UpdateRule; 6] {
        [
            UpdateRule::sgd(lr),
            UpdateRule::momentum(lr, 0.9),
            UpdateRule::nesterov(lr, 0.9),
            UpdateRule::adagrad(lr),
            UpdateRule::rmsprop(lr),
            UpdateRule::adam(lr),
        ]
    }

    #[test]
    fn paths_are_the_engines_update_rules() {
        for surface in Surface::ALL {
            for rule in rules(1e-3) {
                let path = run(surface, surface.start(), rule, 50).unwrap();
                assert_eq!(
                    path.points,
                    by_hand(surface, rule, 50),
                    "{surface:?} {rule:?}"
                );
                assert_eq!(path.losses.len(), path.points.len());
            }
        }
    }

    #[test]
    fn momentum_beats_plain_sgd_on_the_ill_conditioned_bowl() {
        let s = Surface::IllConditioned;
        let sgd = run(s, s.start(), UpdateRule::sgd(0.03), 1000).unwrap();
        let momentum = run(s, s.start(), UpdateRule::momentum(0.03, 0.9), 1000).unwrap();
        let (a, b) = (
            sgd.steps_to_minimum(s).unwrap(),
            momentum.steps_to_minimum(s).unwrap(),
        );
        assert!(b < a, "momentum {b} steps, SGD {a}");
    }

    #[test]
    fn a_learning_rate_too_large_diverges_and_stops() {
        let s = Surface::IllConditioned;
        let path = run(s, s.start(), UpdateRule::sgd(1.0), 500).unwrap();
        let at = path.diverged_at.expect("lr 1 on curvature 50 blows up");
        assert_eq!(
            path.points.len(),
            at,
            "the points before the escape are kept"
        );
        assert!(path
            .points
            .iter()
            .all(|p| p.0.is_finite() && p.1.is_finite()));
        assert_eq!(path.steps_to_minimum(s), None);
    }

    #[test]
    fn adam_finds_the_rosenbrock_valley_floor() {
        let s = Surface::Rosenbrock;
        let path = run(s, s.start(), UpdateRule::adam(0.02), 3000).unwrap();
        assert!(path.diverged_at.is_none());
        let last = *path.losses.last().unwrap();
        assert!(
            last < path.losses[0] / 100.0,
            "from {} to {last}",
            path.losses[0]
        );
    }
}
