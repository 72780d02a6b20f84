use mlp::mlp;

#[mlp(20, 1, input = 3)]
pub struct Net<T>(core::marker::PhantomData<T>);

fn main() {}
