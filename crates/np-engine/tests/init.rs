//! Initializers: each draws from the distribution it names, and a layer's own initializer
//! overrides the model's without touching the other layers' rules.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::autodiff::Graph;
use np_engine::backend::cpu::CpuBackend;
use np_engine::nn::{Activation, Init, LayerInit, ModelSpec, OutputUnit, Sequential};
use np_engine::rng::Rng;

fn mean_std(v: &[f32]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let var = v
        .iter()
        .map(|&x| (f64::from(x) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

#[test]
fn initializers_have_the_spread_they_name() {
    let (fan_in, fan_out) = (400, 100);
    let cases = [
        (Init::Normal { std: 1.0 }, 1.0),
        (Init::LeCunNormal, (1.0 / 400.0f64).sqrt()),
        (Init::HeNormal, (2.0 / 400.0f64).sqrt()),
        (Init::GlorotNormal, (2.0 / 500.0f64).sqrt()),
        (Init::SmallNormal, 0.01),
        // Uniform on [-a, a] has std a / sqrt(3).
        (Init::GlorotUniform, (6.0 / 500.0f64).sqrt() / 3.0f64.sqrt()),
        (Init::HeUniform, (6.0 / 400.0f64).sqrt() / 3.0f64.sqrt()),
    ];
    for (init, want) in cases {
        let w = init.sample(fan_in, fan_out, &mut Rng::new(3));
        assert_eq!(w.len(), fan_in * fan_out);
        let (mean, std) = mean_std(&w);
        assert!(mean.abs() < 0.02 * want.max(0.05), "{init:?}: mean {mean}");
        assert!(
            (std / want - 1.0).abs() < 0.03,
            "{init:?}: std {std}, expected {want}"
        );
    }
}

fn params(spec: &ModelSpec, seed: u64) -> Vec<Vec<f32>> {
    let mut g = Graph::new(Box::new(CpuBackend::new()));
    let model = Sequential::new(&mut g, spec, seed).unwrap();
    model
        .params()
        .into_iter()
        .map(|v| g.var_value(v).unwrap().to_vec())
        .collect()
}

#[test]
fn a_layer_initializer_overrides_only_its_layer() {
    let base = ModelSpec::mlp(
        2,
        &[3, 4],
        Activation::Sigmoid,
        2,
        OutputUnit::Softmax,
        Init::GlorotUniform,
    );
    let mut spec = base.clone();
    spec.layer_inits = vec![
        None,
        Some(LayerInit {
            weights: Init::Constant { value: 0.25 },
            bias: 0.1,
        }),
    ];
    let (a, b) = (params(&base, 9), params(&spec, 9));
    // Layer 1 (w, b) is the constant start; layer 0 and the output layer keep the model's
    // rule, and layer 0 draws the same numbers (the overriding layer comes after it).
    assert_eq!(b[2], vec![0.25; 12]);
    assert_eq!(b[3], vec![0.1; 4]);
    assert_eq!(a[0], b[0]);
    assert_eq!(a[1], b[1]);
    let limit = (6.0f32 / 6.0).sqrt();
    assert!(b[4].iter().all(|w| w.abs() <= limit) && b[4].iter().any(|&w| w != 0.0));
    assert_eq!(b[5], vec![0.0; 2]);
    assert_eq!(spec.init_of(2).weights, Init::GlorotUniform);

    // More initializers than weight layers is a configuration error, not a panic.
    spec.layer_inits = vec![None; 4];
    assert!(spec.validate().is_err());
}
