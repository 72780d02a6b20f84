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

/// The steps the vector kernels take along a row of `n` lanes (`f64`'s): whole AVX-512
/// vectors of eight, one AVX vector of four, then one lane at a time; a row of fewer than
/// four lanes has no vector at all.
fn vector_steps(n: usize) -> usize {
    n / 8 + n % 8 / 4 + n % 4
}

/// [`program`]'s operations, each statement's scaled by the vector steps along its last
/// axis (the one it is computed along, `lower::lanes`) per lane of it: to choose between
/// two programs of the same values, where a statement over rows of three lanes costs three
/// steps a row and one over rows of 32 four.
pub fn vector_program(p: &Program, generic: usize) -> usize {
    p.stmts.iter().fold(0, |total, s| {
        let ops = stmt(p, s, generic);
        let lanes = p.tensors[s.targets[0]]
            .axes
            .last()
            .map_or(1, |&a| p.extent(a).or(generic).max(1));
        total.saturating_add(ops.saturating_mul(vector_steps(lanes)) / lanes)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn vector_steps_follow_the_kernels() {
        let steps = [3, 8, 12, 20, 32, 52, 7].map(super::vector_steps);
        assert_eq!(steps, [3, 1, 2, 3, 4, 7, 4]);
    }
}
