//! How close the generated code's `f64` results are to the reference's, against a bound
//! computed from the magnitudes of the terms.
//!
//! The generated code adds its sums in eight lanes and fuses multiply-adds where the target
//! has FMA; the reference adds in ndarray's order, unfused. Neither is the exact result, and
//! their last bits differ. What both satisfy is the classic forward-error bound of a sum of
//! `n` products, `|ŝ - s| ≤ γₙ Σ|terms|` with `γₙ = nu/(1 - nu)`, `u = 2⁻⁵³`, whatever the
//! order and whether or not each multiply-add rounds once. Carried through the layers, with
//! each activation's value within `KAPPA·u` relative and its derivative within `KAPPA·u`
//! absolute of the exact ones, at their computed arguments, this bounds each result's
//! distance to the exact one; the two implementations then lie within twice that of each
//! other. The bound is first order in `u` (products of two error terms, `O(u²)`, are
//! dropped), and far below `1e-12` of the results here, so the test is not vacuous.

use mlp::reference::{ActivationFn, Reference};
use mlp::{Identity, ScalarNetwork, Tanh};

use crate::common::{input, net, reference, view};
use crate::nets::{Seed, Wide};

/// The unit roundoff of `f64`.
const U: f64 = f64::EPSILON / 2.0;

/// How far, in units of `U`, a built-in activation's value (relative) and derivative
/// (absolute) may be from the exact ones: `tanh` is within 4 ulp of `libm`'s, itself within
/// one of the exact value, and an ulp is at most `2U` of a value; its derivative rounds a
/// few times more, absolute against a slope of at most 1 (`mlp-runtime/tests/activations`).
const KAPPA: f64 = 10.0;

fn gamma(n: usize) -> f64 {
    n as f64 * U / (1.0 - n as f64 * U)
}

/// For a one-output network: bounds on the error of the value and of each gradient entry.
fn error_bound(r: &Reference<f64>, x: &[f64]) -> (f64, Vec<f64>) {
    // Forward: each layer's activations and their errors; its slopes and theirs.
    let (mut a, mut ea) = (x.to_vec(), vec![0.0; x.len()]);
    let mut slopes = Vec::new();
    for layer in r.layers() {
        let (w, b, f) = (layer.weight(), layer.bias(), layer.activation());
        let (mut next, mut e_next, mut s, mut es) = (vec![], vec![], vec![], vec![]);
        for i in 0..w.nrows() {
            let terms = (0..a.len()).map(|j| w[[i, j]] * a[j]);
            let z = terms.clone().sum::<f64>() + b[i];
            let magnitude = terms.map(f64::abs).sum::<f64>() + b[i].abs();
            let propagated: f64 = (0..a.len()).map(|j| w[[i, j]].abs() * ea[j]).sum();
            let ez = gamma(a.len() + 1) * magnitude + propagated;
            let (value, slope) = (f.value(z), f.derivative(z));
            next.push(value);
            e_next.push(slope.abs() * ez + KAPPA * U * value.abs());
            s.push(slope);
            es.push(f.second_derivative(z).abs() * ez + KAPPA * U * (slope.abs() + 1.0));
        }
        slopes.push((s, es));
        (a, ea) = (next, e_next);
    }
    // Reverse: d = ∂y/∂z of each layer, from the output back; then the gradient.
    let (mut d, mut ed) = slopes.pop().expect("an output layer");
    for (layer, (s, es)) in r.layers().iter().rev().zip(slopes.into_iter().rev()) {
        let (g, eg) = transposed_product(layer.weight(), &d, &ed);
        d = s.iter().zip(&g).map(|(s, g)| s * g).collect();
        ed = (0..g.len())
            .map(|j| s[j].abs() * eg[j] + es[j] * g[j].abs() + U * d[j].abs())
            .collect();
    }
    let first = &r.layers()[0];
    let (_, e_gradient) = transposed_product(first.weight(), &d, &ed);
    (ea[0], e_gradient)
}

/// `Wᵀ·d` and the bound on its error, given that on `d`.
fn transposed_product(
    w: &mlp::ndarray::Array2<f64>,
    d: &[f64],
    ed: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    (0..w.ncols())
        .map(|j| {
            let terms = (0..d.len()).map(|i| w[[i, j]] * d[i]);
            let magnitude: f64 = terms.clone().map(f64::abs).sum();
            let propagated: f64 = (0..d.len()).map(|i| w[[i, j]].abs() * ed[i]).sum();
            (terms.sum::<f64>(), gamma(d.len()) * magnitude + propagated)
        })
        .unzip()
}

/// Checks `net`'s value and gradient against the reference at inputs of growing size, the
/// largest deep in tanh's saturation.
fn within_bound<N: ScalarNetwork<Scalar = f64>>(net: &N) {
    let tanh = ActivationFn::of::<Tanh>();
    let r = reference(net, &[tanh, tanh, ActivationFn::of::<Identity>()]);
    for (seed, scale) in [(1, 0.1), (2, 1.0), (3, 1.0), (4, 5.0), (5, 40.0)] {
        let x: Vec<f64> = input::<f64>(N::INPUT, seed)
            .iter()
            .map(|v| v * scale)
            .collect();
        let value = net.value_at(&x).unwrap();
        let mut gradient = vec![0.0; N::INPUT];
        net.gradient_into(&x, &mut gradient).unwrap();
        let want_value = r.forward(view(&x)).unwrap()[0];
        let want_gradient = r.gradient(view(&x)).unwrap();
        let (e_value, e_gradient) = error_bound(&r, &x);
        assert!(
            (value - want_value).abs() <= 2.0 * e_value,
            "y at inputs of size {scale}: {value:e} vs {want_value:e}, bound {e_value:e}"
        );
        let size = want_gradient.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
        for k in 0..N::INPUT {
            let (got, want, bound) = (gradient[k], want_gradient[k], 2.0 * e_gradient[k]);
            let difference = (got - want).abs();
            assert!(
                difference <= bound,
                "∂y/∂x[{k}] at inputs of size {scale}: {got:e} vs {want:e}, bound {bound:e}"
            );
            // The bound is a worst case over every order of every sum; the differences
            // seen are about a hundredth of it (so a tenth leaves room, and still catches
            // a term lost or an error that grows with the sums).
            assert!(
                difference <= 0.1 * bound,
                "∂y/∂x[{k}] at inputs of size {scale}: {got:e} vs {want:e} differ by more \
                 than a tenth of the bound {bound:e}"
            );
            // Not vacuous: the bound is a tiny fraction of the gradient's size.
            assert!(
                bound <= 1e-10 * size,
                "bound {bound:e} for a gradient of {size:e}"
            );
        }
    }
}

#[test]
fn seed_gradient_is_within_the_summation_bound_of_the_reference() {
    within_bound(&net::<Seed>(7));
}

#[test]
fn wide_gradient_is_within_the_summation_bound_of_the_reference() {
    within_bound(&net::<Wide>(8));
}
