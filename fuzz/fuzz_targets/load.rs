//! Weights from untrusted bytes: every input loads or gives a `LoadError`, never a panic,
//! and never much more memory than the input and the network (`-rss_limit_mb` and
//! `-malloc_limit_mb` make an allocation past the limit a finding). From the repository's
//! root, with the fixtures as seeds:
//!
//! ```sh
//! cargo install cargo-fuzz
//! cargo +nightly fuzz run load fuzz/corpus/load tests/fixtures -- -max_len=8192 -rss_limit_mb=1024
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use mlp::{Network, mlp};

/// The architecture of the fixtures (`tests/fixtures/make.py`), so that the fuzzer starts
/// from files that load and reaches the checks past the parsing.
#[mlp(16, 16, 1, input = 3, activation = silu)]
struct Potential;

#[mlp(16, 16, 1, input = 3, activation = silu, scalar = f32)]
struct Potential32;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(net) = Potential::from_bytes(bytes) {
        let _ = net.value_and_gradient(&[0.5, -1.0, 2.0]);
    }
    if let Ok(net) = Potential32::from_bytes(bytes) {
        let _ = net.value_and_gradient(&[0.5, -1.0, 2.0]);
    }
    let _ = Potential::from_bytes_layers(bytes, &["0", "2", "4"]);
});
