//! Native benchmark of the wgpu backend against np-engine's CPU backend in the same process.
//! Run: `cargo run --release -p np-wgpu --example gpu_bench` (add `-- quick` to skip 4096).
//! Prints matmul GFLOP/s (256, 1024, 4096), MLP 784-64-10 training samples/s (ReLU, softmax
//! cross-entropy, Adam, batch 128) and the time of one 100x100 decision-boundary grid through a
//! 2-(8 x 6)-1 tanh network, each with the CPU/GPU ratio.

// Only meaningful natively; built for wasm by `--all-targets` checks, where wgpu handles are !Send.
#![allow(clippy::arc_with_non_send_sync)]

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use np_engine::rng::Rng;
use np_engine::{Backend, BufferId, Shape};
use np_wgpu::grid::{boundary_grid, DenseOnDevice, GridSpec};
use np_wgpu::{GpuContext, WgpuBackend};
use std::sync::Arc;
use std::time::Instant;

fn random(rng: &mut Rng, n: usize, a: f64) -> Vec<f32> {
    (0..n).map(|_| rng.uniform(-a, a) as f32).collect()
}

fn wait(be: &mut dyn Backend) {
    // Reading a one-float buffer submits everything recorded and waits for the queue (in order).
    let t = be.alloc(1).unwrap();
    pollster::block_on(be.read(t)).unwrap();
    be.release(t);
}

fn matmul_gflops(be: &mut dyn Backend, n: usize, reps: usize) -> f64 {
    let mut rng = Rng::new(1);
    let a = be.upload(&random(&mut rng, n * n, 1.0)).unwrap();
    let b = be.upload(&random(&mut rng, n * n, 1.0)).unwrap();
    let c = be.alloc(n * n).unwrap();
    be.matmul(a, b, c, MatmulDesc::new(n, n, n)).unwrap(); // warm-up (pipelines, caches)
    wait(be);
    let t = Instant::now();
    for _ in 0..reps {
        be.matmul(a, b, c, MatmulDesc::new(n, n, n)).unwrap();
    }
    wait(be);
    let s = t.elapsed().as_secs_f64();
    for id in [a, b, c] {
        be.release(id);
    }
    2.0 * (n as f64).powi(3) * reps as f64 / s / 1e9
}

/// Samples/s of MLP 784-64-10 training with batch 128, reading the loss every step.
fn mlp_samples_per_s(be: &mut dyn Backend, steps: usize) -> f64 {
    const B: usize = 128;
    let (d, h, c) = (784, 64, 10);
    let mut rng = Rng::new(2);
    let x = be.upload(&random(&mut rng, B * d, 1.0)).unwrap();
    let labels: Vec<f32> = (0..B).map(|_| rng.below(c) as f32).collect();
    let lab = be.upload(&labels).unwrap();
    let y = be.alloc(B * c).unwrap();
    be.one_hot(lab, c, y).unwrap();
    let sizes = [d * h, h, h * c, c];
    let params: Vec<BufferId> = sizes
        .iter()
        .map(|&n| be.upload(&random(&mut rng, n, 0.05)).unwrap())
        .collect();
    let state: Vec<Vec<BufferId>> = sizes
        .iter()
        .map(|&n| vec![be.alloc(n).unwrap(), be.alloc(n).unwrap()])
        .collect();
    let rule = UpdateRule::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };
    let run = |be: &mut dyn Backend, t: u64| {
        let mut tmp = Vec::new();
        let mut a = |be: &mut dyn Backend, n| {
            let id = be.alloc(n).unwrap();
            tmp.push(id);
            id
        };
        let (z1, h1, z2, logits) = (a(be, B * h), a(be, B * h), a(be, B * c), a(be, B * c));
        be.matmul(x, params[0], z1, MatmulDesc::new(B, d, h))
            .unwrap();
        be.bias_act(z1, params[1], h1, B, h, UnaryOp::Relu).unwrap();
        be.matmul(h1, params[2], z2, MatmulDesc::new(B, h, c))
            .unwrap();
        be.bias_act(z2, params[3], logits, B, c, UnaryOp::Identity)
            .unwrap();
        let (lr, dz, loss) = (a(be, B), a(be, B * c), a(be, 1));
        be.cross_entropy(
            XentKind::Softmax,
            logits,
            y,
            B,
            c,
            lr,
            Some((dz, 1.0 / B as f32)),
        )
        .unwrap();
        be.reduce(ReduceOp::Mean, lr, Shape::vector(B), None, loss)
            .unwrap();
        let (dw2, db2, dh, dpre, dw1, db1) = (
            a(be, h * c),
            a(be, c),
            a(be, B * h),
            a(be, B * h),
            a(be, d * h),
            a(be, h),
        );
        be.matmul(
            h1,
            dz,
            dw2,
            MatmulDesc {
                m: h,
                k: B,
                n: c,
                trans_a: true,
                ..Default::default()
            },
        )
        .unwrap();
        be.reduce(ReduceOp::Sum, dz, Shape::matrix(B, c), Some(0), db2)
            .unwrap();
        be.matmul(
            dz,
            params[2],
            dh,
            MatmulDesc {
                m: B,
                k: c,
                n: h,
                trans_b: true,
                ..Default::default()
            },
        )
        .unwrap();
        be.unary_backward(UnaryOp::Relu, z1, h1, dh, dpre).unwrap(); // relu' from z1 (bias shifts the kink; fine for timing)
        be.matmul(
            x,
            dpre,
            dw1,
            MatmulDesc {
                m: d,
                k: B,
                n: h,
                trans_a: true,
                ..Default::default()
            },
        )
        .unwrap();
        be.reduce(ReduceOp::Sum, dpre, Shape::matrix(B, h), Some(0), db1)
            .unwrap();
        for (i, g) in [dw1, db1, dw2, db2].into_iter().enumerate() {
            be.optimizer_step(rule, t, params[i], g, &state[i]).unwrap();
        }
        let v = pollster::block_on(be.read(loss)).unwrap();
        assert!(v[0].is_finite());
        for id in tmp {
            be.release(id);
        }
    };
    run(be, 1);
    let t = Instant::now();
    for s in 0..steps {
        run(be, s as u64 + 2);
    }
    (steps * B) as f64 / t.elapsed().as_secs_f64()
}

const GRID: GridSpec = GridSpec {
    res: 100,
    x0: -6.0,
    x1: 6.0,
    y0: -6.0,
    y1: 6.0,
};

fn grid_layers(be: &mut dyn Backend) -> Vec<DenseOnDevice> {
    let mut rng = Rng::new(3);
    let widths = [2, 8, 8, 8, 8, 8, 8, 1];
    widths
        .windows(2)
        .enumerate()
        .map(|(i, w)| DenseOnDevice {
            w: be.upload(&random(&mut rng, w[0] * w[1], 0.7)).unwrap(),
            b: be.upload(&random(&mut rng, w[1], 0.1)).unwrap(),
            inputs: w[0],
            outputs: w[1],
            act: if i == 6 {
                UnaryOp::Sigmoid
            } else {
                UnaryOp::Tanh
            },
        })
        .collect()
}

/// The same forward on any backend, points uploaded from the host.
fn grid_generic(be: &mut dyn Backend, layers: &[DenseOnDevice]) -> Vec<f32> {
    let r = GRID.res;
    let d = (r - 1) as f32;
    let pts: Vec<f32> = (0..r * r)
        .flat_map(|p| {
            let (i, j) = ((p / r) as f32, (p % r) as f32);
            [
                GRID.x0 + (GRID.x1 - GRID.x0) * j / d,
                GRID.y0 + (GRID.y1 - GRID.y0) * i / d,
            ]
        })
        .collect();
    let mut x = be.upload(&pts).unwrap();
    let mut tmp = vec![x];
    for l in layers {
        let (z, y) = (
            be.alloc(r * r * l.outputs).unwrap(),
            be.alloc(r * r * l.outputs).unwrap(),
        );
        be.matmul(x, l.w, z, MatmulDesc::new(r * r, l.inputs, l.outputs))
            .unwrap();
        be.bias_act(z, l.b, y, r * r, l.outputs, l.act).unwrap();
        tmp.extend([z, y]);
        x = y;
    }
    let out = pollster::block_on(be.read(x)).unwrap();
    for id in tmp {
        be.release(id);
    }
    out
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = f(); // warm-up
    let t = Instant::now();
    for _ in 0..reps {
        out = f();
    }
    (t.elapsed().as_secs_f64() / reps as f64, out)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let ctx =
        Arc::new(pollster::block_on(GpuContext::new()).expect("a GPU adapter (lavapipe is fine)"));
    let mut gpu = WgpuBackend::new(Arc::clone(&ctx));
    let mut cpu = CpuBackend::new();
    println!(
        "adapter: {} ({}), software: {}",
        ctx.adapter().name,
        ctx.adapter().backend,
        ctx.adapter().is_software
    );
    println!(
        "{:<28} {:>14} {:>14} {:>10}",
        "workload", "gpu", "cpu", "gpu/cpu"
    );
    // The fixed cost of one step on the GPU: a dispatch, a submission and a readback.
    let (lat_g, _) = time(50, || {
        let t = gpu.alloc(1).unwrap();
        gpu.fill(t, 1.0).unwrap();
        let v = pollster::block_on(gpu.read(t)).unwrap();
        gpu.release(t);
        v
    });
    println!(
        "{:<28} {:>11.3} ms",
        "round trip (fill + read 1)",
        lat_g * 1e3
    );
    let sizes: &[(usize, usize)] = if quick {
        &[(256, 20), (1024, 3)]
    } else {
        &[(256, 20), (1024, 3), (4096, 1)]
    };
    for &(n, reps) in sizes {
        let g = matmul_gflops(&mut gpu, n, reps);
        let c = matmul_gflops(&mut cpu, n, reps);
        println!(
            "{:<28} {:>9.2} GF/s {:>9.2} GF/s {:>10.2}",
            format!("matmul {n}"),
            g,
            c,
            g / c
        );
    }
    let g = mlp_samples_per_s(&mut gpu, 20);
    let c = mlp_samples_per_s(&mut cpu, 20);
    println!(
        "{:<28} {:>7.0} samp/s {:>7.0} samp/s {:>10.2}",
        "MLP 784-64-10 b128 Adam",
        g,
        c,
        g / c
    );
    let gl = grid_layers(&mut gpu);
    let cl = grid_layers(&mut cpu);
    let (tg, vg) = time(10, || {
        pollster::block_on(boundary_grid(&mut gpu, &gl, GRID)).unwrap()
    });
    let (tc, vc) = time(10, || grid_generic(&mut cpu, &cl));
    let max_diff = vg
        .iter()
        .zip(&vc)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    println!(
        "{:<28} {:>11.2} ms {:>11.2} ms {:>10.2}",
        "grid 100x100, 2-8x6-1",
        tg * 1e3,
        tc * 1e3,
        tc / tg
    );
    println!("grid max |gpu - cpu| = {max_diff:.2e}");
    assert!(max_diff < 1e-4, "grid forward disagrees");
}
