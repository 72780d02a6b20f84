//! The forward pass of a [`Model`], as a [`Program`].
//!
//! ```text
//! z1[j] = Σ_k W1[j,k]·x[k] + b1[j]
//! a1[j] = tanh(z1[j])
//! z2[i] = Σ_j W2[i,j]·a1[j] + b2[i]
//! …
//! y[o] = identity(zL[o])
//! ```

use crate::ir::{Expr, Extent, Name, Program, Role, Stmt, TensorId};
use crate::model::{Input, Model};

/// The forward program and the tensors the derivatives are taken of and with respect to.
pub struct Forward {
    /// The program, output `y`.
    pub program: Program,
    /// The input `x`.
    pub x: TensorId,
    /// The output `y`.
    pub y: TensorId,
    /// The pre-activations `z1 … zL`.
    pub z: Vec<TensorId>,
}

/// Names of the hidden layers' unit indices, first layer first; the input's is `k` and the
/// output's `o` (`r` and `c` are kept for a Jacobian's rows and columns).
const HIDDEN: [&str; 8] = ["j", "i", "h", "m", "n", "p", "q", "t"];

/// The index name of hidden layer `l` (1-based).
fn hidden_index(l: usize) -> String {
    HIDDEN
        .get(l - 1)
        .map_or_else(|| format!("i{l}"), |&name| name.to_owned())
}

/// The forward pass of `model`, unsimplified: one statement per pre-activation and one per
/// activation.
pub fn forward(model: &Model) -> Forward {
    let acts = model.layers.iter().map(|l| l.act.clone()).collect();
    let mut p = Program::new(acts);
    let extent = match model.input {
        Input::Fixed(n) => Extent::Fixed(n),
        Input::Generic(_) => Extent::Input,
    };
    let k = p.index("k", extent);
    let x = p.tensor(Name::plain("x"), Role::Argument, vec![k]);
    let (mut prev, mut prev_index) = (x, k);
    let mut z = Vec::new();
    let count = model.layers.len();
    for (n, layer) in model.layers.iter().enumerate() {
        let l = n + 1;
        let last = l == count;
        let name = if last {
            "o".to_owned()
        } else {
            hidden_index(l)
        };
        let u = p.index(&name, Extent::Fixed(layer.width));
        let w = p.tensor(Name::layer("W", l), Role::Parameter, vec![u, prev_index]);
        let b = p.tensor(Name::layer("b", l), Role::Parameter, vec![u]);
        let zl = p.tensor(Name::layer("z", l), Role::Computed, vec![u]);
        /* z[u] = Σ_prev W[u,prev]·a[prev] + b[u] */
        let product = Expr::mul(
            Expr::read(w, &[u, prev_index]),
            Expr::read(prev, &[prev_index]),
        );
        let value = Expr::Add(vec![Expr::sum(prev_index, product), Expr::read(b, &[u])]);
        p.stmts.push(Stmt::new(zl, value));
        /* a[u] = f(z[u]) */
        let name = if last {
            Name::plain("y")
        } else {
            Name::layer("a", l)
        };
        let a = p.tensor(name, Role::Computed, vec![u]);
        p.stmts
            .push(Stmt::new(a, Expr::act(l, 0, Expr::read(zl, &[u]))));
        z.push(zl);
        (prev, prev_index) = (a, u);
    }
    p.outputs = vec![prev];
    Forward {
        program: p,
        x,
        y: prev,
        z,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::forward;
    use crate::expand::model;

    #[test]
    fn one_statement_per_tensor() {
        let m = model(
            quote!(3, 2, input = 4, output = sigmoid),
            quote!(
                struct N;
            ),
        )
        .unwrap();
        let f = forward(&m);
        let want = "\
index  k < 4, j < 3, o < 2
input  x[k]
param  W1[j,k] b1[j] W2[o,j] b2[o]
z1[j] = Σ_k W1[j,k]·x[k] + b1[j]
a1[j] = tanh(z1[j])
z2[o] = Σ_j W2[o,j]·a1[j] + b2[o]
y[o] = sigmoid(z2[o])
output y";
        assert_eq!(f.program.to_string(), want);
        assert_eq!((f.x, f.y, f.z.len()), (0, 8, 2));
    }

    #[test]
    fn deep_nets_name_their_indices() {
        let m = model(
            quote!(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1),
            quote!(
                struct N;
            ),
        )
        .unwrap();
        let text = forward(&m).program.to_string();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            "index  k < IN, j < 2, i < 2, h < 2, m < 2, n < 2, p < 2, q < 2, t < 2, i9 < 2, i10 < 2, o < 1"
        );
    }
}
