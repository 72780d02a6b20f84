use mlp::mlp;

#[mlp(20, 99999999999999999999999, input = 3)]
pub struct Net;

fn main() {
    let _ = Net;
}
