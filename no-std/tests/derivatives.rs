//! The `no_std` build computes right: its gradient and Hessian against central differences.

use mlp::{Network, check_gradient};
use mlp_no_std::{Value, value_and_gradient};

#[test]
fn derivatives_match_finite_differences() {
    let parameters: Vec<f64> = (0..Value::PARAMETERS)
        .map(|i| ((i * 37 % 101) as f64 / 101.0 - 0.5) * 0.8)
        .collect();
    let net = Value::from_parameters(&parameters).unwrap();
    let x = [0.3, -0.7, 1.1, 0.05];
    let (value, gradient) = value_and_gradient(&net, &x);
    assert_eq!(value, net.value(&x));
    assert_eq!(gradient, net.gradient(&x));
    let check = check_gradient(&net, &x).unwrap();
    assert!(check.passes(1e-8), "{check}");
    let h = 1e-5;
    let hessian = net.hessian(&x);
    for l in 0..4 {
        let (mut plus, mut minus) = (x, x);
        plus[l] += h;
        minus[l] -= h;
        let (gp, gm) = (net.gradient(&plus), net.gradient(&minus));
        for k in 0..4 {
            let estimate = (gp[k] - gm[k]) / (2.0 * h);
            assert!((estimate - hessian[k][l]).abs() < 1e-7, "H[{k}][{l}]");
        }
    }
    assert_eq!(<Value as Network>::INPUT, 4);
}
