//! Neural Playground: the Yew app. A thin layer over the engine: it renders state and
//! dispatches actions, and all computation lives in the engine crates.

// Code that ships reports failures as errors; unit tests (clippy.toml) may unwrap.
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod adapter_check;
mod analysis;
mod app;
mod components;
mod config;
mod draw;
mod embed;
mod engine;
mod export;
mod inspector;
mod instruments;
mod lessons;
mod protocol;
mod runner;
mod sandbox;
mod save;
mod session;
mod state;

/// On the page: the app (the lesson gallery or the playground). The same build also starts in the training worker (`www/worker.js`),
/// where there is no document to render into and `runner::worker::worker_main` takes over.
fn main() {
    if web_sys::window().is_some() {
        yew::Renderer::<lessons::front::Front>::new().render();
    }
}
