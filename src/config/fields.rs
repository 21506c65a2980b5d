//! The Config's fields as one table, in the manner of TensorFlow Playground's `state.ts`: one
//! row per hash key with its kind and limits, what a change costs the training session
//! (`Impact`), and the names that hide (`<name>_hide=true`) and, for lessons, lock
//! (`<name>_lock=true`) the control that sets it. `hash::parse`, `hash::print`, the reducer's
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
//! Keys outside the table: `<control>_hide` (see [`hide_names`]) and the TensorFlow Playground
//! keys that only affect its own internals (`collectStats`, `tutorial`).

use super::{
    Activation, BackendChoice, Config, Dataset, Feature, Init, Loss, Optimizer, Problem,
    Regularization, TwoClassOutput,
};
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
    /// The name that hides the field's control (`<name>_hide=true`); `None` when no control
    /// sets the field.
    pub hide: Option<&'static str>,
    /// The name that will fix the field's control for a lesson (`<name>_lock=true`).
    // Read by the table's tests; the lessons' `_lock` keys will read it in the parser.
    #[allow(dead_code)]
    pub lock: Option<&'static str>,
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
        lock: hide,
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

fn data_differs(old: &Config, new: &Config) -> bool {
    old.active_dataset() != new.active_dataset()
}

fn activations_differ(old: &Config, new: &Config) -> bool {
    (0..new.network_shape.len()).any(|l| old.layer_activation(l) != new.layer_activation(l))
}

fn inits_differ(old: &Config, new: &Config) -> bool {
    (0..=new.network_shape.len()).any(|l| old.layer_init(l) != new.layer_init(l))
}

/// Whether `alpha` changed for a network that has a layer of `activation`.
fn alpha_differs(old: f64, new: f64, c: &Config, activation: Activation) -> bool {
    old != new && (0..c.network_shape.len()).any(|l| c.layer_activation(l) == activation)
}

/// Most hidden layers the diagram draws.
pub const MAX_LAYERS: usize = 8;
/// Most neurons per hidden layer: 32 covers the course's 30-unit spiral network; the diagram
/// shrinks its thumbnails beyond 16.
pub const MAX_NEURONS: usize = 32;
/// Largest sample count offered; beyond it a CPU epoch no longer fits a frame.
pub const MAX_SAMPLES: u32 = 5000;
/// Smallest sample count offered.
pub const MIN_SAMPLES: u32 = 20;
/// Largest mini-batch: the largest data set, so one batch always can hold the whole training
/// set (the batch-size slider's "full batch").
pub const MAX_BATCH: u32 = MAX_SAMPLES;
/// Highest speed index.
pub const MAX_SPEED: u32 = 5;

pub const NOISE: Field = row(
    "noise",
    Kind::Int { min: 0, max: 50 },
    Impact::Rebuild,
    Some("noise"),
    |c| int(c.noise),
    |c, v| to_u32(v).map(|v| c.noise = v).is_some(),
);
pub const PERC_TRAIN_DATA: Field = row(
    "percTrainData",
    Kind::Int { min: 10, max: 90 },
    Impact::Rebuild,
    Some("percTrainData"),
    |c| int(c.perc_train_data),
    |c, v| to_u32(v).map(|v| c.perc_train_data = v).is_some(),
);
pub const PERC_VAL_DATA: Field = row(
    "percValData",
    Kind::Int { min: 0, max: 50 },
    Impact::Rebuild,
    Some("percValData"),
    |c| int(c.perc_val_data),
    |c, v| to_u32(v).map(|v| c.perc_val_data = v).is_some(),
);
pub const SAMPLES: Field = compared_by(
    optional(
        row(
            "samples",
            Kind::Int {
                min: MIN_SAMPLES as u64,
                max: MAX_SAMPLES as u64,
            },
            Impact::Rebuild,
            Some("samples"),
            |c| c.samples.and_then(int),
            |c, v| to_u32(v).map(|v| c.samples = Some(v)).is_some(),
        ),
        "the dataset's own count",
    ),
    |old, new| old.sample_count() != new.sample_count(),
);
pub const BATCH_SIZE: Field = row(
    "batchSize",
    Kind::Int {
        min: 1,
        max: MAX_BATCH as u64,
    },
    Impact::Live,
    Some("batchSize"),
    |c| int(c.batch_size),
    |c, v| to_u32(v).map(|v| c.batch_size = v).is_some(),
);
pub const INIT_SEED: Field = row(
    "initSeed",
    Kind::Int {
        min: 0,
        max: u64::MAX,
    },
    Impact::Reset,
    Some("newWeightsButton"),
    |c| int(c.init_seed),
    |c, v| match v {
        Value::Int(v) => {
            c.init_seed = *v;
            true
        }
        _ => false,
    },
);
pub const LEARNING_RATE: Field = row(
    "learningRate",
    Kind::Float {
        min: 1e-6,
        max: 10.0,
    },
    Impact::Live,
    Some("learningRate"),
    |c| float(c.learning_rate),
    |c, v| to_f64(v).map(|v| c.learning_rate = v).is_some(),
);
pub const MOMENTUM: Field = row(
    "momentum",
    Kind::Float {
        min: 0.0,
        max: 0.999,
    },
    Impact::Live,
    Some("momentum"),
    |c| float(c.momentum),
    |c, v| to_f64(v).map(|v| c.momentum = v).is_some(),
);
pub const REGULARIZATION_RATE: Field = row(
    "regularizationRate",
    Kind::Float {
        min: 0.0,
        max: 10.0,
    },
    Impact::Live,
    Some("regularizationRate"),
    |c| float(c.regularization_rate),
    |c, v| to_f64(v).map(|v| c.regularization_rate = v).is_some(),
);
pub const DROPOUT: Field = row(
    "dropout",
    // The engine refuses a rate of 1 (nothing would pass).
    Kind::Float { min: 0.0, max: 0.9 },
    Impact::Live,
    Some("dropout"),
    |c| float(c.dropout),
    |c, v| to_f64(v).map(|v| c.dropout = v).is_some(),
);
pub const LEAKY_RELU_ALPHA: Field = compared_by(
    row(
        "leakyReluAlpha",
        Kind::Float { min: 0.0, max: 2.0 },
        Impact::Reset,
        Some("leakyReluAlpha"),
        |c| float(c.leaky_relu_alpha),
        |c, v| to_f64(v).map(|v| c.leaky_relu_alpha = v).is_some(),
    ),
    |old, new| {
        alpha_differs(
            old.leaky_relu_alpha,
            new.leaky_relu_alpha,
            new,
            Activation::LeakyRelu,
        )
    },
);
pub const ELU_ALPHA: Field = compared_by(
    row(
        "eluAlpha",
        Kind::Float { min: 0.0, max: 2.0 },
        Impact::Reset,
        Some("eluAlpha"),
        |c| float(c.elu_alpha),
        |c, v| to_f64(v).map(|v| c.elu_alpha = v).is_some(),
    ),
    |old, new| alpha_differs(old.elu_alpha, new.elu_alpha, new, Activation::Elu),
);
pub const SPEED: Field = row(
    "speed",
    Kind::Int {
        min: 0,
        max: MAX_SPEED as u64,
    },
    Impact::None,
    Some("speed"),
    |c| int(c.speed),
    |c, v| to_u32(v).map(|v| c.speed = v).is_some(),
);

pub const ACTIVATION: Field = compared_by(
    row(
        "activation",
        Kind::Named {
            names: Activation::names,
        },
        Impact::Reset,
        Some("activation"),
        |c| text(c.activation.as_str()),
        |c, v| {
            to_name(v, Activation::parse)
                .map(|a| c.activation = a)
                .is_some()
        },
    ),
    activations_differ,
);
pub const TWO_CLASS_OUTPUT: Field = row(
    "twoClassOutput",
    Kind::Named {
        names: TwoClassOutput::names,
    },
    Impact::Reset,
    Some("twoClassOutput"),
    |c| text(c.two_class_output.as_str()),
    |c, v| {
        to_name(v, TwoClassOutput::parse)
            .map(|o| c.two_class_output = o)
            .is_some()
    },
);
pub const OPTIMIZER: Field = row(
    "optimizer",
    Kind::Named {
        names: Optimizer::names,
    },
    Impact::Reset,
    Some("optimizer"),
    |c| text(c.optimizer.as_str()),
    |c, v| {
        to_name(v, Optimizer::parse)
            .map(|o| c.optimizer = o)
            .is_some()
    },
);
pub const LOSS: Field = compared_by(
    optional(
        row(
            "loss",
            Kind::Named { names: Loss::names },
            Impact::Reset,
            Some("loss"),
            |c| c.loss.and_then(|l| text(l.as_str())),
            |c, v| to_name(v, Loss::parse).map(|l| c.loss = Some(l)).is_some(),
        ),
        "the problem's usual loss",
    ),
    |old, new| old.effective_loss() != new.effective_loss(),
);
pub const REGULARIZATION: Field = row(
    "regularization",
    Kind::Named {
        names: Regularization::names,
    },
    Impact::Live,
    Some("regularization"),
    |c| text(c.regularization.hash_name()),
    |c, v| {
        to_name(v, Regularization::parse)
            .map(|r| c.regularization = r)
            .is_some()
    },
);
pub const BACKEND: Field = row(
    "backend",
    Kind::Named {
        names: BackendChoice::names,
    },
    // The app opens the chosen backend and moves the running experiment onto it where it
    // stands (`Session::move_to`).
    Impact::None,
    Some("backend"),
    |c| text(c.backend.as_str()),
    |c, v| {
        to_name(v, BackendChoice::parse)
            .map(|b| c.backend = b)
            .is_some()
    },
);

/// A boolean row that no session depends on.
macro_rules! display_flag {
    ($name:ident, $key:literal, $hide:expr, $field:ident) => {
        pub const $name: Field = row(
            $key,
            Kind::Bool,
            Impact::None,
            $hide,
            |c| boolean(c.$field),
            |c, v| to_bool(v).map(|b| c.$field = b).is_some(),
        );
    };
}
display_flag!(
    SHOW_TEST_DATA,
    "showTestData",
    Some("showTestData"),
    show_test_data
);
display_flag!(DISCRETIZE, "discretize", Some("discretize"), discretize);
display_flag!(HIDE_TEXT, "hideText", None, hide_text);
display_flag!(LOG_SCALE, "logScale", None, log_scale);

pub const PROBLEM: Field = bespoke(row(
    "problem",
    Kind::Named {
        names: Problem::names,
    },
    Impact::Rebuild,
    Some("problem"),
    |c| text(c.problem.as_str()),
    |c, v| to_name(v, Problem::parse).map(|p| c.problem = p).is_some(),
));
pub const DATASET: Field = compared_by(
    bespoke(row(
        "dataset",
        Kind::Named {
            names: Dataset::names,
        },
        Impact::Rebuild,
        Some("dataset"),
        |c| text(c.dataset.as_str()),
        |c, v| to_name(v, Dataset::parse).map(|d| c.dataset = d).is_some(),
    )),
    data_differs,
);
pub const REG_DATASET: Field = compared_by(
    bespoke(row(
        "regDataset",
        Kind::Named {
            names: Dataset::names,
        },
        Impact::Rebuild,
        // One picker shows both kinds of dataset.
        Some("dataset"),
        |c| text(c.reg_dataset.as_str()),
        |c, v| {
            to_name(v, Dataset::parse)
                .map(|d| c.reg_dataset = d)
                .is_some()
        },
    )),
    data_differs,
);
pub const SEED: Field = bespoke(row(
    "seed",
    Kind::Text,
    Impact::Rebuild,
    Some("regenerateButton"),
    |c| text(c.seed.clone()),
    |c, v| match v {
        Value::Text(t) => {
            c.seed = t.clone();
            true
        }
        _ => false,
    },
));
pub const FEATURES: Field = bespoke(row(
    "features",
    Kind::Features,
    Impact::Reset,
    Some("features"),
    |c| {
        let on: Vec<&str> = Feature::ALL
            .iter()
            .filter(|f| c.features.contains(f))
            .map(|f| f.hash_key())
            .collect();
        text(on.join(","))
    },
    |_, _| false,
));
pub const NETWORK_SHAPE: Field = bespoke(row(
    "networkShape",
    Kind::List,
    Impact::Reset,
    // TensorFlow Playground's name for the layer and neuron buttons.
    Some("numHiddenLayers"),
    |c| text(join(&c.network_shape)),
    |_, _| false,
));
pub const ACTIVATIONS: Field = compared_by(
    bespoke(row(
        "activations",
        Kind::List,
        Impact::Reset,
        // The per-layer pickers go with the shared one.
        Some("activation"),
        |c| (!c.activations.is_empty()).then(|| Value::Text(join(&c.activations))),
        |_, _| false,
    )),
    activations_differ,
);
pub const INIT: Field = compared_by(
    bespoke(row(
        "init",
        Kind::Named { names: Init::names },
        Impact::Reset,
        Some("init"),
        |c| text(c.init.as_str()),
        |c, v| to_name(v, Init::parse).map(|i| c.init = i).is_some(),
    )),
    inits_differ,
);
pub const INIT_ZERO: Field = compared_by(
    bespoke(row(
        "initZero",
        Kind::Bool,
        Impact::Reset,
        Some("init"),
        |c| boolean(c.init == Init::Zeros),
        |_, _| false,
    )),
    inits_differ,
);
pub const INITS: Field = compared_by(
    bespoke(row(
        "inits",
        Kind::List,
        Impact::Reset,
        Some("init"),
        |c| (!c.inits.is_empty()).then(|| Value::Text(join(&c.inits))),
        |_, _| false,
    )),
    inits_differ,
);

/// Every field, in the order the hash prints them: TensorFlow Playground's keys first, in its
/// order, so its own parser reads the experiment back; ours follow.
pub const FIELDS: &[Field] = &[
    ACTIVATION,
    BATCH_SIZE,
    DATASET,
    REG_DATASET,
    LEARNING_RATE,
    REGULARIZATION,
    REGULARIZATION_RATE,
    NOISE,
    NETWORK_SHAPE,
    SEED,
    SHOW_TEST_DATA,
    DISCRETIZE,
    PERC_TRAIN_DATA,
    FEATURES,
    PROBLEM,
    INIT_ZERO,
    HIDE_TEXT,
    OPTIMIZER,
    MOMENTUM,
    LOSS,
    ACTIVATIONS,
    INIT,
    INITS,
    TWO_CLASS_OUTPUT,
    DROPOUT,
    PERC_VAL_DATA,
    SAMPLES,
    INIT_SEED,
    BACKEND,
    SPEED,
    LOG_SCALE,
    LEAKY_RELU_ALPHA,
    ELU_ALPHA,
];

/// Controls that set no field but can be hidden too (TensorFlow Playground's names).
pub const BUTTONS: &[&str] = &["playButton", "stepButton", "resetButton"];

/// The row of hash key `key`.
pub fn find(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// Every name `<name>_hide=true` accepts, each once: TensorFlow Playground's buttons, then the
/// fields' controls in table order.
pub fn hide_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = BUTTONS.to_vec();
    for name in FIELDS.iter().filter_map(|f| f.hide) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests;
