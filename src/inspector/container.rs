//! The container of the inspection panels: turns session snapshots into one shared
//! `Inspection`, records the timeline of weights and gradients, and lays the panels out.
//!
//! While training runs the panels are recomputed at most every `PANEL_INTERVAL_MS` (longer when
//! their work costs more, so it stays a small share of the frame budget), and a panel scrolled
//! out of view keeps its last picture until it comes back into view. When training pauses, every
//! panel, in view or not, catches up with the latest snapshot at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::activation::ActivationPanel;
use super::confusion::ConfusionPanel;
use super::health::HealthPanel;
use super::hidden::HiddenPanel;
use super::inspection::{frame_of, Inspection};
use super::layer_choices::LayerChoices;
use super::probe::EngineProbe;
use super::roc::RocPanel;
use super::summary::SummaryPanel;
use super::timeline::{Frame, Timeline};
use crate::components::guard::guard;
use crate::components::help::Help;
use crate::config::Config;
use crate::session::Snapshot;
use crate::state::Action;

/// Least time between two recomputations of the panels while training runs, in ms.
pub const PANEL_INTERVAL_MS: f64 = 500.0;
/// The panels' work may take at most this share of the time while training runs.
const PANEL_SHARE: f64 = 0.2;
/// Hidden, activation, health, confusion, ROC, summary.
const PANELS: usize = 6;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub snapshot: Rc<Snapshot>,
    pub config: Rc<Config>,
    /// Training is running: the panels are throttled.
    #[prop_or_default]
    pub playing: bool,
    pub on_action: Callback<Action>,
}

/// What the inspector keeps between renders.
#[derive(Default)]
struct Memory {
    timeline: Timeline,
    /// The recorded frames and the Rc the panels share, rebuilt only when a frame is added.
    shared: Rc<Vec<Frame>>,
    seen: Option<u64>,
    /// The engine probe, rebuilt only when the network's objective changes.
    probe: Option<EngineProbe>,
    /// The snapshot (and its config) the panels are computed from, and when it was adopted.
    shown: Option<(Rc<Snapshot>, Rc<Config>)>,
    shown_at: f64,
    /// Smoothed cost of one recomputation (inspection, panels' renders and paints), in ms.
    cost: f64,
    /// When this render adopted a new snapshot (to measure its cost after the paint).
    started: Option<f64>,
    /// What each panel was last given; a panel out of view keeps it.
    given: [Option<Rc<Inspection>>; PANELS],
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The least gap between recomputations while training runs, given what one costs.
pub fn interval(cost_ms: f64) -> f64 {
    PANEL_INTERVAL_MS.max(cost_ms / PANEL_SHARE)
}

/// Whether the panels should adopt a snapshot now: always when none is shown or training is
/// paused (catch up), else once `interval` has passed since the last one.
pub fn due(shown: Option<u64>, latest: u64, playing: bool, since_ms: f64, cost_ms: f64) -> bool {
    match shown {
        None => true,
        Some(v) if v == latest => false,
        Some(_) => !playing || since_ms >= interval(cost_ms),
    }
}

/// Whether an element overlaps the viewport (true before it is mounted, so panels draw first).
fn in_view(node: &NodeRef) -> bool {
    let Some(el) = node.cast::<web_sys::Element>() else {
        return true;
    };
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::INFINITY);
    let r = el.get_bounding_client_rect();
    r.bottom() > 0.0 && r.top() < height && r.height() > 0.0
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let memory = use_mut_ref(Memory::default);
    let slots = use_memo((), |_| -> [NodeRef; PANELS] { Default::default() });
    let stale = use_memo((), |_| Cell::new(false));
    let redraw = use_force_update();
    {
        // A panel scrolled back into view catches up: re-render on scroll when one is stale.
        let stale = stale.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listeners: Vec<EventListener> = window
                .iter()
                .flat_map(|w| {
                    ["scroll", "resize"].map(|event| {
                        let (stale, redraw) = (stale.clone(), redraw.clone());
                        EventListener::new(w, event, move |_| {
                            if stale.get() {
                                stale.set(false);
                                redraw.force_update();
                            }
                        })
                    })
                })
                .collect();
            move || drop(listeners)
        });
    }
    let (snapshot, config) = adopt(&memory, props);
    let probe = probe_for(&memory, &snapshot, &config);
    let frames = record(&memory, &snapshot, probe.as_ref());
    let inspection = {
        // Rebuilt per adopted snapshot, per change of activations (which the snapshot does
        // not carry), and per new frame.
        let key = (
            snapshot.version,
            (0..snapshot.layers.len())
                .map(|l| config.layer_activation(l))
                .collect::<Vec<_>>(),
            frames.len(),
            Rc::as_ptr(&frames) as usize,
        );
        let (snapshot, config) = (snapshot.clone(), config.clone());
        use_memo(key, move |_| {
            Inspection::new(&snapshot, &config, probe, frames)
        })
    };
    let given: Vec<Rc<Inspection>> = {
        let mut m = memory.borrow_mut();
        let mut any_stale = false;
        let given = (0..PANELS)
            .map(|k| {
                let slot = &mut m.given[k];
                match slot {
                    // Only while training runs; paused, every panel is current.
                    Some(old) if props.playing && !in_view(&slots[k]) => {
                        any_stale |= !Rc::ptr_eq(old, &inspection);
                    }
                    _ => *slot = Some(inspection.clone()),
                }
                slot.clone().unwrap_or_else(|| inspection.clone())
            })
            .collect();
        stale.set(any_stale);
        given
    };
    {
        // The cost of an adopted snapshot: from this render to after the panels have painted.
        let memory = memory.clone();
        use_effect(move || {
            let mut m = memory.borrow_mut();
            if let Some(start) = m.started.take() {
                m.cost = 0.7 * m.cost + 0.3 * (now() - start);
            }
        });
    }
    let c = &props.config;
    html! {
        <div class="np-panels" data-testid="inspector">
            // Each "?" sits beside its panel rather than inside it, so a locked panel (a
            // disabled fieldset) still lets its help open.
            <div class="np-slot"><Help name="layer-choices" />{ guard(c, "layerChoices", html! {
                <LayerChoices config={props.config.clone()} on_action={props.on_action.clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[0].clone()}><Help name="hidden-panel" />{ guard(c, "hiddenPanel", html! {
                <HiddenPanel inspection={given[0].clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[1].clone()}><Help name="activation-panel" />{ guard(c, "activationPanel", html! {
                <ActivationPanel inspection={given[1].clone()} config={props.config.clone()} on_action={props.on_action.clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[2].clone()}><Help name="health-panel" />{ guard(c, "healthPanel", html! {
                <HealthPanel inspection={given[2].clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[3].clone()}><Help name="confusion-panel" />{ guard(c, "confusionPanel", html! {
                <ConfusionPanel inspection={given[3].clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[4].clone()}><Help name="roc-panel" />{ guard(c, "rocPanel", html! {
                <RocPanel inspection={given[4].clone()} />
            }) }</div>
            <div class="np-slot" ref={slots[5].clone()}><Help name="summary-panel" />{ guard(c, "summaryPanel", html! {
                <SummaryPanel inspection={given[5].clone()} config={props.config.clone()} />
            }) }</div>
        </div>
    }
}

/// The snapshot the panels show: the latest one when due (see [`due`]), else the one adopted
/// before.
fn adopt(memory: &Rc<RefCell<Memory>>, props: &InspectorProps) -> (Rc<Snapshot>, Rc<Config>) {
    let mut m = memory.borrow_mut();
    let t = now();
    let shown = m.shown.as_ref().map(|(s, _)| s.version);
    if due(
        shown,
        props.snapshot.version,
        props.playing,
        t - m.shown_at,
        m.cost,
    ) {
        m.shown = Some((props.snapshot.clone(), props.config.clone()));
        m.shown_at = t;
        m.started = Some(t);
    }
    m.shown
        .clone()
        .unwrap_or_else(|| (props.snapshot.clone(), props.config.clone()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_while_playing_and_catching_up_when_paused() {
        // The first snapshot is always adopted; the same version never again.
        assert!(due(None, 3, true, 0.0, 0.0));
        assert!(!due(Some(3), 3, false, 1e6, 0.0));
        // Playing: a newer snapshot waits for the interval...
        assert!(!due(Some(3), 4, true, 100.0, 10.0));
        assert!(due(Some(3), 4, true, PANEL_INTERVAL_MS, 10.0));
        // ...which grows with the panels' cost, to keep them a fifth of the time.
        assert_eq!(interval(10.0), PANEL_INTERVAL_MS);
        assert_eq!(interval(200.0), 1000.0);
        assert!(!due(Some(3), 4, true, 900.0, 200.0));
        // Paused: at once.
        assert!(due(Some(3), 4, false, 1.0, 200.0));
    }
}
