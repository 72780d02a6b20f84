//! The built-in activations against values computed independently at 80 digits (mpmath),
//! against finite differences of themselves, and at the edges (±∞, NaN) in f32 and f64.

mod values;

use mlp_runtime::{
    Activation, Elu, Gelu, Identity, LeakyRelu, Relu, Scalar, Sigmoid, Silu, Sin, Softplus, Tanh,
};
use values::VALUES;

/// `(f, f', f'', f and f' together)` of the activation called `name`, in `T`.
type Functions<T> = (fn(T) -> T, fn(T) -> T, fn(T) -> T, fn(T) -> (T, T));

fn functions<T: Scalar, A: Activation<T>>() -> Functions<T> {
    (
        A::value,
        A::derivative,
        A::second_derivative,
        A::value_and_derivative,
    )
}

fn by_name<T: Scalar>(name: &str) -> Functions<T> {
    match name {
        "identity" => functions::<T, Identity>(),
        "tanh" => functions::<T, Tanh>(),
        "sigmoid" => functions::<T, Sigmoid>(),
        "relu" => functions::<T, Relu>(),
        "leaky_relu" => functions::<T, LeakyRelu>(),
        "softplus" => functions::<T, Softplus>(),
        "elu" => functions::<T, Elu>(),
        "silu" => functions::<T, Silu>(),
        "gelu" => functions::<T, Gelu>(),
        "sin" => functions::<T, Sin>(),
        _ => panic!("no activation `{name}`"),
    }
}

const NAMES: [&str; 10] = [
    "identity",
    "tanh",
    "sigmoid",
    "relu",
    "leaky_relu",
    "softplus",
    "elu",
    "silu",
    "gelu",
    "sin",
];

/// `got` agrees with the correctly rounded `want` to `tolerance` relative, or both are below
/// the normal range (where the true value is not a normal float, 0 and subnormals are fine).
fn close<T: Scalar>(got: T, want: T, tolerance: f64) -> bool {
    if want.abs() < T::min_positive_value() {
        return got.abs() < T::min_positive_value();
    }
    (got - want).abs() <= T::from_f64(tolerance) * want.abs()
}

fn check_table<T: Scalar>(tolerance: f64) {
    let mut failures = Vec::new();
    for &(name, x, f, d1, d2) in VALUES {
        let xt = T::from_f64(x);
        if !xt.is_finite() || xt == T::zero() && x != 0.0 {
            continue; // beyond f32's range, or below it (where a kink's side changes)
        }
        // gelu's tail goes through `erfc(-x/√2)` and `exp(-x²/2)`, whose arguments are
        // rounded: a relative error of eps in them is one of ~x² eps in the result.
        let tolerance = if name == "gelu" {
            tolerance * (1.0 + x * x)
        } else {
            tolerance
        };
        let (value, derivative, second, both) = by_name::<T>(name);
        let got = [
            value(xt),
            derivative(xt),
            second(xt),
            both(xt).0,
            both(xt).1,
        ];
        let want = [f, d1, d2, f, d1].map(T::from_f64);
        for (which, (g, w)) in ["f", "f'", "f''", "pair.0", "pair.1"]
            .iter()
            .zip(got.iter().zip(want))
        {
            if !close(*g, w, tolerance) {
                failures.push(format!("{name} {which}({x:e}) = {g:e}, want {w:e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn f64_matches_high_precision_values() {
    check_table::<f64>(2e-14);
}

#[test]
fn f32_matches_high_precision_values() {
    check_table::<f32>(2e-6);
}

/// Central differences of `f` and `f'` at points away from the kinks.
#[test]
fn derivatives_match_finite_differences() {
    let h = 1e-5;
    for name in NAMES {
        let (f, d1, d2, _) = by_name::<f64>(name);
        for i in 0..=60 {
            let x = -6.0 + 0.2 * f64::from(i) + 0.013;
            let fd1 = (f(x + h) - f(x - h)) / (2.0 * h);
            let fd2 = (d1(x + h) - d1(x - h)) / (2.0 * h);
            assert!(
                (fd1 - d1(x)).abs() <= 1e-8 * (1.0 + d1(x).abs()),
                "{name}'({x}) = {}, finite differences give {fd1}",
                d1(x)
            );
            assert!(
                (fd2 - d2(x)).abs() <= 1e-8 * (1.0 + d2(x).abs()),
                "{name}''({x}) = {}, finite differences give {fd2}",
                d2(x)
            );
        }
    }
}

fn check_edges<T: Scalar>() {
    // (name, f(-∞), f(+∞), f'(-∞), f'(+∞)); f'' is 0 at both ends for all but `sin`.
    let limits: [(&str, f64, f64, f64, f64); 9] = [
        ("identity", f64::NEG_INFINITY, f64::INFINITY, 1.0, 1.0),
        ("tanh", -1.0, 1.0, 0.0, 0.0),
        ("sigmoid", 0.0, 1.0, 0.0, 0.0),
        ("relu", 0.0, f64::INFINITY, 0.0, 1.0),
        ("leaky_relu", f64::NEG_INFINITY, f64::INFINITY, 0.01, 1.0),
        ("softplus", 0.0, f64::INFINITY, 0.0, 1.0),
        ("elu", -1.0, f64::INFINITY, 0.0, 1.0),
        ("silu", 0.0, f64::INFINITY, 0.0, 1.0),
        ("gelu", 0.0, f64::INFINITY, 0.0, 1.0),
    ];
    for (name, f_lo, f_hi, d_lo, d_hi) in limits {
        let (f, d1, d2, _) = by_name::<T>(name);
        let (lo, hi) = (T::neg_infinity(), T::infinity());
        let got = [f(lo), f(hi), d1(lo), d1(hi), d2(lo), d2(hi)];
        let want = [f_lo, f_hi, d_lo, d_hi, 0.0, 0.0].map(T::from_f64);
        assert_eq!(got, want, "{name} at ∓∞ in {}", T::NAME);
    }
    for name in NAMES {
        let (f, d1, d2, both) = by_name::<T>(name);
        let nan = T::nan();
        let out = [f(nan), d1(nan), d2(nan), both(nan).0, both(nan).1];
        let propagated = out.iter().all(|v| v.is_nan());
        // Identity's derivatives are constants, whatever `x` is.
        assert!(
            propagated || name == "identity" && f(nan).is_nan(),
            "{name} of NaN in {} gives {out:?}",
            T::NAME
        );
        // Finite in, finite out, over the whole range.
        for x in [T::max_value(), T::min_value(), T::min_positive_value()] {
            let out = [f(x), d1(x), d2(x), both(x).0, both(x).1];
            assert!(
                out.iter().all(|v| v.is_finite()),
                "{name} of {x:e} in {} gives {out:?}",
                T::NAME
            );
        }
    }
}

#[test]
fn f64_edges() {
    check_edges::<f64>();
}

#[test]
fn f32_edges() {
    check_edges::<f32>();
}

/// The inputs of the edge table: tiny, unit, moderate, large, huge, infinite, NaN.
const EDGES: [f64; 13] = [
    f64::NEG_INFINITY,
    -1e300,
    -1e4,
    -30.0,
    -1.0,
    -1e-300,
    1e-300,
    1.0,
    30.0,
    1e4,
    1e300,
    f64::INFINITY,
    f64::NAN,
];

fn cell(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        }
    } else if v == 0.0 {
        if v.is_sign_negative() {
            "−0".into()
        } else {
            "0".into()
        }
    } else {
        format!("{v:.4e}").replace('-', "−")
    }
}

/// The table of `docs/numerical-edges.md`.
fn edge_table() -> String {
    let mut out = String::from(
        "# Built-in activations at the edges\n\n\
         Generated by `mlp-runtime/tests/activations/main.rs` (`edge_table_is_current`); \
         regenerate with `MLP_BLESS=1 cargo test -p mlp-runtime --test activations`.\n\n\
         `f`, `f'` and `f''` of every built-in activation, in `f64` and in `f32`, at ±1e-300, \
         ±1, ±30, ±1e4, ±1e300, ±∞ and NaN (in `f32`, ±1e-300 rounds to ±0 and ±1e300 to \
         ±∞). Where the true value is a normal float the result is within 2e-14 (`f64`) or \
         2e-6 (`f32`) of it, relative, as the tests check against 80-digit values \
         (`values.py`); where it is finite the result is finite; NaN gives NaN (but for the \
         identity's constant derivatives), and so does `sin` at ±∞, where it has no limit.\n",
    );
    for name in NAMES {
        let (f, d1, d2, _) = by_name::<f64>(name);
        let (g, e1, e2, _) = by_name::<f32>(name);
        out.push_str(&format!(
            "\n## `{name}`\n\n| x | f | f' | f'' | f (f32) | f' (f32) | f'' (f32) |\n\
             | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        ));
        for x in EDGES {
            let y = x as f32;
            let cells = [
                cell(x),
                cell(f(x)),
                cell(d1(x)),
                cell(d2(x)),
                cell(f64::from(g(y))),
                cell(f64::from(e1(y))),
                cell(f64::from(e2(y))),
            ];
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    out
}

#[test]
fn edge_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/numerical-edges.md");
    let table = edge_table();
    if std::env::var_os("MLP_BLESS").is_some() {
        std::fs::write(path, &table).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == table,
        "docs/numerical-edges.md is out of date: rerun with MLP_BLESS=1 and read the diff"
    );
}

/// The distance in units of the last place between `a` and `b`.
fn ulps(a: f64, b: f64) -> u64 {
    if a == b || a.is_nan() && b.is_nan() {
        return 0;
    }
    let key = |v: f64| {
        let bits = v.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    key(a).abs_diff(key(b))
}

/// The distance in units of the last place between `a` and `b`, in `f32`.
fn ulps_f32(a: f32, b: f32) -> u32 {
    if a == b || a.is_nan() && b.is_nan() {
        return 0;
    }
    let key = |v: f32| {
        let bits = v.to_bits() as i32;
        if bits < 0 { i32::MIN - bits } else { bits }
    };
    key(a).abs_diff(key(b))
}

/// The inline tanh in `f32` (in `f32` arithmetic, `mlp-runtime/src/exp_f32.rs`) against the
/// platform's `libm` in `f64`, rounded: at every magnitude from the smallest subnormal to
/// 100, both signs, its value within 3 ulp, its derivative within 8 ulp of `1/cosh²`
/// wherever that is a normal `f32`, and 0 where it is below the subnormals.
#[test]
fn tanh_f32_matches_libm_over_the_whole_range() {
    let (mut worst, mut worst_slope) = ((0, 0.0), (0, 0.0));
    let n = 1_000_000;
    for i in 0..=n {
        let t = f64::from(i) / f64::from(n);
        let magnitude = 10f64.powf(-45.0 + t * 47.0) as f32;
        for x in [magnitude, -magnitude] {
            let (value, slope) = <Tanh as Activation<f32>>::value_and_derivative(x);
            let u = ulps_f32(value, f64::from(x).tanh() as f32);
            if u > worst.0 {
                worst = (u, x);
            }
            let cosh = f64::from(x).cosh();
            let want = (1.0 / (cosh * cosh)) as f32;
            let u = match (want.is_normal(), want == 0.0) {
                (true, _) => ulps_f32(slope, want),
                (false, true) => u32::from(slope != 0.0) * u32::MAX,
                (false, false) => 0,
            };
            if u > worst_slope.0 {
                worst_slope = (u, x);
            }
        }
    }
    assert!(worst.0 <= 3, "tanh is {} ulp off at {:e}", worst.0, worst.1);
    assert!(
        worst_slope.0 <= 8,
        "tanh' is {} ulp off 1/cosh² at {:e}",
        worst_slope.0,
        worst_slope.1
    );
}

/// The inline tanh against the platform's `libm`, at every magnitude from 1e-300 to 800
/// and densely from -24 to 24, where it bends (the worst cases lie there, about one value
/// in 70,000 at 4 ulp): its value within 4 ulp of `tanh`, its derivative within 9 ulp of
/// `1/cosh²` (itself a few ulp off) wherever that is a normal float. 60 million random
/// values in `[0, 24]` found no worse (2026-12-03).
#[test]
fn tanh_matches_libm_over_the_whole_range() {
    let (mut worst, mut worst_slope) = ((0, 0.0), (0, 0.0));
    let n = 200_000;
    for i in 0..=n {
        let t = f64::from(i) / f64::from(n);
        let magnitude = 10f64.powf(-300.0 + t * 302.9);
        // Two steps out of phase, so that the two signs see different values.
        let (dense, dense_too) = (24.0 * t, 24.0 * (t + 0.5 / f64::from(n)));
        for x in [magnitude, -magnitude, dense, -dense_too] {
            let (value, slope) = <Tanh as Activation<f64>>::value_and_derivative(x);
            let u = ulps(value, x.tanh());
            if u > worst.0 {
                worst = (u, x);
            }
            let cosh = x.cosh();
            let want = 1.0 / (cosh * cosh);
            if want.is_normal() {
                let u = ulps(slope, want);
                if u > worst_slope.0 {
                    worst_slope = (u, x);
                }
            }
        }
    }
    assert!(
        worst.0 <= 4,
        "tanh is {} ulp off libm at {:e}",
        worst.0,
        worst.1
    );
    assert!(
        worst_slope.0 <= 9,
        "tanh' is {} ulp off 1/cosh² at {:e}",
        worst_slope.0,
        worst_slope.1
    );
}
