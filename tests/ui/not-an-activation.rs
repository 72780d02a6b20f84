use mlp::mlp;

/// Not an activation: it does not implement `mlp::Activation`.
pub struct Cosine;

#[mlp(8, 1, input = 3, activation = Cosine)]
pub struct Net;

fn main() {
    let _ = Net::zeros();
}
