use mlp::mlp;

#[mlp(20, 1, input = 3, inline = always)]
pub struct Net;

fn main() {
    let _ = Net;
}
