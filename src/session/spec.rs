//! Turns the app's Config into np-engine's TrainConfig: the one place where UI names meet
//! engine types.

use np_engine::backend::UpdateRule;
use np_engine::nn::{
    Activation as EAct, Frozen, Init as EInit, LayerInit, LayerSpec, Loss as ELoss, ModelSpec,
    OutputUnit, Regularization as EReg,
};
use np_engine::train::{EarlyStopping, Monitor, Schedule, TrainConfig};

use crate::config::{
    Activation, Config, EarlyStop, Init, Loss, LrSchedule, Optimizer, Regularization,
    TwoClassOutput,
};

/// The engine's activation for one of the config's, at the config's alphas.
pub fn activation(a: Activation, c: &Config) -> EAct {
    match a {
        Activation::Relu => EAct::Relu,
        Activation::Tanh => EAct::Tanh,
        Activation::Sigmoid => EAct::Sigmoid,
        Activation::Linear => EAct::Linear,
        Activation::LeakyRelu => EAct::LeakyRelu {
            alpha: c.leaky_relu_alpha as f32,
        },
        Activation::Elu => EAct::Elu {
            alpha: c.elu_alpha as f32,
        },
        Activation::Step => EAct::Step,
    }
}

/// The engine's weight initializer and bias start for one of the config's initializations.
fn layer_init(i: Init, c: &Config) -> LayerInit {
    let (weights, bias) = match i {
        // TensorFlow Playground: weights uniform in [-0.5, 0.5], biases 0.1.
        Init::Tfp => (EInit::Uniform { a: 0.5 }, 0.1),
        Init::Glorot => (EInit::GlorotUniform, 0.0),
        Init::He => (EInit::HeNormal, 0.0),
        Init::Small => (EInit::SmallNormal, 0.0),
        Init::Normal => (EInit::Normal { std: 1.0 }, 0.0),
        Init::Lecun => (EInit::LeCunNormal, 0.0),
        Init::Zeros => (EInit::Zeros, 0.0),
        Init::Constant => (
            EInit::Constant {
                value: c.init_weight as f32,
            },
            c.init_bias as f32,
        ),
    };
    LayerInit { weights, bias }
}

/// The engine's weight penalty for the config's choice and rate.
pub fn regularization(c: &Config) -> EReg {
    let rate = c.regularization_rate as f32;
    match c.regularization {
        Regularization::None => EReg::default(),
        Regularization::L1 => EReg { l1: rate, l2: 0.0 },
        Regularization::L2 => EReg { l1: 0.0, l2: rate },
    }
}

/// The engine's freeze flags per weight layer: the student's frozen layers, and the step
/// construction's fixed steps and fixed output bias.
pub fn frozen(c: &Config) -> Vec<Frozen> {
    let layers = c.network_shape.len() + 1;
    let flags: Vec<Frozen> = (0..layers)
        .map(|l| Frozen {
            kernel: c.layer_frozen(l),
            bias: c.layer_frozen(l) || (l == 1 && c.steps_apply()),
        })
        .collect();
    if flags.iter().all(|f| *f == Frozen::default()) {
        Vec::new()
    } else {
        flags
    }
}

/// The engine's learning-rate schedule for the config's.
pub fn schedule(c: &Config) -> Schedule {
    let (every, factor) = (c.lr_every as usize, c.lr_factor as f32);
    match c.lr_schedule {
        LrSchedule::Constant => Schedule::Constant,
        LrSchedule::Step => Schedule::Step { every, factor },
        LrSchedule::Exponential => Schedule::Exponential { every, factor },
        LrSchedule::Cosine => Schedule::Cosine {
            epochs: every,
            floor: factor,
        },
    }
}

/// The engine's early stopping for the config's, `None` when off.
pub fn early_stopping(c: &Config) -> Option<EarlyStopping> {
    let monitor = match c.early_stop {
        EarlyStop::Off => return None,
        EarlyStop::Loss => Monitor::Loss,
        EarlyStop::Accuracy => Monitor::Accuracy,
        EarlyStop::Auc => Monitor::Auc,
    };
    Some(EarlyStopping {
        monitor,
        patience: c.patience as usize,
        min_delta: 0.0,
        restore_best: c.restore_best,
    })
}

/// The update rule for the config's optimizer at its learning rate and momentum.
pub fn update_rule(c: &Config) -> UpdateRule {
    let lr = c.learning_rate as f32;
    let momentum = c.momentum as f32;
    let eps = c.epsilon as f32;
    match c.optimizer {
        Optimizer::Sgd => UpdateRule::Sgd {
            lr,
            momentum: 0.0,
            nesterov: false,
        },
        Optimizer::Momentum => UpdateRule::Sgd {
            lr,
            momentum,
            nesterov: false,
        },
        Optimizer::Nesterov => UpdateRule::Sgd {
            lr,
            momentum,
            nesterov: true,
        },
        Optimizer::Adagrad => UpdateRule::AdaGrad {
            lr,
            eps,
            initial_accumulator: 0.1,
        },
        Optimizer::Rmsprop => UpdateRule::RmsProp {
            lr,
            alpha: c.rho as f32,
            eps,
        },
        Optimizer::Adam => UpdateRule::Adam {
            lr,
            beta1: c.beta1 as f32,
            beta2: c.beta2 as f32,
            eps,
        },
    }
}

/// The training description for `inputs` features and `classes` classes (1 = regression).
pub fn train_config(c: &Config, inputs: usize, classes: usize) -> TrainConfig {
    let (outputs, output) = match (classes, c.two_class_output) {
        (0 | 1, _) => (1, OutputUnit::Linear),
        (2, TwoClassOutput::Sigmoid) => (1, OutputUnit::Sigmoid),
        (k, _) => (k, OutputUnit::Softmax),
    };
    let loss = match (outputs, c.effective_loss()) {
        (_, Loss::Mse) => ELoss::Mse,
        (_, Loss::SumSquares) => ELoss::SumSquares,
        (1, Loss::CrossEntropy) if classes == 2 => ELoss::BinaryCrossEntropy,
        (1, Loss::CrossEntropy) => ELoss::Mse,
        (_, Loss::CrossEntropy) => ELoss::CategoricalCrossEntropy,
    };
    let LayerInit {
        weights: init,
        bias: bias_init,
    } = layer_init(c.init, c);
    let layers = c.network_shape.len() + 1;
    let layer_inits = if c.inits.is_empty() {
        Vec::new()
    } else {
        (0..layers)
            .map(|l| Some(layer_init(c.layer_init(l), c)))
            .collect()
    };
    let hidden = c
        .network_shape
        .iter()
        .enumerate()
        .map(|(l, &units)| LayerSpec {
            units,
            activation: activation(c.layer_activation(l), c),
            dropout: c.dropout as f32,
        })
        .collect();
    TrainConfig {
        model: ModelSpec {
            inputs,
            hidden,
            outputs,
            output,
            init,
            bias_init,
            layer_inits,
            frozen: frozen(c),
            steps: c
                .steps_apply()
                .then_some(c.steps.unwrap_or_default() as f32),
        },
        optimizer: update_rule(c),
        loss,
        regularization: regularization(c),
        batch_size: c.batch_size as usize,
        init_seed: c.init_seed,
        // The shuffle (and dropout) stream follows the data seed, so reset repeats a run exactly.
        shuffle_seed: c.data_seed(),
        early_stopping: early_stopping(c),
        schedule: schedule(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::hash;
    use crate::session::Session;

    #[test]
    fn the_alphas_in_the_url_are_the_ones_trained_with() {
        let (c, notices) = hash::parse(
            "networkShape=4,3&activations=leakyrelu,elu&leakyReluAlpha=0.3&eluAlpha=0.5",
        );
        assert_eq!(notices, vec![]);
        let cfg = train_config(&c, 2, 2);
        assert_eq!(
            cfg.model.hidden[0].activation,
            EAct::LeakyRelu { alpha: 0.3 }
        );
        assert_eq!(cfg.model.hidden[1].activation, EAct::Elu { alpha: 0.5 });
        // The trainer uses them: the same run at the default alphas ends elsewhere.
        let train = |c: &Config| {
            let mut s = Session::new(c);
            for _ in 0..3 {
                s.step_epoch();
            }
            s.latest().loss_train
        };
        let defaults = Config {
            leaky_relu_alpha: Config::default().leaky_relu_alpha,
            elu_alpha: Config::default().elu_alpha,
            ..c.clone()
        };
        assert_ne!(train(&c), train(&defaults));
    }
}
