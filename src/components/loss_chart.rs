//! Loss (train, test, validation) and accuracy per epoch, with axes, a log-scale toggle and a
//! hover read-out. The history is already bounded (decimated), so drawing cost stays flat.

use std::rc::Rc;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::fields::checkbox;
use super::output::number;
use super::png_button::PngButton;
use crate::session::{Record, Snapshot};

const WIDTH: u32 = 460;
const HEIGHT: u32 = 200;
/// Plot-area insets; the hover read-out maps mouse x through them.
const MARGIN: u32 = 8;
/// Room for the tick labels and the axis name beside them. plotters sizes its default fonts
/// relative to the canvas (24 px here) and puts the name at the far edge of this room, which at
/// 28 px sat the name on the ticks; fixed fonts and room for both keep them apart.
const Y_AXIS: u32 = 60;
const X_AXIS: u32 = 38;
const FONT: (&str, u32) = ("sans-serif", 12);
const TICK: i32 = 4;

const TRAIN: RGBColor = RGBColor(0x1f, 0x6f, 0xeb);
const TEST: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
const VAL: RGBColor = RGBColor(0x6f, 0x42, 0xc1);

/// Which curves a chart shows.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Loss { log: bool },
    Accuracy,
}

type Series = (&'static str, RGBColor, fn(&Record) -> Option<f64>);

fn series(kind: Kind) -> Vec<Series> {
    match kind {
        Kind::Loss { .. } => vec![
            ("train", TRAIN, |r| Some(r.loss_train)),
            ("test", TEST, |r| r.loss_test),
            ("validation", VAL, |r| r.loss_val),
        ],
        Kind::Accuracy => vec![
            ("train", TRAIN, |r| r.acc_train),
            ("test", TEST, |r| r.acc_test),
        ],
    }
}

/// Draws the series of `kind` on a built chart, with a legend.
fn lines<'a, DB: DrawingBackend + 'a, Y: Ranged<ValueType = f64>>(
    c: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    records: &[Record],
    kind: Kind,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for (name, color, f) in series(kind) {
        let pts: Vec<(f64, f64)> = records
            .iter()
            .filter_map(|r| f(r).filter(|v| v.is_finite()).map(|v| (r.epoch as f64, v)))
            .collect();
        if pts.is_empty() {
            continue;
        }
        c.draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(err)?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2))
            });
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .draw()
        .map_err(err)
}

/// The chart's text alternative: what it plots, and each series' latest value with its trend
/// over the last tenth of the run (a screen reader cannot see the curve).
fn chart_words(kind: Kind, records: &[Record]) -> String {
    let what = match kind {
        Kind::Loss { .. } => "Loss per epoch",
        Kind::Accuracy => "Accuracy per epoch",
    };
    let Some(last) = records.last() else {
        return format!("{what}: no epochs trained yet");
    };
    // A tenth of the records back (at least one): the history is evenly strided.
    let back = (records.len() / 10).max(1).min(records.len() - 1);
    let earlier = &records[records.len() - 1 - back];
    let parts: Vec<String> = series(kind)
        .into_iter()
        .filter_map(|(name, _, f)| {
            let now = f(last).filter(|v| v.is_finite())?;
            let trend = match f(earlier).filter(|v| v.is_finite()) {
                Some(before) if last.epoch > earlier.epoch => {
                    let change = (now - before) / before.abs().max(1e-12);
                    if change < -0.01 {
                        ", falling"
                    } else if change > 0.01 {
                        ", rising"
                    } else {
                        ", flat"
                    }
                }
                _ => "",
            };
            Some(format!("{name} {}{trend}", number(Some(now))))
        })
        .collect();
    format!("{what}; at epoch {}: {}", last.epoch, parts.join("; "))
}

/// Epochs are whole numbers: "300", not "300.0"; only the first few epochs get half ticks.
fn epoch_tick(epoch: &f64) -> String {
    if epoch.fract() == 0.0 {
        format!("{epoch:.0}")
    } else {
        format!("{epoch:.1}")
    }
}

/// Draws a chart of `records` on any plotters backend (pure with respect to the DOM).
fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    records: &[Record],
    kind: Kind,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let last = records.last().map_or(1, |r| r.epoch.max(1)) as f64;
    let values: Vec<f64> = records
        .iter()
        .flat_map(|r| series(kind).into_iter().filter_map(move |(_, _, f)| f(r)))
        .filter(|v| v.is_finite())
        .collect();
    let hi = values.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
    let lo = values
        .iter()
        .copied()
        .filter(|v| *v > 0.0)
        .fold(hi, f64::min);
    let mut chart = ChartBuilder::on(&root);
    chart
        .margin(MARGIN)
        .x_label_area_size(X_AXIS)
        .y_label_area_size(Y_AXIS);
    match kind {
        Kind::Loss { log: true } => {
            let lo = (lo * 0.8).max(1e-6);
            let mut c = chart
                .build_cartesian_2d(0.0..last, (lo..hi * 1.25).log_scale())
                .map_err(err)?;
            c.configure_mesh()
                .x_desc("epoch")
                .y_desc("loss (log)")
                .light_line_style(RGBColor(0xee, 0xee, 0xee))
                .label_style(FONT)
                .axis_desc_style(FONT)
                .set_all_tick_mark_size(TICK)
                .x_label_formatter(&epoch_tick)
                .draw()
                .map_err(err)?;
            lines(&mut c, records, kind)?;
        }
        Kind::Loss { log: false } => {
            let mut c = chart
                .build_cartesian_2d(0.0..last, 0.0..hi * 1.05)
                .map_err(err)?;
            c.configure_mesh()
                .x_desc("epoch")
                .y_desc("loss")
                .light_line_style(RGBColor(0xee, 0xee, 0xee))
                .label_style(FONT)
                .axis_desc_style(FONT)
                .set_all_tick_mark_size(TICK)
                .x_label_formatter(&epoch_tick)
                .draw()
                .map_err(err)?;
            lines(&mut c, records, kind)?;
        }
        Kind::Accuracy => {
            let mut c = chart.build_cartesian_2d(0.0..last, 0.0..1.0).map_err(err)?;
            c.configure_mesh()
                .x_desc("epoch")
                .y_desc("accuracy")
                .light_line_style(RGBColor(0xee, 0xee, 0xee))
                .label_style(FONT)
                .axis_desc_style(FONT)
                .set_all_tick_mark_size(TICK)
                .x_label_formatter(&epoch_tick)
                .draw()
                .map_err(err)?;
            lines(&mut c, records, kind)?;
        }
    }
    root.present().map_err(err)
}

#[derive(Properties, PartialEq)]
struct ChartProps {
    snapshot: Rc<Snapshot>,
    kind: Kind,
    testid: &'static str,
}

#[function_component(Chart)]
fn chart(props: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let hover = use_state(|| None::<f64>);
    let restored = super::canvas_restore::use_context_restored(&canvas);
    {
        let canvas = canvas.clone();
        let snapshot = props.snapshot.clone();
        use_effect_with(
            (props.snapshot.version, props.kind, restored),
            move |(_, kind, _)| {
                let drawn = canvas
                    .cast::<web_sys::HtmlCanvasElement>()
                    .and_then(CanvasBackend::with_canvas_object)
                    .map(|b| draw(b.into_drawing_area(), &snapshot.history, *kind));
                if let Some(Err(e)) = drawn {
                    web_sys::console::warn_1(&format!("chart: {e}").into());
                }
            },
        );
    }
    let onmousemove = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let scale = f64::from(WIDTH) / rect.width().max(1.0);
            let x = (f64::from(e.client_x()) - rect.left()) * scale;
            let plot = f64::from(WIDTH - 2 * MARGIN - Y_AXIS);
            hover.set(Some(
                ((x - f64::from(MARGIN + Y_AXIS)) / plot).clamp(0.0, 1.0),
            ));
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    // The read-out is computed from the current history on every render, so it never goes stale.
    let readout = hover.and_then(|f| {
        let records = &props.snapshot.history;
        let last = records.last()?.epoch.max(1) as f64;
        let target = f * last;
        records
            .iter()
            .min_by(|a, b| {
                (a.epoch as f64 - target)
                    .abs()
                    .total_cmp(&(b.epoch as f64 - target).abs())
            })
            .copied()
    });
    html! {
        <div class="chart-box">
            <canvas ref={canvas} data-testid={props.testid} width={WIDTH.to_string()} height={HEIGHT.to_string()}
                role="img" aria-label={chart_words(props.kind, &props.snapshot.history)} {onmousemove} {onmouseleave}></canvas>
            <div class="hover-readout" data-testid={format!("{}-hover", props.testid)}>
                { match readout {
                    Some(r) => html! { <>
                        <span>{ format!("epoch {}", r.epoch) }</span>
                        { for series(props.kind).into_iter().filter_map(|(name, color, f)| f(&r).map(|v| html! {
                            <span style={format!("color: rgb({},{},{})", color.0, color.1, color.2)}>{ format!("{name} {}", number(Some(v))) }</span>
                        })) }
                    </> },
                    None => html! { <span class="muted">{ "Hover the chart to read values." }</span> },
                } }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LossChartProps {
    pub snapshot: Rc<Snapshot>,
    /// Log scale for the loss axis (part of the Config, so it lives in the URL).
    pub log: bool,
    pub on_log: Callback<bool>,
    /// Whether the log-scale checkbox shows (`logScale_hide=true` hides it).
    #[prop_or(true)]
    pub show_log: bool,
    /// Whether the log-scale checkbox is locked (`logScale_lock=true`).
    #[prop_or_default]
    pub lock_log: bool,
}

#[function_component(LossChart)]
pub fn loss_chart(props: &LossChartProps) -> Html {
    let log = props.log;
    let on_log = props.on_log.clone();
    let classification = props.snapshot.data.classes > 1;
    html! {
        <div class="loss-panel" data-testid="panel-loss">
            <PngButton panel="panel-loss" />
            <Chart snapshot={props.snapshot.clone()} kind={Kind::Loss { log }} testid="chart-loss" />
            if props.show_log {
                if props.lock_log { { super::guard::locked("logScale", checkbox("log-scale", "Log scale", log, on_log)) } }
                else { { checkbox("log-scale", "Log scale", log, on_log) } }
            }
            { if classification { html! {
                <Chart snapshot={props.snapshot.clone()} kind={Kind::Accuracy} testid="chart-accuracy" />
            } } else { html! {} } }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: u64, train: f64, test: f64) -> Record {
        Record {
            epoch,
            loss_train: train,
            loss_test: Some(test),
            loss_val: None,
            acc_train: Some(1.0 - train),
            acc_test: Some(1.0 - test),
            auc_test: None,
        }
    }

    #[test]
    fn says_the_latest_values_and_their_trend() {
        assert_eq!(
            chart_words(Kind::Loss { log: false }, &[]),
            "Loss per epoch: no epochs trained yet"
        );
        let falling: Vec<Record> = (0..=20)
            .map(|e| record(e, 1.0 / (1.0 + e as f64), 0.5))
            .collect();
        assert_eq!(
            chart_words(Kind::Loss { log: true }, &falling),
            "Loss per epoch; at epoch 20: train 0.0476, falling; test 0.5000, flat"
        );
        assert_eq!(
            chart_words(Kind::Accuracy, &falling),
            "Accuracy per epoch; at epoch 20: train 0.9524, flat; test 0.5000, flat"
        );
        // Accuracy moved half a percent over the window: under the 1 % that counts as a trend.
        let climbing: Vec<Record> = (0..=20)
            .map(|e| record(e, 0.5 - 0.02 * e as f64, 0.5))
            .collect();
        assert_eq!(
            chart_words(Kind::Accuracy, &climbing),
            "Accuracy per epoch; at epoch 20: train 0.9000, rising; test 0.5000, flat"
        );
        assert_eq!(epoch_tick(&300.0), "300");
        assert_eq!(epoch_tick(&0.5), "0.5");
        // One epoch: no trend to speak of.
        assert_eq!(
            chart_words(Kind::Loss { log: false }, &falling[..1]),
            "Loss per epoch; at epoch 0: train 1.0000; test 0.5000"
        );
    }
}
