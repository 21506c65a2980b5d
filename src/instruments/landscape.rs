//! The loss landscape (`panel-landscape`): the training loss over a plane through the current
//! weights, as filled contours with their scale, and the path the run took. The host computes
//! the grid (`Command::Landscape`, `Trainer::landscape`, off the page's thread); this module
//! records the path from the snapshots' weights and draws.
//!
//! For the two-parameter model (one input, no hidden layer) the axes are `w` and `b`, and the
//! path is drawn live from every snapshot. For any other network the plane is cut along two
//! filter-normalized random directions, and the path is the recorded weights projected onto it
//! when the grid was computed.

use std::rc::Rc;

use np_engine::train::{Directions, Landscape, LandscapeRequest, LANDSCAPE_SIZES};
use yew::prelude::*;

use super::contour::{bilinear, filled, Contours, Frame};
use super::svg::{legend, number_short, points_attr};
use super::{LandscapeSlot, SharedTrail};
use crate::components::pixel_canvas::PixelCanvas;
use crate::engine::Answer;
use crate::session::Snapshot;

const MAP: f64 = 360.0;
/// The random directions' seed (fixed, so Recompute after training shows the same plane).
const SEED: u64 = 1;

#[derive(Properties, PartialEq)]
pub struct LossLandscapeProps {
    /// Redraws the live path with every snapshot.
    pub snapshot: Rc<Snapshot>,
    pub trail: SharedTrail,
    pub slot: LandscapeSlot,
    pub on_request: Callback<LandscapeRequest>,
}

/// The picture of a computed landscape.
fn contours_of(l: &Landscape) -> Contours {
    let frame = frame_of(l);
    filled(frame, |a, b| {
        let u = (a - l.a_range.0) / (l.a_range.1 - l.a_range.0);
        let v = (b - l.b_range.0) / (l.b_range.1 - l.b_range.0);
        bilinear(&l.loss, l.size, l.size, u, v)
    })
}

fn frame_of(l: &Landscape) -> Frame {
    Frame {
        x: l.a_range,
        y: l.b_range,
        width: MAP,
        height: MAP,
    }
}

/// The directions in words.
pub fn directions_text(l: &Landscape) -> String {
    match l.directions {
        Directions::Parameters => {
            "The axes are the model's two parameters themselves: the weight w across, the bias b up. This is the exact loss surface.".into()
        }
        Directions::FilterNormalized { seed } => format!(
            "A slice through the current weights (the centre) along two random directions, filter-normalized as Li et al. (2018) do: each layer's part of a direction is scaled to the size of that layer's weights, and the biases are not moved. Seed {seed}; the axes count steps of one direction."
        ),
    }
}

#[function_component(LossLandscape)]
pub fn loss_landscape(props: &LossLandscapeProps) -> Html {
    let trail = props.trail.0.clone();
    let size = use_state(|| LANDSCAPE_SIZES.0);
    let request = {
        let (trail, size, on_request) = (trail.clone(), size.clone(), props.on_request.clone());
        Callback::from(move |_: ()| {
            on_request.emit(LandscapeRequest {
                size: *size,
                seed: SEED,
                trajectory: trail.borrow().points.clone(),
            })
        })
    };
    // Opening the panel computes a first picture.
    {
        let request = request.clone();
        use_effect_with((), move |_| request.emit(()));
    }
    let on_size = {
        let size = size.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Ok(n) = v.parse::<usize>() {
                size.set(n.clamp(LANDSCAPE_SIZES.0, LANDSCAPE_SIZES.1));
            }
        })
    };
    let contours = use_memo(props.slot.result.as_ref().map(Answer::key), {
        let result = props.slot.result.clone();
        move |_| match result.as_deref() {
            Some(Ok(l)) => Some(contours_of(l)),
            _ => None,
        }
    });
    let live = trail.borrow().two_parameters();
    let live_end = live.as_ref().and_then(|p| p.last().copied());

    let picture = match (props.slot.result.as_deref(), contours.as_ref()) {
        (Some(Ok(l)), Some(c)) => {
            let frame = frame_of(l);
            // Two parameters: the live path in true (w, b); otherwise the projection made with
            // the grid.
            let path: Vec<(f64, f64)> = match (&l.directions, &live) {
                (Directions::Parameters, Some(p)) => p.clone(),
                _ => l.path.clone(),
            };
            let px: Vec<(f64, f64)> = path
                .iter()
                .map(|&(a, b)| frame.to_px_bounded(a, b))
                .collect();
            let (cx, cy) = frame.to_px(l.center.0, l.center.1);
            let (mx, my) = frame.to_px(l.min.0, l.min.1);
            let end = px.last().copied();
            let (a_name, b_name) = match l.directions {
                Directions::Parameters => ("w", "b"),
                Directions::FilterNormalized { .. } => ("α (direction 1)", "β (direction 2)"),
            };
            html! { <>
                <div class="race-map-wrap">
                    <div class="race-map landscape-map">
                        <PixelCanvas pixels={c.pixels.clone()} class={classes!("race-contours")} testid="landscape-contours"
                            label="Filled contours of the training loss" />
                        <svg class="race-overlay" data-testid="landscape-map" viewBox={format!("0 0 {MAP} {MAP}")} role="img"
                            aria-label="The run's path over the loss landscape">
                            <polyline points={points_attr(px.clone())} class="race-halo" />
                            <polyline points={points_attr(px)} fill="none" stroke="#d55e00" stroke-width="2" data-testid="landscape-path" />
                            <circle cx={format!("{mx:.1}")} cy={format!("{my:.1}")} r="5" class="landscape-min-mark" />
                            <circle cx={format!("{cx:.1}")} cy={format!("{cy:.1}")} r="4" class="race-start" />
                            if let Some((ex, ey)) = end {
                                <circle cx={format!("{ex:.1}")} cy={format!("{ey:.1}")} r="4" fill="#d55e00" stroke="#ffffff" />
                            }
                        </svg>
                        <span class="landscape-axis landscape-axis-a">{ format!("{a_name}: {} to {}", number_short(l.a_range.0), number_short(l.a_range.1)) }</span>
                        <span class="landscape-axis landscape-axis-b">{ format!("{b_name}: {} to {}", number_short(l.b_range.0), number_short(l.b_range.1)) }</span>
                    </div>
                    { legend(c, "training loss (log scale)", "landscape-legend") }
                </div>
                <p class="landscape-directions" data-testid="landscape-directions">{ directions_text(l) }</p>
                <ul class="landscape-readouts">
                    <li data-testid="landscape-grid" data-value={l.size.to_string()}>{ format!("Grid: {0} × {0} points.", l.size) }</li>
                    <li data-testid="landscape-center-loss" data-value={l.center_loss.to_string()}>
                        { format!("Loss at the current weights (the ring): {}", number_short(l.center_loss)) }</li>
                    <li data-testid="landscape-min" data-value={l.min.2.to_string()} data-a={l.min.0.to_string()} data-b={l.min.1.to_string()}>
                        { format!("Lowest on the grid (the dot): {} at {a_name} = {}, {b_name} = {}", number_short(l.min.2), number_short(l.min.0), number_short(l.min.1)) }</li>
                </ul>
            </> }
        }
        (Some(Err(why)), _) => {
            html! { <p class="alert alert-notice" role="status" data-testid="landscape-error">{ why.clone() }</p> }
        }
        _ => html! { <p data-testid="landscape-waiting">{ "Computing the landscape…" }</p> },
    };

    html! {
        <div class="landscape" data-testid="landscape" data-answers={props.slot.answers.to_string()}>
            <p class="landscape-intro">{ "The training loss around the current weights: light is low, dark is high, each band a fixed factor above the one below. The orange line is the path training took to get here." }</p>
            <div class="race-controls">
                <button type="button" class="btn" data-testid="landscape-recompute" disabled={props.slot.busy}
                    onclick={let r = request.clone(); Callback::from(move |_: MouseEvent| r.emit(()))}>{ "Recompute" }</button>
                <label>{ "grid " }
                    <select data-testid="landscape-size" onchange={on_size}>
                        { for [LANDSCAPE_SIZES.0, 61, 81].iter().map(|n| html! {
                            <option value={n.to_string()} selected={*n == *size}>{ format!("{n} × {n}") }</option>
                        }) }
                    </select>
                </label>
                if props.slot.busy { <span role="status">{ "computing…" }</span> }
                if let Some((w, b)) = live_end {
                    <span class="landscape-live" data-testid="landscape-path-end" data-w={w.to_string()} data-b={b.to_string()}>
                        { format!("now: w = {}, b = {}", number_short(w), number_short(b)) }</span>
                }
            </div>
            { picture }
        </div>
    }
}
