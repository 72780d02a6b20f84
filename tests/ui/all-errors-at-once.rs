use mlp::mlp;

#[mlp(20, 0, 1, inptu = 3, activation = sigmod, scalar = i32)]
pub struct Net;

fn main() {
    let _ = Net;
}
