//! The architectures under test: 0 to 4 hidden layers, every built-in activation, f32 and
//! f64, one and several outputs, generic input widths, custom activations, both lowerings,
//! widths that fill vectors and widths that do not.

use mlp::{Activation, Scalar, mlp};

/// The network of the question the project started from.
#[mlp(20, 10, 1, input = 52)]
#[derive(Clone, Debug)]
pub struct Seed;

/// The same, lowered to loops throughout.
#[mlp(20, 10, 1, input = 52, unroll = none)]
pub struct SeedLoops;

/// The same, every method's body compiled apart from its method (`inline = none`).
#[mlp(20, 10, 1, input = 52, inline = none)]
pub struct SeedApart;

/// The same, every body in its method (`inline = all`): [`Seed`] has its block kernels
/// and Hessians apart on every target, its Laplacians where the target lacks the vector
/// kernels.
#[mlp(20, 10, 1, input = 52, inline = all)]
pub struct SeedKept;

/// A wider one, where sums have 64 and 128 terms: a row of the Hessian's tangents (64 lanes
/// of 128 terms) is more than `axpys` holds in registers, so those go by `sums_rows`.
#[mlp(128, 128, 1, input = 64)]
pub struct Wide;

/// No hidden layer: an affine map with three outputs.
#[mlp(3, input = 4)]
pub struct Affine;

/// No hidden layer, one output through `tanh`: its second derivatives are the output
/// activation's alone.
#[mlp(1, input = 3, output = tanh)]
pub struct Neuron;

/// One hidden layer, one output.
#[mlp(5, 1, input = 3, activation = sigmoid)]
pub struct OneHidden;

/// Four hidden layers, each its own activation, two outputs.
#[mlp(6, 5, 4, 3, 2, input = 3, activation = [relu, leaky_relu, elu, silu])]
pub struct Deep;

/// Smooth activations and a non-linear output.
#[mlp(4, 4, 4, 2, input = 3, activation = [gelu, sin, softplus], output = sigmoid)]
pub struct Smooth;

/// A linear hidden layer and a softplus output.
#[mlp(9, 1, input = 4, activation = identity, output = softplus)]
pub struct LinearHidden;

/// f32, several outputs.
#[mlp(8, 3, input = 5, scalar = f32)]
pub struct Small32;

/// f32, one output, a tanh output layer.
#[mlp(7, 6, 1, input = 4, scalar = f32, activation = [softplus, silu], output = tanh)]
pub struct Scalar32;

/// Generic over its input width, one output.
#[mlp(6, 1)]
pub struct Generic;

/// Generic over a named input width, three outputs, looped, its bodies compiled apart.
#[mlp(5, 3, activation = sin, unroll = none, inline = none)]
pub struct GenericMulti<const D: usize>;

/// Custom activations, named by a path; the bodies of more than 40 operations compiled
/// apart, where the path is still the user's.
#[mlp(6, 2, input = 3, activation = custom::Softsign, output = custom::Cube, inline = 40)]
pub struct Custom;

/// A statement limit that unrolls some statements and loops others.
#[mlp(16, 16, 3, input = 24, activation = elu, unroll = 300)]
pub struct Mixed;

/// One output after four hidden layers, two of them with a zero second derivative.
#[mlp(6, 5, 4, 3, 1, input = 3, activation = [relu, leaky_relu, elu, gelu])]
pub struct Deep1;

/// One output, periodic and smooth layers, a softplus output.
#[mlp(5, 4, 1, input = 4, activation = [sin, silu], output = softplus)]
pub struct Smooth1;

/// One output, custom activations.
#[mlp(6, 1, input = 3, activation = custom::Softsign, output = custom::Cube)]
pub struct Custom1;

/// One output, generic over its input width, two gelu layers, looped, its bodies compiled
/// apart.
#[mlp(8, 6, 1, activation = gelu, unroll = none, inline = none)]
pub struct GenericDeep;

/// Widths that fill no vector evenly (45 = 5·8 + 5, 33 = 4·8 + 1, 17 = 2·8 + 1 lanes of
/// `f64`): every vector kernel's remainders, its last lanes, rows and groups of rows.
#[mlp(33, 17, 1, input = 45)]
pub struct Odd;

/// The same in `f32`, sixteen lanes to an AVX-512 vector (29 = 16 + 8 + 5, 37 = 2·16 + 5,
/// 23 = 16 + 7).
#[mlp(37, 23, 1, input = 29, scalar = f32)]
pub struct Odd32;

/// Odd widths and five outputs.
#[mlp(31, 13, 5, input = 19, activation = silu)]
pub struct OddMulti;

/// Fewer inputs than outputs, its Jacobian still by reverse sweeps (three inputs fill no
/// vector: `methods::jacobian`).
#[mlp(32, 32, 6, input = 3)]
pub struct Tall;

/// The same, its bodies compiled apart: the block kernel's two, one under each `cfg`.
#[mlp(32, 32, 6, input = 3, inline = none)]
pub struct TallApart;

/// The same, every body in its method ([`Tall`]'s block kernels are apart).
#[mlp(32, 32, 6, input = 3, inline = all)]
pub struct TallKept;

/// Two inputs and forty outputs: its Jacobian by tangent sweeps, one per input.
#[mlp(16, 40, input = 2, activation = silu)]
pub struct Fan;

/// Shaped like a physics-informed network: three inputs, three hidden layers. Its
/// tangents (`ż2[c,i]`, a row per input direction) are stored a direction to a row
/// (`passes::layout`), for the Hessian, the Laplacian and the Jacobian alike; its weights
/// (4,800) fill more than 32 KB, so its products by each matrix are brought together
/// (`passes::schedule`).
#[mlp(48, 48, 48, 1, input = 3)]
pub struct Pinn;

/// The same with two inputs and one output layer less wide: no odd direction, so the
/// Laplacian's `W2·Σä1` (a sum among `Σä2`'s terms) pairs with `W2·a1` alone.
#[mlp(48, 48, 40, 1, input = 2)]
pub struct Pinn2;

/// The same in `f32`, two inputs.
#[mlp(24, 24, 1, input = 2, scalar = f32, activation = silu)]
pub struct Pinn32;

/// Six inputs: an AVX vector and two lanes, short rows still.
#[mlp(33, 33, 1, input = 6, activation = softplus)]
pub struct Six;

/// Hidden layers wider than half the input: its Hessian by each unit's curvature, the
/// layers' shares summed onto one triangle (`methods::hessian`), here written out element
/// by element.
#[mlp(16, 12, 1, input = 8, activation = [softplus, silu], unroll = all)]
pub struct Curved;

/// Everything unrolled, the smallest net with a hidden layer.
#[mlp(3, 1, input = 2, unroll = all)]
pub struct Tiny;

/// One input: a function of a line (its Hessian and Laplacian the second derivative).
#[mlp(16, 16, 1, input = 1)]
pub struct OneInput;

/// One input, three outputs: a curve in space (its Jacobian a column, its tangent).
#[mlp(12, 3, input = 1, activation = silu)]
pub struct Curve;

/// Widths of one: every vector a single element, every sum of one term.
#[mlp(1, 1, input = 1)]
pub struct Narrow;

/// A bottleneck of one unit between two inputs and two outputs, loops throughout.
#[mlp(1, 2, input = 2, activation = silu, unroll = none)]
pub struct Bottleneck;

pub mod custom {
    use super::{Activation, Scalar};

    /// `x / (1 + |x|)`, for f64 only.
    pub struct Softsign;

    impl Activation<f64> for Softsign {
        fn value(x: f64) -> f64 {
            x / (1.0 + x.abs())
        }
        fn derivative(x: f64) -> f64 {
            (1.0 + x.abs()).powi(-2)
        }
        fn second_derivative(x: f64) -> f64 {
            -2.0 * x.signum() * (1.0 + x.abs()).powi(-3)
        }
    }

    /// `x³`, for every scalar.
    pub struct Cube;

    impl<T: Scalar> Activation<T> for Cube {
        fn value(x: T) -> T {
            x * x * x
        }
        fn derivative(x: T) -> T {
            T::from_f64(3.0) * x * x
        }
        fn second_derivative(x: T) -> T {
            T::from_f64(6.0) * x
        }
    }
}
