//! Same seed, same run: the native half of the check (the browser half is in tests/web.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

#[test]
fn seeded_run_matches_the_recorded_fingerprint() {
    let got = common::run();
    println!(
        "DATA_HASH = {:#x}, INIT_HASH = {:#x}, TRAINED_LOSS = f32::from_bits({:#x}), PARAMS_HASH = {:#x}",
        got.data_hash,
        got.init_hash,
        got.trained_loss.to_bits(),
        got.params_hash
    );
    common::check(&got);
}

#[test]
fn the_same_seeds_give_the_same_run_twice() {
    let (a, b) = (common::run(), common::run());
    assert_eq!(a.data_hash, b.data_hash);
    assert_eq!(a.init_hash, b.init_hash);
    assert_eq!(a.trained_loss.to_bits(), b.trained_loss.to_bits());
    assert_eq!(a.params_hash, b.params_hash);
}
