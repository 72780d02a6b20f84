use mlp::mlp;

#[mlp(20, 1.5, input = 3)]
pub struct Net;

fn main() {
    let _ = Net;
}
