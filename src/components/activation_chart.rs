//! A plotters-canvas chart of the activation functions the engine offers.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

/// One curve of the chart: a name, a colour and the function it plots.
struct Curve {
    name: &'static str,
    color: RGBColor,
    f: fn(f64) -> f64,
}

const CURVES: [Curve; 3] = [
    Curve {
        name: "sigmoid",
        color: RGBColor(0xd9, 0x5f, 0x02),
        f: |z| 1.0 / (1.0 + (-z).exp()),
    },
    Curve {
        name: "tanh",
        color: RGBColor(0x1b, 0x9e, 0x77),
        f: f64::tanh,
    },
    Curve {
        name: "ReLU",
        color: RGBColor(0x75, 0x70, 0xb3),
        f: |z| z.max(0.0),
    },
];

const X_RANGE: (f64, f64) = (-4.0, 4.0);
const Y_RANGE: (f64, f64) = (-1.2, 2.2);

/// Draws the curves on any plotters backend, so the drawing does not depend on the DOM.
pub fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(30)
        .y_label_area_size(32)
        .caption("Activation functions", ("sans-serif", 14))
        .build_cartesian_2d(X_RANGE.0..X_RANGE.1, Y_RANGE.0..Y_RANGE.1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("z")
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()
        .map_err(|e| e.to_string())?;
    for curve in &CURVES {
        // Points above the plot would be drawn on its edge as a false plateau: stop the line there.
        let points = (0..=160)
            .map(|i| {
                let z = X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * f64::from(i) / 160.0;
                (z, (curve.f)(z))
            })
            .take_while(|&(_, y)| y <= Y_RANGE.1);
        let color = curve.color;
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(curve.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

#[function_component(ActivationChart)]
pub fn activation_chart() -> Html {
    let canvas = use_node_ref();
    let restored = super::canvas_restore::use_context_restored(&canvas);
    {
        let canvas = canvas.clone();
        use_effect_with(restored, move |_| {
            let drawn = canvas
                .cast::<web_sys::HtmlCanvasElement>()
                .and_then(CanvasBackend::with_canvas_object)
                .map(|backend| draw(backend.into_drawing_area()));
            if let Some(Err(e)) = drawn {
                web_sys::console::warn_1(&format!("activation chart: {e}").into());
            }
        });
    }
    html! {
        <div class="chart" data-testid="chart-activations">
            <canvas ref={canvas} width="360" height="220" aria-label="Plot of sigmoid, tanh and ReLU"></canvas>
        </div>
    }
}
