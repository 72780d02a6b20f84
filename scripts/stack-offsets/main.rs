//! Times a few methods with the stack at each offset from a cache line that a program may
//! start with (in steps of 16 bytes, as the kernel places it): a method is called from a
//! function whose own frame is 16, 32, 48 or 64 bytes larger. Prints, per method, the
//! fastest pass at each offset and the largest over the smallest. Built by
//! `scripts/stack-offsets.sh`.

use std::hint::black_box;
use std::time::Instant;

use mlp::{Network, ScalarNetwork, mlp};

#[mlp(20, 10, 1, input = 52, inline = all)]
struct Seed;
#[mlp(128, 128, 1, input = 64, inline = all)]
struct Wide;
#[mlp(64, 64, 64, 1, input = 3, inline = all)]
struct Pinn;

fn parameters<N: Network<Scalar = f64>>() -> Vec<f64> {
    (0..N::PARAMETERS)
        .map(|i| (i as f64 * 0.754_877_666_2).fract() * 0.4 - 0.2)
        .collect()
}

fn inputs<const D: usize>(n: usize) -> Vec<[f64; D]> {
    (0..n)
        .map(|s| core::array::from_fn(|k| ((s * D + k) as f64 * 0.618_033_988_7).fract() * 2.0 - 1.0))
        .collect()
}

struct Nets {
    seed: Box<Seed>,
    wide: Box<Wide>,
    pinn: Box<Pinn>,
    xs: Vec<[f64; 52]>,
    xw: Vec<[f64; 64]>,
    xp: Vec<[f64; 3]>,
    blocks: Vec<f64>,
}

/// A pass of one method over its inputs, in a function of its own.
macro_rules! case {
    ($name:literal, $n:ident, $body:expr) => {{
        #[inline(never)]
        fn pass($n: &Nets) {
            $body
        }
        ($name, pass as fn(&Nets))
    }};
}

/// The fastest pass of each case, from a frame `PAD` bytes larger; and the offset of a
/// local of this frame from a cache line.
#[inline(never)]
fn time<const PAD: usize>(cases: &[(&str, fn(&Nets))], nets: &Nets) -> (usize, Vec<f64>) {
    let pad = [0u8; PAD];
    black_box(&pad);
    let probe = 0u64;
    let offset = black_box(&probe) as *const u64 as usize % 64;
    let mut best = vec![f64::INFINITY; cases.len()];
    for _ in 0..30 {
        for ((_, pass), best) in cases.iter().zip(&mut best) {
            let start = Instant::now();
            pass(nets);
            *best = best.min(start.elapsed().as_secs_f64());
        }
    }
    (offset, best)
}

fn main() {
    let mut seed = Seed::zeros_boxed();
    seed.set_parameters(&parameters::<Seed>()).unwrap();
    let mut wide = Wide::zeros_boxed();
    wide.set_parameters(&parameters::<Wide>()).unwrap();
    let mut pinn = Pinn::zeros_boxed();
    pinn.set_parameters(&parameters::<Pinn>()).unwrap();
    let nets = Nets {
        seed,
        wide,
        pinn,
        xs: inputs::<52>(64),
        xw: inputs::<64>(16),
        xp: inputs::<3>(64),
        blocks: inputs::<52>(256).concat(),
    };
    let cases = [
        case!("seed value_and_gradient", n, for x in &n.xs {
            black_box(n.seed.value_and_gradient(black_box(x)));
        }),
        case!("seed hvp", n, for x in &n.xs {
            black_box(n.seed.hvp(black_box(x), x));
        }),
        case!("seed laplacian", n, for x in &n.xs {
            black_box(n.seed.laplacian(black_box(x)));
        }),
        case!("seed value_gradient_laplacian", n, for x in &n.xs {
            black_box(n.seed.value_gradient_laplacian(black_box(x)));
        }),
        case!("seed hessian_to", n, for x in &n.xs[..8] {
            let mut h = [[0.0; 52]; 52];
            n.seed.hessian_to(black_box(x), &mut h);
            black_box(&h);
        }),
        case!("seed gradient_blocks_into", n, {
            let mut g = vec![0.0; n.blocks.len()];
            n.seed.gradient_blocks_into(black_box(&n.blocks), &mut g).unwrap();
            black_box(&g);
        }),
        case!("seed laplacian_blocks_into", n, {
            let mut l = vec![0.0; n.blocks.len() / 52];
            n.seed.laplacian_blocks_into(black_box(&n.blocks), &mut l).unwrap();
            black_box(&l);
        }),
        case!("wide value_and_gradient", n, for x in &n.xw {
            black_box(n.wide.value_and_gradient(black_box(x)));
        }),
        case!("3-64-64-64-1 laplacian", n, for x in &n.xp {
            black_box(n.pinn.laplacian(black_box(x)));
        }),
        case!("3-64-64-64-1 value_gradient_laplacian", n, for x in &n.xp {
            black_box(n.pinn.value_gradient_laplacian(black_box(x)));
        }),
        case!("3-64-64-64-1 hvp", n, for x in &n.xp {
            black_box(n.pinn.hvp(black_box(x), x));
        }),
    ];
    // The fastest pass at each offset, over three turns of the four frames.
    let mut by_offset = std::collections::BTreeMap::<usize, Vec<f64>>::new();
    for _ in 0..3 {
        for (offset, best) in [
            time::<16>(&cases, &nets),
            time::<32>(&cases, &nets),
            time::<48>(&cases, &nets),
            time::<64>(&cases, &nets),
        ] {
            let entry = by_offset.entry(offset).or_insert(vec![f64::INFINITY; cases.len()]);
            entry.iter_mut().zip(best).for_each(|(e, b)| *e = e.min(b));
        }
    }
    print!("{:40}", "µs a pass, by offset of the stack");
    by_offset.keys().for_each(|o| print!("{o:>8}"));
    println!("  largest/smallest");
    for (i, (name, _)) in cases.iter().enumerate() {
        let times: Vec<f64> = by_offset.values().map(|b| b[i] * 1e6).collect();
        print!("{name:40}");
        times.iter().for_each(|t| print!("{t:8.1}"));
        let (high, low) = times.iter().fold((0.0f64, f64::INFINITY), |(h, l), &t| (h.max(t), l.min(t)));
        println!("  {:.3}", high / low);
    }
}
