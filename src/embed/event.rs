//! The events the page posts to its parent, as JSON objects
//! `{type: "neural-playground", event: ..., ...}`, and the rules for how often: `epoch` at
//! most every [`EPOCH_INTERVAL_MS`] (the last epoch of a burst is never lost), `resize` only
//! when the height changed.

use serde_json::{json, Value};

use super::MESSAGE_TYPE;
use crate::session::Record;

/// Least time between two `epoch` events, in ms: four a second is enough for a course page's
/// readout, and keeps a page that trains hundreds of epochs a second from flooding its parent.
pub const EPOCH_INTERVAL_MS: f64 = 250.0;

/// One event for the parent page.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// The training host has sent its first snapshot: the playground takes commands. `hash` is the
    /// experiment it shows, `lesson` its lesson.
    Ready {
        hash: String,
        lesson: Option<String>,
    },
    /// The metrics after an epoch.
    Epoch(Record),
    /// Training stopped by itself (diverged, or the network could not be built): `why` as the
    /// page shows it.
    Diverged { why: String },
    /// The current lesson task's goal was reached.
    TaskReached { lesson: String, task: usize },
    /// The page's content height in CSS pixels, for the parent to size the iframe.
    Resize { height: u32 },
}

/// A number for JSON: `null` when absent or not finite (NaN before the first evaluation).
fn number(v: Option<f64>) -> Value {
    v.filter(|x| x.is_finite()).map_or(Value::Null, Value::from)
}

impl Outgoing {
    /// The event as the object posted to the parent.
    pub fn to_json(&self) -> Value {
        let t = MESSAGE_TYPE;
        match self {
            Outgoing::Ready { hash, lesson } => {
                json!({"type": t, "event": "ready", "hash": hash, "lesson": lesson})
            }
            Outgoing::Epoch(r) => json!({
                "type": t,
                "event": "epoch",
                "epoch": r.epoch,
                "loss": {
                    "train": number(Some(r.loss_train)),
                    "test": number(r.loss_test),
                    "validation": number(r.loss_val),
                },
                "accuracy": {"train": number(r.acc_train), "test": number(r.acc_test)},
                // Two classes only: the area under the test split's ROC curve.
                "auc": {"test": number(r.auc_test)},
            }),
            Outgoing::Diverged { why } => json!({"type": t, "event": "diverged", "why": why}),
            Outgoing::TaskReached { lesson, task } => {
                json!({"type": t, "event": "task-reached", "lesson": lesson, "task": task})
            }
            Outgoing::Resize { height } => json!({"type": t, "event": "resize", "height": height}),
        }
    }
}

/// Holds back `epoch` events to one per [`EPOCH_INTERVAL_MS`]: an epoch inside the interval
/// waits (replacing any older one waiting) until `due` says it may go, so the parent always
/// ends up with the latest metrics.
#[derive(Debug, Clone, Default)]
pub struct EpochThrottle {
    last_sent: Option<f64>,
    /// The last metrics offered, as posted (so NaN equals NaN): a redraw of the same metrics
    /// is not an epoch.
    last_offered: Option<Value>,
    waiting: Option<Record>,
}

impl EpochThrottle {
    /// Offers the metrics `r` drawn at `now` (ms): returns them if they may go now. The same
    /// metrics again (a redraw, a pause) are not offered twice; changed metrics at the same
    /// epoch (a reset to epoch 0, an edited weight) are.
    pub fn offer(&mut self, now: f64, r: Record) -> Option<Record> {
        let posted = Outgoing::Epoch(r).to_json();
        if self.last_offered.as_ref() == Some(&posted) {
            return None;
        }
        self.last_offered = Some(posted);
        match self.last_sent {
            Some(t) if now - t < EPOCH_INTERVAL_MS => {
                self.waiting = Some(r);
                None
            }
            _ => {
                self.last_sent = Some(now);
                self.waiting = None;
                Some(r)
            }
        }
    }

    /// In how many ms the waiting epoch may go (`None` when none waits).
    pub fn wait_ms(&self, now: f64) -> Option<f64> {
        self.waiting.map(|_| {
            let since = self.last_sent.map_or(EPOCH_INTERVAL_MS, |t| now - t);
            (EPOCH_INTERVAL_MS - since).max(0.0)
        })
    }

    /// The waiting epoch, if its time has come.
    pub fn due(&mut self, now: f64) -> Option<Record> {
        if self.wait_ms(now)? > 0.0 {
            return None;
        }
        self.last_sent = Some(now);
        self.waiting.take()
    }
}

/// Reports the content height only when it changed (in whole CSS pixels, rounded up so the
/// iframe never gets a scroll bar for a fraction).
#[derive(Debug, Clone, Default)]
pub struct HeightWatch {
    last: Option<u32>,
}

impl HeightWatch {
    pub fn changed(&mut self, height: f64) -> Option<u32> {
        if !height.is_finite() || height < 0.0 {
            return None;
        }
        let h = height.ceil().min(f64::from(u32::MAX)) as u32;
        if self.last == Some(h) {
            return None;
        }
        self.last = Some(h);
        Some(h)
    }
}
