//! One component per file.

pub mod activation_chart;
pub mod backend_badge;
