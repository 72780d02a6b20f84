use mlp::mlp;

#[mlp(20, 1)]
#[allow(non_upper_case_globals)]
pub struct Net<const k: usize>;

fn main() {}
