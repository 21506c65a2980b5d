//! The confusion matrix panel (classification), as a picture and as numbers, on the training
//! or the test points; for regression it shows predicted against true values instead.

use std::rc::Rc;

use yew::prelude::*;

use super::hidden::select_value;
use super::inspection::Inspection;
use crate::analysis::confusion::Confusion;
use crate::components::png_button::PngButton;
use crate::draw::confusion::{matrix_scene, residual_scene};
use crate::draw::scene_canvas::SceneCanvas;
use np_engine::train::metrics::predicted_class;

#[derive(Properties, PartialEq)]
pub struct ConfusionPanelProps {
    pub inspection: Rc<Inspection>,
}

#[function_component(ConfusionPanel)]
pub fn confusion_panel(props: &ConfusionPanelProps) -> Html {
    let ins = &props.inspection;
    let use_test = use_state(|| false);
    // An empty test split (100 % training) falls back to the training points.
    let on_test = *use_test && !ins.test.inputs.is_empty();
    let batch = if on_test { &ins.test } else { &ins.train };
    // The training split's outputs are already in the shared forward pass.
    let outputs = if on_test {
        ins.forward_with(&ins.net.layers, &batch.inputs)
            .post
            .pop()
            .unwrap_or_default()
    } else {
        ins.forward.post.last().cloned().unwrap_or_default()
    };
    let on_split = {
        let use_test = use_test.clone();
        Callback::from(move |e: Event| use_test.set(select_value(&e).as_deref() == Some("test")))
    };
    let split_name = if on_test { "test" } else { "training" };
    let body = if ins.is_classification() {
        let c = Confusion::from_pairs(
            ins.classes,
            batch
                .labels
                .iter()
                .zip(&outputs)
                .map(|(&l, o)| (l as usize, predicted_class(o, ins.net.output))),
        );
        let scene = matrix_scene(&c, 300.0, 260.0);
        html! {
            <>
                <SceneCanvas scene={scene} label={format!("Confusion matrix on the {split_name} points")}
                    testid={Some(AttrValue::from("confusion-canvas"))} />
                <table class="np-table" data-testid="confusion-table" aria-label="Confusion matrix counts">
                    <thead><tr><th>{ "true \\ predicted" }</th>{ for (0..c.classes).map(|p| html! { <th>{ format!("class {p}") }</th> }) }</tr></thead>
                    <tbody>
                        { for (0..c.classes).map(|a| html! {
                            <tr>
                                <th>{ format!("class {a}") }</th>
                                { for (0..c.classes).map(|p| html! {
                                    <td data-testid={format!("confusion-cell-{a}-{p}")}>{ c.counts[a][p] }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p class="np-note">{ "Accuracy " }<span data-testid="confusion-accuracy">{ format!("{:.4}", c.accuracy()) }</span>
                    { format!(" on {} {split_name} points (at most {} shown).", c.total(), super::inspection::SAMPLE_LIMIT) }</p>
            </>
        }
    } else {
        let predicted: Vec<f64> = outputs
            .iter()
            .map(|o| o.first().copied().unwrap_or(f64::NAN))
            .collect();
        let mse = batch
            .labels
            .iter()
            .zip(&predicted)
            .map(|(t, p)| (t - p).powi(2))
            .sum::<f64>()
            / batch.labels.len().max(1) as f64;
        html! {
            <>
                <SceneCanvas scene={residual_scene(&batch.labels, &predicted, 300.0, 260.0)}
                    label={format!("Predicted against true values on the {split_name} points")}
                    testid={Some(AttrValue::from("confusion-canvas"))} />
                <p class="np-note">{ format!("Regression has no classes to confuse: predicted against true value instead. Mean squared error {mse:.4}.") }</p>
            </>
        }
    };
    html! {
        <section class="np-panel" data-testid="panel-confusion" aria-label="Confusion matrix">
            <h3>{ if ins.is_classification() { "Confusion matrix" } else { "Predicted against true" } }</h3>
            <PngButton panel="panel-confusion" />
            <div class="np-controls">
                <label>{ "Points " }
                    <select data-testid="confusion-split" onchange={on_split} aria-label="Training or test points">
                        <option value="train" selected={!*use_test}>{ "training" }</option>
                        <option value="test" selected={*use_test}>{ "test" }</option>
                    </select>
                </label>
            </div>
            { body }
        </section>
    }
}
