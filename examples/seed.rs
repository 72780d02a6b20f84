//! The network of the question this project started from: 52 inputs, hidden layers of 20
//! and 10 units (tanh), one linear output. Its exact gradient, checked against central
//! finite differences and against the independent ndarray reference, and its formula.
//!
//! ```text
//! cargo run --example seed
//! ```

use std::error::Error;

use mlp::ndarray::ArrayView1;
use mlp::reference::{ActivationFn, Reference};
use mlp::{Identity, Tanh, mlp};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// 52 descriptors in, one energy out.
#[mlp(20, 10, 1, input = 52)]
pub struct Seed;

fn main() -> Result<(), Box<dyn Error>> {
    // Weights as PyTorch initializes `nn.Linear`: U(-1/√fan_in, 1/√fan_in), fixed seed.
    let mut rng = SmallRng::seed_from_u64(2024);
    let mut parameters = Vec::with_capacity(Seed::PARAMETERS);
    let mut fan_in = Seed::INPUT;
    for width in Seed::WIDTHS {
        let bound = 1.0 / (fan_in as f64).sqrt();
        parameters.extend((0..width * fan_in + width).map(|_| rng.random_range(-bound..bound)));
        fan_in = width;
    }
    let net = Seed::from_parameters(&parameters)?;
    let x: [f64; 52] = std::array::from_fn(|_| rng.random_range(-1.0..1.0));

    let (value, gradient) = net.value_and_gradient(&x);
    println!("y(x) = {value:.15}\n");
    println!("∂y/∂x:");
    for (row, chunk) in gradient.chunks(4).enumerate() {
        let cells: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, g)| format!("[{:2}] {g:+.6e}", 4 * row + i))
            .collect();
        println!("  {}", cells.join("   "));
    }

    // Central differences: error O(h²) from truncation plus O(ε/h) from rounding.
    let h = 1e-5;
    let mut finite_differences = 0.0_f64;
    for k in 0..52 {
        let (mut plus, mut minus) = (x, x);
        plus[k] += h;
        minus[k] -= h;
        let estimate = (net.value(&plus) - net.value(&minus)) / (2.0 * h);
        finite_differences = finite_differences.max((estimate - gradient[k]).abs());
    }

    // The same network on ndarray, differentiated by matrix products.
    let (tanh, identity) = (ActivationFn::of::<Tanh>(), ActivationFn::of::<Identity>());
    let layers = [(20, tanh), (10, tanh), (1, identity)];
    let reference = Reference::from_parameters(52, &layers, &parameters)?;
    let want = reference.gradient(ArrayView1::from(&x))?;
    let reference_deviation = gradient
        .iter()
        .zip(&want)
        .fold(0.0_f64, |m, (g, w)| m.max((g - w).abs()));
    let norm = gradient.iter().fold(0.0_f64, |m, g| m.max(g.abs()));

    println!("\nlargest |∂y/∂x_k| is {norm:.3e}; largest deviation from");
    println!("  central differences (h = {h:e}): {finite_differences:.3e}");
    println!("  the ndarray reference:          {reference_deviation:.3e}");
    println!("\nthe formula, for this architecture (Seed::GRADIENT_LATEX):\n");
    println!("{}", Seed::GRADIENT_LATEX);
    Ok(())
}
