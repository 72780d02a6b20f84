use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub struct Net;

fn main() {
    let net = Net::zeros();
    let _ = net.value(&[1.0, 2.0]);
}
