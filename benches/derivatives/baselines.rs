//! The same job done by the usual means, for comparison: value and gradient (or Jacobian)
//! of `y = W3·tanh(W2·tanh(W1·x + b1) + b2) + b3`, in f64.
//!
//! - `Plain`: loops over `[[f64; IN]; OUT]` as one writes them by hand, `f64::tanh`;
//! - `Algebra`: nalgebra's statically sized matrices;
//! - `Dual`: num-dual's forward mode, one derivative slot per input.

// Index loops on purpose: the baseline is the code people write.
#![allow(clippy::needless_range_loop)]

use nalgebra::{SMatrix, SVector};
use num_dual::{DualNum, DualSVec64, gradient, jacobian};

/// A two-hidden-layer tanh network's parameters, as plain arrays.
pub struct Plain<const I: usize, const H1: usize, const H2: usize, const O: usize = 1> {
    pub w1: [[f64; I]; H1],
    pub b1: [f64; H1],
    pub w2: [[f64; H1]; H2],
    pub b2: [f64; H2],
    pub w3: [[f64; H2]; O],
    pub b3: [f64; O],
}

impl<const I: usize, const H1: usize, const H2: usize, const O: usize> Plain<I, H1, H2, O> {
    /// From PyTorch-ordered parameters.
    pub fn new(p: &[f64]) -> Box<Self> {
        let mut it = p.iter().copied();
        let mut next = || it.next().unwrap();
        Box::new(Self {
            w1: std::array::from_fn(|_| std::array::from_fn(|_| next())),
            b1: std::array::from_fn(|_| next()),
            w2: std::array::from_fn(|_| std::array::from_fn(|_| next())),
            b2: std::array::from_fn(|_| next()),
            w3: std::array::from_fn(|_| std::array::from_fn(|_| next())),
            b3: std::array::from_fn(|_| next()),
        })
    }

    /// The hidden activations.
    fn hidden(&self, x: &[f64; I]) -> ([f64; H1], [f64; H2]) {
        let mut a1 = [0.0; H1];
        for j in 0..H1 {
            let mut z = self.b1[j];
            for k in 0..I {
                z += self.w1[j][k] * x[k];
            }
            a1[j] = z.tanh();
        }
        let mut a2 = [0.0; H2];
        for i in 0..H2 {
            let mut z = self.b2[i];
            for j in 0..H1 {
                z += self.w2[i][j] * a1[j];
            }
            a2[i] = z.tanh();
        }
        (a1, a2)
    }

    /// `∂y/∂x` given the row `w` of the last layer, by a reverse sweep.
    fn reverse(&self, a1: &[f64; H1], a2: &[f64; H2], w: &[f64; H2]) -> [f64; I] {
        let mut d2 = [0.0; H2];
        for i in 0..H2 {
            d2[i] = w[i] * (1.0 - a2[i] * a2[i]);
        }
        let mut d1 = [0.0; H1];
        for j in 0..H1 {
            let mut s = 0.0;
            for i in 0..H2 {
                s += self.w2[i][j] * d2[i];
            }
            d1[j] = s * (1.0 - a1[j] * a1[j]);
        }
        let mut g = [0.0; I];
        for k in 0..I {
            let mut s = 0.0;
            for j in 0..H1 {
                s += self.w1[j][k] * d1[j];
            }
            g[k] = s;
        }
        g
    }

    /// The Jacobian, one reverse sweep per output.
    pub fn jacobian(&self, x: &[f64; I]) -> [[f64; I]; O] {
        let (a1, a2) = self.hidden(x);
        self.w3.map(|w| self.reverse(&a1, &a2, &w))
    }
}

impl<const I: usize, const H1: usize, const H2: usize> Plain<I, H1, H2> {
    /// The value and gradient, by straightforward loops.
    pub fn value_and_gradient(&self, x: &[f64; I]) -> (f64, [f64; I]) {
        let (a1, a2) = self.hidden(x);
        let mut y = self.b3[0];
        for i in 0..H2 {
            y += self.w3[0][i] * a2[i];
        }
        (y, self.reverse(&a1, &a2, &self.w3[0]))
    }
}

/// The same network in nalgebra's static matrices.
pub struct Algebra<const I: usize, const H1: usize, const H2: usize, const O: usize = 1> {
    w1: SMatrix<f64, H1, I>,
    b1: SVector<f64, H1>,
    w2: SMatrix<f64, H2, H1>,
    b2: SVector<f64, H2>,
    w3: SMatrix<f64, O, H2>,
    b3: SVector<f64, O>,
}

impl<const I: usize, const H1: usize, const H2: usize, const O: usize> Algebra<I, H1, H2, O> {
    pub fn new(p: &Plain<I, H1, H2, O>) -> Box<Self> {
        Box::new(Self {
            w1: SMatrix::from_fn(|r, c| p.w1[r][c]),
            b1: SVector::from(p.b1),
            w2: SMatrix::from_fn(|r, c| p.w2[r][c]),
            b2: SVector::from(p.b2),
            w3: SMatrix::from_fn(|r, c| p.w3[r][c]),
            b3: SVector::from(p.b3),
        })
    }

    /// The Jacobian `W3·diag(f'(z2))·W2·diag(f'(z1))·W1`, by matrix products.
    pub fn jacobian(&self, x: &SVector<f64, I>) -> SMatrix<f64, O, I> {
        let a1 = (self.w1 * x + self.b1).map(f64::tanh);
        let a2 = (self.w2 * a1 + self.b2).map(f64::tanh);
        let mut j2 = self.w3;
        for (i, mut column) in j2.column_iter_mut().enumerate() {
            column *= 1.0 - a2[i] * a2[i];
        }
        let mut j1 = j2 * self.w2;
        for (j, mut column) in j1.column_iter_mut().enumerate() {
            column *= 1.0 - a1[j] * a1[j];
        }
        j1 * self.w1
    }
}

impl<const I: usize, const H1: usize, const H2: usize> Algebra<I, H1, H2> {
    /// The value and gradient, by matrix-vector products.
    pub fn value_and_gradient(&self, x: &SVector<f64, I>) -> (f64, SVector<f64, I>) {
        let a1 = (self.w1 * x + self.b1).map(f64::tanh);
        let a2 = (self.w2 * a1 + self.b2).map(f64::tanh);
        let w3 = self.w3.transpose();
        let y = w3.dot(&a2) + self.b3[0];
        let d2 = w3.component_mul(&a2.map(|a| 1.0 - a * a));
        let d1 = self.w2.tr_mul(&d2).component_mul(&a1.map(|a| 1.0 - a * a));
        (y, self.w1.tr_mul(&d1))
    }
}

/// The hidden layers in any number type `D` that num-dual differentiates.
fn dual_hidden<D, const I: usize, const H1: usize, const H2: usize, const O: usize>(
    p: &Plain<I, H1, H2, O>,
    x: &[D],
) -> Vec<D>
where
    D: DualNum<Primitive = f64> + Copy,
{
    let a1: Vec<D> = (0..H1)
        .map(|j| {
            (0..I)
                .fold(D::from(p.b1[j]), |s, k| s + x[k] * p.w1[j][k])
                .tanh()
        })
        .collect();
    (0..H2)
        .map(|i| {
            (0..H1)
                .fold(D::from(p.b2[i]), |s, j| s + a1[j] * p.w2[i][j])
                .tanh()
        })
        .collect()
}

/// num-dual's forward mode: every intermediate carries `I` derivatives.
pub fn dual_value_and_gradient<const I: usize, const H1: usize, const H2: usize>(
    p: &Plain<I, H1, H2>,
    x: &SVector<f64, I>,
) -> (f64, SVector<f64, I>) {
    gradient(
        |x: SVector<DualSVec64<I>, I>| {
            let a2 = dual_hidden(p, x.as_slice());
            (0..H2).fold(DualSVec64::from_re(p.b3[0]), |s, i| s + a2[i] * p.w3[0][i])
        },
        x,
    )
}

/// num-dual's forward mode for every output at once.
pub fn dual_jacobian<const I: usize, const H1: usize, const H2: usize, const O: usize>(
    p: &Plain<I, H1, H2, O>,
    x: &SVector<f64, I>,
) -> SMatrix<f64, O, I> {
    jacobian(
        |x: SVector<DualSVec64<I>, I>| {
            let a2 = dual_hidden(p, x.as_slice());
            SVector::<DualSVec64<I>, O>::from_fn(|o, _| {
                (0..H2).fold(DualSVec64::from_re(p.b3[o]), |s, i| s + a2[i] * p.w3[o][i])
            })
        },
        x,
    )
    .1
}
