//! The page's root: the lesson gallery for a URL without an experiment, the playground
//! (`crate::app::App`, with the lesson panel inside it) otherwise. See [`super::route`].
//!
//! Its listeners on `popstate`/`hashchange` are registered before the playground's (a parent is
//! created before its children), so they see every navigation first: a lesson's bare link is
//! rewritten to the lesson's preset before the playground reads the hash, and a navigation to
//! the gallery stops there (the playground would otherwise load the default experiment into the
//! address bar on its way out).

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::gallery::Gallery;
use super::route::{route, Route};
use crate::app::App;

pub enum FrontMsg {
    Gallery(Option<String>),
    Playground,
}

enum View {
    Gallery(Option<String>),
    Playground,
}

pub struct Front {
    view: View,
    _listeners: Vec<EventListener>,
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Puts `text` in the address bar without a new history entry.
fn replace_hash(text: &str) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    if let Err(e) = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{text}"))) {
        web_sys::console::warn_1(&e);
    }
}

/// Resolves the current hash: rewrites the address bar where the route asks, and says what
/// to show.
fn resolve() -> FrontMsg {
    match route(&location_hash()) {
        Route::Gallery { notice } => FrontMsg::Gallery(notice),
        Route::Playground { rewrite } => {
            if let Some(text) = rewrite {
                replace_hash(&text);
            }
            FrontMsg::Playground
        }
    }
}

impl Component for Front {
    type Message = FrontMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            for event in ["popstate", "hashchange"] {
                let link = ctx.link().clone();
                listeners.push(EventListener::new(&window, event, move |e| {
                    let msg = resolve();
                    if matches!(msg, FrontMsg::Gallery(_)) {
                        // The playground's own listener must not see this navigation.
                        e.stop_immediate_propagation();
                    }
                    link.send_message(msg);
                }));
            }
        }
        let view = match resolve() {
            FrontMsg::Gallery(n) => View::Gallery(n),
            FrontMsg::Playground => View::Playground,
        };
        Self {
            view,
            _listeners: listeners,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: FrontMsg) -> bool {
        match (msg, &self.view) {
            (FrontMsg::Playground, View::Playground) => false,
            (FrontMsg::Playground, _) => {
                self.view = View::Playground;
                true
            }
            (FrontMsg::Gallery(n), _) => {
                self.view = View::Gallery(n);
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
                true
            }
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        match &self.view {
            View::Gallery(notice) => html! { <Gallery notice={notice.clone()} /> },
            View::Playground => html! { <App /> },
        }
    }
}
