//! Pure drawing for the network-health panel: TensorBoard-style stacked histograms over epochs
//! (oldest at the back), and each layer's gradient norm over epochs on a log scale.

use super::scene::{Align, Color, Plot, Scene, ACCENT, INK, MUTED};
use crate::analysis::histogram::{finite_range, Histogram};

/// Colours of the per-layer norm lines.
const LAYER_COLORS: [Color; 6] = [
    Color::rgb(0x1b, 0x9e, 0x77),
    Color::rgb(0xd9, 0x5f, 0x02),
    Color::rgb(0x75, 0x70, 0xb3),
    Color::rgb(0xe7, 0x29, 0x8a),
    Color::rgb(0x66, 0xa6, 0x1e),
    Color::rgb(0xa6, 0x76, 0x1d),
];

pub fn layer_color(l: usize) -> Color {
    LAYER_COLORS[l % LAYER_COLORS.len()]
}

/// One histogram per recorded epoch over a shared range, stacked: each ridge is drawn filled
/// in white so nearer (newer) ridges hide the older ones behind, as TensorBoard's offset view.
pub fn ridge_scene(series: &[(u64, Vec<f64>)], title: &str, width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    scene.text_colored(8.0, 14.0, title, INK, 12.0, Align::Left);
    let all: Vec<f64> = series.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let Some((lo, hi)) = finite_range(&all) else {
        scene.text(
            width / 2.0,
            height / 2.0,
            "no values yet",
            11.0,
            Align::Center,
        );
        return scene;
    };
    let bins = 30;
    let hists: Vec<(u64, Histogram)> = series
        .iter()
        .map(|(e, v)| {
            let mut h = Histogram::new(lo, hi, bins);
            h.extend(v);
            (*e, h)
        })
        .collect();
    let peak = hists
        .iter()
        .map(|(_, h)| h.peak())
        .max()
        .unwrap_or(1)
        .max(1);
    let (left, right, top, bottom) = (40.0, width - 46.0, 26.0, height - 24.0);
    let n = hists.len();
    // Ridges share the height: each gets a step, and its peak may rise three steps.
    let step = (bottom - top) / (n as f64 + 3.0);
    let ridge_h = 3.0 * step;
    let x_of = |i: f64| left + (right - left) * i / bins as f64;
    for (k, (epoch, h)) in hists.iter().enumerate() {
        let base = top + ridge_h + step * k as f64;
        let mut pts = vec![(x_of(0.0), base)];
        for (i, &c) in h.counts.iter().enumerate() {
            let y = base - ridge_h * f64::from(c) / f64::from(peak);
            pts.push((x_of(i as f64 + 0.5), y));
        }
        pts.push((x_of(bins as f64), base));
        let t = if n > 1 {
            k as f64 / (n - 1) as f64
        } else {
            1.0
        };
        let color = Color::rgb(0xc9, 0xd6, 0xe3).mix(ACCENT, t);
        scene.shapes.push(super::scene::Shape::Polygon {
            points: pts.clone(),
            fill: Color::rgb(255, 255, 255).alpha(0.85),
        });
        scene.polyline(pts, color, 1.3);
        if k == 0 || k + 1 == n || (n > 6 && k % (n / 4).max(1) == 0) {
            scene.text(right + 4.0, base, format!("ep {epoch}"), 9.0, Align::Left);
        }
    }
    for v in super::scene::ticks(lo, hi, 4) {
        let x = left + (right - left) * (v - lo) / (hi - lo).max(1e-12);
        scene.text(
            x,
            height - 8.0,
            super::scene::fmt_tick(v),
            10.0,
            Align::Center,
        );
    }
    scene
}

/// Gradient norm per layer over epochs, log10 scale; zero or non-finite norms leave gaps.
pub fn norms_scene(lines: &[Vec<(u64, f64)>], width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let logs: Vec<Vec<(f64, f64)>> = lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|&(e, v)| {
                    let y = if v > 0.0 && v.is_finite() {
                        v.log10()
                    } else {
                        f64::NAN
                    };
                    (e as f64, y)
                })
                .collect()
        })
        .collect();
    let xs: Vec<f64> = logs.iter().flatten().map(|p| p.0).collect();
    let ys: Vec<f64> = logs.iter().flatten().map(|p| p.1).collect();
    let (x0, x1) = finite_range(&xs).unwrap_or((0.0, 1.0));
    let (y0, y1) = finite_range(&ys).unwrap_or((-3.0, 0.0));
    let plot = Plot::inside(&scene, (x0, x1), (y0 - 0.2, y1 + 0.2));
    plot.axes(&mut scene, "epoch", "log10 ‖grad W‖");
    for (l, line) in logs.iter().enumerate() {
        let pts: Vec<(f64, f64)> = line.iter().map(|&(x, y)| plot.at(x, y)).collect();
        if pts.len() == 1 {
            scene.circle(pts[0].0, pts[0].1, 2.5, layer_color(l), None);
        }
        scene.polyline(pts, layer_color(l), 2.0);
        scene.text_colored(
            plot.left + plot.width - 4.0,
            plot.top + 12.0 + 12.0 * l as f64,
            if l + 1 == lines.len() {
                "output".to_string()
            } else {
                format!("hidden {}", l + 1)
            },
            layer_color(l),
            10.0,
            Align::Right,
        );
    }
    if lines.iter().all(Vec::is_empty) {
        scene.text_colored(
            width / 2.0,
            height / 2.0,
            "train to record gradients",
            MUTED,
            11.0,
            Align::Center,
        );
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ridges_one_per_epoch_and_empty_is_explained() {
        let series: Vec<(u64, Vec<f64>)> = (0..5)
            .map(|e| {
                (
                    e,
                    (0..50)
                        .map(|i| f64::from(i) * 0.01 * (e + 1) as f64)
                        .collect(),
                )
            })
            .collect();
        let s = ridge_scene(&series, "weights", 360.0, 200.0);
        assert_eq!(s.marks(), 10, "a filled polygon and an outline per epoch");
        let empty = ridge_scene(&[], "weights", 360.0, 200.0);
        assert_eq!(empty.marks(), 0);
        let nan = ridge_scene(&[(0, vec![f64::NAN])], "weights", 360.0, 200.0);
        assert_eq!(nan.marks(), 0, "NaN only: nothing to bin, no panic");
    }

    #[test]
    fn norms_on_a_log_scale_with_gaps() {
        let lines = vec![
            vec![(0, 1.0), (1, 0.1), (2, 0.0), (3, 0.01)],
            vec![(0, 10.0), (1, 10.0), (2, 10.0), (3, 10.0)],
        ];
        let s = norms_scene(&lines, 360.0, 200.0);
        assert!(s.marks() > 3);
    }
}
