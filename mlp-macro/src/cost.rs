//! Operation counts: floating-point operations (a multiply and an add count two, an
//! activation call one), from the IR alone.

use crate::ir::{Expr, Program, Stmt};

/// Operations to evaluate `e` once; a generic input width counts as `generic`.
pub fn expr(p: &Program, e: &Expr, generic: usize) -> usize {
    let all = |es: &[Expr]| es.iter().map(|e| expr(p, e, generic)).sum::<usize>();
    match e {
        Expr::Num(_) | Expr::Read(..) | Expr::Delta(..) => 0,
        Expr::Act { arg, .. } => 1 + expr(p, arg, generic),
        Expr::Add(es) | Expr::Mul(es) => es.len() - 1 + all(es),
        Expr::Sum(v, body) => {
            let n = p.extent(*v).or(generic);
            n * expr(p, body, generic) + n.saturating_sub(1)
        }
    }
}

/// Operations to evaluate a statement over all its axes.
pub fn stmt(p: &Program, s: &Stmt, generic: usize) -> usize {
    let axes = &p.tensors[s.targets[0]].axes;
    let elements: usize = axes.iter().map(|&a| p.extent(a).or(generic)).product();
    elements * s.values.iter().map(|v| expr(p, v, generic)).sum::<usize>()
}

/// Operations to run a whole program.
pub fn program(p: &Program, generic: usize) -> usize {
    p.stmts.iter().map(|s| stmt(p, s, generic)).sum()
}
