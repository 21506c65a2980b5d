//! The inspector: the panels that look inside the network (hidden-layer representations,
//! activation functions, network health, confusion matrix, model summary). Each panel is one
//! component; what it draws is built by pure functions in `crate::draw` into a `Scene` that
//! `SceneCanvas` paints. `container::Inspector` holds them and is what the app mounts; `probe`
//! is the inspector's window on the network (np-engine's `train::Probe`).

pub mod activation;
pub mod confusion;
pub mod container;
pub mod health;
pub mod hidden;
pub mod inspection;
pub mod layer_choices;
pub mod probe;
pub mod roc;
pub mod summary;
pub mod timeline;
