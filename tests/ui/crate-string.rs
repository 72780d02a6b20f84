use mlp::mlp;

// As serde and tokio spell it; here the path goes without quotes.
#[mlp(20, 1, input = 3, crate = "mlp")]
pub struct Net;

fn main() {
    let _ = Net;
}
