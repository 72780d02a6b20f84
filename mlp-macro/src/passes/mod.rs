//! Passes over a [`Program`](crate::ir::Program), one per file, chained by [`optimize`].

pub mod dce;
pub mod fuse;
pub mod hoist;
pub mod inline;
pub mod simplify;

use crate::ir::Program;

/// What every method's program goes through before lowering: simplified, cheap
/// intermediates inlined, dead statements dropped, activation derivatives hoisted and fused
/// with their values.
pub fn optimize(p: &mut Program) {
    simplify::program(p);
    inline::inline(p, &inline::Inline::Free);
    dce::dce(p);
    hoist::hoist(p);
    fuse::fuse(p);
    dce::dce(p);
}
