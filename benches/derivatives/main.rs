//! The generated derivatives against peers, and each against its arithmetic floor measured
//! in the same run.
//!
//! ```text
//! cargo bench --bench derivatives                                        # default target
//! RUSTFLAGS="-C target-cpu=native" cargo bench --bench derivatives      # this CPU's vectors
//! ```
//!
//! After criterion's own report, a table: each time, its floor (multiply-adds counted from
//! the architecture at the measured peak rate, plus activations at their measured cost) and
//! the ratio of the two, from the fastest samples of this run and criterion's baseline (run
//! again with `-- --save-baseline second` for the best of two). BENCHMARKS.md holds the
//! figures and the floor model.

mod baselines;
mod floor;
mod report;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use mlp::ndarray::{Array1, Array2, ArrayView1};
use mlp::reference::{ActivationFn, Reference};
use mlp::{Identity, Network, ScalarNetwork, Tanh, mlp};
use nalgebra::SVector;

/// The seed network: 52 inputs, 20 and 10 tanh units, one output.
#[mlp(20, 10, 1, input = 52)]
pub struct Seed;

#[mlp(20, 10, 1, input = 52, scalar = f32)]
pub struct Seed32;

/// The seed written out as straight-line code: the unroll policy's alternative.
#[mlp(20, 10, 1, input = 52, unroll = all)]
pub struct SeedUnrolled;

/// A wider one: 64 inputs, 128 and 128 tanh units, one output.
#[mlp(128, 128, 1, input = 64)]
pub struct Wide;

#[mlp(128, 128, 1, input = 64, scalar = f32)]
pub struct Wide32;

/// Several outputs: 12 inputs, 32 and 32 tanh units, 6 outputs.
#[mlp(32, 32, 6, input = 12)]
pub struct Control;

/// Few inputs, deep: shaped like a physics-informed network (3 inputs, three layers of 64
/// tanh units, one output), whose Laplacian and Hessian its users want.
#[mlp(64, 64, 64, 1, input = 3)]
pub struct Pinn;

/// Samples per batch call.
pub const BATCH: usize = 1024;

/// Parameters in PyTorch's initialization range, deterministic.
fn parameters<N: Network>() -> Vec<f64> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut out = Vec::with_capacity(N::PARAMETERS);
    let mut fan_in = N::INPUT;
    for &width in N::WIDTHS {
        let bound = 1.0 / (fan_in as f64).sqrt();
        for _ in 0..width * (fan_in + 1) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.push(((state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * bound);
        }
        fan_in = width;
    }
    out
}

fn inputs(width: usize, rows: usize) -> Array2<f64> {
    Array2::from_shape_fn((rows, width), |(r, c)| {
        ((r * 31 + c * 17) % 97) as f64 / 48.5 - 1.0
    })
}

fn reference<N: Network>(p: &[f64]) -> Reference<f64> {
    let tanh = ActivationFn::of::<Tanh>();
    let layers: Vec<(usize, ActivationFn<f64>)> = N::WIDTHS
        .iter()
        .enumerate()
        .map(|(l, &w)| {
            (
                w,
                if l + 1 == N::WIDTHS.len() {
                    ActivationFn::of::<Identity>()
                } else {
                    tanh
                },
            )
        })
        .collect();
    Reference::from_parameters(N::INPUT, &layers, p).unwrap()
}

/// Panics unless the values (all of order one here) agree to rounding.
fn agree(values: &[f64]) {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    assert!(max - min <= 1e-12, "peers disagree: {values:?}");
}

/// The generated methods of a one-output tanh network, its f32 twin, and the peers.
macro_rules! scalar_group {
    ($c:expr, $name:literal, $net:ty, $net32:ty, $i:literal, $h1:literal, $h2:literal) => {{
        let p = parameters::<$net>();
        let net = <$net>::from_parameters_boxed(&p).unwrap();
        let p32: Vec<f32> = p.iter().map(|&v| v as f32).collect();
        let net32 = <$net32>::from_parameters_boxed(&p32).unwrap();
        let reference = reference::<$net>(&p);
        let plain = baselines::Plain::<$i, $h1, $h2>::new(&p);
        let algebra = baselines::Algebra::new(&plain);
        let x: [f64; $i] = std::array::from_fn(|k| (k as f64 * 0.37).sin());
        let x32 = x.map(|v| v as f32);
        let xs = SVector::from(x);
        let v: [f64; $i] = std::array::from_fn(|k| (k as f64 * 0.11).cos());
        let batch = inputs($i, BATCH);
        let batch32 = batch.mapv(|v| v as f32);

        // The peers compute the same thing, or their times mean nothing.
        let (y, grad) = net.value_and_gradient(&x);
        let (yp, gp) = plain.value_and_gradient(&x);
        let (ya, ga) = algebra.value_and_gradient(&xs);
        let (yd, gd) = baselines::dual_value_and_gradient(&plain, &xs);
        let yr = reference.forward(ArrayView1::from(&x)).unwrap()[0];
        let gr = reference.gradient(ArrayView1::from(&x)).unwrap();
        agree(&[y, yp, ya, yd, yr]);
        for k in 0..$i {
            agree(&[grad[k], gp[k], ga[k], gd[k], gr[k]]);
        }

        let mut g = $c.benchmark_group($name);
        g.bench_function("mlp-forward", |b| b.iter(|| net.forward(black_box(&x))));
        g.bench_function("mlp-value_and_gradient", |b| {
            b.iter(|| net.value_and_gradient(black_box(&x)))
        });
        g.bench_function("mlp-f32-value_and_gradient", |b| {
            b.iter(|| net32.value_and_gradient(black_box(&x32)))
        });
        g.bench_function("mlp-hvp", |b| {
            b.iter(|| net.hvp(black_box(&x), black_box(&v)))
        });
        g.bench_function("mlp-laplacian", |b| b.iter(|| net.laplacian(black_box(&x))));
        g.bench_function("mlp-value_gradient_laplacian", |b| {
            b.iter(|| net.value_gradient_laplacian(black_box(&x)))
        });
        // Taken by reference where it lands: `iter`'s `black_box` of the array itself would
        // copy it.
        g.bench_function("mlp-hessian", |b| {
            b.iter(|| {
                black_box(&net.hessian(black_box(&x)));
            })
        });
        // Into one array, reused: nothing zeroed or copied out.
        let mut hessian = [[0.0; $i]; $i];
        g.bench_function("mlp-hessian_to", |b| {
            b.iter(|| net.hessian_to(black_box(&x), black_box(&mut hessian)))
        });
        g.bench_function("mlp-batch-forward", |b| {
            b.iter(|| net.forward_batch(black_box(batch.view())).unwrap())
        });
        g.bench_function("mlp-batch-gradient", |b| {
            b.iter(|| net.gradient_batch(black_box(batch.view())).unwrap())
        });
        g.bench_function("mlp-batch-value_and_gradient", |b| {
            b.iter(|| {
                net.value_and_gradient_batch(black_box(batch.view()))
                    .unwrap()
            })
        });
        // Into arrays reused: nothing allocated or zeroed.
        let (mut ys, mut gradients) = (Array1::zeros(BATCH), Array2::zeros((BATCH, $i)));
        g.bench_function("mlp-batch-gradient_into", |b| {
            b.iter(|| {
                net.gradient_batch_into(black_box(batch.view()), gradients.view_mut())
                    .unwrap()
            })
        });
        g.bench_function("mlp-batch-value_and_gradient_into", |b| {
            b.iter(|| {
                let x = black_box(batch.view());
                net.value_and_gradient_batch_into(x, ys.view_mut(), gradients.view_mut())
                    .unwrap()
            })
        });
        g.bench_function("mlp-f32-batch-gradient", |b| {
            b.iter(|| net32.gradient_batch(black_box(batch32.view())).unwrap())
        });
        let directions = batch.mapv(|a| -0.5 * a);
        g.bench_function("mlp-batch-hvp", |b| {
            b.iter(|| {
                net.hvp_batch(black_box(batch.view()), black_box(directions.view()))
                    .unwrap()
            })
        });
        g.bench_function("mlp-batch-jvp", |b| {
            b.iter(|| {
                net.jvp_batch(black_box(batch.view()), black_box(directions.view()))
                    .unwrap()
            })
        });
        let weights = directions.slice(mlp::ndarray::s![.., ..1]).to_owned();
        g.bench_function("mlp-batch-vjp", |b| {
            b.iter(|| {
                net.vjp_batch(black_box(batch.view()), black_box(weights.view()))
                    .unwrap()
            })
        });
        g.bench_function("reference-value_and_gradient", |b| {
            b.iter(|| {
                let x = ArrayView1::from(black_box(&x));
                (
                    reference.forward(x).unwrap(),
                    reference.gradient(x).unwrap(),
                )
            })
        });
        g.bench_function("plain-value_and_gradient", |b| {
            b.iter(|| plain.value_and_gradient(black_box(&x)))
        });
        g.bench_function("nalgebra-value_and_gradient", |b| {
            b.iter(|| algebra.value_and_gradient(black_box(&xs)))
        });
        g.bench_function("num-dual-value_and_gradient", |b| {
            b.iter(|| baselines::dual_value_and_gradient(&plain, black_box(&xs)))
        });
        g.finish();
    }};
}

fn benches(c: &mut Criterion) {
    // The floor model's widths are the benchmarked networks'.
    let counts = [
        Seed::PARAMETERS,
        Wide::PARAMETERS,
        Control::PARAMETERS,
        Pinn::PARAMETERS,
    ];
    assert_eq!(report::parameters().map(|(_, count)| count), counts);
    floor::bench(c);
    scalar_group!(c, "seed", Seed, Seed32, 52, 20, 10);
    scalar_group!(c, "wide", Wide, Wide32, 64, 128, 128);

    let unrolled = SeedUnrolled::from_parameters_boxed(&parameters::<SeedUnrolled>()).unwrap();
    let x: [f64; 52] = std::array::from_fn(|k| (k as f64 * 0.37).sin());
    let mut g = c.benchmark_group("seed");
    g.bench_function("mlp-unrolled-value_and_gradient", |b| {
        b.iter(|| unrolled.value_and_gradient(black_box(&x)))
    });
    g.finish();

    let p = parameters::<Control>();
    let net = Control::from_parameters_boxed(&p).unwrap();
    let reference = reference::<Control>(&p);
    let plain = baselines::Plain::<12, 32, 32, 6>::new(&p);
    let algebra = baselines::Algebra::new(&plain);
    let x: [f64; 12] = std::array::from_fn(|k| (k as f64 * 0.37).sin());
    let xs = SVector::from(x);
    let (jm, jp) = (net.jacobian(&x), plain.jacobian(&x));
    let (ja, jd) = (algebra.jacobian(&xs), baselines::dual_jacobian(&plain, &xs));
    let jr = reference.jacobian(ArrayView1::from(&x)).unwrap();
    for o in 0..6 {
        for k in 0..12 {
            agree(&[jm[o][k], jp[o][k], ja[(o, k)], jd[(o, k)], jr[[o, k]]]);
        }
    }
    assert_eq!(net.forward_and_jacobian(&x), (net.forward(&x), jm));
    let mut g = c.benchmark_group("control");
    g.bench_function("mlp-jacobian", |b| b.iter(|| net.jacobian(black_box(&x))));
    g.bench_function("mlp-forward_and_jacobian", |b| {
        b.iter(|| net.forward_and_jacobian(black_box(&x)))
    });
    g.bench_function("reference-jacobian", |b| {
        b.iter(|| reference.jacobian(ArrayView1::from(black_box(&x))).unwrap())
    });
    g.bench_function("plain-jacobian", |b| {
        b.iter(|| plain.jacobian(black_box(&x)))
    });
    g.bench_function("nalgebra-jacobian", |b| {
        b.iter(|| algebra.jacobian(black_box(&xs)))
    });
    g.bench_function("num-dual-jacobian", |b| {
        b.iter(|| baselines::dual_jacobian(&plain, black_box(&xs)))
    });
    let (batch, weights) = (inputs(12, BATCH), inputs(6, BATCH));
    g.bench_function("mlp-batch-jvp", |b| {
        b.iter(|| {
            net.jvp_batch(black_box(batch.view()), black_box(batch.view()))
                .unwrap()
        })
    });
    g.bench_function("mlp-batch-vjp", |b| {
        b.iter(|| {
            net.vjp_batch(black_box(batch.view()), black_box(weights.view()))
                .unwrap()
        })
    });
    g.bench_function("mlp-batch-jacobian", |b| {
        b.iter(|| net.jacobian_batch(black_box(batch.view())).unwrap())
    });
    g.bench_function("mlp-batch-forward_and_jacobian", |b| {
        b.iter(|| {
            net.forward_and_jacobian_batch(black_box(batch.view()))
                .unwrap()
        })
    });
    g.finish();

    // The generated code alone (the peers are written for two hidden layers), checked
    // against the reference.
    let p = parameters::<Pinn>();
    let net = Pinn::from_parameters_boxed(&p).unwrap();
    let checked = crate::reference::<Pinn>(&p);
    let x = [0.3, -0.7, 0.5];
    let (hm, hr) = (
        net.hessian(&x),
        checked.hessian(ArrayView1::from(&x)).unwrap(),
    );
    for k in 0..3 {
        for c in 0..3 {
            agree(&[hm[k][c], hr[[k, c]]]);
        }
    }
    agree(&[net.laplacian(&x), hr[[0, 0]] + hr[[1, 1]] + hr[[2, 2]]]);
    agree(&[net.value_gradient_laplacian(&x).2, net.laplacian(&x)]);
    let (_, _, h) = net.value_gradient_hessian(&x);
    agree(&[h[1][2], hm[1][2], h[2][1], hr[[1, 2]]]);
    let v = [0.2, 0.9, -0.4];
    let mut g = c.benchmark_group("pinn");
    g.bench_function("mlp-forward", |b| b.iter(|| net.forward(black_box(&x))));
    g.bench_function("mlp-value_and_gradient", |b| {
        b.iter(|| net.value_and_gradient(black_box(&x)))
    });
    g.bench_function("mlp-hvp", |b| {
        b.iter(|| net.hvp(black_box(&x), black_box(&v)))
    });
    g.bench_function("mlp-laplacian", |b| b.iter(|| net.laplacian(black_box(&x))));
    g.bench_function("mlp-value_gradient_laplacian", |b| {
        b.iter(|| net.value_gradient_laplacian(black_box(&x)))
    });
    let mut hessian = [[0.0; 3]; 3];
    g.bench_function("mlp-hessian_to", |b| {
        b.iter(|| net.hessian_to(black_box(&x), black_box(&mut hessian)))
    });
    let batch = inputs(3, BATCH);
    g.bench_function("mlp-batch-laplacian", |b| {
        b.iter(|| net.laplacian_batch(black_box(batch.view())).unwrap())
    });
    g.bench_function("mlp-batch-hessian", |b| {
        b.iter(|| net.hessian_batch(black_box(batch.view())).unwrap())
    });
    g.bench_function("mlp-batch-value_gradient_laplacian", |b| {
        b.iter(|| {
            net.value_gradient_laplacian_batch(black_box(batch.view()))
                .unwrap()
        })
    });
    g.bench_function("mlp-batch-value_gradient_hessian", |b| {
        b.iter(|| {
            net.value_gradient_hessian_batch(black_box(batch.view()))
                .unwrap()
        })
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
    report::print();
}

// Keep the trait imports used in every configuration.
const _: fn(&Seed) -> Result<f64, mlp::ShapeError> = |n| n.value_at(&[0.0; 52]);
