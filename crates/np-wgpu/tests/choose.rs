//! The backend-choice rule and the app's entry point on this machine's adapter (lavapipe).

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

use np_engine::backend::cpu::CpuBackend;
use np_engine::nn::{Activation, Init, ModelSpec, OutputUnit};
use np_engine::Backend;
use np_wgpu::choose::{choose, open_backend, Choice, Preference, GPU_MIN_STEP_FLOPS};
use np_wgpu::AdapterSummary;

fn adapter(is_software: bool) -> AdapterSummary {
    AdapterSummary {
        name: "x".into(),
        backend: "webgpu".into(),
        is_software,
    }
}

#[test]
fn the_rule() {
    let spec = |inputs, hidden: &[usize], outputs| {
        ModelSpec::mlp(
            inputs,
            hidden,
            Activation::Tanh,
            outputs,
            OutputUnit::Softmax,
            Init::GlorotUniform,
        )
    };
    let mlp = spec(784, &[64], 10).step_flops(128);
    let tiny = spec(2, &[8, 8], 1).step_flops(500);
    assert!(
        mlp > GPU_MIN_STEP_FLOPS && tiny < GPU_MIN_STEP_FLOPS,
        "{mlp} {tiny}"
    );
    let hw = adapter(false);
    let sw = adapter(true);
    assert_eq!(choose(Preference::Auto, Some(&hw), mlp), Choice::WebGpu);
    assert_eq!(choose(Preference::Auto, Some(&hw), tiny), Choice::Cpu);
    assert_eq!(choose(Preference::Auto, Some(&sw), mlp), Choice::Cpu);
    assert_eq!(choose(Preference::WebGpu, Some(&sw), tiny), Choice::WebGpu);
    assert_eq!(choose(Preference::WebGpu, None, mlp), Choice::Cpu);
    assert_eq!(choose(Preference::Cpu, Some(&hw), mlp), Choice::Cpu);
}

#[test]
fn open_backend_on_lavapipe() {
    let make =
        || Box::new(|| Box::new(CpuBackend::new()) as Box<dyn Backend>) as np_wgpu::CpuFactory;
    let auto = pollster::block_on(open_backend(Preference::Auto, 1e9, make()));
    assert!(
        !auto.on_gpu(),
        "a software adapter loses to the CPU backend"
    );
    assert!(auto.fell_back().unwrap().contains("software"));
    let forced = pollster::block_on(open_backend(Preference::WebGpu, 1.0, make()));
    assert!(forced.on_gpu());
    assert!(forced.name().starts_with("webgpu: "), "{}", forced.name());
    let cpu = pollster::block_on(open_backend(Preference::Cpu, 1e9, make()));
    assert!(!cpu.on_gpu());
}
