//! A large-but-reasonable network: 784-256-128-10 (MNIST-sized, 235,146 parameters, 1.8 MiB
//! inline). The unroll policy lowers its wide layers to loops; it is built on the heap.

use mlp::reference::ActivationFn;
use mlp::{Identity, Network, Relu, mlp};

use crate::common::{flat, input, parameters, reference, relative_error, to_f64, view};

#[mlp(256, 128, 10, input = 784, activation = relu)]
pub struct Mnist;

#[test]
fn builds_on_the_heap_and_matches_the_reference() {
    // The network is 1.8 MiB and its Jacobian 61 KiB: more than a test thread's stack holds
    // once the intermediates are counted, so run on a thread with room.
    let worker = std::thread::Builder::new().stack_size(32 << 20).spawn(|| {
        let values = parameters::<Mnist>(1);
        let net = Mnist::from_parameters_boxed(&values).unwrap();
        assert_eq!(net.parameters(), values);
        let acts = [
            ActivationFn::of::<Relu>(),
            ActivationFn::of::<Relu>(),
            ActivationFn::of::<Identity>(),
        ];
        let reference = reference(&*net, &acts);
        let x: Vec<f64> = input(784, 1);
        let x64: Vec<f64> = x.iter().map(|v| to_f64(*v)).collect();

        let mut y = vec![0.0; 10];
        net.forward_into(&x, &mut y).unwrap();
        let error = relative_error(&y, &reference.forward(view(&x64)).unwrap().to_vec());
        assert!(error <= 1e-12, "forward off the reference by {error:e}");

        let mut jacobian = vec![0.0; 10 * 784];
        net.jacobian_into(&x, &mut jacobian).unwrap();
        let error = relative_error(&jacobian, &flat(&reference.jacobian(view(&x64)).unwrap()));
        assert!(error <= 1e-12, "jacobian off the reference by {error:e}");

        let mut zeros = Mnist::zeros_boxed();
        assert!(zeros.set_parameters(&values[1..]).is_err());
        assert!(
            zeros.parameters().iter().all(|&p| p == 0.0),
            "a failed set changes nothing"
        );
    });
    worker.unwrap().join().unwrap();
}
