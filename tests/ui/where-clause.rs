use mlp::mlp;

#[mlp(20, 1)]
pub struct Net<const IN: usize>
where
    [(); IN]:;

fn main() {}
