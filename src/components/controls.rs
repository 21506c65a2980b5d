//! Training controls: play/pause, step (epoch and batch), reset, the epoch counter, and the
//! hyper-parameters.

use std::rc::Rc;

use yew::prelude::*;

use super::fields::{checkbox, enum_options, select, select_with_unavailable};
use super::guard::{guard, title};
use super::help::Help;
use crate::config::{
    Activation, BackendChoice, Config, EarlyStop, Init, Loss, LrSchedule, Optimizer, Problem,
    Regularization, Speed,
};
use crate::session::RunProgress;
use crate::state::Action;

/// Learning rates offered (TensorFlow Playground's list).
const RATES: [f64; 11] = [
    0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
/// Regularization rates offered.
const REG_RATES: [f64; 10] = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub config: Rc<Config>,
    pub playing: bool,
    pub epoch: u64,
    /// The schedule's current rate and early stopping's standing, from the last snapshot.
    #[prop_or_default]
    pub progress: RunProgress,
    pub on_action: Callback<Action>,
    pub on_toggle_play: Callback<()>,
    pub on_step: Callback<()>,
    pub on_step_batch: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_speed: Callback<Speed>,
}

/// The offered speeds, and the current one where a link set another.
fn speed_options(current: Speed) -> Vec<(String, String)> {
    let mut speeds = Speed::OFFERED.to_vec();
    if !speeds.contains(&current) {
        speeds.push(current);
        speeds.sort_by_key(|s| s.rate().map_or(u64::MAX, |r| r as u64));
    }
    speeds
        .into_iter()
        .map(|s| (s.to_string(), s.label()))
        .collect()
}

fn numbers(list: &[f64]) -> Vec<(String, String)> {
    list.iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let c = &props.config;
    let act = |f: fn(String) -> Option<Action>| {
        let on_action = props.on_action.clone();
        Callback::from(move |v: String| {
            if let Some(a) = f(v) {
                on_action.emit(a);
            }
        })
    };
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |v: String| {
            if let Some(s) = Speed::parse(&v) {
                cb.emit(s)
            }
        })
    };
    let momentum_used = matches!(c.optimizer, Optimizer::Momentum | Optimizer::Nesterov);
    let constant_start = (0..=c.network_shape.len()).any(|l| c.layer_init(l) == Init::Constant);
    // Cross-entropy compares predicted class probabilities: a regression target has none.
    let unavailable_losses: Vec<(&str, &str)> = if c.problem == Problem::Regression {
        vec![(Loss::CrossEntropy.as_str(), "classification only")]
    } else {
        Vec::new()
    };
    let show = |name: &'static str, h: Html| guard(c, name, h);
    // Reset repeats the same start; this draws another one (the init seed is in the URL).
    let reinit = {
        let on_action = props.on_action.clone();
        let next = c.init_seed.wrapping_add(1);
        Callback::from(move |_: MouseEvent| on_action.emit(Action::SetInitSeed(next)))
    };
    html! {
        <div class="controls" data-testid="controls">
            <div class="transport">
                <Help name="run" />
                { show("resetButton", html! {
                    <button data-testid="reset" class="btn" title={title(c, "resetButton", "Reset (R)")} aria-keyshortcuts="r"
                        onclick={click(&props.on_reset)}>{ "⟲ Reset" }</button>
                }) }
                { show("newWeightsButton", html! {
                    <button data-testid="reinit" class="btn" title={title(c, "newWeightsButton", format!("Draw new initial weights (init seed {})", c.init_seed))}
                        onclick={reinit}>{ "New weights" }</button>
                }) }
                { show("playButton", html! {
                    <button data-testid="play" class={classes!("btn", "btn-play", props.playing.then_some("playing"))}
                        title={title(c, "playButton", "Play / pause (Space)")} aria-keyshortcuts="Space" aria-pressed={props.playing.to_string()}
                        onclick={click(&props.on_toggle_play)}>
                        { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
                    </button>
                }) }
                { show("stepButton", html! {
                    <>
                    <button data-testid="step" class="btn" title={title(c, "stepButton", "One epoch (S)")} aria-keyshortcuts="s"
                        onclick={click(&props.on_step)}>{ "Step epoch" }</button>
                    <button data-testid="step-batch" class="btn" title={title(c, "stepButton", "One mini-batch (B)")} aria-keyshortcuts="b"
                        onclick={click(&props.on_step_batch)}>{ "Step batch" }</button>
                    </>
                }) }
                <div class="epoch-box">
                    <span class="field-label">{ "Epoch" }</span>
                    <output data-testid="epoch" class="epoch">{ props.epoch }</output>
                </div>
                { show("speed", select("speed", "Speed (epochs per second)", speed_options(c.speed),
                    &c.speed.to_string(), on_speed)) }
            </div>
            <div class="hyper">
                <Help name="hyper" />
                { show("learningRate", select("learning-rate", "Learning rate", numbers(&RATES), &c.learning_rate.to_string(),
                    act(|v| v.parse().ok().map(Action::SetLearningRate)))) }
                { show("activation", select("activation", "Activation", enum_options(Activation::ALL, Activation::as_str),
                    c.activation.as_str(), act(|v| Activation::parse(&v).map(Action::SetActivation)))) }
                { show("regularization", select("regularization", "Regularization",
                    Regularization::ALL.iter().map(|r| (r.as_str().to_string(), r.hash_name().to_string())).collect(),
                    c.regularization.as_str(), act(|v| Regularization::parse(&v).map(Action::SetRegularization)))) }
                { show("regularizationRate", select("regularization-rate", "Regularization rate", numbers(&REG_RATES),
                    &c.regularization_rate.to_string(), act(|v| v.parse().ok().map(Action::SetRegularizationRate)))) }
                { show("problem", select("problem", "Problem type", enum_options(Problem::ALL, Problem::as_str),
                    c.problem.as_str(), act(|v| Problem::parse(&v).map(Action::SetProblem)))) }
                { show("optimizer", select("optimizer", "Optimizer", enum_options(Optimizer::ALL, Optimizer::as_str),
                    c.optimizer.as_str(), act(|v| Optimizer::parse(&v).map(Action::SetOptimizer)))) }
                { if momentum_used { show("momentum", select("momentum", "Momentum", numbers(&[0.0, 0.5, 0.9, 0.95, 0.99]),
                    &c.momentum.to_string(), act(|v| v.parse().ok().map(Action::SetMomentum)))) } else { html! {} } }
                { show("optimizerParams", optimizer_settings(c, &props.on_action)) }
                { show("lrSchedule", schedule_controls(c, &props.progress, &props.on_action)) }
                { show("earlyStop", early_stop_controls(c, &props.progress, &props.on_action)) }
                { show("loss", select_with_unavailable("loss", "Loss", enum_options(Loss::ALL, Loss::as_str),
                    c.effective_loss().as_str(), act(|v| Loss::parse(&v).map(Action::SetLoss)), &unavailable_losses)) }
                { show("init", select("init", "Initialization", enum_options(Init::ALL, Init::as_str),
                    c.init.as_str(), act(|v| Init::parse(&v).map(Action::SetInit)))) }
                { if constant_start { show("init", html! {
                    <>
                    { select("init-weight", "Start weight", numbers(&STARTS), &c.init_weight.to_string(),
                        act(|v| v.parse().ok().map(Action::SetInitWeight))) }
                    { select("init-bias", "Start bias", numbers(&STARTS), &c.init_bias.to_string(),
                        act(|v| v.parse().ok().map(Action::SetInitBias))) }
                    </>
                }) } else { html! {} } }
                { show("dropout", select("dropout", "Dropout", numbers(&[0.0, 0.1, 0.25, 0.5, 0.75]),
                    &c.dropout.to_string(), act(|v| v.parse().ok().map(Action::SetDropout)))) }
                { show("backend", select("backend-choice", "Backend", enum_options(BackendChoice::ALL, BackendChoice::as_str),
                    c.backend.as_str(), act(|v| BackendChoice::parse(&v).map(Action::SetBackend)))) }
            </div>
        </div>
    }
}

/// Adam's beta1, beta2, RMSprop's rho and the epsilon, each offered where its optimizer uses it.
const BETA1S: [f64; 6] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99];
const BETA2S: [f64; 5] = [0.9, 0.99, 0.999, 0.9999, 0.99999];
const RHOS: [f64; 5] = [0.5, 0.8, 0.9, 0.95, 0.99];
const EPSILONS: [f64; 7] = [1e-10, 1e-8, 1e-7, 1e-4, 1e-2, 0.1, 1.0];

/// The settings of the chosen optimizer beyond its learning rate (momentum has its own menu).
fn optimizer_settings(c: &Config, on_action: &Callback<Action>) -> Html {
    let emit = |f: fn(f64) -> Action| {
        let on_action = on_action.clone();
        Callback::from(move |v: String| {
            if let Ok(v) = v.parse() {
                on_action.emit(f(v));
            }
        })
    };
    let epsilons = EPSILONS
        .iter()
        .map(|v| (v.to_string(), format!("{v:e}")))
        .collect();
    let epsilon = select(
        "epsilon",
        "Epsilon",
        epsilons,
        &c.epsilon.to_string(),
        emit(Action::SetEpsilon),
    );
    match c.optimizer {
        Optimizer::Adam => html! {
            <>
                { select("beta1", "Beta 1", numbers(&BETA1S), &c.beta1.to_string(), emit(Action::SetBeta1)) }
                { select("beta2", "Beta 2", numbers(&BETA2S), &c.beta2.to_string(), emit(Action::SetBeta2)) }
                { epsilon }
            </>
        },
        Optimizer::Rmsprop => html! {
            <>
                { select("rho", "Rho", numbers(&RHOS), &c.rho.to_string(), emit(Action::SetRho)) }
                { epsilon }
            </>
        },
        Optimizer::Adagrad => epsilon,
        Optimizer::Sgd | Optimizer::Momentum | Optimizer::Nesterov => html! {},
    }
}

/// Starting values offered for a constant initialization (the course starts a line at
/// w = -3, b = 3, and at -0.3, 0.3).
const STARTS: [f64; 9] = [-3.0, -1.0, -0.3, -0.1, 0.0, 0.1, 0.3, 1.0, 3.0];
/// Schedule periods offered, in epochs.
const PERIODS: [f64; 6] = [10.0, 25.0, 50.0, 100.0, 200.0, 500.0];
/// Schedule factors offered.
const FACTORS: [f64; 7] = [0.0, 0.1, 0.25, 0.5, 0.8, 0.9, 0.95];
/// Patience offered, in epochs.
const PATIENCES: [f64; 6] = [3.0, 5.0, 10.0, 20.0, 50.0, 100.0];

/// The learning-rate schedule: its kind, then its period and factor with the words that kind
/// gives them, and the rate the next step takes.
fn schedule_controls(c: &Config, progress: &RunProgress, on_action: &Callback<Action>) -> Html {
    let emit = |f: fn(String) -> Option<Action>| {
        let on_action = on_action.clone();
        Callback::from(move |v: String| {
            if let Some(a) = f(v) {
                on_action.emit(a);
            }
        })
    };
    let kind = select(
        "lr-schedule",
        "Learning-rate schedule",
        enum_options(LrSchedule::ALL, LrSchedule::as_str),
        c.lr_schedule.as_str(),
        emit(|v| LrSchedule::parse(&v).map(Action::SetLrSchedule)),
    );
    let (every_label, factor_label) = match c.lr_schedule {
        LrSchedule::Constant => return html! { <><Help name="schedule" />{ kind }</> },
        LrSchedule::Step => ("Every (epochs)", "Multiply by"),
        LrSchedule::Exponential => ("Per (epochs)", "Multiply by"),
        LrSchedule::Cosine => ("Over (epochs)", "Ends at (share)"),
    };
    html! {
        <>
            <Help name="schedule" />
            { kind }
            { select("lr-every", every_label, numbers(&PERIODS), &c.lr_every.to_string(),
                emit(|v| v.parse().ok().map(Action::SetLrEvery))) }
            { select("lr-factor", factor_label, numbers(&FACTORS), &c.lr_factor.to_string(),
                emit(|v| v.parse().ok().map(Action::SetLrFactor))) }
            <div class="field readout">
                <span class="field-label">{ "Rate now" }</span>
                <output data-testid="lr-current" data-value={progress.lr.to_string()}>
                    { rate_text(progress.lr) }
                </output>
            </div>
        </>
    }
}

/// A learning rate as a student reads it: plain decimals down to 0.001, powers of ten below.
fn rate_text(lr: f64) -> String {
    if lr >= 1e-3 {
        let text = format!("{lr:.5}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{lr:.2e}")
    }
}

/// Early stopping: the metric watched (the ones this problem lacks shown, not offered), and
/// while on its patience, whether the best weights come back, and where it stands.
fn early_stop_controls(c: &Config, progress: &RunProgress, on_action: &Callback<Action>) -> Html {
    let mut unavailable = Vec::new();
    if c.problem == Problem::Regression {
        unavailable.push((EarlyStop::Accuracy.as_str(), "classification only"));
    }
    if c.problem == Problem::Regression || c.active_dataset().classes() != 2 {
        unavailable.push((EarlyStop::Auc.as_str(), "two classes only"));
    }
    let on_monitor = {
        let on_action = on_action.clone();
        Callback::from(move |v: String| {
            if let Some(m) = EarlyStop::parse(&v) {
                on_action.emit(Action::SetEarlyStop(m));
            }
        })
    };
    let monitor = select_with_unavailable(
        "early-stop",
        "Early stopping",
        enum_options(EarlyStop::ALL, EarlyStop::as_str),
        c.early_stop.as_str(),
        on_monitor,
        &unavailable,
    );
    if c.early_stop == EarlyStop::Off {
        return html! { <><Help name="early-stop" />{ monitor }</> };
    }
    let on_patience = {
        let on_action = on_action.clone();
        Callback::from(move |v: String| {
            if let Ok(p) = v.parse() {
                on_action.emit(Action::SetPatience(p));
            }
        })
    };
    let on_restore = {
        let on_action = on_action.clone();
        Callback::from(move |b: bool| on_action.emit(Action::SetRestoreBest(b)))
    };
    let standing = match progress.best_epoch {
        Some(best) => format!(
            "best epoch {best}, {} of {} waited",
            progress.waited, c.patience
        ),
        None => "no epoch judged yet".to_string(),
    };
    html! {
        <>
            <Help name="early-stop" />
            { monitor }
            { select("patience", "Patience (epochs)", numbers(&PATIENCES), &c.patience.to_string(), on_patience) }
            { checkbox("restore-best", "Restore best weights", c.restore_best, on_restore) }
            <div class="field readout">
                <span class="field-label">{ "Early stopping" }</span>
                <output data-testid="early-stop-status" data-best={progress.best_epoch.map(|b| b.to_string())}
                    data-waited={progress.waited.to_string()}>{ standing }</output>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::rate_text;

    #[test]
    fn rates_read_as_decimals_then_powers_of_ten() {
        assert_eq!(rate_text(0.1), "0.1");
        assert_eq!(rate_text(f64::from(0.025f32)), "0.025");
        assert_eq!(rate_text(0.003), "0.003");
        assert_eq!(rate_text(0.0001234), "1.23e-4");
    }
}
