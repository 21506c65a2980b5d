//! The function-approximation view (`panel-approximation`, course section 5): for a one-input
//! regression, the target and the network's output above, and beneath them every unit of the
//! last hidden layer as its weighted part of the output (sigmoid units with steep weights are
//! shifted steps; neighbouring pairs, added, are bumps). Hovering a part, or picking a unit with
//! the slider, draws it alone in both plots. The curves come from `units` (pure, tested
//! natively); this module draws them.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::svg::points_attr;
use super::units::{sum_of_squares, unavailable, UnitCurves, POINTS};
use crate::components::guard::guard;
use crate::config::{Config, Dataset};
use crate::session::Snapshot;
use crate::state::Action;

const WIDTH: f64 = 560.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 10.0;
const TOP_HEIGHT: f64 = 220.0;
const PARTS_HEIGHT: f64 = 170.0;
const MARGIN_Y: f64 = 14.0;
/// Above this many drawn points the parts are redrawn at most every `THROTTLE_MS`: a 500-unit
/// layer is 120,000 points, too many to rebuild at display rate next to training.
const LIVE_POINTS: usize = 30_000;
const THROTTLE_MS: f64 = 250.0;
/// The steepness the "course's steps" switch sets.
const COURSE_STEEPNESS: f64 = 100.0;

const OUTPUT_COLOUR: &str = "#0072B2";
const ALONE_COLOUR: &str = "#D55E00";

#[derive(Properties, PartialEq)]
pub struct ApproximationProps {
    pub snapshot: Rc<Snapshot>,
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
}

/// A linear map from data values to pixels.
#[derive(Clone, Copy)]
struct Scale {
    from: (f64, f64),
    to: (f64, f64),
}

impl Scale {
    fn new(from: (f64, f64), to: (f64, f64)) -> Self {
        let from = if from.1 > from.0 {
            from
        } else {
            (from.0 - 0.5, from.0 + 0.5)
        };
        Self { from, to }
    }
    fn at(self, v: f64) -> f64 {
        self.to.0 + (v - self.from.0) / (self.from.1 - self.from.0) * (self.to.1 - self.to.0)
    }
    fn back(self, px: f64) -> f64 {
        self.from.0 + (px - self.to.0) / (self.to.1 - self.to.0) * (self.from.1 - self.from.0)
    }
}

/// The smallest and largest finite value of `values`, widened by a little.
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    let pad = ((hi - lo) * 0.06).max(1e-3);
    (lo - pad, hi + pad)
}

/// Axis lines, the x ticks at both ends and the y range's ends.
fn axes(x: Scale, y: Scale, height: f64, y_label: &str) -> Html {
    let n = |v: f64| format!("{v:.2}");
    html! { <>
        <line x1={n(LEFT)} x2={n(LEFT)} y1={n(MARGIN_Y)} y2={n(height - MARGIN_Y)} class="chart-axis" />
        <line x1={n(LEFT)} x2={n(WIDTH - RIGHT)} y1={n(height - MARGIN_Y)} y2={n(height - MARGIN_Y)} class="chart-axis" />
        <text x={n(LEFT - 4.0)} y={n(MARGIN_Y + 4.0)} class="chart-tick" text-anchor="end">{ format!("{:.2}", y.from.1) }</text>
        <text x={n(LEFT - 4.0)} y={n(height - MARGIN_Y)} class="chart-tick" text-anchor="end">{ format!("{:.2}", y.from.0) }</text>
        <text x={n(LEFT)} y={n(height - 2.0)} class="chart-tick">{ format!("x = {:.2}", x.from.0) }</text>
        <text x={n(WIDTH - RIGHT)} y={n(height - 2.0)} class="chart-tick" text-anchor="end">{ format!("{:.2}", x.from.1) }</text>
        <text x={n(LEFT + 4.0)} y={n(MARGIN_Y - 3.0)} class="chart-tick">{ y_label.to_string() }</text>
    </> }
}

/// One SVG path of many curves (`M x,y L ...` each): a single element however many units.
fn curves_path(curves: &[Vec<f64>], xs: &[f64], x: Scale, y: Scale) -> String {
    let mut d = String::with_capacity(curves.len() * xs.len() * 12);
    for c in curves {
        for (i, (&vx, &vy)) in xs.iter().zip(c).enumerate() {
            if vy.is_finite() {
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&format!("{:.1},{:.1}", x.at(vx), y.at(vy)));
            }
        }
    }
    d
}

/// What the selected unit (or pair) is, in words.
fn describe(curves: &UnitCurves, pairs: bool, k: usize, v: Option<f64>) -> String {
    let weight = v.map_or(String::new(), |v| format!(", output weight {v:+.3}"));
    if pairs {
        return format!(
            "Pair {}: units {} and {} added together (a bump where one steps up and the other down)",
            k + 1,
            2 * k + 1,
            (2 * k + 2).min(curves.parts.len())
        );
    }
    match curves.units.get(k) {
        Some(&(c, w)) if w.is_finite() && c.is_finite() => format!(
            "Unit {}: a step {} at x = {c:.3}, steepness {w:.1}{weight}",
            k + 1,
            if w > 0.0 { "up" } else { "down" }
        ),
        _ => format!("Unit {}{weight}", k + 1),
    }
}

#[function_component(Approximation)]
pub fn approximation(props: &ApproximationProps) -> Html {
    let c = &props.config;
    let s = &props.snapshot;
    let hover = use_state(|| None::<usize>);
    let pinned = use_state(|| None::<usize>);
    let pairs = use_state(|| false);
    // The cost when the run started (its epoch-0 snapshot), for "from ... at the start".
    let start = use_mut_ref(|| None::<f64>);
    // The last drawn parts (time, path) for the throttle of wide layers.
    let drawn: Rc<RefCell<(f64, String)>> = use_mut_ref(|| (f64::NEG_INFINITY, String::new()));

    let steps_switch = {
        let on_action = props.on_action.clone();
        let on = c.steps.is_some();
        let onchange = Callback::from(move |_: Event| {
            on_action.emit(Action::SetSteps((!on).then_some(COURSE_STEEPNESS)))
        });
        guard(
            c,
            "steps",
            html! {
                <label class="approx-switch" title="Fix the first hidden layer as evenly spaced steps and train only the output weights, starting at +1, −1, +1, … (the course's construction)">
                    <input type="checkbox" data-testid="approx-steps" checked={on} {onchange} />
                    { match c.steps {
                        Some(w) => format!(" The course's steps: steepness {w}, fixed; output weights alone train"),
                        None => " The course's steps (fixed steepness 100, output weights alone train)".to_string(),
                    } }
                </label>
            },
        )
    };

    if let Some(why) = unavailable(c) {
        return html! {
            <div class="approx" data-testid="approx">
                <p class="approx-note" data-testid="approx-unavailable">{ why }</p>
            </div>
        };
    }
    let Some(curves) = UnitCurves::of(s, c) else {
        return html! {
            <div class="approx" data-testid="approx">
                <p class="approx-note">{ "Waiting for the network's first weights…" }</p>
            </div>
        };
    };
    let cost = sum_of_squares(s, c, &s.data.train);
    if s.version > 0 && s.epoch == 0 {
        *start.borrow_mut() = cost;
    }
    let start_cost = *start.borrow();

    let units = curves.parts.len();
    let shown_curves = if *pairs {
        curves.pairs()
    } else {
        curves.parts.clone()
    };
    let selected = (*hover).or(*pinned).filter(|&k| k < shown_curves.len());
    let xs = &curves.xs;
    let x = Scale::new(s.data.extent.x, (LEFT, WIDTH - RIGHT));
    let target: Option<Vec<f64>> = (c.active_dataset() == Dataset::Func1d).then(|| {
        xs.iter()
            .map(|&v| np_engine::data::func1d_target(v))
            .collect()
    });
    let y_top = Scale::new(
        range(
            curves
                .output
                .iter()
                .copied()
                .chain(target.iter().flatten().copied())
                .chain(s.data.train.iter().map(|p| p.label)),
        ),
        (TOP_HEIGHT - MARGIN_Y, MARGIN_Y),
    );
    let y_parts = Scale::new(
        range(shown_curves.iter().flatten().copied().chain([0.0])),
        (PARTS_HEIGHT - MARGIN_Y, MARGIN_Y),
    );

    // The parts' one path, rebuilt at display rate unless the layer is wide.
    let now = js_now();
    let throttled = units * POINTS > LIVE_POINTS;
    let parts_d = {
        let mut last = drawn.borrow_mut();
        if !throttled || now - last.0 >= THROTTLE_MS || last.1.is_empty() {
            *last = (now, curves_path(&shown_curves, xs, x, y_parts));
        }
        last.1.clone()
    };

    let line = |values: &[f64], y: Scale| {
        points_attr(xs.iter().zip(values).map(|(&a, &b)| (x.at(a), y.at(b))))
    };
    let points: Vec<Html> = s
        .data
        .train
        .iter()
        .map(|p| {
            html! { <circle cx={format!("{:.1}", x.at(p.x))} cy={format!("{:.1}", y_top.at(p.label))} r="2.2" class="approx-point" /> }
        })
        .collect();
    let alone_top = selected.map(|k| {
        let values: Vec<f64> = shown_curves[k].iter().map(|v| v + curves.bias).collect();
        html! { <polyline points={line(&values, y_top)} fill="none" stroke={ALONE_COLOUR} stroke-width="1.6" data-testid="approx-alone" /> }
    });
    let alone_parts = selected.map(|k| {
        html! { <polyline points={line(&shown_curves[k], y_parts)} fill="none" stroke={ALONE_COLOUR} stroke-width="2.2" /> }
    });

    let on_move = {
        let (hover, shown) = (hover.clone(), shown_curves.clone());
        let xs = xs.clone();
        Callback::from(move |e: MouseEvent| {
            let vx = x.back(f64::from(e.offset_x()));
            let i = xs
                .iter()
                .position(|&v| v >= vx)
                .unwrap_or(xs.len().saturating_sub(1));
            let my = f64::from(e.offset_y());
            // The part drawn nearest the pointer at its x, within a few pixels.
            let nearest = shown
                .iter()
                .enumerate()
                .map(|(k, p)| (k, (y_parts.at(p[i]) - my).abs()))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .filter(|(_, d)| *d < 6.0)
                .map(|(k, _)| k);
            hover.set(nearest);
        })
    };
    let on_leave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let on_pick = {
        let pinned = pinned.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value_as_number();
            pinned.set((v.is_finite() && v >= 1.0).then(|| v as usize - 1));
        })
    };
    let on_pairs = {
        let (pairs, pinned) = (pairs.clone(), pinned.clone());
        Callback::from(move |_: Event| {
            pairs.set(!*pairs);
            pinned.set(None);
        })
    };

    let output_weight = |k: usize| {
        s.layers
            .last()
            .and_then(|l| l.w.first())
            .and_then(|v| v.get(k))
            .copied()
    };
    let selected_text = selected.map_or_else(
        || "Hover a curve below, or pick a unit with the slider, to see it alone.".to_string(),
        |k| {
            describe(
                &curves,
                *pairs,
                k,
                (!*pairs).then(|| output_weight(k)).flatten(),
            )
        },
    );
    let frozen_note = if c.steps_apply() {
        format!("{units} units, their steps fixed; the {units} output weights train.")
    } else if c.layer_frozen(0) {
        format!("{units} units in a frozen layer; the layers after it train.")
    } else {
        format!("{units} units, every weight training.")
    };
    let cost_text = match (cost, start_cost) {
        (Some(now), Some(first)) => format!(
            "Cost, the sum of squared errors over the {} training points: {now:.4} (it was {first:.4} at the start).",
            s.data.train.len()
        ),
        (Some(now), None) => format!(
            "Cost, the sum of squared errors over the {} training points: {now:.4}.",
            s.data.train.len()
        ),
        _ => "Cost: not known yet.".to_string(),
    };
    let n = |v: f64| format!("{v:.1}");
    let max_pick = shown_curves.len();
    html! {
        <div class="approx" data-testid="approx">
            <p class="approx-intro">{ "The network's output (blue) is its output bias plus one part per unit of its last hidden layer: the unit's value times its weight into the output. The parts are drawn beneath; added up, they make the blue curve." }</p>
            <div class="approx-controls">
                { steps_switch }
                <label class="approx-switch">
                    <input type="checkbox" data-testid="approx-pairs" checked={*pairs} onchange={on_pairs} />
                    { " Add neighbouring units in pairs (bumps)" }
                </label>
                <label class="approx-pick">{ if *pairs { "Pair alone " } else { "Unit alone " } }
                    <input type="range" data-testid="approx-unit" min="0" max={max_pick.to_string()} step="1"
                        value={selected.filter(|_| hover.is_none()).map_or(0, |k| k + 1).to_string()} oninput={on_pick}
                        aria-label={format!("{} shown alone, 0 for none", if *pairs { "Pair" } else { "Unit" })}
                        aria-valuetext={selected_text.clone()} />
                </label>
            </div>
            <svg class="approx-plot" data-testid="approx-output" width={n(WIDTH)} height={n(TOP_HEIGHT)} viewBox={format!("0 0 {WIDTH} {TOP_HEIGHT}")}
                role="img" aria-label={format!("Target and network output over x. {cost_text}")}>
                { axes(x, y_top, TOP_HEIGHT, "target and output") }
                { for points }
                if let Some(t) = &target {
                    <polyline points={line(t, y_top)} fill="none" class="approx-target" data-testid="approx-target" />
                }
                <polyline points={line(&curves.output, y_top)} fill="none" stroke={OUTPUT_COLOUR} stroke-width="2.4" data-testid="approx-net" />
                { alone_top.unwrap_or_default() }
            </svg>
            <svg class="approx-plot approx-parts-plot" data-testid="approx-parts" width={n(WIDTH)} height={n(PARTS_HEIGHT)} viewBox={format!("0 0 {WIDTH} {PARTS_HEIGHT}")}
                role="img" aria-label={format!("The {} weighted parts of the output, one curve per {}", max_pick, if *pairs { "pair of units" } else { "unit" })}
                onmousemove={on_move} onmouseleave={on_leave}>
                { axes(x, y_parts, PARTS_HEIGHT, if *pairs { "pairs: weighted parts added" } else { "each unit's weighted part" }) }
                <line x1={n(LEFT)} x2={n(WIDTH - RIGHT)} y1={n(y_parts.at(0.0))} y2={n(y_parts.at(0.0))} class="chart-grid" />
                <path d={parts_d} class="approx-part" />
                { alone_parts.unwrap_or_default() }
            </svg>
            <p class="approx-selected" data-testid="approx-selected">{ selected_text }</p>
            <ul class="approx-readouts">
                <li data-testid="approx-cost" data-value={cost.map_or(String::new(), |v| v.to_string())}
                    data-start={start_cost.map_or(String::new(), |v| v.to_string())}>{ cost_text }</li>
                <li data-testid="approx-units" data-units={units.to_string()}>{ frozen_note }</li>
                if throttled {
                    <li data-testid="approx-throttled">{ format!("With {units} units the parts below are redrawn four times a second; the output above follows every update.") }</li>
                }
            </ul>
        </div>
    }
}

/// Milliseconds of the page's clock (0 where there is no window).
fn js_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
