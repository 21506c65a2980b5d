//! The activation function panel: f and f' of every activation, a movable z marker with the
//! read-outs, the live histogram of a layer's pre-activations behind the curves, per-layer
//! saturated / dead unit shares, and softmax worked on a 3-vector.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hidden::{input_value, select_value};
use super::inspection::Inspection;
use crate::analysis::activation::{softmax, softmax_jacobian, Curve};
use crate::analysis::units::{concern, unit_shares, Concern};
use crate::components::guard::guard;
use crate::components::png_button::PngButton;
use crate::config::fields::{Field, ELU_ALPHA, LEAKY_RELU_ALPHA};
use crate::config::Config;
use crate::draw::activation::{curve_scene, softmax_scene};
use crate::draw::scene_canvas::SceneCanvas;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ActivationPanelProps {
    pub inspection: Rc<Inspection>,
    /// The experiment: the alphas the network trains with, and which controls are hidden.
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
}

/// An alpha the network trains with: its value, its field row and the action that sets it.
type TrainedAlpha = (f64, &'static Field, fn(f64) -> Action);

/// The config's alpha of the curve named `name`; `None` for curves without an alpha.
fn trained_alpha(name: &str, c: &Config) -> Option<TrainedAlpha> {
    match name {
        "leakyrelu" => Some((
            c.leaky_relu_alpha,
            &LEAKY_RELU_ALPHA,
            Action::SetLeakyReluAlpha,
        )),
        "elu" => Some((c.elu_alpha, &ELU_ALPHA, Action::SetEluAlpha)),
        _ => None,
    }
}

/// The picker's entries: every curve, then softmax (which is not a curve of one variable).
fn names() -> impl Iterator<Item = &'static str> {
    Curve::ALL
        .iter()
        .map(|c| c.name())
        .chain(std::iter::once("softmax"))
}

fn label(name: &str) -> &'static str {
    match name {
        "sigmoid" => "Sigmoid",
        "tanh" => "tanh",
        "relu" => "ReLU",
        "leakyrelu" => "Leaky ReLU",
        "elu" => "ELU",
        "linear" => "Linear",
        "step" => "Step (McCulloch-Pitts)",
        _ => "Softmax (3-vector)",
    }
}

#[function_component(ActivationPanel)]
pub fn activation_panel(props: &ActivationPanelProps) -> Html {
    let ins = &props.inspection;
    let hidden = ins.hidden_layers();
    let layer_choice = use_state(|| 0usize);
    let layer = (*layer_choice).min(hidden.saturating_sub(1));
    let layer_curve = ins.net.curves.get(layer).copied();
    // None follows the chosen layer's activation.
    let picked = use_state(|| None::<String>);
    // The alpha while the slider is dragged; on release it goes to the config.
    let alpha = use_state(|| None::<f64>);
    let z = use_state(|| 1.0_f64);
    let soft = use_state(|| [1.0_f64, 2.0, 0.5]);

    let name = picked
        .as_deref()
        .map(str::to_string)
        .unwrap_or_else(|| layer_curve.map_or("tanh", Curve::name).to_string());
    let trained = trained_alpha(&name, &props.config);
    let a = alpha.unwrap_or(trained.map_or(0.0, |(a, ..)| a));
    let curve = Curve::from_name(&name, a);
    let pre: Vec<f64> = ins
        .forward
        .pre
        .get(layer)
        .filter(|_| layer < hidden)
        .map(|rows| rows.iter().flatten().copied().collect())
        .unwrap_or_default();

    let on_curve = {
        let picked = picked.clone();
        let alpha = alpha.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = select_value(&e) {
                alpha.set(None);
                picked.set(Some(v));
            }
        })
    };
    let on_alpha = {
        let alpha = alpha.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.parse().ok()) {
                alpha.set(Some(v));
            }
        })
    };
    let on_alpha_release = {
        let alpha = alpha.clone();
        let on_action = props.on_action.clone();
        let set = trained.map(|(_, _, set)| set);
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|el| el.value().parse::<f64>().ok());
            if let (Some(v), Some(set)) = (value, set) {
                on_action.emit(set(v));
            }
            alpha.set(None);
        })
    };
    let alpha_control =
        trained.filter(|(_, field, _)| field.hide.is_none_or(|h| props.config.shows(h)));
    let on_z = {
        let z = z.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.parse().ok()) {
                z.set(v);
            }
        })
    };
    let on_layer = {
        let layer_choice = layer_choice.clone();
        Callback::from(move |e: Event| {
            if let Some(l) = select_value(&e).and_then(|v| v.parse().ok()) {
                layer_choice.set(l);
            }
        })
    };
    let soft_input = |i: usize| {
        let soft = soft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite())
            {
                let mut next = *soft;
                next[i] = v.clamp(-50.0, 50.0);
                soft.set(next);
            }
        })
    };

    let shares: Vec<Html> = (0..hidden)
        .map(|l| {
            let c = ins.net.curves.get(l).copied().unwrap_or(Curve::Linear);
            let s = ins.forward.pre.get(l).map(|pre| unit_shares(pre, c)).unwrap_or_default();
            // The failure mode that matters for this activation is shown in bold.
            let (dead_class, sat_class) = match concern(c) {
                Concern::Saturation => (None, Some("np-watch")),
                Concern::Dead => (Some("np-watch"), None),
                Concern::None => (None, None),
            };
            html! {
                <tr data-testid={format!("activation-share-{l}")}>
                    <td>{ format!("hidden {}", l + 1) }</td>
                    <td>{ c.name() }</td>
                    <td class={classes!(dead_class)} data-testid={format!("activation-dead-{l}")}>{ format!("{:.3}", s.dead) }</td>
                    <td class={classes!(sat_class)} data-testid={format!("activation-saturated-{l}")}>{ format!("{:.3}", s.saturated) }</td>
                    <td data-testid={format!("activation-saturated-values-{l}")}>{ format!("{:.3}", s.saturated_values) }</td>
                </tr>
            }
        })
        .collect();

    let body = match curve {
        Some(c) => {
            let scene = curve_scene(c, *z, &pre, 360.0, 230.0);
            html! {
                <>
                    if let Some((_, field, _)) = alpha_control.filter(|_| c.has_alpha()) {
                        { guard(&props.config, field.hide.unwrap_or_default(), html! {
                        <label>{ format!("alpha = {a:.2} (the network trains with it) ") }
                            <input type="range" data-testid="activation-alpha"
                                min={field.range().map_or(0.0, |r| r.0).to_string()} max={field.range().map_or(2.0, |r| r.1).to_string()} step="0.01"
                                value={a.to_string()} oninput={on_alpha} onchange={on_alpha_release} aria-label="alpha of leaky ReLU or ELU" />
                        </label>
                        }) }
                    }
                    <label>{ "z " }
                        <input type="range" data-testid="activation-z" min="-6" max="6" step="0.1"
                            value={z.to_string()} oninput={on_z} aria-label="Position of the z marker" />
                    </label>
                    <p class="np-note">{ "Units count as saturated when f' is below 5 % of its peak on at least 90 % of the points, as dead when z <= 0 on every point." }</p>
                    <p class="np-readout">
                        { format!("z = {:.2}: f(z) = ", *z) }<span data-testid="activation-fz">{ format!("{:.4}", c.f(*z)) }</span>
                        { ", f'(z) = " }<span data-testid="activation-dfz">{ format!("{:.4}", c.df(*z)) }</span>
                    </p>
                    // The page's one activation chart.
                    <div data-testid="chart-activations">
                        <SceneCanvas scene={scene} label={format!("{} and its derivative, with the pre-activations of hidden layer {}", c.name(), layer + 1)}
                            testid={Some(AttrValue::from("activation-canvas"))} />
                    </div>
                </>
            }
        }
        None => {
            let p = softmax(&soft[..]);
            let j = softmax_jacobian(&soft[..]);
            let scene = softmax_scene(&soft[..], &p, 360.0, 200.0);
            html! {
                <>
                    <div class="np-controls">
                        { for (0..3).map(|i| html! {
                            <label>{ format!("z{} ", i + 1) }
                                <input type="number" step="0.1" data-testid={format!("softmax-z{}", i + 1)}
                                    value={soft[i].to_string()} oninput={soft_input(i)}
                                    aria-label={format!("softmax input {}", i + 1)} />
                            </label>
                        }) }
                    </div>
                    <p class="np-readout" data-testid="softmax-p">
                        { format!("softmax(z) = ({:.3}, {:.3}, {:.3}), sum 1", p[0], p[1], p[2]) }
                    </p>
                    <SceneCanvas scene={scene} label="softmax of a 3-vector" testid={Some(AttrValue::from("activation-canvas"))} />
                    <table class="np-table" aria-label="softmax Jacobian">
                        <caption>{ "Its derivative is a matrix: d p_i / d z_j = p_i (delta_ij - p_j)" }</caption>
                        { for j.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|v| html! { <td>{ format!("{v:.3}") }</td> }) }</tr>
                        }) }
                    </table>
                </>
            }
        }
    };

    html! {
        <section class="np-panel" data-testid="panel-activation" aria-label="Activation functions">
            <h3>{ "Activation functions" }</h3>
            <PngButton panel="panel-activation" />
            <div class="np-controls">
                <label>{ "Function " }
                    <select data-testid="activation-curve" onchange={on_curve} aria-label="Activation function to plot">
                        { for names().map(|n| html! { <option value={n} selected={n == name}>{ label(n) }</option> }) }
                    </select>
                </label>
                if hidden > 0 {
                    <label>{ "Histogram of " }
                        <select data-testid="activation-layer" onchange={on_layer} aria-label="Layer whose pre-activations are shown">
                            { for (0..hidden).map(|l| html! {
                                <option value={l.to_string()} selected={l == layer}>{ format!("hidden {} ({})", l + 1, ins.net.curves.get(l).map_or("", |c| c.name())) }</option>
                            }) }
                        </select>
                    </label>
                }
            </div>
            { body }
            if hidden > 0 {
                <table class="np-table" data-testid="activation-shares" aria-label="Saturated and dead units per layer">
                    <thead><tr><th>{ "Layer" }</th><th>{ "f" }</th><th>{ "dead share" }</th><th>{ "saturated share" }</th><th>{ "values in saturation" }</th></tr></thead>
                    <tbody>{ for shares }</tbody>
                </table>
            }
        </section>
    }
}
