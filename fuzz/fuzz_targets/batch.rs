//! A batch's samples are their single calls to the bit, whatever the values: the block
//! kernels (16 samples at once, in the widest vectors the target has) against the single
//! calls, on inputs and weights at the edges (zeros of either sign, subnormals, huge
//! values, infinities, NaN, `tanh`'s saturation), where the behaviour tests draw from
//! `[-2, 2)`. Build it for the machine's vectors to fuzz the AVX-512 or AVX kernels:
//!
//! ```sh
//! RUSTFLAGS="-C target-cpu=native" cargo +nightly fuzz run batch
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use mlp::ndarray::{Array2, Axis};
use mlp::{Network, ScalarNetwork, mlp};

/// The seed network.
#[mlp(20, 10, 1, input = 52)]
struct Seed;

/// A block of 16 samples and one more: the block kernel and the rows past it.
const ROWS: usize = 17;

/// A value from two bytes: mostly moderate, sometimes extreme.
fn value(kind: u8, byte: u8) -> f64 {
    let small = f64::from(byte as i8);
    match kind {
        0..=199 => small / 16.0,
        200..=229 => small * 2f64.powi((i32::from(kind) - 215) * 8),
        _ => [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE,
            f64::MAX,
            19.0,
            -20.0,
            0.5f64.powi(27),
            710.0,
            -745.0,
            1e-300,
            354.0,
            -0.346,
            0.55,
            3e-8,
            1.0,
            -1.0,
            22.0,
            -0.625,
            1e300,
            -1e-8,
            f64::EPSILON,
            f64::MIN,
        ][usize::from(kind - 230)],
    }
}

/// Equal, or both NaN (a NaN's payload is not part of the promise).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn assert_same(what: &str, row: usize, batch: &[f64], single: &[f64]) {
    let equal = batch.len() == single.len() && batch.iter().zip(single).all(|(&a, &b)| same(a, b));
    assert!(
        equal,
        "{what}, row {row}: batch {batch:?}, single {single:?}"
    );
}

fuzz_target!(|bytes: &[u8]| {
    let mut codes = bytes.chunks_exact(2).map(|c| value(c[0], c[1])).cycle();
    if bytes.len() < 2 {
        return;
    }
    // A few weights from the input, the rest a fixed pattern of moderate values.
    let mut weights: Vec<f64> = (0..Seed::PARAMETERS)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 200.0)
        .collect();
    let changed = usize::from(bytes[0] % 8);
    for k in 0..changed {
        let at = usize::from(bytes[1 + k % (bytes.len() - 1)]) * 5 % Seed::PARAMETERS;
        weights[at] = codes.next().unwrap_or(0.0);
    }
    let net = Seed::from_parameters(&weights).unwrap();
    let x = Array2::from_shape_fn((ROWS, 52), |_| codes.next().unwrap_or(0.0));
    let v = Array2::from_shape_fn((ROWS, 52), |_| codes.next().unwrap_or(0.0));

    let (values, gradients) = net.value_and_gradient_batch(x.view()).unwrap();
    let gradient_batch = net.gradient_batch(x.view()).unwrap();
    let outputs = net.forward_batch(x.view()).unwrap();
    let hvps = net.hvp_batch(x.view(), v.view()).unwrap();
    let jvps = net.jvp_batch(x.view(), v.view()).unwrap();
    let laplacians = net.laplacian_batch(x.view()).unwrap();
    let hessians = net.hessian_batch(x.view()).unwrap();
    for i in 0..ROWS {
        let xi: [f64; 52] = x.row(i).to_vec().try_into().unwrap();
        let vi: [f64; 52] = v.row(i).to_vec().try_into().unwrap();
        let (y, g) = net.value_and_gradient(&xi);
        assert_same("value", i, &[values[i]], &[y]);
        assert_same("gradient", i, &gradients.row(i).to_vec(), &g);
        assert_same(
            "gradient_batch",
            i,
            &gradient_batch.row(i).to_vec(),
            &net.gradient(&xi),
        );
        assert_same("forward", i, &outputs.row(i).to_vec(), &net.forward(&xi));
        assert_same("hvp", i, &hvps.row(i).to_vec(), &net.hvp(&xi, &vi));
        assert_same("jvp", i, &jvps.row(i).to_vec(), &net.jvp(&xi, &vi));
        assert_same("laplacian", i, &[laplacians[i]], &[net.laplacian(&xi)]);
        let h: Vec<f64> = net.hessian(&xi).iter().flatten().copied().collect();
        let hb: Vec<f64> = hessians.index_axis(Axis(0), i).iter().copied().collect();
        assert_same("hessian", i, &hb, &h);
    }
});
