use mlp::mlp;

#[mlp(3, input = 4, activation = tanh)]
pub struct Net;

fn main() {
    let _ = Net;
}
