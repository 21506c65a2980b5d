//! The goal language of lesson tasks: conditions on live values joined by `and`, e.g.
//! `test_accuracy >= 0.9 and hidden_units <= 3` or `weight(0,0,0) within 0.05 of 0.2`.
//! Goals are parsed when a lesson loads (a typo fails the lesson files' test, not the page),
//! checked against [`Readings`] every frame, and described to the student in plain words.

use std::fmt;

use crate::config::{Config, Dataset, Problem};
use crate::sandbox::SandboxReadings;
use crate::session::{LayerView, Snapshot};

/// A value the page can read while the student trains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    Epoch,
    TrainLoss,
    TestLoss,
    ValLoss,
    TrainAccuracy,
    TestAccuracy,
    /// The area under the test part's ROC curve (two classes only).
    TestAuc,
    /// 1 while the experiment trains on this data set, else 0 (a task that moves to other data).
    DatasetIs(Dataset),
    /// Neurons in all hidden layers together.
    HiddenUnits,
    HiddenLayers,
    /// Weight layers training leaves as they are (frozen, or fixed by the step construction).
    FrozenLayers,
    /// 1 once early stopping has ended the run, else 0.
    StoppedEarly,
    /// Trainable parameters (weights and biases) of the network.
    Parameters,
    LearningRate,
    RegularizationRate,
    Dropout,
    /// Noise of the data, in percent (the data panel's slider).
    Noise,
    /// The weight into unit `to` of weight layer `layer` from unit `from` of the layer before
    /// (layer 0 reads the inputs; the last layer is the output).
    Weight {
        layer: usize,
        to: usize,
        from: usize,
    },
    /// The bias of unit `to` in weight layer `layer`.
    Bias {
        layer: usize,
        to: usize,
    },
    /// Runs of the graph sandbox's current graph.
    SandboxRuns,
    /// The first number of the sandbox's result (its last line).
    SandboxResult,
    /// Values the sandbox's last run fetched.
    SandboxFetches,
    /// 1 while the sandbox shows gradients, else 0.
    SandboxGradients,
}

/// The plain names of the quantities without arguments, as goals write them.
const NAMES: &[(&str, Quantity)] = &[
    ("epoch", Quantity::Epoch),
    ("train_loss", Quantity::TrainLoss),
    ("test_loss", Quantity::TestLoss),
    ("val_loss", Quantity::ValLoss),
    ("train_accuracy", Quantity::TrainAccuracy),
    ("test_accuracy", Quantity::TestAccuracy),
    ("test_auc", Quantity::TestAuc),
    ("hidden_units", Quantity::HiddenUnits),
    ("hidden_layers", Quantity::HiddenLayers),
    ("frozen_layers", Quantity::FrozenLayers),
    ("stopped_early", Quantity::StoppedEarly),
    ("parameters", Quantity::Parameters),
    ("learning_rate", Quantity::LearningRate),
    ("regularization_rate", Quantity::RegularizationRate),
    ("dropout", Quantity::Dropout),
    ("noise", Quantity::Noise),
    ("sandbox_runs", Quantity::SandboxRuns),
    ("sandbox_result", Quantity::SandboxResult),
    ("sandbox_fetches", Quantity::SandboxFetches),
    ("sandbox_gradients", Quantity::SandboxGradients),
];

/// How a quantity is compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparison {
    Below(f64),
    AtMost(f64),
    Above(f64),
    AtLeast(f64),
    Equals(f64),
    /// Within `tolerance` of `target`.
    Within {
        tolerance: f64,
        target: f64,
    },
}

/// One condition of a goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    pub quantity: Quantity,
    pub comparison: Comparison,
}

/// A task's goal: every condition holds at once. Lesson files write it as text.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Goal {
    pub all: Vec<Condition>,
}

/// What the goals read: the latest metrics and parameters plus the experiment's settings.
#[derive(Debug, Clone, Copy)]
pub struct Readings<'a> {
    pub config: &'a Config,
    pub epoch: u64,
    pub train_loss: Option<f64>,
    pub test_loss: Option<f64>,
    pub val_loss: Option<f64>,
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
    pub test_auc: Option<f64>,
    /// Early stopping has ended the run.
    pub stopped_early: bool,
    pub layers: &'a [LayerView],
    /// The graph sandbox's state (its goals read nothing of the network).
    pub sandbox: &'a SandboxReadings,
}

/// The readings of a page whose sandbox has not run.
static NO_SANDBOX: SandboxReadings = SandboxReadings {
    runs: 0,
    result: None,
    fetches: 0,
    gradients: false,
};

impl<'a> Readings<'a> {
    /// The readings of a frame. Before the first epoch there are no metrics yet: losses and
    /// accuracies read as absent, so no goal on them is reached by an untrained network.
    pub fn of(config: &'a Config, snapshot: &'a Snapshot) -> Self {
        let r = &snapshot.latest;
        let trained = snapshot.epoch > 0;
        let keep = |v: Option<f64>| v.filter(|v| trained && v.is_finite());
        Self {
            config,
            epoch: snapshot.epoch,
            train_loss: keep(Some(r.loss_train)),
            test_loss: keep(r.loss_test),
            val_loss: keep(r.loss_val),
            train_accuracy: keep(r.acc_train),
            test_accuracy: keep(r.acc_test),
            test_auc: keep(r.auc_test),
            stopped_early: snapshot.progress.stopped_early.is_some(),
            layers: &snapshot.layers,
            sandbox: &NO_SANDBOX,
        }
    }

    /// The same readings with the sandbox's state.
    pub fn with_sandbox(self, sandbox: &'a SandboxReadings) -> Self {
        Self { sandbox, ..self }
    }
}

/// Output units of the network `c` builds: one for regression and for two classes with one
/// sigmoid unit, else one per class.
pub fn output_units(c: &Config) -> usize {
    let classes = c.active_dataset().classes();
    match c.problem {
        Problem::Regression => 1,
        Problem::Classification
            if classes == 2 && c.two_class_output == crate::config::TwoClassOutput::Sigmoid =>
        {
            1
        }
        Problem::Classification => classes,
    }
}

/// Units per layer of `c`'s network, inputs first, outputs last.
pub fn layer_sizes(c: &Config) -> Vec<usize> {
    let inputs = c.active_dataset().fixed_inputs();
    let mut sizes = vec![inputs.unwrap_or_else(|| c.input_features().len())];
    sizes.extend(&c.network_shape);
    sizes.push(output_units(c));
    sizes
}

/// Trainable parameters of `c`'s network.
pub fn parameter_count(c: &Config) -> usize {
    layer_sizes(c).windows(2).map(|w| (w[0] + 1) * w[1]).sum()
}

impl Quantity {
    /// The live value; `None` while it does not exist (no epoch yet, no such split or weight).
    pub fn read(self, r: &Readings<'_>) -> Option<f64> {
        let c = r.config;
        match self {
            Quantity::Epoch => Some(r.epoch as f64),
            Quantity::TrainLoss => r.train_loss,
            Quantity::TestLoss => r.test_loss,
            Quantity::ValLoss => r.val_loss,
            Quantity::TrainAccuracy => r.train_accuracy,
            Quantity::TestAccuracy => r.test_accuracy,
            Quantity::TestAuc => r.test_auc,
            Quantity::DatasetIs(d) => Some(f64::from(u8::from(c.active_dataset() == d))),
            Quantity::HiddenUnits => Some(c.network_shape.iter().sum::<usize>() as f64),
            Quantity::HiddenLayers => Some(c.network_shape.len() as f64),
            Quantity::FrozenLayers => Some(
                (0..=c.network_shape.len())
                    .filter(|&l| c.layer_frozen(l))
                    .count() as f64,
            ),
            Quantity::Parameters => Some(parameter_count(c) as f64),
            Quantity::LearningRate => Some(c.learning_rate),
            Quantity::RegularizationRate => Some(c.regularization_rate),
            Quantity::Dropout => Some(c.dropout),
            Quantity::Noise => Some(f64::from(c.noise)),
            Quantity::StoppedEarly => Some(f64::from(u8::from(r.stopped_early))),
            Quantity::Weight { layer, to, from } => r
                .layers
                .get(layer)
                .and_then(|l| l.w.get(to))
                .and_then(|w| w.get(from))
                .copied()
                .filter(|v| v.is_finite()),
            Quantity::Bias { layer, to } => r
                .layers
                .get(layer)
                .and_then(|l| l.b.get(to))
                .copied()
                .filter(|v| v.is_finite()),
            // Zero runs is no reading: a goal on the sandbox waits for its first run.
            Quantity::SandboxRuns => (r.sandbox.runs > 0).then_some(r.sandbox.runs as f64),
            Quantity::SandboxResult => r.sandbox.result.filter(|v| v.is_finite()),
            Quantity::SandboxFetches => (r.sandbox.runs > 0).then_some(r.sandbox.fetches as f64),
            Quantity::SandboxGradients => {
                (r.sandbox.runs > 0).then_some(f64::from(u8::from(r.sandbox.gradients)))
            }
        }
    }

    /// Whether the quantity is read from the graph sandbox (not from training).
    pub fn reads_sandbox(self) -> bool {
        matches!(
            self,
            Quantity::SandboxRuns
                | Quantity::SandboxResult
                | Quantity::SandboxFetches
                | Quantity::SandboxGradients
        )
    }

    /// Why the quantity cannot exist in the experiment `c`, if it cannot.
    pub fn missing_in(self, c: &Config) -> Option<String> {
        let sizes = layer_sizes(c);
        match self {
            Quantity::TrainAccuracy | Quantity::TestAccuracy
                if c.problem == Problem::Regression =>
            {
                Some(format!("{self} needs a classification problem"))
            }
            Quantity::ValLoss if c.perc_val_data == 0 => {
                Some(format!("{self} needs a validation split (percValData)"))
            }
            Quantity::Weight { layer, to, from }
                if layer + 1 >= sizes.len() || to >= sizes[layer + 1] || from >= sizes[layer] =>
            {
                Some(format!("{self} is not a weight of a {sizes:?} network"))
            }
            Quantity::Bias { layer, to } if layer + 1 >= sizes.len() || to >= sizes[layer + 1] => {
                Some(format!("{self} is not a bias of a {sizes:?} network"))
            }
            _ => None,
        }
    }

    /// The words a student reads; weights and biases are named by the units they join in `c`'s
    /// network (`weight X1 → output`, `bias of unit 2 in layer 1`).
    pub fn label(self, c: &Config) -> String {
        let sizes = layer_sizes(c);
        let last = sizes.len().saturating_sub(2);
        let unit = |layer: usize, to: usize| {
            if layer == last && sizes.last() == Some(&1) {
                "output".to_string()
            } else if layer == last {
                format!("output {}", to + 1)
            } else {
                format!("unit {} in layer {}", to + 1, layer + 1)
            }
        };
        let source = |layer: usize, from: usize| match (layer, c.input_features().get(from)) {
            (0, Some(f)) => f.label().to_string(),
            (0, None) => format!("input {}", from + 1),
            _ => format!("unit {} in layer {layer}", from + 1),
        };
        match self {
            Quantity::Epoch => "epoch".into(),
            Quantity::TrainLoss => "training loss".into(),
            Quantity::TestLoss => "test loss".into(),
            Quantity::ValLoss => "validation loss".into(),
            Quantity::TrainAccuracy => "training accuracy".into(),
            Quantity::TestAccuracy => "test accuracy".into(),
            Quantity::TestAuc => "test AUC".into(),
            Quantity::DatasetIs(d) => format!("the {} data chosen (1 = yes)", d.label()),
            Quantity::HiddenUnits => "hidden units".into(),
            Quantity::HiddenLayers => "hidden layers".into(),
            Quantity::FrozenLayers => "frozen layers".into(),
            Quantity::Parameters => "parameters".into(),
            Quantity::LearningRate => "learning rate".into(),
            Quantity::RegularizationRate => "regularization rate".into(),
            Quantity::Dropout => "dropout rate".into(),
            Quantity::Noise => "noise".into(),
            Quantity::StoppedEarly => "stopped early (1 = yes)".into(),
            Quantity::Weight { layer, to, from } => {
                format!("weight {} → {}", source(layer, from), unit(layer, to))
            }
            Quantity::Bias { layer, to } => format!("bias of {}", unit(layer, to)),
            Quantity::SandboxRuns => "runs of the sandbox's graph".into(),
            Quantity::SandboxResult => "the sandbox's result".into(),
            Quantity::SandboxFetches => "values fetched in one run".into(),
            Quantity::SandboxGradients => "gradients shown (1 = yes)".into(),
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some((_, q)) = NAMES.iter().find(|(n, _)| *n == text) {
            return Ok(*q);
        }
        let call = |name: &str| -> Option<Result<Vec<usize>, String>> {
            let args = text.strip_prefix(name)?.trim().strip_prefix('(')?;
            let args = args.strip_suffix(')')?;
            Some(
                args.split(',')
                    .map(|a| {
                        a.trim()
                            .parse::<usize>()
                            .map_err(|_| format!("`{a}` in `{text}` is not an index"))
                    })
                    .collect(),
            )
        };
        if let Some(id) = text
            .strip_prefix("dataset")
            .and_then(|t| t.trim().strip_prefix('('))
            .and_then(|t| t.strip_suffix(')'))
        {
            return Dataset::parse(id).map(Quantity::DatasetIs).ok_or_else(|| {
                format!(
                    "`{text}`: no data set `{}` (expected one of: {})",
                    id.trim(),
                    Dataset::names()
                )
            });
        }
        match (call("weight"), call("bias")) {
            (Some(args), _) => match args?.as_slice() {
                &[layer, to, from] => Ok(Quantity::Weight { layer, to, from }),
                _ => Err(format!("`{text}`: weight takes (layer, to, from)")),
            },
            (_, Some(args)) => match args?.as_slice() {
                &[layer, to] => Ok(Quantity::Bias { layer, to }),
                _ => Err(format!("`{text}`: bias takes (layer, to)")),
            },
            _ => {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                Err(format!(
                    "unknown value `{text}` (expected one of: {}, weight(l,to,from), bias(l,to), dataset(id))",
                    names.join(", ")
                ))
            }
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::Weight { layer, to, from } => write!(f, "weight({layer},{to},{from})"),
            Quantity::Bias { layer, to } => write!(f, "bias({layer},{to})"),
            Quantity::DatasetIs(d) => write!(f, "dataset({d})"),
            q => {
                let name = NAMES.iter().find(|(_, n)| n == q).map_or("?", |(n, _)| *n);
                f.write_str(name)
            }
        }
    }
}

impl Comparison {
    pub fn holds(self, v: f64) -> bool {
        match self {
            Comparison::Below(t) => v < t,
            Comparison::AtMost(t) => v <= t,
            Comparison::Above(t) => v > t,
            Comparison::AtLeast(t) => v >= t,
            Comparison::Equals(t) => (v - t).abs() < 1e-9,
            Comparison::Within { tolerance, target } => (v - target).abs() <= tolerance,
        }
    }

    /// The comparison in plain words, e.g. `≤ 3` or `within 0.05 of 0.2`.
    pub fn label(self) -> String {
        match self {
            Comparison::Below(t) => format!("< {t}"),
            Comparison::AtMost(t) => format!("≤ {t}"),
            Comparison::Above(t) => format!("> {t}"),
            Comparison::AtLeast(t) => format!("≥ {t}"),
            Comparison::Equals(t) => format!("= {t}"),
            Comparison::Within { tolerance, target } => format!("within {tolerance} of {target}"),
        }
    }
}

impl Condition {
    pub fn holds(&self, r: &Readings<'_>) -> bool {
        self.quantity
            .read(r)
            .is_some_and(|v| self.comparison.holds(v))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let number = |t: &str| -> Result<f64, String> {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{}` in `{text}` is not a number", t.trim()))
        };
        if let Some((q, rest)) = text.split_once(" within ") {
            let (tol, target) = rest
                .split_once(" of ")
                .ok_or_else(|| format!("`{text}`: write `within TOLERANCE of TARGET`"))?;
            return Ok(Condition {
                quantity: Quantity::parse(q)?,
                comparison: Comparison::Within {
                    tolerance: number(tol)?,
                    target: number(target)?,
                },
            });
        }
        // Two-character operators first, so `<=` is not read as `<`.
        for op in ["<=", ">=", "<", ">", "="] {
            if let Some((q, v)) = text.split_once(op) {
                let v = number(v)?;
                let comparison = match op {
                    "<=" => Comparison::AtMost(v),
                    ">=" => Comparison::AtLeast(v),
                    "<" => Comparison::Below(v),
                    ">" => Comparison::Above(v),
                    _ => Comparison::Equals(v),
                };
                return Ok(Condition {
                    quantity: Quantity::parse(q)?,
                    comparison,
                });
            }
        }
        Err(format!(
            "`{text}` compares nothing (use <, <=, >, >=, = or within … of …)"
        ))
    }
}

impl Goal {
    /// Parses `condition and condition and …`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let all = text
            .split(" and ")
            .map(|c| Condition::parse(c.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        if all.is_empty() {
            return Err("an empty goal".into());
        }
        Ok(Goal { all })
    }

    pub fn reached(&self, r: &Readings<'_>) -> bool {
        self.all.iter().all(|c| c.holds(r))
    }
}

impl TryFrom<String> for Goal {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Goal::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings<'a>(c: &'a Config, layers: &'a [LayerView]) -> Readings<'a> {
        Readings {
            config: c,
            epoch: 12,
            train_loss: Some(0.08),
            test_loss: Some(0.12),
            val_loss: None,
            train_accuracy: Some(0.97),
            test_accuracy: Some(0.91),
            test_auc: Some(0.62),
            stopped_early: false,
            layers,
            sandbox: &NO_SANDBOX,
        }
    }

    #[test]
    fn a_goal_can_ask_for_other_data_and_read_the_auc() {
        let g = Goal::parse("dataset(credit) = 1 and test_auc > 0.6").unwrap();
        assert_eq!(g.all[0].quantity.to_string(), "dataset(credit)");
        let mut c = Config::default();
        assert!(
            !g.reached(&readings(&c, &[])),
            "the default data is not credit"
        );
        c.dataset = Dataset::Credit;
        assert!(g.reached(&readings(&c, &[])));
        let e = Goal::parse("dataset(loans) = 1").unwrap_err();
        assert!(
            e.contains("no data set `loans`") && e.contains("credit"),
            "{e}"
        );
    }

    #[test]
    fn sandbox_goals_wait_for_a_run_and_read_its_result() {
        let c = Config::default();
        let g = Goal::parse("sandbox_result = 21 and sandbox_fetches >= 2").unwrap();
        let r = readings(&c, &[]);
        assert!(!g.reached(&r), "no run yet");
        assert_eq!(Quantity::SandboxRuns.read(&r), None);
        let s = SandboxReadings {
            runs: 1,
            result: Some(21.0),
            fetches: 2,
            gradients: false,
        };
        assert!(g.reached(&r.with_sandbox(&s)));
        assert_eq!(
            Quantity::SandboxGradients.read(&r.with_sandbox(&s)),
            Some(0.0)
        );
        assert!(Quantity::SandboxResult.reads_sandbox() && !Quantity::Epoch.reads_sandbox());
        assert_eq!(Quantity::SandboxFetches.to_string(), "sandbox_fetches");
        assert_eq!(Quantity::SandboxFetches.missing_in(&c), None);
    }

    #[test]
    fn conditions_parse_check_and_print() {
        let c = Config {
            network_shape: vec![3],
            ..Config::default()
        };
        let layers = vec![
            LayerView {
                w: vec![vec![0.21, -1.0]; 3],
                b: vec![1.02; 3],
            },
            LayerView {
                w: vec![vec![0.5; 3]],
                b: vec![0.0],
            },
        ];
        let r = readings(&c, &layers);
        let reached = [
            "test_accuracy >= 0.9 and hidden_units <= 3",
            "train_loss < 0.1",
            "weight(0,2,0) within 0.02 of 0.2 and bias(0,1) within 0.05 of 1",
            "epoch>=10",
            "hidden_layers = 1",
            "parameters = 13",
        ];
        for text in reached {
            assert!(Goal::parse(text).unwrap().reached(&r), "{text}");
        }
        for text in [
            "test_accuracy >= 0.95",
            "weight(0,2,1) within 0.02 of 0.2",
            "weight(5,0,0) > -10",
            "val_loss < 10",
        ] {
            assert!(!Goal::parse(text).unwrap().reached(&r), "{text}");
        }
        let g = Goal::parse("weight(1,0,2) > 0.4 and train_accuracy >= 0.9").unwrap();
        assert_eq!(g.all[0].quantity.to_string(), "weight(1,0,2)");
        assert_eq!(
            g.all[0].quantity.label(&c),
            "weight unit 3 in layer 1 → output"
        );
        let w = Goal::parse("weight(0,1,0) > 0 and bias(0,2) > 0").unwrap();
        assert_eq!(w.all[0].quantity.label(&c), "weight X1 → unit 2 in layer 1");
        assert_eq!(w.all[1].quantity.label(&c), "bias of unit 3 in layer 1");
        assert_eq!(g.all[1].comparison.label(), "≥ 0.9");
    }

    #[test]
    fn bad_goals_say_what_is_wrong() {
        for (text, says) in [
            ("accuracy >= 0.9", "unknown value `accuracy`"),
            ("test_loss <= low", "`low`"),
            ("weight(0,0) > 1", "weight takes (layer, to, from)"),
            ("epoch", "compares nothing"),
            ("bias(0,x) > 1", "`x`"),
        ] {
            let e = Goal::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn quantities_that_the_experiment_lacks_are_named() {
        let c = Config {
            network_shape: vec![4],
            ..Config::default()
        };
        assert_eq!(layer_sizes(&c), vec![2, 4, 1]);
        assert_eq!(parameter_count(&c), 3 * 4 + 5);
        assert!(Quantity::Weight {
            layer: 1,
            to: 0,
            from: 3
        }
        .missing_in(&c)
        .is_none());
        assert!(Quantity::Weight {
            layer: 1,
            to: 1,
            from: 0
        }
        .missing_in(&c)
        .is_some());
        assert!(Quantity::ValLoss.missing_in(&c).is_some());
        let reg = Config {
            problem: Problem::Regression,
            ..c
        };
        assert!(Quantity::TestAccuracy.missing_in(&reg).is_some());
        assert!(Quantity::TestLoss.missing_in(&reg).is_none());
    }
}
