//! The training host: a `Session` driven by `Command`s, telling the page what happened by
//! `Event`s (`crate::protocol`). It decides what to do next (`Host::next`) and the caller's loop
//! does it: in a Web Worker (`runner::worker`) or, where workers cannot run the engine, on the
//! page between frames (`runner::local`). DOM-free and synchronous, so it is tested natively;
//! the loops own the awaiting (reads, backend opening) and the clock.

use std::rc::Rc;

use np_wgpu::FallbackBackend;

use super::run::{Pace, RunControl, Step};
use super::{own, shipped, Data, EvalReads, PendingEval, Session};
use crate::config::{BackendChoice, Config, Dataset};
use crate::protocol::{Checkpoint, Command, Edit, Event, WireSnapshot};
use crate::state::Impact;

/// Least time between two checkpoints, in ms: the most training a dead worker can lose.
const CHECKPOINT_EVERY_MS: f64 = 1000.0;

/// What the loop should do next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Work {
    /// Read the owed metrics (`Host::begin_eval`), and the view too when `view`.
    Evaluate { view: bool },
    /// Take a step the student asked for (`Host::step`).
    Step(Step),
    /// Train for one slice, at most `max_epochs` epochs (`Host::train`).
    Train { max_epochs: u32 },
    /// Write a checkpoint (`Session::checkpoint_async`, then `Host::checkpointed`).
    Checkpoint,
    /// Nothing to do until a command arrives or, when given, `ms` pass.
    Wait { ms: Option<f64> },
}

/// What the loop's fetch of a shipped dataset's file reports (`Host::data_arrived`).
#[derive(Debug, Clone, PartialEq)]
pub enum DataArrival {
    /// `loaded` bytes of `total` (when the server said) have arrived.
    Progress {
        dataset: Dataset,
        loaded: u64,
        total: Option<u64>,
    },
    Loaded {
        dataset: Dataset,
        /// The file's name: the shipped file's address, or the name the student's file had.
        name: String,
        bytes: Vec<u8>,
    },
    /// The student's file, read into a table while it streamed from the browser's storage.
    OwnTable {
        name: String,
        table: Box<np_engine::data::table::Table>,
    },
    /// The fetch failed; `why` says what to do.
    Failed { dataset: Dataset, why: String },
}

/// A backend to open for the config's choice; `Host::opened` takes the result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackendRequest {
    pub generation: u64,
    pub choice: BackendChoice,
    /// One training step's floating-point operations (the automatic choice's input).
    pub step_flops: f64,
}

#[derive(Debug)]
pub struct Host {
    session: Session,
    config: Config,
    run: RunControl,
    pace: Pace,
    /// The page can draw another snapshot.
    ready: bool,
    /// The page's revision of the config, as of the last `Configure`.
    revision: u64,
    /// Version of the last snapshot sent, and the data set it carried.
    sent: Option<u64>,
    sent_data: Option<Rc<Data>>,
    /// Version and time (ms) of the last checkpoint.
    checkpointed: Option<u64>,
    checkpoint_at: f64,
    /// The page asked for a checkpoint of the run as it stands (`Command::Checkpoint`).
    checkpoint_wanted: bool,
    /// Counts backend requests, so only the latest opening is adopted.
    backend_generation: u64,
    backend_request: Option<BackendRequest>,
    /// The stop, the early stop and the fallback already told to the page.
    told_stop: bool,
    told_early_stop: bool,
    told_fallback: bool,
    /// Datasets whose file the loop was asked to read (shipped, or the student's).
    data_requested: Vec<Dataset>,
    /// Those of them whose read failed: asked for again after the next Configure or Play.
    data_failed: Vec<Dataset>,
    /// A run to continue once the file its session waits for is loaded.
    pending_restore: Option<Box<Checkpoint>>,
    events: Vec<Event>,
}

impl Host {
    /// A host for `config`, training on the CPU until the backend it asks for is open.
    pub fn new(config: &Config, now: f64) -> Self {
        let mut host = Self {
            session: Session::new(config),
            config: config.clone(),
            run: RunControl::default(),
            pace: Pace::new(config.speed, now),
            ready: true,
            revision: 0,
            sent: None,
            sent_data: None,
            checkpointed: None,
            checkpoint_at: now,
            checkpoint_wanted: false,
            backend_generation: 0,
            backend_request: None,
            told_stop: false,
            told_early_stop: false,
            told_fallback: false,
            data_requested: Vec::new(),
            data_failed: Vec::new(),
            pending_restore: None,
            events: Vec::new(),
        };
        host.request_backend();
        host.notice_stop();
        host
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    #[cfg(test)]
    pub fn playing(&self) -> bool {
        self.run.playing()
    }

    /// The events since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The backend to open, once per request.
    pub fn take_backend_request(&mut self) -> Option<BackendRequest> {
        self.backend_request.take()
    }

    /// A shipped dataset's file to fetch, once per dataset (again after a failed fetch).
    pub fn take_data_request(&mut self) -> Option<Dataset> {
        let wanted = self.session.waiting_for()?;
        if self.data_requested.contains(&wanted) {
            return None;
        }
        self.data_requested.push(wanted);
        Some(wanted)
    }

    /// Takes what the fetch of a file reported. A loaded file builds the session that waited
    /// for it, which then plays, steps or continues a restored run as it was asked to meanwhile.
    pub fn data_arrived(&mut self, arrival: DataArrival) {
        match arrival {
            DataArrival::Progress {
                dataset,
                loaded,
                total,
            } => self.events.push(Event::DataProgress {
                dataset,
                loaded,
                total,
            }),
            DataArrival::Loaded {
                dataset,
                name,
                bytes,
            } => match if dataset == Dataset::Own {
                own::load(&name, &bytes)
            } else {
                shipped::load(dataset, &bytes)
            } {
                Ok(()) => self.data_ready(dataset),
                Err(why) => self.data_failed(dataset, why),
            },
            DataArrival::OwnTable { name, table } => {
                own::adopt(&name, *table);
                self.data_ready(Dataset::Own);
            }
            DataArrival::Failed { dataset, why } => self.data_failed(dataset, why),
        }
        self.notice_stop();
    }

    /// A file arrived and was read: the session that waited for it is built.
    fn data_ready(&mut self, dataset: Dataset) {
        self.events.push(Event::DataLoaded { dataset });
        if self.session.waiting_for() == Some(dataset) {
            let config = self.config.clone();
            self.session.update(&config, Impact::Rebuild);
            self.request_backend();
            if let Some(c) = self.pending_restore.take() {
                self.restore(&c);
            }
        }
    }

    fn data_failed(&mut self, dataset: Dataset, why: String) {
        // Asked again after the student's next change or Play (the notice says to retry), not
        // at once: a file that is missing would be fetched in a loop.
        if !self.data_failed.contains(&dataset) {
            self.data_failed.push(dataset);
        }
        self.events.push(Event::DataFailed { dataset, why });
    }

    /// Lets the files that failed be asked for again.
    fn retry_failed_data(&mut self) {
        for d in std::mem::take(&mut self.data_failed) {
            self.data_requested.retain(|&r| r != d);
        }
    }

    fn restore(&mut self, c: &Checkpoint) {
        if let Err(why) = self.session.restore(c) {
            self.events.push(Event::NotRestored { why });
        }
    }

    fn request_backend(&mut self) {
        self.backend_generation += 1;
        self.backend_request = Some(BackendRequest {
            generation: self.backend_generation,
            choice: self.config.backend,
            step_flops: self.session.step_flops(),
        });
    }

    pub fn handle(&mut self, command: Command, now: f64) {
        match command {
            Command::Configure {
                config,
                impact,
                revision,
            } => {
                self.revision = revision;
                self.retry_failed_data();
                let backend_changed = config.backend != self.config.backend;
                if config.speed != self.config.speed {
                    self.pace.restart(config.speed, now);
                }
                self.session.update(&config, impact);
                self.config = *config;
                if impact >= Impact::Reset {
                    self.pending_restore = None;
                    self.run.rebuilt();
                    self.told_stop = false;
                    self.told_fallback = false;
                }
                if backend_changed {
                    self.request_backend();
                }
            }
            Command::Play => {
                self.retry_failed_data();
                // Waiting for its data, the run plays once the file is loaded.
                if self.session.can_train() || self.session.waiting_for().is_some() {
                    self.run.play();
                    self.pace.restart(self.config.speed, now);
                }
            }
            Command::Pause => self.run.pause(),
            Command::StepEpoch => self.run.step(Step::Epoch),
            Command::StepBatch => self.run.step(Step::Batch),
            Command::Edit { target, value } => {
                match target {
                    Edit::Weight { layer, to, from } => {
                        self.session.set_weight(layer, to, from, value)
                    }
                    Edit::Bias { layer, to } => self.session.set_bias(layer, to, value),
                }
                self.told_stop = false;
            }
            Command::Ready => self.ready = true,
            Command::OwnFileStored => {
                // Read again, from the stored copy, whenever a session needs it.
                own::forget();
                self.data_requested.retain(|&d| d != Dataset::Own);
                self.data_failed.retain(|&d| d != Dataset::Own);
                if self.config.active_dataset() == Dataset::Own {
                    let config = self.config.clone();
                    self.session.update(&config, Impact::Rebuild);
                    self.pending_restore = None;
                    self.run.rebuilt();
                }
            }
            Command::Checkpoint => self.checkpoint_wanted = true,
            Command::Restore(c) if self.session.waiting_for().is_some() => {
                self.pending_restore = Some(c);
            }
            Command::Restore(c) => self.restore(&c),
            // Answered at once: the engine computes them synchronously on the CPU.
            Command::Explain { pick, view } => {
                let result = self.session.explain(pick).map(Box::new);
                self.events.push(Event::Explained { view, result });
            }
            Command::StepRow { row } => {
                self.run.pause();
                if let Err(why) = self.session.step_row(row) {
                    self.events.push(Event::NotStepped { why });
                }
            }
            Command::GradientCheck { limit, seed } => {
                let result = self
                    .session
                    .gradient_check(limit as usize, seed)
                    .map(Box::new);
                self.events.push(Event::GradientChecked(result));
            }
            Command::Landscape(request) => {
                let result = self.session.landscape(&request).map(Box::new);
                self.events.push(Event::Landscape(result));
            }
        }
        self.notice_stop();
    }

    /// What to do next; `now` in ms.
    pub fn next(&mut self, now: f64) -> Work {
        if self.session.waiting_for().is_some() {
            // Nothing to evaluate, step or keep until the data arrives; steps asked for wait.
            return Work::Wait { ms: None };
        }
        let view_wanted = self.ready && self.sent != Some(self.session.version());
        if self.session.eval_due() || view_wanted {
            return Work::Evaluate { view: view_wanted };
        }
        // Asked for: once the steps asked before it are taken, whatever the clock says.
        let wanted = self.checkpoint_wanted && !self.run.stepping();
        if wanted || self.checkpoint_due(now) {
            return Work::Checkpoint;
        }
        if !self.run.playing() || !self.session.can_train() {
            return match self.run.next_step() {
                Some(step) => Work::Step(step),
                // Idle, but a change since the last checkpoint is owed one when its time comes.
                None if self.checkpointed != Some(self.session.version()) => Work::Wait {
                    ms: Some((self.checkpoint_at + CHECKPOINT_EVERY_MS - now).max(1.0)),
                },
                None => Work::Wait { ms: None },
            };
        }
        match self.pace.allowance(now) {
            Ok(max_epochs) => Work::Train { max_epochs },
            Err(ms) => Work::Wait { ms: Some(ms) },
        }
    }

    fn checkpoint_due(&self, now: f64) -> bool {
        self.checkpointed != Some(self.session.version())
            && now - self.checkpoint_at >= CHECKPOINT_EVERY_MS
    }

    /// Submits the reads `Work::Evaluate` asked for. `None`: nothing to read (no network), and
    /// a view asked for is sent as it stands.
    pub fn begin_eval(&mut self, view: bool) -> Option<PendingEval> {
        let pending = self.session.begin_eval(view);
        if pending.is_none() && view {
            self.send_snapshot();
        }
        pending
    }

    /// Applies read values; with `view`, sends the snapshot they complete.
    pub fn finish_eval(&mut self, reads: EvalReads, view: bool) {
        self.session.finish_eval(reads);
        if view && !self.session.eval_due() {
            self.send_snapshot();
        }
        self.notice_fallback();
        self.notice_stop();
    }

    /// Takes the step `Work::Step` named.
    pub fn step(&mut self, step: Step) {
        match step {
            Step::Epoch => self.session.step_epoch(),
            Step::Batch => {
                self.session.step_batch();
            }
        }
        self.notice_stop();
    }

    /// Trains for at most `budget_ms` by `elapsed_ms` and `max_epochs` epochs.
    pub fn train(&mut self, max_epochs: u32, budget_ms: f64, elapsed_ms: impl Fn() -> f64) {
        let done = self.session.train_for(max_epochs, budget_ms, elapsed_ms);
        self.pace.trained(done);
        self.notice_stop();
    }

    /// A checkpoint `Work::Checkpoint` produced (`None`: it could not be read this time).
    pub fn checkpointed(&mut self, c: Option<Checkpoint>, version: u64, now: f64) {
        self.checkpoint_at = now;
        // Asked once, answered once: with no network there is nothing to send (the page says so).
        self.checkpoint_wanted = false;
        if let Some(c) = c {
            self.checkpointed = Some(version);
            self.events.push(Event::Checkpoint {
                run: Box::new(c),
                revision: self.revision,
            });
        }
    }

    /// A backend opened for request `generation`: the run moves onto it where it stands (see
    /// `Session::move_to`). `label` and `adapter` are what the badge shows.
    pub fn opened(
        &mut self,
        generation: u64,
        backend: FallbackBackend,
        label: String,
        adapter: String,
    ) {
        if generation != self.backend_generation {
            return;
        }
        self.events.push(Event::Backend { label, adapter });
        if backend.on_gpu() {
            self.session.move_to(Some(backend));
        } else if self.session.on_gpu() {
            self.session.move_to(None);
        }
        self.told_fallback = false;
    }

    fn send_snapshot(&mut self) {
        let snap = self.session.snapshot();
        let with_data = self
            .sent_data
            .as_ref()
            .is_none_or(|d| !Rc::ptr_eq(d, &snap.data));
        self.sent_data = Some(snap.data.clone());
        self.sent = Some(snap.version);
        self.ready = false;
        self.events.push(Event::Snapshot(Box::new(WireSnapshot::of(
            &snap,
            self.revision,
            with_data,
        ))));
    }

    fn notice_stop(&mut self) {
        match self.session.stopped_early() {
            Some(why) if !self.told_early_stop => {
                self.told_early_stop = true;
                self.run.stopped();
                self.events.push(Event::StoppedEarly { why });
            }
            Some(_) => {}
            None => self.told_early_stop = false,
        }
        match self.session.diverged() {
            Some(why) if !self.told_stop => {
                self.told_stop = true;
                self.run.stopped();
                self.events.push(Event::Stopped {
                    why: why.to_string(),
                });
            }
            Some(_) => {}
            None => self.told_stop = false,
        }
    }

    /// The session is on the fallback handle only when it opened on the GPU, so a reason here
    /// means the device was lost mid-run.
    fn notice_fallback(&mut self) {
        if let Some(why) = self.session.fell_back() {
            if !self.told_fallback {
                self.told_fallback = true;
                self.events.push(Event::FellBack { why });
            }
        }
    }
}

#[cfg(test)]
mod tests;
