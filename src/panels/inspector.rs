//! The container of the inspection panels: turns each session snapshot into one shared
//! `Inspection`, records the timeline of weights and gradients, and lays the panels out.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::activation::ActivationPanel;
use super::confusion::ConfusionPanel;
use super::health::HealthPanel;
use super::hidden::HiddenPanel;
use super::inspection::{frame_of, Inspection};
use super::layer_choices::LayerChoices;
use super::probe::EngineProbe;
use super::summary::SummaryPanel;
use super::timeline::{Frame, Timeline};
use crate::config::Config;
use crate::session::Snapshot;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub snapshot: Rc<Snapshot>,
    pub config: Config,
    pub on_action: Callback<Action>,
}

/// The recorded frames and the Rc the panels share, rebuilt only when a frame is added; the
/// engine probe, rebuilt only when the network's objective changes.
#[derive(Default)]
struct Memory {
    timeline: Timeline,
    shared: Rc<Vec<Frame>>,
    seen: Option<u64>,
    probe: Option<EngineProbe>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let memory = use_mut_ref(Memory::default);
    let probe = probe_for(&memory, &props.snapshot, &props.config);
    let frames = record(&memory, &props.snapshot, probe.as_ref());
    let inspection = {
        let snapshot = props.snapshot.clone();
        let config = Rc::new(props.config.clone());
        // Rebuilt per snapshot version, per change of activations (which the snapshot does
        // not carry), and per new frame.
        let key = (
            snapshot.version,
            (0..snapshot.layers.len())
                .map(|l| config.layer_activation(l))
                .collect::<Vec<_>>(),
            frames.len(),
            Rc::as_ptr(&frames) as usize,
        );
        use_memo(key, move |_| {
            Inspection::new(&snapshot, &config, probe, frames)
        })
    };
    html! {
        <div class="np-panels" data-testid="inspector">
            <LayerChoices config={props.config.clone()} on_action={props.on_action.clone()} />
            <HiddenPanel inspection={inspection.clone()} />
            <ActivationPanel inspection={inspection.clone()} />
            <HealthPanel inspection={inspection.clone()} />
            <ConfusionPanel inspection={inspection.clone()} />
            <SummaryPanel inspection={inspection} />
        </div>
    }
}

/// The engine probe for the session's network: the same `TrainConfig` the session builds, so
/// architecture, initializers, output unit, loss and penalty all follow the config.
fn probe_for(
    memory: &Rc<RefCell<Memory>>,
    snapshot: &Snapshot,
    config: &Config,
) -> Option<EngineProbe> {
    let mut m = memory.borrow_mut();
    let cfg = EngineProbe::config_for(config, snapshot);
    m.probe = EngineProbe::for_config(&cfg, snapshot.data.classes, m.probe.as_ref());
    m.probe.clone()
}

/// Offers the snapshot to the timeline once per session version.
fn record(
    memory: &Rc<RefCell<Memory>>,
    snapshot: &Snapshot,
    probe: Option<&EngineProbe>,
) -> Rc<Vec<Frame>> {
    let mut m = memory.borrow_mut();
    if m.seen != Some(snapshot.version) {
        m.seen = Some(snapshot.version);
        if m.timeline.observe(snapshot.epoch, &snapshot.layers, || {
            frame_of(snapshot, probe)
        }) {
            m.shared = Rc::new(m.timeline.frames().to_vec());
        }
    }
    m.shared.clone()
}
