//! The same program over a block of samples at once: the batch kernels.
//!
//! Every argument gains a first axis `b` over the samples, and so does every tensor computed
//! from one: `z1[b,j] = Σ_k W1[j,k]·x[b,k] + b1[j]`. Each sample's values lie together, as
//! the batch's rows do, so that a block is read and written where it lies; the lowering
//! computes several samples side by side (`_mlp::dot_block`, `_mlp::sums_rows`), loading
//! each weight once for several, where a single call can only ever use it once; and every
//! sum is taken in the order the single call takes it, so that a block computes each sample
//! to the bit as a call for it alone would.

use std::collections::HashSet;

use crate::ir::{Expr, IndexId, Ix, Program, TensorId};

/// `p` over samples indexed by `b`, taken by `arguments`.
pub fn block(p: &Program, arguments: &[TensorId], b: IndexId) -> Program {
    let mut q = p.clone();
    let mut batched: HashSet<TensorId> = arguments.iter().copied().collect();
    for &a in arguments {
        q.tensors[a].axes.insert(0, b);
    }
    let mut stmts = std::mem::take(&mut q.stmts);
    for stmt in &mut stmts {
        let mut moves = false;
        for value in &stmt.values {
            value.visit_reads(&mut |t, _, _| moves |= batched.contains(&t));
        }
        for value in &mut stmt.values {
            *value = value.map_reads(&mut |t, ixs| {
                batched.contains(&t).then(|| {
                    let mut ixs = ixs.to_vec();
                    ixs.insert(0, Ix::Var(b));
                    Expr::Read(t, ixs)
                })
            });
        }
        // An output has the samples' axis even where it does not depend on them (the
        // gradient of a linear network): its value is broadcast.
        if moves || stmt.targets.iter().any(|t| q.outputs.contains(t)) {
            for &t in &stmt.targets {
                q.tensors[t].axes.insert(0, b);
                batched.insert(t);
            }
        }
    }
    q.stmts = stmts;
    q
}

#[cfg(test)]
mod tests {
    use super::block;
    use crate::ir::{Expr, Extent, Fixture, Name, Role, Stmt};

    #[test]
    fn samples_move_through_what_depends_on_them() {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        let z = p.tensor(Name::plain("z"), Role::Computed, vec![j]);
        let value = Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k])));
        p.stmts.push(Stmt::new(z, value));
        let c = p.tensor(Name::plain("c"), Role::Computed, vec![j]);
        p.stmts
            .push(Stmt::new(c, Expr::act(1, 0, Expr::read(w, &[j, k]))));
        let b = p.index("b", Extent::Fixed(16));
        let q = block(&p, &[x], b);
        let text: Vec<String> = q.stmts.iter().map(|s| q.stmt(s)).collect();
        assert_eq!(
            text,
            ["z[b,j] = Σ_k W1[j,k]·x[b,k]", "c[j] = tanh(W1[j,k])"]
        );
    }
}
