//! The graph panel (`data-testid="panel-graph"`): the engine's recorded graph of the next
//! training step, every node with its value and gradient, following training at the panels'
//! pace; it can be frozen on one step.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use np_engine::train::{StepExplanation, StepPick};
use yew::prelude::*;

use super::{Answer, EngineAsk};
use crate::components::graph_view::GraphView;
use crate::inspector::container::PANEL_INTERVAL_MS;
use crate::protocol::EngineView;

/// Networks deeper than this open with their middle layers collapsed.
const OPEN_LAYERS: usize = 3;

#[derive(Properties, PartialEq)]
pub struct GraphPanelProps {
    pub explained: Option<Answer<Result<StepExplanation, String>>>,
    /// The snapshot's version: a new one means the run moved, so the graph is asked again.
    pub version: u64,
    pub on_ask: Callback<EngineAsk>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[function_component(GraphPanel)]
pub fn graph_panel(props: &GraphPanelProps) -> Html {
    let frozen = use_state(|| false);
    let asked_at = use_mut_ref(|| f64::NEG_INFINITY);
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let (on_ask, asked_at, pending) = (props.on_ask.clone(), asked_at.clone(), pending.clone());
        use_effect_with((props.version, *frozen), move |&(_, frozen)| {
            if !frozen {
                let ask =
                    move || on_ask.emit(EngineAsk::Explain(StepPick::NextBatch, EngineView::Graph));
                let wait = *asked_at.borrow() + PANEL_INTERVAL_MS - now();
                if wait <= 0.0 {
                    *asked_at.borrow_mut() = now();
                    ask();
                } else if pending.borrow().is_none() {
                    // At the panels' pace: the latest state, once the interval has passed.
                    let (asked_at, again) = (asked_at.clone(), pending.clone());
                    *pending.borrow_mut() = Some(Timeout::new(wait as u32, move || {
                        *asked_at.borrow_mut() = now();
                        again.borrow_mut().take();
                        ask();
                    }));
                }
            }
        });
    }
    let toggle = {
        let frozen = frozen.clone();
        Callback::from(move |_| frozen.set(!*frozen))
    };
    // Shared once per explanation rather than copied per render.
    let traced = use_memo(props.explained.as_ref().map(Answer::key), {
        let explained = props.explained.clone();
        move |_| {
            explained.as_deref().map(|r| {
                r.as_ref()
                    .map(|e| (e.layers.len(), Rc::new(e.trace.clone())))
                    .map_err(String::clone)
            })
        }
    });
    let body = match (*traced).clone() {
        None => html! { <p class="np-note">{ "Recording a step…" }</p> },
        Some(Err(why)) => {
            html! { <p class="np-note np-error" data-testid="graph-error">{ why.clone() }</p> }
        }
        Some(Ok((layers, trace))) => {
            let collapsed: Vec<String> = if layers > OPEN_LAYERS {
                (2..layers).map(|l| format!("dense_{l}/")).collect()
            } else {
                Vec::new()
            };
            html! {
                <>
                <p class="np-note" data-testid="graph-summary">{ format!("{} nodes: the data x and the targets y enter on the left, each layer's weights join them, and the loss comes out on the right. Hover or focus a node for its value and gradient.", trace.nodes.len()) }</p>
                <GraphView {trace} collapsed={Rc::new(collapsed)} />
                </>
            }
        }
    };
    html! {
        <div class="graph-panel" data-testid="panel-graph">
            <button type="button" class="btn btn-small" data-testid="graph-freeze" aria-pressed={frozen.to_string()} onclick={toggle}>
                { if *frozen { "Follow training" } else { "Freeze on this step" } }
            </button>
            { body }
        </div>
    }
}
