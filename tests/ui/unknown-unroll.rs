use mlp::mlp;

#[mlp(20, 1, input = 3, unroll = sometimes)]
pub struct Net;

fn main() {
    let _ = Net;
}
