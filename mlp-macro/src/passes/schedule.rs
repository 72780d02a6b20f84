//! Scheduling: the statements that read nothing computed (only the method's arguments and
//! the network's weights) go first, in their order.
//!
//! A tangent sweep's first sum (`hvp`'s `ż1[j] = Σ_k W1[j,k]·v[k]`) needs only the
//! arguments, but derivation writes it after the forward sweep, and the processor reaches
//! it only once that sweep's chain of dependent steps (sums, then `tanh`, …) has drained.
//! Written first, its loads run while that chain waits: the seed's `hvp` measured 248
//! against 268 ns in a scratch program (the same statements moved by hand; the fastest of
//! six interleaved runs). The values are the same to the bit: only independent statements
//! change places.

use crate::ir::{Program, Role};

/// Moves every statement reading no computed tensor before the others, keeping the order
/// within each group.
pub fn schedule(p: &mut Program) {
    let stmts = std::mem::take(&mut p.stmts);
    let (first, rest): (Vec<_>, Vec<_>) = stmts.into_iter().partition(|stmt| {
        let mut computed = false;
        for value in &stmt.values {
            value.visit_reads(&mut |t, _, _| computed |= p.tensors[t].role == Role::Computed);
        }
        !computed
    });
    p.stmts = first;
    p.stmts.extend(rest);
}
