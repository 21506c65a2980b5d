//! Device memory across rebuilt networks, on lavapipe: the app builds a new trainer on the same
//! device (and the same fallback handle) whenever the network changes, and evaluates the output
//! grid every epoch. Neither may make the memory held through the pool grow, and a dropped
//! network gives every buffer back.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::UpdateRule;
use np_engine::data::generate;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{TrainConfig, Trainer};
use np_engine::{Backend, Tensor};
use np_wgpu::{FallbackBackend, GpuContext, MemoryStats, WgpuBackend};
use std::sync::Arc;

/// A context of this test's own, so other tests' buffers do not show in its counts.
fn context() -> Arc<GpuContext> {
    Arc::new(pollster::block_on(GpuContext::new()).expect("lavapipe or a GPU must be present"))
}

/// A 2-`hidden`-1 network on 300 xor points, Adam, batch 32 (widths vary between rebuilds).
fn trainer(hidden: &[usize], backend: Box<dyn Backend>) -> Trainer {
    let model = ModelSpec::mlp(
        2,
        hidden,
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotUniform,
    );
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::adam(0.01),
        loss: Loss::BinaryCrossEntropy,
        regularization: Regularization { l1: 0.0, l2: 1e-3 },
        batch_size: 32,
        init_seed: 11,
        shuffle_seed: 12,
        early_stopping: None,
        schedule: Default::default(),
    };
    let data = generate("xor", 300, 0.1, 7)
        .unwrap()
        .split(20.0, 10.0, 8)
        .unwrap();
    Trainer::with_backend(cfg, data, backend).unwrap()
}

/// What the app does per epoch on the GPU: a step of training, then the evaluation's reads
/// (predictions of a split, every layer over a 40x40 grid, the parameters) and a checkpoint.
fn epoch(t: &mut Trainer, fb: Option<&FallbackBackend>) {
    t.step_epoch().unwrap();
    let grid = Tensor::new(
        (0..1600 * 2)
            .map(|i| (i % 40) as f32 / 20.0 - 1.0)
            .collect(),
        &[1600, 2],
    )
    .unwrap();
    let val = t.data().val.x.clone();
    let pred = t.predict_async(&val).unwrap();
    let acts = t.begin_activations(&grid).unwrap();
    pollster::block_on(pred).unwrap();
    pollster::block_on(acts.finish()).unwrap();
    pollster::block_on(t.export_params_async()).unwrap();
    if let Some(fb) = fb {
        pollster::block_on(fb.checkpoint()).unwrap();
    }
}

const SHAPES: [&[usize]; 3] = [&[8, 8], &[6], &[8, 4, 3]];

#[test]
fn evaluations_do_not_pile_up_buffers() {
    let ctx = context();
    let mut t = trainer(&[8, 8], Box::new(WgpuBackend::new(Arc::clone(&ctx))));
    epoch(&mut t, None);
    let warm = ctx.memory();
    for _ in 0..10 {
        epoch(&mut t, None);
    }
    let after = ctx.memory();
    assert_eq!(
        after, warm,
        "ten more epochs with evaluations: {warm:?} -> {after:?}"
    );
}

#[test]
fn rebuilt_networks_on_one_fallback_handle_free_everything() {
    let ctx = context();
    let fb = FallbackBackend::new(
        WgpuBackend::new(Arc::clone(&ctx)),
        Box::new(|| Box::new(CpuBackend::new())),
    );
    let mut after_drop: Vec<MemoryStats> = Vec::new();
    for round in 0..3 * SHAPES.len() {
        let mut t = trainer(SHAPES[round % SHAPES.len()], Box::new(fb.clone()));
        for _ in 0..2 {
            epoch(&mut t, Some(&fb));
        }
        // A few steps after the checkpoint, so the journal is not empty when the network goes.
        t.step_batch().unwrap();
        assert!(fb.journal_len() > 0);
        drop(t);
        let m = ctx.memory();
        assert_eq!(
            m.in_use_buffers, 0,
            "round {round}: a dropped network holds nothing: {m:?}"
        );
        assert_eq!(fb.journal_len(), 0, "round {round}: nothing left to replay");
        assert_eq!(fb.checkpoint_len(), 0, "round {round}: no stale checkpoint");
        after_drop.push(m);
    }
    assert!(fb.on_gpu());
    // Once each shape has run, the idle shelves hold all a network of any of them needs.
    let settled = &after_drop[SHAPES.len() - 1..];
    assert!(
        settled.iter().all(|m| *m == settled[0]),
        "memory after each rebuild: {after_drop:?}"
    );
}

#[test]
fn a_dropped_backend_gives_its_buffers_back() {
    let ctx = context();
    let mut b = WgpuBackend::new(Arc::clone(&ctx));
    let x = b.upload(&[1.0; 1000]).unwrap();
    let y = b.alloc(1000).unwrap();
    b.unary(np_engine::backend::UnaryOp::Tanh, x, y).unwrap();
    assert_eq!(ctx.memory().in_use_buffers, 2);
    drop(b);
    let m = ctx.memory();
    assert_eq!((m.in_use_buffers, m.idle_buffers), (0, 2), "{m:?}");
}
