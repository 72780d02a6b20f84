//! Passes over a [`Program`], one per file, chained by [`optimize`].

pub mod contract;
pub mod dce;
pub mod fuse;
pub mod hoist;
pub mod inline;
pub mod layout;
pub mod schedule;
pub mod simplify;

use crate::ir::Program;

/// What every method's program goes through before lowering: [`rewrite`], then
/// [`arrange`].
pub fn optimize(p: &mut Program) {
    rewrite(p);
    arrange(p);
}

/// The program's tensors and statements put in the order they are best computed in:
/// matrices of short rows transposed ([`layout::layout`]), the products by one weight
/// matrix brought together ([`schedule::schedule`]).
pub fn arrange(p: &mut Program) {
    layout::layout(p);
    schedule::schedule(p);
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
        contract::contract, dce::dce, fuse::fuse, hoist::hoist, inline::Inline, inline::inline,
        layout::layout, schedule::schedule,
    };
    use crate::ir::{Expr, Extent, Fixture, Ix, Name, Program, Role, Stmt};
    use crate::model::{Act, Builtin};

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
    fn keeps_a_sum_read_in_another_sum_of_a_value_without_axes() {
        let mut p = program(|p, [x, w, k, j]| {
            let v = define(
                p,
                "v",
                vec![j],
                Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]))),
            );
            let weight = Expr::Read(w, vec![Ix::Var(j), Ix::At(0)]);
            let y = Expr::sum(j, Expr::mul(weight, Expr::read(v, &[j])));
            vec![define(p, "y", vec![], y)]
        });
        inline(&mut p, &Inline::Free);
        // Read once, element for element, but inlined each of `y`'s terms would be a dot
        // product of its own (a Laplacian's `Σz̈2` in `Δy`): kept.
        assert_eq!(
            text(&p),
            ["v[j] = Σ_k W1[j,k]·x[k]", "y = Σ_j W1[j,0]·v[j]"]
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

    /// `z1[j] = Σ_k W1[j,k]·x[k]` and `z2[i] = Σ_j W2[i,j]·z1[j]`, every width `n`, for the
    /// schedule's tests: the program and `[k, j, i, x, W1, W2, z1, z2]`.
    fn two_layers(n: usize) -> (Program, [usize; 8]) {
        let mut p = Program::new(vec![Act::Builtin(Builtin::Tanh)]);
        let [k, j, i] = ["k", "j", "i"].map(|v| p.index(v, Extent::Fixed(n)));
        let x = p.tensor(Name::plain("x"), Role::Argument, vec![k]);
        let w1 = p.tensor(Name::layer("W", 1), Role::Parameter, vec![j, k]);
        let w2 = p.tensor(Name::layer("W", 2), Role::Parameter, vec![i, j]);
        let z1 = define(&mut p, "z1", vec![j], rows(w1, [j, k], Expr::read(x, &[k])));
        let z2 = define(
            &mut p,
            "z2",
            vec![i],
            rows(w2, [i, j], Expr::read(z1, &[j])),
        );
        (p, [k, j, i, x, w1, w2, z1, z2])
    }

    /// `Σ_c w[r,c]·v`: a product by `w`'s rows.
    fn rows(w: usize, [r, c]: [usize; 2], v: Expr) -> Expr {
        Expr::sum(c, Expr::mul(Expr::read(w, &[r, c]), v))
    }

    #[test]
    fn brings_the_products_by_one_matrix_together() {
        let scheduled = |n: usize| {
            let (mut p, [k, j, i, x, w1, w2, z1, z2]) = two_layers(n);
            let (a1, s1) = (
                p.tensor(Name::plain("a1"), Role::Computed, vec![j]),
                p.tensor(Name::plain("s1"), Role::Computed, vec![j]),
            );
            let at_z1 = |order| Expr::act(1, order, Expr::read(z1, &[j]));
            p.stmts.push(Stmt {
                targets: vec![a1, s1],
                values: vec![at_z1(0), at_z1(1)],
            });
            // `W2ᵀ·z2`, by the columns of `W2`.
            let by_columns = Expr::sum(i, Expr::mul(Expr::read(w2, &[i, j]), Expr::read(z2, &[i])));
            let q = define(&mut p, "q", vec![j], by_columns);
            let by_w1 = rows(w1, [j, k], Expr::read(x, &[k]));
            let r = define(&mut p, "r", vec![j], Expr::mul(Expr::read(q, &[j]), by_w1));
            let c1 = define(&mut p, "c1", vec![j], at_z1(2));
            let t = define(&mut p, "t", vec![i], rows(w2, [i, j], Expr::read(c1, &[j])));
            p.outputs = vec![a1, s1, r, t];
            schedule(&mut p);
            text(&p)
        };
        let before = [
            "z1[j] = Σ_k W1[j,k]·x[k]",
            "z2[i] = Σ_j W2[i,j]·z1[j]",
            "a1[j], s1[j] = tanh(z1[j]), tanh'(z1[j])",
            "q[j] = Σ_i W2[i,j]·z2[i]",
            "r[j] = q[j]·Σ_k W1[j,k]·x[k]",
            "c1[j] = tanh''(z1[j])",
            "t[i] = Σ_j W2[i,j]·c1[j]",
        ];
        // 64 × 64 weights twice, 64 KB in `f64`: `t`, by `W2`, moves up past `r`, by `W1`,
        // to `z2`, with `c1` and the statement of the slope that lowering computes `c1`
        // from; `q` had nothing to move past, and `r` needs `q`, a product by `W2`.
        assert_eq!(
            scheduled(64),
            [
                before[0], before[1], before[2], before[5], before[6], before[3], before[4]
            ]
        );
        // Weights that fit in L1 together: nothing moves.
        assert_eq!(scheduled(32), before);
    }

    #[test]
    fn moves_a_product_only_where_that_saves_a_read() {
        // `t` could move up to `z2` past `y`, a product by a matrix of one row (no share of
        // L1), or past `v`, by `W1`, but it uses each weight of `W2` eight times (`c < 8`):
        // bound by its arithmetic. Nothing moves.
        let (mut p, [k, j, i, x, w1, w2, z1, z2]) = two_layers(64);
        let (o, c) = (
            p.index("o", Extent::Fixed(1)),
            p.index("c", Extent::Fixed(8)),
        );
        let w3 = p.tensor(Name::layer("W", 3), Role::Parameter, vec![o, i]);
        let y = define(&mut p, "y", vec![o], rows(w3, [o, i], Expr::read(z2, &[i])));
        let u = define(&mut p, "u", vec![i], rows(w2, [i, j], Expr::read(x, &[j])));
        let v = define(&mut p, "v", vec![j], rows(w1, [j, k], Expr::read(z2, &[k])));
        let m = define(&mut p, "m", vec![c, j], Expr::read(z1, &[j]));
        let t = define(
            &mut p,
            "t",
            vec![c, i],
            rows(w2, [i, j], Expr::read(m, &[c, j])),
        );
        p.outputs = vec![y, u, v, t];
        let before = text(&p);
        schedule(&mut p);
        assert_eq!(text(&p), before);
    }

    /// A sum is pushed into what it sums where that is read nowhere else, whatever a
    /// statement no output needs reads (the tangent sweeps leave such statements).
    #[test]
    fn pushes_a_sum_past_a_dead_read() {
        let mut p = program(|p, [x, w, k, j]| {
            let product = Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]));
            let u = define(p, "u", vec![j, k], product);
            define(p, "dead", vec![j, k], Expr::read(u, &[j, k]));
            let y = define(p, "y", vec![j], Expr::sum(k, Expr::read(u, &[j, k])));
            vec![y]
        });
        contract(&mut p);
        assert_eq!(text(&p), ["Σu[j] = Σ_k W1[j,k]·x[k]", "y[j] = Σu[j]"]);
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
