//! Scheduling: the products by one weight matrix brought together, so that the matrix comes
//! from memory once and from L1 after. The Laplacian of a 3-64-64-64-1 network multiplies
//! `W2` by `a1`, by each tangent `ȧ1[c]` and by the second-order sum `Σä1`: products the
//! derivation leaves in three places (the forward pass, the tangents, the second order),
//! each reading `W2`'s 32 KB again after `W3`'s had pushed it out of L1. Scheduled, its
//! `laplacian` took −14 to −16 % with AVX-512 and its `hessian` −7 to −11 %
//! (docs/performance-log.md, "The twenty-first session").
//!
//! Only the order of the statements changes: each computes what it did, to the bit. A
//! network whose weights fit in L1 together is left as it is, since no order reads them
//! from further away.

use crate::ir::{Expr, Extent, Ix, Program, Role, Tensor, TensorId};

/// A product using each weight this many times or more is bound by its arithmetic, not by
/// reading the weights: it stays where it is.
const FEW: usize = 8;

/// The weights (elements) that fit in the smallest L1 data cache of the machines the
/// library is measured on: 32 KB of `f64` (Zen 3 and 4; the Xeon's holds 48 KB).
const L1: usize = 4096;

/// Moves each product by weight matrices that fit in [`L1`] up, to just after the
/// earliest earlier product by one of them such that nothing it needs between the two
/// multiplies by another matrix; what it needs there moves up with it, in its order, and
/// the rest between follows it, in theirs. It moves only past a product by another matrix
/// of an eighth of [`L1`] or more (not an output layer of a few rows), and nothing moves if
/// the weights fit in [`L1`] together.
pub fn schedule(p: &mut Program) {
    if weights(p) <= L1 {
        return;
    }
    for n in 0..p.stmts.len() {
        let mine = products(p, n, Some(L1));
        if mine.is_empty() || !streams(p, n) {
            continue;
        }
        // Whether `n` needs statement `m`, or a statement it needs does, for `m` from `n`
        // back; candidates until a needed one multiplies by another matrix.
        let mut needed = vec![false; n];
        let mut after = None;
        for m in (0..n).rev() {
            needed[m] = needs(p, n, m) || (m + 1..n).any(|r| needed[r] && needs(p, r, m));
            let theirs = products(p, m, None);
            if theirs.iter().any(|w| mine.contains(w)) {
                after = Some(m);
            }
            if needed[m] && theirs.iter().any(|w| !mine.contains(w)) {
                break;
            }
        }
        let Some(after) = after else { continue };
        let (moved, stay): (Vec<usize>, Vec<usize>) = (after + 1..n).partition(|&m| needed[m]);
        // Worth it only past a product by another matrix that takes a share of L1.
        let evicts = |w: &TensorId| {
            !mine.contains(w) && elements(p, &p.tensors[*w]).is_none_or(|n| n >= L1 / 8)
        };
        if !stay
            .iter()
            .any(|&m| products(p, m, None).iter().any(evicts))
        {
            continue;
        }
        let order: Vec<_> = moved.into_iter().chain([n]).chain(stay).collect();
        let stmts: Vec<_> = order.iter().map(|&m| p.stmts[m].clone()).collect();
        p.stmts.splice(after + 1..=n, stmts);
    }
}

/// The elements of the weight matrices of known widths.
fn weights(p: &Program) -> usize {
    p.tensors
        .iter()
        .filter(|t| is_matrix(t))
        .filter_map(|t| elements(p, t))
        .sum()
}

/// A tensor's elements, if its widths are known (not a generic input width).
fn elements(p: &Program, t: &Tensor) -> Option<usize> {
    t.axes
        .iter()
        .map(|&v| match p.extent(v) {
            Extent::Fixed(n) => Some(n),
            Extent::Input => None,
        })
        .product()
}

/// Whether `t` is a weight matrix (a bias is a vector).
fn is_matrix(t: &Tensor) -> bool {
    t.role == Role::Parameter && t.axes.len() > 1
}

/// The weight matrices which statement `n` sums products of (reads inside a sum over one
/// of their axes): of at most `most` elements, or any if there is no `most`.
fn products(p: &Program, n: usize, most: Option<usize>) -> Vec<TensorId> {
    let mut products = Vec::new();
    for value in &p.stmts[n].values {
        value.visit_reads(&mut |t, ixs, bound| {
            let summed = ixs
                .iter()
                .any(|ix| matches!(ix, Ix::Var(v) if bound.contains(v)));
            let tensor = &p.tensors[t];
            let fits = most.is_none_or(|most| elements(p, tensor).is_some_and(|n| n <= most));
            if summed && is_matrix(tensor) && fits {
                products.push(t);
            }
        });
    }
    products
}

/// Whether statement `n` uses each element of the weight matrices it multiplies by fewer
/// than [`FEW`] times: for fewer than [`FEW`] of its elements, those along its axes that
/// do not index the matrix (the directions of `ż2[c,i] = Σ_j W2[i,j]·ȧ1[c,j]`).
fn streams(p: &Program, n: usize) -> bool {
    let axes = &p.tensors[p.stmts[n].targets[0]].axes;
    let mut most = 1;
    for value in &p.stmts[n].values {
        value.visit_reads(&mut |t, ixs, _| {
            if is_matrix(&p.tensors[t]) {
                let uses = axes
                    .iter()
                    .filter(|&&axis| !ixs.contains(&Ix::Var(axis)))
                    .map(|&axis| p.extent(axis).or(FEW))
                    .product();
                most = most.max(uses);
            }
        });
    }
    most < FEW
}

/// Whether statement `reader` needs the earlier statement `m` before it: reads what it
/// writes, or takes an activation's second derivative where `m` computes its value or
/// slope, which lowering then computes it from (`second_derivative_from`).
fn needs(p: &Program, reader: usize, m: usize) -> bool {
    let writes = &p.stmts[m].targets;
    let mut reads = false;
    let mut seconds = Vec::new();
    for value in &p.stmts[reader].values {
        value.visit_reads(&mut |t, _, _| reads |= writes.contains(&t));
        value.walk(&mut |e| {
            if let Expr::Act {
                layer,
                order: 2,
                arg,
            } = e
            {
                seconds.push((*layer, (**arg).clone()));
            }
        });
    }
    let shares = |e: &Expr| {
        matches!(e, Expr::Act { layer, order: 0 | 1, arg }
            if seconds.iter().any(|(l, a)| l == layer && a == &**arg))
    };
    let mut computes = false;
    for value in &p.stmts[m].values {
        value.walk(&mut |e| computes |= shares(e));
    }
    reads || computes
}
