//! Config parsing and printing: round trip, real TensorFlow Playground links, garbage.

use super::hash::{parse, print};
use super::*;

const TFP_DEFAULT: &str = "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.12345&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false";

#[test]
fn default_round_trips() {
    let c = Config::default();
    let (back, notices) = parse(&print(&c));
    assert_eq!(notices, vec![]);
    assert_eq!(back, c);
}

#[test]
fn everything_changed_round_trips() {
    let c = Config {
        problem: Problem::Regression,
        dataset: Dataset::Spiral3,
        reg_dataset: Dataset::Func1d,
        csv: CsvChoice {
            target: Some("loan status".into()),
            inputs: vec!["age".into(), "income, net".into(), "100% & more".into()],
            time: Some("opened on".into()),
        },
        noise: 35,
        perc_train_data: 70,
        perc_val_data: 20,
        samples: Some(900),
        batch_size: 32,
        seed: "0.98765".into(),
        init_seed: 424242,
        features: [Feature::XSquared, Feature::SinY].into_iter().collect(),
        network_shape: vec![16, 3, 1, 8, 8, 8, 8, 8],
        activation: Activation::Relu,
        activations: vec![
            Activation::Elu,
            Activation::LeakyRelu,
            Activation::Sigmoid,
            Activation::Linear,
            Activation::Tanh,
            Activation::Relu,
            Activation::Relu,
            Activation::Relu,
        ],
        init: Init::He,
        inits: vec![
            Init::Normal,
            Init::Lecun,
            Init::He,
            Init::Glorot,
            Init::Small,
            Init::Zeros,
            Init::Tfp,
            Init::He,
            Init::Glorot,
        ],
        frozen: vec![false, true, false, false, false, false, false, false, true],
        steps: Some(37.5),
        two_class_output: TwoClassOutput::Softmax,
        learning_rate: 0.00001,
        optimizer: Optimizer::Nesterov,
        momentum: 0.5,
        init_weight: -3.0,
        init_bias: 0.25,
        beta1: 0.8,
        beta2: 0.99,
        rho: 0.95,
        epsilon: 1e-5,
        lr_schedule: LrSchedule::Cosine,
        lr_every: 200,
        lr_factor: 0.05,
        early_stop: EarlyStop::Loss,
        patience: 37,
        restore_best: false,
        // A regression problem: cross-entropy is refused there (see
        // `cross_entropy_on_regression_is_refused`), so the explicit choice is MSE.
        loss: Some(Loss::Mse),
        regularization: Regularization::L1,
        regularization_rate: 0.003,
        dropout: 0.5,
        show_test_data: true,
        discretize: true,
        hide_text: true,
        hidden_controls: ["learningRate".to_string(), "optimizer".to_string()]
            .into_iter()
            .collect(),
        locked_controls: ["playButton".to_string(), "hiddenPanel".to_string()]
            .into_iter()
            .collect(),
        backend: BackendChoice::Webgpu,
        speed: Speed::Rate(1500),
        log_scale: true,
        leaky_relu_alpha: 0.3,
        elu_alpha: 0.75,
        lesson: Some("overfitting".to_string()),
        task: 2,
        embed: true,
        parent_origin: Some("https://course.example.org".to_string()),
    };
    let text = print(&c);
    let (back, notices) = parse(&text);
    assert_eq!(notices, vec![]);
    assert_eq!(back, c);
    assert_eq!(print(&back), text, "printing is stable");
}

#[test]
fn tensorflow_playground_default_link() {
    let (c, notices) = parse(TFP_DEFAULT);
    assert_eq!(
        notices,
        vec![],
        "every TensorFlow Playground key is understood"
    );
    assert_eq!(c.activation, Activation::Tanh);
    assert_eq!(c.batch_size, 10);
    assert_eq!(c.dataset, Dataset::Circle);
    assert_eq!(c.reg_dataset, Dataset::RegPlane);
    assert_eq!(c.learning_rate, 0.03);
    assert_eq!(c.regularization_rate, 0.0);
    assert_eq!(c.network_shape, vec![4, 2]);
    assert_eq!(c.seed, "0.12345");
    assert!(!c.show_test_data && !c.discretize && !c.hide_text);
    assert_eq!(c.perc_train_data, 50);
    assert_eq!(c.features, [Feature::X, Feature::Y].into_iter().collect());
    assert_eq!(c.problem, Problem::Classification);
    assert_eq!(c.init, Init::Tfp);
    // Our printing keeps TensorFlow Playground's keys and values verbatim (collectStats aside).
    let printed = print(&c);
    for pair in TFP_DEFAULT
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.starts_with("collectStats"))
    {
        assert!(
            printed.split('&').any(|q| q == pair),
            "{pair} kept in {printed}"
        );
    }
}

#[test]
fn tensorflow_playground_spiral_link() {
    let link = "https://playground.tensorflow.org/#activation=relu&regularization=L2&batchSize=3&dataset=spiral&regDataset=reg-gauss&learningRate=0.01&regularizationRate=0.001&noise=15&networkShape=8,8,5&seed=0.70312&showTestData=true&discretize=true&percTrainData=80&x=true&y=true&xTimesY=true&xSquared=true&ySquared=true&cosX=false&sinX=true&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false&learningRate_hide=true&problem_hide=true";
    let (c, notices) = parse(link);
    assert_eq!(notices, vec![]);
    assert_eq!(c.activation, Activation::Relu);
    assert_eq!(c.regularization, Regularization::L2);
    assert_eq!(c.batch_size, 3);
    assert_eq!(c.dataset, Dataset::Spiral);
    assert_eq!(c.reg_dataset, Dataset::RegGauss);
    assert_eq!(c.learning_rate, 0.01);
    assert_eq!(c.regularization_rate, 0.001);
    assert_eq!(c.noise, 15);
    assert_eq!(c.network_shape, vec![8, 8, 5]);
    assert!(c.show_test_data && c.discretize);
    assert_eq!(c.perc_train_data, 80);
    assert_eq!(c.features.len(), 7);
    assert!(!c.features.contains(&Feature::CosX));
    assert!(!c.shows("learningRate") && !c.shows("problem") && c.shows("noise"));
    assert!(print(&c).contains("regularization=L2"));
}

#[test]
fn tensorflow_playground_regression_and_init_zero() {
    let (c, notices) = parse(
        "#problem=regression&regDataset=reg-gauss&initZero=true&networkShape=&activation=linear",
    );
    assert_eq!(notices, vec![]);
    assert_eq!(c.problem, Problem::Regression);
    assert_eq!(c.active_dataset(), Dataset::RegGauss);
    assert_eq!(c.init, Init::Zeros);
    assert!(c.network_shape.is_empty());
    assert_eq!(c.activation, Activation::Linear);
    assert_eq!(c.sample_count(), 1200);
}

#[test]
fn our_keys() {
    let (c, notices) = parse("optimizer=adam&momentum=0.5&loss=mse&activations=relu,tanh&networkShape=30,4&init=glorot&dropout=0.25&percValData=20&samples=900&initSeed=7&backend=cpu&dataset=spiral3");
    assert_eq!(notices, vec![]);
    assert_eq!(c.optimizer, Optimizer::Adam);
    assert_eq!(c.momentum, 0.5);
    assert_eq!(c.loss, Some(Loss::Mse));
    assert_eq!(c.layer_activation(0), Activation::Relu);
    assert_eq!(c.layer_activation(1), Activation::Tanh);
    assert_eq!(
        c.network_shape,
        vec![30, 4],
        "the course's 30-unit spiral network fits"
    );
    assert_eq!(c.init, Init::Glorot);
    assert_eq!(c.dropout, 0.25);
    assert_eq!(c.perc_val_data, 20);
    assert_eq!(c.sample_count(), 900);
    assert_eq!(c.init_seed, 7);
    assert_eq!(c.backend, BackendChoice::Cpu);
    assert_eq!(c.dataset.classes(), 3);
}

#[test]
fn every_name_parses_back() {
    for d in Dataset::ALL {
        assert_eq!(Dataset::parse(d.as_str()), Some(*d));
    }
    let names: Vec<&str> = Dataset::ALL.iter().map(|d| d.as_str()).collect();
    for wanted in [
        "circle",
        "xor",
        "gauss",
        "spiral",
        "reg-plane",
        "reg-gauss",
        "spiral3",
        "clouds3",
        "moons",
        "rings",
        "func1d",
        "line",
    ] {
        assert!(names.contains(&wanted), "{wanted}");
    }
    for o in ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] {
        assert_eq!(Optimizer::parse(o).map(Optimizer::as_str), Some(o));
    }
    for i in ["tfp", "glorot", "he", "small", "zeros"] {
        assert_eq!(Init::parse(i).map(Init::as_str), Some(i));
    }
    for b in ["auto", "cpu", "webgpu"] {
        assert_eq!(BackendChoice::parse(b).map(BackendChoice::as_str), Some(b));
    }
    for l in ["mse", "crossentropy"] {
        assert_eq!(Loss::parse(l).map(Loss::as_str), Some(l));
    }
}

#[test]
fn regression_set_under_dataset_implies_regression() {
    let (c, notices) = parse("dataset=func1d");
    assert_eq!(notices, vec![]);
    assert_eq!(c.problem, Problem::Regression);
    assert_eq!(c.active_dataset(), Dataset::Func1d);
    assert_eq!(
        c.input_features(),
        vec![Feature::X],
        "X2 is meaningless on 1-D data"
    );

    let (c, notices) = parse("dataset=line&problem=classification");
    assert_eq!(c.problem, Problem::Classification);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].key, "dataset");
}

#[test]
fn bad_values_fall_back_with_specific_notices() {
    let (c, notices) = parse("#activation=swish&learningRate=abc&batchSize=-4&noise=80&networkShape=4,x&dataset=imagenet&seed=a b&x=maybe&optimizer=lbfgs&backend=tpu&init=random&momentum=NaN&regularization=L3");
    let d = Config::default();
    assert_eq!(c.activation, d.activation);
    assert_eq!(c.learning_rate, d.learning_rate);
    assert_eq!(c.batch_size, 1, "out of range is clamped");
    assert_eq!(c.noise, 50, "out of range is clamped");
    assert_eq!(c.network_shape, d.network_shape);
    assert_eq!(c.dataset, d.dataset);
    assert_eq!(c.seed, d.seed);
    assert!(c.features.contains(&Feature::X));
    assert_eq!(c.optimizer, d.optimizer);
    assert_eq!(c.backend, d.backend);
    assert_eq!(c.init, d.init);
    assert_eq!(c.momentum, d.momentum);
    assert_eq!(c.regularization, d.regularization);
    let keys: Vec<&str> = notices.iter().map(|n| n.key.as_str()).collect();
    for key in [
        "activation",
        "learningRate",
        "batchSize",
        "noise",
        "networkShape",
        "dataset",
        "seed",
        "x",
        "optimizer",
        "backend",
        "init",
        "momentum",
        "regularization",
    ] {
        assert!(keys.contains(&key), "notice for {key} in {keys:?}");
    }
    let lr = notices
        .iter()
        .find(|n| n.key == "learningRate")
        .map(|n| n.message.clone());
    assert_eq!(
        lr.as_deref(),
        Some("`abc` is not a finite number; using 0.03")
    );
    let act = notices
        .iter()
        .find(|n| n.key == "activation")
        .map(|n| n.to_string())
        .unwrap_or_default();
    assert!(act.contains("swish") && act.contains("tanh"), "{act}");
}

#[test]
fn limits_are_enforced() {
    let (c, notices) = parse("networkShape=1,2,3,4,5,6,7,8,9,10&activations=relu,relu,sigmoid,foo&learningRate=0&samples=1");
    assert_eq!(c.network_shape.len(), MAX_LAYERS);
    assert_eq!(c.activations.len(), MAX_LAYERS);
    assert_eq!(c.activations[2], Activation::Sigmoid);
    assert_eq!(
        c.activations[3], c.activation,
        "the bad entry uses the shared activation"
    );
    assert!(c.learning_rate > 0.0);
    assert_eq!(c.samples, Some(fields::MIN_SAMPLES));
    assert_eq!(notices.len(), 4, "{notices:?}");
    let (c, _) = parse("networkShape=4000");
    assert_eq!(c.network_shape, vec![MAX_NEURONS]);
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "#",
        "&&&",
        "===",
        "#a",
        "%",
        "%zz%4",
        "networkShape=%2C%2C",
        "networkShape=4%2C2",
        "\u{0}\u{ffff}=\u{1F600}",
        "x=true=false",
        "learningRate=1e400",
        "learningRate=-0",
        "batchSize=99999999999999999999",
        "initSeed=-1",
        "activations=,,,",
        "seed=",
        "nothing_hide=true&dataset_hide=yes",
        "dataset=CIRCLE&problem=Regression",
    ];
    for input in inputs {
        let (c, _) = parse(input);
        let (again, notices) = parse(&print(&c));
        assert_eq!(notices, vec![], "printed form of {input:?} parses cleanly");
        assert_eq!(again, c, "{input:?}");
    }
    let (c, notices) = parse("networkShape=4%2C2");
    assert_eq!(c.network_shape, vec![4, 2]);
    assert_eq!(notices, vec![]);
    let (c, _) = parse("dataset=CIRCLE&problem=Regression");
    assert_eq!(c.problem, Problem::Regression);
}

#[test]
fn pseudo_random_bytes_never_panic() {
    // A tiny LCG: deterministic fuzzing without a dependency.
    let mut state: u64 = 12345;
    let alphabet: Vec<char> = "abcxyz=&%#,.-_0123456789truefalse".chars().collect();
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut inputs = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        // The length comes from the generator too, so every string differs from the last.
        let len = next() % 40;
        let s: String = (0..len)
            .map(|_| alphabet[next() % alphabet.len()])
            .collect();
        let (c, _) = parse(&s);
        assert_eq!(parse(&print(&c)).0, c);
        inputs.insert(s);
    }
    assert!(inputs.len() > 1900, "{} distinct inputs", inputs.len());
}

#[test]
fn data_seed_is_stable() {
    let a = Config {
        seed: "0.12345".into(),
        ..Config::default()
    };
    assert_eq!(a.data_seed(), a.clone().data_seed());
    assert_ne!(a.data_seed(), Config::default().data_seed());
}

#[test]
fn cos_features_are_accepted_and_computed() {
    // TensorFlow Playground links carry cosX and cosY: the network then trains on them.
    let (c, notices) = parse("cosX=true&cosY=true&x=false&y=false");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(c.input_features(), vec![Feature::CosX, Feature::CosY]);
    assert!(print(&c).contains("cosX=true") && print(&c).contains("cosY=true"));
    let (splits, data) =
        crate::session::data::build(&c, &c.input_features()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(splits.train.features(), 2);
    let row = &splits.train.x.data()[..2];
    let p = data.train[0];
    assert_eq!(row, [(p.x as f32).cos(), (p.y as f32).cos()]);
}

#[test]
fn per_layer_inits_and_two_class_output() {
    // The course's 2-3-2 circles network: sigmoid hidden units, two softmax outputs, and a
    // layer-by-layer initialization.
    let (c, notices) = parse(
        "networkShape=3&activation=sigmoid&twoClassOutput=softmax&init=glorot&inits=lecun,bogus",
    );
    assert_eq!(c.two_class_output, TwoClassOutput::Softmax);
    assert_eq!(c.inits, vec![Init::Lecun, Init::Glorot]);
    assert_eq!(c.layer_init(0), Init::Lecun);
    assert_eq!(
        c.layer_init(1),
        Init::Glorot,
        "the unknown name falls back to init"
    );
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].key, "inits");
    assert!(
        notices[0].message.contains("bogus"),
        "{}",
        notices[0].message
    );

    // Too many: one per hidden layer plus the output layer, the rest ignored with a notice.
    let (c, notices) = parse("networkShape=4&inits=he,he,he,he");
    assert_eq!(c.inits, vec![Init::He, Init::He]);
    assert!(notices
        .iter()
        .any(|n| n.key == "inits" && n.message.contains("2 weight layers")));

    // A list equal to the shared init is no override at all.
    let (c, _) = parse("networkShape=4&init=he&inits=he");
    assert!(c.inits.is_empty());

    let (c, notices) = parse("twoClassOutput=three");
    assert_eq!(c.two_class_output, TwoClassOutput::Sigmoid);
    assert_eq!(notices[0].key, "twoClassOutput");
}

#[test]
fn locks_parse_print_and_warn_like_hides() {
    let (c, notices) = parse(
        "playButton_lock=true&hiddenPanel_lock=1&learningRate_hide=true&learningRate_lock=true&noise_lock=false&nothing_lock=true&resetButton_lock=maybe",
    );
    assert!(c.locks("playButton") && c.locks("hiddenPanel") && c.locks("learningRate"));
    assert!(!c.locks("noise") && !c.locks("resetButton") && !c.locks("nothing"));
    // Hidden and locked are separate choices: a hidden control stays locked for when it shows.
    assert!(!c.shows("learningRate") && c.shows("playButton"));
    let messages: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
    assert_eq!(notices.len(), 2, "{messages:?}");
    assert_eq!(notices[0].key, "nothing_lock");
    assert!(
        notices[0]
            .message
            .contains("no control named `nothing` to lock"),
        "{}",
        notices[0].message
    );
    assert_eq!(notices[1].key, "resetButton_lock");
    assert!(notices[1].message.contains("not true or false"));
    let text = print(&c);
    assert!(text.contains("playButton_lock=true") && text.contains("learningRate_hide=true"));
    assert!(!text.contains("noise_lock"), "{text}");
    let (back, notices) = parse(&text);
    assert_eq!(notices, vec![]);
    assert_eq!(back, c);
    // The help buttons only open notes: they can be hidden, not locked.
    let (c, notices) = parse("help_hide=true&help_lock=true");
    assert!(!c.shows("help") && !c.locks("help"));
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0].message.contains("to lock"),
        "{}",
        notices[0].message
    );
    // A later `false` takes a lock off again, as for hides.
    let (c, _) = parse("playButton_lock=true&playButton_lock=false");
    assert!(!c.locks("playButton"));
}

#[test]
fn frozen_layers_and_the_steps_read_from_the_url() {
    let (c, notices) = parse("networkShape=100&freeze=2&steps=100");
    assert_eq!(notices, vec![]);
    assert_eq!(c.frozen, vec![false, true]);
    assert_eq!(c.steps, Some(100.0));
    assert!(c.layer_frozen(0), "the steps fix the first layer");
    let (c, notices) = parse("networkShape=4,2&freeze=0,2,x,9");
    assert_eq!(c.frozen, vec![false, true, false]);
    let said: Vec<&str> = notices.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said.iter().all(|m| m.contains("1..3")), "{said:?}");
    let (c, notices) = parse("steps=0");
    assert_eq!(c.steps, Some(1.0));
    assert_eq!(notices.len(), 1);
    let (c, _) = parse("loss=sse&problem=regression");
    assert_eq!(c.effective_loss(), Loss::SumSquares);
}
