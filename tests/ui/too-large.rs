use mlp::mlp;

#[mlp(4096, 4096, 1, input = 1024)]
pub struct Net;

fn main() {
    let _ = Net;
}
