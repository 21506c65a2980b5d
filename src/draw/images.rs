//! Pictures of data whose inputs are not points of a plane (issue 14): a grey image as the
//! network receives it, one unit's incoming weights laid out as that image, and the rows of a
//! table projected onto their first two principal components.

use std::rc::Rc;

use super::plane::{draw_points, Palette};
use super::{colors, Pixels};
use crate::config::Dataset;
use crate::session::{Extent, Point};

/// A grey image, `values` in [0, 1] row-major: ink dark on white paper, as the digit was written.
pub fn grey(values: &[f32], height: usize, width: usize) -> Pixels {
    let mut rgba = vec![255u8; height * width * 4];
    for (i, v) in values.iter().take(height * width).enumerate() {
        let g = (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8;
        rgba[i * 4..i * 4 + 3].copy_from_slice(&[g, g, g]);
    }
    Pixels {
        width: width as u32,
        height: height as u32,
        rgba: Rc::new(rgba),
    }
}

/// One unit's incoming weights as an image: blue where a bright pixel raises the unit, orange
/// where it lowers it, scaled to the unit's largest weight so every unit uses the whole range.
pub fn weights(w: &[f64], height: usize, width: usize) -> Pixels {
    let largest = w
        .iter()
        .filter(|v| v.is_finite())
        .fold(1e-12, |m: f64, v| m.max(v.abs()));
    let mut rgba = vec![255u8; height * width * 4];
    for (i, v) in w.iter().take(height * width).enumerate() {
        rgba[i * 4..i * 4 + 3].copy_from_slice(&colors::diverging(v / largest));
    }
    Pixels {
        width: width as u32,
        height: height as u32,
        rgba: Rc::new(rgba),
    }
}

/// Rows projected onto a plane, each a mark of its true class; a dark ring marks the rows the
/// network gets wrong.
pub fn scatter(right: &[Point], wrong: &[Point], classes: usize, size: u32) -> Pixels {
    let all: Vec<Point> = right.iter().chain(wrong).copied().collect();
    let extent = bounds(&all);
    let mut rgba = vec![255u8; (size * size * 4) as usize];
    let palette = Palette {
        classes,
        discretize: false,
    };
    // Kept inside the picture, so a far-out row still shows (on the edge).
    let inside = |points: &[Point]| -> Vec<Point> {
        points
            .iter()
            .map(|p| Point {
                x: p.x.clamp(extent.x.0, extent.x.1),
                y: p.y.clamp(extent.y.0, extent.y.1),
                label: p.label,
            })
            .collect()
    };
    draw_points(&mut rgba, size, &extent, &inside(right), palette, false);
    draw_points(&mut rgba, size, &extent, &inside(wrong), palette, true);
    Pixels {
        width: size,
        height: size,
        rgba: Rc::new(rgba),
    }
}

/// A picture for a lesson card of a shipped dataset, drawn without its file (the front door
/// must not download 55 MB): handwritten-looking digits for the image sets, a year of daily
/// returns as bars for the market, and a skewed two-class cloud for credit.
pub fn emblem(dataset: Dataset, size: u32) -> Pixels {
    let mut rgba = vec![255u8; (size * size * 4) as usize];
    let s = f64::from(size);
    let mut put = |x: f64, y: f64, color: [u8; 3]| {
        let (x, y) = (x.floor() as i64, y.floor() as i64);
        if (0..i64::from(size)).contains(&x) && (0..i64::from(size)).contains(&y) {
            let i = ((y as u32 * size + x as u32) * 4) as usize;
            rgba[i..i + 3].copy_from_slice(&color);
        }
    };
    let mut rng = np_engine::rng::Rng::new(11);
    match dataset {
        Dataset::Digits | Dataset::Mnist => {
            // "7", "0", "2" in a 5 x 7 font, each dot a soft grey blot.
            const GLYPHS: [[&str; 7]; 3] = [
                [
                    "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...",
                ],
                [
                    ".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.",
                ],
                [
                    ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####",
                ],
            ];
            let cell = s / 20.0;
            for (g, glyph) in GLYPHS.iter().enumerate() {
                let left = cell * (1.5 + 6.0 * g as f64);
                let top = s / 2.0 - cell * 3.5;
                for (r, row) in glyph.iter().enumerate() {
                    for (c, ch) in row.chars().enumerate() {
                        if ch != '#' {
                            continue;
                        }
                        let (cx, cy) = (
                            left + (c as f64 + 0.5) * cell,
                            top + (r as f64 + 0.5) * cell,
                        );
                        for _ in 0..24 {
                            let (dx, dy) = (rng.normal() * cell * 0.35, rng.normal() * cell * 0.35);
                            let shade = (40.0 + 60.0 * rng.next_f64()) as u8;
                            put(cx + dx, cy + dy, [shade, shade, shade]);
                        }
                    }
                }
            }
        }
        Dataset::Returns => {
            // Daily returns as bars about a middle line: blue up, orange down.
            let days = 56;
            let width = s / days as f64;
            for d in 0..days {
                let r = rng.normal() * s * 0.12;
                let color = if r >= 0.0 {
                    colors::BLUE
                } else {
                    colors::ORANGE
                };
                let (a, b) = if r >= 0.0 {
                    (s / 2.0 - r, s / 2.0)
                } else {
                    (s / 2.0, s / 2.0 - r)
                };
                let mut y = a;
                while y < b {
                    let mut x = d as f64 * width;
                    while x < (d as f64 + 0.7) * width {
                        put(x, y, color);
                        x += 1.0;
                    }
                    y += 1.0;
                }
            }
        }
        Dataset::Logistic => {
            // The four rows of three 0/1 cells, the answer in its class's colour beside them.
            const ROWS: [[u8; 4]; 4] = [[0, 1, 0, 0], [1, 0, 0, 1], [1, 1, 1, 1], [0, 1, 1, 0]];
            let cell = s / 6.0;
            for (r, row) in ROWS.iter().enumerate() {
                for (c, &v) in row.iter().enumerate() {
                    let color = match (c, v) {
                        (3, 0) => colors::ORANGE,
                        (3, _) => colors::BLUE,
                        (_, 0) => [0xee, 0xee, 0xee],
                        _ => [0x33, 0x33, 0x33],
                    };
                    let (x0, y0) = (
                        cell * (0.8 + c as f64 + if c == 3 { 0.4 } else { 0.0 }),
                        cell * (1.0 + r as f64),
                    );
                    let mut y = y0 + 2.0;
                    while y < y0 + cell - 2.0 {
                        let mut x = x0 + 2.0;
                        while x < x0 + cell - 2.0 {
                            put(x, y, color);
                            x += 1.0;
                        }
                        y += 1.0;
                    }
                }
            }
        }
        _ => {
            // Many who repay (orange), few who default (blue), at higher balances.
            for i in 0..260 {
                let defaults = i % 12 == 0;
                let x = if defaults {
                    0.7 + 0.12 * rng.normal()
                } else {
                    0.4 + 0.18 * rng.normal()
                };
                let y = 0.5 + 0.18 * rng.normal();
                let color = if defaults {
                    colors::BLUE
                } else {
                    colors::ORANGE
                };
                for (dx, dy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                    put(x * s + dx, y * s + dy, color);
                }
            }
        }
    }
    Pixels {
        width: size,
        height: size,
        rgba: Rc::new(rgba),
    }
}

/// A square box around the points with a margin. Its edges sit at the 1st and 99th
/// percentiles, not the extremes: market returns have a few days far out in the tails, and a
/// box fitted to them squeezes every other day into the middle (the outliers are drawn on the
/// edge instead).
fn bounds(points: &[Point]) -> Extent {
    let finite: Vec<&Point> = points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    if finite.is_empty() {
        return Extent::default();
    }
    let range = |f: fn(&Point) -> f64| {
        let mut v: Vec<f64> = finite.iter().map(|p| f(p)).collect();
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        (at(0.01), at(0.99))
    };
    let (x, y) = (range(|p| p.x), range(|p| p.y));
    let (lo, hi) = ((x.0, y.0), (x.1, y.1));
    let half = ((hi.0 - lo.0).max(hi.1 - lo.1) / 2.0).max(1e-6) * 1.1;
    let (cx, cy) = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    Extent {
        x: (cx - half, cx + half),
        y: (cy - half, cy + half),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_is_dark_and_weights_use_the_whole_scale() {
        let img = grey(&[0.0, 1.0], 1, 2);
        assert_eq!(&img.rgba[..3], &[255, 255, 255]);
        assert_eq!(&img.rgba[4..7], &[0, 0, 0]);
        let w = weights(&[-0.5, 0.25], 1, 2);
        assert_eq!(
            &w.rgba[..3],
            &colors::ORANGE,
            "the largest weight is full colour"
        );
        assert_eq!(&w.rgba[4..7], &colors::diverging(0.5));
    }

    #[test]
    fn every_row_lands_inside_the_picture() {
        let p = |x, y, label| Point { x, y, label };
        let e = bounds(&[p(-3.0, 1.0, 0.0), p(5.0, 2.0, 1.0)]);
        for (x, y) in [(-3.0, 1.0), (5.0, 2.0)] {
            let (u, v) = e.unit(x, y);
            assert!((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v));
        }
        assert_eq!(bounds(&[]), Extent::default());
    }
}
