//! Training: the run's configuration, a frame-by-frame trainer, metrics, state export.

mod config;
mod epoch;
mod explain;
pub mod gradcheck;
mod inspect;
pub mod landscape;
pub mod metrics;
mod objective;
mod probe;
mod schedule;
mod state;
mod trainer;

pub use config::{EarlyStopping, Monitor, TrainConfig};
pub use explain::{LayerNodes, StepExplanation, StepPick, EXPLAIN_MAX_ELEMENTS};
pub use gradcheck::{GradCheck, GradCheckEntry};
pub use inspect::{GradNorms, LayerActivations, PendingActivations};
pub use landscape::{Directions, Landscape, LandscapeRequest, LANDSCAPE_SIZES};
pub use metrics::EvalMetrics;
pub use probe::{Probe, ProbeGradient};
pub use schedule::Schedule;
pub use state::TrainerState;
pub use trainer::{EpochRecord, Split, Status, StepReport, Trainer};
