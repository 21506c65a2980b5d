//! Pure drawing of a hidden layer's representation: a 2-D scatter, or a rotated 3-D one, with
//! the warped input grid and the output layer's class boundaries in that space (each drawn
//! only where its two classes are the most probable ones, see `analysis::separator`).

use super::scene::{class_color, Align, Color, Plot, Scene, Shape, GRID, INK, MUTED};
use crate::analysis::rotation::{normalize, Rotation, Viewport};
use crate::analysis::separator::Boundary;

/// What the representation panel shows, already in display coordinates (2 or 3 per point).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HiddenView {
    pub coords: Vec<Vec<f64>>,
    /// Class index per point; `None` for regression, where `values` colour the points.
    pub classes: Option<Vec<usize>>,
    pub values: Vec<f64>,
    /// The input grid's lines carried into the same coordinates.
    pub grid: Vec<Vec<Vec<f64>>>,
    /// The output's class boundaries in these coordinates (none for regression).
    pub boundaries: Vec<Boundary>,
    /// Axis names, e.g. `h1`, `h2` or `PC1`, `PC2`.
    pub axes: Vec<String>,
}

/// Per-axis ranges of the points, padded by 15 %, so the grid's far corners do not shrink the
/// cloud to a dot (lines leaving the box are cut).
pub fn ranges(coords: &[Vec<f64>], dims: usize) -> Vec<(f64, f64)> {
    (0..dims)
        .map(|d| {
            let vals: Vec<f64> = coords.iter().filter_map(|c| c.get(d).copied()).collect();
            let (lo, hi) = crate::analysis::histogram::finite_range(&vals).unwrap_or((-1.0, 1.0));
            let (lo, hi) = crate::analysis::histogram::sane_range(lo, hi);
            let pad = 0.15 * (hi - lo);
            (lo - pad, hi + pad)
        })
        .collect()
}

fn point_color(view: &HiddenView, i: usize) -> Color {
    match &view.classes {
        Some(c) => class_color(c.get(i).copied().unwrap_or(0)),
        None => {
            let v = view.values.get(i).copied().unwrap_or(0.0);
            let t = (v.clamp(-1.0, 1.0) + 1.0) / 2.0;
            class_color(0).mix(class_color(1), t)
        }
    }
}

/// Cuts a line where it leaves the box, by making outside points non-finite.
fn clip(line: &[Vec<f64>], ranges: &[(f64, f64)]) -> Vec<Vec<f64>> {
    line.iter()
        .map(|p| {
            let inside = p
                .iter()
                .zip(ranges)
                .all(|(v, (lo, hi))| *v >= *lo && *v <= *hi);
            if inside {
                p.clone()
            } else {
                vec![f64::NAN; p.len()]
            }
        })
        .collect()
}

/// One boundary piece in 2-D: a dark line edged on each side with the colour of the class
/// that wins there, so a student reads which two classes it separates.
fn boundary_2d(scene: &mut Scene, plot: &Plot, b: &Boundary, [a, c]: [(f64, f64); 2]) {
    let (pa, pc) = (plot.at(a.0, a.1), plot.at(c.0, c.1));
    let (dx, dy) = (pc.0 - pa.0, pc.1 - pa.1);
    let len = dx.hypot(dy);
    if len < 1e-9 {
        return;
    }
    let perp = (-dy / len, dx / len);
    // A small step along the plane's normal (towards the pair's second class), on screen.
    let mid = ((a.0 + c.0) / 2.0, (a.1 + c.1) / 2.0);
    let (w0, w1) = (b.plane.w[0], b.plane.w.get(1).copied().unwrap_or(0.0));
    let norm = w0.hypot(w1).max(1e-12);
    let span = (a.0 - c.0).hypot(a.1 - c.1).max(1e-9) * 1e-3;
    let pm = plot.at(mid.0, mid.1);
    let pn = plot.at(mid.0 + span * w0 / norm, mid.1 + span * w1 / norm);
    let side = if (pn.0 - pm.0) * perp.0 + (pn.1 - pm.1) * perp.1 >= 0.0 {
        1.0
    } else {
        -1.0
    };
    let (i, j) = b.pair;
    for (class, s) in [(j, side), (i, -side)] {
        let off = (3.0 * s * perp.0, 3.0 * s * perp.1);
        scene.line(
            (pa.0 + off.0, pa.1 + off.1),
            (pc.0 + off.0, pc.1 + off.1),
            class_color(class),
            2.5,
        );
    }
    scene.line(pa, pc, INK, 2.0);
}

/// The 2-D scatter.
pub fn scene_2d(view: &HiddenView, width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let r = ranges(&view.coords, 2);
    let plot = Plot::inside(&scene, r[0], r[1]);
    let name = |i: usize| view.axes.get(i).cloned().unwrap_or_default();
    plot.axes(&mut scene, &name(0), &name(1));
    for line in &view.grid {
        let pts = clip(line, &r).iter().map(|p| plot.at(p[0], p[1])).collect();
        scene.polyline(pts, GRID.mix(MUTED, 0.35), 1.0);
    }
    for b in &view.boundaries {
        if let Some(seg) = b.segment_in_box(r[0], r[1]) {
            boundary_2d(&mut scene, &plot, b, seg);
        }
    }
    for (i, c) in view.coords.iter().enumerate() {
        if let [x, y, ..] = c.as_slice() {
            let (px, py) = plot.at(*x, *y);
            scene.circle(
                px,
                py,
                3.0,
                point_color(view, i),
                Some(Color::rgb(255, 255, 255)),
            );
        }
    }
    scene
}

/// The rotated 3-D scatter: the data box's edges, grid, boundary plane, then points far to
/// near so nearer ones cover farther ones.
pub fn scene_3d(view: &HiddenView, rotation: Rotation, width: f64, height: f64) -> Scene {
    let mut scene = Scene::new(width, height);
    let r = ranges(&view.coords, 3);
    let box3 = [r[0], r[1], r[2]];
    let vp = Viewport { width, height };
    let to_screen = |p: &[f64]| {
        let q = normalize([p[0], p[1], p[2]], &box3);
        vp.to_screen(rotation.apply(q))
    };
    // The cube's 12 edges.
    for a in 0..8u8 {
        for bit in [1u8, 2, 4] {
            let b = a | bit;
            if b != a {
                let corner = |c: u8| -> Vec<f64> {
                    (0..3)
                        .map(|d| {
                            if c >> d & 1 == 1 {
                                box3[d].1
                            } else {
                                box3[d].0
                            }
                        })
                        .collect()
                };
                let (p, q) = (to_screen(&corner(a)), to_screen(&corner(b)));
                scene.line((p.0, p.1), (q.0, q.1), GRID, 1.0);
            }
        }
    }
    // Axis names just beyond the far end of each axis drawn from the (lo, lo, lo) corner.
    for (d, name) in view.axes.iter().enumerate().take(3) {
        let mut end = vec![box3[0].0, box3[1].0, box3[2].0];
        end[d] = box3[d].1 + 0.08 * (box3[d].1 - box3[d].0);
        let (x, y, _) = to_screen(&end);
        scene.text_colored(x, y, name.clone(), INK, 12.0, Align::Center);
    }
    for line in &view.grid {
        let pts = clip(line, &r)
            .iter()
            .map(|p| {
                if p.len() >= 3 && p.iter().all(|v| v.is_finite()) {
                    let (x, y, _) = to_screen(p);
                    (x, y)
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .collect();
        scene.polyline(pts, GRID.mix(MUTED, 0.3), 1.0);
    }
    let several = view.boundaries.len() > 1;
    // Pair labels go on top of the points, drawn last.
    let mut labels = Vec::new();
    for b in &view.boundaries {
        let (i, j) = b.pair;
        // One boundary: dark ink. Several: each pair in the blend of its classes' colours,
        // labelled with both colours where its piece lies.
        let color = if several {
            class_color(i).mix(class_color(j), 0.5).mix(INK, 0.3)
        } else {
            INK
        };
        let mesh = b.mesh_in_box(&box3, 9);
        for [p, q] in &mesh {
            let (p, q) = (to_screen(p), to_screen(q));
            scene.line((p.0, p.1), (q.0, q.1), color.alpha(0.7), 1.3);
        }
        if several && !mesh.is_empty() {
            let n = mesh.len() as f64;
            let c: Vec<f64> = (0..3)
                .map(|d| mesh.iter().map(|s| (s[0][d] + s[1][d]) / 2.0).sum::<f64>() / n)
                .collect();
            let (x, y, _) = to_screen(&c);
            labels.push((x, y, i, j));
        }
    }
    let mut order: Vec<(usize, (f64, f64, f64))> = view
        .coords
        .iter()
        .enumerate()
        .filter(|(_, c)| c.len() >= 3)
        .map(|(i, c)| (i, to_screen(c)))
        .collect();
    order.sort_by(|a, b| a.1 .2.total_cmp(&b.1 .2));
    for (i, (x, y, depth)) in order {
        let radius = 2.0 + 2.0 * depth;
        scene.circle(
            x,
            y,
            radius,
            point_color(view, i),
            Some(Color::rgb(255, 255, 255)),
        );
    }
    for (x, y, i, j) in labels {
        // A small white tag with a dark edge and a dot in each class's colour.
        scene.shapes.push(Shape::Rect {
            x: x - 15.0,
            y: y - 8.0,
            w: 30.0,
            h: 16.0,
            fill: INK,
        });
        scene.shapes.push(Shape::Rect {
            x: x - 14.0,
            y: y - 7.0,
            w: 28.0,
            h: 14.0,
            fill: Color::rgb(255, 255, 255),
        });
        scene.circle(x - 7.0, y, 4.5, class_color(i), Some(INK));
        scene.text_colored(x, y + 4.0, "|", INK, 13.0, Align::Center);
        scene.circle(x + 7.0, y, 4.5, class_color(j), Some(INK));
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::separator::Logits;

    fn view(dims: usize) -> HiddenView {
        HiddenView {
            coords: (0..20)
                .map(|i| {
                    (0..dims)
                        .map(|d| f64::from(i * (d as i32 + 1)) / 20.0)
                        .collect()
                })
                .collect(),
            classes: Some((0..20).map(|i| i % 2).collect()),
            values: Vec::new(),
            grid: vec![(0..5).map(|i| vec![f64::from(i) / 5.0; dims]).collect()],
            boundaries: Logits::new(&[vec![1.0; dims]], &[-0.5 * dims as f64])
                .map(|l| l.boundaries())
                .unwrap_or_default(),
            axes: (1..=dims).map(|d| format!("h{d}")).collect(),
        }
    }

    #[test]
    fn scatter_2d_draws_every_point_inside_the_canvas() {
        let s = scene_2d(&view(2), 300.0, 240.0);
        let circles: Vec<_> = s
            .shapes
            .iter()
            .filter_map(|sh| match sh {
                Shape::Circle { x, y, .. } => Some((*x, *y)),
                _ => None,
            })
            .collect();
        assert_eq!(circles.len(), 20);
        assert!(circles
            .iter()
            .all(|(x, y)| (0.0..=300.0).contains(x) && (0.0..=240.0).contains(y)));
    }

    #[test]
    fn scatter_3d_has_points_box_and_plane() {
        let s = scene_3d(&view(3), Rotation::default(), 300.0, 240.0);
        // 20 points + 12 edges + grid + plane mesh.
        assert!(s.marks() > 20 + 12 + 1, "{}", s.marks());
        let empty = scene_3d(&HiddenView::default(), Rotation::default(), 100.0, 100.0);
        assert_eq!(
            empty.marks(),
            12,
            "an empty layer still draws its box, and no panic"
        );
    }

    fn three_class_view(dims: usize) -> HiddenView {
        // Class 0 wins to the left, 1 to the right, 2 at the top (the triple point at (0.5, 0.75)
        // inside the points' box).
        let w = |v: [f64; 3]| v[..dims].to_vec();
        let logits = Logits::new(
            &[w([-1.0, 0.0, 0.0]), w([1.0, 0.0, 0.0]), w([0.0, 1.0, 0.1])],
            &[0.5, -0.5, -0.75],
        )
        .expect("shapes");
        HiddenView {
            boundaries: logits.boundaries(),
            ..view(dims)
        }
    }

    #[test]
    fn three_classes_draw_each_pairs_boundary_edged_in_its_classes_colours() {
        let s = scene_2d(&three_class_view(2), 300.0, 240.0);
        let lines = |c: Color| {
            s.shapes
                .iter()
                .filter(|sh| matches!(sh, Shape::Polyline { color, width, .. } if *color == c && *width > 2.2))
                .count()
        };
        // Three pieces meeting at the triple point: each class edges the two pieces it is part of.
        assert_eq!(lines(class_color(0)), 2);
        assert_eq!(lines(class_color(1)), 2);
        assert_eq!(lines(class_color(2)), 2);
        let s3 = scene_3d(&three_class_view(3), Rotation::default(), 300.0, 240.0);
        let bars = s3
            .shapes
            .iter()
            .filter(|sh| matches!(sh, Shape::Text { text, .. } if text == "|"))
            .count();
        assert_eq!(bars, 3, "one label per pair");
        let ringed: Vec<Color> = s3
            .shapes
            .iter()
            .filter_map(|sh| match sh {
                Shape::Circle {
                    fill,
                    stroke: Some(s),
                    ..
                } if *s == INK => Some(*fill),
                _ => None,
            })
            .collect();
        let pair = |i: usize, j: usize| vec![class_color(i), class_color(j)];
        assert_eq!(ringed, [pair(0, 1), pair(0, 2), pair(1, 2)].concat());
    }

    #[test]
    fn ranges_are_padded_and_survive_nan() {
        let r = ranges(&[vec![0.0, f64::NAN], vec![1.0, f64::NAN]], 2);
        assert!(r[0].0 < 0.0 && r[0].1 > 1.0);
        assert!(r[1].0.is_finite());
    }
}
