//! Passes over a [`Program`](crate::ir::Program), one per file, chained by [`optimize`].

pub mod contract;
pub mod dce;
pub mod fuse;
pub mod hoist;
pub mod inline;
pub mod layout;
pub mod simplify;

use crate::ir::Program;

/// What every method's program goes through before lowering: [`rewrite`], then matrices
/// of short rows transposed ([`layout::layout`]).
pub fn optimize(p: &mut Program) {
    rewrite(p);
    layout::layout(p);
}

/// The program simplified, sums pushed into what they sum, cheap intermediates inlined,
/// dead statements dropped, activation derivatives hoisted (then weights scaled by them
/// inlined) and fused with their values; its tensors laid out as the rules made them.
pub fn rewrite(p: &mut Program) {
    simplify::program(p);
    contract::contract(p);
    inline::inline(p, &inline::Inline::Free);
    dce::dce(p);
    hoist::hoist(p);
    inline::inline(p, &inline::Inline::ScaledWeights);
    fuse::fuse(p);
    dce::dce(p);
}

#[cfg(test)]
mod tests {
    use super::{
        dce::dce, fuse::fuse, hoist::hoist, inline::Inline, inline::inline, layout::layout,
    };
    use crate::ir::{Expr, Extent, Fixture, Name, Program, Role, Stmt};

    /// The fixture's program, with the statements `stmts` adds and whose outputs it gives.
    fn program(stmts: impl Fn(&mut Program, [usize; 4]) -> Vec<usize>) -> Program {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        p.outputs = stmts(&mut p, [x, w, k, j]);
        p
    }

    fn define(p: &mut Program, name: &'static str, axes: Vec<usize>, value: Expr) -> usize {
        let t = p.tensor(Name::plain(name), Role::Computed, axes);
        p.stmts.push(Stmt::new(t, value));
        t
    }

    fn text(p: &Program) -> Vec<String> {
        p.stmts.iter().map(|s| p.stmt(s)).collect()
    }

    #[test]
    fn inlines_what_costs_nothing() {
        let mut p = program(|p, [x, w, k, j]| {
            let u = define(
                p,
                "u",
                vec![k],
                Expr::mul(Expr::read(x, &[k]), Expr::Num(2.0)),
            );
            let v = define(
                p,
                "v",
                vec![j],
                Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(u, &[k]))),
            );
            let t = define(p, "t", vec![j], Expr::act(1, 0, Expr::read(v, &[j])));
            let c = define(p, "c", vec![j], Expr::ONE);
            let y = define(
                p,
                "y",
                vec![j],
                Expr::mul(Expr::read(t, &[j]), Expr::read(c, &[j])),
            );
            vec![y]
        });
        inline(&mut p, &Inline::Free);
        // `u` is read inside a sum whose other index `j` it does not have: kept. `v` is an
        // activation's argument: kept. `t` (read once, element for element) and the
        // constant `c` are inlined.
        assert_eq!(
            text(&p),
            [
                "u[k] = 2·x[k]",
                "v[j] = Σ_k W1[j,k]·u[k]",
                "y[j] = tanh(v[j])"
            ]
        );
    }

    #[test]
    fn inlines_a_scaled_weight_into_a_matrix_of_few_rows() {
        let inlined = |rows: usize| {
            let mut p = program(|p, [x, w, k, j]| {
                let r = p.index("r", Extent::Fixed(rows));
                let v = p.tensor(Name::plain("v"), Role::Argument, vec![r, j]);
                let s = define(
                    p,
                    "s",
                    vec![j],
                    Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]))),
                );
                let t = define(
                    p,
                    "t",
                    vec![j, k],
                    Expr::mul(Expr::read(s, &[j]), Expr::read(w, &[j, k])),
                );
                let y = define(
                    p,
                    "y",
                    vec![r, k],
                    Expr::sum(j, Expr::mul(Expr::read(v, &[r, j]), Expr::read(t, &[j, k]))),
                );
                vec![y]
            });
            inline(&mut p, &Inline::ScaledWeights);
            text(&p)
        };
        // Each of `t`'s elements is computed once per row of `y`: sixteen times at most.
        assert_eq!(
            inlined(16),
            [
                "s[j] = Σ_k W1[j,k]·x[k]",
                "y[r,k] = Σ_j v[r,j]·s[j]·W1[j,k]"
            ]
        );
        assert_eq!(
            inlined(17),
            [
                "s[j] = Σ_k W1[j,k]·x[k]",
                "t[j,k] = s[j]·W1[j,k]",
                "y[r,k] = Σ_j v[r,j]·t[j,k]"
            ]
        );
    }

    #[test]
    fn hoists_derivatives_and_fuses_them_with_values() {
        let mut p = program(|p, [x, _, k, _]| {
            let z = define(p, "z", vec![k], Expr::read(x, &[k]));
            let a = define(p, "a", vec![k], Expr::act(1, 0, Expr::read(z, &[k])));
            let slope = || Expr::act(1, 1, Expr::read(z, &[k]));
            let u = define(p, "u", vec![k], Expr::mul(slope(), Expr::read(a, &[k])));
            let v = define(p, "v", vec![k], Expr::Add(vec![slope(), Expr::ONE]));
            vec![u, v]
        });
        hoist(&mut p);
        let hoisted = [
            "z[k] = x[k]",
            "a[k] = tanh(z[k])",
            "s1[k] = tanh'(z[k])",
            "u[k] = s1[k]·a[k]",
            "v[k] = s1[k] + 1",
        ];
        assert_eq!(text(&p), hoisted);
        fuse(&mut p);
        assert_eq!(text(&p)[1], "a[k], s1[k] = tanh(z[k]), tanh'(z[k])");
        assert_eq!(p.stmts.len(), 4);
    }

    #[test]
    fn computes_tanh_with_its_slope_where_its_second_derivative_is_wanted() {
        let program_of = |with_second: bool| {
            program(|p, [x, _, k, _]| {
                let z = define(p, "z", vec![k], Expr::read(x, &[k]));
                let s = define(p, "s", vec![k], Expr::act(1, 1, Expr::read(z, &[k])));
                let mut out = vec![s];
                if with_second {
                    out.push(define(
                        p,
                        "c",
                        vec![k],
                        Expr::act(1, 2, Expr::read(z, &[k])),
                    ));
                }
                out
            })
        };
        let mut p = program_of(true);
        fuse(&mut p);
        assert_eq!(
            text(&p),
            [
                "z[k] = x[k]",
                "a1[k], s[k] = tanh(z[k]), tanh'(z[k])",
                "c[k] = tanh''(z[k])"
            ]
        );
        // The slope alone: no value.
        let mut p = program_of(false);
        fuse(&mut p);
        assert_eq!(text(&p), ["z[k] = x[k]", "s[k] = tanh'(z[k])"]);
    }

    #[test]
    fn transposes_matrices_of_short_rows() {
        // `t[j,k]` (2 rows of 3 lanes) is not transposed: its rows are the longer axis.
        // `u[k,j]` (3 rows of 2 lanes) is, and its reads with it; the output `y` is not.
        let mut p = program(|p, [x, w, k, j]| {
            let t = define(
                p,
                "t",
                vec![j, k],
                Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k])),
            );
            let u = define(p, "u", vec![k, j], Expr::read(t, &[j, k]));
            let y = define(p, "y", vec![k, j], Expr::read(u, &[k, j]));
            vec![y]
        });
        layout(&mut p);
        assert_eq!(
            text(&p),
            [
                "t[j,k] = W1[j,k]·x[k]",
                "u[j,k] = t[j,k]",
                "y[k,j] = u[j,k]"
            ]
        );
    }

    #[test]
    fn drops_what_no_output_needs() {
        let mut p = program(|p, [x, _, k, _]| {
            let u = define(p, "u", vec![k], Expr::read(x, &[k]));
            define(p, "dead", vec![k], Expr::read(u, &[k]));
            let y = define(p, "y", vec![k], Expr::read(u, &[k]));
            vec![y]
        });
        dce(&mut p);
        assert_eq!(text(&p), ["u[k] = x[k]", "y[k] = u[k]"]);
    }
}
