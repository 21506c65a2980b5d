//! The loss landscape: its centre is the current loss, the two-parameter model's surface has
//! its minimum at the least-squares line, any network gets a filter-normalized slice with the
//! trajectory projected, the weights come back bit for bit, and a diverged model is refused.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::UpdateRule;
use np_engine::data::Dataset;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::rng::Rng;
use np_engine::train::{Directions, LandscapeRequest, Split, TrainConfig, Trainer};
use np_engine::Tensor;

/// Points near y = 0.2 x + 1 on x in [-5, 5].
fn line_data() -> Dataset {
    let mut rng = Rng::new(5);
    let xs: Vec<f32> = (0..100).map(|_| rng.uniform(-5.0, 5.0) as f32).collect();
    let y = xs
        .iter()
        .map(|&x| 0.2 * x + 1.0 + 0.05 * rng.normal() as f32)
        .collect();
    Dataset {
        x: Tensor::new(xs, &[100, 1]).unwrap(),
        y,
        classes: 0,
    }
}

fn trainer(hidden: &[usize], lr: f32) -> Trainer {
    let data = line_data().split(0.0, 20.0, 3).unwrap();
    let init = if hidden.is_empty() {
        Init::Zeros
    } else {
        Init::GlorotUniform
    };
    let cfg = TrainConfig {
        model: ModelSpec::mlp(1, hidden, Activation::Tanh, 1, OutputUnit::Linear, init),
        optimizer: UpdateRule::sgd(lr),
        loss: Loss::Mse,
        regularization: Regularization { l1: 0.0, l2: 0.0 },
        batch_size: 0,
        init_seed: 11,
        shuffle_seed: 12,
        early_stopping: None,
        schedule: Default::default(),
    };
    Trainer::new(cfg, data).unwrap()
}

/// Trains `steps` full-batch steps, recording the weights before each.
fn train(t: &mut Trainer, steps: usize) -> Vec<Vec<np_engine::TensorData>> {
    let mut path = vec![t.export_params().unwrap()];
    for _ in 0..steps {
        t.step_batch().unwrap();
        path.push(t.export_params().unwrap());
    }
    path
}

#[test]
fn two_parameters_give_the_exact_surface_with_its_least_squares_minimum() {
    let mut t = trainer(&[], 0.05);
    let trajectory = train(&mut t, 30);
    let before = t.export_params().unwrap();
    let l = t
        .landscape(&LandscapeRequest {
            size: 41,
            seed: 1,
            trajectory: trajectory.clone(),
        })
        .unwrap();
    assert_eq!(l.directions, Directions::Parameters);
    assert_eq!((l.size, l.loss.len()), (41, 41 * 41));
    assert_eq!(
        t.export_params().unwrap(),
        before,
        "weights restored bit for bit"
    );

    // The centre is the current weights, and its grid value the current loss.
    let (w, b) = (f64::from(before[0].data[0]), f64::from(before[1].data[0]));
    assert_eq!(l.center, (w, b));
    let mid = l.point(20, 20);
    assert!(
        (mid.0 - w).abs() < 1e-12 && (mid.1 - b).abs() < 1e-12,
        "the middle point {mid:?}"
    );
    let now = f64::from(t.evaluate(Split::Train).unwrap().loss);
    assert_eq!(l.loss[20 * 41 + 20], now);
    assert_eq!(l.center_loss, now);

    // The path is the parameters themselves, from (0, 0), inside the window.
    assert_eq!(l.path.len(), trajectory.len());
    assert_eq!(l.path[0], (0.0, 0.0));
    for p in &l.path {
        assert!(
            (l.a_range.0..=l.a_range.1).contains(&p.0)
                && (l.b_range.0..=l.b_range.1).contains(&p.1)
        );
    }

    // Least squares on the training rows, in closed form.
    let train = t.split(Split::Train);
    let n = train.len() as f64;
    let xs: Vec<f64> = train.x.data().iter().map(|&v| f64::from(v)).collect();
    let ys: Vec<f64> = train.y.iter().map(|&v| f64::from(v)).collect();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let (w_ls, b_ls) = (sxy / sxx, my - sxy / sxx * mx);
    let cell = |(lo, hi): (f64, f64)| (hi - lo) / 40.0;
    assert!(
        (l.min.0 - w_ls).abs() <= cell(l.a_range),
        "w: grid {} vs {w_ls}",
        l.min.0
    );
    assert!(
        (l.min.1 - b_ls).abs() <= cell(l.b_range),
        "b: grid {} vs {b_ls}",
        l.min.1
    );
    assert!(l.min.2 <= now);
}

#[test]
fn any_network_gets_a_seeded_slice_with_its_path_projected() {
    let mut t = trainer(&[4, 3], 0.05);
    let trajectory = train(&mut t, 40);
    let before = t.export_params().unwrap();
    let state = t.export().unwrap();
    let req = LandscapeRequest {
        size: 41,
        seed: 9,
        trajectory,
    };
    let l = t.landscape(&req).unwrap();
    assert_eq!(l.directions, Directions::FilterNormalized { seed: 9 });
    assert_eq!(
        t.export_params().unwrap(),
        before,
        "weights restored bit for bit"
    );
    assert_eq!(
        t.export().unwrap(),
        state,
        "and the whole trainer state with them"
    );
    assert!(l.loss.iter().all(|v| v.is_finite()));
    assert_eq!(l.point(20, 20), (0.0, 0.0));
    assert_eq!(
        l.loss[20 * 41 + 20],
        f64::from(t.evaluate(Split::Train).unwrap().loss)
    );
    // The last recorded weights are the current ones: the path ends at the centre.
    let end = *l.path.last().unwrap();
    assert!(end.0.abs() < 1e-9 && end.1.abs() < 1e-9, "{end:?}");
    assert!(l.path.first().unwrap() != &end, "the start lies elsewhere");
    // Seeded: the same request draws the same picture; another seed another.
    assert_eq!(t.landscape(&req).unwrap(), l);
    let other = t
        .landscape(&LandscapeRequest {
            seed: 10,
            ..req.clone()
        })
        .unwrap();
    assert_ne!(other.loss, l.loss);
    // A trajectory of another network is left out, not misread.
    let foreign = trainer(&[2], 0.05).export_params().unwrap();
    let l2 = t
        .landscape(&LandscapeRequest {
            trajectory: vec![foreign],
            ..req
        })
        .unwrap();
    assert!(l2.path.is_empty());
}

#[test]
fn a_diverged_model_is_refused_with_a_reason() {
    let mut t = trainer(&[], 0.05);
    train(&mut t, 3);
    t.set_weight(0, 0, 0, f32::NAN).unwrap();
    let err = t
        .landscape(&LandscapeRequest {
            size: 41,
            seed: 1,
            trajectory: vec![],
        })
        .unwrap_err();
    assert!(err.to_string().contains("diverged"), "{err}");

    // A learning rate far too large blows the run up: refused as well.
    let mut t = trainer(&[], 5.0);
    for _ in 0..200 {
        if t.step_batch().is_err() {
            break;
        }
    }
    let err = t
        .landscape(&LandscapeRequest {
            size: 41,
            seed: 1,
            trajectory: vec![],
        })
        .unwrap_err();
    assert!(err.to_string().contains("diverged"), "{err}");
}
