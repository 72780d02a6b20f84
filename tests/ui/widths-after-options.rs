use mlp::mlp;

#[mlp(20, input = 3, 1)]
pub struct Net;

fn main() {
    let _ = Net;
}
