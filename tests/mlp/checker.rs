//! The derivative checker users run on their own nets and activations: it passes correct
//! derivatives and catches a wrong one.

use mlp::{
    Activation, Elu, Gelu, Identity, LeakyRelu, Relu, Scalar, Sigmoid, Silu, Sin, Softplus, Tanh,
    check_activation, check_gradient, check_jacobian, mlp,
};

use crate::common::{input, net};
use crate::nets::{Deep, Scalar32, Seed, Smooth};

/// `x³` with a slip in the derivative: `2x²` for `3x²`.
pub struct BrokenCube;

impl<T: Scalar> Activation<T> for BrokenCube {
    fn value(x: T) -> T {
        x * x * x
    }
    fn derivative(x: T) -> T {
        T::from_f64(2.0) * x * x
    }
    fn second_derivative(x: T) -> T {
        T::from_f64(6.0) * x
    }
}

#[mlp(5, 1, input = 4, activation = BrokenCube)]
pub struct Broken;

#[test]
fn passes_correct_networks() {
    for seed in 0..3 {
        let x: Vec<f64> = input(52, seed);
        let check = check_gradient(&net::<Seed>(seed), &x).unwrap();
        assert!(check.passes(1e-8), "{check}");
        let check = check_jacobian(&net::<Deep>(seed), &x[..3]).unwrap();
        assert!(check.passes(1e-8), "{check}");
        let check = check_jacobian(&net::<Smooth>(seed), &x[..3]).unwrap();
        assert!(check.passes(1e-8), "{check}");
        let x32: Vec<f32> = input(4, seed);
        let check = check_gradient(&net::<Scalar32>(seed), &x32).unwrap();
        assert!(check.passes(1e-2), "{check}");
    }
}

#[test]
fn catches_a_wrong_derivative() {
    let x: Vec<f64> = input(4, 0);
    let check = check_gradient(&net::<Broken>(0), &x).unwrap();
    assert!(!check.passes(1e-3), "the slip went unnoticed: {check}");
    let check = check_activation::<f64, BrokenCube>(&[-1.0, 0.5, 2.0]);
    assert!(!check.first.passes(1e-3), "{}", check.first);
    assert_eq!(check.first.worst, (2, 0));
    assert_eq!(
        (check.first.computed, check.first.estimated.round()),
        (8.0, 12.0)
    );
}

#[test]
fn wrong_lengths_are_errors() {
    let error = check_gradient(&net::<Seed>(0), &[0.0; 3]).unwrap_err();
    assert_eq!(error.to_string(), "expected 52 input values, found 3");
}

fn builtin<A: Activation<f64> + Activation<f32>>(points: &[f64]) {
    let check = check_activation::<f64, A>(points);
    assert!(check.first.passes(1e-8), "{}", check.first);
    assert!(check.second.passes(1e-8), "{}", check.second);
    let points: Vec<f32> = points.iter().map(|&p| p as f32).collect();
    let check = check_activation::<f32, A>(&points);
    assert!(check.first.passes(1e-2), "{}", check.first);
    assert!(check.second.passes(1e-2), "{}", check.second);
}

#[test]
fn passes_every_builtin_activation() {
    // Away from the kinks at 0 of relu, leaky_relu and elu.
    let points = [-6.5, -3.1, -1.2, -0.4, 0.3, 0.9, 2.2, 5.7];
    builtin::<Identity>(&points);
    builtin::<Tanh>(&points);
    builtin::<Sigmoid>(&points);
    builtin::<Relu>(&points);
    builtin::<LeakyRelu>(&points);
    builtin::<Softplus>(&points);
    builtin::<Elu>(&points);
    builtin::<Silu>(&points);
    builtin::<Gelu>(&points);
    builtin::<Sin>(&points);
}
