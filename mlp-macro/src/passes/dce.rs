//! Dead-code elimination: statements no output depends on are dropped.

use crate::ir::Program;

/// Drops every statement none of whose targets an output needs.
pub fn dce(p: &mut Program) {
    let mut live = vec![false; p.tensors.len()];
    for &t in &p.outputs {
        live[t] = true;
    }
    let mut keep = vec![false; p.stmts.len()];
    for (n, stmt) in p.stmts.iter().enumerate().rev() {
        if stmt.targets.iter().any(|&t| live[t]) {
            keep[n] = true;
            for value in &stmt.values {
                value.visit_reads(&mut |t, _, _| live[t] = true);
            }
        }
    }
    let mut n = 0;
    p.stmts.retain(|_| {
        n += 1;
        keep[n - 1]
    });
}
