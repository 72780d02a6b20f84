//! Operation counts: floating-point operations (a multiply and an add count two, an
//! activation call one), from the IR alone. Saturating, so that no width overflows them.

use crate::ir::{Expr, Program, Stmt};

/// Operations to evaluate `e` once; a generic input width counts as `generic`.
pub fn expr(p: &Program, e: &Expr, generic: usize) -> usize {
    let all = |es: &[Expr]| {
        es.iter()
            .fold(0, |n: usize, e| n.saturating_add(expr(p, e, generic)))
    };
    match e {
        Expr::Num(_) | Expr::Read(..) | Expr::Delta(..) => 0,
        Expr::Act { arg, .. } => expr(p, arg, generic).saturating_add(1),
        Expr::Add(es) | Expr::Mul(es) => all(es).saturating_add(es.len().saturating_sub(1)),
        Expr::Sum(v, body) => {
            let n = p.extent(*v).or(generic);
            n.saturating_mul(expr(p, body, generic))
                .saturating_add(n.saturating_sub(1))
        }
    }
}

/// Operations to evaluate a statement over all its axes (one triangle of a symmetric one).
pub fn stmt(p: &Program, s: &Stmt, generic: usize) -> usize {
    let tensor = &p.tensors[s.targets[0]];
    let mut elements = tensor
        .axes
        .iter()
        .fold(1, |n: usize, &a| n.saturating_mul(p.extent(a).or(generic)));
    if let (true, &[a, _]) = (tensor.symmetric, tensor.axes.as_slice()) {
        let n = p.extent(a).or(generic);
        elements = n.saturating_mul(n.saturating_add(1)) / 2;
    }
    let each = s
        .values
        .iter()
        .fold(0, |n: usize, v| n.saturating_add(expr(p, v, generic)));
    elements.saturating_mul(each)
}

/// Operations to run a whole program.
pub fn program(p: &Program, generic: usize) -> usize {
    p.stmts
        .iter()
        .fold(0, |n, s| n.saturating_add(stmt(p, s, generic)))
}
