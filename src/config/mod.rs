//! The experiment: one serializable `Config` is the single source of truth. The URL hash is its
//! text form (`hash::parse` / `hash::print`), presets are Configs, and the training session is
//! built from one.

pub mod controls;
pub mod csv;
pub mod fields;
pub mod hash;
mod names;
mod notice;
mod speed;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use csv::CsvChoice;
pub use fields::{DRAWN_UNITS, MAX_LAYERS, MAX_NEURONS};
pub use names::{
    Activation, BackendChoice, Dataset, EarlyStop, Feature, Init, Loss, LrSchedule, Optimizer,
    Problem, Regularization, TwoClassOutput,
};
pub use notice::Notice;
pub use speed::Speed;

/// The whole experiment. Field defaults are TensorFlow Playground's, so a link from it opens the
/// same experiment here. Each field's hash key, limits, impact and hide name are its row in
/// [`fields::FIELDS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Classification (colours) or regression (a surface). Hash key `problem`.
    pub problem: Problem,
    /// The classification dataset. Hash key `dataset`.
    pub dataset: Dataset,
    /// The regression dataset. Hash key `regDataset`.
    pub reg_dataset: Dataset,
    /// The columns of the student's own file when a dataset is `csv` (hash keys `csvTarget`,
    /// `csvInputs`, `csvTime`).
    pub csv: CsvChoice,
    /// Label noise in percent. Hash key `noise`.
    pub noise: u32,
    /// Share of the points used for training, in percent. Hash key `percTrainData`.
    pub perc_train_data: u32,
    /// Share of the training points held out for validation, in percent. Hash key
    /// `percValData`.
    pub perc_val_data: u32,
    /// Number of generated points; `None` uses the dataset's own count (500 for classification,
    /// 1200 for regression, as TensorFlow Playground). Hash key `samples`.
    pub samples: Option<u32>,
    /// Mini-batch size; one at least as large as the training set is a full batch. Hash key
    /// `batchSize`.
    pub batch_size: u32,
    /// Seed of the data generator and of the per-epoch shuffle; any short text, as TensorFlow
    /// Playground writes e.g. `0.12345`. Hash key `seed`.
    pub seed: String,
    /// Seed of the weight initialization, separate from the data seed so reset repeats a run
    /// exactly. Hash key `initSeed`.
    pub init_seed: u64,
    /// Which input features feed the network (hash keys `x`, `y`, `xSquared`, …).
    pub features: BTreeSet<Feature>,
    /// Neurons per hidden layer. Hash key `networkShape` (`4,2`; empty for none).
    pub network_shape: Vec<usize>,
    /// Activation of every hidden layer unless `activations` says otherwise. Hash key
    /// `activation`.
    pub activation: Activation,
    /// Per-hidden-layer activations overriding `activation`; empty when not used. Hash key
    /// `activations` (comma list).
    pub activations: Vec<Activation>,
    /// Weight initialization. Hash key `init`; TensorFlow Playground's `initZero=true` means
    /// `zeros`.
    pub init: Init,
    /// Per-weight-layer initializations overriding `init`: one per hidden layer, then the
    /// output layer; empty when not used. Hash key `inits` (comma list).
    pub inits: Vec<Init>,
    /// Per weight layer (hidden layers, then the output layer): frozen, so training leaves its
    /// weights and bias as they are; empty when no layer is. Hash key `freeze`, the frozen
    /// layers' numbers counted from 1 (`freeze=1,3`).
    pub frozen: Vec<bool>,
    /// The course's step construction of section 5 at this steepness, or off: the first
    /// hidden layer starts as steps `sigmoid(w (x - c_j))` with centres evenly spaced on
    /// [0, 1] and stays fixed, the next layer starts at +1, -1, +1, ... with its bias fixed at 0.
    /// Hash key `steps` (the steepness, e.g. `steps=100`).
    pub steps: Option<f64>,
    /// The weight and the bias of every layer whose initialization is `constant`. Hash keys
    /// `initWeight`, `initBias`.
    pub init_weight: f64,
    pub init_bias: f64,
    /// Output units of a two-class problem (one sigmoid or two softmax). Hash key
    /// `twoClassOutput`.
    pub two_class_output: TwoClassOutput,
    /// Step size; changes apply live. Hash key `learningRate`.
    pub learning_rate: f64,
    /// Update rule. Hash key `optimizer`.
    pub optimizer: Optimizer,
    /// Momentum coefficient for `momentum` and `nesterov`. Hash key `momentum`.
    pub momentum: f64,
    /// Adam's decay rates of its first and second moment estimates. Hash keys `beta1`, `beta2`.
    pub beta1: f64,
    pub beta2: f64,
    /// RMSprop's decay rate of its squared-gradient average. Hash key `rho`.
    pub rho: f64,
    /// The small number Adam, RMSprop and AdaGrad add to the denominator. Hash key `epsilon`.
    pub epsilon: f64,
    /// The learning-rate schedule; the rate above is its starting rate. Hash key `lrSchedule`.
    pub lr_schedule: LrSchedule,
    /// The schedule's period in epochs (a step's spacing, the exponential's unit, the
    /// cosine's length). Hash key `lrEvery`.
    pub lr_every: u32,
    /// The schedule's factor (per step, per period, or the cosine's final share of the rate).
    /// Hash key `lrFactor`.
    pub lr_factor: f64,
    /// Early stopping's monitor on the validation split (the training split without one), or
    /// off. Hash key `earlyStop`.
    pub early_stop: EarlyStop,
    /// Epochs without improvement before early stopping ends the run. Hash key `patience`.
    pub patience: u32,
    /// Put back the best epoch's weights when early stopping ends the run. Hash key
    /// `restoreBest`.
    pub restore_best: bool,
    /// Training loss; `None` picks by problem (cross-entropy for classification, MSE for
    /// regression). Hash key `loss`.
    pub loss: Option<Loss>,
    /// Weight penalty. Hash key `regularization`.
    pub regularization: Regularization,
    /// Penalty strength. Hash key `regularizationRate`.
    pub regularization_rate: f64,
    /// Dropout rate on hidden units during training. Hash key `dropout`.
    pub dropout: f64,
    /// Draw test points on the output. Hash key `showTestData`.
    pub show_test_data: bool,
    /// Show the predicted class instead of the blended probability. Hash key `discretize`.
    pub discretize: bool,
    /// Hide the explanatory text. Hash key `hideText`.
    pub hide_text: bool,
    /// Controls hidden for a lesson or a class (hash keys `<control>_hide=true`; names of
    /// [`controls::CONTROLS`]).
    pub hidden_controls: BTreeSet<String>,
    /// Controls shown but not changeable, as an instructor set them (hash keys
    /// `<control>_lock=true`; names of [`controls::CONTROLS`]).
    pub locked_controls: BTreeSet<String>,
    /// Compute backend. Hash key `backend`.
    pub backend: BackendChoice,
    /// Training speed while playing. Hash key `speed`.
    pub speed: Speed,
    /// Draw the loss chart on a log scale. Hash key `logScale`.
    pub log_scale: bool,
    /// Slope of leaky ReLU below zero, in every leaky-ReLU layer. Hash key `leakyReluAlpha`.
    pub leaky_relu_alpha: f64,
    /// Scale of ELU's negative side, `alpha (e^z - 1)`, in every ELU layer. Hash key `eluAlpha`.
    pub elu_alpha: f64,
    /// The lesson this experiment belongs to (its id, see `crate::lessons`); `None` in the free
    /// playground. Hash key `lesson`; outside the field table, as it changes nothing the
    /// session sees.
    pub lesson: Option<String>,
    /// The lesson's current task, counted from 1. Hash key `task`, printed only with `lesson`.
    pub task: usize,
    /// The page is embedded in a course page's iframe (`crate::embed`): no header, sized to its
    /// container, driven by the parent's messages. Hash key `embed`; outside the field table,
    /// like `lesson`.
    pub embed: bool,
    /// The origin (`scheme://host[:port]`) of the page that embeds this one: events go to it
    /// only and messages from any other origin are ignored. `None` sends events to any parent.
    /// Hash key `parentOrigin`, outside the field table.
    pub parent_origin: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            problem: Problem::Classification,
            dataset: Dataset::Circle,
            reg_dataset: Dataset::RegPlane,
            csv: CsvChoice::default(),
            noise: 0,
            perc_train_data: 50,
            perc_val_data: 0,
            samples: None,
            batch_size: 10,
            seed: "1".to_string(),
            init_seed: 1,
            features: [Feature::X, Feature::Y].into_iter().collect(),
            network_shape: vec![4, 2],
            activation: Activation::Tanh,
            activations: Vec::new(),
            init: Init::Tfp,
            inits: Vec::new(),
            frozen: Vec::new(),
            steps: None,
            init_weight: 0.0,
            init_bias: 0.0,
            two_class_output: TwoClassOutput::Sigmoid,
            learning_rate: 0.03,
            optimizer: Optimizer::Sgd,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            rho: 0.9,
            epsilon: 1e-7,
            lr_schedule: LrSchedule::Constant,
            lr_every: 50,
            lr_factor: 0.5,
            early_stop: EarlyStop::Off,
            patience: 10,
            restore_best: true,
            loss: None,
            regularization: Regularization::None,
            regularization_rate: 0.0,
            dropout: 0.0,
            show_test_data: false,
            discretize: false,
            hide_text: false,
            hidden_controls: BTreeSet::new(),
            locked_controls: BTreeSet::new(),
            backend: BackendChoice::Auto,
            speed: Speed::default(),
            log_scale: false,
            leaky_relu_alpha: 0.01,
            elu_alpha: 1.0,
            lesson: None,
            task: 1,
            embed: false,
            parent_origin: None,
        }
    }
}

impl Config {
    /// The dataset the current problem uses.
    pub fn active_dataset(&self) -> Dataset {
        match self.problem {
            Problem::Classification => self.dataset,
            Problem::Regression => self.reg_dataset,
        }
    }

    /// Number of generated points.
    pub fn sample_count(&self) -> u32 {
        self.samples.unwrap_or(match self.problem {
            Problem::Classification => 500,
            Problem::Regression => 1200,
        })
    }

    /// The activation of hidden layer `layer`.
    pub fn layer_activation(&self, layer: usize) -> Activation {
        self.activations
            .get(layer)
            .copied()
            .unwrap_or(self.activation)
    }

    /// The initialization of weight layer `layer` (hidden layers first, then the output layer
    /// at index `network_shape.len()`).
    pub fn layer_init(&self, layer: usize) -> Init {
        self.inits.get(layer).copied().unwrap_or(self.init)
    }

    /// Whether weight layer `layer` is frozen (by the student, or by the step construction,
    /// which fixes the first hidden layer).
    pub fn layer_frozen(&self, layer: usize) -> bool {
        self.frozen.get(layer).copied().unwrap_or(false) || (layer == 0 && self.steps_apply())
    }

    /// Whether the step construction is on and the network has a hidden layer for it.
    pub fn steps_apply(&self) -> bool {
        self.steps.is_some() && !self.network_shape.is_empty()
    }

    /// The loss actually used.
    pub fn effective_loss(&self) -> Loss {
        self.loss.unwrap_or(match self.problem {
            Problem::Classification => Loss::CrossEntropy,
            Problem::Regression => Loss::Mse,
        })
    }

    /// The enabled features in their canonical order; one-dimensional datasets only see X1-based
    /// features, since X2 is constant there.
    pub fn input_features(&self) -> Vec<Feature> {
        if !self.active_dataset().is_planar() {
            // Real data brings its own inputs; the plane's features mean nothing there.
            return Vec::new();
        }
        let one_d = self.active_dataset().is_one_dimensional();
        Feature::ALL
            .iter()
            .copied()
            .filter(|f| self.features.contains(f))
            .filter(|f| {
                !one_d
                    || matches!(
                        f,
                        Feature::X | Feature::XSquared | Feature::SinX | Feature::CosX
                    )
            })
            .collect()
    }

    /// The number of network inputs: the enabled features (one constant column when none is,
    /// so biases still have an input), or a shipped dataset's own width.
    pub fn input_width(&self) -> usize {
        self.active_dataset()
            .fixed_inputs()
            .unwrap_or_else(|| self.input_features().len().max(1))
    }

    /// The data seed as a number: a stable hash of the seed text (FNV-1a), so any text works.
    pub fn data_seed(&self) -> u64 {
        self.seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Refuses cross-entropy for a regression problem: it compares class probabilities, which a
    /// regression has none of. Returns the notice when the choice was dropped (the problem's
    /// usual loss, MSE, is used).
    pub fn refuse_regression_cross_entropy(&mut self) -> Option<Notice> {
        if self.problem != Problem::Regression || self.loss != Some(Loss::CrossEntropy) {
            return None;
        }
        self.loss = None;
        Some(Notice::new(
            "loss",
            "cross-entropy compares class probabilities, and a regression problem has no \
             classes; training with mse",
        ))
    }

    /// Whether `other` is the same experiment, whatever lesson task either is at.
    pub fn same_experiment(&self, other: &Config) -> bool {
        let at = |c: &Config| Config {
            task: 1,
            ..c.clone()
        };
        at(self) == at(other)
    }

    /// Whether the control named `name` (TensorFlow Playground's names, e.g. `learningRate`) is
    /// shown.
    pub fn shows(&self, name: &str) -> bool {
        !self.hidden_controls.contains(name)
    }

    /// Whether the control named `name` is locked: shown (unless also hidden) but not
    /// changeable.
    pub fn locks(&self, name: &str) -> bool {
        self.locked_controls.contains(name)
    }
}

#[cfg(test)]
pub(crate) mod fuzz;
#[cfg(test)]
mod tests;
