//! Pure drawing for the confusion panel: the matrix as a heat map with counts, or for
//! regression the predicted value against the true one.

use super::scene::{class_color, Align, Color, Plot, Scene, ACCENT, INK, MUTED};
use crate::analysis::confusion::Confusion;
use crate::analysis::histogram::finite_range;

/// Rows true class, columns predicted; shade by the share of the true class's samples.
pub fn matrix_scene(c: &Confusion, width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let k = c.classes.max(1) as f64;
    let (left, top) = (70.0, 36.0);
    let cell = ((width - left - 10.0) / k).min((height - top - 10.0) / k);
    scene.text_colored(
        left + cell * k / 2.0,
        14.0,
        "predicted",
        INK,
        11.0,
        Align::Center,
    );
    scene.text_colored(6.0, top + cell * k / 2.0, "true", INK, 11.0, Align::Left);
    for a in 0..c.classes {
        let y = top + cell * a as f64;
        scene.circle(left - 12.0, y + cell / 2.0, 6.0, class_color(a), None);
        scene.circle(
            left + cell * (a as f64 + 0.5),
            top - 10.0,
            6.0,
            class_color(a),
            None,
        );
        for p in 0..c.classes {
            let x = left + cell * p as f64;
            let share = c.row_share(a, p);
            let fill = Color::rgb(0xf4, 0xf6, 0xf8).mix(ACCENT, share);
            scene.rect(x + 1.0, y + 1.0, cell - 2.0, cell - 2.0, fill);
            let ink = if share > 0.55 {
                Color::rgb(255, 255, 255)
            } else {
                INK
            };
            scene.text_colored(
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                format!("{}", c.counts[a][p]),
                ink,
                13.0,
                Align::Center,
            );
        }
    }
    scene
}

/// Regression: each point at (true, predicted), with the diagonal of perfect predictions.
pub fn residual_scene(truth: &[f64], predicted: &[f64], width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let all: Vec<f64> = truth.iter().chain(predicted).copied().collect();
    let (lo, hi) = finite_range(&all).unwrap_or((-1.0, 1.0));
    let plot = Plot::inside(&scene, (lo, hi), (lo, hi));
    plot.axes(&mut scene, "true value", "predicted");
    scene.line(
        plot.at(plot.x.0, plot.x.0),
        plot.at(plot.x.1, plot.x.1),
        MUTED,
        1.0,
    );
    for (t, p) in truth.iter().zip(predicted) {
        let (x, y) = plot.at(*t, plot.clamp_y(*p));
        scene.circle(x, y, 2.5, ACCENT.alpha(0.7), None);
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_per_pair_and_a_point_per_sample() {
        let c = Confusion::from_pairs(3, [(0, 0), (1, 2), (2, 2)]);
        let s = matrix_scene(&c, 300.0, 260.0);
        assert_eq!(s.marks(), 9 + 6, "nine cells and six class swatches");
        let r = residual_scene(&[0.0, 1.0, 2.0], &[0.1, 0.9, f64::NAN], 300.0, 200.0);
        assert!(r.marks() >= 2);
    }
}
