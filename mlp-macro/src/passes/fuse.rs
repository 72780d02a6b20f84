//! Fusion: an activation and its derivative at the same point become one statement, which
//! lowers to one `value_and_derivative` call (one `exp` for both, for most activations).
//!
//! Where a layer's second derivative is wanted with its slope, and the activation has it
//! from its value and slope (`tanh'' = -2·tanh·tanh'`, [`Builtin::second_from_value_and_slope`]),
//! the value is computed with the slope even where nothing else reads it: a row of
//! `value_and_derivative`, then `second_derivative_from` element by element, took 95 ns for
//! 64 elements where the slopes' row and `second_derivative` (one more `tanh` each) took
//! 206 ns (24 against 40 ns for 10, 195 against 416 for 128; AVX-512, a Xeon); the same
//! bits.

use crate::ir::{Expr, Name, Program, Role, Stmt};
use crate::model::Act;
#[cfg(doc)]
use crate::model::Builtin;

/// Joins `a[…] = f(z[…])` and a later `s[…] = f'(z[…])` into `a[…], s[…] = f(z[…]), f'(z[…])`,
/// first putting `a[…] = f(z[…])` before a slope whose layer's second derivative follows from
/// them.
pub fn fuse(p: &mut Program) {
    values_for_second_derivatives(p);
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

/// Before each `s[…] = f'(z[…])` with `f''(z[…])` computed too, no `f(z[…])`, and `f` an
/// activation whose second derivative follows from its value and slope: `a[…] = f(z[…])`.
fn values_for_second_derivatives(p: &mut Program) {
    let mut n = 0;
    while n < p.stmts.len() {
        let stmt = &p.stmts[n];
        let (
            &[s],
            [
                Expr::Act {
                    layer,
                    order: 1,
                    arg,
                },
            ],
        ) = (stmt.targets.as_slice(), stmt.values.as_slice())
        else {
            n += 1;
            continue;
        };
        let (layer, arg) = (*layer, (**arg).clone());
        let computed = |order: u8| {
            let wanted = Expr::act(layer, order, arg.clone());
            p.stmts.iter().any(|other| other.values.contains(&wanted))
        };
        let from_value = matches!(p.act(layer), Act::Builtin(b) if b.second_from_value_and_slope());
        if from_value && computed(2) && !computed(0) {
            let axes = p.tensors[s].axes.clone();
            let a = p.tensor(Name::layer("a", layer), Role::Computed, axes);
            p.stmts.insert(n, Stmt::new(a, Expr::act(layer, 0, arg)));
            n += 1;
        }
        n += 1;
    }
}
