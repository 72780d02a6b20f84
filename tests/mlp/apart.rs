//! Bodies compiled apart from their methods (`inline`): the same code, called rather than
//! taken in, so the same bits as the bodies kept in their methods (`inline = all`), both
//! for the default (`inline = auto`) and with every body apart (`inline = none`).
//! (`batch.rs` checks the block kernels against these single calls; `behaviour.rs` and
//! `second_order.rs` check them against the oracles.)

use mlp::ndarray::Array2;
use mlp::{Network, ScalarNetwork, mlp};

use crate::common::{bits, input, net};
use crate::nets::{Seed, SeedApart, SeedKept, Tall, TallApart, TallKept};

/// Asserts that two results of a method hold the same bits, naming the method.
macro_rules! same {
    ($method:literal, $a:expr, $b:expr) => {
        assert_eq!(
            bits($a),
            bits($b),
            "{} placed otherwise differs from in its method",
            $method
        )
    };
}

/// Every method of the seed kept in its method (`kept`) and placed otherwise (`other`),
/// at `x` along `v`, to the bit.
macro_rules! seed_same {
    ($kept:expr, $other:expr, $x:expr, $v:expr) => {{
        let (kept, other, x, v) = (&$kept, &$other, $x, $v);
        same!("forward", &kept.forward(x), &other.forward(x));
        same!(
            "jacobian",
            kept.jacobian(x).as_flattened(),
            other.jacobian(x).as_flattened()
        );
        same!("jvp", &kept.jvp(x, v), &other.jvp(x, v));
        same!("vjp", &kept.vjp(x, &[1.5]), &other.vjp(x, &[1.5]));
        same!("value", &[kept.value(x)], &[other.value(x)]);
        same!("gradient", &kept.gradient(x), &other.gradient(x));
        let (a, b) = (kept.value_and_gradient(x), other.value_and_gradient(x));
        same!("value_and_gradient", &[a.0], &[b.0]);
        same!("value_and_gradient", &a.1, &b.1);
        let (a, b) = (kept.hessian(x), other.hessian(x));
        same!("hessian", a.as_flattened(), b.as_flattened());
        let (a, b) = (
            kept.value_gradient_hessian(x),
            other.value_gradient_hessian(x),
        );
        same!("value_gradient_hessian", &[a.0], &[b.0]);
        same!("value_gradient_hessian", &a.1, &b.1);
        same!(
            "value_gradient_hessian",
            a.2.as_flattened(),
            b.2.as_flattened()
        );
        same!("hvp", &kept.hvp(x, v), &other.hvp(x, v));
        same!("laplacian", &[kept.laplacian(x)], &[other.laplacian(x)]);
        let (a, b) = (
            kept.value_gradient_laplacian(x),
            other.value_gradient_laplacian(x),
        );
        same!("value_gradient_laplacian", &[a.0, a.2], &[b.0, b.2]);
        same!("value_gradient_laplacian", &a.1, &b.1);
    }};
}

#[test]
fn seed_apart_is_the_seed_to_the_bit() {
    let (kept, auto, apart): (SeedKept, Seed, SeedApart) = (net(7), net(7), net(7));
    for sample in 0..4 {
        let x: [f64; 52] = input(52, sample).try_into().unwrap();
        let v: [f64; 52] = input(52, sample + 100).try_into().unwrap();
        seed_same!(kept, auto, &x, &v);
        seed_same!(kept, apart, &x, &v);
    }
    let x = Array2::from_shape_vec((37, 52), input(37 * 52, 13)).unwrap();
    for other in [
        auto.gradient_batch(x.view()).unwrap(),
        apart.gradient_batch(x.view()).unwrap(),
    ] {
        same!(
            "gradient_batch",
            &kept.gradient_batch(x.view()).unwrap(),
            &other
        );
    }
}

/// A limit between the methods' sizes: `forward` and `value` (132 operations) kept, the
/// others (245 to 827) apart, and each method's result the same either way.
#[mlp(8, 4, 1, input = 3, activation = silu, inline = 150)]
struct Split;

#[mlp(8, 4, 1, input = 3, activation = silu)]
struct Kept;

#[test]
fn a_limit_splits_the_methods() {
    let (kept, split): (Kept, Split) = (net(3), net(3));
    for sample in 0..4 {
        let x: [f64; 3] = input(3, sample).try_into().unwrap();
        let v: [f64; 3] = input(3, sample + 100).try_into().unwrap();
        same!("forward", &kept.forward(&x), &split.forward(&x));
        same!("gradient", &kept.gradient(&x), &split.gradient(&x));
        same!("hvp", &kept.hvp(&x, &v), &split.hvp(&x, &v));
        same!(
            "hessian",
            kept.hessian(&x).as_flattened(),
            split.hessian(&x).as_flattened()
        );
        same!("laplacian", &[kept.laplacian(&x)], &[split.laplacian(&x)]);
    }
}

/// A Jacobian whose sweeps depend on the target, and its block kernel (the default puts
/// it apart), apart.
#[test]
fn tall_apart_is_tall_to_the_bit() {
    let (kept, auto, apart): (TallKept, Tall, TallApart) = (net(5), net(5), net(5));
    // A block kernel, whose bodies are compared below.
    const { assert!(TallKept::JACOBIAN_BLOCKS) };
    let x = Array2::from_shape_vec((37, 3), input(37 * 3, 11)).unwrap();
    let jacobians = kept.jacobian_batch(x.view()).unwrap();
    let ys = kept.forward_batch(x.view()).unwrap();
    for sample in 0..4 {
        let x: [f64; 3] = input(3, sample).try_into().unwrap();
        let jacobian = kept.jacobian(&x);
        same!(
            "jacobian",
            jacobian.as_flattened(),
            auto.jacobian(&x).as_flattened()
        );
        same!(
            "jacobian",
            jacobian.as_flattened(),
            apart.jacobian(&x).as_flattened()
        );
        same!("forward", &kept.forward(&x), &auto.forward(&x));
        same!("forward", &kept.forward(&x), &apart.forward(&x));
    }
    for (jacobian_batch, forward_batch) in [
        (auto.jacobian_batch(x.view()), auto.forward_batch(x.view())),
        (
            apart.jacobian_batch(x.view()),
            apart.forward_batch(x.view()),
        ),
    ] {
        same!("jacobian_batch", &jacobians, &jacobian_batch.unwrap());
        same!("forward_batch", &ys, &forward_batch.unwrap());
    }
}
