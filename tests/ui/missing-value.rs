use mlp::mlp;

#[mlp(20, 1, input =)]
pub struct Net;

fn main() {
    let _ = Net;
}
