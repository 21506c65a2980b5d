//! Pure drawing for the ROC panel: the curve of true- against false-positive rate, the chance
//! diagonal it is read against, and the area under the curve (the AUC) as a shade.

use super::scene::{Align, Plot, Scene, ACCENT, MUTED};

/// `curve` from `np_engine::train::metrics::roc_curve`: (0, 0) to (1, 1) in rising x.
pub fn roc_scene(curve: &[(f64, f64)], width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let plot = Plot::inside(&scene, (0.0, 1.0), (0.0, 1.0));
    plot.axes(&mut scene, "false-positive rate", "true-positive rate");
    // Guessing: every threshold lets through as many negatives as positives.
    scene.line(plot.at(0.0, 0.0), plot.at(1.0, 1.0), MUTED, 1.0);
    let (cx, cy) = plot.at(0.62, 0.55);
    scene.text(cx, cy, "chance", 10.0, Align::Left);
    // The area under the curve, the AUC, as a shade: one strip per step to the right, a few
    // thinner ones where tied scores make a diagonal step.
    for w in curve.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let rises_right = x1 > x0 && y0.is_finite() && y1.is_finite();
        if !rises_right {
            continue;
        }
        let strips = if y0 == y1 { 1 } else { 8 };
        for k in 0..strips {
            let t = (k as f64 + 0.5) / strips as f64;
            let (a, b) = (
                x0 + (x1 - x0) * k as f64 / strips as f64,
                x0 + (x1 - x0) * (k + 1) as f64 / strips as f64,
            );
            let y = (y0 + (y1 - y0) * t).clamp(0.0, 1.0);
            let (left, right, top) = (plot.px(a), plot.px(b), plot.py(y));
            scene.rect(
                left,
                top,
                right - left,
                plot.py(0.0) - top,
                ACCENT.alpha(0.15),
            );
        }
    }
    let points = curve
        .iter()
        .map(|&(x, y)| plot.at(x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect();
    scene.polyline(points, ACCENT, 2.0);
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_its_diagonal_and_a_shade_per_rising_step() {
        let curve = [(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)];
        let s = roc_scene(&curve, 300.0, 260.0);
        let bare = roc_scene(&[], 300.0, 260.0).marks();
        // The diagonal and the frame are in both; the curve adds its line and one strip per
        // step to the right (two here).
        assert_eq!(s.marks(), bare + 1 + 2);
        // A tie (one diagonal step) is shaded in eight strips.
        assert_eq!(
            roc_scene(&[(0.0, 0.0), (1.0, 1.0)], 300.0, 260.0).marks(),
            bare + 1 + 8
        );
    }
}
