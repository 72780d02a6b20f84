use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub enum Net {
    Small,
}

fn main() {
    let _ = Net::Small;
}
