//! The rows of the field table (see the parent module's documentation), and the limits they
//! share with the rest of the app.

use super::{bespoke, compared_by, join, optional};
use super::{boolean, float, int, row, text, to_bool, to_f64, to_name, to_u32, Field, Kind, Value};
use crate::config::{
    Activation, BackendChoice, Config, Dataset, EarlyStop, Feature, Init, Loss, LrSchedule,
    Optimizer, Problem, Regularization, Speed, TwoClassOutput,
};
use crate::state::Impact;

fn data_differs(old: &Config, new: &Config) -> bool {
    old.active_dataset() != new.active_dataset()
}

fn activations_differ(old: &Config, new: &Config) -> bool {
    (0..new.network_shape.len()).any(|l| old.layer_activation(l) != new.layer_activation(l))
}

fn frozen_differ(old: &Config, new: &Config) -> bool {
    (0..=new.network_shape.len()).any(|l| old.layer_frozen(l) != new.layer_frozen(l))
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
/// Most neurons per hidden layer: 512 covers the course's 64-unit MNIST network and its
/// 500-unit universal-approximation layer. The diagram shrinks its thumbnails beyond 16 and
/// draws a layer wider than `DRAWN_UNITS` as one block.
pub const MAX_NEURONS: usize = 512;
/// Widest layer the diagram draws unit by unit (the course's 30-unit spiral network fits).
pub const DRAWN_UNITS: usize = 32;
/// Largest sample count offered; beyond it a CPU epoch no longer fits a frame.
pub const MAX_SAMPLES: u32 = 5000;
/// Smallest sample count offered.
pub const MIN_SAMPLES: u32 = 20;
/// Largest mini-batch: the largest data set, so one batch always can hold the whole training
/// set (the batch-size slider's "full batch").
pub const MAX_BATCH: u32 = MAX_SAMPLES;

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
pub const BETA1: Field = row(
    "beta1",
    Kind::Float {
        min: 0.0,
        max: 0.9999,
    },
    Impact::Live,
    Some("optimizerParams"),
    |c| float(c.beta1),
    |c, v| to_f64(v).map(|v| c.beta1 = v).is_some(),
);
pub const BETA2: Field = row(
    "beta2",
    Kind::Float {
        min: 0.0,
        max: 0.99999,
    },
    Impact::Live,
    Some("optimizerParams"),
    |c| float(c.beta2),
    |c, v| to_f64(v).map(|v| c.beta2 = v).is_some(),
);
pub const RHO: Field = row(
    "rho",
    Kind::Float {
        min: 0.0,
        max: 0.9999,
    },
    Impact::Live,
    Some("optimizerParams"),
    |c| float(c.rho),
    |c, v| to_f64(v).map(|v| c.rho = v).is_some(),
);
pub const EPSILON: Field = row(
    "epsilon",
    Kind::Float {
        min: 1e-10,
        max: 1.0,
    },
    Impact::Live,
    Some("optimizerParams"),
    |c| float(c.epsilon),
    |c, v| to_f64(v).map(|v| c.epsilon = v).is_some(),
);
/// The largest start a constant initialization may give a weight or a bias.
pub const MAX_INIT_CONSTANT: f64 = 10.0;
/// Whether a layer starts from the constant weight and bias, so they matter.
fn constant_init_used(c: &Config) -> bool {
    (0..=c.network_shape.len()).any(|l| c.layer_init(l) == Init::Constant)
}

pub const INIT_WEIGHT: Field = compared_by(
    row(
        "initWeight",
        Kind::Float {
            min: -MAX_INIT_CONSTANT,
            max: MAX_INIT_CONSTANT,
        },
        Impact::Reset,
        Some("init"),
        |c| float(c.init_weight),
        |c, v| to_f64(v).map(|v| c.init_weight = v).is_some(),
    ),
    |old, new| constant_init_used(new) && old.init_weight != new.init_weight,
);
pub const INIT_BIAS: Field = compared_by(
    row(
        "initBias",
        Kind::Float {
            min: -MAX_INIT_CONSTANT,
            max: MAX_INIT_CONSTANT,
        },
        Impact::Reset,
        Some("init"),
        |c| float(c.init_bias),
        |c, v| to_f64(v).map(|v| c.init_bias = v).is_some(),
    ),
    |old, new| constant_init_used(new) && old.init_bias != new.init_bias,
);
pub const LR_SCHEDULE: Field = row(
    "lrSchedule",
    Kind::Named {
        names: LrSchedule::names,
    },
    Impact::Live,
    Some("lrSchedule"),
    |c| text(c.lr_schedule.as_str()),
    |c, v| {
        to_name(v, LrSchedule::parse)
            .map(|s| c.lr_schedule = s)
            .is_some()
    },
);
/// The longest schedule period offered, in epochs.
pub const MAX_LR_EVERY: u32 = 10_000;
pub const LR_EVERY: Field = row(
    "lrEvery",
    Kind::Int {
        min: 1,
        max: MAX_LR_EVERY as u64,
    },
    Impact::Live,
    Some("lrSchedule"),
    |c| int(c.lr_every),
    |c, v| to_u32(v).map(|v| c.lr_every = v).is_some(),
);
pub const LR_FACTOR: Field = row(
    "lrFactor",
    Kind::Float { min: 0.0, max: 1.0 },
    Impact::Live,
    Some("lrSchedule"),
    |c| float(c.lr_factor),
    |c, v| to_f64(v).map(|v| c.lr_factor = v).is_some(),
);
pub const EARLY_STOP: Field = row(
    "earlyStop",
    Kind::Named {
        names: EarlyStop::names,
    },
    Impact::Live,
    Some("earlyStop"),
    |c| text(c.early_stop.as_str()),
    |c, v| {
        to_name(v, EarlyStop::parse)
            .map(|s| c.early_stop = s)
            .is_some()
    },
);
/// The most epochs early stopping may wait for an improvement.
pub const MAX_PATIENCE: u32 = 1000;
pub const PATIENCE: Field = row(
    "patience",
    Kind::Int {
        min: 1,
        max: MAX_PATIENCE as u64,
    },
    Impact::Live,
    Some("earlyStop"),
    |c| int(c.patience),
    |c, v| to_u32(v).map(|v| c.patience = v).is_some(),
);
pub const RESTORE_BEST: Field = row(
    "restoreBest",
    Kind::Bool,
    Impact::Live,
    Some("earlyStop"),
    |c| boolean(c.restore_best),
    |c, v| to_bool(v).map(|v| c.restore_best = v).is_some(),
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
pub const SPEED: Field = bespoke(row(
    "speed",
    Kind::Text,
    Impact::None,
    Some("speed"),
    |c| text(c.speed.to_string()),
    |c, v| match v {
        Value::Text(t) => Speed::parse(t).map(|s| c.speed = s).is_some(),
        _ => false,
    },
));

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
display_flag!(LOG_SCALE, "logScale", Some("logScale"), log_scale);

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
pub const CSV_TARGET: Field = optional(
    bespoke(row(
        "csvTarget",
        Kind::Text,
        Impact::Rebuild,
        Some("dataset"),
        |c| {
            c.csv
                .target
                .as_deref()
                .map(crate::config::csv::encode)
                .and_then(text)
        },
        |c, v| match v {
            Value::Text(t) => {
                c.csv.target = Some(crate::config::hash::decode_value(t));
                true
            }
            _ => false,
        },
    )),
    "the last usable column",
);
pub const CSV_INPUTS: Field = optional(
    bespoke(row(
        "csvInputs",
        Kind::Text,
        Impact::Rebuild,
        Some("dataset"),
        |c| {
            (!c.csv.inputs.is_empty())
                .then(|| crate::config::csv::join_names(&c.csv.inputs))
                .and_then(text)
        },
        |c, v| match v {
            Value::Text(t) => {
                c.csv.inputs =
                    crate::config::csv::split_names(&crate::config::hash::decode_value(t));
                true
            }
            _ => false,
        },
    )),
    "every usable column",
);
pub const CSV_TIME: Field = optional(
    bespoke(row(
        "csvTime",
        Kind::Text,
        Impact::Rebuild,
        Some("dataset"),
        |c| {
            c.csv
                .time
                .as_deref()
                .map(crate::config::csv::encode)
                .and_then(text)
        },
        |c, v| match v {
            Value::Text(t) => {
                c.csv.time = Some(crate::config::hash::decode_value(t));
                true
            }
            _ => false,
        },
    )),
    "a random split",
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
pub const FREEZE: Field = compared_by(
    bespoke(row(
        "freeze",
        Kind::List,
        Impact::Live,
        Some("freeze"),
        |c| {
            let layers: Vec<usize> = (0..c.frozen.len())
                .filter(|&l| c.frozen[l])
                .map(|l| l + 1)
                .collect();
            (!layers.is_empty()).then(|| Value::Text(join(&layers)))
        },
        |_, _| false,
    )),
    frozen_differ,
);
pub const STEPS: Field = optional(
    row(
        "steps",
        Kind::Float {
            min: 1.0,
            max: 1000.0,
        },
        Impact::Reset,
        Some("steps"),
        |c| c.steps.and_then(float),
        |c, v| to_f64(v).map(|v| c.steps = Some(v)).is_some(),
    ),
    "off",
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
    FREEZE,
    STEPS,
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
    INIT_WEIGHT,
    INIT_BIAS,
    BETA1,
    BETA2,
    RHO,
    EPSILON,
    LR_SCHEDULE,
    LR_EVERY,
    LR_FACTOR,
    EARLY_STOP,
    PATIENCE,
    RESTORE_BEST,
    CSV_TARGET,
    CSV_INPUTS,
    CSV_TIME,
];
