//! The embedding API for course pages (`docs/embed.md`): a page opened with `embed=true` in its
//! hash drops its header, fits its container, obeys commands the parent window posts, and
//! posts events back.
//!
//! Everything a message can do is decided here without a DOM, so it is tested natively: the
//! command schema and its validation (`message`), who may send commands and where events go
//! (`origin`), the events and the epoch throttle (`event`), and what `load` navigates to
//! (`load`). `bridge` is the thin browser glue: the `message` listener, `parent.postMessage`
//! and the `ResizeObserver`.

pub mod bridge;
pub mod event;
pub mod load;
pub mod message;
pub mod origin;

/// The `type` every message and event carries, so a page can tell them from other frames'.
pub const MESSAGE_TYPE: &str = "neural-playground";

#[cfg(test)]
mod tests;
