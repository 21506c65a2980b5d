//! Datasets: seeded generators, the dataset type with its splits, and input features.

mod dataset;
mod features;
mod generators;
mod packed;

pub use dataset::{Dataset, Splits};
pub use features::{feature_matrix, Feature};
pub use generators::{func1d_target, generate, Generator};
pub use packed::{
    read_packed, write_packed, ColumnRole, ColumnValues, PackedBody, PackedColumn, PackedDataset,
    PackedError, PackedImages, Quantization,
};
