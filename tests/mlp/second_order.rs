//! Directional and second-order derivatives: the Hessian against the ndarray reference's
//! independent derivation and against central differences of the gradient; its symmetry;
//! the Hessian-vector product and the Laplacian against the Hessian; `jvp` and `vjp`
//! against the Jacobian.

use mlp::reference::ActivationFn;
use mlp::{
    Elu, Gelu, Identity, LeakyRelu, Network, Relu, Scalar, ScalarNetwork, Sigmoid, Silu, Sin,
    Softplus, Tanh,
};

use crate::common::{bits, flat, input, net, reference, relative_error, seeds, to_f64, view};
use crate::nets::custom::{Cube, Softsign};
use crate::nets::*;

/// Tolerances: against the reference, against central differences of the gradient, and
/// between two of the net's own derivatives computed by different sweeps.
struct Tolerance {
    reference: f64,
    differences: f64,
    step: f64,
    consistency: f64,
}

const F64: Tolerance = Tolerance {
    reference: 1e-10,
    differences: 1e-7,
    step: 1e-5,
    consistency: 1e-12,
};
const F32: Tolerance = Tolerance {
    reference: 1e-4,
    differences: 2e-2,
    step: 1e-2,
    consistency: 1e-5,
};

fn tolerance<T: Scalar>() -> Tolerance {
    if T::NAME == "f32" { F32 } else { F64 }
}

fn act<A: mlp::Activation<f64>>() -> ActivationFn<f64> {
    ActivationFn::of::<A>()
}

/// The Hessian, Hessian-vector product and Laplacian of a one-output net.
fn check_second<N: ScalarNetwork>(acts: &[ActivationFn<f64>]) {
    let tol = tolerance::<N::Scalar>();
    let n = N::INPUT;
    for seed in seeds(3) {
        let net: N = net(seed);
        let x: Vec<N::Scalar> = input(n, seed);
        let x64: Vec<f64> = x.iter().map(|v| to_f64(*v)).collect();
        let mut hessian = vec![N::Scalar::default(); n * n];
        net.hessian_into(&x, &mut hessian).unwrap();

        let want = flat(&reference(&net, acts).hessian(view(&x64)).unwrap());
        let error = relative_error(&hessian, &want);
        assert!(
            error <= tol.reference,
            "hessian off the reference by {error:e}"
        );

        for k in 0..n {
            for l in 0..k {
                assert_eq!(
                    bits(&[hessian[k * n + l]]),
                    bits(&[hessian[l * n + k]]),
                    "H[{k},{l}] ≠ H[{l},{k}]"
                );
            }
        }

        let want = gradient_differences(&net, &x, tol.step);
        let error = relative_error(&hessian, &want);
        assert!(
            error <= tol.differences,
            "hessian off differences of the gradient by {error:e}"
        );

        let v: Vec<N::Scalar> = input(n, seed + 100);
        let mut hv = vec![N::Scalar::default(); n];
        net.hvp_into(&x, &v, &mut hv).unwrap();
        let want: Vec<f64> = (0..n)
            .map(|k| {
                (0..n)
                    .map(|l| to_f64(hessian[k * n + l]) * to_f64(v[l]))
                    .sum()
            })
            .collect();
        let error = relative_error(&hv, &want);
        assert!(error <= tol.consistency, "hvp off H·v by {error:e}");

        let laplacian = net.laplacian_at(&x).unwrap();
        let trace: f64 = (0..n).map(|k| to_f64(hessian[k * n + k])).sum();
        let scale: f64 = (0..n).map(|k| to_f64(hessian[k * n + k]).abs()).sum();
        let error = (to_f64(laplacian) - trace).abs() / scale.max(f64::MIN_POSITIVE);
        assert!(
            error <= tol.consistency,
            "laplacian {laplacian:e} off the trace {trace:e} by {error:e}"
        );
    }
}

/// The Hessian by central differences of the net's own gradient, row-major.
fn gradient_differences<N: ScalarNetwork>(net: &N, x: &[N::Scalar], h: f64) -> Vec<f64> {
    let n = N::INPUT;
    let mut out = vec![0.0; n * n];
    let (mut plus, mut minus) = (vec![N::Scalar::default(); n], vec![N::Scalar::default(); n]);
    for l in 0..n {
        let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
        xp[l] = xp[l] + N::Scalar::from_f64(h);
        xm[l] = xm[l] - N::Scalar::from_f64(h);
        let taken = to_f64(xp[l]) - to_f64(xm[l]);
        net.gradient_into(&xp, &mut plus).unwrap();
        net.gradient_into(&xm, &mut minus).unwrap();
        for k in 0..n {
            out[k * n + l] = (to_f64(plus[k]) - to_f64(minus[k])) / taken;
        }
    }
    out
}

/// `jvp` and `vjp` of any net against its Jacobian.
fn check_directional<N: Network>() {
    let tol = tolerance::<N::Scalar>();
    let (n, m) = (N::INPUT, N::OUTPUT);
    for seed in seeds(3) {
        let net: N = net(seed);
        let x: Vec<N::Scalar> = input(n, seed);
        let mut jacobian = vec![N::Scalar::default(); m * n];
        net.jacobian_into(&x, &mut jacobian).unwrap();
        let j = |o: usize, k: usize| to_f64(jacobian[o * n + k]);

        let v: Vec<N::Scalar> = input(n, seed + 200);
        let mut jv = vec![N::Scalar::default(); m];
        net.jvp_into(&x, &v, &mut jv).unwrap();
        let want: Vec<f64> = (0..m)
            .map(|o| (0..n).map(|k| j(o, k) * to_f64(v[k])).sum())
            .collect();
        let error = relative_error(&jv, &want);
        assert!(error <= tol.consistency, "jvp off J·v by {error:e}");

        let u: Vec<N::Scalar> = input(m, seed + 300);
        let mut uj = vec![N::Scalar::default(); n];
        net.vjp_into(&x, &u, &mut uj).unwrap();
        let want: Vec<f64> = (0..n)
            .map(|k| (0..m).map(|o| to_f64(u[o]) * j(o, k)).sum())
            .collect();
        let error = relative_error(&uj, &want);
        assert!(error <= tol.consistency, "vjp off uᵀ·J by {error:e}");
    }
}

/// `value_gradient_hessian` is `value`, `gradient` and `hessian` at once, to the bit;
/// `value_gradient_laplacian` is `value` to the bit, its Laplacian the Hessian's trace
/// within rounding, and on x86-64 (dot products in vector registers) `laplacian` to the bit
/// and its gradient (read off the first tangents) within rounding of `gradient`'s;
/// elsewhere (the reverse sweep, each unit's curvature) its gradient
/// `value_gradient_hessian`'s to the bit; and `hessian_to` and `value_gradient_hessian_to`
/// write every entry of `hessian`'s over whatever their array held.
///
/// `check_together!(net, rounded)`: `value_gradient_hessian`'s gradient within rounding of
/// `gradient`'s, not to the bit (its Hessian still `hessian`'s). A one-input network's
/// `gradient` sums `W1[j,0]·δ1[j]` with `δ1 = s1 ⊙ W2ᵀδ2` rounded first, where
/// `value_gradient_hessian` keeps `ā1 = W2ᵀδ2` for its Hessian too and sums
/// `W1[j,0]·s1[j]·ā1[j]`: the same factors, grouped otherwise.
macro_rules! check_together {
    ($net:ty) => {
        check_together!($net, exact)
    };
    ($net:ty, $together:ident) => {{
        let net: $net = net(5);
        let x = input(<$net as Network>::INPUT, 5).try_into().unwrap();
        let (value, gradient, hessian) = net.value_gradient_hessian(&x);
        assert_eq!(bits(&[value]), bits(&[net.value(&x)]));
        let (single, alone) = (net.gradient(&x), net.hessian(&x));
        let (y, g, laplacian) = net.value_gradient_laplacian(&x);
        let tol = tolerance::<<$net as Network>::Scalar>().consistency;
        let single64: Vec<f64> = single.iter().map(|v| to_f64(*v)).collect();
        assert_eq!(bits(hessian.as_flattened()), bits(alone.as_flattened()));
        if stringify!($together) == "exact" {
            assert_eq!(bits(&gradient), bits(&single));
        } else {
            let error = relative_error(&gradient, &single64);
            assert!(error <= tol, "gradient off `gradient`'s by {error:e}");
        }
        assert_eq!(bits(&[y]), bits(&[value]));
        if cfg!(all(
            target_arch = "x86_64",
            any(target_feature = "avx", not(target_feature = "fma"))
        )) {
            assert_eq!(bits(&[laplacian]), bits(&[net.laplacian(&x)]));
            let error = relative_error(&g, &single64);
            assert!(
                error <= tol,
                "value_gradient_laplacian's gradient off `gradient`'s by {error:e}"
            );
        } else {
            assert_eq!(bits(&g), bits(&gradient));
        }
        let diagonal = || (0..x.len()).map(|k| to_f64(hessian[k][k]));
        let (trace, scale) = (
            diagonal().sum::<f64>(),
            diagonal().map(f64::abs).sum::<f64>(),
        );
        let error = (to_f64(laplacian) - trace).abs() / scale.max(f64::MIN_POSITIVE);
        assert!(
            error <= tol,
            "value_gradient_laplacian's Laplacian off the trace by {error:e}"
        );
        let nans = || hessian.map(|row| row.map(|_| Scalar::from_f64(f64::NAN)));
        let mut written = nans();
        net.hessian_to(&x, &mut written);
        assert_eq!(bits(written.as_flattened()), bits(alone.as_flattened()));
        let mut written = nans();
        let rest = net.value_gradient_hessian_to(&x, &mut written);
        assert_eq!(bits(&[rest.0]), bits(&[value]));
        assert_eq!(bits(&rest.1), bits(&gradient));
        assert_eq!(bits(written.as_flattened()), bits(hessian.as_flattened()));
    }};
}

#[test]
fn seed() {
    check_second::<Seed>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_second::<SeedLoops>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_second::<SeedApart>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_directional::<Seed>();
    check_directional::<SeedApart>();
    check_together!(Seed);
    check_together!(SeedLoops);
    check_together!(SeedApart);
}

#[test]
fn wide() {
    check_second::<Wide>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_together!(Wide);
}

#[test]
fn zero_curvature_layers() {
    check_second::<Deep1>(&[
        act::<Relu>(),
        act::<LeakyRelu>(),
        act::<Elu>(),
        act::<Gelu>(),
        act::<Identity>(),
    ]);
    check_together!(Deep1);
}

#[test]
fn smooth_and_nonlinear_output() {
    check_second::<Smooth1>(&[act::<Sin>(), act::<Silu>(), act::<Softplus>()]);
    check_second::<OneHidden>(&[act::<Sigmoid>(), act::<Identity>()]);
    check_second::<LinearHidden>(&[act::<Identity>(), act::<Softplus>()]);
    check_second::<Neuron>(&[act::<Tanh>()]);
    check_together!(Smooth1);
    check_together!(Neuron);
}

#[test]
fn custom_activations() {
    check_second::<Custom1>(&[act::<Softsign>(), act::<Cube>()]);
    check_directional::<Custom>();
    check_together!(Custom1);
}

#[test]
fn single_precision() {
    check_second::<Scalar32>(&[act::<Softplus>(), act::<Silu>(), act::<Tanh>()]);
    check_directional::<Small32>();
    check_together!(Scalar32);
}

#[test]
fn generic_input() {
    check_second::<Generic<7>>(&[act::<Tanh>(), act::<Identity>()]);
    check_second::<GenericDeep<5>>(&[act::<Gelu>(), act::<Gelu>(), act::<Identity>()]);
    check_directional::<GenericMulti<4>>();
    check_together!(GenericDeep<5>);
}

#[test]
fn odd_widths() {
    check_second::<Odd>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_second::<Odd32>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_directional::<Odd>();
    check_directional::<OddMulti>();
    check_together!(Odd);
    check_together!(Odd32);
}

/// The Hessian by curvature (`Odd`, `Odd32` and `Wide` take it through the kernels'
/// triangles), written out element by element.
#[test]
fn curvature_unrolled() {
    check_second::<Curved>(&[act::<Softplus>(), act::<Silu>(), act::<Identity>()]);
    check_together!(Curved);
}

#[test]
fn few_inputs_and_deep() {
    let tanh = act::<Tanh>();
    check_second::<Pinn>(&[tanh, tanh, tanh, act::<Identity>()]);
    check_second::<Pinn2>(&[tanh, tanh, tanh, act::<Identity>()]);
    check_second::<Pinn32>(&[act::<Silu>(), act::<Silu>(), act::<Identity>()]);
    check_second::<Six>(&[act::<Softplus>(), act::<Softplus>(), act::<Identity>()]);
    check_directional::<Pinn>();
    check_directional::<Pinn2>();
    check_directional::<Six>();
    check_together!(Pinn);
    check_together!(Pinn2);
    check_together!(Pinn32);
    check_together!(Six);
}

#[test]
fn directional_derivatives_of_every_net() {
    check_directional::<Affine>();
    check_directional::<Tall>();
    check_directional::<Fan>();
    check_directional::<Deep>();
    check_directional::<Smooth>();
    check_directional::<Mixed>();
    check_directional::<Tiny>();
    // Held in scalars, every entry written out: the Hessian assigned whole.
    check_second::<Tiny>(&[act::<Tanh>(), act::<Identity>()]);
    check_together!(Tiny);
}

#[test]
fn one_input() {
    check_second::<OneInput>(&[act::<Tanh>(), act::<Tanh>(), act::<Identity>()]);
    check_directional::<OneInput>();
    check_directional::<Curve>();
    check_together!(OneInput, rounded);
}

#[test]
fn widths_of_one() {
    check_second::<Narrow>(&[act::<Tanh>(), act::<Identity>()]);
    check_directional::<Narrow>();
    check_directional::<Bottleneck>();
    check_together!(Narrow, exact);
}
