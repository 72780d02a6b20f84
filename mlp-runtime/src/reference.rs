//! An independent, dynamic MLP on `ndarray`: weights as `Array2`, any widths and activations.
//!
//! It shares nothing with the code `#[mlp]` generates but the activations: the forward pass
//! is a chain of matrix-vector products, the Jacobian is accumulated forward as matrix
//! products `J ← diag(f'(z)) W J`, and the Hessian is assembled from the layers' curvature,
//! `H = Σ_l J_lᵀ diag(ā_l ⊙ f_l''(z_l)) J_l` (with `J_l = ∂z_l/∂x` and `ā_l = ∂y/∂a_l`),
//! where the generated code runs summed-index reverse and tangent sweeps. That makes it the
//! oracle of the tests and the baseline of the benchmarks.

use alloc::vec::Vec;

use ndarray::{Array1, Array2, ArrayView1, Axis, LinalgScalar};

use crate::{Activation, Scalar, ShapeError};

/// An activation as plain function pointers, chosen at run time.
#[derive(Clone, Copy)]
pub struct ActivationFn<T> {
    name: &'static str,
    value: fn(T) -> T,
    derivative: fn(T) -> T,
    second_derivative: fn(T) -> T,
}

impl<T: Scalar> ActivationFn<T> {
    /// The activation `A`.
    #[must_use]
    pub fn of<A: Activation<T>>() -> Self {
        let path = core::any::type_name::<A>();
        Self {
            name: path.rsplit("::").next().unwrap_or(path),
            value: A::value,
            derivative: A::derivative,
            second_derivative: A::second_derivative,
        }
    }

    /// The activation's type name, without its path.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `f(x)`.
    #[must_use]
    pub fn value(&self, x: T) -> T {
        (self.value)(x)
    }

    /// `f'(x)`.
    #[must_use]
    pub fn derivative(&self, x: T) -> T {
        (self.derivative)(x)
    }

    /// `f''(x)`.
    #[must_use]
    pub fn second_derivative(&self, x: T) -> T {
        (self.second_derivative)(x)
    }
}

impl<T> core::fmt::Debug for ActivationFn<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

/// One layer: `a = f(W x + b)`.
#[derive(Clone, Debug)]
pub struct Dense<T> {
    weight: Array2<T>,
    bias: Array1<T>,
    activation: ActivationFn<T>,
}

impl<T: Scalar> Dense<T> {
    /// A layer with `weight` of shape `(out, in)` (as PyTorch's `Linear.weight`) and `bias`
    /// of length `out`.
    ///
    /// # Errors
    /// A [`ShapeError`] if the bias length is not the weight's row count.
    pub fn new(
        weight: Array2<T>,
        bias: Array1<T>,
        activation: ActivationFn<T>,
    ) -> Result<Self, ShapeError> {
        if bias.len() != weight.nrows() {
            return Err(ShapeError::new("bias values", weight.nrows(), bias.len()));
        }
        Ok(Self {
            weight,
            bias,
            activation,
        })
    }

    /// The weight, `(out, in)`.
    #[must_use]
    pub fn weight(&self) -> &Array2<T> {
        &self.weight
    }

    /// The bias, `(out,)`.
    #[must_use]
    pub fn bias(&self) -> &Array1<T> {
        &self.bias
    }

    /// The activation.
    #[must_use]
    pub fn activation(&self) -> ActivationFn<T> {
        self.activation
    }
}

/// A multilayer perceptron of any shape, evaluated with `ndarray`.
#[derive(Clone, Debug)]
pub struct Reference<T> {
    input: usize,
    layers: Vec<Dense<T>>,
}

impl<T: Scalar + LinalgScalar> Reference<T> {
    /// A network of `input` inputs and the given layers, first to last.
    ///
    /// # Errors
    /// A [`ShapeError`] if a layer's weight does not have as many columns as the layer before
    /// has outputs (or as there are inputs, for the first).
    pub fn new(input: usize, layers: Vec<Dense<T>>) -> Result<Self, ShapeError> {
        let mut width = input;
        for layer in &layers {
            if layer.weight.ncols() != width {
                return Err(ShapeError::new(
                    "weight columns",
                    width,
                    layer.weight.ncols(),
                ));
            }
            width = layer.weight.nrows();
        }
        Ok(Self { input, layers })
    }

    /// A network of `input` inputs and layers of the given `(width, activation)`, with
    /// parameters in PyTorch's `parameters()` order: `W1` row-major, `b1`, `W2`, `b2`, ….
    ///
    /// # Errors
    /// A [`ShapeError`] if `parameters` does not hold exactly as many values as the layers
    /// need.
    pub fn from_parameters(
        input: usize,
        layers: &[(usize, ActivationFn<T>)],
        parameters: &[T],
    ) -> Result<Self, ShapeError> {
        let mut needed = 0;
        let mut width = input;
        for &(out, _) in layers {
            needed += out * width + out;
            width = out;
        }
        if parameters.len() != needed {
            return Err(ShapeError::new("parameters", needed, parameters.len()));
        }
        let mut rest = parameters;
        let mut width = input;
        let mut dense = Vec::with_capacity(layers.len());
        for &(out, activation) in layers {
            let (w, tail) = rest.split_at(out * width);
            let (b, tail) = tail.split_at(out);
            rest = tail;
            let weight = Array2::from_shape_vec((out, width), w.to_vec())
                .map_err(|_| ShapeError::new("weight values", out * width, w.len()))?;
            dense.push(Dense::new(weight, Array1::from(b.to_vec()), activation)?);
            width = out;
        }
        Self::new(input, dense)
    }

    /// Width of the input.
    #[must_use]
    pub fn input(&self) -> usize {
        self.input
    }

    /// Width of the output.
    #[must_use]
    pub fn output(&self) -> usize {
        self.layers.last().map_or(self.input, |l| l.weight.nrows())
    }

    /// The layers, first to last.
    #[must_use]
    pub fn layers(&self) -> &[Dense<T>] {
        &self.layers
    }

    fn check_input(&self, x: &ArrayView1<'_, T>) -> Result<(), ShapeError> {
        if x.len() == self.input {
            Ok(())
        } else {
            Err(ShapeError::new("input values", self.input, x.len()))
        }
    }

    /// The output at `x`.
    ///
    /// # Errors
    /// A [`ShapeError`] if `x` does not have the input width.
    pub fn forward(&self, x: ArrayView1<'_, T>) -> Result<Array1<T>, ShapeError> {
        self.check_input(&x)?;
        let mut a = x.to_owned();
        for layer in &self.layers {
            let z = layer.weight.dot(&a) + &layer.bias;
            a = z.mapv(|v| layer.activation.value(v));
        }
        Ok(a)
    }

    /// The Jacobian `∂y_o/∂x_k` at `x`, of shape `(output, input)`.
    ///
    /// # Errors
    /// A [`ShapeError`] if `x` does not have the input width.
    pub fn jacobian(&self, x: ArrayView1<'_, T>) -> Result<Array2<T>, ShapeError> {
        self.check_input(&x)?;
        let mut a = x.to_owned();
        let mut jacobian = Array2::eye(self.input);
        for layer in &self.layers {
            let z = layer.weight.dot(&a) + &layer.bias;
            let slope = z.mapv(|v| layer.activation.derivative(v));
            jacobian = layer.weight.dot(&jacobian) * &slope.insert_axis(Axis(1));
            a = z.mapv(|v| layer.activation.value(v));
        }
        Ok(jacobian)
    }

    /// The Hessian `∂²y/∂x_k∂x_l` at `x` of a network with one output, of shape
    /// `(input, input)`.
    ///
    /// # Errors
    /// A [`ShapeError`] if `x` does not have the input width or the network has more than
    /// one output.
    pub fn hessian(&self, x: ArrayView1<'_, T>) -> Result<Array2<T>, ShapeError> {
        self.check_input(&x)?;
        if self.output() != 1 {
            return Err(ShapeError::new("outputs", 1, self.output()));
        }
        // Forward: each layer's pre-activation `z_l` and its Jacobian `J_l = ∂z_l/∂x`.
        let mut a = x.to_owned();
        let mut da_dx = Array2::eye(self.input);
        let mut layers = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            let z = layer.weight.dot(&a) + &layer.bias;
            let dz_dx = layer.weight.dot(&da_dx);
            let slope = z.mapv(|v| layer.activation.derivative(v));
            da_dx = &dz_dx * &slope.insert_axis(Axis(1));
            a = z.mapv(|v| layer.activation.value(v));
            layers.push((z, dz_dx));
        }
        // Backward: `ā_l = ∂y/∂a_l`, and each layer's curvature term.
        let mut hessian = Array2::zeros((self.input, self.input));
        let mut a_bar = Array1::ones(1);
        for (layer, (z, dz_dx)) in self.layers.iter().zip(&layers).rev() {
            let curvature = &a_bar * &z.mapv(|v| layer.activation.second_derivative(v));
            let weighted = dz_dx * &curvature.view().insert_axis(Axis(1));
            hessian = hessian + dz_dx.t().dot(&weighted);
            let z_bar = &a_bar * &z.mapv(|v| layer.activation.derivative(v));
            a_bar = layer.weight.t().dot(&z_bar);
        }
        Ok(hessian)
    }

    /// The gradient `∂y/∂x_k` at `x` of a network with one output.
    ///
    /// # Errors
    /// A [`ShapeError`] if `x` does not have the input width or the network has more than
    /// one output.
    pub fn gradient(&self, x: ArrayView1<'_, T>) -> Result<Array1<T>, ShapeError> {
        if self.output() != 1 {
            return Err(ShapeError::new("outputs", 1, self.output()));
        }
        Ok(self.jacobian(x)?.row(0).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{Array1, Array2, array};

    use super::{ActivationFn, Dense, Reference};
    use crate::{Identity, ShapeError, Tanh};

    /// `y = w2 · tanh(W1 x + b1) + b2`, differentiated by hand.
    #[test]
    fn one_hidden_layer_by_hand() {
        let w1 = array![[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]];
        let b1 = array![0.1, -0.2, 0.3];
        let w2 = array![[1.0, -2.0, 0.5]];
        let b2 = array![0.7];
        let net = Reference::new(
            2,
            vec![
                Dense::new(w1.clone(), b1.clone(), ActivationFn::of::<Tanh>()).unwrap(),
                Dense::new(w2.clone(), b2.clone(), ActivationFn::of::<Identity>()).unwrap(),
            ],
        )
        .unwrap();
        let x = array![0.3, -0.8];
        let a = (w1.dot(&x) + &b1).mapv(f64::tanh);
        let y = w2.row(0).dot(&a) + b2[0];
        // ∂y/∂x_k = Σ_j w2_j (1 - a_j²) W1_jk
        let g: Array1<f64> = (0..2)
            .map(|k| {
                (0..3)
                    .map(|j| w2[[0, j]] * (1.0 - a[j] * a[j]) * w1[[j, k]])
                    .sum()
            })
            .collect();
        assert!((net.forward(x.view()).unwrap()[0] - y).abs() < 1e-15);
        let got = net.gradient(x.view()).unwrap();
        assert!((&got - &g).iter().all(|d| d.abs() < 1e-15), "{got} vs {g}");
        // ∂²y/∂x_k∂x_l = Σ_j w2_j tanh''(z_j) W1_jk W1_jl, tanh'' = -2 a (1 - a²)
        let h = net.hessian(x.view()).unwrap();
        for k in 0..2 {
            for l in 0..2 {
                let want: f64 = (0..3)
                    .map(|j| {
                        let curvature = -2.0 * a[j] * (1.0 - a[j] * a[j]);
                        w2[[0, j]] * curvature * w1[[j, k]] * w1[[j, l]]
                    })
                    .sum();
                assert!(
                    (h[[k, l]] - want).abs() < 1e-15,
                    "H[{k},{l}] = {}, want {want}",
                    h[[k, l]]
                );
            }
        }
    }

    #[test]
    fn shapes_are_checked() {
        let tanh = ActivationFn::<f64>::of::<Tanh>();
        assert_eq!(tanh.name(), "Tanh");
        let bad_bias = Dense::new(Array2::zeros((3, 2)), Array1::zeros(2), tanh);
        assert_eq!(bad_bias.unwrap_err(), ShapeError::new("bias values", 3, 2));
        let layer = Dense::new(Array2::zeros((3, 2)), Array1::zeros(3), tanh).unwrap();
        let chained = Reference::new(4, vec![layer]);
        assert_eq!(
            chained.unwrap_err(),
            ShapeError::new("weight columns", 4, 2)
        );
        let flat = Reference::from_parameters(2, &[(3, tanh), (1, tanh)], &[0.0; 12]);
        assert_eq!(flat.unwrap_err(), ShapeError::new("parameters", 13, 12));
        let net = Reference::from_parameters(2, &[(3, tanh), (2, tanh)], &[0.0; 17]).unwrap();
        let x = Array1::zeros(5);
        assert_eq!(
            net.forward(x.view()).unwrap_err(),
            ShapeError::new("input values", 2, 5)
        );
        let x = Array1::zeros(2);
        assert_eq!(
            net.gradient(x.view()).unwrap_err(),
            ShapeError::new("outputs", 1, 2)
        );
    }
}
