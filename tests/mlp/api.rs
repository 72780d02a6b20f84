//! The generated API: constants, construction, the `Network` trait's length checks.

use mlp::{Network, ScalarNetwork, ShapeError};

use crate::common::{bits, net, parameters};
use crate::nets::{Generic, GenericMulti, Seed, Small32};

#[test]
fn constants_describe_the_architecture() {
    assert_eq!((Seed::INPUT, Seed::OUTPUT), (52, 1));
    assert_eq!(Seed::WIDTHS, [20, 10, 1]);
    assert_eq!(Seed::PARAMETERS, 52 * 20 + 20 + 20 * 10 + 10 + 10 + 1);
    assert_eq!(<Seed as Network>::WIDTHS, &[20, 10, 1]);
    assert_eq!(Generic::<7>::PARAMETERS, 7 * 6 + 6 + 6 + 1);
    assert_eq!(GenericMulti::<4>::INPUT, 4);
    assert_eq!(Small32::PARAMETERS, 5 * 8 + 8 + 8 * 3 + 3);
}

#[test]
fn parameters_round_trip_in_pytorch_order() {
    let flat = parameters::<Seed>(3);
    let net = Seed::from_parameters(&flat).unwrap();
    assert_eq!(net.parameters(), flat);
    // `w1` is row-major `[out][in]`: its second row starts at parameter 52.
    assert_eq!(net.w1[1][0], flat[52]);
    assert_eq!(net.b1[0], flat[52 * 20]);
    assert_eq!(net.w3[0][9], flat[Seed::PARAMETERS - 2]);
    assert_eq!(net.b3[0], flat[Seed::PARAMETERS - 1]);
}

/// The weights start on cache lines, boxed or not, where the matrices before them fill
/// whole lines (the macro's `repr(C, align(64))`, weights first).
#[test]
fn weights_are_aligned_to_cache_lines() {
    let line = |p: *const f64| p as usize % 64;
    let seed = Seed::zeros_boxed();
    let wide = crate::nets::Wide::zeros_boxed();
    for p in [
        seed.w1[0].as_ptr(),
        seed.w2[0].as_ptr(),
        seed.w3[0].as_ptr(),
    ] {
        assert_eq!(line(p), 0);
    }
    for p in [
        wide.w1[0].as_ptr(),
        wide.w2[0].as_ptr(),
        wide.w3[0].as_ptr(),
    ] {
        assert_eq!(line(p), 0);
    }
    let on_stack = Seed::zeros();
    assert_eq!(line(on_stack.w1[0].as_ptr()), 0);
    assert_eq!(core::mem::align_of::<Seed>(), 64);
}

#[test]
fn wrong_lengths_are_errors() {
    let error = Seed::from_parameters(&[0.0; 1280]).unwrap_err();
    assert_eq!(error, ShapeError::new("parameters", 1281, 1280));
    assert_eq!(error.to_string(), "expected 1281 parameters, found 1280");
    assert!(Seed::from_parameters(&[0.0; 1282]).is_err());

    let net: Seed = net(1);
    let mut y = [0.0; 1];
    let error = net.forward_into(&[0.0; 51], &mut y).unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input values, found 51");
    let error = net.forward_into(&[0.0; 52], &mut [0.0; 2]).unwrap_err();
    assert_eq!(error.to_string(), "expected 1 output values, found 2");
    let error = net.jacobian_into(&[0.0; 52], &mut [0.0; 51]).unwrap_err();
    assert_eq!(error.to_string(), "expected 52 jacobian entries, found 51");
    let (mut y, mut jacobian) = ([0.0; 2], [0.0; 53]);
    let error = |x: &[f64], y: &mut [f64], j: &mut [f64]| {
        let error = net.forward_and_jacobian_into(x, y, j).unwrap_err();
        error.to_string()
    };
    assert_eq!(
        error(&[0.0; 51], &mut y[..1], &mut jacobian[..52]),
        "expected 52 input values, found 51"
    );
    assert_eq!(
        error(&[0.0; 52], &mut y, &mut jacobian[..52]),
        "expected 1 output values, found 2"
    );
    assert_eq!(
        error(&[0.0; 52], &mut y[..1], &mut jacobian),
        "expected 52 jacobian entries, found 53"
    );
    let error = net
        .hessian_into(&[0.0; 52], &mut [0.0; 51 * 52])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected 2704 hessian entries, found 2652"
    );
    let error = net
        .value_gradient_laplacian_into(&[0.0; 52], &mut [0.0; 53])
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 52 gradient entries, found 53");
    let error = net
        .value_gradient_laplacian_into(&[0.0; 50], &mut [0.0; 52])
        .unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input values, found 50");
}

#[test]
fn zeros_and_default() {
    let net = Seed::default();
    assert_eq!(net.parameters(), vec![0.0; Seed::PARAMETERS]);
    assert_eq!(net.value(&[1.0; 52]), 0.0);
    const ZERO: Seed = Seed::zeros();
    assert_eq!(ZERO.b1, [0.0; 20]);
}

#[test]
fn the_formula_is_the_chain_of_sums() {
    let latex = Seed::GRADIENT_LATEX;
    let gradient = latex.lines().nth(1).unwrap();
    assert_eq!(
        gradient,
        r"\frac{\partial y}{\partial x_{k}} &= \sum_{i=1}^{10} W^{3}_{1,i} \, f'\left(z^{2}_{i}\right) \, \sum_{j=1}^{20} W^{2}_{i,j} \, f'\left(z^{1}_{j}\right) \, W^{1}_{j,k} \\"
    );
    assert!(latex.contains(r"f &= \tanh"));
}

/// A library built on `mlp` that hands it on (`pub use mlp;`): its users name the crate
/// through it, and so does the generated code, given `crate = …`.
mod my_lib {
    pub use ::mlp;
}

#[mlp::mlp(5, 2, input = 3, activation = silu, crate = my_lib::mlp)]
struct Through;

#[mlp::mlp(5, 2, input = 3, activation = silu)]
struct Direct;

#[test]
fn the_crate_path_reaches_the_same_runtime() {
    let flat = parameters::<Direct>(11);
    let (through, direct) = (
        Through::from_parameters(&flat).unwrap(),
        Direct::from_parameters(&flat).unwrap(),
    );
    let x = [0.3, -1.2, 0.7];
    let (y, j) = through.forward_and_jacobian(&x);
    let (want_y, want_j) = direct.forward_and_jacobian(&x);
    assert_eq!(bits(&y), bits(&want_y));
    assert_eq!(bits(j.as_flattened()), bits(want_j.as_flattened()));
    let mut from_trait = [0.0; 6];
    Network::jacobian_into(&through, &x, &mut from_trait).unwrap();
    assert_eq!(bits(&from_trait), bits(j.as_flattened()));
    assert_eq!(
        Through::from_parameters(&flat[1..]).err(),
        Some(ShapeError::new(
            "parameters",
            Direct::PARAMETERS,
            Direct::PARAMETERS - 1
        )),
    );
}
