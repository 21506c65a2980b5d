//! Every change the UI can make to the experiment.

use super::{AppState, Impact};
use crate::config::fields::{
    BATCH_SIZE, BETA1, BETA2, DROPOUT, ELU_ALPHA, EPSILON, INIT_BIAS, INIT_SEED, INIT_WEIGHT,
    LEAKY_RELU_ALPHA, LEARNING_RATE, LR_EVERY, LR_FACTOR, MOMENTUM, NOISE, PATIENCE,
    PERC_TRAIN_DATA, PERC_VAL_DATA, REGULARIZATION_RATE, RHO, SAMPLES, STEPS,
};
use crate::config::{
    Activation, BackendChoice, Config, CsvChoice, Dataset, EarlyStop, Feature, Init, Loss,
    LrSchedule, Notice, Optimizer, Problem, Regularization, Speed, TwoClassOutput, DRAWN_UNITS,
    MAX_LAYERS, MAX_NEURONS,
};

/// One user intent. Values arriving from inputs are already parsed; the reducer clamps numbers
/// to their row's limits in `config::fields`, the ones the hash parser uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the whole state from a URL hash (page load, back/forward, preset).
    LoadHash(Box<Config>, Vec<Notice>),
    /// Hide the notices.
    DismissNotices,
    SetProblem(Problem),
    /// Pick a dataset; regression sets switch the problem to regression and back.
    SetDataset(Dataset),
    /// A new file of the student's was stored: train on it, with the file's default columns.
    UseOwnFile,
    /// The student's file was forgotten: back to the default data.
    ForgetOwnFile,
    /// Which columns of the student's file to use.
    SetCsv(CsvChoice),
    SetNoise(u32),
    SetPercTrainData(u32),
    SetPercValData(u32),
    SetSamples(u32),
    SetBatchSize(u32),
    /// New data from a new seed (the "regenerate" button).
    Regenerate,
    /// Same data, same init seed: a fresh copy of the first network.
    Reset,
    ToggleFeature(Feature),
    AddLayer,
    RemoveLayer,
    /// Add a neuron to hidden layer `usize`.
    AddNeuron(usize),
    /// Remove a neuron from hidden layer `usize`.
    RemoveNeuron(usize),
    SetActivation(Activation),
    /// Override the activation of hidden layer `usize`.
    SetLayerActivation(usize, Activation),
    /// The initialization of every layer (clears per-layer choices).
    SetInit(Init),
    /// Override the initialization of weight layer `usize` (the output layer is the last).
    SetLayerInit(usize, Init),
    /// Freeze weight layer `usize` (the output layer is the last), or thaw it.
    ToggleFreeze(usize),
    /// The step construction's steepness, or off.
    SetSteps(Option<f64>),
    SetInitSeed(u64),
    /// The weight of a `constant` initialization.
    SetInitWeight(f64),
    /// The bias of a `constant` initialization.
    SetInitBias(f64),
    SetTwoClassOutput(TwoClassOutput),
    SetLearningRate(f64),
    SetOptimizer(Optimizer),
    SetMomentum(f64),
    SetBeta1(f64),
    SetBeta2(f64),
    SetRho(f64),
    SetEpsilon(f64),
    SetLrSchedule(LrSchedule),
    /// The schedule's period in epochs.
    SetLrEvery(u32),
    /// The schedule's factor.
    SetLrFactor(f64),
    /// Early stopping's monitor, or off.
    SetEarlyStop(EarlyStop),
    SetPatience(u32),
    SetRestoreBest(bool),
    SetLoss(Loss),
    SetRegularization(Regularization),
    SetRegularizationRate(f64),
    SetDropout(f64),
    /// The slope of leaky ReLU below zero.
    SetLeakyReluAlpha(f64),
    /// The scale of ELU's negative side.
    SetEluAlpha(f64),
    SetShowTestData(bool),
    SetDiscretize(bool),
    SetBackend(BackendChoice),
    /// Epochs-per-frame index.
    SetSpeed(Speed),
    SetLogScale(bool),
    /// Hide (true) or show a control of `config::controls::CONTROLS` (the classroom panel).
    SetHidden(String, bool),
    /// Lock (true) or unlock a control of `config::controls::CONTROLS` (the classroom panel).
    SetLocked(String, bool),
    /// Every control shown and unlocked (the classroom panel's reset).
    ShowAndUnlockAll,
}

impl Action {
    /// Applies the action to `state.config` (and notices); returns the impact the action forces
    /// beyond what the config difference implies (reset with an unchanged config).
    pub(super) fn apply(&self, state: &mut AppState) -> Impact {
        let c = &mut state.config;
        match self.clone() {
            Action::LoadHash(config, notices) => {
                // Moving between a lesson's tasks (back/forward, a task link) keeps the run.
                let same = c.same_experiment(&config);
                *c = *config;
                state.notices = notices;
                return if same { Impact::None } else { Impact::Rebuild };
            }
            Action::DismissNotices => state.notices.clear(),
            Action::SetHidden(name, on) => {
                if crate::config::controls::find(&name).is_some() {
                    set_control(&mut c.hidden_controls, &name, on)
                }
            }
            Action::SetLocked(name, on) => {
                if crate::config::controls::lock_names().contains(&name.as_str()) {
                    set_control(&mut c.locked_controls, &name, on)
                }
            }
            Action::ShowAndUnlockAll => {
                c.hidden_controls.clear();
                c.locked_controls.clear();
            }
            Action::SetProblem(p) => {
                if c.active_dataset() == Dataset::Own && c.problem != p {
                    // A class column seldom makes a number to predict, nor the reverse: the
                    // target goes back to the new problem's default.
                    c.csv.target = None;
                }
                c.problem = p;
            }
            // The student's file serves either problem; the problem stays as chosen.
            Action::SetDataset(Dataset::Own) | Action::UseOwnFile => {
                c.dataset = Dataset::Own;
                c.reg_dataset = Dataset::Own;
                if matches!(self, Action::UseOwnFile) {
                    c.csv = CsvChoice::default();
                    // New rows, whatever the config says.
                    return Impact::Rebuild;
                }
            }
            Action::ForgetOwnFile => {
                let d = Config::default();
                c.csv = CsvChoice::default();
                if c.active_dataset() == Dataset::Own {
                    c.problem = d.problem;
                }
                if c.dataset == Dataset::Own {
                    c.dataset = d.dataset;
                }
                if c.reg_dataset == Dataset::Own {
                    c.reg_dataset = d.reg_dataset;
                }
            }
            Action::SetCsv(choice) => c.csv = choice,
            Action::SetDataset(d) => {
                if c.reg_dataset == Dataset::Own {
                    // Leaving the student's file: the other problem's picker starts at its default.
                    c.reg_dataset = Config::default().reg_dataset;
                }
                if d.is_regression() {
                    c.reg_dataset = d;
                    c.problem = Problem::Regression;
                } else {
                    c.dataset = d;
                    c.problem = Problem::Classification;
                }
            }
            Action::SetNoise(n) => NOISE.assign(c, n),
            Action::SetPercTrainData(p) => PERC_TRAIN_DATA.assign(c, p),
            Action::SetPercValData(p) => PERC_VAL_DATA.assign(c, p),
            Action::SetSamples(n) => SAMPLES.assign(c, n),
            Action::SetBatchSize(b) => BATCH_SIZE.assign(c, b),
            Action::Regenerate => c.seed = next_seed(&c.seed),
            Action::Reset => return Impact::Reset,
            Action::ToggleFeature(f) => {
                if !c.features.remove(&f) {
                    c.features.insert(f);
                }
            }
            Action::AddLayer => {
                if c.network_shape.len() < MAX_LAYERS {
                    let width = c.network_shape.last().copied().unwrap_or(2);
                    c.network_shape.push(width);
                    if !c.activations.is_empty() {
                        c.activations.push(c.activation);
                    }
                    if !c.inits.is_empty() {
                        // The new hidden layer goes before the output layer's entry.
                        c.inits.insert(c.network_shape.len() - 1, c.init);
                    }
                    if !c.frozen.is_empty() {
                        c.frozen.insert(c.network_shape.len() - 1, false);
                    }
                }
            }
            Action::RemoveLayer => {
                if c.network_shape.pop().is_some() && c.inits.len() >= 2 {
                    c.inits.remove(c.inits.len() - 2);
                }
                if c.frozen.len() >= 2 {
                    c.frozen.remove(c.frozen.len() - 2);
                }
                if !c.frozen.contains(&true) {
                    c.frozen.clear();
                }
                c.activations.truncate(c.network_shape.len());
                if c.inits.iter().all(|&x| x == c.init) {
                    c.inits.clear();
                }
            }
            Action::AddNeuron(l) => {
                if let Some(n) = c.network_shape.get_mut(l) {
                    *n = wider(*n);
                }
            }
            Action::RemoveNeuron(l) => {
                if let Some(n) = c.network_shape.get_mut(l) {
                    *n = narrower(*n);
                }
            }
            Action::SetActivation(a) => {
                c.activation = a;
                // Choosing the shared activation applies it to every layer, as in TensorFlow
                // Playground.
                c.activations.clear();
            }
            Action::SetLayerActivation(l, a) => {
                if l < c.network_shape.len() {
                    if c.activations.is_empty() {
                        c.activations = vec![c.activation; c.network_shape.len()];
                    }
                    c.activations[l] = a;
                    if c.activations.iter().all(|&x| x == c.activation) {
                        c.activations.clear();
                    }
                }
            }
            Action::SetInit(i) => {
                c.init = i;
                c.inits.clear();
            }
            Action::SetLayerInit(l, i) => {
                let layers = c.network_shape.len() + 1;
                if l < layers {
                    if c.inits.is_empty() {
                        c.inits = vec![c.init; layers];
                    }
                    c.inits[l] = i;
                    if c.inits.iter().all(|&x| x == c.init) {
                        c.inits.clear();
                    }
                }
            }
            Action::ToggleFreeze(l) => {
                let layers = c.network_shape.len() + 1;
                if l < layers {
                    c.frozen.resize(layers, false);
                    c.frozen[l] = !c.frozen[l];
                    if !c.frozen.contains(&true) {
                        c.frozen.clear();
                    }
                }
            }
            Action::SetSteps(w) => match w {
                Some(w) => STEPS.assign(c, w),
                None => c.steps = None,
            },
            Action::SetTwoClassOutput(o) => c.two_class_output = o,
            Action::SetInitSeed(s) => INIT_SEED.assign(c, s),
            Action::SetInitWeight(w) => INIT_WEIGHT.assign(c, w),
            Action::SetInitBias(b) => INIT_BIAS.assign(c, b),
            Action::SetLearningRate(lr) => LEARNING_RATE.assign(c, lr),
            Action::SetOptimizer(o) => c.optimizer = o,
            Action::SetMomentum(m) => MOMENTUM.assign(c, m),
            Action::SetBeta1(b) => BETA1.assign(c, b),
            Action::SetBeta2(b) => BETA2.assign(c, b),
            Action::SetRho(r) => RHO.assign(c, r),
            Action::SetEpsilon(e) => EPSILON.assign(c, e),
            Action::SetLrSchedule(s) => c.lr_schedule = s,
            Action::SetLrEvery(e) => LR_EVERY.assign(c, e),
            Action::SetLrFactor(f) => LR_FACTOR.assign(c, f),
            Action::SetEarlyStop(m) => c.early_stop = m,
            Action::SetPatience(p) => PATIENCE.assign(c, p),
            Action::SetRestoreBest(b) => c.restore_best = b,
            Action::SetLoss(l) => c.loss = Some(l),
            Action::SetRegularization(r) => c.regularization = r,
            Action::SetRegularizationRate(r) => REGULARIZATION_RATE.assign(c, r),
            Action::SetDropout(d) => DROPOUT.assign(c, d),
            Action::SetLeakyReluAlpha(a) => LEAKY_RELU_ALPHA.assign(c, a),
            Action::SetEluAlpha(a) => ELU_ALPHA.assign(c, a),
            Action::SetShowTestData(b) => c.show_test_data = b,
            Action::SetDiscretize(b) => c.discretize = b,
            Action::SetBackend(b) => c.backend = b,
            Action::SetSpeed(s) => c.speed = s.clamped(),
            Action::SetLogScale(b) => c.log_scale = b,
        }
        // A per-layer list equal to the shared choice everywhere is no override (the hash
        // prints none, so the config must hold none).
        if c.activations.iter().all(|&a| a == c.activation) {
            c.activations.clear();
        }
        if c.inits.iter().all(|&i| i == c.init) {
            c.inits.clear();
        }
        // Whatever led there (choosing the loss, the problem or a dataset), a regression never
        // trains with cross-entropy silently: the choice is dropped and the student told.
        if let Some(notice) = c.refuse_regression_cross_entropy() {
            state.notices.push(notice);
        }
        Impact::None
    }
}

/// The next data seed after `seed`: deterministic, so a regenerated experiment is still a link.
fn next_seed(seed: &str) -> String {
    let hashed = Config {
        seed: seed.to_string(),
        ..Config::default()
    }
    .data_seed();
    format!("{}", hashed % 100_000 + 1)
}

/// Puts `name` into `set` or takes it out. The callers check the name first, so the URL never
/// carries a key its own parser would refuse.
fn set_control(set: &mut std::collections::BTreeSet<String>, name: &str, on: bool) {
    if on {
        set.insert(name.to_string());
    } else {
        set.remove(name);
    }
}

/// Widths + steps through beyond `DRAWN_UNITS`: the course's 64- and 500-unit layers are a
/// few presses away, not hundreds.
const WIDE_STEPS: [usize; 8] = [48, 64, 96, 128, 192, 256, 384, MAX_NEURONS];

/// The layer width after one press of +: one unit more up to `DRAWN_UNITS` (every unit shows
/// in the diagram), then the next of `WIDE_STEPS`.
pub fn wider(n: usize) -> usize {
    if n < DRAWN_UNITS {
        return n + 1;
    }
    WIDE_STEPS
        .iter()
        .copied()
        .find(|&w| w > n)
        .unwrap_or(MAX_NEURONS)
}

/// The width after one press of −: the step back of [`wider`] (a width between steps, typed in
/// a link, steps down onto the one below it).
pub fn narrower(n: usize) -> usize {
    if n <= DRAWN_UNITS {
        return n.saturating_sub(1).max(1);
    }
    WIDE_STEPS
        .iter()
        .copied()
        .rev()
        .find(|&w| w < n)
        .unwrap_or(DRAWN_UNITS)
}
