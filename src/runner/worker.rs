//! The worker mode. The worker loads the page's own build (`www/worker.js` imports the same
//! JavaScript module and wasm file the page loaded, so nothing is built or downloaded twice) and
//! calls `worker_main`, which runs the host's loop there. Messages are MessagePack bytes in an
//! `ArrayBuffer`, transferred (`crate::protocol`).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::drive::{drive, Inbox, Io};
use crate::adapter_check::js_text;
use crate::protocol::{decode, encode, Command, Event};
use crate::session::host::Host;

/// Longest training slice in the worker, in ms: a command waits at most this long.
const SLICE_MS: f64 = 8.0;

fn scope() -> Option<web_sys::DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

/// `bytes` as a transferable message to `target` (a worker, or the worker's own scope).
fn post_bytes(bytes: Vec<u8>, post: impl Fn(&JsValue, &Array) -> Result<(), JsValue>) {
    let array = Uint8Array::from(bytes.as_slice());
    let buffer = array.buffer();
    let transfer = Array::of1(&buffer);
    if let Err(e) = post(&buffer, &transfer) {
        web_sys::console::error_2(&"posting a message failed".into(), &e);
    }
}

fn bytes_of(data: &JsValue) -> Option<Vec<u8>> {
    data.dyn_ref::<js_sys::ArrayBuffer>()
        .map(|b| Uint8Array::new(b).to_vec())
}

struct WorkerIo {
    scope: web_sys::DedicatedWorkerGlobalScope,
    performance: Option<web_sys::Performance>,
    /// One channel reused for every yield: a message to ourselves is a macrotask without the
    /// 4 ms clamp that nested timers get.
    channel: web_sys::MessageChannel,
}

impl Io for WorkerIo {
    fn now(&self) -> f64 {
        self.performance.as_ref().map_or(0.0, |p| p.now())
    }

    fn slice_ms(&self) -> f64 {
        SLICE_MS
    }

    fn post(&self, event: Event) {
        match encode(&event) {
            Ok(bytes) => post_bytes(bytes, |m, t| self.scope.post_message_with_transfer(m, t)),
            Err(e) => web_sys::console::error_1(&e.into()),
        }
    }

    fn yield_now(&self) -> Pin<Box<dyn Future<Output = ()>>> {
        let port1 = self.channel.port1();
        let port2 = self.channel.port2();
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            port1.set_onmessage(Some(&resolve));
            let _ = port2.post_message(&JsValue::NULL);
        });
        Box::pin(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        })
    }
}

/// The worker's entry point, called by `www/worker.js` once the module is loaded. The first
/// command must be `Configure`: it builds the host, and the loop starts.
#[wasm_bindgen]
pub fn worker_main() -> Result<(), JsValue> {
    let scope = scope().ok_or("worker_main runs only in a dedicated worker")?;
    let inbox = Rc::new(Inbox::default());
    let started = Rc::new(RefCell::new(false));
    let io = Rc::new(RefCell::new(Some(WorkerIo {
        scope: scope.clone(),
        performance: Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into().ok()),
        channel: web_sys::MessageChannel::new()?,
    })));
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let command = match bytes_of(&e.data()).map(|b| decode::<Command>(&b)) {
                Some(Ok(c)) => c,
                Some(Err(why)) => return web_sys::console::warn_1(&why.into()),
                None => {
                    return web_sys::console::warn_1(&"a message that is not bytes; ignored".into())
                }
            };
            if *started.borrow() {
                inbox.push(command);
                return;
            }
            let Command::Configure { config, .. } = &command else {
                return web_sys::console::warn_1(&"the worker waits for its configuration".into());
            };
            let Some(io) = io.borrow_mut().take() else {
                return;
            };
            *started.borrow_mut() = true;
            let host = Host::new(config, io.now());
            wasm_bindgen_futures::spawn_local(drive(host, inbox.clone(), io));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Tells the page the worker is listening (a plain value, not a protocol message).
    scope.post_message(&JsValue::from_str("listening"))?;
    Ok(())
}

/// The page's end of the worker.
pub struct WorkerLink {
    worker: web_sys::Worker,
    /// Commands sent before the worker listens.
    queued: Rc<RefCell<Option<Vec<Command>>>>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    _error: Closure<dyn FnMut(web_sys::Event)>,
}

impl std::fmt::Debug for WorkerLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerLink").finish_non_exhaustive()
    }
}

/// What the page hears from its worker.
#[derive(Debug)]
pub enum Heard {
    Event(Event),
    /// The worker could not start (its module failed to load): the page trains itself.
    Failed(String),
    /// The worker died (a crash, out of memory).
    Died(String),
}

/// The URLs of the page's own JavaScript module and wasm file, from the preload links the
/// build writes into the page.
fn build_urls() -> Option<(String, String)> {
    let doc = web_sys::window()?.document()?;
    let href = |selector: &str| {
        doc.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlLinkElement>().ok())
            .map(|l| l.href())
    };
    Some((
        href("link[rel=modulepreload][href*='neural-playground']")?,
        href("link[rel=preload][href$='.wasm']")?,
    ))
}

impl WorkerLink {
    /// Starts the worker; `heard` receives everything it says. `Err`: no worker can run here
    /// (the reason, for the badge).
    pub fn start(heard: impl Fn(Heard) + 'static) -> Result<Self, String> {
        let (module, wasm) =
            build_urls().ok_or("the page does not name its build files (a development page?)")?;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        // Relative to the page, so a copy hosted under any sub-path finds it.
        let worker = web_sys::Worker::new_with_options("./worker.js", &options)
            .map_err(|e| format!("workers are not available ({})", js_text(&e)))?;
        let heard = Rc::new(heard);
        let queued: Rc<RefCell<Option<Vec<Command>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let on_message = {
            let (heard, queued, worker) = (heard.clone(), queued.clone(), worker.clone());
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let data = e.data();
                if let Some(bytes) = bytes_of(&data) {
                    match decode::<Event>(&bytes) {
                        Ok(event) => heard(Heard::Event(event)),
                        Err(why) => web_sys::console::warn_1(&why.into()),
                    }
                } else if data.as_string().as_deref() == Some("listening") {
                    for c in queued.borrow_mut().take().unwrap_or_default() {
                        send_to(&worker, &c);
                    }
                } else if let Ok(failed) = Reflect::get(&data, &"failed".into()) {
                    if let Some(why) = failed.as_string() {
                        heard(Heard::Failed(why));
                    }
                }
            })
        };
        let on_error = {
            let (heard, queued) = (heard.clone(), queued.clone());
            // An `ErrorEvent` for an error inside the worker, a plain `Event` when its script
            // did not load: the message is read, not assumed.
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                e.prevent_default();
                let message = Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string());
                let why = match message {
                    Some(m) if !m.is_empty() => m,
                    _ => "the worker script did not load".to_string(),
                };
                // Before it listened, the worker never ran: it cannot run here.
                heard(if queued.borrow().is_some() {
                    Heard::Failed(why)
                } else {
                    Heard::Died(why)
                });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let hello = js_sys::Object::new();
        let _ = Reflect::set(&hello, &"module".into(), &module.into());
        let _ = Reflect::set(&hello, &"wasm".into(), &wasm.into());
        worker.post_message(&hello).map_err(|e| {
            format!(
                "the worker did not take its first message ({})",
                js_text(&e)
            )
        })?;
        Ok(Self {
            worker,
            queued,
            _handlers: vec![on_message],
            _error: on_error,
        })
    }

    pub fn send(&self, c: Command) {
        match self.queued.borrow_mut().as_mut() {
            Some(q) => q.push(c),
            None => send_to(&self.worker, &c),
        }
    }
}

impl Drop for WorkerLink {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

fn send_to(worker: &web_sys::Worker, c: &Command) {
    match encode(c) {
        Ok(bytes) => post_bytes(bytes, |m, t| worker.post_message_with_transfer(m, t)),
        Err(e) => web_sys::console::error_1(&e.into()),
    }
}
