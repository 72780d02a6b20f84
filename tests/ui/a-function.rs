use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub fn net() {}

fn main() {
    net();
}
