//! What the Keras and the PyTorch scripts share: the heading, the experiment's constants, the
//! data loader, the targets, the page's weights and predictions, and the comparison with them.

use std::fmt::Write;

use super::Experiment;
use np_engine::nn::{Loss, OutputUnit};
use np_engine::train::{Monitor, Schedule};

/// A float as Python reads it back to the same f32 (`nan` and `inf` are defined by the script).
pub fn num(v: f32) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        // Debug prints the shortest text that reads back as the same f32, `1e-7` style when
        // small.
        format!("{v:?}")
    }
}

fn list(values: impl IntoIterator<Item = f32>) -> String {
    let items: Vec<String> = values.into_iter().map(num).collect();
    format!("[{}]", items.join(", "))
}

/// A Python string literal.
pub fn string(s: &str) -> String {
    format!("{s:?}")
}

/// The script's docstring and imports common to both frameworks.
pub fn heading(e: &Experiment, framework: &str, run: &str) -> String {
    format!(
        r#"#!/usr/bin/env python3
"""{title}: the Neural Playground experiment, exported for {framework}.

Trained for {epochs} epochs on the page. To open the same experiment again, add this to the
playground's address:
    #{hash}

Save the page's data file ({data}) in the same folder and run
    {run}

The script
1. builds the page's network and prints its parameter count beside the page's;
2. loads the weights the page trained and compares its predictions with the page's;
3. trains a fresh network with the same initializers, loss, optimizer, penalty, dropout, batch
   size and number of epochs. The random draws are this framework's own, so the numbers will
   not be the page's, but the run should behave alike.

Options: --epochs N trains N epochs (0 skips training); --data PATH reads another data file.
"""

import argparse
import csv
import math
import os
import sys

import numpy as np

nan, inf = float("nan"), float("inf")

"#,
        title = e.title,
        epochs = e.epochs,
        hash = e.hash,
        data = super::DATA_FILE,
    )
}

/// The experiment's constants, the data loader and the targets.
pub fn constants_and_data(e: &Experiment) -> String {
    let columns: Vec<String> = e.columns.iter().map(|c| string(c)).collect();
    let label = if e.classes > 1 { "label" } else { "target" };
    format!(
        r#"# The experiment.
FEATURES = [{columns}]  # input columns, in the network's input order
LABEL = "{label}"
CLASSES = {classes}  # 1 for a regression
OUTPUTS = {outputs}  # output units
EPOCHS = {epochs}  # as trained on the page
BATCH_SIZE = {batch}  # {batch_note}
SEED = {seed}
PAGE_PARAMETERS = {parameters}  # the page's model summary
DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "{data}")


def load_data(path):
    """The page's data file: per example its split (train, val or test), the input features as
    the page computes them, and the label (class index) or target."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    expected = ["split", *FEATURES, LABEL]
    if header != expected:
        sys.exit(f"{{path}} has the columns {{header}}, this experiment {{expected}}: "
                 "is it the data of another experiment?")
    split = np.array([r[0] for r in rows])
    x = np.array([[float(v) for v in r[1:-1]] for r in rows], dtype=np.float32)
    labels = np.array([float(r[-1]) for r in rows], dtype=np.float32)
    return split, x, labels


def targets(labels):
    """What the loss compares the output with: one-hot rows for several output units, else the
    label itself as one column (0 or 1 for two classes, the value for a regression)."""
    if OUTPUTS > 1:
        return np.eye(OUTPUTS, dtype=np.float32)[labels.astype(int)]
    return labels.reshape(-1, 1)


def accuracy(outputs, labels):
    """The share of rows whose predicted class is the label, as the page predicts classes: the
    largest output, or above {cut} for a single output."""
    if OUTPUTS > 1:
        predicted = outputs.argmax(axis=1)
    else:
        predicted = (outputs[:, 0] > {cut}).astype(int)
    return float((predicted == labels.astype(int)).mean())


"#,
        columns = columns.join(", "),
        classes = e.classes,
        outputs = e.outputs(),
        epochs = e.epochs,
        batch = e.batch_size(),
        batch_note = if e.batch_size() >= e.count("train") {
            "the whole training set: full-batch gradient descent"
        } else {
            "rows per gradient step; the last batch of an epoch may be smaller"
        },
        seed = e.train.init_seed,
        parameters = e.parameters,
        data = super::DATA_FILE,
        cut = if e.train.model.output == OutputUnit::Tanh {
            "0"
        } else {
            "0.5"
        },
    )
}

/// The page's trained weights and its predictions, and the comparison with them.
pub fn page_values(e: &Experiment) -> String {
    let mut out = String::from(
        "# The weights the page trained: per dense layer, the kernel as [inputs][units] and the\n\
         # bias as [units].\nTRAINED_WEIGHTS = [\n",
    );
    for l in &e.weights {
        let fan_in = l.w.first().map_or(0, Vec::len);
        let kernel: Vec<String> = (0..fan_in)
            .map(|from| list(l.w.iter().map(|row| row[from] as f32)))
            .collect();
        let _ = writeln!(
            out,
            "    (\n        [{}],\n        {},\n    ),",
            kernel.join(", "),
            list(l.b.iter().map(|&v| v as f32))
        );
    }
    out.push_str(
        "]\n\n# The page's output for each row of the data file, in order, with those weights.\n\
         PAGE_PREDICTIONS = [\n",
    );
    for p in &e.predictions {
        let _ = writeln!(out, "    {},", list(p.iter().map(|&v| v as f32)));
    }
    out.push_str(
        r#"]


def compare_with_page(outputs):
    """Prints how far this framework's predictions with the page's weights are from the page's."""
    page = np.array(PAGE_PREDICTIONS, dtype=np.float64).reshape(-1, OUTPUTS)
    if page.shape != outputs.shape:
        sys.exit(f"the data file has {outputs.shape[0]} rows, the page predicted {page.shape[0]}: "
                 "is it the data of another experiment?")
    diff = float(np.max(np.abs(outputs.astype(np.float64) - page))) if page.size else 0.0
    print(f"trained weights from the page: max |prediction - page| = {diff:.3g} "
          f"over {page.shape[0]} rows")
"#,
    );
    out
}

/// The loss of the experiment as words, for comments.
pub fn loss_words(loss: Loss) -> &'static str {
    match loss {
        Loss::Mse => "mean squared error",
        Loss::SumSquares => "sum of squared errors",
        Loss::BinaryCrossEntropy => "binary cross-entropy",
        Loss::CategoricalCrossEntropy => "categorical cross-entropy",
    }
}

/// The command-line options both scripts take.
pub const ARGUMENTS: &str = r#"def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs to train (0: none)")
    parser.add_argument("--data", default=DATA_FILE, help="the page's data file")
    return parser.parse_args()

"#;

/// The page's learning-rate schedule as a Python function of the epochs completed, and early
/// stopping's settings; both scripts use them. `None` parts print as constants the scripts
/// test, so every script has the same shape whatever the page chose.
pub fn schedule_and_stopping(e: &Experiment) -> String {
    let base = num(e.train.optimizer.lr());
    let rate = match e.train.schedule {
        Schedule::Constant => base.clone(),
        Schedule::Step { every, factor } => {
            format!("{base} * {} ** (epoch // {})", num(factor), every.max(1))
        }
        Schedule::Exponential { every, factor } => {
            format!("{base} * {} ** (epoch / {})", num(factor), every.max(1))
        }
        Schedule::Cosine { epochs, floor } => format!(
            "{base} * ({floor} + (1 - {floor}) * 0.5 * (1 + math.cos(math.pi * min(epoch, {span}) / {span})))",
            floor = num(floor),
            span = epochs.max(1)
        ),
    };
    let scheduled = if e.train.schedule == Schedule::Constant {
        "False"
    } else {
        "True"
    };
    let stopping = match e.train.early_stopping {
        None => "None".to_string(),
        Some(es) => format!(
            "{{\"monitor\": {}, \"patience\": {}, \"restore_best\": {}}}",
            string(match es.monitor {
                Monitor::Loss => "loss",
                Monitor::Accuracy => "accuracy",
                Monitor::Auc => "auc",
            }),
            es.patience,
            if es.restore_best { "True" } else { "False" }
        ),
    };
    format!(
        r#"SCHEDULED = {scheduled}  # whether the learning rate follows a schedule


def learning_rate(epoch):
    """The page's learning rate for the epoch after `epoch` completed ones."""
    return {rate}


# Early stopping as the page had it: the metric watched on the validation rows (the training
# rows when there are none), the epochs it waits for an improvement, and whether the best
# epoch's weights come back when it stops. None: off.
EARLY_STOPPING = {stopping}


def roc_auc(scores, positive):
    """The area under the ROC curve: the chance that a positive row scores above a negative
    one, ties counting half."""
    pos, neg = scores[positive], scores[~positive]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    above = (pos[:, None] > neg[None, :]).mean()
    ties = (pos[:, None] == neg[None, :]).mean()
    return float(above + 0.5 * ties)


"#
    )
}
