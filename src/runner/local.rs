//! The fallback mode: the host's loop on the page itself, where no worker can run the engine.
//! It trains in slices between animation frames, as the page did before the worker existed, so
//! the page stays usable but a large network makes frames late.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use super::drive::{drive, Inbox, Io};
use crate::config::Config;
use crate::protocol::{Command, Event};
use crate::session::host::Host;

/// Training per animation frame, in ms: leaves the rest of a 60 Hz frame for drawing.
const SLICE_MS: f64 = 10.0;

struct PageIo {
    deliver: Rc<dyn Fn(Event)>,
}

/// Milliseconds on the page's monotonic clock.
pub(crate) fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Io for PageIo {
    fn now(&self) -> f64 {
        now()
    }

    fn slice_ms(&self) -> f64 {
        SLICE_MS
    }

    fn post(&self, event: Event) {
        (self.deliver)(event);
    }

    /// Until the next animation frame: the page draws between slices.
    fn yield_now(&self) -> Pin<Box<dyn Future<Output = ()>>> {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(&resolve);
            }
        });
        Box::pin(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        })
    }
}

/// The page's end of the host when it runs on the page.
#[derive(Debug)]
pub struct LocalLink {
    inbox: Rc<Inbox>,
}

impl LocalLink {
    pub fn start(config: &Config, deliver: impl Fn(Event) + 'static) -> Self {
        let inbox = Rc::new(Inbox::default());
        let host = Host::new(config, now());
        let io = PageIo {
            deliver: Rc::new(deliver),
        };
        wasm_bindgen_futures::spawn_local(drive(host, inbox.clone(), io));
        Self { inbox }
    }

    /// A link to nothing: commands are dropped (a placeholder while the runner swaps hosts).
    pub fn idle() -> Self {
        Self {
            inbox: Rc::new(Inbox::default()),
        }
    }

    pub fn send(&self, c: Command) {
        self.inbox.push(c);
    }
}
