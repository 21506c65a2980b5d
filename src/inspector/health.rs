//! The network-health panel: per-layer histograms of weights and of their gradients over the
//! recorded epochs, and every layer's gradient norm over time (vanishing gradients in a deep
//! sigmoid network show as the early layers' lines sinking decades below the last one).

use std::rc::Rc;

use yew::prelude::*;

use super::hidden::select_value;
use super::inspection::Inspection;
use crate::components::png_button::PngButton;
use crate::draw::health::{norms_scene, ridge_scene};
use crate::draw::scene_canvas::SceneCanvas;

#[derive(Properties, PartialEq)]
pub struct HealthPanelProps {
    pub inspection: Rc<Inspection>,
}

#[function_component(HealthPanel)]
pub fn health_panel(props: &HealthPanelProps) -> Html {
    let ins = &props.inspection;
    let layers = ins.net.layers.len();
    let choice = use_state(|| 0usize);
    let layer = (*choice).min(layers.saturating_sub(1));
    let frames = &ins.frames;
    let weights: Vec<(u64, Vec<f64>)> =
        frames.iter().map(|f| (f.epoch, f.weights(layer))).collect();
    let grads: Vec<(u64, Vec<f64>)> = frames
        .iter()
        .map(|f| (f.epoch, f.weight_grads(layer)))
        .collect();
    let norms: Vec<Vec<(u64, f64)>> = (0..layers)
        .map(|l| frames.iter().map(|f| (f.epoch, f.grad_norm(l))).collect())
        .collect();
    let latest: Vec<String> = (0..layers)
        .map(|l| frames.last().map_or(f64::NAN, |f| f.grad_norm(l)))
        .map(|v| format!("{v:.3e}"))
        .collect();
    let on_layer = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            if let Some(l) = select_value(&e).and_then(|v| v.parse().ok()) {
                choice.set(l);
            }
        })
    };
    let name = |l: usize| {
        if l + 1 == layers {
            "output".to_string()
        } else {
            format!("hidden {}", l + 1)
        }
    };
    html! {
        <section class="np-panel" data-testid="panel-health" aria-label="Network health">
            <h3>{ "Network health" }</h3>
            <PngButton panel="panel-health" />
            <div class="np-controls">
                <label>{ "Layer " }
                    <select data-testid="health-layer" onchange={on_layer} aria-label="Layer whose histograms are shown">
                        { for (0..layers).map(|l| html! { <option value={l.to_string()} selected={l == layer}>{ name(l) }</option> }) }
                    </select>
                </label>
                <span class="np-note">{ format!("{} recorded epochs", frames.len()) }</span>
            </div>
            <div class="np-canvas-row">
                <SceneCanvas scene={ridge_scene(&weights, &format!("weights of {}", name(layer)), 340.0, 200.0)}
                    label={format!("Histograms of the weights of {} over epochs", name(layer))}
                    testid={Some(AttrValue::from("health-weights"))} />
                <SceneCanvas scene={ridge_scene(&grads, &format!("gradients of {}", name(layer)), 340.0, 200.0)}
                    label={format!("Histograms of the weight gradients of {} over epochs", name(layer))}
                    testid={Some(AttrValue::from("health-gradients"))} />
            </div>
            <SceneCanvas scene={norms_scene(&norms, 420.0, 200.0)} label="Gradient norm per layer over epochs, log scale"
                testid={Some(AttrValue::from("health-norms"))} />
            <p class="np-note" data-testid="health-grad-norms">
                { "Latest full-batch gradient norms: " }
                { for (0..layers).map(|l| html! {
                    <>{ format!("{} ", name(l)) }<span data-testid={format!("health-norm-{l}")}>{ latest[l].clone() }</span>{ " " }</>
                }) }
            </p>
        </section>
    }
}
