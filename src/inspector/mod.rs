//! The inspection panels of issue 6: hidden-layer representations, activation functions,
//! network health, confusion matrix and model summary. Each panel is one component; what they
//! draw is built by pure functions into a `Scene` that `SceneCanvas` paints. `Inspector` holds
//! them and is what the app mounts.

pub mod activation;
pub mod confusion;
pub mod container;
pub mod health;
pub mod hidden;
pub mod inspection;
pub mod layer_choices;
pub mod probe;
pub mod summary;
pub mod timeline;
