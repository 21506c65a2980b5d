//! The ROC panel (two classes): the true-positive rate against the false-positive rate over
//! every threshold on the positive class's score, the area under it (AUC), and the chance line.
//! It answers what accuracy hides on skewed data: how well the scores rank the classes,
//! whatever threshold a user of the model would pick.

use std::rc::Rc;

use yew::prelude::*;

use super::hidden::select_value;
use super::inspection::Inspection;
use crate::components::png_button::PngButton;
use crate::draw::roc::roc_scene;
use crate::draw::scene_canvas::SceneCanvas;
use np_engine::train::metrics::{area_under, positive_score, roc_curve};

#[derive(Properties, PartialEq)]
pub struct RocPanelProps {
    pub inspection: Rc<Inspection>,
}

#[function_component(RocPanel)]
pub fn roc_panel(props: &RocPanelProps) -> Html {
    let ins = &props.inspection;
    // The test points by default: ranking unseen points is what the curve is for.
    let use_train = use_state(|| false);
    let on_split = {
        let use_train = use_train.clone();
        Callback::from(move |e: Event| use_train.set(select_value(&e).as_deref() == Some("train")))
    };
    let on_train = *use_train || ins.test.inputs.is_empty();
    let split_name = if on_train { "training" } else { "test" };
    let body = if ins.classes != 2 {
        let why = if ins.is_classification() {
            "The ROC curve ranks one class against another: it needs exactly two classes. With more, read the confusion matrix."
        } else {
            "The ROC curve needs classes; a regression has none."
        };
        html! { <p class="np-note" data-testid="roc-none">{ why }</p> }
    } else {
        let batch = if on_train { &ins.train } else { &ins.test };
        let outputs = if on_train {
            ins.forward.post.last().cloned().unwrap_or_default()
        } else {
            ins.forward_with(&ins.net.layers, &batch.inputs)
                .post
                .pop()
                .unwrap_or_default()
        };
        let scores: Vec<f32> = outputs.iter().map(|o| positive_score(o) as f32).collect();
        let labels: Vec<f32> = batch.labels.iter().map(|&l| l as f32).collect();
        match roc_curve(&scores, &labels) {
            None => html! {
                <p class="np-note" data-testid="roc-none">{ format!("The {split_name} points hold only one class: a ROC curve needs both.") }</p>
            },
            Some(curve) => {
                let auc = area_under(&curve);
                let label = format!(
                    "ROC curve on the {split_name} points: area under the curve {auc:.3} (0.5 is chance, 1 a perfect ranking), over {} thresholds",
                    curve.len() - 1
                );
                html! {
                    <>
                        <SceneCanvas scene={roc_scene(&curve, 300.0, 260.0)} label={label}
                            testid={Some(AttrValue::from("roc-canvas"))} />
                        <p class="np-note">{ "Area under the curve " }
                            <output data-testid="roc-auc" data-value={auc.to_string()}>{ format!("{auc:.4}") }</output>
                            { format!(" on {} {split_name} points (at most {} shown); 0.5 is guessing, 1 ranks every class-1 point above every class-0 point.",
                                scores.len(), super::inspection::SAMPLE_LIMIT) }</p>
                    </>
                }
            }
        }
    };
    html! {
        <section class="np-panel" data-testid="panel-roc" aria-label="ROC curve">
            <h3>{ "ROC curve" }</h3>
            <PngButton panel="panel-roc" />
            <div class="np-controls">
                <label>{ "Points " }
                    <select data-testid="roc-split" onchange={on_split} aria-label="Training or test points">
                        <option value="test" selected={!on_train}>{ "test" }</option>
                        <option value="train" selected={on_train}>{ "training" }</option>
                    </select>
                </label>
            </div>
            { body }
        </section>
    }
}
