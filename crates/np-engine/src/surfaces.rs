//! The classic two-dimensional test functions of optimization, the surfaces the optimizer race
//! runs on: value and gradient side by side, each with a start and a view window that show the
//! surface's difficulty. Everything is in f64; the race casts to the engine's f32 where the
//! optimizer steps.

use serde::{Deserialize, Serialize};

/// A test function `f(x, y)` with its known minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    /// An ill-conditioned bowl, `0.5 (x^2 + 50 y^2)`: curvature 1 along x and 50 along y, so a
    /// learning rate small enough for y crawls along x.
    IllConditioned,
    /// Rosenbrock's banana, `(1 - x)^2 + 100 (y - x^2)^2`: a long curved flat valley.
    Rosenbrock,
    /// Beale's function, `(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`:
    /// flat plateaus and steep walls.
    Beale,
    /// A saddle with a floor, `x^2 - y^2 + y^4 / 4`: a saddle point at the origin and two
    /// minima at `(0, ±sqrt 2)`. The quartic term keeps every path finite, unlike `x^2 - y^2`.
    Saddle,
}

impl Surface {
    /// Every surface, in the order the page lists them.
    pub const ALL: [Surface; 4] = [
        Surface::IllConditioned,
        Surface::Rosenbrock,
        Surface::Beale,
        Surface::Saddle,
    ];

    /// A short stable key (the page's option values and test ids).
    pub fn key(self) -> &'static str {
        match self {
            Surface::IllConditioned => "quadratic",
            Surface::Rosenbrock => "rosenbrock",
            Surface::Beale => "beale",
            Surface::Saddle => "saddle",
        }
    }

    /// The surface whose key is `key`.
    pub fn from_key(key: &str) -> Option<Surface> {
        Surface::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The name a student reads.
    pub fn title(self) -> &'static str {
        match self {
            Surface::IllConditioned => "Ill-conditioned bowl",
            Surface::Rosenbrock => "Rosenbrock's valley",
            Surface::Beale => "Beale's function",
            Surface::Saddle => "Saddle with a floor",
        }
    }

    /// The formula as plain text.
    pub fn formula(self) -> &'static str {
        match self {
            Surface::IllConditioned => "f(x, y) = 0.5 (x² + 50 y²)",
            Surface::Rosenbrock => "f(x, y) = (1 − x)² + 100 (y − x²)²",
            Surface::Beale => "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
            Surface::Saddle => "f(x, y) = x² − y² + y⁴/4",
        }
    }

    /// `f(x, y)`.
    pub fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::IllConditioned => 0.5 * (x * x + 50.0 * y * y),
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Beale => {
                let [a, b, c] = beale_terms(x, y);
                a * a + b * b + c * c
            }
            Surface::Saddle => x * x - y * y + 0.25 * y.powi(4),
        }
    }

    /// `(df/dx, df/dy)` at `(x, y)`.
    pub fn gradient(self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Surface::IllConditioned => (x, 50.0 * y),
            Surface::Rosenbrock => {
                let valley = y - x * x;
                (-2.0 * (1.0 - x) - 400.0 * x * valley, 200.0 * valley)
            }
            Surface::Beale => {
                // Each term t_k = c_k - x + x y^k: dt_k/dx = y^k - 1, dt_k/dy = k x y^(k-1).
                let [a, b, c] = beale_terms(x, y);
                let dx = 2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y.powi(3) - 1.0));
                let dy = 2.0 * (a * x + b * 2.0 * x * y + c * 3.0 * x * y * y);
                (dx, dy)
            }
            Surface::Saddle => (2.0 * x, -2.0 * y + y.powi(3)),
        }
    }

    /// The lowest value of `f` (the minimum the race measures the distance to).
    pub fn minimum(self) -> f64 {
        match self {
            Surface::Saddle => -1.0,
            _ => 0.0,
        }
    }

    /// Where the minimum is (one of the two for the saddle: the one above the start).
    pub fn minimizer(self) -> (f64, f64) {
        match self {
            Surface::IllConditioned => (0.0, 0.0),
            Surface::Rosenbrock => (1.0, 1.0),
            Surface::Beale => (3.0, 0.5),
            Surface::Saddle => (0.0, std::f64::consts::SQRT_2),
        }
    }

    /// Where the race starts: a point that shows the surface's difficulty.
    pub fn start(self) -> (f64, f64) {
        match self {
            // Far out along the gentle axis, a little off it along the steep one.
            Surface::IllConditioned => (-4.5, 0.8),
            Surface::Rosenbrock => (-1.2, 1.0),
            Surface::Beale => (0.7, 1.4),
            // Just beside the saddle point: the gradient toward the minima starts tiny.
            Surface::Saddle => (1.8, 0.01),
        }
    }

    /// The view window `((x_min, x_max), (y_min, y_max))`.
    pub fn window(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Surface::IllConditioned => ((-5.0, 5.0), (-2.0, 2.0)),
            Surface::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
            Surface::Beale => ((-1.0, 4.5), (-1.5, 2.0)),
            Surface::Saddle => ((-2.5, 2.5), (-2.5, 2.5)),
        }
    }

    /// How close to [`Surface::minimum`] counts as having reached it.
    pub fn tolerance(self) -> f64 {
        1e-3
    }
}

/// Beale's three residuals at `(x, y)`.
fn beale_terms(x: f64, y: f64) -> [f64; 3] {
    [
        1.5 - x + x * y,
        2.25 - x + x * y * y,
        2.625 - x + x * y.powi(3),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences with step h, against the analytic gradient, at points spread over
    /// each window (including the start and the minimizer).
    #[test]
    fn gradients_match_finite_differences() {
        for s in Surface::ALL {
            let ((x0, x1), (y0, y1)) = s.window();
            let mut points = vec![s.start(), s.minimizer()];
            for i in 0..7 {
                for j in 0..7 {
                    let x = x0 + (x1 - x0) * (f64::from(i) + 0.37) / 7.0;
                    let y = y0 + (y1 - y0) * (f64::from(j) + 0.61) / 7.0;
                    points.push((x, y));
                }
            }
            for (x, y) in points {
                let h = 1e-5;
                let fd_x = (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h);
                let fd_y = (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h);
                let (gx, gy) = s.gradient(x, y);
                let tol = |g: f64| 1e-6 * (1.0 + g.abs());
                assert!(
                    (gx - fd_x).abs() < tol(gx),
                    "{s:?} d/dx at ({x}, {y}): {gx} vs {fd_x}"
                );
                assert!(
                    (gy - fd_y).abs() < tol(gy),
                    "{s:?} d/dy at ({x}, {y}): {gy} vs {fd_y}"
                );
            }
        }
    }

    #[test]
    fn minima_are_where_they_are_said_to_be() {
        for s in Surface::ALL {
            let (x, y) = s.minimizer();
            assert!((s.value(x, y) - s.minimum()).abs() < 1e-12, "{s:?}");
            let (gx, gy) = s.gradient(x, y);
            assert!(
                gx.abs() < 1e-9 && gy.abs() < 1e-9,
                "{s:?}: flat at its minimum"
            );
            // Nothing on a fine grid of the window lies below the stated minimum.
            let ((x0, x1), (y0, y1)) = s.window();
            for i in 0..=60 {
                for j in 0..=60 {
                    let px = x0 + (x1 - x0) * f64::from(i) / 60.0;
                    let py = y0 + (y1 - y0) * f64::from(j) / 60.0;
                    assert!(
                        s.value(px, py) >= s.minimum() - 1e-12,
                        "{s:?} at ({px}, {py})"
                    );
                }
            }
            let (sx, sy) = s.start();
            assert!(
                s.value(sx, sy) - s.minimum() > 10.0 * s.tolerance(),
                "{s:?} starts away"
            );
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in Surface::ALL {
            assert_eq!(Surface::from_key(s.key()), Some(s));
        }
        assert_eq!(Surface::from_key("nope"), None);
    }
}
