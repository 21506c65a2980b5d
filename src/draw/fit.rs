//! Pure drawing for a regression's test rows: each row's prediction against its true value, on
//! the same scale across and up, with the diagonal where the two agree.

use super::scene::{Align, Plot, Scene, ACCENT, MUTED};

/// `pairs` are `(truth, prediction)` in the target's units; `target` names the axes.
pub fn fit_scene(pairs: &[(f64, f64)], target: &str, width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let values = pairs
        .iter()
        .flat_map(|&(t, p)| [t, p])
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
    let range = if lo.is_finite() {
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    };
    let plot = Plot::inside(&scene, range, range);
    plot.axes(
        &mut scene,
        &format!("true {target} →"),
        &format!("predicted {target} ↑"),
    );
    scene.line(
        plot.at(plot.x.0, plot.y.0),
        plot.at(plot.x.1, plot.y.1),
        MUTED,
        1.0,
    );
    let (x, y) = plot.at(
        plot.x.0 + (plot.x.1 - plot.x.0) * 0.7,
        plot.y.0 + (plot.y.1 - plot.y.0) * 0.62,
    );
    scene.text(x, y, "exact", 10.0, Align::Left);
    for &(t, p) in pairs {
        if !(t.is_finite() && p.is_finite()) {
            continue;
        }
        let (cx, cy) = plot.at(t.clamp(plot.x.0, plot.x.1), p.clamp(plot.y.0, plot.y.1));
        scene.circle(cx, cy, 2.5, ACCENT.alpha(0.55), None);
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dot_per_finite_row_and_the_diagonal() {
        let marks = |pairs: &[(f64, f64)]| fit_scene(pairs, "y", 300.0, 260.0).marks();
        let two = marks(&[(1.0, 1.5), (3.0, 2.0)]);
        // A row without a prediction adds nothing; one more inside the same range adds a dot.
        assert_eq!(marks(&[(1.0, 1.5), (2.0, f64::NAN), (3.0, 2.0)]), two);
        assert_eq!(marks(&[(1.0, 1.5), (2.0, 2.0), (3.0, 2.0)]), two + 1);
        assert!(marks(&[]) > 0, "the frame and the diagonal without rows");
    }
}
