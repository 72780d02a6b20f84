use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub struct Net(f64);

fn main() {
    let _ = Net(1.0);
}
