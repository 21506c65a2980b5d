//! The page: header, notices, the control bar and the four working areas (data, network,
//! output, charts). The App owns the state (a reducer over `AppState`), the training session
//! and the animation loop; components get props and dispatch actions.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::adapter_check::{check_webgpu_adapter, AdapterCheck};
use crate::components::backend_badge::BackendBadge;
use crate::components::controls::{Controls, SPEEDS};
use crate::components::data::DataArea;
use crate::components::loss_chart::LossChart;
use crate::components::network::Network;
use crate::components::notices::Notices;
use crate::components::output::OutputArea;
use crate::components::weight_editor::Target;
use crate::config::{hash, BackendChoice};
use crate::session::{EvalReads, Session, Snapshot, GRID};
use crate::state::{Action, AppState, Impact};

/// Training time per animation frame, in ms: leaves the rest of a 60 Hz frame for drawing.
const TRAIN_BUDGET_MS: f64 = 10.0;
/// Least time between two redraws while playing, in ms: drawing runs slower than training.
const DRAW_INTERVAL_MS: f64 = 80.0;

pub enum Msg {
    Act(Action),
    TogglePlay,
    StepEpoch,
    StepBatch,
    Reset,
    Frame,
    Edit(Target, f64),
    /// Back/forward or an edited URL: reload the state from the hash.
    HashChanged,
    /// The backend opened for request `generation`, with what the adapter check found.
    Opened(u64, AdapterCheck, np_wgpu::FallbackBackend),
    /// An evaluation's reads on the GPU completed.
    Evaluated(EvalReads),
}

pub struct App {
    state: AppState,
    session: Session,
    snapshot: Rc<Snapshot>,
    playing: bool,
    frame: Option<AnimationFrame>,
    last_draw: f64,
    /// When the last frame that redrew handed over to rendering, and an average of what the
    /// redraw then cost (render and paint included): drawing may take a quarter of the time.
    redraw_ended: Option<f64>,
    draw_cost: f64,
    /// The badge: the backend in use, and the adapter check's finding.
    backend_label: Option<String>,
    adapter: Option<String>,
    /// Counts backend openings, so only the latest one is adopted.
    open_generation: u64,
    /// A GPU read is in flight: no training and no second read until it lands.
    reading: bool,
    /// Step-epoch presses that came while a read was in flight, run when it lands.
    queued_epochs: u32,
    /// Why training left the GPU mid-run (device lost), told to the user.
    fallback_notice: Option<String>,
    _listeners: Vec<EventListener>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Writes the config into the URL; `push` adds a history entry (back/forward restores it).
fn write_hash(text: &str, push: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if location_hash().trim_start_matches('#') == text {
        return;
    }
    let url = format!("#{text}");
    if let Ok(history) = window.history() {
        let done = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
        if let Err(e) = done {
            web_sys::console::warn_1(&e);
        }
    }
}

impl App {
    fn refresh(&mut self) {
        self.snapshot = Rc::new(self.session.snapshot(GRID));
        self.last_draw = now();
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        if self.playing && self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |_| {
                link.send_message(Msg::Frame)
            }));
        }
    }

    /// Applies an action to the state and the session; a changed backend choice reopens the
    /// backend (asynchronously: the session trains on the CPU until the GPU is ready).
    fn act(&mut self, ctx: &Context<Self>, action: Action, push: bool) {
        let before = self.state.config.backend;
        self.state = self.state.apply(action);
        self.session.update(&self.state.config, self.state.impact);
        if self.state.impact >= Impact::Reset {
            self.playing &= self.session.diverged().is_none();
            self.queued_epochs = 0;
        }
        if self.state.config.backend != before {
            self.open_backend(ctx);
        }
        write_hash(&hash::print(&self.state.config), push);
        self.evaluate(ctx);
        self.refresh();
    }

    /// Checks for an adapter and opens the backend the config asks for; `Msg::Opened` adopts it.
    fn open_backend(&mut self, ctx: &Context<Self>) {
        use np_wgpu::choose::{open_backend, Preference};
        self.open_generation += 1;
        self.backend_label = None;
        let generation = self.open_generation;
        let pref = match self.state.config.backend {
            BackendChoice::Auto => Preference::Auto,
            BackendChoice::Cpu => Preference::Cpu,
            BackendChoice::Webgpu => Preference::WebGpu,
        };
        let flops = self.session.step_flops();
        let link = ctx.link().clone();
        wasm_bindgen_futures::spawn_local(async move {
            let adapter = check_webgpu_adapter().await;
            let cpu: np_wgpu::CpuFactory =
                Box::new(|| Box::new(np_engine::backend::cpu::CpuBackend::new()));
            let backend = open_backend(pref, flops, cpu).await;
            link.send_message(Msg::Opened(generation, adapter, backend));
        });
    }

    /// Starts the owed GPU evaluation unless a read is in flight (one at a time).
    fn evaluate(&mut self, ctx: &Context<Self>) {
        if self.reading {
            return;
        }
        if let Some(pending) = self.session.begin_eval() {
            self.reading = true;
            let link = ctx.link().clone();
            wasm_bindgen_futures::spawn_local(async move {
                link.send_message(Msg::Evaluated(pending.run().await));
            });
        }
    }

    /// Steps one epoch; on the GPU a press during a read waits for it.
    fn step_epoch(&mut self, ctx: &Context<Self>) {
        if self.reading || self.session.eval_due() {
            self.queued_epochs += 1;
            return;
        }
        self.session.step_epoch();
        self.evaluate(ctx);
        self.refresh();
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let state = AppState::from_hash(&location_hash());
        let mut session = Session::new(&state.config);
        write_hash(&hash::print(&state.config), false);
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            for event in ["popstate", "hashchange"] {
                let link = ctx.link().clone();
                listeners.push(EventListener::new(&window, event, move |_| {
                    link.send_message(Msg::HashChanged)
                }));
            }
            let link = ctx.link().clone();
            let options = EventListenerOptions::enable_prevent_default();
            listeners.push(EventListener::new_with_options(
                &window,
                "keydown",
                options,
                move |e| {
                    if let Some(msg) = e.dyn_ref::<web_sys::KeyboardEvent>().and_then(shortcut) {
                        e.prevent_default();
                        link.send_message(msg);
                    }
                },
            ));
        }
        let snapshot = Rc::new(session.snapshot(GRID));
        let mut app = Self {
            state,
            session,
            snapshot,
            playing: false,
            frame: None,
            last_draw: 0.0,
            redraw_ended: None,
            draw_cost: 0.0,
            backend_label: None,
            adapter: None,
            open_generation: 0,
            reading: false,
            queued_epochs: 0,
            fallback_notice: None,
            _listeners: listeners,
        };
        app.open_backend(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Act(action) => self.act(ctx, action, true),
            Msg::HashChanged => {
                let (config, notices) = hash::parse(&location_hash());
                if config != self.state.config || !notices.is_empty() {
                    self.act(ctx, Action::LoadHash(Box::new(config), notices), false);
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing && self.session.diverged().is_none();
            }
            Msg::StepEpoch => {
                self.playing = false;
                self.step_epoch(ctx);
            }
            Msg::StepBatch => {
                self.playing = false;
                if self.reading || self.session.eval_due() {
                    return false;
                }
                self.session.step_batch();
                self.evaluate(ctx);
                self.refresh();
            }
            Msg::Reset => {
                self.playing = false;
                self.act(ctx, Action::Reset, false);
            }
            Msg::Opened(generation, adapter, backend) => {
                if generation != self.open_generation {
                    return false;
                }
                self.adapter = Some(crate::components::backend_badge::describe(&adapter));
                self.backend_label = Some(match (backend.fell_back(), &adapter) {
                    (Some(why), _) => why,
                    // The browser's own adapter info names SwiftShader; wgpu's is often empty.
                    (None, AdapterCheck::Available(name)) => format!("webgpu: {name}"),
                    (None, AdapterCheck::Unavailable(_)) => {
                        np_engine::backend::Backend::name(&backend)
                    }
                });
                self.fallback_notice = None;
                // The run carries on where it stands (see `Session::move_to`).
                if backend.on_gpu() {
                    self.session.move_to(Some(backend));
                } else if self.session.on_gpu() {
                    self.session.move_to(None);
                } else {
                    return true;
                }
                self.evaluate(ctx);
                self.refresh();
            }
            Msg::Evaluated(reads) => {
                self.reading = false;
                if let Some(e) = &reads.checkpoint_error {
                    web_sys::console::warn_1(&format!("GPU checkpoint failed: {e}").into());
                }
                self.session.finish_eval(reads);
                // The session is on the fallback handle only when it opened on the GPU, so a
                // reason here means the device was lost mid-run: say so once.
                if let Some(why) = self.session.fell_back() {
                    if self.fallback_notice.is_none() {
                        self.fallback_notice = Some(format!(
                            "The GPU stopped working; training goes on on the CPU with the same weights ({why})."
                        ));
                        self.backend_label = Some("cpu: the GPU device was lost".to_string());
                    }
                }
                if self.session.diverged().is_some() {
                    self.playing = false;
                    self.queued_epochs = 0;
                }
                self.evaluate(ctx);
                if !self.reading && self.queued_epochs > 0 {
                    self.queued_epochs -= 1;
                    self.step_epoch(ctx);
                }
                self.refresh();
            }
            Msg::Edit(target, value) => {
                match target {
                    Target::Weight { layer, to, from } => {
                        self.session.set_weight(layer, to, from, value)
                    }
                    Target::Bias { layer, to } | Target::Node { layer, neuron: to } => {
                        self.session.set_bias(layer, to, value)
                    }
                }
                self.refresh();
            }
            Msg::Frame => {
                self.frame = None;
                let start = now();
                if let Some(ended) = self.redraw_ended.take() {
                    // One vsync (about 16.7 ms) of the gap is waiting, not drawing.
                    let cost = (start - ended - 16.7).max(0.0);
                    self.draw_cost = 0.7 * self.draw_cost + 0.3 * cost;
                }
                if !self.playing {
                    return false;
                }
                if self.reading {
                    // A GPU read is in flight: this frame trains nothing (its result lands soon).
                    self.schedule(ctx);
                    return false;
                }
                self.session.train_for(
                    SPEEDS[self.state.config.speed as usize % SPEEDS.len()],
                    TRAIN_BUDGET_MS,
                    || now() - start,
                );
                if self.session.diverged().is_some() {
                    self.playing = false;
                }
                self.evaluate(ctx);
                let interval = DRAW_INTERVAL_MS.max(3.0 * self.draw_cost);
                let redraw = !self.playing || now() - self.last_draw >= interval;
                if redraw {
                    self.refresh();
                    self.redraw_ended = Some(now());
                }
                self.schedule(ctx);
                return redraw;
            }
        }
        self.schedule(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let c = &self.state.config;
        let on_action = link.callback(Msg::Act);
        html! {
            <div class={classes!("app", c.hide_text.then_some("hide-text"))} data-testid="app">
                <header class="app-header">
                    <h1 class="app-title">{ "Neural Playground" }</h1>
                    <span class="app-subtitle">{ "Build, train and look inside neural networks" }</span>
                    <BackendBadge label={self.backend_label.clone()} adapter={self.adapter.clone()} />
                </header>
                { for self.fallback_notice.iter().map(|n| html! {
                    <p class="alert alert-notice backend-notice" role="status" data-testid="backend-notice">{ n.clone() }</p>
                }) }
                <Notices notices={self.state.notices.clone()} diverged={self.session.diverged().map(str::to_string)}
                    on_dismiss={link.callback(|_| Msg::Act(Action::DismissNotices))} />
                <Controls config={c.clone()} playing={self.playing} epoch={self.snapshot.epoch} on_action={on_action.clone()}
                    on_toggle_play={link.callback(|_| Msg::TogglePlay)} on_step={link.callback(|_| Msg::StepEpoch)}
                    on_step_batch={link.callback(|_| Msg::StepBatch)} on_reset={link.callback(|_| Msg::Reset)}
                    on_speed={link.callback(|i: usize| Msg::Act(Action::SetSpeed(i as u32)))} />
                <main class="workspace">
                    <section class="area area-data" data-testid="area-data" aria-label="Data">
                        <h2>{ "Data" }</h2>
                        <DataArea config={c.clone()} on_action={on_action.clone()} />
                    </section>
                    <section class="area area-network" data-testid="area-network" aria-label="Network">
                        <h2>{ "Network" }</h2>
                        <Network config={c.clone()} snapshot={self.snapshot.clone()} on_action={on_action.clone()}
                            on_edit={link.callback(|(t, v)| Msg::Edit(t, v))} />
                    </section>
                    <section class="area area-output" data-testid="area-output" aria-label="Output">
                        <h2>{ "Output" }</h2>
                        <OutputArea config={c.clone()} snapshot={self.snapshot.clone()} on_action={on_action} />
                    </section>
                    <section class="area area-charts" data-testid="area-charts" aria-label="Charts">
                        <h2>{ "Training curves" }</h2>
                        <div class="charts-row">
                            <LossChart snapshot={self.snapshot.clone()} log={c.log_scale} show_log={c.shows("logScale")}
                                on_log={link.callback(|v| Msg::Act(Action::SetLogScale(v)))} />
                        </div>
                    </section>
                    <crate::components::export::ExportArea config={c.clone()} snapshot={self.snapshot.clone()} />
                    <section class="area area-inspect" data-testid="area-inspect" aria-label="Inside the network">
                        <h2>{ "Inside the network" }</h2>
                        <crate::inspector::container::Inspector snapshot={self.snapshot.clone()} config={c.clone()} playing={self.playing}
                            on_action={link.callback(Msg::Act)} />
                    </section>
                </main>
            </div>
        }
    }
}

/// The message a key press asks for: space plays/pauses, S steps an epoch, B a batch, R resets.
/// Typing into a field is left alone.
fn shortcut(e: &web_sys::KeyboardEvent) -> Option<Msg> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "select" | "textarea"
            )
        });
    if typing {
        return None;
    }
    match e.key().as_str() {
        " " => Some(Msg::TogglePlay),
        "s" | "S" => Some(Msg::StepEpoch),
        "b" | "B" => Some(Msg::StepBatch),
        "r" | "R" => Some(Msg::Reset),
        _ => None,
    }
}
