//! The timing program of `scripts/ab-min.sh`: the fastest of many calls of a few methods,
//! in ns per sample, one line each (`name ns`). Built against each revision in turn.

use std::hint::black_box;
use std::time::Instant;

use mlp::ndarray::{Array2, s};
use mlp::{Network, Scalar, ScalarNetwork, mlp};

#[mlp(20, 10, 1, input = 52)]
struct Seed;

#[mlp(128, 128, 1, input = 64)]
struct Wide;

#[mlp(128, 128, 1, input = 64, scalar = f32)]
struct Wide32;

#[mlp(20, 10, 1, input = 52, scalar = f32)]
struct Seed32;

// Four shapes more, for `shape!`.
#[mlp(24, 1, input = 40)]
struct Net40;

#[mlp(32, 16, 1, input = 64)]
struct Net64;

#[mlp(30, 30, 30, 1, input = 30)]
struct Net30;

#[mlp(48, 12, 1, input = 36)]
struct Net36;

#[mlp(33, 17, 1, input = 45)]
struct Net45;

// Small: a block's tangents in L1.
#[mlp(12, 8, 1, input = 20)]
struct Net20;

#[mlp(10, 10, 1, input = 10)]
struct Net10;

#[mlp(16, 16, 16, 1, input = 12)]
struct Net12;

// Several outputs: Jacobians.
#[mlp(32, 32, 6, input = 12)]
struct Control;

#[mlp(256, 128, 10, input = 784, activation = relu)]
struct Mnist;

#[mlp(32, 32, 6, input = 3)]
struct Tall;

/// Shaped like a physics-informed network: few inputs, deep.
#[mlp(64, 64, 64, 1, input = 3)]
struct Pinn;

/// Six inputs, softplus: a Hessian of 36 entries.
#[mlp(33, 33, 1, input = 6, activation = softplus)]
struct Six;

#[mlp(16, 40, input = 2, activation = silu)]
struct Fan;

/// Weights of 50 KB: more than a 32 KB L1 holds, each matrix less.
#[mlp(64, 64, 1, input = 32)]
struct Mid;

const ROWS: usize = 1024;

/// Parameters spread over ±0.2 (a low-discrepancy sequence: no generator needed), in the
/// network's scalar type.
fn parameters<N: Network>() -> Vec<N::Scalar> {
    (0..N::PARAMETERS)
        .map(|i| Scalar::from_f64((i as f64 * 0.754_877_666_2).fract() * 0.4 - 0.2))
        .collect()
}

fn inputs(columns: usize) -> Array2<f64> {
    Array2::from_shape_fn((ROWS, columns), |(i, k)| {
        ((i * (columns + 3) + k) as f64 * 0.618).fract() * 2.0 - 1.0
    })
}

/// The rows of `x`, as single calls take them.
fn arrays<const N: usize>(x: &Array2<f64>) -> Vec<[f64; N]> {
    x.rows()
        .into_iter()
        .map(|r| r.to_vec().try_into().unwrap())
        .collect()
}

/// The fastest of `reps` runs of `f` (after three to warm up), per sample of `samples`.
fn fastest(name: &str, filter: &str, reps: usize, samples: usize, mut f: impl FnMut()) {
    if !name.contains(filter) {
        return;
    }
    for _ in 0..3 {
        f();
    }
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let start = Instant::now();
        f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{name} {:.1}", best * 1e9 / samples as f64);
}

/// `forward`, `value_and_gradient` and `hvp` of a network of `$inputs` inputs, as
/// `$name-forward` and so on. A change that moves the seed's figures by a few percent
/// either way may only have moved its code (docs/performance-log.md, "The placement
/// lottery"): over several networks' code, the geometric mean of the ratios says more.
macro_rules! shape {
    ($net:ty, $inputs:literal, $name:literal, $filter:expr) => {{
        let net = <$net>::from_parameters_boxed(&parameters::<$net>()).unwrap();
        let rows = arrays::<$inputs>(&inputs($inputs));
        fastest(concat!($name, "-forward"), $filter, 100, ROWS, || {
            for x in &rows {
                black_box(net.forward(black_box(x)));
            }
        });
        fastest(
            concat!($name, "-value-and-gradient"),
            $filter,
            100,
            ROWS,
            || {
                for x in &rows {
                    black_box(net.value_and_gradient(black_box(x)));
                }
            },
        );
        fastest(concat!($name, "-hvp"), $filter, 100, ROWS, || {
            for (x, v) in rows.iter().zip(rows.iter().rev()) {
                black_box(net.hvp(black_box(x), black_box(v)));
            }
        });
        let x = inputs($inputs);
        fastest(concat!($name, "-batch-laplacian"), $filter, 50, ROWS, || {
            black_box(net.laplacian_batch(black_box(x.view())).unwrap());
        });
        fastest(
            concat!($name, "-batch-value-gradient-laplacian"),
            $filter,
            50,
            ROWS,
            || {
                black_box(net.value_gradient_laplacian_batch(black_box(x.view())).unwrap());
            },
        );
    }};
}

/// `hvp` behind a call LLVM cannot inline: whether it inlines `hvp` into a timing loop
/// depends on the method's length, and moved its time by a fifth.
#[inline(never)]
fn hvp_outlined(seed: &Seed, x: &[f64; 52], v: &[f64; 52]) -> [f64; 52] {
    seed.hvp(x, v)
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let seed = Seed::from_parameters_boxed(&parameters::<Seed>()).unwrap();
    let wide = Wide::from_parameters_boxed(&parameters::<Wide>()).unwrap();
    let (xs, xw) = (inputs(52), inputs(64));
    let (rows, wide_rows) = (arrays::<52>(&xs), arrays::<64>(&xw));
    fastest("seed-forward", &filter, 200, ROWS, || {
        for x in &rows {
            black_box(seed.forward(black_box(x)));
        }
    });
    fastest("seed-laplacian", &filter, 100, ROWS, || {
        for x in &rows {
            black_box(seed.laplacian(black_box(x)));
        }
    });
    fastest("seed-value-gradient-laplacian", &filter, 100, ROWS, || {
        for x in &rows {
            black_box(seed.value_gradient_laplacian(black_box(x)));
        }
    });
    fastest("seed-value-and-gradient", &filter, 200, ROWS, || {
        for x in &rows {
            black_box(seed.value_and_gradient(black_box(x)));
        }
    });
    // The seed's first layer as `value_and_gradient` sums it (a dot product a row, in
    // eight lanes) and its reverse sweep's last sums (a row of 52 lanes a term): the same
    // 1,040 multiply-adds over the same weights.
    fastest("seed-kernel-dot-rows", &filter, 200, ROWS, || {
        for x in &rows {
            let x = black_box(x);
            black_box(mlp::__private::dot_rows::<f64, 52, 20>(|j, k| {
                (seed.w1[j][k], x[k])
            }));
        }
    });
    fastest("seed-kernel-axpys", &filter, 200, ROWS, || {
        for x in &rows {
            let (x, mut g) = (black_box(x), [0.0; 52]);
            mlp::__private::axpys::<f64, 52, 20>(&mut g, |j, k| (seed.w1[j][k], x[j]));
            black_box(g);
        }
    });
    // A direction for each input: with one for all, LLVM may compute its part once.
    fastest("seed-hvp", &filter, 200, ROWS, || {
        for (x, v) in rows.iter().zip(rows.iter().rev()) {
            black_box(seed.hvp(black_box(x), black_box(v)));
        }
    });
    fastest("seed-jvp", &filter, 200, ROWS, || {
        for (x, v) in rows.iter().zip(rows.iter().rev()) {
            black_box(seed.jvp(black_box(x), black_box(v)));
        }
    });
    fastest("seed-hvp-outlined", &filter, 200, ROWS, || {
        for (x, v) in rows.iter().zip(rows.iter().rev()) {
            black_box(hvp_outlined(&seed, black_box(x), black_box(v)));
        }
    });
    fastest("seed-hessian", &filter, 30, ROWS, || {
        for x in &rows {
            black_box(&seed.hessian(black_box(x)));
        }
    });
    let mut hessian = [[0.0; 52]; 52];
    fastest("seed-hessian-to", &filter, 30, ROWS, || {
        for x in &rows {
            seed.hessian_to(black_box(x), black_box(&mut hessian));
        }
    });
    fastest("wide-value-and-gradient", &filter, 30, ROWS, || {
        for x in &wide_rows {
            black_box(wide.value_and_gradient(black_box(x)));
        }
    });
    let wide32 = Wide32::from_parameters_boxed(&parameters::<Wide32>()).unwrap();
    let wide32_rows: Vec<[f32; 64]> = wide_rows.iter().map(|x| x.map(|v| v as f32)).collect();
    let seed32 = Seed32::from_parameters_boxed(&parameters::<Seed32>()).unwrap();
    let seed32_rows: Vec<[f32; 52]> = rows.iter().map(|x| x.map(|v| v as f32)).collect();
    fastest("seed-f32-forward", &filter, 200, ROWS, || {
        for x in &seed32_rows {
            black_box(seed32.forward(black_box(x)));
        }
    });
    fastest("seed-f32-value-and-gradient", &filter, 200, ROWS, || {
        for x in &seed32_rows {
            black_box(seed32.value_and_gradient(black_box(x)));
        }
    });
    fastest("wide-f32-value-and-gradient", &filter, 30, ROWS, || {
        for x in &wide32_rows {
            black_box(wide32.value_and_gradient(black_box(x)));
        }
    });
    fastest("wide-hvp", &filter, 30, ROWS, || {
        for (x, v) in wide_rows.iter().zip(wide_rows.iter().rev()) {
            black_box(wide.hvp(black_box(x), black_box(v)));
        }
    });
    fastest("wide-jvp", &filter, 30, ROWS, || {
        for (x, v) in wide_rows.iter().zip(wide_rows.iter().rev()) {
            black_box(wide.jvp(black_box(x), black_box(v)));
        }
    });
    // A wide Hessian takes ~0.3 ms: 32 samples a run.
    fastest("wide-hessian", &filter, 10, 32, || {
        for x in &wide_rows[..32] {
            black_box(&wide.hessian(black_box(x)));
        }
    });
    let mut hessian = [[0.0; 64]; 64];
    fastest("wide-hessian-to", &filter, 10, 32, || {
        for x in &wide_rows[..32] {
            wide.hessian_to(black_box(x), black_box(&mut hessian));
        }
    });
    fastest("seed-batch-forward", &filter, 200, ROWS, || {
        black_box(seed.forward_batch(black_box(xs.view())).unwrap());
    });
    fastest("seed-batch-gradient", &filter, 200, ROWS, || {
        black_box(seed.gradient_batch(black_box(xs.view())).unwrap());
    });
    let xs32 = xs.mapv(|v| v as f32);
    fastest("seed-f32-batch-forward", &filter, 200, ROWS, || {
        black_box(seed32.forward_batch(black_box(xs32.view())).unwrap());
    });
    fastest("seed-f32-batch-gradient", &filter, 200, ROWS, || {
        black_box(seed32.gradient_batch(black_box(xs32.view())).unwrap());
    });
    let (vs, vw) = (inputs(52).mapv(|a| -0.5 * a), inputs(64).mapv(|a| -0.5 * a));
    fastest("seed-batch-hvp", &filter, 200, ROWS, || {
        black_box(seed.hvp_batch(black_box(xs.view()), black_box(vs.view())).unwrap());
    });
    fastest("wide-batch-hvp", &filter, 30, ROWS, || {
        black_box(wide.hvp_batch(black_box(xw.view()), black_box(vw.view())).unwrap());
    });
    fastest("seed-batch-laplacian", &filter, 100, ROWS, || {
        black_box(seed.laplacian_batch(black_box(xs.view())).unwrap());
    });
    fastest("seed-batch-value-gradient-laplacian", &filter, 100, ROWS, || {
        black_box(seed.value_gradient_laplacian_batch(black_box(xs.view())).unwrap());
    });
    // One output: `u` a column.
    let us = vs.slice(mlp::ndarray::s![.., ..1]).to_owned();
    fastest("seed-batch-jvp", &filter, 200, ROWS, || {
        black_box(seed.jvp_batch(black_box(xs.view()), black_box(vs.view())).unwrap());
    });
    fastest("seed-batch-vjp", &filter, 200, ROWS, || {
        black_box(seed.vjp_batch(black_box(xs.view()), black_box(us.view())).unwrap());
    });
    fastest("wide-batch-jvp", &filter, 30, ROWS, || {
        black_box(wide.jvp_batch(black_box(xw.view()), black_box(vw.view())).unwrap());
    });
    fastest("wide-batch-forward", &filter, 30, ROWS, || {
        black_box(wide.forward_batch(black_box(xw.view())).unwrap());
    });
    fastest("wide-batch-gradient", &filter, 30, ROWS, || {
        black_box(wide.gradient_batch(black_box(xw.view())).unwrap());
    });
    let xw32 = xw.mapv(|v| v as f32);
    fastest("wide-f32-batch-forward", &filter, 30, ROWS, || {
        black_box(wide32.forward_batch(black_box(xw32.view())).unwrap());
    });
    fastest("wide-f32-batch-gradient", &filter, 30, ROWS, || {
        black_box(wide32.gradient_batch(black_box(xw32.view())).unwrap());
    });
    // Into one array reused: nothing allocated, zeroed or copied.
    let mut gradient = Array2::zeros((ROWS, 64));
    fastest("wide-batch-gradient-into", &filter, 30, ROWS, || {
        wide.gradient_batch_into(black_box(xw.view()), black_box(gradient.view_mut()))
            .unwrap();
    });
    let control = Control::from_parameters_boxed(&parameters::<Control>()).unwrap();
    let control_rows = arrays::<12>(&inputs(12));
    fastest("control-jacobian", &filter, 200, ROWS, || {
        for x in &control_rows {
            black_box(&control.jacobian(black_box(x)));
        }
    });
    let (xc, uc) = (inputs(12), inputs(6));
    fastest("control-batch-jvp", &filter, 200, ROWS, || {
        black_box(control.jvp_batch(black_box(xc.view()), black_box(xc.view())).unwrap());
    });
    fastest("control-batch-vjp", &filter, 200, ROWS, || {
        black_box(control.vjp_batch(black_box(xc.view()), black_box(uc.view())).unwrap());
    });
    fastest("control-batch-jacobian", &filter, 100, ROWS, || {
        black_box(control.jacobian_batch(black_box(xc.view())).unwrap());
    });
    let (xt, xf) = (inputs(3), inputs(2));
    let tall = Tall::from_parameters_boxed(&parameters::<Tall>()).unwrap();
    fastest("tall-batch-jacobian", &filter, 100, ROWS, || {
        black_box(tall.jacobian_batch(black_box(xt.view())).unwrap());
    });
    let fan = Fan::from_parameters_boxed(&parameters::<Fan>()).unwrap();
    fastest("fan-batch-jacobian", &filter, 100, ROWS, || {
        black_box(fan.jacobian_batch(black_box(xf.view())).unwrap());
    });
    let tall_rows = arrays::<3>(&inputs(3));
    fastest("tall-jacobian", &filter, 200, ROWS, || {
        for x in &tall_rows {
            black_box(&tall.jacobian(black_box(x)));
        }
    });
    let pinn = Pinn::from_parameters_boxed(&parameters::<Pinn>()).unwrap();
    fastest("pinn-laplacian", &filter, 20, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.laplacian(black_box(x)));
        }
    });
    fastest("pinn-hessian", &filter, 20, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.hessian(black_box(x)));
        }
    });
    fastest("pinn-hvp", &filter, 50, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.hvp(black_box(x), black_box(x)));
        }
    });
    fastest("pinn-forward", &filter, 100, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.forward(black_box(x)));
        }
    });
    fastest("pinn-value-and-gradient", &filter, 50, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.value_and_gradient(black_box(x)));
        }
    });
    fastest("pinn-value-gradient-laplacian", &filter, 20, ROWS, || {
        for x in &tall_rows {
            black_box(pinn.value_gradient_laplacian(black_box(x)));
        }
    });
    let xp = inputs(3);
    fastest("pinn-batch-hvp", &filter, 20, ROWS, || {
        black_box(pinn.hvp_batch(black_box(xp.view()), black_box(xp.view())).unwrap());
    });
    fastest("pinn-batch-laplacian", &filter, 20, ROWS, || {
        black_box(pinn.laplacian_batch(black_box(xp.view())).unwrap());
    });
    fastest("pinn-batch-value-gradient-laplacian", &filter, 20, ROWS, || {
        black_box(pinn.value_gradient_laplacian_batch(black_box(xp.view())).unwrap());
    });
    fastest("pinn-batch-hessian", &filter, 20, ROWS, || {
        black_box(pinn.hessian_batch(black_box(xp.view())).unwrap());
    });
    let six = Six::from_parameters_boxed(&parameters::<Six>()).unwrap();
    let six_rows = arrays::<6>(&inputs(6));
    fastest("six-hessian", &filter, 20, ROWS, || {
        for x in &six_rows {
            black_box(six.hessian(black_box(x)));
        }
    });
    let xs = inputs(6);
    fastest("six-batch-hessian", &filter, 20, ROWS, || {
        black_box(six.hessian_batch(black_box(xs.view())).unwrap());
    });
    let mid = Mid::from_parameters_boxed(&parameters::<Mid>()).unwrap();
    let mid_rows = arrays::<32>(&inputs(32));
    fastest("mid-hvp", &filter, 50, ROWS, || {
        for x in &mid_rows {
            black_box(mid.hvp(black_box(x), black_box(x)));
        }
    });
    fastest("mid-laplacian", &filter, 20, ROWS, || {
        for x in &mid_rows {
            black_box(mid.laplacian(black_box(x)));
        }
    });
    fastest("mid-hessian", &filter, 5, ROWS, || {
        for x in &mid_rows {
            black_box(&mid.hessian(black_box(x)));
        }
    });
    fastest("mid-value-gradient-hessian", &filter, 5, ROWS, || {
        for x in &mid_rows {
            black_box(&mid.value_gradient_hessian(black_box(x)));
        }
    });
    let fan_rows = arrays::<2>(&inputs(2));
    fastest("fan-jacobian", &filter, 200, ROWS, || {
        for x in &fan_rows {
            black_box(&fan.jacobian(black_box(x)));
        }
    });
    let mnist = Mnist::from_parameters_boxed(&parameters::<Mnist>()).unwrap();
    let mnist_rows = arrays::<784>(&inputs(784));
    fastest("mnist-jacobian", &filter, 20, 32, || {
        for x in &mnist_rows[..32] {
            black_box(&mnist.jacobian(black_box(x)));
        }
    });
    // No block kernel (a block's arrays would not fit on the stack): `jacobian_into` a
    // sample at a time.
    let xm = inputs(784).slice_move(s![..32, ..]);
    fastest("mnist-batch-jacobian", &filter, 20, 32, || {
        black_box(mnist.jacobian_batch(black_box(xm.view())).unwrap());
    });
    shape!(Net40, 40, "net-40-24-1", &filter);
    shape!(Net64, 64, "net-64-32-16-1", &filter);
    shape!(Net30, 30, "net-30-30-30-1", &filter);
    shape!(Net36, 36, "net-36-48-12-1", &filter);
    shape!(Net45, 45, "net-45-33-17-1", &filter);
    shape!(Net20, 20, "net-20-12-8-1", &filter);
    shape!(Net10, 10, "net-10-10-10-1", &filter);
    shape!(Net12, 12, "net-12-16-16-16-1", &filter);
}
