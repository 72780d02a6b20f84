//! A batch's samples are their single calls to the bit, whatever the values: the block
//! kernels (16 samples at once, in the widest vectors the target has) against the single
//! calls, on inputs and weights at the edges (zeros of either sign, subnormals, huge
//! values, infinities, NaN, `tanh`'s saturation), where the behaviour tests draw from
//! `[-2, 2)`. Every batch method, of networks that take the kernels' different paths (the
//! first byte picks one). Build it for the machine's vectors to fuzz the AVX-512 or AVX
//! kernels:
//!
//! ```sh
//! RUSTFLAGS="-C target-cpu=native" cargo +nightly fuzz run batch -- -max_len=4096 -len_control=0
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use mlp::ndarray::{Array2, Array3, Axis};
use mlp::{Network, Scalar, ScalarNetwork, mlp};

/// The seed network.
#[mlp(20, 10, 1, input = 52)]
struct Seed;

/// The same in single precision: sixteen lanes to an AVX-512 vector.
#[mlp(20, 10, 1, input = 52, scalar = f32)]
struct Seed32;

/// Widths that fill no vector evenly: the vector kernels' last lanes, rows and groups.
#[mlp(33, 17, 1, input = 45)]
struct Odd;

#[mlp(37, 23, 1, input = 29, scalar = f32)]
struct Odd32;

/// Rows too long for registers (128 lanes of 128 terms).
#[mlp(128, 128, 1, input = 64)]
struct Wide;

/// Few inputs: tangents stored a direction to a row, products by each matrix brought
/// together.
#[mlp(48, 48, 48, 1, input = 3)]
struct Pinn;

#[mlp(24, 24, 1, input = 2, scalar = f32, activation = silu)]
struct Pinn32;

/// An AVX vector of inputs and two lanes.
#[mlp(33, 33, 1, input = 6, activation = softplus)]
struct Six;

/// Sums written out term by term; a block adds each sample's in the same order, from
/// `-0.0` (from `0.0`, a sum of `-0.0`s was `+0.0`: `fuzz/README.md`).
#[mlp(7, 1, input = 5, unroll = all)]
struct Unrolled;

/// Four more activations, at the edges of their pieces (`relu` at ±0, `elu` past `exp`'s
/// range); with `silu` and `softplus` above, all but the three of [`Rest`].
#[mlp(6, 5, 4, 3, 1, input = 3, activation = [relu, leaky_relu, elu, gelu])]
struct Mixed;

/// The last three activations, and a statement limit that writes some sums out term by
/// term and loops others: a block kernel adding both kinds.
#[mlp(9, 7, 5, 1, input = 4, activation = [sigmoid, sin, identity], unroll = 300)]
struct Rest;

/// Several outputs: a block's Jacobians by reverse sweeps, summed side by side.
#[mlp(32, 32, 6, input = 12)]
struct Control;

/// Odd widths and five outputs.
#[mlp(31, 13, 5, input = 19, activation = silu)]
struct OddMulti;

/// Fewer inputs than outputs: the Jacobian by rows or columns with the target.
#[mlp(32, 32, 6, input = 3)]
struct Tall;

/// Two inputs and forty outputs: the Jacobian by tangent sweeps.
#[mlp(16, 40, input = 2, activation = silu)]
struct Fan;

/// One input, three outputs.
#[mlp(12, 3, input = 1, activation = silu)]
struct Curve;

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

/// Sample `i` of a batch of matrices, row-major.
fn matrix<T: Copy>(a: &Array3<T>, i: usize) -> Vec<T> {
    a.index_axis(Axis(0), i).iter().copied().collect()
}

/// A network with weights, and `ROWS` inputs, input directions `v` and output weights `u`,
/// from `bytes`.
struct Case<N: Network> {
    net: N,
    x: Array2<N::Scalar>,
    v: Array2<N::Scalar>,
    u: Array2<N::Scalar>,
}

impl<N: Network> Case<N> {
    fn new(bytes: &[u8]) -> Self {
        let mut codes = bytes
            .chunks_exact(2)
            .map(|c| N::Scalar::from_f64(value(c[0], c[1])))
            .cycle();
        // A few weights from the input, the rest a fixed pattern of moderate values.
        let mut weights: Vec<N::Scalar> = (0..N::PARAMETERS)
            .map(|i| N::Scalar::from_f64(((i * 37 % 101) as f64 - 50.0) / 200.0))
            .collect();
        for k in 0..usize::from(bytes[0] % 16) {
            let at = usize::from(bytes[1 + k % (bytes.len() - 1)]) * 5 % N::PARAMETERS;
            weights[at] = codes.next().unwrap();
        }
        let mut draw = |columns| Array2::from_shape_fn((ROWS, columns), |_| codes.next().unwrap());
        let (x, v, u) = (draw(N::INPUT), draw(N::INPUT), draw(N::OUTPUT));
        let net = N::from_parameters(&weights).unwrap();
        Self { net, x, v, u }
    }

    /// `forward`, `jacobian`, `forward_and_jacobian`, `jvp` and `vjp`, batched, against
    /// their single calls.
    fn outputs(&self) {
        let Self { net, x, v, u } = self;
        let (n, m) = (N::INPUT, N::OUTPUT);
        let outputs = net.forward_batch(x.view()).unwrap();
        let jacobians = net.jacobian_batch(x.view()).unwrap();
        let (outputs_with, jacobians_with) = net.forward_and_jacobian_batch(x.view()).unwrap();
        let jvps = net.jvp_batch(x.view(), v.view()).unwrap();
        let vjps = net.vjp_batch(x.view(), u.view()).unwrap();
        let zero = N::Scalar::default();
        let (mut y, mut jacobian, mut uj) = (vec![zero; m], vec![zero; m * n], vec![zero; n]);
        for i in 0..ROWS {
            let (xi, vi, ui) = (x.row(i).to_vec(), v.row(i).to_vec(), u.row(i).to_vec());
            net.forward_into(&xi, &mut y).unwrap();
            assert_same("forward", i, &outputs.row(i).to_vec(), &y);
            net.jacobian_into(&xi, &mut jacobian).unwrap();
            assert_same("jacobian", i, &matrix(&jacobians, i), &jacobian);
            net.forward_and_jacobian_into(&xi, &mut y, &mut jacobian)
                .unwrap();
            assert_same("forward (jacobian)", i, &outputs_with.row(i).to_vec(), &y);
            assert_same(
                "jacobian (forward)",
                i,
                &matrix(&jacobians_with, i),
                &jacobian,
            );
            net.jvp_into(&xi, &vi, &mut y).unwrap();
            assert_same("jvp", i, &jvps.row(i).to_vec(), &y);
            net.vjp_into(&xi, &ui, &mut uj).unwrap();
            assert_same("vjp", i, &vjps.row(i).to_vec(), &uj);
        }
    }
}

impl<N: ScalarNetwork> Case<N> {
    /// Every batch method of a one-output network against its single calls: the above, and
    /// `value`, `gradient`, `value_and_gradient`, `hessian`, `value_gradient_hessian`,
    /// `hvp`, `laplacian` and `value_gradient_laplacian`.
    fn scalar(&self) {
        self.outputs();
        let Self { net, x, v, .. } = self;
        let n = N::INPUT;
        let values = net.value_batch(x.view()).unwrap();
        let gradients = net.gradient_batch(x.view()).unwrap();
        let (values_with, gradients_with) = net.value_and_gradient_batch(x.view()).unwrap();
        let hessians = net.hessian_batch(x.view()).unwrap();
        let (yh, gh, hessians_with) = net.value_gradient_hessian_batch(x.view()).unwrap();
        let hvps = net.hvp_batch(x.view(), v.view()).unwrap();
        let laplacians = net.laplacian_batch(x.view()).unwrap();
        let (yl, gl, laplacians_with) = net.value_gradient_laplacian_batch(x.view()).unwrap();
        let zero = N::Scalar::default();
        let (mut g, mut h) = (vec![zero; n], vec![zero; n * n]);
        for i in 0..ROWS {
            let (xi, vi) = (x.row(i).to_vec(), v.row(i).to_vec());
            assert_same("value", i, &[values[i]], &[net.value_at(&xi).unwrap()]);
            net.gradient_into(&xi, &mut g).unwrap();
            assert_same("gradient", i, &gradients.row(i).to_vec(), &g);
            let y = net.value_and_gradient_into(&xi, &mut g).unwrap();
            assert_same("value (gradient)", i, &[values_with[i]], &[y]);
            assert_same("gradient (value)", i, &gradients_with.row(i).to_vec(), &g);
            net.hessian_into(&xi, &mut h).unwrap();
            assert_same("hessian", i, &matrix(&hessians, i), &h);
            let y = net
                .value_gradient_hessian_into(&xi, &mut g, &mut h)
                .unwrap();
            assert_same("value (hessian)", i, &[yh[i]], &[y]);
            assert_same("gradient (hessian)", i, &gh.row(i).to_vec(), &g);
            assert_same("hessian (value)", i, &matrix(&hessians_with, i), &h);
            net.hvp_into(&xi, &vi, &mut g).unwrap();
            assert_same("hvp", i, &hvps.row(i).to_vec(), &g);
            let laplacian = net.laplacian_at(&xi).unwrap();
            assert_same("laplacian", i, &[laplacians[i]], &[laplacian]);
            let (y, laplacian) = net.value_gradient_laplacian_into(&xi, &mut g).unwrap();
            assert_same("value (laplacian)", i, &[yl[i]], &[y]);
            assert_same("gradient (laplacian)", i, &gl.row(i).to_vec(), &g);
            assert_same("laplacian (value)", i, &[laplacians_with[i]], &[laplacian]);
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&which, bytes)) = bytes.split_first() else {
        return;
    };
    if bytes.len() < 2 {
        return;
    }
    match which % 16 {
        0 => Case::<Seed>::new(bytes).scalar(),
        1 => Case::<Seed32>::new(bytes).scalar(),
        2 => Case::<Odd>::new(bytes).scalar(),
        3 => Case::<Odd32>::new(bytes).scalar(),
        4 => Case::<Wide>::new(bytes).scalar(),
        5 => Case::<Pinn>::new(bytes).scalar(),
        6 => Case::<Pinn32>::new(bytes).scalar(),
        7 => Case::<Six>::new(bytes).scalar(),
        8 => Case::<Unrolled>::new(bytes).scalar(),
        9 => Case::<Mixed>::new(bytes).scalar(),
        10 => Case::<Control>::new(bytes).outputs(),
        11 => Case::<OddMulti>::new(bytes).outputs(),
        12 => Case::<Tall>::new(bytes).outputs(),
        13 => Case::<Fan>::new(bytes).outputs(),
        14 => Case::<Curve>::new(bytes).outputs(),
        _ => Case::<Rest>::new(bytes).scalar(),
    }
});
