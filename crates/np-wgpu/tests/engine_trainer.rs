//! np-engine's own Trainer (graph, autodiff, layers, dropout, penalties, optimizer, metrics)
//! driven on the wgpu backend and on the CPU backend: whole runs agree, and a device destroyed
//! mid-training hands the run over to the CPU without losing weights or optimizer state; frozen
//! tensors stay put on both.
//! Tolerance: 2e-3 absolute + 2e-3 relative on every epoch's losses and on every exported
//! weight and optimizer-state value after 6 epochs (f32 summation order differs between the
//! GPU's tiled kernels and the CPU's blocked ones; dropout masks are identical bit for bit).

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

mod common;

use common::assert_close;
use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::UpdateRule;
use np_engine::data::generate;
use np_engine::nn::{Activation, Frozen, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{TrainConfig, Trainer};
use np_engine::Backend;
use np_wgpu::{FallbackBackend, GpuContext, WgpuBackend};
use std::sync::Arc;

fn config(kind: &str) -> (TrainConfig, &'static str) {
    let (model, rule, loss, set) = match kind {
        "xor" | "xor-frozen" => {
            let mut m = ModelSpec::mlp(
                2,
                &[8, 8],
                Activation::Tanh,
                1,
                OutputUnit::Sigmoid,
                Init::GlorotUniform,
            );
            m.hidden[0].dropout = 0.2;
            if kind == "xor-frozen" {
                // The first layer and the output bias fixed: the optimizer skips them.
                m.frozen = vec![
                    Frozen::LAYER,
                    Frozen::default(),
                    Frozen {
                        kernel: false,
                        bias: true,
                    },
                ];
            }
            (m, UpdateRule::adam(0.01), Loss::BinaryCrossEntropy, "xor")
        }
        _ => {
            let m = ModelSpec::mlp(
                2,
                &[30],
                Activation::Relu,
                2,
                OutputUnit::Softmax,
                Init::HeNormal,
            );
            let rule = UpdateRule::RmsProp {
                lr: 0.01,
                alpha: 0.99,
                eps: 1e-8,
            };
            (m, rule, Loss::CategoricalCrossEntropy, "spiral")
        }
    };
    let cfg = TrainConfig {
        model,
        optimizer: rule,
        loss,
        regularization: Regularization { l1: 1e-4, l2: 1e-3 },
        batch_size: 32,
        init_seed: 11,
        shuffle_seed: 12,
        early_stopping: None,
        schedule: Default::default(),
    };
    (cfg, set)
}

fn trainer(kind: &str, backend: Box<dyn Backend>) -> Trainer {
    let (cfg, set) = config(kind);
    let data = generate(set, 300, 0.1, 7)
        .unwrap()
        .split(20.0, 10.0, 8)
        .unwrap();
    Trainer::with_backend(cfg, data, backend).unwrap()
}

/// Per-epoch train and validation losses, then every exported parameter and optimizer value.
fn run(t: &mut Trainer, epochs: usize, mut hook: impl FnMut(usize)) -> (Vec<f32>, Vec<Vec<f32>>) {
    let mut losses = Vec::new();
    for e in 0..epochs {
        hook(e);
        let rec = t.step_epoch().unwrap();
        losses.push(rec.train.loss);
        losses.push(rec.val.map_or(0.0, |v| v.loss));
    }
    let s = t.export().unwrap();
    let mut values: Vec<Vec<f32>> = s.params.into_iter().map(|p| p.data).collect();
    values.extend(s.optimizer.state.into_iter().flatten());
    (losses, values)
}

fn compare(what: &str, (gl, gv): &(Vec<f32>, Vec<Vec<f32>>), (cl, cv): &(Vec<f32>, Vec<Vec<f32>>)) {
    assert_close(gl, cl, 2e-3, 2e-3, &format!("{what}: epoch losses"));
    assert_eq!(gv.len(), cv.len());
    for (i, (g, c)) in gv.iter().zip(cv).enumerate() {
        assert_close(g, c, 2e-3, 2e-3, &format!("{what}: exported tensor {i}"));
    }
}

#[test]
fn engine_trainer_runs_agree_on_gpu_and_cpu() {
    for kind in ["xor", "spiral", "xor-frozen"] {
        let mut g = trainer(kind, Box::new(common::gpu()));
        let mut c = trainer(kind, Box::new(CpuBackend::new()));
        let gr = run(&mut g, 6, |_| {});
        let cr = run(&mut c, 6, |_| {});
        compare(kind, &gr, &cr);
        assert!(gr.0[10] < gr.0[0], "{kind} learns on the GPU: {:?}", gr.0);
    }
}

#[test]
fn engine_trainer_survives_device_loss() {
    let ctx = Arc::new(pollster::block_on(GpuContext::new()).unwrap());
    let fb = FallbackBackend::new(
        WgpuBackend::new(Arc::clone(&ctx)),
        Box::new(|| Box::new(CpuBackend::new())),
    );
    let probe = fb.clone();
    let mut g = trainer("xor", Box::new(fb));
    let gr = run(&mut g, 6, |e| {
        if e == 2 {
            pollster::block_on(probe.checkpoint()).unwrap();
        }
        if e == 4 {
            assert!(probe.on_gpu());
            ctx.device().destroy();
        }
    });
    assert!(!probe.on_gpu(), "training continued on the CPU");
    let mut c = trainer("xor", Box::new(CpuBackend::new()));
    let cr = run(&mut c, 6, |_| {});
    compare("xor across device loss", &gr, &cr);
}

#[test]
fn engine_trainer_leaves_the_gpu_on_request() {
    // The user switching to the CPU mid-run: the same hand-over as a device loss, on purpose,
    // after which the trainer exports synchronously.
    let ctx = Arc::new(pollster::block_on(GpuContext::new()).unwrap());
    let fb = FallbackBackend::new(
        WgpuBackend::new(Arc::clone(&ctx)),
        Box::new(|| Box::new(CpuBackend::new())),
    );
    let probe = fb.clone();
    let mut g = trainer("xor", Box::new(fb));
    let gr = run(&mut g, 6, |e| {
        if e == 2 {
            pollster::block_on(probe.checkpoint()).unwrap();
        }
        if e == 4 {
            probe.leave_gpu("cpu: chosen").unwrap();
            assert!(!probe.on_gpu());
            assert_eq!(probe.fell_back().as_deref(), Some("cpu: chosen"));
            assert!(g_exports_now(&probe));
        }
    });
    assert_eq!(
        ctx.memory().in_use_buffers,
        0,
        "the GPU backend gave its buffers back"
    );
    let mut c = trainer("xor", Box::new(CpuBackend::new()));
    let cr = run(&mut c, 6, |_| {});
    compare("xor after leaving the GPU", &gr, &cr);
}

/// Reads on the handle complete at once (what `Trainer::export` needs).
fn g_exports_now(fb: &FallbackBackend) -> bool {
    let mut b = fb.clone();
    let id = b.upload(&[1.0]).unwrap();
    let done = np_engine::backend::poll_once(b.read(id)).is_some();
    b.release(id);
    done
}
