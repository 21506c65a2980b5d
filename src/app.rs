//! The page: header, notices, the control bar and the four working areas (data, network,
//! output, charts). The App owns the state (a reducer over `AppState`) and the runner, the
//! page's handle on the training host (in a Web Worker, or on the page where none can run). It
//! sends the host commands and draws the snapshots it sends back, at most one in hand at a time:
//! the host makes the next only when the page has drawn the last (`Command::Ready`).

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::announcer::Announcer;
use crate::components::backend_badge::BackendBadge;
use crate::components::classroom::Classroom;
use crate::components::controls::Controls;
use crate::components::data::{DataArea, DataFetch};
use crate::components::guard::{guard, title};
use crate::components::help::Help;
use crate::components::loss_chart::LossChart;
use crate::components::network::Network;
use crate::components::notices::Notices;
use crate::components::output::OutputArea;
use crate::components::own_data::{looks_like_table, not_a_workbook};
use crate::components::save::{read_file, SaveArea};
use crate::components::shortcuts::{self, Shortcut, ShortcutList};
use crate::components::weight_editor::Target;
use crate::config::{hash, Config, Dataset};
use crate::embed::bridge::{self, Bridge};
use crate::embed::event::Outgoing;
use crate::embed::message::Command as EmbedCommand;
use crate::engine::area::EngineArea;
use crate::engine::gradcheck::CHECK_LIMIT;
use crate::engine::{Answer, EngineAsk};
use crate::lessons::progress;
use crate::protocol::{Checkpoint, Command, Edit, EngineView, Event, WireSnapshot};
use crate::runner::{now, own_store, Heard, Mode, Runner};
use crate::sandbox::view::SandboxArea;
use crate::save::{self, storage};
use crate::session::{Data, Snapshot};
use crate::state::{Action, AppState, Impact};
use np_engine::train::{GradCheck, StepExplanation, StepPick};

/// Least time between two redraws, in ms; more when a redraw costs more (a quarter of the time
/// at most goes to drawing).
const MIN_DRAW_INTERVAL_MS: f64 = 33.0;
/// Worker deaths within a minute after which training moves onto the page for good.
const MAX_RESTARTS: usize = 3;
/// Silence from a playing worker after which it counts as hung (a loop that never yields, a
/// wedged GPU driver): it is then restarted like a worker that died. A playing host speaks at
/// least once a second (its checkpoints), so ten seconds is no slow epoch.
const HUNG_AFTER_MS: f64 = 10_000.0;
/// How often the page listens for that silence.
const WATCHDOG_EVERY_MS: u32 = 2_000;

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
    /// The runner heard from the host.
    Heard(Heard),
    /// Download the run as a file (once the host has sent a checkpoint of it as it stands).
    Download,
    /// A saved run's text from the file picker or a drop, or why it could not be read.
    OpenFile(Result<String, String>),
    /// Forget the kept run of this experiment and start from fresh weights.
    StartOver,
    /// A file is dragged over the page (true) or no longer (false).
    Dragging(bool),
    /// Time to check that a playing worker still answers.
    Watchdog,
    /// Open or close the classroom panel.
    ToggleClassroom,
    /// Open or close the list of keyboard shortcuts.
    ToggleShortcuts,
    /// A command from the embedding page (`crate::embed`), already checked.
    Embed(EmbedCommand),
    /// A message from the embedding page that was not a command (counted on the page).
    EmbedIgnored,
    /// The lesson panel saw the current task's goal reached.
    TaskReached(String, usize),
    /// An inside-the-engine view asks the host for something.
    Engine(EngineAsk),
    /// The loss landscape asks the host for a grid.
    Landscape(np_engine::train::LandscapeRequest),
    /// The backprop stepper's phase is about this weight layer (the diagram highlights it).
    StepperFocus(Option<usize>),
    /// The graph sandbox ran (what the lesson goals read of it).
    Sandbox(crate::sandbox::SandboxReadings),
    /// The student chose or dropped a CSV file: keep it in the browser, then train on it.
    OwnFile(web_sys::File),
    /// The file is kept (or why it could not be).
    OwnFileKept(Result<(), String>),
    /// "Forget my file", and when it is done.
    ForgetOwnFile,
    OwnFileForgotten(Result<(), String>),
}

pub struct App {
    state: AppState,
    /// The config children draw, shared rather than copied on every render.
    config: Rc<Config>,
    runner: Runner,
    snapshot: Rc<Snapshot>,
    /// The data set of the last snapshot that carried one.
    data: Rc<Data>,
    /// Where the file of a shipped dataset stands (its download's progress, or why it failed).
    fetch: DataFetch,
    /// The revision of the last change that replaced the network: older snapshots are dropped.
    network_revision: u64,
    /// A snapshot received and not yet drawn (at most one: see the module documentation).
    incoming: Option<Box<WireSnapshot>>,
    /// Whether the snapshot drawn came from the current host (false from start or restart until
    /// its first one), for tests and for the screen: `data-live` on the app.
    live: bool,
    /// The student's play/pause; the host stops it when the run diverges.
    playing: bool,
    diverged: Option<String>,
    /// The run as of the last checkpoint, for a worker that dies.
    checkpoint: Option<Box<Checkpoint>>,
    restarts: Vec<f64>,
    frame: Option<AnimationFrame>,
    /// When the last redraw started, and an average of what redraws cost.
    last_draw: f64,
    draw_started: Option<f64>,
    draw_cost: f64,
    /// The badge: the backend in use, and the adapter check's finding.
    backend_label: Option<String>,
    adapter: Option<String>,
    /// Why training left the GPU mid-run (device lost), or why the worker was restarted.
    fallback_notice: Option<String>,
    worker_notice: Option<String>,
    /// What this browser keeps of the run (the save area's status line).
    kept: String,
    /// Why the last download or opened file was refused.
    save_error: Option<String>,
    /// A download was asked for: the next checkpoint of the current revision is the file.
    download_wanted: bool,
    /// A file is being dragged over the page.
    dropping: bool,
    /// When the host last said anything (ms, `runner::now`).
    last_heard: f64,
    _watchdog: gloo::timers::callback::Interval,
    /// Whether the instructor's classroom panel is open (page state, not part of the link).
    classroom_open: bool,
    shortcuts_open: bool,
    /// The embedding API's glue, with `embed=true` only; and the messages it ignored.
    bridge: Option<Bridge>,
    embed_ignored: u32,
    root: NodeRef,
    /// Made once, so the lesson panel's props stay equal between renders.
    on_task_reached: Callback<(String, usize)>,
    /// What the host last explained for the graph panel and for the stepper, the last
    /// gradient check, and whether one is under way.
    engine_graph: Option<Answer<Result<StepExplanation, String>>>,
    engine_step: Option<Answer<Result<StepExplanation, String>>>,
    engine_check: Option<Answer<Result<GradCheck, String>>>,
    checking: bool,
    on_engine: Callback<EngineAsk>,
    /// The loss landscape's last answer and whether one is under way; its callback, made once.
    landscape: crate::instruments::LandscapeSlot,
    on_landscape: Callback<np_engine::train::LandscapeRequest>,
    stepper_focus: Option<usize>,
    on_stepper_focus: Callback<Option<usize>>,
    /// The last task reached, for the screen readers' live region, with a count that makes the
    /// same task reached again a new announcement.
    reached_words: Option<(u64, String)>,
    /// The graph sandbox's last readings, for the lesson panel; and its callback, made once.
    sandbox: Rc<crate::sandbox::SandboxReadings>,
    on_sandbox: Callback<crate::sandbox::SandboxReadings>,
    _listeners: Vec<EventListener>,
}

const NOTHING_KEPT: &str =
    "Nothing kept yet: this browser keeps the run of this experiment once it trains.";

/// The browser's clock as ISO 8601, for a save file's `savedAt`.
fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Continues the run this browser keeps for `config`'s experiment, if any: the host gets it
/// right after its first `Configure`. Returns the status line and the run restored.
fn restore_kept(config: &Config, runner: &mut Runner) -> (String, Option<Box<Checkpoint>>) {
    let Some(text) = storage::load(config) else {
        return (NOTHING_KEPT.into(), None);
    };
    match save::read(&text) {
        Ok(saved) if saved.config.same_experiment(config) => {
            let epoch = saved.run.latest.epoch;
            let run = Box::new(saved.run);
            runner.send(Command::Restore(run.clone()));
            (
                format!("Restored from this browser at epoch {epoch}; it goes on keeping the run as it trains."),
                Some(run),
            )
        }
        // Another experiment under the same key (a hash collision): not this one's run.
        Ok(_) => (NOTHING_KEPT.into(), None),
        Err(e) => (
            format!("The run this browser kept could not be read, and this run will replace it once it trains: {e}"),
            None,
        ),
    }
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

/// The network of `config` before its first snapshot. Its version cannot be one the host
/// uses (the host counts up from 0), so the components redraw when the host's arrives.
fn placeholder(config: &Config, revision: u64) -> Snapshot {
    Snapshot {
        version: u64::MAX - revision,
        ..Snapshot::placeholder(config)
    }
}

fn heard(ctx: &Context<App>) -> impl Fn(Heard) + Clone + 'static {
    let link = ctx.link().clone();
    move |h| link.send_message(Msg::Heard(h))
}

impl App {
    /// Applies an action to the state and tells the host; `push` records it in the history.
    fn act(&mut self, action: Action, push: bool) {
        self.state = self.state.apply(action);
        self.config = Rc::new(self.state.config.clone());
        if self.state.impact >= Impact::Reset {
            // A fresh network: the host says so again if this one cannot train either.
            self.diverged = None;
            // Drawn at once in its new shape; snapshots of the old network are dropped.
            self.network_revision = self.state.revision;
            // Explanations of the replaced network's steps mean nothing for the new one.
            (self.engine_graph, self.engine_step, self.engine_check) = (None, None, None);
            self.landscape.result = None;
            self.snapshot = Rc::new(placeholder(&self.state.config, self.state.revision));
            self.data = self.snapshot.data.clone();
            if self.incoming.take().is_some() {
                // Dropped undrawn: the host waits for this before it sends the next.
                self.runner.send(Command::Ready);
            }
            self.live = false;
        }
        self.runner.send(Command::Configure {
            config: Box::new(self.state.config.clone()),
            impact: self.state.impact,
            revision: self.state.revision,
        });
        write_hash(&hash::print(&self.state.config), push);
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        if self.incoming.is_some() && self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |_| {
                link.send_message(Msg::Frame)
            }));
        }
    }

    /// Takes what the host said; returns whether the page changed.
    fn on_event(&mut self, ctx: &Context<Self>, event: Event) -> bool {
        match event {
            Event::Snapshot(s) if s.revision < self.network_revision => {
                // Of a network since replaced: not drawn, and the host may send the next.
                self.runner.send(Command::Ready);
                false
            }
            Event::Snapshot(s) => {
                // On arrival, not when drawn: the browser draws a hidden iframe only once it is
                // scrolled into view.
                if let Some(b) = &mut self.bridge {
                    b.ready(&self.state.config);
                }
                self.incoming = Some(s);
                self.schedule(ctx);
                false
            }
            Event::Stopped { why } => {
                if let Some(b) = &self.bridge {
                    b.post(&Outgoing::Diverged { why: why.clone() });
                }
                self.playing = false;
                self.diverged = Some(why);
                true
            }
            Event::DataProgress {
                dataset,
                loaded,
                total,
            } => {
                self.fetch = DataFetch::Loading {
                    dataset,
                    loaded,
                    total,
                };
                true
            }
            Event::DataLoaded { .. } => {
                self.fetch = DataFetch::Idle;
                true
            }
            Event::DataFailed { dataset, why } => {
                if let Some(b) = &self.bridge {
                    b.post(&Outgoing::Diverged { why: why.clone() });
                }
                self.playing = false;
                self.fetch = DataFetch::Failed { dataset, why };
                true
            }
            Event::StoppedEarly { .. } => {
                // The snapshots say why while it stands (`RunProgress::stopped_early`).
                self.playing = false;
                true
            }
            Event::Backend { label, adapter } => {
                self.backend_label = Some(label);
                self.adapter = Some(adapter);
                self.fallback_notice = None;
                true
            }
            Event::FellBack { why } => {
                self.fallback_notice = Some(format!(
                    "The GPU stopped working; training goes on on the CPU with the same weights ({why})."
                ));
                self.backend_label = Some("cpu: the GPU device was lost".to_string());
                true
            }
            Event::Checkpoint { run, revision } => {
                // A checkpoint made under an older config is not this experiment's run.
                let current = revision == self.state.revision;
                let before = (self.kept.clone(), self.save_error.clone());
                if current && std::mem::take(&mut self.download_wanted) {
                    self.download(&run);
                }
                if current && run.trainer.step > 0 {
                    self.keep(&run);
                }
                self.checkpoint = Some(run);
                before != (self.kept.clone(), self.save_error.clone())
            }
            Event::Explained { view, result } => {
                let result = Some(Answer::new(result.map(|e| *e)));
                match view {
                    EngineView::Graph => self.engine_graph = result,
                    EngineView::Stepper => self.engine_step = result,
                }
                true
            }
            Event::GradientChecked(result) => {
                self.checking = false;
                self.engine_check = Some(Answer::new(result.map(|c| *c)));
                true
            }
            Event::Landscape(result) => {
                self.landscape = self.landscape.answered(result.map(|l| *l));
                true
            }
            Event::NotStepped { why } => {
                self.engine_step = Some(Answer::new(Err(format!("The step was not taken: {why}"))));
                true
            }
            Event::NotRestored { why } => {
                self.kept = format!(
                    "The saved run could not be continued ({why}); this run starts afresh."
                );
                true
            }
        }
    }

    /// Keeps `run` in browser storage as this experiment's run.
    fn keep(&mut self, run: &Checkpoint) {
        let config = &self.state.config;
        let epoch = run.latest.epoch;
        let saved_at = now_iso();
        let kept = save::write(config, run, &progress::load(), Some(&saved_at))
            .map_err(|e| e.to_string())
            .and_then(|text| {
                storage::keep(config, &text, save::summary(config, epoch), Some(saved_at))
            });
        self.kept = match kept {
            Ok(()) => {
                format!("Kept in this browser at epoch {epoch}: a reload continues from here.")
            }
            Err(why) => format!("Not kept in this browser: {why}"),
        };
    }

    /// Offers `run` as a file.
    fn download(&mut self, run: &Checkpoint) {
        let config = &self.state.config;
        let written = save::write(config, run, &progress::load(), Some(&now_iso()));
        self.save_error = match written {
            Ok(text) => {
                let file = save::file_name(config, run.latest.epoch);
                if let Err(e) =
                    crate::components::download::save_text(&file, "application/json", &text)
                {
                    web_sys::console::warn_1(&e);
                }
                None
            }
            Err(e) => Some(e.to_string()),
        };
    }

    /// Replaces the run with a saved one that passed every check (`save::read_checked`).
    fn open_saved(&mut self, saved: save::Saved) {
        for (lesson, tasks) in &saved.lessons.done {
            for &task in tasks {
                progress::mark(lesson, task);
            }
        }
        let epoch = saved.run.latest.epoch;
        let run = Box::new(saved.run);
        self.playing = false;
        self.runner.send(Command::Pause);
        self.save_error = None;
        self.act(Action::LoadHash(Box::new(saved.config), Vec::new()), true);
        // After the Configure: the host restores into the network that Configure built.
        self.runner.send(Command::Restore(run.clone()));
        self.checkpoint = Some(run);
        self.kept =
            format!("Opened a saved run at epoch {epoch}; press play to go on training it.");
    }

    /// Obeys a command of the embedding page as the matching button would.
    fn embed_command(&mut self, ctx: &Context<Self>, command: EmbedCommand) -> bool {
        match command {
            EmbedCommand::Play if !self.playing => self.handle(ctx, Msg::TogglePlay),
            EmbedCommand::Pause if self.playing => self.handle(ctx, Msg::TogglePlay),
            EmbedCommand::Play | EmbedCommand::Pause => false,
            EmbedCommand::Step => self.handle(ctx, Msg::StepEpoch),
            EmbedCommand::Reset => self.handle(ctx, Msg::Reset),
            EmbedCommand::Load(target) => {
                bridge::navigate(&crate::embed::load::hash_for(&target, &self.state.config));
                false
            }
        }
    }

    /// The worker could not start (`on_page`) or died: start again from the last checkpoint.
    fn recover(&mut self, ctx: &Context<Self>, why: String, failed: bool) {
        let t = now();
        self.restarts.retain(|&r| t - r < 60_000.0);
        self.restarts.push(t);
        let on_page = if failed {
            Some(why.clone())
        } else if self.restarts.len() > MAX_RESTARTS {
            Some(format!(
                "the worker stopped {MAX_RESTARTS} times in a minute"
            ))
        } else {
            None
        };
        if !failed {
            let epoch = self.checkpoint.as_ref().map_or(0, |c| c.latest.epoch);
            self.worker_notice = Some(format!(
                "The training worker stopped ({why}); it was started again and continues from epoch {epoch}."
            ));
        }
        let checkpoint = self.checkpoint.clone();
        self.live = false;
        self.last_heard = now();
        self.incoming = None;
        self.runner.recover(
            &self.state.config,
            self.state.revision,
            checkpoint.as_deref(),
            self.playing,
            on_page,
            heard(ctx),
        );
    }

    /// What `msg` does, locks aside: the embedding page drives a demo whose buttons the
    /// students cannot use.
    fn handle(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::ToggleClassroom => self.classroom_open = !self.classroom_open,
            Msg::ToggleShortcuts => self.shortcuts_open = !self.shortcuts_open,
            Msg::Act(action) => self.act(action, true),
            Msg::HashChanged => {
                let (config, notices) = hash::parse(&location_hash());
                if config != self.state.config || !notices.is_empty() {
                    self.act(Action::LoadHash(Box::new(config), notices), false);
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing
                    && self.diverged.is_none()
                    && self.snapshot.progress.stopped_early.is_none();
                self.runner.send(if self.playing {
                    Command::Play
                } else {
                    Command::Pause
                });
            }
            Msg::StepEpoch => {
                self.playing = false;
                self.runner.send(Command::StepEpoch);
            }
            Msg::StepBatch => {
                self.playing = false;
                self.runner.send(Command::StepBatch);
            }
            Msg::StepperFocus(focus) => {
                if self.stepper_focus == focus {
                    return false;
                }
                self.stepper_focus = focus;
            }
            Msg::Engine(ask) => match ask {
                EngineAsk::Explain(pick, view) => self.runner.send(Command::Explain { pick, view }),
                // The explained mini-batch is the one the next step takes.
                EngineAsk::Take(StepPick::NextBatch) => return self.handle(ctx, Msg::StepBatch),
                EngineAsk::Take(StepPick::Row { row }) => {
                    self.playing = false;
                    self.runner.send(Command::StepRow { row });
                }
                EngineAsk::Check => {
                    self.checking = true;
                    self.runner.send(Command::GradientCheck {
                        limit: CHECK_LIMIT,
                        seed: self.snapshot.version,
                    });
                }
            },
            Msg::Landscape(request) => {
                self.landscape.busy = true;
                self.runner.send(Command::Landscape(Box::new(request)));
            }
            Msg::Reset => {
                self.playing = false;
                self.runner.send(Command::Pause);
                self.act(Action::Reset, false);
            }
            Msg::Edit(target, value) => {
                let target = match target {
                    Target::Weight { layer, to, from } => Edit::Weight { layer, to, from },
                    Target::Bias { layer, to } | Target::Node { layer, neuron: to } => {
                        Edit::Bias { layer, to }
                    }
                };
                self.diverged = None;
                self.runner.send(Command::Edit { target, value });
            }
            Msg::Download => {
                if let Some(why) = &self.diverged {
                    self.save_error = Some(format!("There is no run to save: {why}"));
                } else {
                    self.download_wanted = true;
                    self.runner.send(Command::Checkpoint);
                    return false;
                }
            }
            Msg::OpenFile(text) => {
                match text.and_then(|t| save::read_checked(&t).map_err(|e| e.to_string())) {
                    Ok(saved) => self.open_saved(saved),
                    // The run goes on untouched.
                    Err(why) => self.save_error = Some(why),
                }
            }
            Msg::StartOver => {
                storage::forget(&self.state.config);
                self.kept = NOTHING_KEPT.into();
                self.save_error = None;
                self.playing = false;
                self.runner.send(Command::Pause);
                self.act(Action::Reset, false);
            }
            Msg::Dragging(on) => {
                if self.dropping == on {
                    return false;
                }
                self.dropping = on;
            }
            Msg::Watchdog => {
                let silent = now() - self.last_heard;
                if self.playing && *self.runner.mode() == Mode::Worker && silent > HUNG_AFTER_MS {
                    self.recover(
                        ctx,
                        format!("it had not answered for {:.0} s", silent / 1000.0),
                        false,
                    );
                    return true;
                }
                return false;
            }
            Msg::Heard(Heard::Event(e)) => {
                self.last_heard = now();
                return self.on_event(ctx, e);
            }
            Msg::Heard(Heard::Failed(why)) => {
                self.recover(ctx, why, true);
            }
            Msg::Heard(Heard::Died(why)) => {
                self.recover(ctx, why, false);
            }
            Msg::Embed(command) => return self.embed_command(ctx, command),
            Msg::EmbedIgnored => self.embed_ignored += 1,
            Msg::Sandbox(readings) => self.sandbox = Rc::new(readings),
            Msg::OwnFile(file) => {
                let size = file.size() as u64;
                let refused = np_engine::data::table::check_file_size(size)
                    .map_err(|e| e.to_string())
                    .and_then(|()| not_a_workbook(&file.name()));
                if let Err(e) = refused {
                    self.fetch = DataFetch::Failed {
                        dataset: Dataset::Own,
                        why: format!("{}: {e}", file.name()),
                    };
                    return true;
                }
                self.fetch = DataFetch::Loading {
                    dataset: Dataset::Own,
                    loaded: 0,
                    total: Some(size),
                };
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let kept = own_store::store(&file).await;
                    link.send_message(Msg::OwnFileKept(kept));
                });
            }
            Msg::OwnFileKept(Ok(())) => {
                // The host drops the file it read before, then the config names the new one.
                self.runner.send(Command::OwnFileStored);
                self.playing = false;
                self.act(Action::UseOwnFile, true);
            }
            Msg::OwnFileKept(Err(why)) | Msg::OwnFileForgotten(Err(why)) => {
                self.fetch = DataFetch::Failed {
                    dataset: Dataset::Own,
                    why,
                };
            }
            Msg::ForgetOwnFile => {
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let done = own_store::forget().await;
                    link.send_message(Msg::OwnFileForgotten(done));
                });
                return false;
            }
            Msg::OwnFileForgotten(Ok(())) => {
                self.runner.send(Command::OwnFileStored);
                self.fetch = DataFetch::Idle;
                self.act(Action::ForgetOwnFile, true);
            }
            Msg::TaskReached(lesson, task) => {
                let words = crate::lessons::find(&lesson)
                    .and_then(|l| l.tasks.get(task.wrapping_sub(1)))
                    .map_or_else(|| format!("task {task}"), |t| t.try_.clone());
                let count = self.reached_words.as_ref().map_or(0, |(n, _)| n + 1);
                self.reached_words = Some((count, words));
                if let Some(b) = &self.bridge {
                    b.post(&Outgoing::TaskReached { lesson, task });
                }
                return true;
            }
            Msg::Frame => {
                self.frame = None;
                let t = now();
                let interval = MIN_DRAW_INTERVAL_MS.max(4.0 * self.draw_cost);
                if t - self.last_draw < interval {
                    self.schedule(ctx);
                    return false;
                }
                let Some(incoming) = self.incoming.take() else {
                    return false;
                };
                let snapshot = incoming.into_snapshot(&self.data);
                self.data = snapshot.data.clone();
                self.snapshot = Rc::new(snapshot);
                self.live = true;
                if let Some(b) = &mut self.bridge {
                    b.epoch(self.snapshot.latest);
                }
                self.last_draw = t;
                self.draw_started = Some(t);
                return true;
            }
        }
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let state = AppState::from_hash(&location_hash());
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
        let mut runner = Runner::start(&state.config, state.revision, heard(ctx));
        let (kept, restored) = restore_kept(&state.config, &mut runner);
        let bridge = Bridge::start(
            &state.config,
            ctx.link().callback(Msg::Embed),
            ctx.link().callback(|()| Msg::EmbedIgnored),
        );
        // Until the host's first snapshot (the worker takes a moment to load).
        let snapshot = Rc::new(placeholder(&state.config, state.revision));
        let data = snapshot.data.clone();
        Self {
            config: Rc::new(state.config.clone()),
            network_revision: state.revision,
            state,
            runner,
            snapshot,
            data,
            fetch: DataFetch::Idle,
            incoming: None,
            live: false,
            playing: false,
            diverged: None,
            checkpoint: restored,
            restarts: Vec::new(),
            frame: None,
            last_draw: f64::NEG_INFINITY,
            draw_started: None,
            draw_cost: 0.0,
            backend_label: None,
            adapter: None,
            fallback_notice: None,
            worker_notice: None,
            kept,
            save_error: None,
            download_wanted: false,
            dropping: false,
            classroom_open: false,
            shortcuts_open: false,
            engine_graph: None,
            engine_step: None,
            engine_check: None,
            checking: false,
            on_engine: ctx.link().callback(Msg::Engine),
            landscape: Default::default(),
            on_landscape: ctx.link().callback(Msg::Landscape),
            stepper_focus: None,
            on_stepper_focus: ctx.link().callback(Msg::StepperFocus),
            last_heard: now(),
            _watchdog: {
                let link = ctx.link().clone();
                gloo::timers::callback::Interval::new(WATCHDOG_EVERY_MS, move || {
                    link.send_message(Msg::Watchdog)
                })
            },
            bridge,
            embed_ignored: 0,
            root: NodeRef::default(),
            on_task_reached: ctx
                .link()
                .callback(|(lesson, task)| Msg::TaskReached(lesson, task)),
            reached_words: None,
            sandbox: Rc::default(),
            on_sandbox: ctx.link().callback(Msg::Sandbox),
            _listeners: listeners,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        // A locked button does nothing, clicked (it is disabled) or by its key.
        if let Some(button) = button_of(&msg) {
            if self.config.locks(button) {
                return false;
            }
        }
        self.handle(ctx, msg)
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            if let (Some(b), Some(root)) = (&mut self.bridge, self.root.cast::<web_sys::Element>())
            {
                b.observe(root);
            }
        }
        if let Some(started) = self.draw_started.take() {
            let cost = now() - started;
            self.draw_cost = 0.7 * self.draw_cost + 0.3 * cost;
            // Drawn: the host may make the next snapshot.
            self.runner.send(Command::Ready);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let c = &self.config;
        let on_action = link.callback(Msg::Act);
        let notices = self.fallback_notice.iter().chain(self.worker_notice.iter());
        let on_file = link.callback(Msg::OpenFile);
        // A drop opens a saved run, unless the instructor hid or locked the save area; either
        // way a dropped file never replaces the page (the browser's default), losing the run.
        let drops = c.shows("saveArea") && !c.locks("saveArea");
        let c_shows_data = c.shows("dataset") && !c.locks("dataset");
        let ondragover = link.batch_callback(move |e: DragEvent| {
            carries_files(&e).then(|| {
                e.prevent_default();
                Msg::Dragging(drops)
            })
        });
        let ondragleave = link.batch_callback(|e: DragEvent| {
            // Moving between the page's own elements is no leaving.
            e.related_target().is_none().then_some(Msg::Dragging(false))
        });
        let ondrop = {
            let on_file = on_file.clone();
            let link = link.clone();
            Callback::from(move |e: DragEvent| {
                if !carries_files(&e) {
                    return;
                }
                link.send_message(Msg::Dragging(false));
                if e.default_prevented() {
                    // The data area's own drop zone took the file.
                    return;
                }
                e.prevent_default();
                if !drops {
                    return;
                }
                if let Some(file) = e
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|f| f.get(0))
                {
                    // A table is data for the data area; anything else is taken for a saved run.
                    if looks_like_table(&file) && c_shows_data {
                        link.send_message(Msg::OwnFile(file));
                    } else {
                        read_file(file, on_file.clone());
                    }
                }
            })
        };
        let graphs_lesson = c.lesson.as_deref() == Some("graphs");
        html! {
            <div class={classes!("app", c.hide_text.then_some("hide-text"), (!c.shows("help")).then_some("hide-help"),
                    c.embed.then_some("embedded"), self.dropping.then_some("dropping"))} data-testid="app"
                data-live={self.live.to_string()} data-version={self.snapshot.version.to_string()} ref={self.root.clone()}
                data-embed-ignored={self.bridge.as_ref().map(|_| self.embed_ignored.to_string())}
                {ondragover} {ondragleave} {ondrop}>
                <crate::lessons::panel::LessonPanel config={c.clone()} snapshot={self.snapshot.clone()}
                    on_reached={self.on_task_reached.clone()} sandbox={self.sandbox.clone()} />
                <Announcer snapshot={self.snapshot.clone()} playing={self.playing} reached={self.reached_words.clone()} />
                // Embedded, the course page around the playground is its header.
                if !c.embed {
                <header class="app-header">
                    <h1 class="app-title">{ "Neural Playground" }</h1>
                    <span class="app-subtitle">{ "Build, train and look inside neural networks" }</span>
                    <BackendBadge label={self.backend_label.clone()} adapter={self.adapter.clone()}
                        mode={self.runner.mode().describe()} in_worker={*self.runner.mode() == Mode::Worker} />
                    <button type="button" class="btn btn-shortcuts" data-testid="shortcuts-open"
                        aria-expanded={self.shortcuts_open.to_string()} aria-keyshortcuts="?"
                        title="Keyboard shortcuts (?)" onclick={link.callback(|_| Msg::ToggleShortcuts)}>
                        { "Keys" }</button>
                    { guard(c, "classroom", html! {
                        <button type="button" class="btn btn-classroom" data-testid="classroom-open"
                            aria-expanded={self.classroom_open.to_string()}
                            title={title(c, "classroom", "For instructors: hide or lock controls, and get a link or an embed snippet")}
                            onclick={link.callback(|_| Msg::ToggleClassroom)}>{ "Classroom" }</button>
                    }) }
                </header>
                }
                if self.shortcuts_open {
                    <ShortcutList on_close={link.callback(|_| Msg::ToggleShortcuts)} />
                }
                if self.classroom_open {
                    <Classroom config={c.clone()} on_action={on_action.clone()} on_close={link.callback(|_| Msg::ToggleClassroom)} />
                }
                { for notices.map(|n| html! {
                    <p class="alert alert-notice backend-notice" role="status" data-testid="backend-notice">{ n.clone() }</p>
                }) }
                <Notices notices={self.state.notices.clone()} diverged={self.diverged.clone()}
                    stopped_early={self.snapshot.progress.stopped_early.clone()}
                    on_dismiss={link.callback(|_| Msg::Act(Action::DismissNotices))} />
                <Controls config={c.clone()} playing={self.playing} epoch={self.snapshot.epoch}
                    progress={self.snapshot.progress.clone()} on_action={on_action.clone()}
                    on_toggle_play={link.callback(|_| Msg::TogglePlay)} on_step={link.callback(|_| Msg::StepEpoch)}
                    on_step_batch={link.callback(|_| Msg::StepBatch)} on_reset={link.callback(|_| Msg::Reset)}
                    on_speed={link.callback(|s| Msg::Act(Action::SetSpeed(s)))} />
                // In the graphs lesson the sandbox is the lesson's instrument: first, and open.
                if graphs_lesson {
                    <SandboxArea open=true on_readings={self.on_sandbox.clone()} />
                }
                <main class="workspace">
                    <section class="area area-data" data-testid="area-data" aria-label="Data">
                        <h2>{ "Data" }<Help name="data" /></h2>
                        <DataArea config={c.clone()} on_action={on_action.clone()} data={self.data.clone()} fetch={self.fetch.clone()}
                    on_own_file={link.callback(Msg::OwnFile)} on_forget_own={link.callback(|()| Msg::ForgetOwnFile)} />
                    </section>
                    <section class="area area-network" data-testid="area-network" aria-label="Network">
                        <h2>{ "Network" }<Help name="network" /></h2>
                        <Network config={c.clone()} snapshot={self.snapshot.clone()} on_action={on_action.clone()}
                            on_edit={link.callback(|(t, v)| Msg::Edit(t, v))} focus_layer={self.stepper_focus} />
                    </section>
                    <section class="area area-output" data-testid="area-output" aria-label="Output">
                        <h2>{ "Output" }<Help name="output" /></h2>
                        <OutputArea config={c.clone()} snapshot={self.snapshot.clone()} on_action={on_action} fetch={self.fetch.clone()} />
                    </section>
                    <section class="area area-charts" data-testid="area-charts" aria-label="Charts">
                        <h2>{ "Training curves" }<Help name="loss" /></h2>
                        <div class="charts-row">
                            { guard(c, "lossChart", html! {
                                <LossChart snapshot={self.snapshot.clone()} log={c.log_scale} show_log={c.shows("logScale")}
                                    lock_log={c.locks("logScale")} on_log={link.callback(|v| Msg::Act(Action::SetLogScale(v)))} />
                            }) }
                        </div>
                    </section>
                    // Hidden here; locked inside, so that their help still opens.
                    if c.shows("saveArea") {
                        <SaveArea status={self.kept.clone()} error={self.save_error.clone()} locked={c.locks("saveArea")}
                            on_download={link.callback(|_| Msg::Download)} on_file={on_file}
                            on_start_over={link.callback(|_| Msg::StartOver)} />
                    }
                    if c.shows("exportArea") {
                        <crate::components::export::ExportArea config={c.clone()} snapshot={self.snapshot.clone()} />
                    }
                    <section class="area area-engine" data-testid="area-engine" aria-label="Inside the engine">
                        <h2>{ "Inside the engine" }</h2>
                        <EngineArea snapshot={self.snapshot.clone()} graph={self.engine_graph.clone()} step={self.engine_step.clone()}
                            check={self.engine_check.clone()} checking={self.checking} on_ask={self.on_engine.clone()}
                            on_focus={self.on_stepper_focus.clone()} />
                    </section>
                    <section class="area area-inspect" data-testid="area-inspect" aria-label="Inside the network">
                        <h2>{ "Inside the network" }</h2>
                        <crate::inspector::container::Inspector snapshot={self.snapshot.clone()} config={c.clone()} playing={self.playing}
                            on_action={link.callback(Msg::Act)} />
                    </section>
                    <crate::instruments::area::InstrumentsArea race_open={c.lesson.as_deref() == Some("optimizers")}
                        landscape_open={c.lesson.as_deref() == Some("linear-regression")}
                        approximation_open={c.lesson.as_deref() == Some("universal-approximation")}
                        config={c.clone()} on_action={link.callback(Msg::Act)} snapshot={self.snapshot.clone()}
                        landscape={self.landscape.clone()} on_landscape={self.on_landscape.clone()} />
                    if !graphs_lesson {
                        <SandboxArea open=false on_readings={self.on_sandbox.clone()} />
                    }
                </main>
            </div>
        }
    }
}

/// Whether a drag carries files (not text or an element of the page).
fn carries_files(e: &DragEvent) -> bool {
    e.data_transfer().is_some_and(|d| {
        d.types()
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

/// The button (its name in `config::controls::CONTROLS`) whose action `msg` is, for locks.
fn button_of(msg: &Msg) -> Option<&'static str> {
    match msg {
        Msg::TogglePlay => Some("playButton"),
        Msg::StepEpoch | Msg::StepBatch | Msg::Engine(EngineAsk::Take(_)) => Some("stepButton"),
        Msg::Reset => Some("resetButton"),
        _ => None,
    }
}

/// The message a key press asks for (`components::shortcuts::SHORTCUTS`). Keys typed into a
/// field, and Space or Enter on a focused control, are the field's or the control's.
fn shortcut(e: &web_sys::KeyboardEvent) -> Option<Msg> {
    // An Element, not an HtmlElement: the graph view's focusable nodes are SVG.
    let focus = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let focus = focus.map_or(shortcuts::Focus::Page, |el| {
        let focusable = el
            .get_attribute("tabindex")
            .and_then(|t| t.trim().parse::<i32>().ok())
            .is_some_and(|t| t >= 0);
        let editable = el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable());
        shortcuts::Focus::of(&el.tag_name(), focusable, editable)
    });
    let modified = e.ctrl_key() || e.meta_key() || e.alt_key();
    Some(match shortcuts::shortcut_for(&e.key(), modified, focus)? {
        Shortcut::TogglePlay => Msg::TogglePlay,
        Shortcut::StepEpoch => Msg::StepEpoch,
        Shortcut::StepBatch => Msg::StepBatch,
        Shortcut::Reset => Msg::Reset,
        Shortcut::List => Msg::ToggleShortcuts,
    })
}
