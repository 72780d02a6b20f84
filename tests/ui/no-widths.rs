use mlp::mlp;

#[mlp(input = 3)]
pub struct Net;

fn main() {
    let _ = Net;
}
