//! Batch evaluation over `ndarray`: each row exactly as a single call computes it, for any
//! memory layout; a wrong width is an error.

use mlp::ndarray::{Array2, ArrayView2, Axis, ShapeBuilder};
use std::sync::atomic::{AtomicUsize, Ordering};

use mlp::{Activation, Network, ScalarNetwork, mlp};

use crate::common::{bits, cast, input, net, parameters};
use crate::large::Mnist;
use crate::nets::{
    Bottleneck, Curve, Curved, Deep, Deep1, Fan, GenericDeep, GenericMulti, Mixed, Narrow, Odd,
    Odd32, OddMulti, OneInput, Pinn, Pinn2, Pinn32, Seed, SeedApart, Six, Smooth1, Tall, Tiny,
    Wide,
};

fn inputs<T: mlp::Scalar>(rows: usize, columns: usize) -> Array2<T> {
    Array2::from_shape_vec((rows, columns), input(rows * columns, 9)).unwrap()
}

/// Many rows: `rows`, or under Miri two whole blocks of samples and part of a third, each
/// sample a whole evaluation interpreted (scripts/miri.sh).
fn many(rows: usize) -> usize {
    if cfg!(miri) { 2 * 16 + 5 } else { rows }
}

/// Every batch method of a one-output net against its per-row calls, to the bit (a zero's
/// sign included).
fn scalar_rows_match<N: ScalarNetwork>(x: ArrayView2<'_, N::Scalar>, v: ArrayView2<'_, N::Scalar>) {
    scalar_rows_match_of(&net::<N>(3), x, v);
}

/// [`scalar_rows_match`] for the network `net`.
fn scalar_rows_match_of<N: ScalarNetwork>(
    net: &N,
    x: ArrayView2<'_, N::Scalar>,
    v: ArrayView2<'_, N::Scalar>,
) {
    let n = N::INPUT;
    let zero = N::Scalar::default();
    let (values, gradients) = (net.value_batch(x).unwrap(), net.gradient_batch(x).unwrap());
    let (hessians, laplacians) = (
        net.hessian_batch(x).unwrap(),
        net.laplacian_batch(x).unwrap(),
    );
    let hvps = net.hvp_batch(x, v).unwrap();
    let (jvs, vjps) = (
        net.jvp_batch(x, v).unwrap(),
        net.vjp_batch(x, v.slice(mlp::ndarray::s![.., ..1]))
            .unwrap(),
    );
    let (values_with, gradients_with) = net.value_and_gradient_batch(x).unwrap();
    let (ys, gs, laplacians_with) = net.value_gradient_laplacian_batch(x).unwrap();
    assert_eq!(
        (ys.len(), gs.dim(), laplacians_with.len()),
        (x.nrows(), x.dim(), x.nrows())
    );
    let (yh, gh, hessians_with) = net.value_gradient_hessian_batch(x).unwrap();
    assert_eq!(
        (yh.len(), gh.dim(), hessians_with.dim()),
        (x.nrows(), x.dim(), (x.nrows(), n, n))
    );
    for (i, row) in x.rows().into_iter().enumerate() {
        let row = row.to_vec();
        let vi = v.row(i).to_vec();
        // Each as `(method, batch's row, single call's)`.
        let mut pairs = Vec::new();
        pairs.push(("value", vec![values[i]], vec![net.value_at(&row).unwrap()]));
        let mut g = vec![zero; n];
        net.gradient_into(&row, &mut g).unwrap();
        pairs.push(("gradient", gradients.row(i).to_vec(), g.clone()));
        let y = net.value_and_gradient_into(&row, &mut g).unwrap();
        pairs.push(("value_and_gradient", vec![values_with[i]], vec![y]));
        pairs.push((
            "value_and_gradient",
            gradients_with.row(i).to_vec(),
            g.clone(),
        ));
        let mut h = vec![zero; n * n];
        net.hessian_into(&row, &mut h).unwrap();
        let hessian = hessians.index_axis(Axis(0), i).iter().copied().collect();
        pairs.push(("hessian", hessian, h.clone()));
        let laplacian = net.laplacian_at(&row).unwrap();
        pairs.push(("laplacian", vec![laplacians[i]], vec![laplacian]));
        net.hvp_into(&row, &vi, &mut g).unwrap();
        pairs.push(("hvp", hvps.row(i).to_vec(), g.clone()));
        let mut jv = [zero];
        net.jvp_into(&row, &vi, &mut jv).unwrap();
        pairs.push(("jvp", jvs.row(i).to_vec(), jv.to_vec()));
        net.vjp_into(&row, &vi[..1], &mut g).unwrap();
        pairs.push(("vjp", vjps.row(i).to_vec(), g.clone()));
        let (y, laplacian) = net.value_gradient_laplacian_into(&row, &mut g).unwrap();
        let with = vec![ys[i], laplacians_with[i]];
        pairs.push(("value_gradient_laplacian", with, vec![y, laplacian]));
        pairs.push(("value_gradient_laplacian", gs.row(i).to_vec(), g.clone()));
        let y = net
            .value_gradient_hessian_into(&row, &mut g, &mut h)
            .unwrap();
        let hessian = hessians_with
            .index_axis(Axis(0), i)
            .iter()
            .copied()
            .collect();
        pairs.push(("value_gradient_hessian", vec![yh[i]], vec![y]));
        pairs.push(("value_gradient_hessian", gh.row(i).to_vec(), g));
        pairs.push(("value_gradient_hessian", hessian, h));
        for (method, batch, single) in pairs {
            assert_eq!(bits(&batch), bits(&single), "{method}, row {i}");
        }
    }
}

/// Every batch method of a net of any outputs against its per-row calls, to the bit (a
/// zero's sign included): the forward pass, the Jacobian (alone and with the output), and
/// the products with directions of its own.
fn multi_rows_match<N: Network<Scalar = f64>>(net: &N, x: ArrayView2<'_, f64>) {
    let (n, m, rows) = (N::INPUT, N::OUTPUT, x.nrows());
    let (v, u) = (inputs(rows, n), inputs(rows, m));
    let y = net.forward_batch(x).unwrap();
    let jacobians = net.jacobian_batch(x).unwrap();
    let (y_with, jacobians_with) = net.forward_and_jacobian_batch(x).unwrap();
    assert_eq!(bits(&y_with), bits(&y), "forward_and_jacobian's output");
    assert_eq!(
        bits(&jacobians_with),
        bits(&jacobians),
        "forward_and_jacobian's Jacobian"
    );
    let jv = net.jvp_batch(x, v.view()).unwrap();
    let uj = net.vjp_batch(x, u.view()).unwrap();
    for i in 0..rows {
        let row = x.row(i).to_vec();
        let (mut out, mut jacobian) = (vec![0.0; m], vec![0.0; m * n]);
        net.forward_into(&row, &mut out).unwrap();
        assert_eq!(bits(y.row(i)), bits(&out), "forward, row {i}");
        net.jacobian_into(&row, &mut jacobian).unwrap();
        let batch = jacobians.index_axis(Axis(0), i);
        assert_eq!(bits(batch), bits(&jacobian), "jacobian, row {i}");
        net.jvp_into(&row, &v.row(i).to_vec(), &mut out).unwrap();
        assert_eq!(bits(jv.row(i)), bits(&out), "jvp, row {i}");
        let mut back = vec![0.0; n];
        net.vjp_into(&row, &u.row(i).to_vec(), &mut back).unwrap();
        assert_eq!(bits(uj.row(i)), bits(&back), "vjp, row {i}");
    }
}

/// The seed network's every batch method, kept and apart.
#[test]
fn rows_are_single_calls() {
    // Two whole blocks of samples and part of a third; then (not under Miri) two whole runs
    // of sixteen blocks (a block kernel's call), a block and part of another: every block's
    // intermediates written over by the next's.
    let runs: &[usize] = if cfg!(miri) {
        &[37]
    } else {
        &[37, 2 * 256 + 16 + 6]
    };
    for &rows in runs {
        let x = inputs(rows, 52);
        let v = inputs::<f64>(rows, 52).mapv(|a| a * 0.5);
        scalar_rows_match::<Seed>(x.view(), v.view());
        scalar_rows_match::<SeedApart>(x.view(), v.view());
    }
}

/// Column-major and strided views compute the same.
#[test]
fn any_layout_computes_the_same() {
    let x = inputs(37, 52);
    let fortran = Array2::from_shape_vec((37, 52).f(), x.t().iter().copied().collect()).unwrap();
    assert_eq!(fortran, x);
    let seed: Seed = net(3);
    let gradients = seed.gradient_batch(x.view()).unwrap();
    assert_eq!(
        bits(&seed.gradient_batch(fortran.view()).unwrap()),
        bits(&gradients)
    );
    let wide = inputs(7, 104);
    let strided = wide.slice(mlp::ndarray::s![.., ..;2]);
    let copy = strided.to_owned();
    let outputs = seed.forward_batch(copy.view()).unwrap();
    assert_eq!(bits(&seed.forward_batch(strided).unwrap()), bits(&outputs));
}

/// A generic input width, and several outputs.
#[test]
fn generic_and_multi_output_rows_are_single_calls() {
    let x = inputs(many(150), 5);
    scalar_rows_match::<GenericDeep<5>>(x.view(), x.view());
    multi_rows_match(&net::<Deep>(2), inputs(many(150), 3).view());
    multi_rows_match(&net::<GenericMulti<4>>(2), inputs(many(150), 4).view());
}

/// A control network's Jacobians (12-32-32-6): a block's reverse sweeps, 16 samples × 6
/// outputs, summed side by side (`_mlp::sums_rows` of 96 rows), each sample's Jacobian its
/// single call's to the bit; likewise by tangent sweeps (`Fan`), by either with the target
/// (`Tall`: rows with AVX and FMA, columns without), and none (`Mnist`, too large for
/// the stack).
#[mlp(32, 32, 6, input = 12)]
struct Control;

#[test]
fn jacobian_blocks_are_single_calls() {
    const {
        assert!(Control::JACOBIAN_BLOCKS && Fan::JACOBIAN_BLOCKS && OddMulti::JACOBIAN_BLOCKS);
        assert!(Tall::JACOBIAN_BLOCKS && !Mnist::JACOBIAN_BLOCKS);
        assert!(Control::FORWARD_AND_JACOBIAN_BLOCKS && Fan::FORWARD_AND_JACOBIAN_BLOCKS);
        assert!(Tall::FORWARD_AND_JACOBIAN_BLOCKS && !Mnist::FORWARD_AND_JACOBIAN_BLOCKS);
        assert!(!GenericMulti::<3>::FORWARD_AND_JACOBIAN_BLOCKS);
    }
    for rows in [0, 1, 16, 2 * 16 + 5] {
        multi_rows_match(&net::<Control>(4), inputs(rows, 12).view());
    }
    let control: Control = net(1);
    let mut out = vec![0.0; 72 * 16];
    let error = control.jacobian_blocks_into(&[0.0; 12 * 15], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 192 block input values, found 180"
    );
    let error = control.jacobian_blocks_into(&[0.0; 12 * 16], &mut out[..72 * 16 - 1]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 1152 block jacobian entries, found 1151"
    );
    let mut y = vec![0.0; 6 * 16];
    let x = [0.0; 12 * 16];
    let error = control.forward_and_jacobian_blocks_into(&x, &mut y[..95], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 96 block output values, found 95"
    );
    // The default, a sample at a time, checks alike.
    let large = Mnist::zeros_boxed();
    let mut out = vec![0.0; 7840 * 16];
    let error = large.jacobian_blocks_into(&[0.0; 784 * 16], &mut out[..7840 * 15]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 125440 block jacobian entries, found 117600"
    );
    let (x, mut y) = (vec![0.0; 784 * 16], vec![0.0; 10 * 16]);
    let error = large.forward_and_jacobian_blocks_into(&x, &mut y[..159], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 160 block output values, found 159"
    );
    let error = large.forward_and_jacobian_blocks_into(&x, &mut y, &mut out[..7840 * 15]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 125440 block jacobian entries, found 117600"
    );
    if !cfg!(miri) {
        let x = inputs(3, 784);
        multi_rows_match(
            &*Mnist::from_parameters_boxed(&parameters::<Mnist>(2)).unwrap(),
            x.view(),
        );
    }
}

/// Layers of 64 and more inputs: a block's pre-activations tiled by rows and samples
/// (`_mlp::dot_block`), each still its single call to the bit.
#[mlp(64, 1, input = 70)]
struct Broad;

#[test]
fn tiled_layers_are_single_calls() {
    let x = inputs(many(150), 70);
    scalar_rows_match::<Broad>(x.view(), x.view());
    let broad: Broad = net(5);
    let outputs = broad.forward_batch(x.view()).unwrap();
    for (i, row) in x.rows().into_iter().enumerate() {
        let row: [f64; 70] = row.to_vec().try_into().unwrap();
        assert_eq!(
            bits(&[outputs[[i, 0]]]),
            bits(&broad.forward(&row)),
            "row {i}"
        );
    }
}

/// Rows too long for registers (the 64-128-128-1 network's reverse sums, 128 lanes of 128
/// terms): a block's `hvp` sums every sample's and its tangent's side by side over `W2`,
/// each still its single call to the bit.
#[test]
fn long_rows_are_single_calls() {
    let x = inputs(16 + 5, 64);
    let v = inputs::<f64>(16 + 5, 64).mapv(|a| a * 0.5);
    scalar_rows_match::<Wide>(x.view(), v.view());
}

/// Widths that fill no vector evenly, in `f64` and `f32` (sixteen lanes to an AVX-512
/// vector), one output and five: every sample of a block is its single call to the bit
/// (the block kernels' last rows, lanes and samples).
#[test]
fn odd_widths_are_single_calls() {
    let x = inputs(2 * 16 + 5, 45);
    scalar_rows_match::<Odd>(x.view(), x.view());
    let x = inputs(2 * 16 + 5, 29);
    scalar_rows_match::<Odd32>(x.view(), x.view());

    multi_rows_match(&net::<OddMulti>(6), inputs(37, 19).view());
}

/// Few inputs: the tangents stored a direction to a row (`passes::layout`), the Jacobian by
/// rows or columns; every sample still its single call to the bit. A test for each network
/// or two, so that each can run alone under Miri (scripts/miri.sh).
mod few_inputs {
    use super::*;

    /// A block and three rows: the second block padded with zeros. Under Miri
    /// (scripts/miri.sh) only the three rows, one block padded: there each sample, of the
    /// block and of a single call, is interpreted step by step (whole blocks run there in
    /// the tests of 37 rows).
    const ROWS: usize = if cfg!(miri) { 3 } else { 16 + 3 };

    #[test]
    fn pinn() {
        // No row, and one: a block of padding but one sample (not under Miri, whose `ROWS`
        // are a block padded too).
        let runs: &[usize] = if cfg!(miri) {
            &[0, ROWS]
        } else {
            &[0, 1, ROWS]
        };
        for &rows in runs {
            let x = inputs(rows, 3);
            scalar_rows_match::<Pinn>(x.view(), x.view());
        }
    }

    #[test]
    fn pinn32() {
        let x = inputs(ROWS, 2);
        scalar_rows_match::<Pinn32>(x.view(), x.view());
    }

    #[test]
    fn pinn2() {
        let x = inputs(ROWS, 2);
        scalar_rows_match::<Pinn2>(x.view(), x.view());
    }

    #[test]
    fn six() {
        let x = inputs(ROWS, 6);
        scalar_rows_match::<Six>(x.view(), x.view());
    }

    #[test]
    fn tall() {
        multi_rows_match(&net::<Tall>(4), inputs(ROWS, 3).view());
    }

    #[test]
    fn fan() {
        multi_rows_match(&net::<Fan>(4), inputs(ROWS, 2).view());
    }

    #[test]
    fn one_input() {
        let x = inputs(ROWS, 1);
        scalar_rows_match::<OneInput>(x.view(), x.view());
        multi_rows_match(&net::<Curve>(4), x.view());
    }

    /// Widths of one.
    #[test]
    fn narrow() {
        let x = inputs(ROWS, 1);
        scalar_rows_match::<Narrow>(x.view(), x.view());
        multi_rows_match(&net::<Bottleneck>(4), inputs(ROWS, 2).view());
    }
}

/// Sums a single call writes out term by term (`unroll`): a block adds each sample's in the
/// same order (`_mlp::serial_sum`, `_mlp::serial_sum_onto`), not in lanes.
#[mlp(7, 1, input = 5, unroll = all)]
struct Unrolled;

#[test]
fn unrolled_sums_are_single_calls() {
    let x = inputs(many(150), 5);
    scalar_rows_match::<Unrolled>(x.view(), x.view());
    // Some statements written out, others looped (`unroll = 300`).
    multi_rows_match(&net::<Mixed>(4), inputs(many(150), 24).view());
}

/// Terms all `-0.0` sum to `-0.0`, written out or in a block: a block's sums start from
/// `-0.0`, the identity of `+`, not from `0.0` (onto which they were `+0.0`; the batch
/// fuzz target's first finding, `fuzz/findings/`). Every first-layer weight 250 saturates
/// `tanh` at `x = [2, 2]`, so every slope is `+0.0`, and an output weight of `-1` makes
/// the gradient's every term `-0.0`; with `+1`, `hvp`'s.
#[test]
fn sums_of_negative_zeros_are_negative_zero_in_blocks() {
    let rows = 17; // A block of sixteen samples and one more.
    let x = Array2::from_elem((rows, 2), 2.0);
    let v = Array2::from_elem((rows, 2), 1.0);
    type Single = fn(&Tiny) -> [f64; 2];
    let cases: [(f64, &str, Single); 2] = [
        (-1.0, "gradient", |net| net.gradient(&[2.0, 2.0])),
        (1.0, "hvp", |net| net.hvp(&[2.0, 2.0], &[1.0, 1.0])),
    ];
    for (w2, method, single) in cases {
        let mut parameters = vec![250.0; 6];
        parameters.extend([0.0; 3]);
        parameters.extend([w2; 3]);
        parameters.push(0.0);
        let net = Tiny::from_parameters(&parameters).unwrap();
        assert_eq!(
            bits(&single(&net)),
            bits(&[-0.0; 2]),
            "{method} of a single call"
        );
        scalar_rows_match_of(&net, x.view(), v.view());
    }
}

/// `N` with weights 300 times PyTorch's initial ones: its units saturated, so that many
/// slopes and curvatures are zero and many terms `±0.0`. `one_signed`: every weight and
/// bias positive but the last layer's negative, so that where `tanh` saturates (its slope
/// `+0.0`) every term of the reverse sweep is `-0.0`.
fn saturated<N: Network>(one_signed: bool) -> N {
    let mut values: Vec<f64> = parameters::<N>(6).into_iter().map(|p| 300.0 * p).collect();
    if one_signed {
        let before = N::WIDTHS.iter().rev().nth(1).copied().unwrap_or(N::INPUT);
        let last = values.len() - N::OUTPUT * (before + 1);
        for (i, value) in values.iter_mut().enumerate() {
            *value = if i < last { value.abs() } else { -value.abs() };
        }
    }
    let values: Vec<N::Scalar> = values.into_iter().map(cast).collect();
    N::from_parameters(&values).unwrap()
}

/// Rows of inputs in [-2, 2), the first four all zeros of alternating sign.
fn with_zeros<T: mlp::Scalar>(rows: usize, columns: usize) -> Array2<T> {
    let mut x = inputs(rows, columns);
    for (i, mut row) in x.rows_mut().into_iter().take(4).enumerate() {
        row.fill(cast(if i % 2 == 0 { 0.0 } else { -0.0 }));
    }
    x
}

/// Saturated units and zero inputs, where a zero's sign is what a batch and its single
/// calls could disagree on: every sample still its single call to the bit, for networks
/// that take the kernels' different paths (lanes, tiles, tangents a direction to a row,
/// sums written out, by reverse and tangent sweeps).
#[test]
fn saturated_rows_are_single_calls() {
    fn scalar<N: ScalarNetwork>() {
        let x = with_zeros(many(37), N::INPUT);
        for one_signed in [false, true] {
            scalar_rows_match_of(&saturated::<N>(one_signed), x.view(), x.view());
        }
    }
    fn multi<N: Network<Scalar = f64>>() {
        let x = with_zeros(many(37), N::INPUT);
        for one_signed in [false, true] {
            multi_rows_match(&saturated::<N>(one_signed), x.view());
        }
    }
    scalar::<Seed>();
    scalar::<Odd32>();
    scalar::<Pinn>();
    scalar::<Six>();
    scalar::<Curved>();
    scalar::<Tiny>();
    scalar::<Unrolled>();
    multi::<Control>();
    multi::<Mixed>();
    multi::<OddMulti>();
    multi::<Tall>();
    multi::<Fan>();
}

/// `tanh`, counting its evaluations: how many single calls a batch makes.
struct Counted;

static EVALUATIONS: AtomicUsize = AtomicUsize::new(0);

impl Activation<f64> for Counted {
    fn value(x: f64) -> f64 {
        EVALUATIONS.fetch_add(1, Ordering::Relaxed);
        x.tanh()
    }
    fn derivative(x: f64) -> f64 {
        EVALUATIONS.fetch_add(1, Ordering::Relaxed);
        1.0 - x.tanh().powi(2)
    }
    fn second_derivative(x: f64) -> f64 {
        EVALUATIONS.fetch_add(1, Ordering::Relaxed);
        let t = x.tanh();
        -2.0 * t * (1.0 - t * t)
    }
}

/// Many inputs: no Laplacian block kernel (a block would sum its tangents a sample at a
/// time), so its Laplacian batches go a row at a time.
#[mlp(20, 10, 1, input = 40, activation = Counted)]
struct Counting;

/// The evaluations `f` makes (no other test uses `Counted`).
fn evaluations<R>(f: impl FnOnce() -> R) -> usize {
    let before = EVALUATIONS.load(Ordering::Relaxed);
    std::hint::black_box(f());
    EVALUATIONS.load(Ordering::Relaxed) - before
}

/// Without a block kernel, a batch of three rows makes three single calls: no call for a
/// block's padding (thirteen more, before).
#[test]
fn batches_without_a_kernel_call_no_padding() {
    const {
        assert!(!Counting::LAPLACIAN_BLOCKS && !Counting::VALUE_GRADIENT_LAPLACIAN_BLOCKS);
        assert!(Pinn::LAPLACIAN_BLOCKS && Pinn::VALUE_GRADIENT_LAPLACIAN_BLOCKS);
    }
    let net: Counting = net(2);
    let x = inputs(3, 40);
    let row = x.row(0).to_vec();
    let mut g = vec![0.0; 40];
    let single = evaluations(|| net.laplacian_at(&row).unwrap());
    assert!(single > 0);
    let batch = evaluations(|| net.laplacian_batch(x.view()).unwrap());
    assert_eq!(batch, 3 * single);
    let single = evaluations(|| net.value_gradient_laplacian_into(&row, &mut g).unwrap());
    let batch = evaluations(|| net.value_gradient_laplacian_batch(x.view()).unwrap());
    assert_eq!(batch, 3 * single);
    scalar_rows_match::<Counting>(x.view(), x.view());
}

/// A linear network: its gradient is the same at every input, which the batch kernels
/// must still give once per row.
#[mlp(6, 1, input = 5, activation = identity)]
struct Linear;

#[test]
fn constant_derivatives_come_once_per_row() {
    let rows = many(150);
    let x = inputs(rows, 5);
    scalar_rows_match::<Linear>(x.view(), x.view());
    let gradients = net::<Linear>(3).gradient_batch(x.view()).unwrap();
    assert_eq!(gradients.dim(), (rows, 5));
    assert_eq!(bits(gradients.row(0)), bits(gradients.row(rows - 1)));
}

#[test]
fn wrong_shapes_are_errors() {
    let seed: Seed = net(0);
    let error = seed.forward_batch(inputs(3, 51).view()).unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input columns, found 51");
    let error = seed
        .value_gradient_laplacian_batch(inputs(3, 53).view())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input columns, found 53");
    let error = seed
        .hvp_batch(inputs(3, 52).view(), inputs(2, 52).view())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 3 rows, found 2");
    let deep: Deep = net(0);
    let error = deep
        .vjp_batch(inputs(3, 3).view(), inputs(3, 3).view())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected 2 output-weight columns, found 3"
    );
    assert_eq!(
        seed.forward_batch(inputs(0, 52).view()).unwrap().dim(),
        (0, 1)
    );
    // `J(x)·v` and `uᵀ·J(x)` for blocks: as many directions or output weights as samples.
    let mut out = vec![0.0; 3 * 16];
    let error = deep.jvp_blocks_into(&[0.0; 3 * 16], &[0.0; 3 * 17], &mut out[..32]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block direction values, found 51"
    );
    let error = deep.jvp_blocks_into(&[0.0; 3 * 16], &[0.0; 3 * 16], &mut out[..31]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 32 block jvp values, found 31"
    );
    let error = deep.vjp_blocks_into(&[0.0; 3 * 16], &[0.0; 2 * 15], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 32 block output weights, found 30"
    );
    let error = deep.vjp_blocks_into(&[0.0; 3 * 16], &[0.0; 2 * 16], &mut out[..32]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block vjp values, found 32"
    );
    let error = deep.vjp_blocks_into(&[0.0; 3 * 15], &[0.0; 2 * 16], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block input values, found 45"
    );
    // The block kernels behind the Laplacian's batches check what they are given, whether
    // the network has kernels of its own (`Pinn`) or takes a sample at a time (`Seed`).
    let pinn: Pinn = net(0);
    let mut out = vec![0.0; 5 * 16];
    let error = pinn.laplacian_blocks_into(&[0.0; 3 * 15], &mut out[..16]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block input values, found 45"
    );
    let error = pinn.laplacian_blocks_into(&[0.0; 3 * 16], &mut out[..15]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 16 block Laplacians, found 15"
    );
    // The value-and-gradient's and the value-gradient-Laplacian's, by `Pinn`'s kernels and
    // by default (`GenericDeep`) alike.
    let generic: GenericDeep<3> = net(0);
    let error = |x: usize, y: usize, g: usize, l: usize, kernel: bool| {
        let (x, mut y, mut g) = (vec![0.0; x], vec![0.0; y], vec![0.0; g]);
        let mut l = vec![0.0; l];
        let (error, with_laplacian) = match kernel {
            true => (
                pinn.value_and_gradient_blocks_into(&x, &mut y, &mut g),
                pinn.value_gradient_laplacian_blocks_into(&x, &mut y, &mut g, &mut l),
            ),
            false => (
                generic.value_and_gradient_blocks_into(&x, &mut y, &mut g),
                generic.value_gradient_laplacian_blocks_into(&x, &mut y, &mut g, &mut l),
            ),
        };
        (
            error.map_err(|e| e.to_string()),
            with_laplacian.unwrap_err().to_string(),
        )
    };
    for kernel in [true, false] {
        let error = |x, y, g, l| error(x, y, g, l, kernel);
        let message = |m: &str| (Err(m.to_string()), m.to_string());
        let messages = [
            "expected 48 block input values, found 45",
            "expected 16 block output values, found 15",
            "expected 48 block gradient values, found 47",
        ];
        assert_eq!(error(45, 16, 48, 16), message(messages[0]));
        assert_eq!(error(48, 15, 48, 16), message(messages[1]));
        assert_eq!(error(48, 16, 47, 16), message(messages[2]));
        let laplacians = "expected 16 block Laplacians, found 15".to_string();
        assert_eq!(error(48, 16, 48, 15), (Ok(()), laplacians));
    }
    // The value-gradient-Hessian's, alike.
    let error = |x: usize, y: usize, g: usize, h: usize, kernel: bool| {
        let (x, mut y, mut g) = (vec![0.0; x], vec![0.0; y], vec![0.0; g]);
        let mut h = vec![0.0; h];
        let error = match kernel {
            true => pinn.value_gradient_hessian_blocks_into(&x, &mut y, &mut g, &mut h),
            false => generic.value_gradient_hessian_blocks_into(&x, &mut y, &mut g, &mut h),
        };
        error.unwrap_err().to_string()
    };
    for kernel in [true, false] {
        let found = [
            error(45, 16, 48, 144, kernel),
            error(48, 15, 48, 144, kernel),
            error(48, 16, 47, 144, kernel),
            error(48, 16, 48, 143, kernel),
        ];
        let want = [
            "expected 48 block input values, found 45",
            "expected 16 block output values, found 15",
            "expected 48 block gradient values, found 47",
            "expected 144 block hessian entries, found 143",
        ];
        assert_eq!(found, want);
    }
    // `H(x)·v` for blocks of samples and directions, as many of each.
    let error = pinn.hvp_blocks_into(&[0.0; 3 * 16], &[0.0; 3 * 15], &mut out[..48]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block direction values, found 45"
    );
    let error = pinn.hvp_blocks_into(&[0.0; 3 * 16], &[0.0; 3 * 16], &mut out[..47]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block output values, found 47"
    );
    let mut out = vec![0.0; 54 * 16];
    let error = seed.laplacian_blocks_into(&[0.0; 52 * 17], &mut out[..17]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 1664 block input values, found 884"
    );
    let error = seed.laplacian_blocks_into(&[0.0; 52 * 16], &mut out[..17]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 16 block Laplacians, found 17"
    );
    let (mut y, mut l) = ([0.0; 16], [0.0; 16]);
    let x = [0.0; 52 * 16];
    let error = seed.value_gradient_laplacian_blocks_into(&x, &mut y, &mut out[..52 * 15], &mut l);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 832 block gradient values, found 780"
    );
}

/// The `_into` batches write what the allocating ones return, over whatever was in the
/// array (NaN here), in standard layout or not; a wrong shape is an error.
#[test]
fn into_arrays_get_what_batches_return() {
    let seed: Seed = net(5);
    let x = inputs(many(2 * 256 + 16 + 6), 52);
    let n = x.nrows();
    let gradients = seed.gradient_batch(x.view()).unwrap();
    let mut g = Array2::from_elem((n, 52), f64::NAN);
    seed.gradient_batch_into(x.view(), g.view_mut()).unwrap();
    assert_eq!(bits(&g), bits(&gradients));
    let mut g = Array2::from_elem((n, 52).f(), f64::NAN);
    seed.gradient_batch_into(x.view(), g.view_mut()).unwrap();
    assert_eq!(bits(&g), bits(&gradients));
    let mut y = Array2::from_elem((n, 1), f64::NAN);
    seed.forward_batch_into(x.view(), y.view_mut()).unwrap();
    assert_eq!(bits(&y), bits(&seed.forward_batch(x.view()).unwrap()));
    let mut values = mlp::ndarray::Array1::from_elem(n, f64::NAN);
    seed.value_batch_into(x.view(), values.view_mut()).unwrap();
    assert_eq!(bits(&values), bits(&seed.value_batch(x.view()).unwrap()));
    // Every third row of a larger array: a view that is not contiguous.
    let mut wide = Array2::from_elem((3 * n, 52), f64::NAN);
    let every_third = wide.slice_mut(mlp::ndarray::s![..;3, ..]);
    seed.gradient_batch_into(x.view(), every_third).unwrap();
    assert_eq!(
        bits(wide.slice(mlp::ndarray::s![..;3, ..])),
        bits(&gradients)
    );

    let deep: Deep = net(1);
    let x = inputs(40, 3);
    let mut y = Array2::from_elem((40, 2), f64::NAN);
    deep.forward_batch_into(x.view(), y.view_mut()).unwrap();
    assert_eq!(bits(&y), bits(&deep.forward_batch(x.view()).unwrap()));

    let error = seed
        .gradient_batch_into(x.view(), g.view_mut())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input columns, found 3");
    let x = inputs(5, 52);
    let mut g = Array2::zeros((5, 51));
    let error = seed
        .gradient_batch_into(x.view(), g.view_mut())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 52 gradient columns, found 51");
    let mut g = Array2::zeros((4, 52));
    let error = seed
        .gradient_batch_into(x.view(), g.view_mut())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 5 result rows, found 4");
    let mut values = mlp::ndarray::Array1::zeros(6);
    let error = seed
        .value_batch_into(x.view(), values.view_mut())
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 5 result rows, found 6");
    let mut y = Array2::zeros((5, 2));
    let error = seed.forward_batch_into(x.view(), y.view_mut()).unwrap_err();
    assert_eq!(error.to_string(), "expected 1 output columns, found 2");
}

/// Every batch's `_into` form writes what the allocating one returns, over whatever the
/// array held (NaN here), by its block kernel or a sample at a time, in standard layout or
/// not; a wrong shape is an error naming what differs.
#[test]
fn every_batch_has_an_into_form() {
    use mlp::ndarray::{Array1, Array3};
    fn check_multi<N: Network<Scalar = f64>>(net: &N, rows: usize) {
        let (i, o) = (N::INPUT, N::OUTPUT);
        let (x, v, u) = (inputs(rows, i), inputs(rows, i), inputs(rows, o));
        let want = net.jacobian_batch(x.view()).unwrap();
        let y = net.forward_batch(x.view()).unwrap();
        for layout in [(rows, o, i).set_f(false), (rows, o, i).f()] {
            let mut j = Array3::from_elem(layout, f64::NAN);
            net.jacobian_batch_into(x.view(), j.view_mut()).unwrap();
            assert_eq!(bits(&j), bits(&want));
            j.fill(f64::NAN);
            for y_layout in [(rows, o).set_f(false), (rows, o).f()] {
                let mut y_with = Array2::from_elem(y_layout, f64::NAN);
                net.forward_and_jacobian_batch_into(x.view(), y_with.view_mut(), j.view_mut())
                    .unwrap();
                assert_eq!((bits(&y_with), bits(&j)), (bits(&y), bits(&want)));
            }
        }
        let mut jv = Array2::from_elem((rows, o), f64::NAN);
        net.jvp_batch_into(x.view(), v.view(), jv.view_mut())
            .unwrap();
        assert_eq!(bits(&jv), bits(&net.jvp_batch(x.view(), v.view()).unwrap()));
        let mut uj = Array2::from_elem((rows, i).f(), f64::NAN);
        net.vjp_batch_into(x.view(), u.view(), uj.view_mut())
            .unwrap();
        assert_eq!(bits(&uj), bits(&net.vjp_batch(x.view(), u.view()).unwrap()));
    }
    fn check_scalar<N: ScalarNetwork<Scalar = f64>>(net: &N, rows: usize) {
        let d = N::INPUT;
        let (x, v) = (inputs(rows, d), inputs(rows, d));
        let want = net.hessian_batch(x.view()).unwrap();
        for layout in [(rows, d, d).set_f(false), (rows, d, d).f()] {
            let mut h = Array3::from_elem(layout, f64::NAN);
            net.hessian_batch_into(x.view(), h.view_mut()).unwrap();
            assert_eq!(bits(&h), bits(&want));
        }
        let mut hv = Array2::from_elem((rows, d), f64::NAN);
        net.hvp_batch_into(x.view(), v.view(), hv.view_mut())
            .unwrap();
        assert_eq!(bits(&hv), bits(&net.hvp_batch(x.view(), v.view()).unwrap()));
        let mut laplacian = Array1::from_elem(rows, f64::NAN);
        net.laplacian_batch_into(x.view(), laplacian.view_mut())
            .unwrap();
        assert_eq!(
            bits(&laplacian),
            bits(&net.laplacian_batch(x.view()).unwrap())
        );
        let (value, gradient) = net.value_and_gradient_batch(x.view()).unwrap();
        for layout in [(rows, d).set_f(false), (rows, d).f()] {
            let mut y = Array1::from_elem(rows, f64::NAN);
            let mut g = Array2::from_elem(layout, f64::NAN);
            net.value_and_gradient_batch_into(x.view(), y.view_mut(), g.view_mut())
                .unwrap();
            assert_eq!((bits(&y), bits(&g)), (bits(&value), bits(&gradient)));
        }
        // The values into a column of a matrix: not contiguous.
        let mut columns = Array2::from_elem((rows, 2), f64::NAN);
        let mut g = Array2::from_elem((rows, d), f64::NAN);
        net.value_and_gradient_batch_into(x.view(), columns.column_mut(1), g.view_mut())
            .unwrap();
        assert_eq!(
            (bits(columns.column(1)), bits(&g)),
            (bits(&value), bits(&gradient))
        );
        let want = net.value_gradient_laplacian_batch(x.view()).unwrap();
        for layout in [(rows, d).set_f(false), (rows, d).f()] {
            let mut y = Array1::from_elem(rows, f64::NAN);
            let mut g = Array2::from_elem(layout, f64::NAN);
            let mut l = Array1::from_elem(rows, f64::NAN);
            net.value_gradient_laplacian_batch_into(
                x.view(),
                y.view_mut(),
                g.view_mut(),
                l.view_mut(),
            )
            .unwrap();
            assert_eq!(
                (bits(&y), bits(&g), bits(&l)),
                (bits(&want.0), bits(&want.1), bits(&want.2))
            );
        }
        // The output and the Laplacian into two columns of one matrix.
        let mut columns = Array2::from_elem((rows, 2), f64::NAN);
        let (y, l) = columns.multi_slice_mut((mlp::ndarray::s![.., 0], mlp::ndarray::s![.., 1]));
        net.value_gradient_laplacian_batch_into(x.view(), y, g.view_mut(), l)
            .unwrap();
        assert_eq!(
            (bits(columns.column(0)), bits(&g), bits(columns.column(1))),
            (bits(&want.0), bits(&want.1), bits(&want.2))
        );
        // Each of the gradients and the Hessians in either layout (a Hessian not in
        // standard layout is written apart and copied in), the outputs into a column.
        let want = net.value_gradient_hessian_batch(x.view()).unwrap();
        for fortran in [[false, false], [false, true], [true, false], [true, true]] {
            let mut columns = Array2::from_elem((rows, 2), f64::NAN);
            let mut g = Array2::from_elem((rows, d).set_f(fortran[0]), f64::NAN);
            let mut h = Array3::from_elem((rows, d, d).set_f(fortran[1]), f64::NAN);
            let (y, g_, h_) = (columns.column_mut(1), g.view_mut(), h.view_mut());
            net.value_gradient_hessian_batch_into(x.view(), y, g_, h_)
                .unwrap();
            assert_eq!(
                (bits(columns.column(1)), bits(&g), bits(&h)),
                (bits(&want.0), bits(&want.1), bits(&want.2))
            );
        }
        let mut y = Array1::from_elem(rows, f64::NAN);
        let (mut g, mut h) = (Array2::zeros((rows, d)), Array3::zeros((rows, d, d)));
        net.value_gradient_hessian_batch_into(x.view(), y.view_mut(), g.view_mut(), h.view_mut())
            .unwrap();
        assert_eq!(
            (bits(&y), bits(&g), bits(&h)),
            (bits(&want.0), bits(&want.1), bits(&want.2))
        );
    }
    const {
        assert!(!Seed::JACOBIAN_BLOCKS && !Seed::HESSIAN_BLOCKS && Pinn::HESSIAN_BLOCKS);
        assert!(Tall::JACOBIAN_BLOCKS && Pinn::LAPLACIAN_BLOCKS);
        assert!(!Seed::LAPLACIAN_BLOCKS && !Seed::VALUE_GRADIENT_LAPLACIAN_BLOCKS);
        assert!(Pinn::VALUE_GRADIENT_LAPLACIAN_BLOCKS && Seed::VALUE_AND_GRADIENT_BLOCKS);
        assert!(!GenericDeep::<5>::VALUE_AND_GRADIENT_BLOCKS);
        assert!(Pinn::VALUE_GRADIENT_HESSIAN_BLOCKS && !Seed::VALUE_GRADIENT_HESSIAN_BLOCKS);
        assert!(!GenericDeep::<3>::VALUE_GRADIENT_HESSIAN_BLOCKS);
    }
    // With a block kernel and without one (the seed's Jacobian, Hessian and Laplacians,
    // `Mnist`'s Jacobian, every one of a generic input width but the gradient's).
    let rows = 2 * 16 + 5;
    check_multi(&net::<Seed>(2), rows);
    check_multi(&net::<Tall>(2), rows);
    if !cfg!(miri) {
        let large = Mnist::from_parameters_boxed(&parameters::<Mnist>(2)).unwrap();
        check_multi(&*large, 3);
    }
    check_scalar(&net::<Seed>(2), rows);
    check_scalar(&net::<Pinn>(2), rows);
    check_scalar(&net::<Curved>(2), rows);
    check_scalar(&net::<OneInput>(2), rows);
    check_scalar(&net::<GenericDeep<5>>(2), rows);

    let tall: Tall = net(1);
    let x = inputs(5, 3);
    let error = |shape: (usize, usize, usize)| {
        let mut j = Array3::zeros(shape);
        let error = tall.jacobian_batch_into(x.view(), j.view_mut());
        error.unwrap_err().to_string()
    };
    assert_eq!(error((5, 5, 3)), "expected 6 jacobian rows, found 5");
    assert_eq!(error((5, 6, 4)), "expected 3 jacobian columns, found 4");
    assert_eq!(error((4, 6, 3)), "expected 5 Jacobians, found 4");
    let mut j = Array3::zeros((5, 6, 3));
    let error = tall.jacobian_batch_into(inputs(5, 2).view(), j.view_mut());
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 3 input columns, found 2"
    );
    let mut jv = Array2::zeros((5, 5));
    let error = tall.jvp_batch_into(x.view(), x.view(), jv.view_mut());
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 6 output columns, found 5"
    );
    let mut uj = Array2::zeros((4, 3));
    let error = tall.vjp_batch_into(x.view(), inputs(5, 6).view(), uj.view_mut());
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 5 result rows, found 4"
    );
    // With a block kernel (`Tall`) and without (`GenericMulti`, of 3 inputs and 3 outputs).
    let generic: GenericMulti<3> = net(1);
    let error = |y: (usize, usize), j: (usize, usize, usize), kernel: bool| {
        let (mut y, mut j) = (Array2::zeros(y), Array3::zeros(j));
        let error = match kernel {
            true => tall.forward_and_jacobian_batch_into(x.view(), y.view_mut(), j.view_mut()),
            false => generic.forward_and_jacobian_batch_into(x.view(), y.view_mut(), j.view_mut()),
        };
        error.unwrap_err().to_string()
    };
    for (kernel, o) in [(true, 6), (false, 3)] {
        let found = [
            error((5, o + 1), (5, o, 3), kernel),
            error((4, o), (5, o, 3), kernel),
            error((5, o), (5, o, 2), kernel),
            error((5, o), (6, o, 3), kernel),
        ];
        let want = [
            format!("expected {o} output columns, found {}", o + 1),
            "expected 5 result rows, found 4".to_string(),
            "expected 3 jacobian columns, found 2".to_string(),
            "expected 5 Jacobians, found 6".to_string(),
        ];
        assert_eq!(found, want);
    }

    let pinn: Pinn = net(1);
    let error = |shape: (usize, usize, usize)| {
        let mut h = Array3::zeros(shape);
        let error = pinn.hessian_batch_into(x.view(), h.view_mut());
        error.unwrap_err().to_string()
    };
    assert_eq!(error((4, 3, 3)), "expected 5 Hessians, found 4");
    assert_eq!(error((5, 3, 2)), "expected 3 hessian columns, found 2");
    let mut hv = Array2::zeros((5, 2));
    let error = pinn.hvp_batch_into(x.view(), x.view(), hv.view_mut());
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 3 result columns, found 2"
    );
    let mut laplacian = Array1::zeros(6);
    let error = pinn.laplacian_batch_into(x.view(), laplacian.view_mut());
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 5 result rows, found 6"
    );
    // With the block kernels of the value and gradient (and Laplacian) (`Pinn`) and without
    // (`GenericDeep`).
    let generic: GenericDeep<3> = net(1);
    let error = |y: usize, (rows, columns): (usize, usize), l: usize, kernel: bool| {
        let (mut y, mut g) = (Array1::zeros(y), Array2::zeros((rows, columns)));
        let error = match kernel {
            true => pinn.value_and_gradient_batch_into(x.view(), y.view_mut(), g.view_mut()),
            false => generic.value_and_gradient_batch_into(x.view(), y.view_mut(), g.view_mut()),
        };
        let mut laplacian = Array1::zeros(l);
        let (y, g, l) = (y.view_mut(), g.view_mut(), laplacian.view_mut());
        let with_laplacian = match kernel {
            true => pinn.value_gradient_laplacian_batch_into(x.view(), y, g, l),
            false => generic.value_gradient_laplacian_batch_into(x.view(), y, g, l),
        };
        (
            error.map_err(|e| e.to_string()),
            with_laplacian.unwrap_err().to_string(),
        )
    };
    for kernel in [true, false] {
        let error = |y, g, l| error(y, g, l, kernel);
        let message = |m: &str| (Err(m.to_string()), m.to_string());
        assert_eq!(
            error(6, (5, 3), 5),
            message("expected 5 output values, found 6")
        );
        assert_eq!(
            error(5, (5, 2), 5),
            message("expected 3 gradient columns, found 2")
        );
        assert_eq!(
            error(5, (4, 3), 5),
            message("expected 5 result rows, found 4")
        );
        let laplacians = "expected 5 Laplacians, found 4".to_string();
        assert_eq!(error(5, (5, 3), 4), (Ok(()), laplacians));
    }
    // The value, gradient and Hessian, alike.
    let error = |y: usize, g: (usize, usize), h: (usize, usize, usize), kernel: bool| {
        let (mut y, mut g, mut h) = (Array1::zeros(y), Array2::zeros(g), Array3::zeros(h));
        let (y, g, h) = (y.view_mut(), g.view_mut(), h.view_mut());
        let error = match kernel {
            true => pinn.value_gradient_hessian_batch_into(x.view(), y, g, h),
            false => generic.value_gradient_hessian_batch_into(x.view(), y, g, h),
        };
        error.unwrap_err().to_string()
    };
    for kernel in [true, false] {
        let found = [
            error(6, (5, 3), (5, 3, 3), kernel),
            error(5, (5, 2), (5, 3, 3), kernel),
            error(5, (4, 3), (5, 3, 3), kernel),
            error(5, (5, 3), (4, 3, 3), kernel),
            error(5, (5, 3), (5, 2, 3), kernel),
            error(5, (5, 3), (5, 3, 4), kernel),
        ];
        let want = [
            "expected 5 output values, found 6",
            "expected 3 gradient columns, found 2",
            "expected 5 result rows, found 4",
            "expected 5 Hessians, found 4",
            "expected 3 hessian rows, found 2",
            "expected 3 hessian columns, found 4",
        ];
        assert_eq!(found, want);
    }
}

/// Hessian batches of few inputs by block kernels: each sample's triangle summed as its
/// single call sums it (`_mlp::dot`, or term by term where unrolled), then mirrored; every
/// sample its single call to the bit. Too many inputs for the stack (`Seed`, `Odd`) or a
/// single call that sums whole rows of the triangle at once (`Smooth1`, by
/// `_mlp::axpys_prefix`): a row at a time.
#[test]
fn hessian_blocks_are_single_calls() {
    const {
        assert!(Pinn::HESSIAN_BLOCKS && Pinn32::HESSIAN_BLOCKS && Six::HESSIAN_BLOCKS);
        assert!(Unrolled::HESSIAN_BLOCKS && Curved::HESSIAN_BLOCKS && Deep1::HESSIAN_BLOCKS);
        assert!(!Seed::HESSIAN_BLOCKS && !Odd::HESSIAN_BLOCKS && !Smooth1::HESSIAN_BLOCKS);
        // With the output and the gradient, the same.
        assert!(Pinn::VALUE_GRADIENT_HESSIAN_BLOCKS && Pinn32::VALUE_GRADIENT_HESSIAN_BLOCKS);
        assert!(Six::VALUE_GRADIENT_HESSIAN_BLOCKS && Unrolled::VALUE_GRADIENT_HESSIAN_BLOCKS);
        assert!(Curved::VALUE_GRADIENT_HESSIAN_BLOCKS && Deep1::VALUE_GRADIENT_HESSIAN_BLOCKS);
        assert!(!Seed::VALUE_GRADIENT_HESSIAN_BLOCKS && !Odd::VALUE_GRADIENT_HESSIAN_BLOCKS);
        assert!(!Smooth1::VALUE_GRADIENT_HESSIAN_BLOCKS);
    }
    // (`Pinn`, `Pinn32`, `Six` and `Unrolled` in the tests above.) `Curved`'s sums are
    // written out term by term, one layer's after the other's: in a block each goes on
    // from the terms before it (`_mlp::serial_sum_onto`), as in its single call; its
    // `laplacian_batch` differed from its calls in the last bits before it did.
    for rows in [1, 2 * 16 + 5] {
        let x = inputs(rows, 8);
        scalar_rows_match::<Curved>(x.view(), x.view());
        let x = inputs(rows, 3);
        scalar_rows_match::<Deep1>(x.view(), x.view());
    }
    let pinn: Pinn = net(1);
    let mut out = vec![0.0; 9 * 16];
    let error = pinn.hessian_blocks_into(&[0.0; 3 * 15], &mut out);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 48 block input values, found 45"
    );
    let error = pinn.hessian_blocks_into(&[0.0; 3 * 16], &mut out[..9 * 16 - 1]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 144 block hessian entries, found 143"
    );
    // The default, a sample at a time, checks alike.
    let smooth: Smooth1 = net(1);
    let mut out = vec![0.0; 16 * 16];
    let error = smooth.hessian_blocks_into(&[0.0; 4 * 16], &mut out[..16 * 15]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "expected 256 block hessian entries, found 240"
    );
}
