//! Output: the decision boundary (or regression surface, or 1-D fit) with the data, and the
//! current losses and accuracies as plain numbers.

use std::rc::Rc;

use yew::prelude::*;

use super::data::DataFetch;
use super::fields::checkbox;
use super::pixel_canvas::PixelCanvas;
use super::png_button::PngButton;
use super::wide_view::WideView;
use crate::analysis::summary::thousands;
use crate::config::Config;
use crate::draw::plane::{curve_image, output_image, Palette};
use crate::session::{Snapshot, TRAIN_METRIC_ROWS};
use crate::state::Action;

/// Side of the output image in pixels.
const SIZE: u32 = 320;

#[derive(Properties, PartialEq)]
pub struct OutputAreaProps {
    pub config: Rc<Config>,
    pub snapshot: Rc<Snapshot>,
    pub on_action: Callback<Action>,
    #[prop_or_default]
    pub fetch: DataFetch,
}

/// A metric as the DOM contract wants it: a plain number, empty when not defined.
pub fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The value in full (the shortest text that reads back to it), for `data-value`: pages and
/// tests that compare runs read this, not the rounded text.
fn exact(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The output picture's text alternative: what it shows, and how well the network does in
/// numbers (test accuracy for classes, test loss for regression), since the colours say it only
/// to those who see them.
pub fn boundary_words(classification: bool, one_d: bool, r: &crate::session::Record) -> String {
    let what = match (classification, one_d) {
        (true, _) => "The network's decision boundary over the input plane, with the data points",
        (false, true) => "The network's fitted curve over the inputs, with the data points",
        (false, false) => "The network's output over the input plane, with the data points",
    };
    let score = if classification {
        r.acc_test
            .filter(|v| v.is_finite())
            .map(|a| format!("test accuracy {:.1} %", a * 100.0))
    } else {
        r.loss_test
            .filter(|v| v.is_finite())
            .map(|l| format!("test loss {}", number(Some(l))))
    };
    match score {
        Some(score) => format!("{what}; {score}"),
        None => format!("{what}; not trained yet"),
    }
}

#[function_component(OutputArea)]
pub fn output_area(props: &OutputAreaProps) -> Html {
    let c = &props.config;
    let s = &props.snapshot;
    let palette = Palette {
        classes: s.data.classes,
        discretize: c.discretize,
    };
    let deps = (s.version, c.discretize, c.show_test_data);
    let pixels = {
        let s = s.clone();
        let one_d = c.active_dataset().is_one_dimensional();
        let show_test = c.show_test_data;
        let planar = c.active_dataset().is_planar();
        use_memo(deps, move |_| {
            let test = show_test.then_some(s.data.test.as_slice());
            if !planar {
                // `output` holds the test sample's rows here, not a grid (`WideView` draws it).
                return crate::draw::Pixels {
                    width: 1,
                    height: 1,
                    rgba: Rc::new(vec![255; 4]),
                };
            }
            if one_d {
                // Row 0 of the grid runs along x at the plane's top; with one input every row
                // is the same curve.
                let curve: Vec<f64> = s
                    .output
                    .iter()
                    .take(s.grid)
                    .map(|o| o.first().copied().unwrap_or(0.0))
                    .collect();
                curve_image(&curve, &s.data.extent, &s.data.train, test, SIZE)
            } else {
                output_image(
                    &s.output,
                    s.grid,
                    palette,
                    &s.data.extent,
                    &s.data.train,
                    test,
                    SIZE,
                )
            }
        })
    };
    let emit = |f: fn(bool) -> Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |v: bool| on_action.emit(f(v)))
    };
    let r = &s.latest;
    let classification = s.data.classes > 1;
    let show = |name: &'static str, h: Html| super::guard::guard(c, name, h);
    let planar = c.active_dataset().is_planar();
    let view = if planar {
        html! {
            <>
                <PngButton panel="panel-boundary" />
                <div class="plane">
                    <PixelCanvas pixels={(*pixels).clone()} class="plane-canvas" testid="boundary"
                        label={boundary_words(classification, c.active_dataset().is_one_dimensional(), r)} />
                    <span class="axis axis-x">{ if c.active_dataset().is_one_dimensional() { "X1 →, target ↑" } else { "X1 →" } }</span>
                </div>
            </>
        }
    } else if s.data.wide.is_some() {
        html! { <WideView snapshot={s.clone()} /> }
    } else {
        match &props.fetch {
            DataFetch::Failed { why, .. } => html! { <p class="alert alert-error">{ why }</p> },
            _ => {
                html! { <p class="hint" data-testid="wide-waiting">{ format!("The {} data is on its way; its views appear once it has arrived.", c.active_dataset().label()) }</p> }
            }
        }
    };
    html! {
        <div class="output-panel" data-testid="panel-boundary">
            { view }
            <dl class="metrics">
                <dt>{ "Training loss" }</dt><dd><output data-testid="loss-train" data-value={exact(Some(r.loss_train))}>{ number(Some(r.loss_train)) }</output></dd>
                <dt>{ "Test loss" }</dt><dd><output data-testid="loss-test" data-value={exact(r.loss_test)}>{ number(r.loss_test) }</output></dd>
                { if r.loss_val.is_some() { html! { <>
                    <dt>{ "Validation loss" }</dt><dd><output data-testid="loss-val">{ number(r.loss_val) }</output></dd>
                </> } } else { html! {} } }
                { if classification { html! { <>
                    <dt>{ "Training accuracy" }</dt><dd><output data-testid="accuracy-train">{ number(r.acc_train) }</output></dd>
                    <dt>{ "Test accuracy" }</dt><dd><output data-testid="accuracy-test">{ number(r.acc_test) }</output></dd>
                </> } } else { html! {} } }
                // The ROC curve's area needs a positive class: two classes only.
                { if s.data.classes == 2 { html! { <>
                    <dt><abbr title="Area under the ROC curve: the chance that a random class-1 point scores above a random class-0 point (0.5 is guessing)">{ "Test AUC" }</abbr></dt>
                    <dd><output data-testid="auc-test" data-value={exact(r.auc_test)}>{ number(r.auc_test) }</output></dd>
                </> } } else { html! {} } }
            </dl>
            { train_metric_note(&s.data) }
            if planar {
                <div class="output-options">
                    { show("showTestData", checkbox("show-test-data", "Show test data", c.show_test_data, emit(Action::SetShowTestData))) }
                    { show("discretize", checkbox("discretize", "Discretize output", c.discretize, emit(Action::SetDiscretize))) }
                </div>
            }
        </div>
    }
}

/// Says so when the training metrics stand on a part of a large training set
/// (`session::TRAIN_METRIC_ROWS`): a student comparing them with the test metrics should know.
fn train_metric_note(data: &crate::session::Data) -> Html {
    let rows = data.wide.as_ref().map_or(data.train.len(), |w| w.counts[0]);
    if rows <= TRAIN_METRIC_ROWS {
        return html! {};
    }
    html! {
        <p class="hint" data-testid="train-metric-note">{ format!(
            "The training loss and accuracy are measured on {} evenly spaced rows of the {} training rows, so that measuring takes little of the time; the test figures use every test row.",
            thousands(TRAIN_METRIC_ROWS), thousands(rows)) }</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Record;

    #[test]
    fn the_picture_says_its_score_in_words() {
        let r = Record {
            epoch: 3,
            loss_train: 0.3,
            loss_test: Some(0.25),
            loss_val: None,
            acc_train: Some(0.9),
            acc_test: Some(0.875),
            auc_test: None,
        };
        assert_eq!(
            boundary_words(true, false, &r),
            "The network's decision boundary over the input plane, with the data points; test accuracy 87.5 %"
        );
        assert_eq!(
            boundary_words(false, true, &r),
            "The network's fitted curve over the inputs, with the data points; test loss 0.2500"
        );
        let fresh = Record {
            acc_test: None,
            ..r
        };
        assert_eq!(
            boundary_words(true, false, &fresh),
            "The network's decision boundary over the input plane, with the data points; not trained yet"
        );
    }
}
