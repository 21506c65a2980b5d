//! Datasets: seeded generators, the dataset type with its splits, input features, tables read
//! from CSV files ([`table`]), and the datasets the site ships in its packed format.

mod dataset;
mod features;
mod generators;
mod packed;
pub mod table;

pub use dataset::{Dataset, Splits};
pub use features::{feature_matrix, Feature};
pub use generators::{func1d_target, generate, Generator};
pub use packed::{
    read_packed, write_packed, ColumnRole, ColumnValues, PackedBody, PackedColumn, PackedDataset,
    PackedError, PackedImages, Quantization,
};
