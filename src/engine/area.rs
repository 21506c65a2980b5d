//! The "Inside the engine" area: the graph panel, the backprop stepper and the gradient check,
//! each in a section the student opens. A closed graph panel asks the host for nothing.

use std::rc::Rc;

use np_engine::train::{GradCheck, StepExplanation};
use yew::prelude::*;

use super::gradcheck::GradientCheck;
use super::graph_panel::GraphPanel;
use super::stepper::Stepper;
use super::{Answer, EngineAsk};
use crate::session::Snapshot;

#[derive(Properties, PartialEq)]
pub struct EngineAreaProps {
    pub snapshot: Rc<Snapshot>,
    pub graph: Option<Answer<Result<StepExplanation, String>>>,
    pub step: Option<Answer<Result<StepExplanation, String>>>,
    pub check: Option<Answer<Result<GradCheck, String>>>,
    pub checking: bool,
    pub on_ask: Callback<EngineAsk>,
    pub on_focus: Callback<Option<usize>>,
}

/// A section that reports whether it is open.
fn section(
    testid: &'static str,
    title: &'static str,
    open: &UseStateHandle<bool>,
    body: Html,
) -> Html {
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el = e.target_unchecked_into::<web_sys::Element>();
            open.set(el.has_attribute("open"));
        })
    };
    html! {
        <details class="np-panel engine-panel" data-testid={testid} open={**open} {ontoggle}>
            <summary><h3>{ title }</h3></summary>
            if **open { { body } }
        </details>
    }
}

#[function_component(EngineArea)]
pub fn engine_area(props: &EngineAreaProps) -> Html {
    let graph_open = use_state(|| false);
    let stepper_open = use_state(|| false);
    let check_open = use_state(|| false);
    html! {
        <div class="engine-area">
            { section("open-graph", "The step's graph", &graph_open, html! {
                <GraphPanel explained={props.graph.clone()} version={props.snapshot.version} on_ask={props.on_ask.clone()} />
            }) }
            { section("open-stepper", "Backprop, step by step", &stepper_open, html! {
                <Stepper explained={props.step.clone()} train_rows={props.snapshot.data.train.len()} on_ask={props.on_ask.clone()}
                    on_focus={props.on_focus.clone()} />
            }) }
            { section("open-gradient-check", "Gradient check", &check_open, html! {
                <GradientCheck result={props.check.clone()} busy={props.checking} on_ask={props.on_ask.clone()} />
            }) }
        </div>
    }
}
