//! Pure math behind the inspection panels (hidden layers, activations, health, confusion,
//! summary). Nothing here touches the DOM, so all of it is unit-tested natively.

pub mod activation;
pub mod confusion;
pub mod fit;
pub mod grid;
pub mod groups;
pub mod histogram;
pub mod pca;
pub mod rotation;
pub mod separator;
pub mod summary;
pub mod units;
