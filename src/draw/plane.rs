//! Images of the input plane: the output heatmap with data points, neuron thumbnails, the 1-D
//! fit, dataset previews. Row 0 of every image is the top of the plane (largest X2).

use std::rc::Rc;

use np_engine::nn::OutputUnit;
use np_engine::train::metrics::predicted_class;

use super::colors::{self, Rgb};
use super::Pixels;
use crate::session::{Extent, Point};

/// How a cell's output becomes a colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    /// 1 for regression, else the class count.
    pub classes: usize,
    /// Show the winning class only.
    pub discretize: bool,
}

/// The background colour of one output: two classes on the orange-blue scale, more classes as a
/// probability-weighted blend of class colours, regression on the scale directly.
pub fn output_color(out: &[f64], p: Palette) -> Rgb {
    match (p.classes, out) {
        (1, [v, ..]) => colors::diverging(if p.discretize { v.signum() } else { *v }),
        // One sigmoid unit gives p(class 1); two softmax units give [p0, p1].
        (2, [prob] | [_, prob]) => {
            let t = if p.discretize {
                // The winning class by the engine's rule (a tie at p = 0.5 is class 0).
                let unit = if out.len() == 1 {
                    OutputUnit::Sigmoid
                } else {
                    OutputUnit::Softmax
                };
                if predicted_class(out, unit) == 1 {
                    1.0
                } else {
                    -1.0
                }
            } else {
                2.0 * prob - 1.0
            };
            colors::diverging(t)
        }
        (_, probs) if !probs.is_empty() => {
            if p.discretize {
                let k = predicted_class(probs, OutputUnit::Softmax);
                return colors::mix(colors::WHITE, colors::class(k), 0.75);
            }
            let mut acc = [0.0f64; 3];
            for (k, &q) in probs.iter().enumerate() {
                let c = colors::class(k);
                for i in 0..3 {
                    acc[i] += q * f64::from(c[i]);
                }
            }
            // Confident cells show the full class colour, uncertain ones fade to white.
            let top = probs.iter().copied().fold(0.0, f64::max);
            let k = probs.len() as f64;
            let confidence = ((top - 1.0 / k) / (1.0 - 1.0 / k)).clamp(0.0, 1.0);
            let blend = [
                acc[0].round() as u8,
                acc[1].round() as u8,
                acc[2].round() as u8,
            ];
            colors::mix(colors::WHITE, blend, 0.25 + 0.6 * confidence)
        }
        _ => colors::NEUTRAL,
    }
}

/// The output heatmap at `size` x `size` pixels, bilinearly interpolated from the grid.
pub fn heatmap(output: &[Vec<f64>], grid: usize, palette: Palette, size: u32) -> Vec<u8> {
    let n = size as usize;
    let mut rgba = vec![255u8; n * n * 4];
    if grid == 0 || output.len() < grid * grid {
        return rgba;
    }
    let width = output[0].len();
    let mut sample = vec![0.0; width];
    for py in 0..n {
        let fy = ((py as f64 + 0.5) / n as f64 * grid as f64 - 0.5).clamp(0.0, (grid - 1) as f64);
        let (r0, ty) = (fy.floor() as usize, fy.fract());
        let r1 = (r0 + 1).min(grid - 1);
        for px in 0..n {
            let fx =
                ((px as f64 + 0.5) / n as f64 * grid as f64 - 0.5).clamp(0.0, (grid - 1) as f64);
            let (c0, tx) = (fx.floor() as usize, fx.fract());
            let c1 = (c0 + 1).min(grid - 1);
            for (i, s) in sample.iter_mut().enumerate() {
                let at = |r: usize, c: usize| output[r * grid + c].get(i).copied().unwrap_or(0.0);
                let top = at(r0, c0) * (1.0 - tx) + at(r0, c1) * tx;
                let bottom = at(r1, c0) * (1.0 - tx) + at(r1, c1) * tx;
                *s = top * (1.0 - ty) + bottom * ty;
            }
            // Lighter than the points, so they stand out on their own class's colour.
            let c = colors::mix(colors::WHITE, output_color(&sample, palette), 0.8);
            let o = (py * n + px) * 4;
            rgba[o..o + 3].copy_from_slice(&c);
        }
    }
    rgba
}

/// A pixel position of a plane coordinate in an image of `size` pixels.
pub fn to_pixel(extent: &Extent, x: f64, y: f64, size: u32) -> (f64, f64) {
    let (u, v) = extent.unit(x, y);
    (u * f64::from(size), v * f64::from(size))
}

/// The mark of a data point. Classes differ in shape as well as colour, so a student who cannot
/// tell orange from green (or prints in grey) still tells the classes apart (WCAG 1.4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Disc,
    Square,
    Diamond,
}

impl Shape {
    /// Class 0 a disc, class 1 a square, class 2 a diamond; regression values all discs.
    pub fn of(palette: Palette, label: f64) -> Shape {
        if palette.classes == 1 {
            return Shape::Disc;
        }
        match label as usize % 3 {
            0 => Shape::Disc,
            1 => Shape::Square,
            _ => Shape::Diamond,
        }
    }

    /// Whether the offset (dx, dy) from the centre is inside a mark of radius `r`. The square
    /// and the diamond have about the disc's area, so no class looks bigger.
    fn covers(self, dx: f64, dy: f64, r: f64) -> bool {
        match self {
            Shape::Disc => dx * dx + dy * dy <= r * r,
            Shape::Square => dx.abs().max(dy.abs()) <= 0.886 * r,
            Shape::Diamond => dx.abs() + dy.abs() <= 1.25 * r,
        }
    }
}

/// Draws a filled mark per point (its class's colour and shape), with a white ring (training)
/// or a dark one (test).
pub fn draw_points(
    rgba: &mut [u8],
    size: u32,
    extent: &Extent,
    points: &[Point],
    palette: Palette,
    test: bool,
) {
    let radius = (f64::from(size) / 110.0).max(2.0);
    let ring: Rgb = if test {
        [0x20, 0x20, 0x20]
    } else {
        colors::WHITE
    };
    for p in points {
        let fill = if palette.classes == 1 {
            colors::diverging(p.label)
        } else {
            colors::class(p.label as usize)
        };
        let (cx, cy) = to_pixel(extent, p.x, p.y, size);
        let shape = Shape::of(palette, p.label);
        mark(rgba, size, cx, cy, radius + 1.0, ring, shape);
        mark(rgba, size, cx, cy, radius, fill, shape);
    }
}

fn disc(rgba: &mut [u8], size: u32, cx: f64, cy: f64, r: f64, color: Rgb) {
    mark(rgba, size, cx, cy, r, color, Shape::Disc);
}

fn mark(rgba: &mut [u8], size: u32, cx: f64, cy: f64, r: f64, color: Rgb, shape: Shape) {
    let n = size as i64;
    let (x0, x1) = ((cx - r).floor() as i64, (cx + r).ceil() as i64);
    let (y0, y1) = ((cy - r).floor() as i64, (cy + r).ceil() as i64);
    for py in y0.max(0)..=y1.min(n - 1) {
        for px in x0.max(0)..=x1.min(n - 1) {
            let (dx, dy) = (px as f64 + 0.5 - cx, py as f64 + 0.5 - cy);
            if shape.covers(dx, dy, r) {
                let o = ((py * n + px) * 4) as usize;
                rgba[o..o + 3].copy_from_slice(&color);
            }
        }
    }
}

/// The output panel's image for two-input data: heatmap plus training (and test) points.
pub fn output_image(
    output: &[Vec<f64>],
    grid: usize,
    palette: Palette,
    extent: &Extent,
    train: &[Point],
    test: Option<&[Point]>,
    size: u32,
) -> Pixels {
    let mut rgba = heatmap(output, grid, palette, size);
    draw_points(&mut rgba, size, extent, train, palette, false);
    if let Some(test) = test {
        draw_points(&mut rgba, size, extent, test, palette, true);
    }
    Pixels {
        width: size,
        height: size,
        rgba: Rc::new(rgba),
    }
}

/// The fit for one-input data: points (x, target) and the predicted curve, on a white plane
/// whose vertical axis is the extent's target range. `curve` holds the prediction at
/// `curve.len()` evenly spaced x across the extent.
pub fn curve_image(
    curve: &[f64],
    extent: &Extent,
    train: &[Point],
    test: Option<&[Point]>,
    size: u32,
) -> Pixels {
    let n = size as usize;
    let mut rgba = vec![255u8; n * n * 4];
    let s = f64::from(size);
    let to_py = |v: f64| extent.unit(extent.x.0, v).1 * s;
    for (pts, is_test) in [(Some(train), false), (test, true)] {
        for p in pts.unwrap_or(&[]) {
            let cx = extent.unit(p.x, 0.0).0 * s;
            let ring = if is_test {
                [0x20, 0x20, 0x20]
            } else {
                colors::ORANGE
            };
            disc(&mut rgba, size, cx, to_py(p.label), 2.5, ring);
        }
    }
    if curve.len() >= 2 {
        let mut prev: Option<f64> = None;
        for px in 0..n {
            let f = (px as f64 + 0.5) / n as f64 * curve.len() as f64 - 0.5;
            let f = f.clamp(0.0, (curve.len() - 1) as f64);
            let i = (f.floor() as usize).min(curve.len() - 2);
            let v = curve[i] + (curve[i + 1] - curve[i]) * (f - i as f64);
            let py = to_py(v);
            let (lo, hi) = prev.map_or((py, py), |q| (q.min(py), q.max(py)));
            let mut y = lo.max(-2.0);
            while y <= hi.min(s + 2.0) + 0.5 {
                disc(&mut rgba, size, px as f64 + 0.5, y, 1.5, colors::BLUE);
                y += 1.0;
            }
            prev = Some(py);
        }
    }
    Pixels {
        width: size,
        height: size,
        rgba: Rc::new(rgba),
    }
}

/// A neuron's (or feature's) output over the plane, one pixel per grid cell.
pub fn thumbnail(values: &[f64], grid: usize) -> Pixels {
    let mut rgba = vec![255u8; grid * grid * 4];
    for (i, v) in values.iter().take(grid * grid).enumerate() {
        rgba[i * 4..i * 4 + 3].copy_from_slice(&colors::diverging(*v));
    }
    Pixels {
        width: grid as u32,
        height: grid as u32,
        rgba: Rc::new(rgba),
    }
}

/// A dataset preview: its points on white (one-input data as target against x).
pub fn preview(
    points: &[Point],
    palette: Palette,
    extent: &Extent,
    one_d: bool,
    size: u32,
) -> Pixels {
    let mut rgba = vec![255u8; (size * size * 4) as usize];
    for p in points {
        let fill = if palette.classes == 1 {
            colors::diverging(p.label)
        } else {
            colors::class(p.label as usize)
        };
        let (cx, cy) = to_pixel(extent, p.x, if one_d { p.label } else { p.y }, size);
        disc(&mut rgba, size, cx, cy, 1.2, fill);
    }
    Pixels {
        width: size,
        height: size,
        rgba: Rc::new(rgba),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(p: &[u8], size: u32, x: u32, y: u32) -> [u8; 3] {
        let o = ((y * size + x) * 4) as usize;
        [p[o], p[o + 1], p[o + 2]]
    }

    #[test]
    fn heatmap_is_the_right_way_up() {
        // A 2x2 grid whose top row is class 1 (blue) and bottom row class 0 (orange).
        let out = vec![vec![1.0], vec![1.0], vec![0.0], vec![0.0]];
        let p = Palette {
            classes: 2,
            discretize: false,
        };
        let img = heatmap(&out, 2, p, 10);
        assert_eq!(
            at(&img, 10, 5, 0),
            colors::mix(colors::WHITE, colors::BLUE, 0.8)
        );
        assert_eq!(
            at(&img, 10, 5, 9),
            colors::mix(colors::WHITE, colors::ORANGE, 0.8)
        );
    }

    #[test]
    fn two_softmax_units_colour_like_one_sigmoid_unit() {
        let p = Palette {
            classes: 2,
            discretize: false,
        };
        for p1 in [0.0, 0.2, 0.5, 0.9, 1.0] {
            assert_eq!(output_color(&[1.0 - p1, p1], p), output_color(&[p1], p));
        }
    }

    #[test]
    fn discretized_two_classes_show_the_predicted_class() {
        let p = Palette {
            classes: 2,
            discretize: true,
        };
        // At the tie p = 0.5 the prediction (and so the colour) is class 0, as in the accuracy.
        assert_eq!(output_color(&[0.5], p), colors::diverging(-1.0));
        assert_eq!(output_color(&[0.5, 0.5], p), colors::diverging(-1.0));
        assert_eq!(output_color(&[0.51], p), colors::diverging(1.0));
        assert_eq!(output_color(&[0.4, 0.6], p), colors::diverging(1.0));
    }

    #[test]
    fn three_classes_blend_and_discretize() {
        let p = Palette {
            classes: 3,
            discretize: false,
        };
        let sure = output_color(&[0.0, 0.0, 1.0], p);
        let unsure = output_color(&[0.34, 0.33, 0.33], p);
        assert_ne!(sure, unsure);
        assert!(
            unsure.iter().map(|&c| u32::from(c)).sum::<u32>()
                > sure.iter().map(|&c| u32::from(c)).sum::<u32>()
        );
        let d = output_color(
            &[0.2, 0.5, 0.3],
            Palette {
                classes: 3,
                discretize: true,
            },
        );
        assert_eq!(d, colors::mix(colors::WHITE, colors::BLUE, 0.75));
    }

    #[test]
    fn points_land_where_they_belong() {
        let mut img = vec![255u8; 100 * 100 * 4];
        let p = Palette {
            classes: 2,
            discretize: false,
        };
        draw_points(
            &mut img,
            100,
            &Extent::default(),
            &[Point {
                x: 3.0,
                y: 3.0,
                label: 0.0,
            }],
            p,
            false,
        );
        assert_eq!(
            at(&img, 100, 75, 25),
            colors::ORANGE,
            "upper right for x > 0, y > 0"
        );
    }

    #[test]
    fn classes_differ_in_shape_as_well_as_colour() {
        let p = Palette {
            classes: 3,
            discretize: false,
        };
        let drawn = |label: f64| {
            let mut img = vec![255u8; 440 * 440 * 4];
            let point = Point {
                x: 0.0,
                y: 0.0,
                label,
            };
            draw_points(&mut img, 440, &Extent::default(), &[point], p, false);
            img
        };
        // The mark's radius is 4 px here and its centre the image's: (220, 220).
        let (disc, square, diamond) = (drawn(0.0), drawn(1.0), drawn(2.0));
        for img in [&disc, &square, &diamond] {
            assert_ne!(
                at(img, 440, 220, 220),
                colors::WHITE,
                "every mark fills its centre"
            );
        }
        // The square fills its corners, which the disc and the diamond leave to the ring.
        assert_eq!(at(&square, 440, 223, 223), colors::BLUE);
        assert_ne!(at(&disc, 440, 223, 223), colors::ORANGE);
        assert_ne!(at(&diamond, 440, 223, 223), colors::GREEN);
        // The diamond reaches furthest along the axes.
        assert_eq!(at(&diamond, 440, 224, 220), colors::GREEN);
        assert_ne!(at(&square, 440, 224, 220), colors::BLUE);
        assert_ne!(at(&disc, 440, 224, 220), colors::ORANGE);
        // Regression points are all discs.
        assert_eq!(
            Shape::of(
                Palette {
                    classes: 1,
                    discretize: false
                },
                1.0
            ),
            Shape::Disc
        );
    }

    #[test]
    fn thumbnail_colours_every_cell() {
        let t = thumbnail(&[-1.0, 1.0, 0.0, 0.5], 2);
        assert_eq!(at(&t.rgba, 2, 0, 0), colors::ORANGE);
        assert_eq!(at(&t.rgba, 2, 1, 0), colors::BLUE);
    }
}
