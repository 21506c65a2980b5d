//! A display list: what a panel's canvas shows, as plain shapes in pixel coordinates. Panels
//! build scenes with pure functions (tested natively); `scene_canvas` only paints them.

/// An RGBA colour; alpha in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub u8, pub u8, pub u8, pub f64);

impl Color {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color(r, g, b, 1.0)
    }
    /// The same colour at another opacity.
    pub fn alpha(self, a: f64) -> Self {
        Color(self.0, self.1, self.2, a.clamp(0.0, 1.0))
    }
    /// CSS text for the canvas API.
    pub fn css(self) -> String {
        format!("rgba({},{},{},{:.3})", self.0, self.1, self.2, self.3)
    }
    /// Linear mix toward `other` by `t` in [0, 1].
    pub fn mix(self, other: Color, t: f64) -> Color {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Color(
            m(self.0, other.0),
            m(self.1, other.1),
            m(self.2, other.2),
            self.3 + (other.3 - self.3) * t,
        )
    }
}

pub const WHITE: Color = Color::rgb(255, 255, 255);
pub const INK: Color = Color::rgb(0x1d, 0x27, 0x33);
pub const MUTED: Color = Color::rgb(0x5b, 0x6b, 0x7c);
pub const GRID: Color = Color::rgb(0xdd, 0xe3, 0xea);
pub const ACCENT: Color = Color::rgb(0x1f, 0x6f, 0xeb);
pub const RED: Color = Color::rgb(0xc6, 0x28, 0x28);
/// The playground's class colours (orange, blue, green), as the boundary panel uses them.
pub const CLASSES: [Color; 3] = [
    Color::rgb(0xf5, 0x93, 0x22),
    Color::rgb(0x08, 0x77, 0xbd),
    Color::rgb(0x2e, 0x9e, 0x4f),
];

/// The colour of class `k`.
pub fn class_color(k: usize) -> Color {
    CLASSES[k % CLASSES.len()]
}

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One thing to paint.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Polyline {
        points: Vec<(f64, f64)>,
        color: Color,
        width: f64,
    },
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Color,
    },
    Circle {
        x: f64,
        y: f64,
        r: f64,
        fill: Color,
        stroke: Option<Color>,
    },
    Polygon {
        points: Vec<(f64, f64)>,
        fill: Color,
    },
    Text {
        x: f64,
        y: f64,
        text: String,
        color: Color,
        size: f64,
        align: Align,
    },
}

/// A canvas's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub background: Color,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn new(width: f64, height: f64) -> Self {
        Self {
            width,
            height,
            background: WHITE,
            shapes: Vec::new(),
        }
    }

    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), color: Color, width: f64) {
        self.polyline(vec![a, b], color, width);
    }

    /// A polyline; non-finite points split it, so NaN never draws a stray line to the origin.
    pub fn polyline(&mut self, points: Vec<(f64, f64)>, color: Color, width: f64) {
        for run in points.split(|p| !(p.0.is_finite() && p.1.is_finite())) {
            if run.len() >= 2 {
                self.shapes.push(Shape::Polyline {
                    points: run.to_vec(),
                    color,
                    width,
                });
            }
        }
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Color) {
        if [x, y, w, h].iter().all(|v| v.is_finite()) {
            self.shapes.push(Shape::Rect { x, y, w, h, fill });
        }
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: Color, stroke: Option<Color>) {
        if x.is_finite() && y.is_finite() {
            self.shapes.push(Shape::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            });
        }
    }

    pub fn text(&mut self, x: f64, y: f64, text: impl Into<String>, size: f64, align: Align) {
        self.text_colored(x, y, text, MUTED, size, align);
    }

    pub fn text_colored(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        color: Color,
        size: f64,
        align: Align,
    ) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.into(),
            color,
            size,
            align,
        });
    }

    /// Count of shapes that put ink on the canvas (everything but text), for tests.
    #[cfg(test)]
    pub fn marks(&self) -> usize {
        self.shapes
            .iter()
            .filter(|s| !matches!(s, Shape::Text { .. }))
            .count()
    }
}

/// A plot area: maps data coordinates into a pixel rectangle (y up in data, down on screen).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Plot {
    /// The area inside `scene` less margins for tick labels.
    pub fn inside(scene: &Scene, x: (f64, f64), y: (f64, f64)) -> Self {
        let (left, top, right, bottom) = (40.0, 10.0, 10.0, 26.0);
        Self {
            left,
            top,
            width: (scene.width - left - right).max(1.0),
            height: (scene.height - top - bottom).max(1.0),
            x: crate::analysis::histogram::sane_range(x.0, x.1),
            y: crate::analysis::histogram::sane_range(y.0, y.1),
        }
    }

    pub fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x.0) / (self.x.1 - self.x.0) * self.width
    }

    pub fn py(&self, y: f64) -> f64 {
        self.top + (1.0 - (y - self.y.0) / (self.y.1 - self.y.0)) * self.height
    }

    pub fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.px(x), self.py(y))
    }

    /// Clamps a y value to the plot so off-scale values sit on the edge (used for markers).
    pub fn clamp_y(&self, y: f64) -> f64 {
        y.clamp(self.y.0, self.y.1)
    }

    /// Frame, zero lines and a few labelled ticks on both axes.
    pub fn axes(&self, scene: &mut Scene, x_label: &str, y_label: &str) {
        let (t, b) = (self.top, self.top + self.height);
        for x in ticks(self.x.0, self.x.1, 5) {
            let px = self.px(x);
            scene.line((px, t), (px, b), GRID, 1.0);
            scene.text(px, b + 14.0, fmt_tick(x), 10.0, Align::Center);
        }
        self.y_axis(scene, x_label, y_label);
    }

    /// The frame and the y ticks only, for plots whose x axis is categories.
    pub fn y_axis(&self, scene: &mut Scene, x_label: &str, y_label: &str) {
        let (l, t, r, b) = (
            self.left,
            self.top,
            self.left + self.width,
            self.top + self.height,
        );
        for y in ticks(self.y.0, self.y.1, 4) {
            let py = self.py(y);
            scene.line((l, py), (r, py), GRID, 1.0);
            scene.text(l - 4.0, py + 3.0, fmt_tick(y), 10.0, Align::Right);
        }
        scene.polyline(vec![(l, t), (r, t), (r, b), (l, b), (l, t)], MUTED, 1.0);
        scene.text(r, b + 24.0, x_label, 10.0, Align::Right);
        scene.text(l + 4.0, t + 10.0, y_label, 10.0, Align::Left);
    }
}

/// About `n` round tick values covering [lo, hi].
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A short tick label.
pub fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = ticks(-6.0, 6.0, 4);
        assert!(t.contains(&0.0) && t.iter().all(|v| (-6.0..=6.0).contains(v)));
        assert!(ticks(1.0, 1.0, 4).is_empty());
        assert_eq!(fmt_tick(0.5), "0.5");
        assert_eq!(fmt_tick(2.0), "2");
    }

    #[test]
    fn plot_maps_corners_and_nan_splits_lines() {
        let scene = Scene::new(200.0, 100.0);
        let p = Plot::inside(&scene, (0.0, 1.0), (0.0, 1.0));
        assert_eq!(p.at(0.0, 0.0), (p.left, p.top + p.height));
        assert_eq!(p.at(1.0, 1.0), (p.left + p.width, p.top));
        let mut s = Scene::new(10.0, 10.0);
        s.polyline(
            vec![
                (0.0, 0.0),
                (1.0, 1.0),
                (f64::NAN, 0.0),
                (2.0, 2.0),
                (3.0, 3.0),
            ],
            INK,
            1.0,
        );
        assert_eq!(s.marks(), 2);
        s.circle(f64::NAN, 0.0, 1.0, INK, None);
        assert_eq!(s.marks(), 2);
        assert_eq!(
            Color::rgb(0, 0, 0).mix(WHITE, 0.5),
            Color(128, 128, 128, 1.0)
        );
    }
}
