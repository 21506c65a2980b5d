//! The optimizer race (`panel-race`): the six optimizers of the engine from one start on a
//! classic test surface, their paths over the filled contours revealed step by step (one
//! `requestAnimationFrame` at a time, so the page never waits), their loss against step, and
//! each one's hyper-parameters. The paths come from `np_engine::race`, the engine's own
//! optimizer step; this module only draws them.

use std::rc::Rc;

use gloo::render::request_animation_frame;
use np_engine::race::{run, RacePath};
use np_engine::surfaces::Surface;
use yew::prelude::*;

use super::contour::{filled, Contours, Frame};
use super::racers::{number, read_knob, Hyper, Knob, Racer};
use super::svg::{legend, log_chart, marker_path, marker_swatch, points_attr, ChartLine};
use crate::components::pixel_canvas::PixelCanvas;

/// The map's size in pixels.
const MAP_W: f64 = 440.0;
const MAP_H: f64 = 320.0;
/// Steps revealed per animation frame.
const STEPS_PER_FRAME: usize = 2;
/// The race's length: the default and the range the step count is kept in.
const DEFAULT_STEPS: usize = 300;
const STEPS_RANGE: (usize, usize) = (10, 3000);

/// What the readouts show of one racer after `shown` steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// `f` at the step shown (the last finite one if the path stopped earlier).
    pub loss: f64,
    pub position: (f64, f64),
    /// The first step within the surface's tolerance of its minimum, if one is shown yet.
    pub steps_to_min: Option<usize>,
    /// The step it blew up at, once shown.
    pub diverged_at: Option<usize>,
}

/// The standing of `path` on `surface` after `shown` steps.
pub fn standing(path: &RacePath, surface: Surface, shown: usize) -> Standing {
    let last = shown.min(path.points.len().saturating_sub(1));
    Standing {
        loss: path.losses.get(last).copied().unwrap_or(f64::NAN),
        position: path
            .points
            .get(last)
            .copied()
            .unwrap_or((f64::NAN, f64::NAN)),
        steps_to_min: path.steps_to_minimum(surface).filter(|&s| s <= shown),
        diverged_at: path.diverged_at.filter(|&d| d <= shown),
    }
}

/// The race as the engine ran it: one path per racer, or the engine's error.
type Paths = Rc<Result<Vec<RacePath>, String>>;

fn run_all(surface: Surface, start: (f64, f64), hyper: &[Hyper; 6], steps: usize) -> Paths {
    Rc::new(
        Racer::ALL
            .iter()
            .zip(hyper)
            .map(|(r, h)| run(surface, start, r.rule(h), steps))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("The race could not run: {e}")),
    )
}

fn suggested(surface: Surface) -> [Hyper; 6] {
    Racer::ALL.map(|r| Hyper::suggested(r, surface))
}

fn frame_of(surface: Surface) -> Frame {
    let (x, y) = surface.window();
    Frame {
        x,
        y,
        width: MAP_W,
        height: MAP_H,
    }
}

#[function_component(OptimizerRace)]
pub fn optimizer_race() -> Html {
    let surface = use_state(|| Surface::IllConditioned);
    let hyper = use_state(|| suggested(Surface::IllConditioned));
    let start = use_state(|| Surface::IllConditioned.start());
    let steps = use_state(|| DEFAULT_STEPS);
    let shown = use_state(|| 0usize);
    let playing = use_state(|| false);
    let notice = use_state(|| None::<String>);

    let paths = use_memo((*surface, *hyper, *start, *steps), |(s, h, st, n)| {
        run_all(*s, *st, h, *n)
    });
    let contours: Rc<Contours> = use_memo(*surface, |s| {
        let s = *s;
        filled(frame_of(s), move |x, y| s.value(x, y) - s.minimum())
    });

    // The animation: while playing, each frame shows a few more steps; dropping the pending
    // frame (a pause, a reset, the panel closing) cancels it.
    {
        let (shown, playing) = (shown.clone(), playing.clone());
        let total = *steps;
        use_effect_with((*playing, *shown, total), move |&(on, at, total)| {
            let pending = (on && at < total).then(|| {
                request_animation_frame(move |_| {
                    let next = (at + STEPS_PER_FRAME).min(total);
                    shown.set(next);
                    if next >= total {
                        playing.set(false);
                    }
                })
            });
            move || drop(pending)
        });
    }

    let on_surface = {
        let (surface, hyper, start, shown, playing, notice) = (
            surface.clone(),
            hyper.clone(),
            start.clone(),
            shown.clone(),
            playing.clone(),
            notice.clone(),
        );
        Callback::from(move |e: Event| {
            let key = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(s) = Surface::from_key(&key) {
                surface.set(s);
                hyper.set(suggested(s));
                start.set(s.start());
                shown.set(0);
                playing.set(false);
                notice.set(None);
            }
        })
    };
    let on_play = {
        let (playing, shown, total) = (playing.clone(), shown.clone(), *steps);
        Callback::from(move |_: MouseEvent| {
            if *playing {
                playing.set(false);
            } else {
                if *shown >= total {
                    shown.set(0);
                }
                playing.set(true);
            }
        })
    };
    let on_reset = {
        let (playing, shown) = (playing.clone(), shown.clone());
        Callback::from(move |_: MouseEvent| {
            playing.set(false);
            shown.set(0);
        })
    };
    let on_finish = {
        let (playing, shown, total) = (playing.clone(), shown.clone(), *steps);
        Callback::from(move |_: MouseEvent| {
            playing.set(false);
            shown.set(total);
        })
    };
    let on_steps = {
        let (steps, shown, notice) = (steps.clone(), shown.clone(), notice.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let (lo, hi) = STEPS_RANGE;
            let (n, said) = match input.value().trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let n = (v.round().max(0.0) as usize).clamp(lo, hi);
                    let said = (n as f64 != v).then(|| {
                        format!("The race is kept between {lo} and {hi} steps: {v} became {n}.")
                    });
                    (n, said)
                }
                _ => (
                    *steps,
                    Some(format!(
                        "The number of steps must be a whole number from {lo} to {hi}; it stays {}.",
                        *steps
                    )),
                ),
            };
            input.set_value(&n.to_string());
            steps.set(n);
            shown.set((*shown).min(n));
            notice.set(said);
        })
    };
    let on_knob = |racer: Racer, knob: Knob| {
        let (hyper, notice) = (hyper.clone(), notice.clone());
        let index = Racer::ALL.iter().position(|r| *r == racer).unwrap_or(0);
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let mut next = *hyper;
            let (v, said) = read_knob(racer, knob, &input.value(), next[index].get(knob));
            // The field shows the value in use, also when clamping left the state unchanged.
            input.set_value(&number(v));
            next[index].set(knob, v);
            hyper.set(next);
            notice.set(said);
        })
    };
    let on_map_click = {
        let (start, shown, surface) = (start.clone(), shown.clone(), *surface);
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            if rect.width() <= 0.0 || rect.height() <= 0.0 {
                return;
            }
            let u = (f64::from(e.client_x()) - rect.left()) / rect.width();
            let v = (f64::from(e.client_y()) - rect.top()) / rect.height();
            let ((x0, x1), (y0, y1)) = surface.window();
            start.set((x0 + u * (x1 - x0), y1 - v * (y1 - y0)));
            shown.set(0);
        })
    };

    let s = *surface;
    let frame = frame_of(s);
    let at = *shown;
    let body = match &**paths {
        Err(why) => {
            html! { <p class="alert alert-notice" data-testid="race-error">{ why.clone() }</p> }
        }
        Ok(paths) => {
            let standings: Vec<Standing> = paths.iter().map(|p| standing(p, s, at)).collect();
            let (sx, sy) = frame.to_px(start.0, start.1);
            let (mx, my) = frame.to_px(s.minimizer().0, s.minimizer().1);
            let heights = |p: &RacePath| -> Vec<(f64, f64)> {
                p.losses
                    .iter()
                    .enumerate()
                    .take(at + 1)
                    .map(|(t, l)| (t as f64, l - s.minimum()))
                    .collect()
            };
            let all_heights = paths
                .iter()
                .flat_map(|p| p.losses.iter().map(|l| l - s.minimum()))
                .filter(|h| *h > 0.0 && h.is_finite());
            let (lo, hi) =
                all_heights.fold((f64::INFINITY, 0f64), |(a, b), h| (a.min(h), b.max(h)));
            let y_range = (lo.max(hi * 1e-12).max(1e-12), hi.max(1e-12));
            let lines: Vec<ChartLine> = Racer::ALL
                .iter()
                .zip(paths)
                .map(|(r, p)| ChartLine {
                    color: r.color(),
                    marker: r.marker(),
                    points: heights(p),
                    testid: format!("race-curve-{}", r.key()),
                })
                .collect();
            html! { <>
                <div class="race-pictures">
                    <div class="race-map-wrap">
                        <div class="race-map">
                            <PixelCanvas pixels={contours.pixels.clone()} class={classes!("race-contours")} testid="race-contours"
                                label={format!("Filled contours of {}", s.formula())} />
                            <svg class="race-overlay" data-testid="race-map" viewBox={format!("0 0 {MAP_W} {MAP_H}")}
                                onclick={on_map_click} role="img"
                                aria-label="The six optimizers' paths; click to start the race somewhere else">
                                <path d={marker_path(super::racers::Marker::Plus, mx, my, 7.0)} class="race-minimum" />
                                <circle cx={format!("{sx:.1}")} cy={format!("{sy:.1}")} r="5" class="race-start" />
                                { for Racer::ALL.iter().zip(paths).zip(&standings).map(|((r, p), st)| {
                                    let pts = p.points.iter().take(at + 1).map(|&(x, y)| frame.to_px_bounded(x, y));
                                    let (hx, hy) = frame.to_px_bounded(st.position.0, st.position.1);
                                    html! { <g data-testid={format!("race-path-{}", r.key())}
                                        data-end={format!("{},{}", st.position.0, st.position.1)}>
                                        <polyline points={points_attr(pts.clone())} class="race-halo" />
                                        <polyline points={points_attr(pts)} fill="none" stroke={r.color()} stroke-width="2" />
                                        <path d={marker_path(r.marker(), hx, hy, 6.0)} fill={r.color()} stroke="#ffffff" stroke-width="1" />
                                    </g> }
                                }) }
                            </svg>
                        </div>
                        { legend(&contours, "f − minimum (log scale)", "race-legend") }
                    </div>
                    { log_chart(&lines, (0.0, *steps as f64), y_range, "step", "f − minimum", "race-chart") }
                </div>
                <table class="race-table" data-testid="race-table">
                    <thead><tr><th scope="col">{ "optimizer" }</th><th scope="col">{ "hyper-parameters" }</th>
                        <th scope="col">{ "f − minimum now" }</th><th scope="col">{ "steps to the minimum" }</th></tr></thead>
                    <tbody>
                    { for Racer::ALL.iter().enumerate().map(|(i, &r)| {
                        let st = &standings[i];
                        let reached = st.steps_to_min.map_or_else(|| "not reached".to_string(), |n| n.to_string());
                        let gap = st.loss - s.minimum();
                        html! { <tr data-testid={format!("race-row-{}", r.key())}>
                            <th scope="row">{ marker_swatch(r.marker(), r.color()) }{ " " }{ r.title() }</th>
                            <td class="race-knobs">
                                { for r.knobs().iter().map(|&k| {
                                    let id = format!("race-{}-{}", k.key(), r.key());
                                    html! { <label class="race-knob">
                                        <span>{ k.label() }</span>
                                        <input type="number" id={id.clone()} data-testid={id} step={k.step()}
                                            min={number(k.range().0)} max={number(k.range().1)}
                                            value={number(hyper[i].get(k))} onchange={on_knob(r, k)} />
                                    </label> }
                                }) }
                            </td>
                            <td data-testid={format!("race-loss-{}", r.key())} data-value={gap.to_string()}>
                                { number_or_dash(gap) }
                                if let Some(d) = st.diverged_at {
                                    <span class="race-diverged">{ format!(" (blew up at step {d})") }</span>
                                }
                            </td>
                            <td data-testid={format!("race-steps-to-min-{}", r.key())} data-value={reached.clone()}>{ reached }</td>
                        </tr> }
                    }) }
                    </tbody>
                </table>
            </> }
        }
    };

    html! {
        <div class="race" data-testid="race">
            <p class="race-intro">{ "Six optimizers start from the same point (the ring) and walk downhill on the same surface; the cross marks its minimum. Each one moves by the engine's own update rule. Change a setting and watch its path change; click the map to start elsewhere." }</p>
            <div class="race-controls">
                <label>{ "surface " }
                    <select data-testid="race-surface" onchange={on_surface}>
                        { for Surface::ALL.iter().map(|o| html! {
                            <option value={o.key()} selected={*o == s}>{ o.title() }</option>
                        }) }
                    </select>
                </label>
                <span class="race-formula" data-testid="race-formula">{ s.formula() }</span>
                <button type="button" class="btn" data-testid="race-play" onclick={on_play}>
                    { if *playing { "Pause" } else if at >= *steps { "Replay" } else { "Play" } }</button>
                <button type="button" class="btn" data-testid="race-reset" onclick={on_reset}>{ "Reset" }</button>
                <button type="button" class="btn" data-testid="race-finish" onclick={on_finish}>{ "Jump to the end" }</button>
                <label>{ "steps " }
                    <input type="number" data-testid="race-steps" min={STEPS_RANGE.0.to_string()} max={STEPS_RANGE.1.to_string()}
                        step="10" value={steps.to_string()} onchange={on_steps} />
                </label>
                <span class="race-step" data-testid="race-step" data-value={at.to_string()} aria-live="off">
                    { format!("step {at} of {}", *steps) }</span>
            </div>
            if let Some(n) = &*notice {
                <p class="alert alert-notice" role="status" data-testid="race-notice">{ n.clone() }</p>
            }
            { body }
            <p class="race-note">{ format!("Reached means f is within {} of its minimum. Each surface starts with learning rates that suit it; plain SGD, momentum and Nesterov share one.", number(s.tolerance())) }</p>
        </div>
    }
}

fn number_or_dash(v: f64) -> String {
    if v.is_finite() {
        super::svg::number_short(v)
    } else {
        "—".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standings_follow_the_steps_shown() {
        let s = Surface::IllConditioned;
        let h = Hyper::suggested(Racer::Momentum, s);
        let path = run(s, s.start(), Racer::Momentum.rule(&h), 300).unwrap();
        let reached = path
            .steps_to_minimum(s)
            .expect("momentum gets there in 300 steps");
        let before = standing(&path, s, reached - 1);
        assert_eq!(before.steps_to_min, None, "not shown yet");
        let after = standing(&path, s, 300);
        assert_eq!(after.steps_to_min, Some(reached));
        assert_eq!(standing(&path, s, 0).loss, path.losses[0]);
        assert!(after.loss < before.loss);
    }

    #[test]
    fn a_path_that_blew_up_shows_its_last_finite_point() {
        let s = Surface::IllConditioned;
        let mut h = Hyper::suggested(Racer::Sgd, s);
        h.lr = 1.0;
        let path = run(s, s.start(), Racer::Sgd.rule(&h), 300).unwrap();
        let st = standing(&path, s, 300);
        assert!(st.diverged_at.is_some());
        assert!(st.loss.is_finite() && st.position.0.is_finite());
    }

    #[test]
    fn on_the_default_race_momentum_beats_sgd_at_the_same_rate() {
        let s = Surface::IllConditioned;
        let hyper = suggested(s);
        assert_eq!(hyper[0].lr, hyper[1].lr, "the same learning rate");
        let paths = run_all(s, s.start(), &hyper, DEFAULT_STEPS);
        let paths = paths.as_ref().as_ref().unwrap();
        let sgd = paths[0].steps_to_minimum(s).unwrap_or(usize::MAX);
        let momentum = paths[1].steps_to_minimum(s).unwrap();
        assert!(momentum < sgd, "momentum {momentum}, SGD {sgd}");
    }
}
