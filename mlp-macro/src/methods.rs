//! The program behind each generated method: the forward pass, differentiated as the
//! method needs, then optimized.

use crate::cost;
use crate::derive::{Direction, Seed, reverse, tangent};
use crate::forward::Forward;
use crate::ir::{Expr, Name, Program, Role, Stmt};
use crate::lower::Returns;
use crate::passes::inline::{Inline, inline};
use crate::passes::{optimize, simplify};

/// A generic input width is taken to be this wide when comparing costs, so that what grows
/// with it dominates.
const WIDE: usize = 1024;

/// The forward pass with the output activation applied in place: `y[o] = Σ_i W3[o,i]·a2[i] + b3[o]`.
fn primal(forward: &Forward) -> Program {
    let mut p = forward.program.clone();
    simplify::program(&mut p);
    inline(&mut p, &Inline::Free);
    p
}

/// `forward`: the output.
pub fn forward(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    optimize(&mut p);
    (p, Returns::Array(f.y))
}

/// `value`: the only output.
pub fn value(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    optimize(&mut p);
    (p, Returns::First(f.y))
}

/// `gradient` (and `value_and_gradient` when `with_value`): one reverse sweep from `ȳ = 1`.
pub fn gradient(f: &Forward, with_value: bool) -> (Program, Returns) {
    let mut p = primal(f);
    let g = reverse(&mut p, f.y, f.x, Seed::One, Name::plain("g"));
    p.outputs = if with_value { vec![f.y, g] } else { vec![g] };
    optimize(&mut p);
    let returns = if with_value {
        Returns::Pair(Box::new(Returns::First(f.y)), Box::new(Returns::Array(g)))
    } else {
        Returns::Array(g)
    };
    (p, returns)
}

/// `jacobian`: the cheaper of one reverse sweep per output (rows) and one tangent sweep per
/// input (columns), each done for all rows or columns at once along an extra axis.
pub fn jacobian(f: &Forward) -> (Program, Returns) {
    let [(rows, jr), (columns, jc)] = [jacobian_rows(f), jacobian_columns(f)];
    if cost::program(&columns, WIDE) < cost::program(&rows, WIDE) {
        (columns, Returns::Array(jc))
    } else {
        (rows, Returns::Array(jr))
    }
}

/// The Jacobian by reverse sweeps: `J[r,k]`, seeded with `ȳ[r,o] = δ(r,o)`.
pub fn jacobian_rows(f: &Forward) -> (Program, usize) {
    let mut p = primal(f);
    let out = p.extent(p.tensors[f.y].axes[0]);
    let r = p.index("r", out);
    let jac = reverse(&mut p, f.y, f.x, Seed::Rows(r), Name::plain("J"));
    p.outputs = vec![jac];
    optimize(&mut p);
    (p, jac)
}

/// The Jacobian by tangent sweeps: `J[o,c]`, seeded with `ẋ[k,c] = δ(k,c)`.
pub fn jacobian_columns(f: &Forward) -> (Program, usize) {
    let mut p = primal(f);
    let input = p.extent(p.tensors[f.x].axes[0]);
    let c = p.index("c", input);
    let tangents = tangent(&mut p, f.x, Direction::Columns(c));
    let jac = match tangents.get(&f.y) {
        Some(&jac) => {
            p.tensors[jac].name = Name::plain("J");
            jac
        }
        // An output that does not move with the input (no such MLP): J = 0.
        None => {
            let axes = vec![p.tensors[f.y].axes[0], c];
            let jac = p.tensor(Name::plain("J"), Role::Computed, axes);
            p.stmts.push(Stmt::new(jac, Expr::ZERO));
            jac
        }
    };
    p.outputs = vec![jac];
    optimize(&mut p);
    (p, jac)
}
