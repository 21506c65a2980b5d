//! The reducer: actions change the config within limits and report what the session must do.

use super::*;
use crate::config::{
    hash, Activation, Dataset, Feature, Init, Problem, TwoClassOutput, MAX_LAYERS, MAX_NEURONS,
};

fn run(actions: &[Action]) -> AppState {
    actions
        .iter()
        .fold(AppState::default(), |s, a| s.apply(a.clone()))
}

#[test]
fn learning_rate_is_live_and_architecture_resets() {
    let s = AppState::default().apply(Action::SetLearningRate(0.1));
    assert_eq!(s.config.learning_rate, 0.1);
    assert_eq!(s.impact, Impact::Live);
    let s = s.apply(Action::AddNeuron(0));
    assert_eq!(s.config.network_shape, vec![5, 2]);
    assert_eq!(s.impact, Impact::Reset);
    let s = s.apply(Action::SetDataset(Dataset::Spiral));
    assert_eq!(s.impact, Impact::Rebuild);
    let s = s.apply(Action::SetDiscretize(true));
    assert_eq!(s.impact, Impact::None);
    // The app moves the running experiment to a newly chosen backend: no reset.
    let s = s.apply(Action::SetBackend(crate::config::BackendChoice::Cpu));
    assert_eq!(s.impact, Impact::None);
    let s = s.apply(Action::Reset);
    assert_eq!(
        s.impact,
        Impact::Reset,
        "reset resets although the config is unchanged"
    );
}

#[test]
fn layers_and_neurons_stay_within_limits() {
    let mut actions = vec![Action::AddLayer; 20];
    actions.extend(vec![Action::AddNeuron(0); 40]);
    actions.extend(vec![Action::RemoveNeuron(1); 40]);
    let s = run(&actions);
    assert_eq!(s.config.network_shape.len(), MAX_LAYERS);
    assert_eq!(s.config.network_shape[0], MAX_NEURONS);
    assert_eq!(s.config.network_shape[1], 1);
    let s = run(&[
        Action::RemoveLayer,
        Action::RemoveLayer,
        Action::RemoveLayer,
    ]);
    assert!(s.config.network_shape.is_empty());
}

#[test]
fn per_layer_activation_and_shared_activation() {
    let s = run(&[Action::SetLayerActivation(1, Activation::Relu)]);
    assert_eq!(
        s.config.activations,
        vec![Activation::Tanh, Activation::Relu]
    );
    let s = s.apply(Action::AddLayer);
    assert_eq!(s.config.activations.len(), 3);
    let s = s.apply(Action::SetActivation(Activation::Sigmoid));
    assert!(s.config.activations.is_empty());
    assert_eq!(s.config.layer_activation(2), Activation::Sigmoid);
}

#[test]
fn per_layer_init_follows_the_layers_and_resets() {
    // Default network 4,2: weight layers hidden 1, hidden 2, output.
    let s = run(&[Action::SetLayerInit(2, Init::Zeros)]);
    assert_eq!(s.config.inits, vec![Init::Tfp, Init::Tfp, Init::Zeros]);
    assert_eq!(s.impact, Impact::Reset);
    // A new hidden layer slots in before the output layer's entry, and leaves it with it.
    let s = s.apply(Action::AddLayer);
    assert_eq!(
        s.config.inits,
        vec![Init::Tfp, Init::Tfp, Init::Tfp, Init::Zeros]
    );
    assert_eq!(s.config.layer_init(3), Init::Zeros);
    let s = s.apply(Action::RemoveLayer).apply(Action::RemoveLayer);
    assert_eq!(s.config.inits, vec![Init::Tfp, Init::Zeros]);
    // Out of range is ignored; the shared choice clears the overrides.
    let s = s.apply(Action::SetLayerInit(7, Init::He));
    assert_eq!(s.config.inits.len(), 2);
    let s = s.apply(Action::SetInit(Init::He));
    assert!(s.config.inits.is_empty());
    assert_eq!(s.config.layer_init(1), Init::He);
    // Setting every layer back to the shared choice leaves no overrides.
    let s = s
        .apply(Action::SetLayerInit(0, Init::Lecun))
        .apply(Action::SetLayerInit(0, Init::He));
    assert!(s.config.inits.is_empty());
    let s = s.apply(Action::SetTwoClassOutput(TwoClassOutput::Softmax));
    assert_eq!(s.impact, Impact::Reset);
}

#[test]
fn datasets_switch_problem() {
    let s = run(&[Action::SetDataset(Dataset::Func1d)]);
    assert_eq!(s.config.problem, Problem::Regression);
    assert_eq!(s.config.active_dataset(), Dataset::Func1d);
    let s = s.apply(Action::SetDataset(Dataset::Spiral3));
    assert_eq!(s.config.problem, Problem::Classification);
    assert_eq!(
        s.config.reg_dataset,
        Dataset::Func1d,
        "the regression choice is remembered"
    );
}

#[test]
fn regenerate_changes_the_seed_deterministically() {
    let a = run(&[Action::Regenerate]);
    let b = run(&[Action::Regenerate]);
    assert_ne!(a.config.seed, AppState::default().config.seed);
    assert_eq!(a.config.seed, b.config.seed);
    assert_eq!(a.impact, Impact::Rebuild);
}

#[test]
fn every_state_prints_a_clean_hash() {
    let s = run(&[
        Action::ToggleFeature(Feature::SinX),
        Action::SetLearningRate(f64::NAN),
        Action::SetBatchSize(0),
        Action::SetRegularizationRate(-3.0),
        Action::Regenerate,
        Action::SetLayerActivation(0, Activation::Elu),
    ]);
    let (back, notices) = hash::parse(&hash::print(&s.config));
    assert_eq!(notices, vec![]);
    assert_eq!(back, s.config);
    assert_eq!(s.config.batch_size, 1);
}

#[test]
fn load_hash_replaces_config_and_notices() {
    let (c, n) = hash::parse("learningRate=oops&dataset=xor");
    let s = AppState::default().apply(Action::LoadHash(Box::new(c), n));
    assert_eq!(s.config.dataset, Dataset::Xor);
    assert_eq!(s.notices.len(), 1);
    assert_eq!(s.impact, Impact::Rebuild);
    let s = s.apply(Action::DismissNotices);
    assert!(s.notices.is_empty());
}

#[test]
fn penalty_dropout_and_batch_size_apply_live() {
    for action in [
        Action::SetRegularization(crate::config::Regularization::L2),
        Action::SetRegularizationRate(0.3),
        Action::SetDropout(0.5),
        Action::SetBatchSize(25),
    ] {
        let s = AppState::default().apply(action.clone());
        assert_eq!(s.impact, Impact::Live, "{action:?}");
    }
}
