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
use mlp::{Scalar, ScalarNetwork, mlp};

/// The seed network.
#[mlp(20, 10, 1, input = 52)]
struct Seed;

/// The same in single precision: sixteen lanes to an AVX-512 vector.
#[mlp(20, 10, 1, input = 52, scalar = f32)]
struct Seed32;

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

/// Equal to the bit, or both NaN (a NaN's payload is not part of the promise).
fn same<T: Scalar>(a: T, b: T) -> bool {
    (a == b && a.is_sign_negative() == b.is_sign_negative()) || (a.is_nan() && b.is_nan())
}

fn assert_same<T: Scalar>(what: &str, row: usize, batch: &[T], single: &[T]) {
    let equal = batch.len() == single.len() && batch.iter().zip(single).all(|(&a, &b)| same(a, b));
    assert!(
        equal,
        "{what}, row {row}: batch {batch:?}, single {single:?}"
    );
}

/// Seven batch methods of `N` (`value_and_gradient`, `gradient`, `forward`, `hvp`, `jvp`,
/// `value_gradient_laplacian`, `hessian`) against their single calls, for weights and
/// inputs from `bytes`.
fn check<N: ScalarNetwork>(bytes: &[u8]) {
    let mut codes = bytes
        .chunks_exact(2)
        .map(|c| N::Scalar::from_f64(value(c[0], c[1])))
        .cycle();
    // A few weights from the input, the rest a fixed pattern of moderate values.
    let mut weights: Vec<N::Scalar> = (0..N::PARAMETERS)
        .map(|i| N::Scalar::from_f64(((i * 37 % 101) as f64 - 50.0) / 200.0))
        .collect();
    for k in 0..usize::from(bytes[0] % 8) {
        let at = usize::from(bytes[1 + k % (bytes.len() - 1)]) * 5 % N::PARAMETERS;
        weights[at] = codes.next().unwrap();
    }
    let net = N::from_parameters(&weights).unwrap();
    let n = N::INPUT;
    let x = Array2::from_shape_fn((ROWS, n), |_| codes.next().unwrap());
    let v = Array2::from_shape_fn((ROWS, n), |_| codes.next().unwrap());

    let (values, gradients) = net.value_and_gradient_batch(x.view()).unwrap();
    let gradient_batch = net.gradient_batch(x.view()).unwrap();
    let outputs = net.forward_batch(x.view()).unwrap();
    let hvps = net.hvp_batch(x.view(), v.view()).unwrap();
    let jvps = net.jvp_batch(x.view(), v.view()).unwrap();
    let (ys, gs, laplacians) = net.value_gradient_laplacian_batch(x.view()).unwrap();
    let hessians = net.hessian_batch(x.view()).unwrap();
    let zero = N::Scalar::default();
    let (mut g, mut h) = (vec![zero; n], vec![zero; n * n]);
    for i in 0..ROWS {
        let (xi, vi) = (x.row(i).to_vec(), v.row(i).to_vec());
        let y = net.value_and_gradient_into(&xi, &mut g).unwrap();
        assert_same("value", i, &[values[i]], &[y]);
        assert_same("gradient", i, &gradients.row(i).to_vec(), &g);
        net.gradient_into(&xi, &mut g).unwrap();
        assert_same("gradient_batch", i, &gradient_batch.row(i).to_vec(), &g);
        let mut out = [zero];
        net.forward_into(&xi, &mut out).unwrap();
        assert_same("forward", i, &outputs.row(i).to_vec(), &out);
        net.hvp_into(&xi, &vi, &mut g).unwrap();
        assert_same("hvp", i, &hvps.row(i).to_vec(), &g);
        net.jvp_into(&xi, &vi, &mut out).unwrap();
        assert_same("jvp", i, &jvps.row(i).to_vec(), &out);
        let (y, laplacian) = net.value_gradient_laplacian_into(&xi, &mut g).unwrap();
        assert_same("value (laplacian)", i, &[ys[i]], &[y]);
        assert_same("gradient (laplacian)", i, &gs.row(i).to_vec(), &g);
        assert_same("laplacian", i, &[laplacians[i]], &[laplacian]);
        net.hessian_into(&xi, &mut h).unwrap();
        let hb: Vec<_> = hessians.index_axis(Axis(0), i).iter().copied().collect();
        assert_same("hessian", i, &hb, &h);
    }
}

fuzz_target!(|bytes: &[u8]| {
    if bytes.len() >= 2 {
        check::<Seed>(bytes);
        check::<Seed32>(bytes);
    }
});
