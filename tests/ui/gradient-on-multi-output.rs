use mlp::mlp;

#[mlp(20, 3, input = 4)]
pub struct Net;

fn main() {
    let net = Net::zeros();
    let _ = net.jacobian(&[0.0; 4]);
    let _ = net.gradient(&[0.0; 4]);
}
