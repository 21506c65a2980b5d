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
use np_engine::train::metrics::{balanced_accuracy_of, class_scores, predicted_class};

#[derive(Properties, PartialEq)]
pub struct ConfusionPanelProps {
    pub inspection: Rc<Inspection>,
}

/// Precision, recall and F1 per class, and the balanced accuracy: what a rare class's mistakes
/// look like when overall accuracy hides them (the engine's `class_scores`).
fn class_table(c: &Confusion) -> Html {
    let counts: Vec<Vec<usize>> = c
        .counts
        .iter()
        .map(|row| row.iter().map(|&n| n as usize).collect())
        .collect();
    let scores = class_scores(&counts);
    let cell = |v: Option<f32>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.3}"));
    html! {
        <>
            <table class="np-table" data-testid="class-scores" aria-label="Scores per class">
                <thead><tr>
                    <th scope="col">{ "class" }</th><th scope="col">{ "points" }</th>
                    <th scope="col">{ "precision" }</th><th scope="col">{ "recall" }</th><th scope="col">{ "F1" }</th>
                </tr></thead>
                <tbody>
                    { for scores.iter().enumerate().map(|(k, s)| html! {
                        <tr data-testid={format!("class-scores-{k}")}>
                            <th scope="row">{ format!("class {k}") }</th>
                            <td>{ s.support }</td>
                            <td data-testid={format!("precision-{k}")}>{ cell(s.precision) }</td>
                            <td data-testid={format!("recall-{k}")}>{ cell(s.recall) }</td>
                            <td data-testid={format!("f1-{k}")}>{ cell(s.f1()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="np-note">{ "Balanced accuracy " }
                <span data-testid="balanced-accuracy">{ cell(balanced_accuracy_of(&scores)) }</span>
                { ": the mean of the recalls, so a rare class counts as much as a common one. Precision: of the points called this class, the share that are; recall: of this class's points, the share found; \u{2013} where a class has no such points." }</p>
        </>
    }
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
                { class_table(&c) }
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
