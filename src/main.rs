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
mod export;
mod inspector;
mod session;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
