//! The exports run in the real frameworks: experiments trained natively are exported exactly as
//! the page's buttons export them, and `scripts/check-export.py` runs every script with Keras 3
//! (on PyTorch's CPU backend) and PyTorch. Ignored by a plain `cargo test`, since it needs the
//! virtual environment that `scripts/setup.sh --with-test-harness` makes; `scripts/test.sh`
//! runs it with `NP_EXPORT_PYTHON` set to that environment's python.

use std::path::Path;
use std::process::Command;

use super::tests::trained;
use super::*;

/// Experiments covering both problem kinds, one to three output units, every optimizer, every
/// activation, several features, initializers and penalties, two schedules and early stopping
/// on the loss and on the accuracy.
const CASES: &[(&str, &str, usize)] = &[
    ("circle-tanh-sgd", "dataset=circle&learningRate=0.1", 20),
    (
        "xor-squares-relu-momentum-l2-he",
        "dataset=xor&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&activation=relu\
         &optimizer=momentum&learningRate=0.003&regularization=L2&regularizationRate=0.001&init=he",
        4,
    ),
    (
        "spiral3-sin-elu-adam-dropout-val",
        "dataset=spiral3&x=true&y=true&sinX=true&sinY=true&networkShape=6,4&activation=elu\
         &eluAlpha=0.7&optimizer=adam&learningRate=0.01&dropout=0.1&percValData=20\
         &lrSchedule=cosine&lrEvery=30&lrFactor=0.1&earlyStop=accuracy&patience=5",
        3,
    ),
    (
        "regression-sigmoid-rmsprop-glorot-step-schedule",
        "problem=regression&regDataset=reg-gauss&activation=sigmoid&optimizer=rmsprop\
         &learningRate=0.01&init=glorot&batchSize=30&lrSchedule=step&lrEvery=1&lrFactor=0.5\
         &percValData=10&earlyStop=loss&patience=1",
        3,
    ),
    (
        "func1d-cos-leaky-adagrad-l1-lecun",
        "problem=regression&regDataset=func1d&x=true&cosX=true&networkShape=8,4\
         &activations=leakyrelu,linear&leakyReluAlpha=0.1&optimizer=adagrad&learningRate=0.1\
         &regularization=L1&regularizationRate=0.0001&init=lecun",
        3,
    ),
    (
        "moons-softmax2-step-nesterov-mse",
        "dataset=moons&twoClassOutput=softmax&networkShape=4,3&activations=tanh,step\
         &optimizer=nesterov&learningRate=0.3&loss=mse&inits=glorot,normal,zeros&batchSize=1000",
        3,
    ),
];

#[test]
#[ignore = "needs the export virtual environment: scripts/test.sh runs it"]
fn exported_scripts_reproduce_the_page_in_keras_and_pytorch() {
    let python = std::env::var("NP_EXPORT_PYTHON")
        .expect("NP_EXPORT_PYTHON: the python of the export environment (scripts/setup.sh)");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::env::temp_dir().join(format!("np-export-check-{}", std::process::id()));
    for (name, link, epochs) in CASES {
        let (c, snap, e) = trained(link, *epochs);
        // A network whose output is the same on every row (dead units) would match the page
        // whatever weights a script loaded.
        let first: Vec<f64> = e.predictions.iter().map(|p| p[0]).collect();
        let mean = first.iter().sum::<f64>() / first.len() as f64;
        let spread =
            (first.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / first.len() as f64).sqrt();
        assert!(spread > 0.01, "{name}: the output barely varies ({spread})");
        let dir = cases.join(name);
        std::fs::create_dir_all(&dir).expect("a case folder");
        // What the page's buttons download.
        for d in [Download::Keras, Download::Pytorch, Download::Data] {
            let text = d.text(&c, &snap).unwrap_or_else(|u| panic!("{name}: {u}"));
            std::fs::write(dir.join(d.file()), text).expect("a written file");
        }
        let expect = format!(
            "{{\"parameters\": {}, \"rows\": {}}}\n",
            e.parameters,
            e.rows.len()
        );
        std::fs::write(dir.join("expect.json"), expect).expect("a written file");
    }
    let status = Command::new(&python)
        .arg(root.join("scripts/check-export.py"))
        .arg(&cases)
        .status()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    // NP_EXPORT_KEEP=1 keeps the exports to read.
    if std::env::var_os("NP_EXPORT_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&cases);
    } else {
        println!("exports kept in {}", cases.display());
    }
    assert!(status.success(), "scripts/check-export.py failed: {status}");
}
