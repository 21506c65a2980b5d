use super::*;
use crate::config::{hash, Config};
use crate::inspector::probe::EngineProbe;
use crate::session::{Session, Snapshot, GRID};
use np_engine::nn::Loss;

/// A session of the experiment `link` (a URL hash) trained `epochs` epochs: its config, its
/// snapshot and the export of that snapshot.
pub(super) fn trained(link: &str, epochs: usize) -> (Config, Snapshot, Experiment) {
    let (c, notices) = hash::parse(link);
    assert_eq!(notices, vec![], "{link}");
    let mut s = Session::new(&c);
    for _ in 0..epochs {
        s.step_epoch_now();
    }
    assert_eq!(s.diverged(), None, "{link}");
    let snap = s.snapshot_now(GRID);
    let e = Experiment::of(&c, &snap);
    let d = &snap.data;
    assert_eq!(e.rows.len(), d.train.len() + d.val.len() + d.test.len());
    // The export's predictions are the page's: the probe that computes them for the data rows
    // gives the snapshot's own output over the drawing grid.
    let probe = EngineProbe::for_config(&e.train, snap.data.classes, None).expect("a probe");
    let cells: Vec<(f64, f64)> = (0..GRID * GRID)
        .map(|i| snap.data.extent.cell(GRID, i / GRID, i % GRID))
        .map(|(x, y)| {
            (
                x,
                if c.active_dataset().is_one_dimensional() {
                    0.0
                } else {
                    y
                },
            )
        })
        .collect();
    let grid = probe
        .forward(&snap.layers, &input_rows(&snap.features, &cells))
        .post
        .pop()
        .expect("an output layer");
    for (a, b) in grid.iter().flatten().zip(snap.output.iter().flatten()) {
        assert!((a - b).abs() < 1e-6, "{link}: {a} vs the page's {b}");
    }
    (c, snap, e)
}

#[test]
fn an_export_holds_every_row_with_the_pages_prediction() {
    let (c, _, e) = trained(
        "dataset=spiral3&networkShape=5,4&activation=relu&percValData=20",
        2,
    );
    assert!(e.rows.len().abs_diff(c.sample_count() as usize) <= 2);
    assert_eq!(e.predictions.len(), e.rows.len());
    assert!(e.count("val") > 0 && e.count("test") > 0 && e.count("train") > 0);
    assert_eq!(e.columns, ["X1", "X2"]);
    assert_eq!((e.classes, e.outputs()), (3, 3));
    // 2*5+5 + 5*4+4 + 4*3+3 parameters, as the model summary counts them.
    assert_eq!(e.parameters, 15 + 24 + 15);
    assert_eq!(e.epochs, 2);
    for p in &e.predictions {
        assert!(
            (p.iter().sum::<f64>() - 1.0).abs() < 1e-5,
            "softmax rows: {p:?}"
        );
    }
}

#[test]
fn the_data_csv_has_the_engines_features_and_the_split() {
    let (_, _, e) = trained("dataset=circle&x=true&y=true&xSquared=true&sinX=true", 0);
    let csv = data_csv(&e);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("split,X1,X2,X1^2,sin(X1),label"));
    let first: Vec<&str> = lines.next().expect("a row").split(',').collect();
    assert_eq!(first[0], "train");
    let v: Vec<f32> = first[1..5]
        .iter()
        .map(|s| s.parse().expect("a number"))
        .collect();
    // The text reads back to the engine's f32 values exactly.
    assert_eq!(v, e.rows[0].x);
    assert_eq!(v[2], v[0] * v[0]);
    assert_eq!(v[3], v[0].sin());
    assert!(first[5] == "0" || first[5] == "1");
    assert_eq!(csv.lines().count(), e.rows.len() + 1);
    let splits: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| &l[..l.find(',').unwrap_or(0)])
        .collect();
    assert_eq!(
        splits.iter().filter(|s| **s == "test").count(),
        e.count("test")
    );
}

#[test]
fn the_history_csv_has_a_row_per_recorded_epoch() {
    let (c, _) = hash::parse("dataset=xor&percValData=10");
    let mut s = Session::new(&c);
    for _ in 0..3 {
        s.step_epoch_now();
    }
    let snap = s.snapshot_now(4);
    let csv = history_csv(&snap.history);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "epoch,loss_train,loss_val,loss_test,accuracy_train,accuracy_test,auc_test"
    );
    assert_eq!(lines.len(), snap.history.len() + 1);
    let last: Vec<&str> = lines[lines.len() - 1].split(',').collect();
    assert_eq!(last[0], "3");
    assert!(
        last.iter().all(|v| !v.is_empty()),
        "every column filled: {last:?}"
    );
    let (c, _) = hash::parse("problem=regression&regDataset=reg-plane");
    let mut s = Session::new(&c);
    s.step_epoch_now();
    let csv = history_csv(&s.snapshot_now(4).history);
    // No validation set and no accuracy: those cells stay empty.
    let first: Vec<&str> = csv.lines().nth(1).expect("a row").split(',').collect();
    assert_eq!(first.len(), 7);
    assert!(
        first[2].is_empty() && first[4].is_empty() && first[5].is_empty() && first[6].is_empty(),
        "{csv}"
    );
    assert!(!first[3].is_empty(), "{csv}");
}

#[test]
fn the_scripts_carry_the_pages_hyper_parameters() {
    let (_, _, e) = trained(
        "dataset=gauss&networkShape=3,2&activations=leakyrelu,elu&leakyReluAlpha=0.2&eluAlpha=0.5\
         &optimizer=adam&learningRate=0.01&regularization=L2&regularizationRate=0.001&dropout=0.1\
         &init=he&batchSize=7",
        1,
    );
    let k = keras_script(&e).expect("a Keras script");
    for piece in [
        "optimizers.Adam(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)",
        "layers.LeakyReLU(negative_slope=0.2)",
        "layers.ELU(alpha=0.5)",
        "layers.Dropout(0.1)",
        "kernel_regularizer=regularizers.L2(0.001)",
        r#"initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal")"#,
        "losses.BinaryCrossentropy()",
        "BATCH_SIZE = 7",
        "EPOCHS = 1",
    ] {
        assert!(k.contains(piece), "Keras script lacks {piece}:\n{k}");
    }
    let t = pytorch_script(&e).expect("a PyTorch script");
    for piece in [
        "torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-7)",
        "nn.LeakyReLU(negative_slope=0.2)",
        "nn.ELU(alpha=0.5)",
        "nn.Dropout(0.1)",
        "0.001 * sum(d.weight.square().sum() for d in dense_layers(model))",
        "nn.init.normal_(dense[0].weight, 0.0, math.sqrt(2.0 / dense[0].weight.shape[1]))",
        "binary_cross_entropy_with_logits(logits, target)",
        "torch.sigmoid(logits)",
    ] {
        assert!(t.contains(piece), "PyTorch script lacks {piece}:\n{t}");
    }
    let (_, _, m) = trained(
        "dataset=clouds3&optimizer=rmsprop&init=tfp&activation=step&twoClassOutput=softmax",
        1,
    );
    let k = keras_script(&m).expect("a Keras script");
    assert!(k.contains("rho=0.9, momentum=0.0, epsilon=1e-7"), "{k}");
    assert!(k.contains("initializers.RandomUniform(-0.5, 0.5)"), "{k}");
    assert!(
        k.contains("bias_initializer=initializers.Constant(0.1)"),
        "{k}"
    );
    assert!(k.contains("layers.Activation(step)") && k.contains("def step(z):"));
    assert!(k.contains("losses.CategoricalCrossentropy()"));
    let t = pytorch_script(&m).expect("a PyTorch script");
    assert!(t.contains("torch.optim.RMSprop(model.parameters(), lr=0.03, alpha=0.9, eps=1e-7)"));
    assert!(t.contains("class Step(nn.Module):") && t.contains("Step(),"));
}

#[test]
fn what_keras_cannot_do_is_said_not_written() {
    let (_, _, mut e) = trained("problem=regression&regDataset=line", 0);
    e.train.loss = Loss::SumSquares;
    let err = keras_script(&e).expect_err("no Keras script");
    assert!(err.to_string().contains("sum-of-squares"), "{err}");
    assert!(pytorch_script(&e).is_ok());
}

#[test]
fn every_button_has_its_file() {
    let (c, snap, _) = trained("dataset=circle", 1);
    let mut ids = Vec::new();
    for d in Download::ALL {
        let text = d.text(&c, &snap).unwrap_or_else(|e| panic!("{d:?}: {e}"));
        assert!(!text.is_empty());
        assert!(d.file().starts_with("neural-playground-"));
        assert!(d.testid().starts_with("export-"));
        ids.push(d.testid());
    }
    ids.dedup();
    assert_eq!(ids.len(), Download::ALL.len());
    let keras = Download::Keras.text(&c, &snap).unwrap_or_default();
    assert!(keras.contains("keras.Sequential(") && keras.contains(DATA_FILE));
}

#[test]
fn a_network_without_features_gets_the_engines_zero_column() {
    let (_, _, e) = trained("dataset=circle&x=false&y=false&networkShape=2", 1);
    assert_eq!(e.columns, ["zero"]);
    assert!(e.rows.iter().all(|r| r.x == [0.0]));
    assert!(data_csv(&e).starts_with("split,zero,label\n"));
    // 1*2+2 + 2*1+1 parameters.
    assert_eq!(e.parameters, 7);
    assert!(keras_script(&e).is_ok_and(|k| k.contains(r#"FEATURES = ["zero"]"#)));
}
