use mlp::mlp;

#[mlp(20, 10, 1, input = 3, activation = [tanh, sofplus])]
pub struct Net;

fn main() {
    let _ = Net;
}
