use mlp::mlp;

/// A network with a layout of its own.
#[mlp(20, 1, input = 3)]
#[repr(C)]
pub struct Net;

fn main() {
    let _ = Net;
}
