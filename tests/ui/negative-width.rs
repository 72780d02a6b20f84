use mlp::mlp;

#[mlp(20, -4, 1, input = 3)]
pub struct Net;

fn main() {
    let _ = Net;
}
