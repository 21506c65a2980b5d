//! Datasets: seeded generators, the dataset type with its splits, input features, and tables
//! read from CSV files ([`table`]).

mod dataset;
mod features;
mod generators;
pub mod table;

pub use dataset::{Dataset, Splits};
pub use features::{feature_matrix, Feature};
pub use generators::{func1d_target, generate, Generator};
