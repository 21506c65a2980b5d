//! The browser glue of the embedding API, kept to what needs a DOM: the window's `message`
//! listener (everything it hears goes through `origin::Gate` and `message::parse`), posting
//! events to `window.parent`, the `ResizeObserver` on the page, and the `load` navigation.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use super::event::{EpochThrottle, HeightWatch, Outgoing};
use super::message::{self, Command, Rejection};
use super::origin::Gate;
use crate::config::Config;
use crate::runner::now;
use crate::session::Record;

/// What posting needs, shared with the epoch timer and the resize observer.
struct Outbox {
    /// The embedding window; `None` when the page is not in a frame (nothing to post to).
    parent: Option<web_sys::Window>,
    gate: Gate,
    throttle: EpochThrottle,
    /// The timer that posts a held-back epoch, and whether it is still to fire (a fired one is
    /// dropped when the next is set, never inside its own callback).
    timer: Option<Timeout>,
    timer_armed: bool,
    heights: HeightWatch,
}

impl Outbox {
    fn post(&self, event: &Outgoing) {
        let Some(parent) = &self.parent else {
            return;
        };
        // A plain object for the parent, made from the JSON text (no code in it, nothing but
        // the event's fields).
        let value = js_sys::JSON::parse(&event.to_json().to_string());
        let posted = value.and_then(|v| parent.post_message(&v, self.gate.target_origin()));
        if let Err(e) = posted {
            web_sys::console::warn_2(&"Neural Playground could not post an event:".into(), &e);
        }
    }
}

/// The page's side of the embedding API, alive while the playground is shown with `embed=true`.
pub struct Bridge {
    outbox: Rc<RefCell<Outbox>>,
    ready_sent: bool,
    _listener: Option<EventListener>,
    observer: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
}

/// The embedding window, when the page is in a frame.
fn parent_window(window: &web_sys::Window) -> Option<web_sys::Window> {
    let parent = window.parent().ok().flatten()?;
    let framed = !js_sys::Object::is(&parent, window);
    framed.then_some(parent)
}

/// The message's data as JSON, for the schema check; structured-clone data JSON cannot hold
/// (a BigInt, a cycle, `undefined`) is an error, not an exception.
fn as_json(data: &JsValue) -> Result<serde_json::Value, Rejection> {
    let text = js_sys::JSON::stringify(data)
        .map_err(|e| Rejection::NotJson(crate::adapter_check::js_text(&e)))?;
    let text = JsValue::from(text)
        .as_string()
        .ok_or_else(|| Rejection::NotJson("it has no JSON form".to_string()))?;
    serde_json::from_str(&text).map_err(|e| Rejection::NotJson(e.to_string()))
}

impl Bridge {
    /// Starts listening when `config` asks for embed mode (`None` otherwise). Commands that
    /// pass the checks go to `on_command`; every other message to `on_ignored`, with a console
    /// warning saying why.
    pub fn start(
        config: &Config,
        on_command: Callback<Command>,
        on_ignored: Callback<()>,
    ) -> Option<Self> {
        if !config.embed {
            return None;
        }
        let window = web_sys::window()?;
        let parent = parent_window(&window);
        let gate = Gate::new(config.parent_origin.clone());
        let listener = {
            let gate = gate.clone();
            let parent = parent.clone();
            EventListener::new(&window, "message", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let from_parent = match (e.source(), &parent) {
                    (Some(source), Some(parent)) => js_sys::Object::is(&source, parent),
                    _ => false,
                };
                let command = gate
                    .admit(from_parent, &e.origin())
                    .and_then(|()| as_json(&e.data()))
                    .and_then(|v| message::parse(&v));
                match command {
                    Ok(c) => on_command.emit(c),
                    Err(why) => {
                        web_sys::console::warn_1(
                            &format!(
                                "Neural Playground ignored a message: {why}. The run is unchanged."
                            )
                            .into(),
                        );
                        on_ignored.emit(());
                    }
                }
            })
        };
        let outbox = Outbox {
            parent,
            gate,
            throttle: EpochThrottle::default(),
            timer: None,
            timer_armed: false,
            heights: HeightWatch::default(),
        };
        Some(Self {
            outbox: Rc::new(RefCell::new(outbox)),
            ready_sent: false,
            _listener: Some(listener),
            observer: None,
        })
    }

    pub fn post(&self, event: &Outgoing) {
        self.outbox.borrow().post(event);
    }

    /// `ready`, once: when the first snapshot from the training host arrives.
    pub fn ready(&mut self, config: &Config) {
        if !self.ready_sent {
            self.ready_sent = true;
            self.post(&Outgoing::Ready {
                hash: crate::config::hash::print(config),
                lesson: config.lesson.clone(),
            });
        }
    }

    /// The metrics of a drawn snapshot: posted now, or held back by the throttle and posted by
    /// a timer when their time comes.
    pub fn epoch(&mut self, record: Record) {
        let t = now();
        let mut outbox = self.outbox.borrow_mut();
        if let Some(r) = outbox.throttle.offer(t, record) {
            outbox.post(&Outgoing::Epoch(r));
            return;
        }
        let Some(wait) = outbox.throttle.wait_ms(t) else {
            return;
        };
        if outbox.timer_armed {
            return;
        }
        let shared = self.outbox.clone();
        outbox.timer_armed = true;
        outbox.timer = Some(Timeout::new(wait.ceil() as u32, move || {
            let mut outbox = shared.borrow_mut();
            outbox.timer_armed = false;
            if let Some(r) = outbox.throttle.due(now()) {
                outbox.post(&Outgoing::Epoch(r));
            }
        }));
    }

    /// Posts `resize` with `element`'s bottom edge (the page's content height) now and whenever
    /// it changes.
    pub fn observe(&mut self, element: web_sys::Element) {
        let outbox = self.outbox.clone();
        let target = element.clone();
        let measure = move || {
            let scroll = web_sys::window()
                .and_then(|w| w.scroll_y().ok())
                .unwrap_or(0.0);
            let bottom = element.get_bounding_client_rect().bottom() + scroll;
            let mut outbox = outbox.borrow_mut();
            if let Some(height) = outbox.heights.changed(bottom) {
                outbox.post(&Outgoing::Resize { height });
            }
        };
        let closure = Closure::<dyn FnMut()>::new(measure);
        match web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()) {
            Ok(observer) => {
                // Fires once at once, so the parent hears the first height.
                observer.observe(&target);
                self.observer = Some((observer, closure));
            }
            Err(e) => {
                web_sys::console::warn_2(&"Neural Playground cannot watch its height:".into(), &e)
            }
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let Some((observer, _)) = &self.observer {
            observer.disconnect();
        }
    }
}

/// Opens the hash body `text` in place: `location.replace` with a fragment fires `hashchange`
/// (the lesson route and the playground follow it as they follow a link) without adding an
/// entry to the history the course page's back button walks.
pub fn navigate(text: &str) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    if let Err(e) = location.replace(&format!("#{text}")) {
        web_sys::console::warn_2(
            &"Neural Playground could not load the experiment:".into(),
            &e,
        );
    }
}
