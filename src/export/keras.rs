//! The Keras 3 script: `keras.Sequential` of Dense layers with the page's activations,
//! initializers and penalties, compiled with the page's loss and optimizer, trained with `fit`.

use std::fmt::Write;

use super::python::{self, num, string};
use super::{Experiment, Unsupported};
use np_engine::backend::UpdateRule;
use np_engine::nn::{Activation, Init, Loss, OutputUnit, Regularization};

/// Keras's initializer for one of the engine's (Keras truncates its He and LeCun normals; the
/// engine does not, so those are `VarianceScaling` with an untruncated normal).
fn initializer(i: Init) -> String {
    match i {
        Init::Uniform { a } => format!("initializers.RandomUniform({}, {})", num(-a), num(a)),
        Init::GlorotUniform => "initializers.GlorotUniform()".into(),
        Init::GlorotNormal => {
            r#"initializers.VarianceScaling(1.0, "fan_avg", "untruncated_normal")"#.into()
        }
        Init::HeNormal => {
            r#"initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal")"#.into()
        }
        Init::HeUniform => "initializers.HeUniform()".into(),
        Init::SmallNormal => "initializers.RandomNormal(stddev=0.01)".into(),
        Init::Normal { std } => format!("initializers.RandomNormal(stddev={})", num(std)),
        Init::LeCunNormal => {
            r#"initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal")"#.into()
        }
        Init::Zeros => "initializers.Zeros()".into(),
        Init::Constant { value } => format!("initializers.Constant({})", num(value)),
    }
}

fn regularizer(r: Regularization) -> Option<String> {
    match (r.l1 != 0.0, r.l2 != 0.0) {
        (false, false) => None,
        (true, false) => Some(format!("regularizers.L1({})", num(r.l1))),
        (false, true) => Some(format!("regularizers.L2({})", num(r.l2))),
        (true, true) => Some(format!(
            "regularizers.L1L2(l1={}, l2={})",
            num(r.l1),
            num(r.l2)
        )),
    }
}

/// The `activation=` argument of a Dense layer, and the layer that follows it when the
/// activation has a parameter or is the page's own step.
fn activation(a: Activation) -> (&'static str, Option<String>) {
    match a {
        Activation::Linear => ("linear", None),
        Activation::Sigmoid => ("sigmoid", None),
        Activation::Tanh => ("tanh", None),
        Activation::Relu => ("relu", None),
        Activation::LeakyRelu { alpha } => (
            "linear",
            Some(format!("layers.LeakyReLU(negative_slope={})", num(alpha))),
        ),
        Activation::Elu { alpha } => ("linear", Some(format!("layers.ELU(alpha={})", num(alpha)))),
        Activation::Step => ("linear", Some("layers.Activation(step)".into())),
    }
}

fn loss(e: &Experiment) -> Result<&'static str, Unsupported> {
    let output = e.train.model.output;
    match (e.train.loss, output) {
        (Loss::Mse, _) => Ok("losses.MeanSquaredError()"),
        (Loss::BinaryCrossEntropy, OutputUnit::Sigmoid) => Ok("losses.BinaryCrossentropy()"),
        (Loss::CategoricalCrossEntropy, OutputUnit::Softmax) => {
            Ok("losses.CategoricalCrossentropy()")
        }
        (Loss::SumSquares, _) => Err(Unsupported(
            "The sum-of-squares loss has no Keras counterpart (Keras averages over the batch); \
             choose mean squared error to export this experiment."
                .into(),
        )),
        (l, o) => Err(Unsupported(format!(
            "The {} loss on a {} output has no Keras counterpart.",
            python::loss_words(l),
            o.name()
        ))),
    }
}

/// The optimizer and a comment on how Keras's formula differs from the page's, if it does.
fn optimizer(rule: UpdateRule) -> (String, Option<&'static str>) {
    match rule {
        UpdateRule::Sgd {
            lr, momentum: 0.0, ..
        } => {
            (format!("optimizers.SGD(learning_rate={})", num(lr)), None)
        }
        UpdateRule::Sgd {
            lr,
            momentum,
            nesterov,
        } => (
            format!(
                "optimizers.SGD(learning_rate={}, momentum={}, nesterov={})",
                num(lr),
                num(momentum),
                if nesterov { "True" } else { "False" }
            ),
            // Keras keeps v = m v - lr g; the page v = m v + g, p -= lr v: the same steps while
            // the rate does not change.
            None,
        ),
        UpdateRule::AdaGrad {
            lr,
            eps,
            initial_accumulator,
        } => (
            format!(
                "optimizers.Adagrad(learning_rate={}, initial_accumulator_value={}, epsilon={})",
                num(lr),
                num(initial_accumulator),
                num(eps)
            ),
            Some(
                "Keras divides by sqrt(accumulator + epsilon), the page (as PyTorch) by \
                 sqrt(accumulator) + epsilon: the steps differ by a relative amount below \
                 epsilon / accumulator.",
            ),
        ),
        UpdateRule::RmsProp { lr, alpha, eps } => (
            format!(
                "optimizers.RMSprop(learning_rate={}, rho={}, momentum=0.0, epsilon={}, centered=False)",
                num(lr),
                num(alpha),
                num(eps)
            ),
            Some(
                "Keras divides by sqrt(average + epsilon), the page (as PyTorch) by \
                 sqrt(average) + epsilon: the same steps once the average of squared gradients \
                 is well above epsilon, smaller ones while gradients are tiny.",
            ),
        ),
        UpdateRule::Adam {
            lr,
            beta1,
            beta2,
            eps,
        } => (
            format!(
                "optimizers.Adam(learning_rate={}, beta_1={}, beta_2={}, epsilon={})",
                num(lr),
                num(beta1),
                num(beta2),
                num(eps)
            ),
            Some(
                "Keras adds epsilon before correcting the second moment's bias, the page (as \
                 PyTorch) after: a difference of the order of epsilon.",
            ),
        ),
    }
}

/// The Keras 3 script, or why this experiment cannot be written for Keras.
pub fn keras_script(e: &Experiment) -> Result<String, Unsupported> {
    let loss = loss(e)?;
    let (optimizer, caveat) = optimizer(e.train.optimizer);
    let spec = &e.train.model;
    let reg = regularizer(e.train.regularization)
        .map(|r| format!(",\n                     kernel_regularizer={r}"))
        .unwrap_or_default();
    let dense = |units: usize, act: &str, layer: usize| {
        let init = spec.init_of(layer);
        let bias = if init.bias == 0.0 {
            r#""zeros""#.to_string()
        } else {
            format!("initializers.Constant({})", num(init.bias))
        };
        format!(
            "        layers.Dense({units}, activation={},\n                     kernel_initializer={},\n                     bias_initializer={bias}{reg}),\n",
            string(act),
            initializer(init.weights)
        )
    };
    let mut stack = String::from("        keras.Input(shape=(len(FEATURES),)),\n");
    for (l, h) in spec.hidden.iter().enumerate() {
        let (name, after) = activation(h.activation);
        stack.push_str(&dense(h.units, name, l));
        if let Some(a) = after {
            let _ = writeln!(stack, "        {a},");
        }
        if h.dropout > 0.0 {
            let _ = writeln!(stack, "        layers.Dropout({}),", num(h.dropout));
        }
    }
    stack.push_str(&dense(spec.outputs, spec.output.name(), spec.hidden.len()));
    let steps = spec.hidden.iter().any(|h| h.activation == Activation::Step);
    let step = if steps {
        r#"

def step(z):
    """The page's step activation: 1 where z > 0, else 0. Its gradient is 0, as on the page, so
    the layers before it do not learn from the data."""
    return keras.ops.cast(keras.ops.greater(z, 0.0), "float32")
"#
    } else {
        ""
    };
    let from_logits = e.train.loss.from_logits().then_some(
        "Keras takes the cross-entropy of the probabilities (clipped to 1e-7 from 0 and 1), the \
         page of the logits: the same loss unless the network is all but certain.",
    );
    let caveat: String = [from_logits, caveat]
        .into_iter()
        .flatten()
        .map(|c| format!("    # {}\n", wrap(c, 90).join("\n    # ")))
        .collect();
    let mut out = python::heading(
        e,
        "Keras 3",
        "KERAS_BACKEND=torch python neural-playground-keras.py",
    );
    out.push_str(
        "# Any Keras 3 backend runs it: KERAS_BACKEND=torch, jax or tensorflow.\nimport keras\n\
         from keras import initializers, layers, losses, optimizers, regularizers\n\n",
    );
    out.push_str(&python::constants_and_data(e));
    out.push_str(&python::page_values(e));
    out.push_str(&python::schedule_and_stopping(e));
    let _ = write!(
        out,
        r#"{step}

def build_model():
    """The page's network: dense layers with its activations, initializers and weight penalty
    (on every kernel, never on biases)."""
    return keras.Sequential([
{stack}    ])


def compile_model(model):
    """The page's loss ({loss_words}) and optimizer with its hyper-parameters."""
{caveat}    watched = EARLY_STOPPING["monitor"] if EARLY_STOPPING else None
    metrics = {{"accuracy": ["accuracy"], "auc": [keras.metrics.AUC(name="auc")]}}.get(watched, [])
    model.compile(optimizer={optimizer},
                  loss={loss}, metrics=metrics)


def train(epochs, split, x, labels):
    keras.utils.set_random_seed(SEED)
    model = build_model()
    compile_model(model)
    t = targets(labels)
    rows = {{name: split == name for name in ("train", "val", "test")}}
    validation = (x[rows["val"]], t[rows["val"]]) if rows["val"].any() else None
    every = max(1, epochs // 10)
    report = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(
        f"epoch {{epoch + 1}}: training loss {{logs['loss']:.4g}} (mean over the epoch's batches)")
        if (epoch + 1) % every == 0 or epoch + 1 == epochs else None)
    callbacks = [report]
    if SCHEDULED:
        callbacks.append(keras.callbacks.LearningRateScheduler(lambda epoch, rate: learning_rate(epoch)))
    if EARLY_STOPPING:
        # Keras 3 also puts the best weights back when training ends without a stop; the page
        # does so only when it stops.
        watched = EARLY_STOPPING["monitor"]
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor=("val_" if validation else "") + watched, mode="min" if watched == "loss" else "max",
            patience=EARLY_STOPPING["patience"], restore_best_weights=EARLY_STOPPING["restore_best"]))
    history = model.fit(x[rows["train"]], t[rows["train"]], batch_size=BATCH_SIZE, epochs=epochs,
                        shuffle=True, validation_data=validation, verbose=0, callbacks=callbacks)
    if len(history.history["loss"]) < epochs:
        print(f"early stopping ended training after {{len(history.history['loss'])}} epochs")
    for name, chosen in rows.items():
        if chosen.any():
            n = int(chosen.sum())
            loss = model.evaluate(x[chosen], t[chosen], batch_size=n, verbose=0, return_dict=True)["loss"]
            line = f"{{name}}: loss {{loss:.4g}}"
            if CLASSES > 1:
                outputs = model.predict(x[chosen], batch_size=n, verbose=0)
                line += f", accuracy {{accuracy(outputs, labels[chosen]):.3f}}"
            print(line)
    print(f"trained {{len(history.history['loss'])}} epochs: final training loss {{history.history['loss'][-1]:.4g}}")
    return model


{arguments}
def main():
    args = arguments()
    split, x, labels = load_data(args.data)
    keras.utils.set_random_seed(SEED)
    model = build_model()
    print(f"parameters: {{model.count_params()}} (the page's model summary: {{PAGE_PARAMETERS}})")
    dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
    for layer, (kernel, bias) in zip(dense, TRAINED_WEIGHTS):
        layer.set_weights([np.array(kernel, dtype=np.float32).reshape(layer.kernel.shape),
                           np.array(bias, dtype=np.float32)])
    compare_with_page(model.predict(x, batch_size=max(1, len(x)), verbose=0))
    if args.epochs > 0:
        train(args.epochs, split, x, labels)


if __name__ == "__main__":
    main()
"#,
        loss_words = python::loss_words(e.train.loss),
        arguments = python::ARGUMENTS,
    );
    Ok(out)
}

/// Words of `text` in lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().filter(|l| l.len() + word.len() < width);
        match last {
            Some(l) if !l.is_empty() => {
                l.push(' ');
                l.push_str(word);
            }
            Some(l) => l.push_str(word),
            None => lines.push(word.to_string()),
        }
    }
    lines
}
