//! The Neural Playground engine: tensors, reverse-mode autodiff, backends, layers, optimizers,
//! datasets and training. It knows nothing of the UI or the DOM and is tested natively.
