//! The commands a parent page may post, and the validation every message passes before it is
//! obeyed. A message is data, never code: it is read as JSON and matched against the schema
//!
//! ```text
//! {type: "neural-playground", command: "play" | "pause" | "step" | "reset" | "load", hash?: string}
//! ```
//!
//! exactly: any other key, a `hash` on a command other than `load`, a `load` without one, a
//! wrong type anywhere is a [`Rejection`] that says what was wrong, and the page counts it
//! and changes nothing.

use std::fmt;

use serde_json::Value;

use super::MESSAGE_TYPE;

/// The longest `hash` a `load` may carry, in bytes: far above any experiment's link, low enough
/// that a runaway parent cannot make the page parse megabytes.
pub const MAX_HASH_LEN: usize = 4096;

/// The command names, in the order the documentation lists them.
pub const COMMANDS: [&str; 5] = ["play", "pause", "step", "reset", "load"];

/// A command from the parent page.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Play,
    Pause,
    /// One epoch, then paused.
    Step,
    /// A fresh network, paused.
    Reset,
    Load(Target),
}

/// What a `load` opens.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A lesson by id (one that exists), at its first task.
    Lesson(String),
    /// An experiment's hash body (no `#`; may be empty or `playground` for the free playground).
    Hash(String),
}

/// Why a message was not obeyed: shown in the console warning, counted on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// Posted by a window other than the parent (another frame, a popup, the page itself).
    NotFromParent {
        origin: String,
    },
    /// From the parent window, but not at the origin the URL's `parentOrigin` names.
    WrongOrigin {
        origin: String,
        expected: String,
    },
    /// The data could not be read as JSON (a cyclic object, a BigInt, `undefined`, ...).
    NotJson(String),
    /// Not an object: `found` names what it was.
    NotAnObject {
        found: &'static str,
    },
    /// `type` missing or not `"neural-playground"`.
    WrongType {
        found: String,
    },
    MissingCommand,
    /// `command` not a string, or not a known one.
    UnknownCommand {
        found: String,
    },
    /// A key the schema does not have.
    UnexpectedKey {
        key: String,
    },
    /// `hash` given with a command that takes none.
    HashNotTaken {
        command: &'static str,
    },
    LoadWithoutHash,
    HashNotAString {
        found: &'static str,
    },
    HashTooLong {
        bytes: usize,
    },
    /// A control character (newline, NUL, ...) in `hash`.
    HashControlCharacter,
    /// Looks like a lesson id, and no lesson has it.
    UnknownLesson {
        id: String,
    },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let commands = COMMANDS.join(", ");
        match self {
            Rejection::NotFromParent { origin } => write!(
                f,
                "a message from {origin} did not come from the parent window; only the page that embeds the playground may command it"
            ),
            Rejection::WrongOrigin { origin, expected } => write!(
                f,
                "a message from {origin} is not from parentOrigin {expected}"
            ),
            Rejection::NotJson(why) => write!(f, "the message is not JSON data ({why})"),
            Rejection::NotAnObject { found } => {
                write!(f, "the message is {found}, not an object {{type, command}}")
            }
            Rejection::WrongType { found } => write!(
                f,
                "the message's type is {found}, not \"{MESSAGE_TYPE}\""
            ),
            Rejection::MissingCommand => write!(f, "the message has no command ({commands})"),
            Rejection::UnknownCommand { found } => {
                write!(f, "unknown command {found} (expected one of: {commands})")
            }
            Rejection::UnexpectedKey { key } => write!(
                f,
                "unexpected key `{key}` (a message has type, command and, for load, hash)"
            ),
            Rejection::HashNotTaken { command } => {
                write!(f, "`{command}` takes no hash; only load does")
            }
            Rejection::LoadWithoutHash => {
                write!(f, "load needs a hash: an experiment's URL hash or a lesson id")
            }
            Rejection::HashNotAString { found } => {
                write!(f, "the hash is {found}, not a string")
            }
            Rejection::HashTooLong { bytes } => write!(
                f,
                "the hash has {bytes} bytes, more than the {MAX_HASH_LEN} a load takes"
            ),
            Rejection::HashControlCharacter => {
                write!(f, "the hash contains a control character")
            }
            Rejection::UnknownLesson { id } => write!(
                f,
                "there is no lesson `{id}` (lesson ids: {})",
                crate::lessons::all()
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// What kind of JSON value `v` is, for the messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `v` quoted for a message, cut short if long.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The command `message` asks for, if it matches the schema exactly.
pub fn parse(message: &Value) -> Result<Command, Rejection> {
    let Value::Object(fields) = message else {
        return Err(Rejection::NotAnObject {
            found: kind(message),
        });
    };
    match fields.get("type") {
        Some(Value::String(t)) if t == MESSAGE_TYPE => {}
        Some(other) => {
            return Err(Rejection::WrongType {
                found: shown(other),
            })
        }
        None => {
            return Err(Rejection::WrongType {
                found: "missing".to_string(),
            })
        }
    }
    if let Some(key) = fields
        .keys()
        .find(|k| !matches!(k.as_str(), "type" | "command" | "hash"))
    {
        return Err(Rejection::UnexpectedKey { key: key.clone() });
    }
    let name = match fields.get("command") {
        None => return Err(Rejection::MissingCommand),
        Some(Value::String(c)) => COMMANDS.iter().find(|&&n| n == c).copied().ok_or_else(|| {
            Rejection::UnknownCommand {
                found: shown(&Value::String(c.clone())),
            }
        })?,
        Some(other) => {
            return Err(Rejection::UnknownCommand {
                found: shown(other),
            })
        }
    };
    let hash = fields.get("hash");
    let simple = match name {
        "play" => Some(Command::Play),
        "pause" => Some(Command::Pause),
        "step" => Some(Command::Step),
        "reset" => Some(Command::Reset),
        _ => None,
    };
    match (simple, hash) {
        (Some(_), Some(_)) => Err(Rejection::HashNotTaken { command: name }),
        (Some(command), None) => Ok(command),
        (None, None) => Err(Rejection::LoadWithoutHash),
        (None, Some(Value::String(text))) => target(text).map(Command::Load),
        (None, Some(other)) => Err(Rejection::HashNotAString { found: kind(other) }),
    }
}

/// A `load`'s argument: a lesson id when it is one word of a lesson id's letters, otherwise a
/// hash (a `#` and anything before it, as in a whole URL, is dropped).
fn target(text: &str) -> Result<Target, Rejection> {
    if text.len() > MAX_HASH_LEN {
        return Err(Rejection::HashTooLong { bytes: text.len() });
    }
    if text.chars().any(char::is_control) {
        return Err(Rejection::HashControlCharacter);
    }
    let body = match text.find('#') {
        Some(i) => &text[i + 1..],
        None => text,
    }
    .trim();
    let lesson_like = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if lesson_like && body != crate::lessons::route::PLAYGROUND {
        return match crate::lessons::find(body) {
            Some(lesson) => Ok(Target::Lesson(lesson.id.clone())),
            None => Err(Rejection::UnknownLesson {
                id: body.to_string(),
            }),
        };
    }
    Ok(Target::Hash(body.to_string()))
}
