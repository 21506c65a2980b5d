//! What a config change requires of the training session, from cheapest to dearest.

use crate::config::Config;

/// The session's reaction to a change. Ordered, so the dearest of several wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Impact {
    /// Nothing to do (or only a redraw: show test data, discretize, hidden controls).
    #[default]
    None,
    /// Applied to the running trainer without losing progress (learning rate, momentum, weight
    /// penalty, dropout, batch size).
    Live,
    /// A new network from the same data (architecture, optimizer, loss, initialization).
    Reset,
    /// New data and a new network (dataset, noise, sample count, split, data seed).
    Rebuild,
}

impl Impact {
    /// The impact of moving from `old` to `new`.
    pub fn between(old: &Config, new: &Config) -> Impact {
        let data_changed = old.problem != new.problem
            || old.active_dataset() != new.active_dataset()
            || old.noise != new.noise
            || old.perc_train_data != new.perc_train_data
            || old.perc_val_data != new.perc_val_data
            || old.sample_count() != new.sample_count()
            || old.seed != new.seed;
        if data_changed {
            return Impact::Rebuild;
        }
        let model_changed = old.features != new.features
            || old.network_shape != new.network_shape
            || (0..new.network_shape.len())
                .any(|l| old.layer_activation(l) != new.layer_activation(l))
            || (0..=new.network_shape.len()).any(|l| old.layer_init(l) != new.layer_init(l))
            || old.two_class_output != new.two_class_output
            || old.init_seed != new.init_seed
            || old.optimizer != new.optimizer
            || old.effective_loss() != new.effective_loss();
        // A changed backend choice is not here: the app opens the backend and moves the
        // running experiment onto it where it stands (`Session::move_to`).
        if model_changed {
            return Impact::Reset;
        }
        let live = old.learning_rate != new.learning_rate
            || old.momentum != new.momentum
            || old.regularization != new.regularization
            || old.regularization_rate != new.regularization_rate
            || old.dropout != new.dropout
            || old.batch_size != new.batch_size;
        if live {
            Impact::Live
        } else {
            Impact::None
        }
    }
}
