//! The reducer: actions change the config within limits and report what the session must do.

use super::*;
use crate::config::fuzz::Rng;
use crate::config::{
    hash, Activation, Dataset, Feature, Init, Problem, Speed, TwoClassOutput, MAX_LAYERS,
    MAX_NEURONS,
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
fn freezing_is_live_and_follows_the_layers() {
    // Default network 4,2: weight layers hidden 1, hidden 2, output.
    let s = run(&[Action::ToggleFreeze(2)]);
    assert_eq!(s.config.frozen, vec![false, false, true]);
    assert_eq!(s.impact, Impact::Live);
    assert!(hash::print(&s.config).contains("freeze=3"));
    // A new hidden layer slots in before the output layer, which stays frozen.
    let s = s.apply(Action::AddLayer);
    assert!(s.config.layer_frozen(3) && !s.config.layer_frozen(2));
    let s = s.apply(Action::RemoveLayer).apply(Action::RemoveLayer);
    assert_eq!(s.config.frozen, vec![false, true]);
    // Thawing the last frozen layer leaves no flags; out of range is ignored.
    let s = s
        .apply(Action::ToggleFreeze(1))
        .apply(Action::ToggleFreeze(9));
    assert!(s.config.frozen.is_empty());
}

#[test]
fn the_step_construction_resets_and_fixes_the_first_layer() {
    let s = run(&[Action::SetSteps(Some(100.0))]);
    assert_eq!(s.config.steps, Some(100.0));
    assert_eq!(s.impact, Impact::Reset);
    assert!(s.config.layer_frozen(0) && !s.config.layer_frozen(1));
    // Clamped to its row's range.
    let s = s.apply(Action::SetSteps(Some(1e9)));
    assert_eq!(s.config.steps, Some(1000.0));
    let s = s.apply(Action::SetSteps(None));
    assert!(s.config.steps.is_none() && !s.config.layer_frozen(0));
}

#[test]
fn layers_and_neurons_stay_within_limits() {
    let mut actions = vec![Action::AddLayer; 20];
    actions.extend(vec![Action::AddNeuron(0); MAX_NEURONS + 8]);
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
fn the_students_file_serves_both_problems_and_forgetting_it_returns_to_the_default() {
    let s = run(&[Action::UseOwnFile]);
    assert_eq!(s.impact, Impact::Rebuild);
    assert_eq!(
        (s.config.dataset, s.config.reg_dataset),
        (Dataset::Own, Dataset::Own)
    );
    let chosen = crate::config::CsvChoice {
        target: Some("grade".into()),
        inputs: vec!["age".into()],
        time: Some("date".into()),
    };
    let s = s.apply(Action::SetCsv(chosen.clone()));
    assert_eq!(s.impact, Impact::Rebuild);
    let s = s.apply(Action::SetProblem(Problem::Regression));
    assert_eq!(s.config.active_dataset(), Dataset::Own, "the file stays");
    assert_eq!(s.config.csv.target, None, "the target follows the problem");
    assert_eq!(
        (s.config.csv.inputs.clone(), s.config.csv.time.clone()),
        (chosen.inputs, chosen.time)
    );
    let s = s.apply(Action::ForgetOwnFile);
    let d = Config::default();
    assert_eq!(
        (s.config.dataset, s.config.reg_dataset, s.config.problem),
        (d.dataset, d.reg_dataset, d.problem)
    );
    assert_eq!(s.config.csv, crate::config::CsvChoice::default());
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

/// Any action, with values from the sensible to the absurd.
fn random_action(rng: &mut Rng, links: &[String]) -> Action {
    use crate::config::{BackendChoice, EarlyStop, Loss, LrSchedule, Optimizer, Regularization};
    let int =
        |rng: &mut Rng| *rng.pick(&[0, 1, 2, 5, 10, 50, 51, 90, 99, 500, 5000, 9999, u32::MAX]);
    let float = |rng: &mut Rng| {
        *rng.pick(&[
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            1e-9,
            0.001,
            0.3,
            0.9,
            1.0,
            2.5,
            10.0,
            1e300,
        ])
    };
    let layer = |rng: &mut Rng| rng.below(MAX_LAYERS + 2);
    let control = |rng: &mut Rng| {
        let names = crate::config::fields::hide_names();
        // Now and then a name that is no control, which the reducer must ignore.
        if rng.below(10) == 0 {
            "nothing".to_string()
        } else {
            rng.pick(&names).to_string()
        }
    };
    match rng.below(57) {
        0 => {
            let link: &String = rng.pick(links);
            let (c, n) = hash::parse(link);
            Action::LoadHash(Box::new(c), n)
        }
        1 => Action::DismissNotices,
        2 => Action::SetProblem(*rng.pick(Problem::ALL)),
        3 | 4 => Action::SetDataset(*rng.pick(Dataset::ALL)),
        5 => Action::SetNoise(int(rng)),
        6 => Action::SetPercTrainData(int(rng)),
        7 => Action::SetPercValData(int(rng)),
        8 => Action::SetSamples(int(rng)),
        9 => Action::SetBatchSize(int(rng)),
        10 => Action::Regenerate,
        11 => Action::Reset,
        12 => Action::ToggleFeature(*rng.pick(Feature::ALL)),
        13 | 14 => Action::AddLayer,
        15 => Action::RemoveLayer,
        16 => Action::AddNeuron(layer(rng)),
        17 => Action::RemoveNeuron(layer(rng)),
        18 => Action::SetActivation(*rng.pick(Activation::ALL)),
        19 => Action::SetLayerActivation(layer(rng), *rng.pick(Activation::ALL)),
        20 => Action::SetInit(*rng.pick(Init::ALL)),
        21 => Action::SetLayerInit(layer(rng), *rng.pick(Init::ALL)),
        22 => Action::SetInitSeed(rng.next()),
        23 => Action::SetTwoClassOutput(*rng.pick(TwoClassOutput::ALL)),
        24 => Action::SetLearningRate(float(rng)),
        25 => Action::SetOptimizer(*rng.pick(Optimizer::ALL)),
        26 => Action::SetMomentum(float(rng)),
        27 | 28 => Action::SetLoss(*rng.pick(Loss::ALL)),
        29 => Action::SetRegularization(*rng.pick(Regularization::ALL)),
        30 => Action::SetRegularizationRate(float(rng)),
        31 => Action::SetDropout(float(rng)),
        32 => Action::SetLeakyReluAlpha(float(rng)),
        33 => Action::SetEluAlpha(float(rng)),
        34 => Action::SetShowTestData(rng.below(2) == 0),
        35 => Action::SetDiscretize(rng.below(2) == 0),
        36 => Action::SetBackend(*rng.pick(BackendChoice::ALL)),
        37 => Action::SetSpeed(*rng.pick(&Speed::OFFERED)),
        38 => Action::SetLogScale(rng.below(2) == 0),
        39 => Action::SetHidden(control(rng), rng.below(2) == 0),
        40 => Action::SetLocked(control(rng), rng.below(2) == 0),
        41 => Action::ShowAndUnlockAll,
        42 => Action::SetLrSchedule(*rng.pick(LrSchedule::ALL)),
        43 => Action::SetLrEvery(int(rng)),
        44 => Action::SetLrFactor(float(rng)),
        45 => Action::SetEarlyStop(*rng.pick(EarlyStop::ALL)),
        46 => Action::SetPatience(int(rng)),
        47 => Action::SetRestoreBest(rng.below(2) == 0),
        48 => Action::SetInitWeight(float(rng)),
        49 => Action::SetInitBias(float(rng)),
        50 => Action::SetBeta1(float(rng)),
        51 => Action::SetBeta2(float(rng)),
        52 => Action::SetRho(float(rng)),
        53 => Action::SetEpsilon(float(rng)),
        54 => Action::ToggleFreeze(layer(rng)),
        55 => Action::SetSteps((rng.below(3) > 0).then(|| float(rng))),
        _ => Action::SetLayerActivation(0, Activation::LeakyRelu),
    }
}

#[test]
fn any_config_the_reducer_produces_prints_and_parses_back_with_no_notice() {
    let links = crate::config::fuzz::real_links();
    let mut rng = Rng::new(7);
    let mut checked = 0;
    for _ in 0..400 {
        let mut s = AppState::default();
        for _ in 0..50 {
            s = s.apply(random_action(&mut rng, &links));
            let printed = hash::print(&s.config);
            let (back, notices) = hash::parse(&printed);
            assert_eq!(notices, vec![], "{printed}");
            assert_eq!(back, s.config, "{printed}");
            checked += 1;
        }
    }
    assert_eq!(checked, 20_000);
}

#[test]
fn cross_entropy_on_regression_is_refused_with_a_notice() {
    use crate::config::Loss;
    // Chosen for a regression problem.
    let s = run(&[
        Action::SetDataset(Dataset::RegGauss),
        Action::SetLoss(Loss::CrossEntropy),
    ]);
    assert_eq!(s.config.effective_loss(), Loss::Mse);
    assert_eq!(s.config.loss, None);
    assert_eq!(s.notices.len(), 1);
    assert_eq!(s.notices[0].key, "loss");
    assert!(
        s.notices[0].message.contains("regression"),
        "{}",
        s.notices[0].message
    );
    // Chosen first, then the problem switched.
    let s = run(&[
        Action::SetLoss(Loss::CrossEntropy),
        Action::SetProblem(Problem::Regression),
    ]);
    assert_eq!(s.config.loss, None);
    assert_eq!(s.notices.len(), 1);
    // Classification keeps it.
    let s = run(&[Action::SetLoss(Loss::CrossEntropy)]);
    assert_eq!(s.config.loss, Some(Loss::CrossEntropy));
    assert!(s.notices.is_empty());
}

#[test]
fn alphas_are_clamped_and_reset_only_the_networks_that_use_them() {
    let s = run(&[Action::SetLeakyReluAlpha(0.3)]);
    assert_eq!(s.config.leaky_relu_alpha, 0.3);
    assert_eq!(
        s.impact,
        Impact::None,
        "no leaky-ReLU layer in the default network"
    );
    let s = run(&[
        Action::SetActivation(Activation::LeakyRelu),
        Action::SetLeakyReluAlpha(7.0),
    ]);
    assert_eq!(s.config.leaky_relu_alpha, 2.0);
    assert_eq!(s.impact, Impact::Reset);
    let s = run(&[
        Action::SetLayerActivation(1, Activation::Elu),
        Action::SetEluAlpha(0.25),
    ]);
    assert_eq!(s.config.elu_alpha, 0.25);
    assert_eq!(s.impact, Impact::Reset);
    assert!(hash::print(&s.config).contains("eluAlpha=0.25"));
}

#[test]
fn plus_steps_one_unit_to_the_drawn_width_then_grows_by_half() {
    use crate::state::action::{narrower, wider};
    let mut widths = vec![30];
    while *widths.last().unwrap() < MAX_NEURONS {
        widths.push(wider(*widths.last().unwrap()));
    }
    assert_eq!(
        widths,
        vec![30, 31, 32, 48, 64, 96, 128, 192, 256, 384, 512]
    );
    for pair in widths.windows(2) {
        assert_eq!(narrower(pair[1]), pair[0], "{pair:?}");
    }
    assert_eq!(narrower(1), 1);
    assert_eq!(wider(MAX_NEURONS), MAX_NEURONS);
    // A width typed in a link steps down onto the ladder.
    assert_eq!(narrower(500), 384);
    assert_eq!(narrower(40), 32);
}
