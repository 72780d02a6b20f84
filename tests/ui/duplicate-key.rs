use mlp::mlp;

#[mlp(20, 1, input = 3, scalar = f32, input = 4)]
pub struct Net;

fn main() {
    let _ = Net;
}
