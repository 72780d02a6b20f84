use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub struct Net {
    scale: f64,
}

fn main() {
    let _ = Net { scale: 1.0 };
}
