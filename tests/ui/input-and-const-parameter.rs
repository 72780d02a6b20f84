use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub struct Net<const IN: usize>;

fn main() {
    let _ = Net::<3>;
}
