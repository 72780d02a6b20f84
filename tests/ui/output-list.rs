use mlp::mlp;

#[mlp(20, 1, input = 3, output = [tanh])]
pub struct Net;

fn main() {
    let _ = Net;
}
