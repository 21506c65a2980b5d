//! A backend whose reads complete only on the second poll (as a GPU's do; `Deferred`, from the
//! backend test suite, which also runs every op on it): the synchronous helpers report
//! `NotReady` as a value, and the asynchronous paths work.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_backend_tests::Deferred;
use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::*;
use np_engine::data::generate;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{Split, TrainConfig, Trainer};
use np_engine::EngineError;
use std::future::Future;
use std::task::{Context, Poll, Waker};

fn block_on<T>(f: impl Future<Output = T>) -> T {
    let mut f = Box::pin(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn trainer(backend: Box<dyn Backend>) -> Trainer {
    let data = generate("circle", 200, 0.1, 1)
        .unwrap()
        .split(20.0, 10.0, 2)
        .unwrap();
    let cfg = TrainConfig {
        model: ModelSpec::mlp(
            2,
            &[6],
            Activation::Tanh,
            1,
            OutputUnit::Sigmoid,
            Init::GlorotUniform,
        ),
        optimizer: UpdateRule::adam(0.02),
        loss: Loss::BinaryCrossEntropy,
        regularization: Regularization::default(),
        batch_size: 16,
        init_seed: 3,
        shuffle_seed: 4,
        early_stopping: None,
        schedule: Default::default(),
    };
    Trainer::with_backend(cfg, data, backend).unwrap()
}

#[test]
fn asynchronous_reads_drive_training_export_and_backend_switches() {
    let mut cpu = trainer(Box::new(CpuBackend::new()));
    let mut gpu_like = trainer(Box::new(Deferred::default()));
    for _ in 0..3 {
        while !cpu.step_batch().unwrap().epoch_done {}
        loop {
            let r = gpu_like.step_batch().unwrap();
            assert_eq!(
                r.loss, None,
                "a deferred backend cannot give the loss at once"
            );
            if r.epoch_done {
                break;
            }
        }
        let loss = block_on(gpu_like.read_last_loss().unwrap()).unwrap();
        assert!(loss[0].is_finite());
    }
    // Synchronous helpers answer NotReady as a value; the async ones work.
    assert!(matches!(gpu_like.export(), Err(EngineError::NotReady)));
    assert!(matches!(
        gpu_like.evaluate(Split::Train),
        Err(EngineError::NotReady)
    ));
    let pts = np_engine::Tensor::new(vec![0.5, -1.0, 2.0, 0.0], &[2, 2]).unwrap();
    assert!(matches!(
        gpu_like.activations(&pts),
        Err(EngineError::NotReady)
    ));
    let acts = block_on(gpu_like.activations_async(&pts)).unwrap();
    assert_eq!(acts, cpu.activations(&pts).unwrap());
    assert_eq!(block_on(gpu_like.all_params_async()).unwrap().len(), 2);
    let state = block_on(gpu_like.export_async()).unwrap();
    assert_eq!(state.params, cpu.export_params().unwrap());
    // Switch the deferred run to the CPU mid-training; both runs stay identical.
    block_on(gpu_like.replace_backend_async(Box::new(CpuBackend::new()))).unwrap();
    for _ in 0..5 {
        cpu.step_batch().unwrap();
        gpu_like.step_batch().unwrap();
    }
    assert_eq!(
        gpu_like.export_params().unwrap(),
        cpu.export_params().unwrap()
    );
    // And back onto a deferred backend, from the CPU side (synchronous reads).
    cpu.replace_backend(Box::new(Deferred::default())).unwrap();
    cpu.step_batch().unwrap();
    assert!(block_on(cpu.export_async()).is_ok());
}
