use mlp::mlp;

#[mlp(8, 2, input = 3)]
pub struct Net;

fn main() {
    let net = Net::zeros();
    let _ = net.jvp(&[0.0; 3], &[1.0; 3]);
    let _ = net.hessian(&[0.0; 3]);
    let _ = net.laplacian(&[0.0; 3]);
}
