//! A notice: something in the URL hash (or a preset) that could not be used as given.

use serde::{Deserialize, Serialize};

/// One problem with one key: which key, what was wrong, what was used instead. Shown to the user
/// verbatim, so the message is a full sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The hash key concerned (`learningRate`, …).
    pub key: String,
    /// What was wrong and what was used instead.
    pub message: String,
}

impl Notice {
    /// A notice for `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}
