//! Minimizing a learned surrogate with Newton's method, matrix-free.
//!
//! The surrogate is a softplus network with positive output weights and its hidden units in
//! mirrored pairs, so a convex function of its 8 inputs that grows in every direction,
//! standing for an energy learned over 8 design variables. Each Newton step solves
//! `H(x)·p = -∇y(x)` by conjugate gradients driven by Hessian-vector products, then halves
//! the step until the energy decreases: the Hessian is never formed, yet the iterates
//! converge quadratically. At the minimum the full Hessian is formed once, to check it and
//! to compare its trace with the Laplacian (from `laplacian`, and from
//! `value_gradient_laplacian`, which sums it otherwise).
//!
//! ```text
//! cargo run --example newton
//! ```

use mlp::mlp;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// An energy surrogate over 8 design variables.
#[mlp(32, 1, input = 8, activation = softplus)]
pub struct Surrogate;

const N: usize = Surrogate::INPUT;

fn dot(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `H p = b` by conjugate gradients, with `H` seen only through `hvp`.
fn conjugate_gradients(hvp: impl Fn(&[f64; N]) -> [f64; N], b: &[f64; N]) -> [f64; N] {
    let mut p = [0.0; N];
    let mut r = *b;
    let mut d = r;
    let mut rr = dot(&r, &r);
    for _ in 0..N {
        if rr.sqrt() < 1e-15 {
            break;
        }
        let hd = hvp(&d);
        let alpha = rr / dot(&d, &hd);
        for k in 0..N {
            p[k] += alpha * d[k];
            r[k] -= alpha * hd[k];
        }
        let next = dot(&r, &r);
        for k in 0..N {
            d[k] = r[k] + next / rr * d[k];
        }
        rr = next;
    }
    p
}

fn main() {
    let mut rng = SmallRng::seed_from_u64(7);
    let mut net = Surrogate::zeros();
    // Units in pairs `softplus(w·x + b)`, `softplus(-w·x + b')`; positive output weights: a
    // sum of convex functions of affine maps, growing along every `w`.
    for pair in 0..16 {
        let w: [f64; N] = std::array::from_fn(|_| rng.random_range(-1.0..1.0));
        net.w1[2 * pair] = w;
        net.w1[2 * pair + 1] = w.map(|v| -v);
        net.b1[2 * pair] = rng.random_range(-1.0..1.0);
        net.b1[2 * pair + 1] = rng.random_range(-1.0..1.0);
    }
    net.w2[0]
        .iter_mut()
        .for_each(|w| *w = rng.random_range(0.1..1.0));

    let mut x = [1.5; N];
    println!("Newton-CG on the surrogate, Hessian-vector products only:\n");
    println!("step  y(x)                    |∇y(x)|");
    for step in 0..12 {
        let (y, g) = net.value_and_gradient(&x);
        let norm = dot(&g, &g).sqrt();
        println!("{step:>4}  {y:<22.16}  {norm:.3e}");
        if norm < 1e-12 {
            break;
        }
        let p = conjugate_gradients(|v| net.hvp(&x, v), &g.map(|gk| -gk));
        // Halve the step until the energy decreases (far from the minimum a full Newton
        // step can overshoot; near it, the full step is taken).
        let mut t = 1.0;
        let next = loop {
            let trial: [f64; N] = std::array::from_fn(|k| x[k] + t * p[k]);
            if net.value(&trial) <= y || t < 1e-8 {
                break trial;
            }
            t /= 2.0;
        };
        x = next;
    }

    let (y, g, h) = net.value_gradient_hessian(&x);
    let trace: f64 = (0..N).map(|k| h[k][k]).sum();
    let laplacian = net.laplacian(&x);
    // The value, gradient and Laplacian in one call, the Laplacian by other sums.
    let (_, _, by_adjoints) = net.value_gradient_laplacian(&x);
    let symmetric = (0..N).all(|k| (0..N).all(|l| h[k][l] == h[l][k]));
    println!("\nat the minimum x* = {x:.6?}");
    println!("  y(x*) = {y:.16}, |∇y(x*)| = {:.3e}", dot(&g, &g).sqrt());
    println!("  the Hessian is symmetric to the bit: {symmetric}");
    println!("  Laplacian {laplacian:.16}");
    println!(
        "  trace(H)  {trace:.16}  (differs by {:.1e})",
        (laplacian - trace).abs()
    );
    println!(
        "  Laplacian {by_adjoints:.16}  (value_gradient_laplacian; differs by {:.1e})",
        (by_adjoints - trace).abs()
    );
}
