//! Sizes that matter only on a GPU, against the plain reference with the backend suite's
//! harness: a matmul of several 64x64 tiles each way with none full at the edges, and a
//! reduction whose 70,000 workgroups must fold into a two-dimensional dispatch.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

mod common;

use np_backend_tests::{block_on, random, Suite, Tol};
use np_engine::backend::{MatmulDesc, ReduceOp};
use np_engine::rng::Rng;
use np_engine::Shape;

#[test]
fn matmul_of_many_partial_tiles() {
    let mut gpu = common::gpu();
    let mut suite = Suite::new(&mut gpu);
    let mut rng = Rng::new(1);
    let (m, k, n) = (257, 513, 300);
    // Two of the eight flag combinations, for time: none set, and all three.
    for flags in [0u8, 7] {
        let desc = MatmulDesc {
            m,
            k,
            n,
            trans_a: flags & 1 != 0,
            trans_b: flags & 2 != 0,
            accumulate: flags & 4 != 0,
        };
        let (a, b, c) = (
            random(&mut rng, m * k, -1.0, 1.0),
            random(&mut rng, k * n, -1.0, 1.0),
            random(&mut rng, m * n, -1.0, 1.0),
        );
        let tol = Tol::new(1e-5 * (k as f32).sqrt(), 1e-5);
        block_on(suite.check(&format!("matmul {desc:?}"), &[tol], |be| {
            let (a, b, o) = (be.upload(&a)?, be.upload(&b)?, be.upload(&c)?);
            be.matmul(a, b, o, desc)?;
            Ok(vec![o])
        }));
    }
    suite.finish().assert_clean("large matmul");
}

#[test]
fn reduce_past_65535_workgroups() {
    // 70,000 outputs over an axis of 65 takes the workgroup-per-output path with 70,000 groups.
    let mut gpu = common::gpu();
    let mut suite = Suite::new(&mut gpu);
    let mut rng = Rng::new(5);
    let s = Shape::new(&[70_000, 65]).unwrap();
    let x = random(&mut rng, s.numel(), -1.0, 1.0);
    block_on(suite.check(
        "wide reduce, folded dispatch",
        &[Tol::new(1e-4, 1e-5)],
        |be| {
            let (xb, o) = (be.upload(&x)?, be.alloc(70_000)?);
            be.reduce(ReduceOp::Sum, xb, s, Some(1), o)?;
            Ok(vec![o])
        },
    ));
    suite.finish().assert_clean("wide reduce");
}
