//! Layout: a computed matrix whose rows are shorter than a vector (the tangents of a
//! network of three inputs, `ż2[i,c]` with `c < 3`) is stored transposed, `ż2[c,i]`, so
//! that its rows are the long axis and the kernels fill their vectors along them.
//!
//! Only the order of the tensor's axes changes, and its reads with it: every element is the
//! same expression. Lowering then takes each statement along its new last axis, which may
//! change how a sum is added up (`ż2[c,i] = Σ_j W2[i,j]·ȧ1[c,j]` in `dot`'s eight lanes,
//! where `ż2[i,c]` went a term at a time), and so the last bits, within the same bound.

use crate::ir::{Expr, Extent, Program, Role, TensorId};

/// Rows of fewer lanes than this fill no `f64` vector of the kernels (AVX-512's eight).
pub const SHORT: usize = 8;

/// Transposes every computed matrix (not a result, not symmetric) whose rows are shorter
/// than [`SHORT`] lanes and fewer than its columns.
pub fn layout(p: &mut Program) {
    let short: Vec<TensorId> = (0..p.tensors.len()).filter(|&t| is_short(p, t)).collect();
    for &t in &short {
        p.tensors[t].axes.swap(0, 1);
    }
    p.map_values(|_, e| {
        e.map_reads(&mut |r, ixs| {
            short
                .contains(&r)
                .then(|| Expr::Read(r, vec![ixs[1], ixs[0]]))
        })
    });
}

/// Whether `t` is a computed matrix of known widths, not a result nor symmetric, whose rows
/// are shorter than [`SHORT`] lanes and fewer than its columns.
fn is_short(p: &Program, t: TensorId) -> bool {
    let tensor = &p.tensors[t];
    let &[rows, lanes] = tensor.axes.as_slice() else {
        return false;
    };
    let (Extent::Fixed(rows), Extent::Fixed(lanes)) = (p.extent(rows), p.extent(lanes)) else {
        return false;
    };
    tensor.role == Role::Computed
        && !tensor.symmetric
        && !p.outputs.contains(&t)
        && lanes < SHORT
        && lanes < rows
}
