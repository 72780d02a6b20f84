//! Fusion: an activation and its derivative at the same point become one statement, which
//! lowers to one `value_and_derivative` call (one `exp` for both, for most activations).

use crate::ir::{Expr, Program};

/// Joins `a[…] = f(z[…])` and a later `s[…] = f'(z[…])` into `a[…], s[…] = f(z[…]), f'(z[…])`.
pub fn fuse(p: &mut Program) {
    let mut n = 0;
    while n < p.stmts.len() {
        if let Some(m) = partner(p, n) {
            let derivative = p.stmts.remove(m);
            let stmt = &mut p.stmts[n];
            stmt.targets.extend(derivative.targets);
            stmt.values.extend(derivative.values);
        }
        n += 1;
    }
}

/// The statement after `n` holding the derivative of `n`'s activation, if `n` is one.
fn partner(p: &Program, n: usize) -> Option<usize> {
    let stmt = &p.stmts[n];
    let [
        Expr::Act {
            layer,
            order: 0,
            arg,
        },
    ] = stmt.values.as_slice()
    else {
        return None;
    };
    let axes = &p.tensors[stmt.targets[0]].axes;
    let wanted = Expr::act(*layer, 1, (**arg).clone());
    (n + 1..p.stmts.len()).find(|&m| {
        let other = &p.stmts[m];
        other.values.as_slice() == [wanted.clone()] && p.tensors[other.targets[0]].axes == *axes
    })
}
