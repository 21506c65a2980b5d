//! The SVG pieces the instruments share: marker shapes, point lists, the contour scale's legend
//! and a small log-scale line chart. Path text is built by pure functions (tested natively).

use yew::prelude::*;

use super::contour::Contours;
use super::racers::{number, Marker};

/// The SVG path of `marker` centred on `(x, y)` with radius `r`.
pub fn marker_path(marker: Marker, x: f64, y: f64, r: f64) -> String {
    match marker {
        Marker::Circle => format!(
            "M{:.1},{y:.1}a{r:.1},{r:.1} 0 1,0 {:.1},0a{r:.1},{r:.1} 0 1,0 {:.1},0Z",
            x - r,
            2.0 * r,
            -2.0 * r
        ),
        Marker::Square => {
            let s = r * 0.85;
            format!(
                "M{:.1},{:.1}h{:.1}v{:.1}h{:.1}Z",
                x - s,
                y - s,
                2.0 * s,
                2.0 * s,
                -2.0 * s
            )
        }
        Marker::TriangleUp => format!(
            "M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
            y - r,
            x + r,
            y + 0.8 * r,
            x - r,
            y + 0.8 * r
        ),
        Marker::TriangleDown => format!(
            "M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
            y + r,
            x + r,
            y - 0.8 * r,
            x - r,
            y - 0.8 * r
        ),
        Marker::Diamond => format!(
            "M{x:.1},{:.1}L{:.1},{y:.1}L{x:.1},{:.1}L{:.1},{y:.1}Z",
            y - r,
            x + r,
            y + r,
            x - r
        ),
        Marker::Plus => {
            let t = r * 0.35;
            format!(
                "M{:.1},{:.1}h{:.1}v{:.1}h{:.1}v{:.1}h{:.1}v{:.1}h{:.1}v{:.1}h{:.1}v{:.1}Z",
                x - t,
                y - r,
                2.0 * t,
                r - t,
                r - t,
                2.0 * t,
                -(r - t),
                r - t,
                -2.0 * t,
                -(r - t),
                -(r - t),
                -2.0 * t
            )
        }
    }
}

/// Points as the `points` attribute of a `<polyline>`.
pub fn points_attr(points: impl IntoIterator<Item = (f64, f64)>) -> String {
    let mut out = String::new();
    for (x, y) in points {
        if x.is_finite() && y.is_finite() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("{x:.1},{y:.1}"));
        }
    }
    out
}

/// A marker as a small inline SVG, for tables and legends.
pub fn marker_swatch(marker: Marker, color: &str) -> Html {
    html! {
        <svg class="marker-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
            <path d={marker_path(marker, 7.0, 7.0, 5.5)} fill={color.to_string()} stroke="#ffffff" stroke-width="0.8" />
        </svg>
    }
}

/// The contour scale: each band's colour with its edges' values, highest on top.
pub fn legend(contours: &Contours, caption: &str, testid: &'static str) -> Html {
    let n = contours.colors.len();
    let band_h = 16.0;
    let height = band_h * n as f64 + 20.0;
    html! {
        <figure class="contour-legend" data-testid={testid}>
            <svg width="92" height={format!("{height}")} viewBox={format!("0 0 92 {height}")} role="img"
                aria-label={format!("{caption}: bands from {} to {}", number(contours.edges[0]), number(contours.edges[n]))}>
                { for contours.colors.iter().enumerate().map(|(k, c)| {
                    let y = 10.0 + band_h * (n - 1 - k) as f64;
                    html! { <rect x="0" y={format!("{y}")} width="16" height={format!("{band_h}")}
                        fill={format!("rgb({},{},{})", c[0], c[1], c[2])} stroke="#9aa5b1" stroke-width="0.5" /> }
                }) }
                // Every other edge is labelled: all of them would crowd the bar.
                { for contours.edges.iter().enumerate().filter(|(k, _)| k % 2 == 0).map(|(k, e)| {
                    let y = 10.0 + band_h * (n - k) as f64;
                    html! { <text x="21" y={format!("{:.1}", y + 4.0)} class="legend-label">{ number_short(*e) }</text> }
                }) }
            </svg>
            <figcaption>{ caption.to_string() }</figcaption>
        </figure>
    }
}

/// Three significant digits at most.
pub fn number_short(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if (0.01..1000.0).contains(&a) {
        number((v * 1000.0).round() / 1000.0)
    } else {
        format!("{v:.1e}")
    }
}

/// A line of a log-scale chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLine {
    pub color: &'static str,
    pub marker: Marker,
    /// `(x, y)` in data, y > 0 (log scale; others are left out).
    pub points: Vec<(f64, f64)>,
    pub testid: String,
}

/// A small chart: x linear over `x`, y log10 over `y` (both data ranges), one polyline per line
/// with its marker at its last point.
pub fn log_chart(
    lines: &[ChartLine],
    x: (f64, f64),
    y: (f64, f64),
    x_label: &str,
    y_label: &str,
    testid: &'static str,
) -> Html {
    // The top margin holds the y label, clear of the first tick.
    let (w, h, left, bottom, top, right) = (440.0, 180.0, 46.0, 26.0, 20.0, 10.0);
    let (ly0, ly1) = (
        y.0.max(1e-300).log10().floor(),
        y.1.max(1e-300).log10().ceil(),
    );
    let ly1 = if ly1 <= ly0 { ly0 + 1.0 } else { ly1 };
    let x1 = if x.1 > x.0 { x.1 } else { x.0 + 1.0 };
    let px = |vx: f64| left + (vx - x.0) / (x1 - x.0) * (w - left - right);
    let py = |vy: f64| top + (ly1 - vy.log10()) / (ly1 - ly0) * (h - top - bottom);
    // A tick per decade, at most six of them.
    let every = ((ly1 - ly0) / 6.0).ceil().max(1.0) as i64;
    let ticks: Vec<i64> = (ly0 as i64..=ly1 as i64)
        .filter(|d| (d - ly0 as i64) % every == 0)
        .collect();
    html! {
        <svg class="log-chart" data-testid={testid} width={format!("{w}")} height={format!("{h}")}
            viewBox={format!("0 0 {w} {h}")} role="img" aria-label={format!("{y_label} against {x_label}, log scale")}>
            { for ticks.iter().map(|d| {
                let y = py(10f64.powi(*d as i32));
                html! { <>
                    <line x1={format!("{left}")} x2={format!("{}", w - right)} y1={format!("{y:.1}")} y2={format!("{y:.1}")} class="chart-grid" />
                    <text x={format!("{}", left - 4.0)} y={format!("{:.1}", y + 3.5)} class="chart-tick" text-anchor="end">{ format!("1e{d}") }</text>
                </> }
            }) }
            <line x1={format!("{left}")} x2={format!("{left}")} y1={format!("{top}")} y2={format!("{}", h - bottom)} class="chart-axis" />
            <line x1={format!("{left}")} x2={format!("{}", w - right)} y1={format!("{}", h - bottom)} y2={format!("{}", h - bottom)} class="chart-axis" />
            <text x={format!("{left}")} y={format!("{}", h - 8.0)} class="chart-tick">{ number(x.0) }</text>
            <text x={format!("{}", w - right)} y={format!("{}", h - 8.0)} class="chart-tick" text-anchor="end">{ number(x1) }</text>
            <text x={format!("{}", (w + left) / 2.0)} y={format!("{}", h - 8.0)} class="chart-tick" text-anchor="middle">{ x_label.to_string() }</text>
            <text x={format!("{left}")} y="11" class="chart-tick">{ format!("{y_label} (log scale)") }</text>
            { for lines.iter().map(|l| {
                let pts: Vec<(f64, f64)> = l.points.iter().filter(|p| p.1 > 0.0 && p.1.is_finite())
                    .map(|&(vx, vy)| (px(vx), py(vy.clamp(10f64.powf(ly0), 10f64.powf(ly1))))).collect();
                let last = pts.last().copied();
                html! { <g data-testid={l.testid.clone()}>
                    <polyline points={points_attr(pts)} fill="none" stroke={l.color} stroke-width="1.6" />
                    if let Some((lx, ly)) = last {
                        <path d={marker_path(l.marker, lx, ly, 4.5)} fill={l.color} stroke="#ffffff" stroke-width="0.8" />
                    }
                </g> }
            }) }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_is_a_closed_path_of_finite_numbers() {
        use Marker::*;
        let mut seen = Vec::new();
        for m in [Circle, Square, TriangleUp, Diamond, TriangleDown, Plus] {
            let d = marker_path(m, 10.0, 20.0, 5.0);
            assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
            assert!(!d.contains("NaN") && !d.contains("inf"), "{d}");
            assert!(!seen.contains(&d), "shapes differ");
            seen.push(d);
        }
    }

    #[test]
    fn points_leave_out_what_cannot_be_drawn() {
        assert_eq!(
            points_attr([(1.0, 2.0), (f64::NAN, 1.0), (3.3, 4.0)]),
            "1.0,2.0 3.3,4.0"
        );
    }

    #[test]
    fn short_numbers() {
        assert_eq!(number_short(0.0), "0");
        assert_eq!(number_short(12.3456), "12.346");
        assert_eq!(number_short(0.000123), "1.2e-4");
        assert_eq!(number_short(25000.0), "2.5e4");
    }
}
