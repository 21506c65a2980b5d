//! The decision-boundary forward: grid points generated on the device, the whole network in
//! one submission, one readback, equal to the same forward on the CPU backend with host points.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

mod common;

use common::{assert_close, random, read};
use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{MatmulDesc, UnaryOp};
use np_engine::rng::Rng;
use np_engine::Backend;
use np_wgpu::grid::{boundary_grid, DenseOnDevice, GridSpec};

#[test]
fn boundary_grid_matches_the_cpu_forward() {
    // 37 x 37 = 1369 points: not a multiple of any workgroup size.
    let spec = GridSpec {
        res: 37,
        x0: -6.0,
        x1: 6.0,
        y0: -5.0,
        y1: 4.0,
    };
    let widths = [2, 8, 5, 3];
    let acts = [UnaryOp::Tanh, UnaryOp::Relu, UnaryOp::Sigmoid];
    let mut rng = Rng::new(9);
    let weights: Vec<(Vec<f32>, Vec<f32>)> = widths
        .windows(2)
        .map(|w| {
            (
                random(&mut rng, w[0] * w[1], -0.8, 0.8),
                random(&mut rng, w[1], -0.2, 0.2),
            )
        })
        .collect();
    let layers = |be: &mut dyn Backend| -> Vec<DenseOnDevice> {
        weights
            .iter()
            .zip(widths.windows(2))
            .zip(acts)
            .map(|(((w, b), io), act)| DenseOnDevice {
                w: be.upload(w).unwrap(),
                b: be.upload(b).unwrap(),
                inputs: io[0],
                outputs: io[1],
                act,
            })
            .collect()
    };
    let mut gpu = common::gpu();
    let gl = layers(&mut gpu);
    let got = pollster::block_on(boundary_grid(&mut gpu, &gl, spec)).unwrap();

    let mut cpu = CpuBackend::new();
    let cl = layers(&mut cpu);
    let n = spec.res * spec.res;
    let d = (spec.res - 1) as f32;
    let pts: Vec<f32> = (0..n)
        .flat_map(|p| {
            let (i, j) = ((p / spec.res) as f32, (p % spec.res) as f32);
            [
                spec.x0 + (spec.x1 - spec.x0) * j / d,
                spec.y0 + (spec.y1 - spec.y0) * i / d,
            ]
        })
        .collect();
    let mut x = cpu.upload(&pts).unwrap();
    for l in &cl {
        let (z, y) = (
            cpu.alloc(n * l.outputs).unwrap(),
            cpu.alloc(n * l.outputs).unwrap(),
        );
        cpu.matmul(x, l.w, z, MatmulDesc::new(n, l.inputs, l.outputs))
            .unwrap();
        cpu.bias_act(z, l.b, y, n, l.outputs, l.act).unwrap();
        x = y;
    }
    let want = read(&cpu, x);
    assert_eq!(got.len(), n * 3);
    assert_close(&got, &want, 1e-5, 1e-5, "grid outputs");
}
