//! The Config's fields as one table, in the manner of TensorFlow Playground's `state.ts`: one
//! row per hash key with its kind and limits, what a change costs the training session
//! (`Impact`), and the name of the control that sets it (a name of `controls::CONTROLS`, which
//! `<name>_hide=true` hides and `<name>_lock=true` locks). `hash::parse`, `hash::print`, the reducer's
//! clamps and `Impact::between` are derived from these rows; limits live here only. Defaults are
//! `Config::default()`'s (TensorFlow Playground's), read through each row's `get`.
//!
//! Most rows are parsed by the table alone. Rows marked `bespoke` keep a little hand-written
//! parsing in `hash.rs`, because their keys interact or have structure:
//! - `problem`, `dataset`, `regDataset`: a regression set under `dataset` (as course pages
//!   write `dataset=func1d`) implies regression unless `problem` says otherwise;
//! - `init` and TensorFlow Playground's `initZero`: `init` wins, `initZero=true` means `zeros`;
//! - `networkShape`, `activations`, `inits`: comma lists, the per-layer ones completed to the
//!   network's depth, whichever key comes first;
//! - `seed`: short text, any of letters, digits, `.`, `-`, `_`;
//! - the `features` row stands for TensorFlow Playground's key per input (`x`, `y`,
//!   `xSquared`, …), printed in its order.
//!
//! Keys outside the table: `<control>_hide` and `<control>_lock` (see [`hide_names`]) and the TensorFlow Playground
//! keys that only affect its own internals (`collectStats`, `tutorial`).

use super::Config;
use crate::state::Impact;

/// A field's value as the table handles it: the hash's text form, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(u64),
    Float(f64),
    Bool(bool),
    /// A name from a closed set, or structured text (a seed, a comma list).
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            // Rust prints the shortest text that parses back to the same f64.
            Value::Float(v) => write!(f, "{v}"),
            Value::Bool(v) => write!(f, "{v}"),
            Value::Text(v) => f.write_str(v),
        }
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

/// What a row holds, with its limits.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int {
        min: u64,
        max: u64,
    },
    /// A finite number in `min..=max`.
    Float {
        min: f64,
        max: f64,
    },
    Bool,
    /// One of a closed set of names; `names` lists them for notices.
    Named {
        names: fn() -> String,
    },
    /// A comma list (layer sizes, per-layer names).
    List,
    /// Free text within rules the bespoke parser checks (the seed).
    Text,
    /// The features row: one boolean key per input feature.
    Features,
}

/// One field of the Config. See the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The hash key (TensorFlow Playground's where it has one).
    pub key: &'static str,
    pub kind: Kind,
    /// What changing the field asks of the training session.
    pub impact: Impact,
    /// The name of the field's control in `controls::CONTROLS` (`<name>_hide=true` hides it,
    /// `<name>_lock=true` locks it); `None` when no control sets the field.
    pub hide: Option<&'static str>,
    /// Parsed by hand in `hash.rs` (see the module documentation).
    pub bespoke: bool,
    /// What the field's `None` means, for notices (`samples`, `loss`); `""` when never `None`.
    pub unset: &'static str,
    /// The field's value; `None` prints nothing (an unset optional field, an empty override).
    pub get: fn(&Config) -> Option<Value>,
    /// Stores a value already within `kind`'s limits; false when a name names nothing.
    pub set: fn(&mut Config, &Value) -> bool,
    /// Whether the session sees a difference (when it is not simply `get` differing: the loss
    /// in use rather than the loss chosen, per-layer choices rather than the shared one).
    pub differs: Option<fn(&Config, &Config) -> bool>,
}

impl Field {
    /// `v` within the row's limits (rows of other kinds: `v`).
    pub fn clamp_int(&self, v: u64) -> u64 {
        match self.kind {
            Kind::Int { min, max } => v.clamp(min, max),
            _ => v,
        }
    }

    /// `v` within the row's limits; `None` for a value that is not a finite number.
    pub fn clamp_float(&self, v: f64) -> Option<f64> {
        match self.kind {
            Kind::Float { min, max } if v.is_finite() => Some(v.clamp(min, max)),
            Kind::Float { .. } => None,
            _ => Some(v),
        }
    }

    /// Stores `value` clamped to the row's limits: the reducer's setters. A non-finite number
    /// or an unknown name changes nothing.
    pub fn assign(&self, c: &mut Config, value: impl Into<Value>) {
        let value = match value.into() {
            Value::Int(v) => Value::Int(self.clamp_int(v)),
            Value::Float(v) => match self.clamp_float(v) {
                Some(v) => Value::Float(v),
                None => return,
            },
            other => other,
        };
        (self.set)(c, &value);
    }

    /// The row's limits as numbers (for sliders); `None` for rows that are not numbers.
    pub fn range(&self) -> Option<(f64, f64)> {
        match self.kind {
            Kind::Int { min, max } => Some((min as f64, max as f64)),
            Kind::Float { min, max } => Some((min, max)),
            _ => None,
        }
    }

    /// Whether the session sees `old` and `new` differ in this field.
    pub fn changed(&self, old: &Config, new: &Config) -> bool {
        match self.differs {
            Some(differs) => differs(old, new),
            None => (self.get)(old) != (self.get)(new),
        }
    }

    /// The row's value as the hash writes it, or what `None` stands for.
    pub fn describe(&self, c: &Config) -> String {
        (self.get)(c).map_or_else(|| self.unset.to_string(), |v| v.to_string())
    }
}

/// A row with the defaults most rows share: parsed by the table, always set, compared by value.
const fn row(
    key: &'static str,
    kind: Kind,
    impact: Impact,
    hide: Option<&'static str>,
    get: fn(&Config) -> Option<Value>,
    set: fn(&mut Config, &Value) -> bool,
) -> Field {
    Field {
        key,
        kind,
        impact,
        hide,
        bespoke: false,
        unset: "",
        get,
        set,
        differs: None,
    }
}

const fn bespoke(field: Field) -> Field {
    Field {
        bespoke: true,
        ..field
    }
}

const fn compared_by(field: Field, differs: fn(&Config, &Config) -> bool) -> Field {
    Field {
        differs: Some(differs),
        ..field
    }
}

const fn optional(field: Field, unset: &'static str) -> Field {
    Field { unset, ..field }
}

fn int(v: impl Into<u64>) -> Option<Value> {
    Some(Value::Int(v.into()))
}

fn float(v: f64) -> Option<Value> {
    Some(Value::Float(v))
}

fn boolean(v: bool) -> Option<Value> {
    Some(Value::Bool(v))
}

fn text(v: impl Into<String>) -> Option<Value> {
    Some(Value::Text(v.into()))
}

/// A u32 field from a value the row has clamped (its limits are within u32).
fn to_u32(v: &Value) -> Option<u32> {
    match v {
        Value::Int(v) => Some(u32::try_from(*v).unwrap_or(u32::MAX)),
        _ => None,
    }
}

fn to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Float(v) => Some(*v),
        _ => None,
    }
}

fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(v) => Some(*v),
        _ => None,
    }
}

fn to_name<T>(v: &Value, parse: fn(&str) -> Option<T>) -> Option<T> {
    match v {
        Value::Text(t) => parse(t),
        _ => None,
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

mod rows;
pub use rows::*;

/// The row of hash key `key`.
pub fn find(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// Every name `<name>_hide=true` and `<name>_lock=true` accept, each once, in the page's order
/// (`controls::CONTROLS`).
pub fn hide_names() -> Vec<&'static str> {
    super::controls::CONTROLS.iter().map(|c| c.name).collect()
}

#[cfg(test)]
mod tests;
