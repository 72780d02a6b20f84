//! Helpers: deterministic weights, the ndarray reference of a net, error measures.

use mlp::Network;
use mlp::ndarray::{Array1, Array2, ArrayView1};
use mlp::reference::{ActivationFn, Reference};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// The first `n` seeds of parameters and inputs; under Miri the first alone, each being a
/// whole evaluation interpreted (scripts/miri.sh).
pub fn seeds(n: u64) -> std::ops::Range<u64> {
    0..if cfg!(miri) { 1 } else { n }
}

/// Parameters drawn as PyTorch initializes `Linear`: U(-1/√fan_in, 1/√fan_in), from `seed`.
pub fn parameters<N: Network>(seed: u64) -> Vec<f64> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(N::PARAMETERS);
    let mut fan_in = N::INPUT;
    for &width in N::WIDTHS {
        let bound = 1.0 / (fan_in as f64).sqrt();
        for _ in 0..width * fan_in + width {
            out.push(rng.random_range(-bound..bound));
        }
        fan_in = width;
    }
    out
}

/// `N` with the parameters of [`parameters`].
pub fn net<N: Network>(seed: u64) -> N {
    let values: Vec<N::Scalar> = parameters::<N>(seed).into_iter().map(cast).collect();
    N::from_parameters(&values).expect("as many parameters as the net has")
}

/// Inputs in [-2, 2), from `seed`.
pub fn input<T: mlp::Scalar>(width: usize, seed: u64) -> Vec<T> {
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5eed);
    (0..width)
        .map(|_| cast(rng.random_range(-2.0..2.0)))
        .collect()
}

pub fn cast<T: mlp::Scalar>(v: f64) -> T {
    T::from_f64(v)
}

/// The reference of `net` in `f64`, with the activations the attribute names.
pub fn reference<N: Network>(net: &N, acts: &[ActivationFn<f64>]) -> Reference<f64> {
    assert_eq!(acts.len(), N::WIDTHS.len(), "one activation per layer");
    let layers: Vec<(usize, ActivationFn<f64>)> = N::WIDTHS
        .iter()
        .copied()
        .zip(acts.iter().copied())
        .collect();
    let values: Vec<f64> = net.parameters().iter().map(|v| to_f64(*v)).collect();
    Reference::from_parameters(N::INPUT, &layers, &values).expect("the net's shapes")
}

pub fn to_f64<T: mlp::Scalar>(v: T) -> f64 {
    v.to_f64().expect("a float converts to f64")
}

/// The bits of each value (of an array, a slice, an ndarray's view), in `f64`: results
/// compared this way differ if only a zero's sign does, which `==` would let pass.
pub fn bits<'a, T: mlp::Scalar>(values: impl IntoIterator<Item = &'a T>) -> Vec<u64> {
    values.into_iter().map(|v| to_f64(*v).to_bits()).collect()
}

/// `max |a - b| / max |b|`: the error relative to the size of the expected values.
pub fn relative_error<T: mlp::Scalar>(got: &[T], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let scale = want
        .iter()
        .fold(0.0_f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    got.iter()
        .zip(want)
        .map(|(g, w)| (to_f64(*g) - w).abs())
        .fold(0.0, f64::max)
        / scale
}

/// The Jacobian of `net` at `x` by central differences of its own forward pass, with step `h`.
pub fn finite_differences<N: Network>(net: &N, x: &[N::Scalar], h: f64) -> Array2<f64> {
    let mut jacobian = Array2::zeros((N::OUTPUT, N::INPUT));
    let mut y_plus = vec![N::Scalar::default(); N::OUTPUT];
    let mut y_minus = y_plus.clone();
    for k in 0..N::INPUT {
        let (mut plus, mut minus) = (x.to_vec(), x.to_vec());
        let step = cast::<N::Scalar>(h);
        plus[k] = plus[k] + step;
        minus[k] = minus[k] - step;
        // The step actually taken, which rounding may have changed.
        let taken = to_f64(plus[k]) - to_f64(minus[k]);
        net.forward_into(&plus, &mut y_plus).unwrap();
        net.forward_into(&minus, &mut y_minus).unwrap();
        for o in 0..N::OUTPUT {
            jacobian[[o, k]] = (to_f64(y_plus[o]) - to_f64(y_minus[o])) / taken;
        }
    }
    jacobian
}

pub fn view(x: &[f64]) -> ArrayView1<'_, f64> {
    ArrayView1::from(x)
}

pub fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

pub fn vec1(a: &Array1<f64>) -> Vec<f64> {
    a.to_vec()
}
