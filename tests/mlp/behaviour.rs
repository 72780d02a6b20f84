//! Every net's forward pass, Jacobian and (with one output) value and gradient, against the
//! ndarray reference and against central finite differences of its own forward pass.

use mlp::reference::ActivationFn;
use mlp::{
    Elu, Gelu, Identity, LeakyRelu, Network, Relu, Scalar, Sigmoid, Silu, Sin, Softplus, Tanh,
};

use crate::common::{
    bits, finite_differences, flat, input, net, reference, relative_error, seeds, to_f64, vec1,
    view,
};
use crate::nets::{
    custom::{Cube, Softsign},
    *,
};

/// Tolerances: against the reference, and against finite differences.
struct Tolerance {
    reference: f64,
    differences: f64,
    step: f64,
}

const F64: Tolerance = Tolerance {
    reference: 1e-12,
    differences: 1e-7,
    step: 1e-5,
};
const F32: Tolerance = Tolerance {
    reference: 1e-5,
    differences: 5e-3,
    step: 1e-2,
};

fn tolerance<T: Scalar>() -> Tolerance {
    if T::NAME == "f32" { F32 } else { F64 }
}

/// `forward` and `jacobian` of `N` at several points, through the `Network` trait.
fn check<N: Network>(acts: &[ActivationFn<f64>]) {
    let tol = tolerance::<N::Scalar>();
    for seed in seeds(4) {
        let net: N = net(seed);
        let reference = reference(&net, acts);
        let x: Vec<N::Scalar> = input(N::INPUT, seed);
        let x64: Vec<f64> = x.iter().map(|v| to_f64(*v)).collect();

        let mut y = vec![N::Scalar::default(); N::OUTPUT];
        net.forward_into(&x, &mut y).unwrap();
        let want = vec1(&reference.forward(view(&x64)).unwrap());
        let error = relative_error(&y, &want);
        assert!(
            error <= tol.reference,
            "forward off the reference by {error:e}"
        );

        // Written over whatever the slice held: here NaNs.
        let mut jacobian = vec![N::Scalar::from_f64(f64::NAN); N::OUTPUT * N::INPUT];
        net.jacobian_into(&x, &mut jacobian).unwrap();
        let want = flat(&reference.jacobian(view(&x64)).unwrap());
        let error = relative_error(&jacobian, &want);
        assert!(
            error <= tol.reference,
            "jacobian off the reference by {error:e}"
        );

        let want = flat(&finite_differences(&net, &x, tol.step));
        let error = relative_error(&jacobian, &want);
        assert!(
            error <= tol.differences,
            "jacobian off finite differences by {error:e}"
        );

        // Both from one sweep, to the bit as apart, over NaNs.
        let nan = N::Scalar::from_f64(f64::NAN);
        let (mut y_with, mut jacobian_with) = (vec![nan; y.len()], vec![nan; jacobian.len()]);
        net.forward_and_jacobian_into(&x, &mut y_with, &mut jacobian_with)
            .unwrap();
        assert_eq!(bits(&y_with), bits(&y), "forward_and_jacobian's output");
        assert_eq!(bits(&jacobian_with), bits(&jacobian), "its Jacobian");
    }
}

/// `value`, `gradient` and `value_and_gradient` agree with `forward` and `jacobian`, which
/// [`check`] compares with the oracles.
macro_rules! check_scalar_output {
    ($net:ty) => {{
        let tol = tolerance::<<$net as Network>::Scalar>();
        for seed in seeds(4) {
            let net: $net = net(seed);
            let x = input(<$net as Network>::INPUT, seed).try_into().unwrap();
            let (value, gradient) = net.value_and_gradient(&x);
            assert_eq!(bits(&[value]), bits(&[net.value(&x)]));
            assert_eq!(bits(&[value]), bits(&net.forward(&x)));
            assert_eq!(bits(&gradient), bits(&net.gradient(&x)));
            let row: Vec<f64> = net.jacobian(&x)[0].iter().map(|v| to_f64(*v)).collect();
            let error = relative_error(&gradient, &row);
            assert!(
                error <= tol.reference,
                "gradient off the jacobian by {error:e}"
            );
        }
    }};
}

/// `jacobian_to` writes every entry of `jacobian`'s over whatever its array held, to the
/// bit, as `jacobian_into` does; `forward_and_jacobian` and its `_to` form give `forward`'s
/// and `jacobian`'s bits.
macro_rules! check_in_place {
    ($net:ty) => {{
        let net: $net = net(3);
        let x = input(<$net as Network>::INPUT, 3).try_into().unwrap();
        let jacobian = net.jacobian(&x);
        let mut written = jacobian.map(|row| row.map(|_| Scalar::from_f64(f64::NAN)));
        net.jacobian_to(&x, &mut written);
        assert_eq!(bits(written.as_flattened()), bits(jacobian.as_flattened()));
        let mut flat = vec![Scalar::from_f64(f64::NAN); jacobian.as_flattened().len()];
        net.jacobian_into(x.as_slice(), &mut flat).unwrap();
        assert_eq!(bits(&flat), bits(jacobian.as_flattened()));
        // With the output, `forward`'s bits.
        let (y, with) = net.forward_and_jacobian(&x);
        assert_eq!(bits(&y), bits(&net.forward(&x)));
        assert_eq!(bits(with.as_flattened()), bits(jacobian.as_flattened()));
        written = written.map(|row| row.map(|_| Scalar::from_f64(f64::NAN)));
        let y_to = net.forward_and_jacobian_to(&x, &mut written);
        assert_eq!(bits(&y_to), bits(&y));
        assert_eq!(bits(written.as_flattened()), bits(jacobian.as_flattened()));
    }};
}

#[test]
fn jacobian_in_place() {
    check_in_place!(Seed);
    check_in_place!(SeedLoops);
    check_in_place!(SeedApart);
    check_in_place!(Tall);
    check_in_place!(TallApart);
    check_in_place!(Fan);
    check_in_place!(OddMulti);
    check_in_place!(Mixed);
    check_in_place!(Small32);
    check_in_place!(Generic<7>);
    check_in_place!(GenericMulti<4>);
    check_in_place!(Tiny);
    check_in_place!(Custom);
}

fn act<A: mlp::Activation<f64>>() -> ActivationFn<f64> {
    ActivationFn::of::<A>()
}

#[test]
fn seed() {
    check::<Seed>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Seed);
}

#[test]
fn one_input() {
    check::<OneInput>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(OneInput);
    check::<Curve>(&[act::<Silu>(), act::<Identity>()]);
    check::<Narrow>(&[act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Narrow);
    check::<Bottleneck>(&[act::<Silu>(), act::<Identity>()]);
}

#[test]
fn seed_apart() {
    check::<SeedApart>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(SeedApart);
}

#[test]
fn seed_as_loops() {
    check::<SeedLoops>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(SeedLoops);
    // Both lowerings compute the same sums, in different orders (written out term by term,
    // or in eight lanes of multiply-adds): the same to a few units of the last place.
    let (unrolled, looped): (Seed, SeedLoops) = (net(7), net(7));
    let x = input(52, 7).try_into().unwrap();
    let (a, b) = (
        unrolled.value_and_gradient(&x),
        looped.value_and_gradient(&x),
    );
    assert!((a.0 - b.0).abs() <= 1e-15 * a.0.abs().max(1.0));
    let gradient: Vec<f64> = b.1.to_vec();
    let error = relative_error(&a.1, &gradient);
    assert!(
        error <= 1e-14,
        "unrolled and looped gradients differ by {error:e}"
    );
}

#[test]
fn affine() {
    check::<Affine>(&[act::<Identity>()]);
}

#[test]
fn one_hidden_layer() {
    check::<OneHidden>(&[act::<Sigmoid>(), act::<Identity>()]);
    check_scalar_output!(OneHidden);
}

#[test]
fn four_hidden_layers() {
    let acts = [
        act::<Relu>(),
        act::<LeakyRelu>(),
        act::<Elu>(),
        act::<Silu>(),
        act::<Identity>(),
    ];
    check::<Deep>(&acts);
}

#[test]
fn smooth_activations_and_output() {
    check::<Smooth>(&[
        act::<Gelu>(),
        act::<Sin>(),
        act::<Softplus>(),
        act::<Sigmoid>(),
    ]);
}

#[test]
fn linear_hidden_layer() {
    check::<LinearHidden>(&[act::<Identity>(), act::<Softplus>()]);
    check_scalar_output!(LinearHidden);
}

#[test]
fn single_precision() {
    check::<Small32>(&[act::<Tanh>(), act::<Identity>()]);
    check::<Scalar32>(&[act::<Softplus>(), act::<Silu>(), act::<Tanh>()]);
    check_scalar_output!(Scalar32);
}

#[test]
fn generic_input() {
    check::<Generic<7>>(&[act::<Tanh>(), act::<Identity>()]);
    check::<Generic<1>>(&[act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Generic<7>);
    check::<GenericMulti<4>>(&[act::<Sin>(), act::<Identity>()]);
}

#[test]
fn custom_activations() {
    check::<Custom>(&[act::<Softsign>(), act::<Cube>()]);
}

#[test]
fn mixed_lowering() {
    check::<Mixed>(&[act::<Elu>(), act::<Elu>(), act::<Identity>()]);
}

#[test]
fn odd_widths() {
    check::<Odd>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Odd);
    check::<Odd32>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Odd32);
    check::<OddMulti>(&[act::<Silu>(), act::<Silu>(), act::<Identity>()]);
}

#[test]
fn fewer_inputs_than_outputs() {
    check::<Tall>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check::<Fan>(&[act::<Silu>(), act::<Identity>()]);
}

#[test]
fn few_inputs_and_deep() {
    let tanh = act::<Tanh>();
    check::<Pinn>(&[tanh, tanh, tanh, act::<Identity>()]);
    check_scalar_output!(Pinn);
    check::<Pinn32>(&[act::<Silu>(), act::<Silu>(), act::<Identity>()]);
    check_scalar_output!(Pinn32);
    check::<Six>(&[act::<Softplus>(), act::<Softplus>(), act::<Identity>()]);
    check_scalar_output!(Six);
}

#[test]
fn everything_unrolled() {
    check::<Tiny>(&[act::<Tanh>(), act::<Identity>()]);
    check_scalar_output!(Tiny);
}
