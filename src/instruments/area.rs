//! The "Instruments" area of the playground: a section per instrument, each drawn only while it
//! is open, so a closed one costs nothing.

use std::rc::Rc;

use np_engine::train::LandscapeRequest;
use yew::prelude::*;

use super::approximation::Approximation;
use super::landscape::LossLandscape;
use super::race::OptimizerRace;
use super::{LandscapeSlot, SharedTrail};
use crate::config::Config;
use crate::session::Snapshot;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct InstrumentsAreaProps {
    /// Open the race when the page opens (the optimizers lesson points at it).
    #[prop_or_default]
    pub race_open: bool,
    /// Open the landscape when the page opens (the linear-regression lesson points at it).
    #[prop_or_default]
    pub landscape_open: bool,
    /// Open the function-approximation view (the universal-approximation lesson points at it).
    #[prop_or_default]
    pub approximation_open: bool,
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
    pub snapshot: Rc<Snapshot>,
    pub landscape: LandscapeSlot,
    pub on_landscape: Callback<LandscapeRequest>,
}

/// A `<details>` that reports whether it is open and renders its body only then.
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
        <details class="np-panel instrument-panel" data-testid={testid} open={**open} {ontoggle}>
            <summary data-testid={format!("{testid}-toggle")}><h3>{ title }</h3></summary>
            if **open { { body } }
        </details>
    }
}

#[function_component(InstrumentsArea)]
pub fn instruments_area(props: &InstrumentsAreaProps) -> Html {
    let race_open = use_state(|| props.race_open);
    let landscape_open = use_state(|| props.landscape_open);
    // A link with the step construction is about this view: it opens with it.
    let approximation_open = use_state(|| props.approximation_open || props.config.steps.is_some());
    // The path is recorded whether the landscape is open or not, so opening it after training
    // still shows where the run went.
    let trail = use_memo((), |_| SharedTrail::default());
    // Recorded while rendering (once per snapshot), so the panel below draws this snapshot's
    // point. Version 0 is the placeholder drawn before the host's first snapshot.
    let snap = &props.snapshot;
    if snap.version > 0 {
        trail
            .0
            .borrow_mut()
            .record_once(snap.version, snap.epoch, &snap.layers);
    }
    html! {
        <section class="area area-instruments" data-testid="area-instruments" aria-label="Instruments">
            <h2>{ "Instruments" }</h2>
            { section("panel-approximation", "Function approximation", &approximation_open, html! {
                <Approximation snapshot={props.snapshot.clone()} config={props.config.clone()} on_action={props.on_action.clone()} />
            }) }
            { section("panel-landscape", "Loss landscape", &landscape_open, html! {
                <LossLandscape snapshot={props.snapshot.clone()} trail={(*trail).clone()} slot={props.landscape.clone()}
                    on_request={props.on_landscape.clone()} />
            }) }
            { section("panel-race", "Optimizer race", &race_open, html! { <OptimizerRace /> }) }
        </section>
    }
}
