//! Pure drawing for the activation panel: f and f' over z with the z marker, behind them the
//! histogram of a layer's pre-activations; and softmax on a 3-vector as bars.

use super::scene::{Align, Color, Plot, Scene, ACCENT, INK, MUTED, RED};
use crate::analysis::activation::Curve;
use crate::analysis::histogram::{finite_range, Histogram};

const F_COLOR: Color = ACCENT;
const DF_COLOR: Color = Color::rgb(0xd9, 0x5f, 0x02);
const HIST_COLOR: Color = Color::rgb(0x8a, 0x9b, 0xad);

/// The z range shown: at least [-6, 6], widened (up to +-30) to cover the pre-activations.
pub fn z_range(pre: &[f64]) -> (f64, f64) {
    let m = finite_range(pre).map_or(6.0, |(lo, hi)| lo.abs().max(hi.abs()).max(6.0));
    let m = m.min(30.0);
    (-m, m)
}

/// f, f', the marker at `z`, and the histogram of `pre` (bins over the shown range).
pub fn curve_scene(curve: Curve, z: f64, pre: &[f64], width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let (lo, hi) = z_range(pre);
    let n = 240;
    let xs: Vec<f64> = (0..=n)
        .map(|i| lo + (hi - lo) * f64::from(i) / f64::from(n))
        .collect();
    let ys: Vec<f64> = xs.iter().flat_map(|&x| [curve.f(x), curve.df(x)]).collect();
    let (ymin, ymax) = finite_range(&ys).unwrap_or((-1.0, 1.0));
    let (ymin, ymax) = (
        (ymin.min(0.0) - 0.15).max(-4.0),
        (ymax.max(1.0) + 0.15).min(8.0),
    );
    let plot = Plot::inside(&scene, (lo, hi), (ymin, ymax));
    plot.axes(&mut scene, "z", "");
    if !pre.is_empty() {
        let mut h = Histogram::new(lo, hi, 48);
        h.extend(pre);
        let peak = f64::from(h.peak().max(1));
        let bin_w = plot.width / h.counts.len() as f64;
        for (i, &c) in h.counts.iter().enumerate() {
            if c > 0 {
                let bar = 0.6 * plot.height * f64::from(c) / peak;
                let x = plot.left + bin_w * i as f64;
                scene.rect(
                    x,
                    plot.top + plot.height - bar,
                    bin_w - 0.5,
                    bar,
                    HIST_COLOR.alpha(0.45),
                );
            }
        }
        let outside = h.below + h.above + h.nan;
        if outside > 0 {
            scene.text_colored(
                plot.left + plot.width - 4.0,
                plot.top + plot.height - 6.0,
                format!("{outside} off the scale"),
                RED,
                10.0,
                Align::Right,
            );
        }
    }
    let clip = |y: f64| if y >= ymin && y <= ymax { y } else { f64::NAN };
    let line = |g: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        xs.iter().map(|&x| plot.at(x, clip(g(x)))).collect()
    };
    let df = line(&|x| curve.df(x));
    scene.polyline(df, DF_COLOR, 2.0);
    let f = line(&|x| curve.f(x));
    scene.polyline(f, F_COLOR, 2.5);
    let zc = z.clamp(lo, hi);
    scene.line(plot.at(zc, ymin), plot.at(zc, ymax), INK.alpha(0.5), 1.0);
    let (mx, my) = plot.at(zc, plot.clamp_y(curve.f(zc)));
    scene.circle(mx, my, 4.5, F_COLOR, Some(INK));
    let (dx, dy) = plot.at(zc, plot.clamp_y(curve.df(zc)));
    scene.circle(dx, dy, 4.0, DF_COLOR, Some(INK));
    scene.text_colored(
        plot.left + 6.0,
        plot.top + 24.0,
        "f(z)",
        F_COLOR,
        11.0,
        Align::Left,
    );
    scene.text_colored(
        plot.left + 6.0,
        plot.top + 38.0,
        "f'(z)",
        DF_COLOR,
        11.0,
        Align::Left,
    );
    scene
}

/// Softmax on a 3-vector: the inputs z and the probabilities p side by side.
pub fn softmax_scene(z: &[f64], p: &[f64], width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let zmax = z.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    // Headroom above the tallest bar for its label and the legend.
    let top = 1.35 * zmax;
    let plot = Plot::inside(&scene, (0.0, z.len().max(1) as f64), (-zmax, top));
    plot.y_axis(&mut scene, "", "");
    let zero = plot.py(0.0);
    for (i, (&zi, &pi)) in z.iter().zip(p).enumerate() {
        let x = plot.px(i as f64 + 0.15);
        let w = plot.px(0.3) - plot.px(0.0);
        let top = plot.py(zi);
        scene.rect(x, top.min(zero), w, (top - zero).abs(), MUTED.alpha(0.6));
        let ptop = plot.py(pi * zmax);
        scene.rect(x + w + 2.0, ptop, w, zero - ptop, F_COLOR);
        scene.text(
            x + w,
            plot.top + plot.height + 14.0,
            format!("z{}", i + 1),
            10.0,
            Align::Center,
        );
        scene.text_colored(
            x + 1.5 * w + 2.0,
            ptop - 3.0,
            format!("{pi:.2}"),
            INK,
            10.0,
            Align::Center,
        );
    }
    scene.text_colored(
        plot.left + 6.0,
        plot.top + 12.0,
        "z (grey); softmax(z) (blue, 1 = tallest |z|)",
        INK,
        10.0,
        Align::Left,
    );
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_curve_draws_f_f_prime_and_marker() {
        for c in Curve::ALL {
            let s = curve_scene(c, 1.0, &[], 360.0, 220.0);
            assert!(s.marks() > 10, "{}: {}", c.name(), s.marks());
        }
    }

    #[test]
    fn histogram_bars_appear_and_off_scale_values_are_reported() {
        let pre: Vec<f64> = (0..100).map(|i| f64::from(i) / 10.0 - 5.0).collect();
        let with = curve_scene(Curve::Tanh, 0.0, &pre, 360.0, 220.0);
        let without = curve_scene(Curve::Tanh, 0.0, &[], 360.0, 220.0);
        assert!(with.marks() > without.marks() + 20);
        assert_eq!(z_range(&[100.0]), (-30.0, 30.0));
        assert_eq!(z_range(&[1.0]), (-6.0, 6.0));
        let s = curve_scene(Curve::Relu, 0.0, &[1000.0, f64::NAN], 360.0, 220.0);
        assert!(s.shapes.iter().any(|sh| matches!(sh, super::super::scene::Shape::Text { text, .. } if text == "2 off the scale")));
    }

    #[test]
    fn softmax_bars() {
        let s = softmax_scene(&[1.0, 2.0, 3.0], &[0.09, 0.24, 0.67], 300.0, 200.0);
        assert!(s.marks() >= 6);
    }
}
