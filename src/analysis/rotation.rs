//! The rotatable 3-D view: a yaw and pitch turned by dragging, and the projection of rotated
//! points onto a canvas with a mild perspective so depth reads.

/// Orientation of the 3-D scatter. Yaw turns about the vertical axis, pitch tilts toward the
/// viewer; pitch is kept within a quarter turn so the view never flips upside down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rotation {
    pub yaw: f64,
    pub pitch: f64,
}

impl Default for Rotation {
    /// A three-quarter view in which all three axes are visible.
    fn default() -> Self {
        Self {
            yaw: 0.6,
            pitch: 0.35,
        }
    }
}

/// Radians per pixel of drag.
const DRAG_GAIN: f64 = 0.01;

impl Rotation {
    /// The orientation after dragging by (`dx`, `dy`) pixels.
    pub fn dragged(self, dx: f64, dy: f64) -> Self {
        let limit = std::f64::consts::FRAC_PI_2 - 0.01;
        Self {
            yaw: (self.yaw + dx * DRAG_GAIN).rem_euclid(std::f64::consts::TAU),
            pitch: (self.pitch + dy * DRAG_GAIN).clamp(-limit, limit),
        }
    }

    /// Rotates a point: yaw about the y (up) axis, then pitch about the x axis. The result's
    /// z grows toward the viewer.
    pub fn apply(self, p: [f64; 3]) -> [f64; 3] {
        let (sy, cy) = self.yaw.sin_cos();
        let (sp, cp) = self.pitch.sin_cos();
        // Data axes (a, b, c) are shown as (x right, z toward viewer, y up): c is "up".
        let (x, y, z) = (p[0], p[2], p[1]);
        let (x1, z1) = (cy * x + sy * z, -sy * x + cy * z);
        let (y2, z2) = (cp * y - sp * z1, sp * y + cp * z1);
        [x1, y2, z2]
    }
}

/// Maps rotated points, assumed within the unit ball, to canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub width: f64,
    pub height: f64,
}

impl Viewport {
    /// Pixel position (y down) and a depth in [0, 1] (1 nearest) of a rotated point.
    pub fn to_screen(self, r: [f64; 3]) -> (f64, f64, f64) {
        // The unit cube's half-diagonal is sqrt(3): this scale keeps every corner of the turning
        // box (and the labels just beyond it) on the canvas.
        let scale = 0.27 * self.width.min(self.height);
        // Perspective with the eye 4 units away: near points spread a little more than far ones.
        let k = 4.0 / (4.0 - r[2].clamp(-2.0, 2.0));
        let x = self.width / 2.0 + r[0] * scale * k;
        let y = self.height / 2.0 - r[1] * scale * k;
        (x, y, ((r[2] + 1.0) / 2.0).clamp(0.0, 1.0))
    }
}

/// Scales `points` into the cube [-1, 1]^3 per axis from the given ranges (lo, hi per axis),
/// so the rotation happens about the centre of the data box.
pub fn normalize(p: [f64; 3], ranges: &[(f64, f64); 3]) -> [f64; 3] {
    let mut out = [0.0; 3];
    for i in 0..3 {
        let (lo, hi) = ranges[i];
        let span = (hi - lo).max(1e-12);
        out[i] = 2.0 * (p[i] - lo) / span - 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(p: [f64; 3]) -> f64 {
        p.iter().map(|v| v * v).sum::<f64>().sqrt()
    }

    #[test]
    fn rotation_keeps_lengths_and_identity_maps_axes() {
        let r = Rotation {
            yaw: 0.0,
            pitch: 0.0,
        };
        assert_eq!(r.apply([1.0, 0.0, 0.0]), [1.0, 0.0, 0.0]);
        // The third data axis points up the screen.
        assert_eq!(r.apply([0.0, 0.0, 1.0]), [0.0, 1.0, 0.0]);
        let r = Rotation::default().dragged(37.0, -12.0);
        let p = [0.3, -0.7, 0.5];
        assert!((norm(r.apply(p)) - norm(p)).abs() < 1e-12);
    }

    #[test]
    fn a_quarter_yaw_turns_x_into_depth() {
        let r = Rotation {
            yaw: std::f64::consts::FRAC_PI_2,
            pitch: 0.0,
        };
        let q = r.apply([1.0, 0.0, 0.0]);
        assert!(q[0].abs() < 1e-12 && (q[2] + 1.0).abs() < 1e-12);
    }

    #[test]
    fn dragging_clamps_pitch_and_wraps_yaw() {
        let r = Rotation::default().dragged(0.0, 10_000.0);
        assert!(r.pitch < std::f64::consts::FRAC_PI_2);
        let r = Rotation::default().dragged(-10_000.0, 0.0);
        assert!((0.0..std::f64::consts::TAU).contains(&r.yaw));
    }

    #[test]
    fn screen_centre_and_depth() {
        let v = Viewport {
            width: 200.0,
            height: 100.0,
        };
        let (x, y, d) = v.to_screen([0.0, 0.0, 0.0]);
        assert_eq!((x, y, d), (100.0, 50.0, 0.5));
        let (_, y_up, _) = v.to_screen([0.0, 1.0, 0.0]);
        assert!(y_up < 50.0, "up is up on screen");
        assert_eq!(
            normalize([5.0, 0.0, 1.0], &[(0.0, 10.0), (0.0, 1.0), (0.0, 1.0)]),
            [0.0, -1.0, 1.0]
        );
    }
}
