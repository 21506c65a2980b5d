//! The host's loop, the same in the worker and on the page: take the commands that arrived, ask
//! the host what is next, do it (awaiting reads and backend openings), post the events. Where it
//! runs differs only in its `Io`: how it yields, how long a slice may train, where events go.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_timers::future::TimeoutFuture;
use np_wgpu::FallbackBackend;

use crate::adapter_check::{check_webgpu_adapter, AdapterCheck};
use crate::components::backend_badge::describe;
use crate::config::BackendChoice;
use crate::protocol::{Command, Event};
use crate::session::host::{BackendRequest, DataArrival, Host, Work};

/// A backend opened for a request, waiting for the loop to adopt it.
struct Opened {
    generation: u64,
    backend: FallbackBackend,
    label: String,
    adapter: String,
}

/// Commands (and opened backends) waiting for the loop, and the waker of a loop that waits.
#[derive(Default)]
pub struct Inbox {
    commands: RefCell<VecDeque<Command>>,
    opened: RefCell<Vec<Opened>>,
    data: RefCell<Vec<DataArrival>>,
    waker: RefCell<Option<Waker>>,
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("commands", &self.commands.borrow().len())
            .finish_non_exhaustive()
    }
}

impl Inbox {
    pub fn push(&self, c: Command) {
        self.commands.borrow_mut().push_back(c);
        self.wake();
    }

    fn push_opened(&self, o: Opened) {
        self.opened.borrow_mut().push(o);
        self.wake();
    }

    pub(super) fn push_data(&self, d: DataArrival) {
        self.data.borrow_mut().push(d);
        self.wake();
    }

    fn wake(&self) {
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }

    fn has_input(&self) -> bool {
        !self.commands.borrow().is_empty()
            || !self.opened.borrow().is_empty()
            || !self.data.borrow().is_empty()
    }
}

/// Resolves when input arrives or the timer (if any) fires.
struct Arrival {
    inbox: Rc<Inbox>,
    timer: Option<TimeoutFuture>,
}

impl Future for Arrival {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.inbox.has_input() {
            return Poll::Ready(());
        }
        *self.inbox.waker.borrow_mut() = Some(cx.waker().clone());
        let fired = self
            .timer
            .as_mut()
            .is_some_and(|t| Pin::new(t).poll(cx).is_ready());
        if fired {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// Where the loop runs.
pub trait Io {
    /// Milliseconds on a monotonic clock.
    fn now(&self) -> f64;
    /// Longest a training slice may run, in ms: bounds how late a command is taken up.
    fn slice_ms(&self) -> f64;
    fn post(&self, event: Event);
    /// Lets the event loop run (messages in, painting) before the next slice.
    fn yield_now(&self) -> Pin<Box<dyn Future<Output = ()>>>;
}

/// Runs `host` forever on `io`, taking commands from `inbox`.
pub async fn drive(mut host: Host, inbox: Rc<Inbox>, io: impl Io) {
    // Training and evaluating share one slice: the loop yields when it is spent, so many small
    // epochs (each with its evaluation) fit one slice, and one slow epoch still yields.
    let mut slice_start = io.now();
    loop {
        let commands: Vec<Command> = inbox.commands.borrow_mut().drain(..).collect();
        for c in commands {
            host.handle(c, io.now());
        }
        let opened: Vec<Opened> = inbox.opened.borrow_mut().drain(..).collect();
        for o in opened {
            host.opened(o.generation, o.backend, o.label, o.adapter);
        }
        let data: Vec<DataArrival> = inbox.data.borrow_mut().drain(..).collect();
        for d in data {
            host.data_arrived(d);
        }
        if let Some(request) = host.take_backend_request() {
            open(request, inbox.clone());
        }
        if let Some(dataset) = host.take_data_request() {
            super::fetch::fetch_dataset(dataset, inbox.clone());
        }
        let mut trained = false;
        match host.next(io.now()) {
            Work::Evaluate { view } => {
                if let Some(pending) = host.begin_eval(view) {
                    let reads = pending.run().await;
                    if let Some(e) = &reads.checkpoint_error {
                        // The device-loss insurance failed once; training goes on without it.
                        web_sys::console::warn_1(&format!("GPU checkpoint failed: {e}").into());
                    }
                    host.finish_eval(reads, view);
                }
            }
            Work::Step(step) => {
                host.step(step);
                trained = true;
            }
            Work::Train { max_epochs } => {
                host.train(max_epochs, io.slice_ms(), || io.now() - slice_start);
                trained = true;
            }
            Work::Checkpoint => {
                let version = host.session().version();
                let c = host.session().checkpoint_async().await;
                host.checkpointed(c, version, io.now());
            }
            Work::Wait { ms } => {
                for e in host.take_events() {
                    io.post(e);
                }
                let timer = ms.map(|ms| TimeoutFuture::new(ms.ceil().clamp(1.0, 1e6) as u32));
                Arrival {
                    inbox: inbox.clone(),
                    timer,
                }
                .await;
                slice_start = io.now();
                continue;
            }
        }
        for e in host.take_events() {
            io.post(e);
        }
        if trained && io.now() - slice_start >= io.slice_ms() {
            io.yield_now().await;
            slice_start = io.now();
        }
    }
}

/// Opens the backend `request` asks for, off the loop: the run trains on where it is meanwhile.
fn open(request: BackendRequest, inbox: Rc<Inbox>) {
    use np_wgpu::choose::{open_backend, Preference};
    let pref = match request.choice {
        BackendChoice::Auto => Preference::Auto,
        BackendChoice::Cpu => Preference::Cpu,
        BackendChoice::Webgpu => Preference::WebGpu,
    };
    wasm_bindgen_futures::spawn_local(async move {
        let adapter = check_webgpu_adapter().await;
        let cpu: np_wgpu::CpuFactory =
            Box::new(|| Box::new(np_engine::backend::cpu::CpuBackend::new()));
        let backend = open_backend(pref, request.step_flops, cpu).await;
        let label = match (backend.fell_back(), &adapter) {
            (Some(why), _) => why,
            // The browser's own adapter info names SwiftShader; wgpu's is often empty.
            (None, AdapterCheck::Available(name)) if backend.on_gpu() => format!("webgpu: {name}"),
            _ => np_engine::backend::Backend::name(&backend),
        };
        inbox.push_opened(Opened {
            generation: request.generation,
            backend,
            label,
            adapter: describe(&adapter),
        });
    });
}
