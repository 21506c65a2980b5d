//! Filled contours of a function over a rectangle, on a log scale: the picture under the
//! optimizer race and the loss landscape. Pure functions from values to pixels and levels.

use std::rc::Rc;

use crate::draw::Pixels;

/// The lowest band's colour (near the minimum) and the highest's: light to a dark slate, so
/// coloured paths stay readable on every band.
const LOW: [u8; 3] = [0xfb, 0xfc, 0xfd];
const HIGH: [u8; 3] = [0x5a, 0x6e, 0x86];
/// How many bands, and the most decades they cover (below that, one band holds the rest).
const BANDS: usize = 12;
const MAX_DECADES: f64 = 9.0;

/// A rectangle of the plane drawn on `width x height` pixels (y up in data, down on screen).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub width: f64,
    pub height: f64,
}

impl Frame {
    pub fn to_px(self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.x.0) / (self.x.1 - self.x.0) * self.width,
            (self.y.1 - y) / (self.y.1 - self.y.0) * self.height,
        )
    }
    /// The data point at the centre of pixel column `i`, row `j`.
    pub fn pixel_centre(&self, i: u32, j: u32) -> (f64, f64) {
        let u = (f64::from(i) + 0.5) / self.width;
        let v = (f64::from(j) + 0.5) / self.height;
        (
            self.x.0 + u * (self.x.1 - self.x.0),
            self.y.1 - v * (self.y.1 - self.y.0),
        )
    }
    /// A pixel position that stays near the picture, so a path that leaves it draws to the
    /// edge instead of to coordinates no renderer likes.
    pub fn to_px_bounded(self, x: f64, y: f64) -> (f64, f64) {
        let (px, py) = self.to_px(x, y);
        let b = 4.0 * self.width.max(self.height);
        (px.clamp(-b, b), py.clamp(-b, b))
    }
}

/// The picture and its scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Contours {
    pub pixels: Pixels,
    /// Band edges as heights above the floor, lowest first (`BANDS + 1` of them).
    pub edges: Vec<f64>,
    /// The colour of each band (one fewer than the edges).
    pub colors: Vec<[u8; 3]>,
}

/// The colour of band `k` of `n`.
fn band_color(k: usize, n: usize) -> [u8; 3] {
    let t = k as f64 / (n.max(2) - 1) as f64;
    let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    [m(LOW[0], HIGH[0]), m(LOW[1], HIGH[1]), m(LOW[2], HIGH[2])]
}

/// Filled contours of `height_at(x, y)` (the value above the surface's floor, so >= 0) over
/// `frame`, the bands spaced evenly in log10. Non-finite values draw as the top band.
pub fn filled(frame: Frame, height_at: impl Fn(f64, f64) -> f64) -> Contours {
    let (w, h) = (frame.width.max(1.0) as u32, frame.height.max(1.0) as u32);
    let mut values = Vec::with_capacity((w * h) as usize);
    for j in 0..h {
        for i in 0..w {
            let (x, y) = frame.pixel_centre(i, j);
            values.push(height_at(x, y));
        }
    }
    let finite = values.iter().copied().filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (log_lo, log_hi) = if lo.is_finite() && hi > lo {
        (lo.log10().max(hi.log10() - MAX_DECADES), hi.log10())
    } else {
        let top = if hi.is_finite() { hi.log10() } else { 0.0 };
        (top - 1.0, top)
    };
    let edges: Vec<f64> = (0..=BANDS)
        .map(|k| 10f64.powf(log_lo + (log_hi - log_lo) * k as f64 / BANDS as f64))
        .collect();
    let colors: Vec<[u8; 3]> = (0..BANDS).map(|k| band_color(k, BANDS)).collect();
    let mut rgba = Vec::with_capacity(values.len() * 4);
    for v in values {
        let band = if !v.is_finite() {
            BANDS - 1
        } else if v <= 0.0 {
            0
        } else {
            let t = (v.log10() - log_lo) / (log_hi - log_lo) * BANDS as f64;
            (t.floor().max(0.0) as usize).min(BANDS - 1)
        };
        let c = colors[band];
        rgba.extend_from_slice(&[c[0], c[1], c[2], 255]);
    }
    Contours {
        pixels: Pixels {
            width: w,
            height: h,
            rgba: Rc::new(rgba),
        },
        edges,
        colors,
    }
}

/// Bilinear interpolation of a grid (`values[row * cols + col]`, row 0 at `v = 0`) at `(u, v)`
/// in [0, 1]^2, for drawing a coarse grid smoothly.
pub fn bilinear(values: &[f64], cols: usize, rows: usize, u: f64, v: f64) -> f64 {
    if cols == 0 || rows == 0 || values.len() < cols * rows {
        return f64::NAN;
    }
    let fx = (u.clamp(0.0, 1.0) * (cols - 1) as f64).min((cols - 1) as f64);
    let fy = (v.clamp(0.0, 1.0) * (rows - 1) as f64).min((rows - 1) as f64);
    let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
    let (c1, r1) = ((c0 + 1).min(cols - 1), (r0 + 1).min(rows - 1));
    let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
    let at = |r: usize, c: usize| values[r * cols + c];
    let top = at(r0, c0) * (1.0 - tx) + at(r0, c1) * tx;
    let bottom = at(r1, c0) * (1.0 - tx) + at(r1, c1) * tx;
    top * (1.0 - ty) + bottom * ty
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
        width: 40.0,
        height: 20.0,
    };

    #[test]
    fn bands_are_log_spaced_and_darken_uphill() {
        let c = filled(FRAME, |x, y| x * x + y * y);
        assert_eq!(c.edges.len(), BANDS + 1);
        let ratios: Vec<f64> = c.edges.windows(2).map(|w| w[1] / w[0]).collect();
        for r in &ratios {
            assert!(
                (r / ratios[0] - 1.0).abs() < 1e-9,
                "equal ratios: {ratios:?}"
            );
        }
        assert!(
            (c.edges[BANDS] - 2.0).abs() < 0.2,
            "top near the corners' height 2"
        );
        // The centre pixel is the lightest band, a corner the darkest.
        let px = |i: u32, j: u32| {
            let k = ((j * 40 + i) * 4) as usize;
            [c.pixels.rgba[k], c.pixels.rgba[k + 1], c.pixels.rgba[k + 2]]
        };
        assert_eq!(px(20, 10), c.colors[0]);
        assert_eq!(px(0, 0), c.colors[BANDS - 1]);
    }

    #[test]
    fn a_flat_or_broken_surface_still_draws() {
        let flat = filled(FRAME, |_, _| 0.0);
        assert_eq!(flat.pixels.rgba.len(), 40 * 20 * 4);
        let broken = filled(FRAME, |x, _| if x > 0.0 { f64::NAN } else { 1.0 });
        assert!(broken.edges.iter().all(|e| e.is_finite()));
    }

    #[test]
    fn frame_maps_corners_and_centres() {
        assert_eq!(FRAME.to_px(-1.0, 1.0), (0.0, 0.0));
        assert_eq!(FRAME.to_px(1.0, -1.0), (40.0, 20.0));
        let (x, y) = FRAME.pixel_centre(0, 0);
        assert!((x + 0.975).abs() < 1e-12 && (y - 0.95).abs() < 1e-12);
        assert_eq!(FRAME.to_px_bounded(1e9, 0.0).0, 160.0);
    }

    #[test]
    fn bilinear_hits_the_grid_points_and_blends_between() {
        let g = [0.0, 1.0, 2.0, 3.0]; // 2 x 2
        assert_eq!(bilinear(&g, 2, 2, 0.0, 0.0), 0.0);
        assert_eq!(bilinear(&g, 2, 2, 1.0, 1.0), 3.0);
        assert_eq!(bilinear(&g, 2, 2, 0.5, 0.5), 1.5);
        assert!(
            bilinear(&g, 3, 3, 0.5, 0.5).is_nan(),
            "a short grid is no value"
        );
    }
}
