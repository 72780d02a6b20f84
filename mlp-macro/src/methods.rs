//! The program behind each generated method: the forward pass, differentiated as the
//! method needs, then optimized.

use std::collections::HashMap;

use crate::block::block;
use crate::cost;
use crate::derive::{
    Curve, Direction, Seed, curvature, reverse, reverse_adjoints, tangent, tangent_again,
};
use crate::forward::Forward;
use crate::ir::{Expr, Extent, IndexId, Ix, Mark, Name, Program, Role, Stmt, TensorId};
use crate::lower::Returns;
use crate::passes::inline::{Inline, inline};
use crate::passes::layout::SHORT;
use crate::passes::{arrange, optimize, rewrite, simplify};
use crate::targets::Kernels;

/// A generic input width is taken to be this wide when comparing costs, so that what grows
/// with it dominates.
const WIDE: usize = 1024;

/// The forward pass with the output activation applied in place: `y[o] = Σ_i W3[o,i]·a2[i] + b3[o]`.
fn primal(forward: &Forward) -> Program {
    let mut p = forward.program.clone();
    simplify::program(&mut p);
    inline(&mut p, &Inline::Free);
    p
}

/// `forward`: the output.
pub fn forward(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    optimize(&mut p);
    (p, Returns::Array(f.y))
}

/// `value`: the only output.
pub fn value(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    optimize(&mut p);
    (p, Returns::First(f.y))
}

/// `gradient` (and `value_and_gradient` when `with_value`): one reverse sweep from `ȳ = 1`.
pub fn gradient(f: &Forward, with_value: bool) -> (Program, Returns) {
    let mut p = primal(f);
    let g = reverse(&mut p, f.y, f.x, Seed::One, Name::plain("g"));
    p.outputs = if with_value { vec![f.y, g] } else { vec![g] };
    optimize(&mut p);
    let returns = if with_value {
        Returns::Tuple(vec![Returns::First(f.y), Returns::Array(g)])
    } else {
        Returns::Array(g)
    };
    (p, returns)
}

/// `jacobian` and `forward_and_jacobian`: one reverse sweep per output (rows) or one
/// tangent sweep per input (columns), each done for all rows or columns at once along an
/// extra axis, whichever costs less: with the vector kernels (AVX and FMA) by vector steps
/// ([`cost::vector_program`]), the tangent sweeps' rows being as long as the input, which
/// a few inputs do not fill; without them by operations ([`cost::program`]). The second
/// program is there only where the two differ. A 3-32-32-6 network, by operations, took
/// its Jacobian by columns, 775–785 ns on a Xeon with AVX-512 (840 ns with AVX alone); by
/// rows 452 ns (650 ns); but on the default target 1.28 µs by columns, 1.61 by rows
/// (`scripts/ab-min.sh`, `tall-jacobian`). The choice is made on the programs as the
/// rules lay them out, which is what those figures measured; the chosen ones are then
/// arranged as every method's is ([`crate::passes::arrange`]: a few inputs' tangents laid
/// out a direction to a row), which took the 2-16-40 network's `jacobian` (by columns) from
/// 271 to 179 ns with AVX-512, where the 3-32-32-6 network's, by columns so laid out, took
/// 288–400 ns against 204–208 by rows.
///
/// `forward_and_jacobian` keeps the output too, from the same forward sweep, and takes the
/// sweeps the Jacobian alone takes.
pub fn jacobians(f: &Forward) -> [ByTarget; 2] {
    let [(rows, jr), (columns, jc)] = [jacobian_rows(f, false), jacobian_columns(f, false)];
    let by_columns = |cost: fn(&Program, usize) -> usize| cost(&columns, WIDE) < cost(&rows, WIDE);
    let (vector, scalar) = (by_columns(cost::vector_program), by_columns(cost::program));
    let with_value = [jacobian_rows(f, true), jacobian_columns(f, true)];
    [([(rows, jr), (columns, jc)], false), (with_value, true)].map(
        |([(mut rows, jr), (mut columns, jc)], with_value)| {
            arrange(&mut rows);
            arrange(&mut columns);
            let returns = |j| match with_value {
                true => Returns::Tuple(vec![Returns::Array(f.y), Returns::Array(j)]),
                false => Returns::Array(j),
            };
            let rows = Sweeps {
                program: rows,
                returns: returns(jr),
                what: "one reverse sweep per output",
            };
            let columns = Sweeps {
                program: columns,
                returns: returns(jc),
                what: "one tangent sweep per input",
            };
            let (sweeps, without) = match (vector, scalar) {
                (true, true) => (columns, None),
                (false, false) => (rows, None),
                (true, false) => (columns, Some(rows)),
                (false, true) => (rows, Some(columns)),
            };
            ByTarget::split(sweeps, Kernels::Vector, without)
        },
    )
}

/// A method's sweeps, and, where the choice depends on the target, the sweeps of those
/// without some of the runtime's kernels.
pub struct ByTarget {
    /// Every target's, or those with the kernels'.
    pub sweeps: Sweeps,
    /// The kernels, and the sweeps of the targets without them.
    pub without: Option<(Kernels, Sweeps)>,
}

impl ByTarget {
    /// `sweeps` where the target has `kernels`, `without` (if any) where not.
    fn split(sweeps: Sweeps, kernels: Kernels, without: Option<Sweeps>) -> Self {
        let without = without.map(|w| (kernels, w));
        Self { sweeps, without }
    }
}

/// A program of a method and what it returns, and how it goes, in words.
pub struct Sweeps {
    pub program: Program,
    pub returns: Returns,
    pub what: &'static str,
}

/// The Jacobian by reverse sweeps: `J[r,k]`, seeded with `ȳ[r,o] = δ(r,o)` (its tensors as
/// the rules lay them out), after the output if `with_value`.
pub fn jacobian_rows(f: &Forward, with_value: bool) -> (Program, usize) {
    let mut p = primal(f);
    let out = p.extent(p.tensors[f.y].axes[0]);
    let r = p.index("r", out);
    let jac = reverse(&mut p, f.y, f.x, Seed::Rows(r), Name::plain("J"));
    p.outputs = with_value.then_some(f.y).into_iter().chain([jac]).collect();
    rewrite(&mut p);
    (p, jac)
}

/// The Jacobian by tangent sweeps: `J[o,c]`, seeded with `ẋ[k,c] = δ(k,c)` (its tensors as
/// the rules lay them out), after the output if `with_value`.
pub fn jacobian_columns(f: &Forward, with_value: bool) -> (Program, usize) {
    let mut p = primal(f);
    let input = p.extent(p.tensors[f.x].axes[0]);
    let c = p.index("c", input);
    let tangents = tangent(&mut p, f.x, Direction::Columns(c));
    let jac = match tangents.get(&f.y) {
        Some(&jac) => {
            p.tensors[jac].name = Name::plain("J");
            jac
        }
        // An output that does not move with the input (no such MLP): J = 0.
        None => {
            let axes = vec![p.tensors[f.y].axes[0], c];
            let jac = p.tensor(Name::plain("J"), Role::Computed, axes);
            p.stmts.push(Stmt::new(jac, Expr::ZERO));
            jac
        }
    };
    p.outputs = with_value.then_some(f.y).into_iter().chain([jac]).collect();
    rewrite(&mut p);
    (p, jac)
}

/// `name[axes] = 0`, for a derivative that vanishes identically.
fn zero(p: &mut Program, name: Name, axes: Vec<IndexId>) -> TensorId {
    let t = p.tensor(name, Role::Computed, axes);
    p.stmts.push(Stmt::new(t, Expr::ZERO));
    t
}

/// `jvp`: `J·v`, one tangent sweep along the argument `v`.
pub fn jvp(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    let k = p.tensors[f.x].axes[0];
    let v = p.tensor(Name::plain("v"), Role::Argument, vec![k]);
    let tangents = tangent(&mut p, f.x, Direction::Along(v));
    let axes = p.tensors[f.y].axes.clone();
    let jv = match tangents.get(&f.y) {
        Some(&jv) => jv,
        None => zero(&mut p, Name::plain("y").marked(Mark::Dot), axes),
    };
    p.outputs = vec![jv];
    optimize(&mut p);
    (p, Returns::Array(jv))
}

/// `vjp`: `uᵀ·J`, one reverse sweep from `ȳ = u`.
pub fn vjp(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    let o = p.tensors[f.y].axes[0];
    let u = p.tensor(Name::plain("u"), Role::Argument, vec![o]);
    let name = Name::plain("x").marked(Mark::Bar);
    let uj = reverse(&mut p, f.y, f.x, Seed::Along(u), name);
    p.outputs = vec![uj];
    optimize(&mut p);
    (p, Returns::Array(uj))
}

/// `hvp`: `H·v`, the tangent along `v` of the gradient's reverse sweep (forward over
/// reverse): a few gradients' work, and no Hessian.
pub fn hvp(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    let g = reverse(&mut p, f.y, f.x, Seed::One, Name::plain("g"));
    let k = p.tensors[f.x].axes[0];
    let v = p.tensor(Name::plain("v"), Role::Argument, vec![k]);
    let tangents = tangent(&mut p, f.x, Direction::Along(v));
    let hv = match tangents.get(&g) {
        Some(&hv) => hv,
        None => zero(&mut p, Name::plain("g").marked(Mark::Dot), vec![k]),
    };
    p.outputs = vec![hv];
    optimize(&mut p);
    (p, Returns::Array(hv))
}

/// `hessian` (and `value_gradient_hessian` when `with_gradient`), symmetric, so that one
/// triangle is computed, by one of two derivations:
///
/// - the tangent of the gradient's reverse sweep along every unit direction at once
///   (forward over reverse): `2·n₀` products by each weight matrix past the first, and the
///   first layer's `n₀(n₀+1)/2·n₁`;
/// - each unit's curvature weighted by its adjoint, on the layers' Jacobians
///   ([`curvature`]): `n₀` products by each matrix past the first, a reverse sweep, and a
///   triangle's `n₀(n₀+1)/2` products per hidden unit ([`curved`]).
///
/// The one of fewer operations: each layer past the first trades a product by its matrix
/// (`n₀·n_(l-1)·n_l`) for triangles (`n₀²/2·n_l`), a gain where the layer before is wider
/// than half the input. The 3-64-64-64-1 network (87,482 operations against 134,330) took
/// 25 % less time so; the 32-64-64-1 network 28–57 % less, the 64-128-128-1 network 22–32 %
/// less (`scripts/ab-min.sh`, AVX-512), once each entry's sums were taken a triangle of
/// rows at a time as the other form's are, where summed entry by entry, reading the
/// tangents down their columns, they had made the latter 65 % slower. The seed (52 inputs
/// against 20 and 10 units) keeps the tangents: by curvature it was no faster.
pub fn hessian(f: &Forward, with_gradient: bool) -> (Program, Returns) {
    let tangents = hessian_by(f, with_gradient, false);
    let curvature = hessian_by(f, with_gradient, true);
    let cost = |(p, _, _): &(Program, TensorId, TensorId)| cost::program(p, WIDE);
    let (p, g, h) = match cost(&curvature) < cost(&tangents) {
        true => curvature,
        false => tangents,
    };
    let returns = if with_gradient {
        Returns::Tuple(vec![
            Returns::First(f.y),
            Returns::Array(g),
            Returns::Array(h),
        ])
    } else {
        Returns::Array(h)
    };
    (p, returns)
}

/// The Hessian's program, its gradient `g` and its `H`: forward over reverse, or
/// (`by_curvature`) from the adjoints and the first tangents where that applies.
fn hessian_by(
    f: &Forward,
    with_gradient: bool,
    by_curvature: bool,
) -> (Program, TensorId, TensorId) {
    let mut p = primal(f);
    let forward = p.stmts.len();
    let (g, adjoints) = reverse_adjoints(&mut p, f.y, f.x, Seed::One, Name::plain("g"));
    let k = p.tensors[f.x].axes[0];
    let c = p.index("c", p.extent(k));
    let tangents = tangent(&mut p, f.x, Direction::Columns(c));
    let by_curvature = by_curvature
        .then(|| curvature(&p, forward, &adjoints, &tangents, f.x))
        .flatten()
        .filter(|curves| curves.iter().all(|curve| !curve.free.contains(&k)));
    let h = match (by_curvature, tangents.get(&g)) {
        (Some(curves), _) => {
            let value = curved(&mut p, &curves, k, c);
            let h = p.tensor(Name::plain("H"), Role::Computed, vec![k, c]);
            p.stmts.push(Stmt::new(h, value));
            h
        }
        (None, Some(&h)) => {
            p.tensors[h].name = Name::plain("H");
            h
        }
        (None, None) => zero(&mut p, Name::plain("H"), vec![k, c]),
    };
    p.tensors[h].symmetric = true;
    p.outputs = if with_gradient {
        vec![f.y, g, h]
    } else {
        vec![h]
    };
    optimize(&mut p);
    (p, g, h)
}

/// `H[k,c] = Σ Σ_J q[J,k]·ṡ[J,c]` for the `curves`, each curve's `q[J,c] = weight[J]·ṡ[J,c]`
/// a tensor of its own (`q2[i,c] = ā2[i]·c2[i]·ż2[i,c]`, named after the read's layer):
/// each term of each entry one multiply-add, not three multiplications and an add, and
/// each sum a product of two matrices, as the tangent form's last `Σ_j W1[j,k]·ż̄1[j,c]`
/// is, which the kernels take a triangle of rows at a time (`_mlp::sums_lower`). Where the
/// sums compute each element of the scaled weight `q1 = ā1·c1·W1` a few times only (up to
/// sixteen inputs), it is written into them again ([`Inline::ScaledWeights`]).
fn curved(p: &mut Program, curves: &[Curve], k: IndexId, c: IndexId) -> Expr {
    // Fewer inputs than a vector's lanes: the tangents are laid out a direction to a row
    // and each entry is a few dot products along them, which compute the factors in
    // passing; apart, as tensors, the 3-64-64-64-1 network's `hessian` measured 6–18 %
    // slower (`scripts/ab-min.sh`, two alignments).
    if matches!(p.extent(k), Extent::Fixed(n) if n < SHORT) {
        let terms = curves
            .iter()
            .map(|curve| curve.weighted(Expr::mul(curve.dot(k), curve.dot(c))));
        return Expr::Add(terms.collect());
    }
    let mut terms = Vec::new();
    for curve in curves {
        let layer = p.tensors[curve.read()].name.layer.unwrap_or(0);
        // Not along an index of one value (the output's `o`, where the last activation
        // is read by the output layer): that is read at 0.
        let (single, rows): (Vec<IndexId>, Vec<IndexId>) = curve
            .free
            .iter()
            .partition(|&&v| p.extent(v) == Extent::Fixed(1));
        let axes = [rows.as_slice(), &[c]].concat();
        let q = p.tensor(Name::layer("q", layer), Role::Computed, axes);
        let value = Expr::mul(curve.weight.clone(), curve.dot(c));
        let value = single.iter().fold(value, |e, &v| e.replace(v, Ix::At(0)));
        p.stmts.push(Stmt::new(q, value));
        let at = [rows.as_slice(), &[k]].concat();
        terms.push(curve.summed(Expr::mul(Expr::read(q, &at), curve.dot(c))));
    }
    Expr::Add(terms)
}

/// `laplacian`: `Σ_c ∂²y/∂x_c²` by two tangent sweeps along the same unit directions,
/// summed over them; [`contract`](crate::passes::contract) then pushes that sum through
/// the layers, so that only the hidden layers' Jacobians are formed, never the Hessian.
pub fn laplacian(f: &Forward) -> (Program, Returns) {
    let mut p = primal(f);
    let k = p.tensors[f.x].axes[0];
    let c = p.index("c", p.extent(k));
    let first = tangent(&mut p, f.x, Direction::Columns(c));
    let value = second_tangents(&mut p, f, c, &first);
    let laplacian = p.tensor(Name::plain("Δy"), Role::Computed, Vec::new());
    p.stmts.push(Stmt::new(laplacian, value));
    p.outputs = vec![laplacian];
    optimize(&mut p);
    (p, Returns::First(laplacian))
}

/// `value_gradient_laplacian`, by one of two derivations:
///
/// - `laplacian`'s, with the gradient read off the first tangents ([`gradient_off`]): a
///   product by the last hidden layer's Jacobian more (37,827 operations for the seed
///   network, against 36,809 for `laplacian`);
/// - the gradient's reverse sweep with the first tangent sweep, and the Laplacian from the
///   two ([`curvature`]): each unit's curvature weighted by its adjoint, in place of the
///   second tangents' product by each weight matrix past the first (38,887 for the seed).
///
/// The two cost about as many operations; but the reverse sweep reads each weight matrix
/// once more, transposed, where with dot products in vector registers the second tangents'
/// products share their reads with the first tangents'. So the first is taken on x86-64
/// ([`Kernels::Dots`]). With AVX and FMA the 3-64-64-64-1 network's call took 15–17 % less
/// time so, the seed's 6 % less, the others of `scripts/ab-min.sh` up to 18 % less or the
/// same (AVX-512; with AVX2 8 % less, the seed's 4 % more, the others 0 to 7 % less); with
/// SSE2 (the default target, on a Zen 1 EPYC) 4–7 % less for the 3-64-64-64-1 network,
/// 2–4 % for the seed, up to 8 % for others, within 3 % either way for the smallest
/// (10-10-10-1, 20-12-8-1, 40-24-1; at two alignments, docs/performance-log.md, "The
/// forty-second session"). Other
/// targets keep the second: there each product goes alone, a second tangents' sum a dot
/// product per element, and the first was 7–15 % slower on the default target before its
/// SSE2 kernels, though 16 % faster for a 10-10-10-1 network ("The fortieth session"). Past
/// one hidden layer, the first sums the gradient otherwise than `gradient` does, and the
/// second the Laplacian otherwise than `laplacian` does: their last bits may differ.
pub fn value_gradient_laplacian(f: &Forward) -> ByTarget {
    let tangents = laplacian_with_gradient(f, false);
    let curvature = laplacian_with_gradient(f, true);
    ByTarget::split(tangents, Kernels::Dots, Some(curvature))
}

/// `value_gradient_laplacian`'s program: by second tangents, the gradient off the first; or
/// (`by_curvature`) by the gradient's reverse sweep, the Laplacian from its adjoints where
/// [`curvature`] applies.
fn laplacian_with_gradient(f: &Forward, by_curvature: bool) -> Sweeps {
    let mut p = primal(f);
    let forward = p.stmts.len();
    let k = p.tensors[f.x].axes[0];
    let c = p.index("c", p.extent(k));
    let name = match by_curvature {
        true => Name::plain("g"),
        false => Name::plain("x").marked(Mark::Bar),
    };
    let (reverse, adjoints) = reverse_adjoints(&mut p, f.y, f.x, Seed::One, name);
    let first = tangent(&mut p, f.x, Direction::Columns(c));
    let curves = by_curvature
        .then(|| curvature(&p, forward, &adjoints, &first, f.x))
        .flatten();
    let value = match &curves {
        Some(curves) => crate::derive::laplacian(curves, c),
        None => second_tangents(&mut p, f, c, &first),
    };
    let laplacian = p.tensor(Name::plain("Δy"), Role::Computed, Vec::new());
    p.stmts.push(Stmt::new(laplacian, value));
    let g = match by_curvature {
        true => reverse,
        false => {
            let g = p.tensor(Name::plain("g"), Role::Computed, vec![k]);
            let value = gradient_off(&p, f, k, &first, &adjoints);
            p.stmts.push(Stmt::new(g, value));
            g
        }
    };
    p.outputs = vec![f.y, g, laplacian];
    optimize(&mut p);
    let returns = Returns::Tuple(vec![
        Returns::First(f.y),
        Returns::Array(g),
        Returns::First(laplacian),
    ]);
    let what = match by_curvature {
        true => "the Laplacian from the gradient's adjoints",
        false => "the gradient off the Laplacian's first tangents",
    };
    Sweeps {
        program: p,
        returns,
        what,
    }
}

/// The gradient `g[k]` off the first tangents along the columns (`k` for them), at the last
/// hidden layer's pre-activation `z`: `Σ_J z̄[J]·ż[J,k]`, its adjoint by a reverse sweep
/// through the layers after it (what is left of the sweep once nothing else reads it). The
/// adjoint, `δ[J] = W_L[0,J]·f'(z[J])`, is a tensor of its own, computed once, not a
/// product in every term of every entry: in the seed network's `value_gradient_laplacian`
/// the latter, `Σ_i W3[0,i]·s2[i]·ż2[i,k]`, took 6 % more time than the call by the
/// reverse sweep it replaced, the former 2–6 % less. Without a hidden layer, `ẏ[0,k]`.
fn gradient_off(
    p: &Program,
    f: &Forward,
    k: IndexId,
    first: &HashMap<TensorId, TensorId>,
    adjoints: &HashMap<TensorId, TensorId>,
) -> Expr {
    let hidden = f.z.len().checked_sub(2).map(|l| f.z[l]);
    let cut = hidden.and_then(|z| Some((z, *first.get(&z)?, *adjoints.get(&z)?)));
    match (cut, first.get(&f.y)) {
        /* g[k] = Σ_J z̄[J]·ż[J,k] */
        (Some((z, dz, bar)), _) => {
            let axes = p.tensors[z].axes.clone();
            let mut at: Vec<Ix> = axes.iter().copied().map(Ix::Var).collect();
            at.push(Ix::Var(k));
            let term = Expr::mul(Expr::read(bar, &axes), Expr::Read(dz, at));
            axes.iter().rev().fold(term, |e, &v| Expr::sum(v, e))
        }
        /* g[k] = ẏ[0,k] */
        (None, Some(&dy)) => Expr::Read(dy, vec![Ix::At(0), Ix::Var(k)]),
        (None, None) => Expr::ZERO,
    }
}

/// `Σ_c ÿ[0,c]`, by the second tangents of the `first` along the columns `c`.
fn second_tangents(
    p: &mut Program,
    f: &Forward,
    c: IndexId,
    first: &HashMap<TensorId, TensorId>,
) -> Expr {
    let second = tangent_again(p, f.x, c, first);
    match first.get(&f.y).and_then(|dy| second.get(dy)) {
        /* Δy = Σ_c ÿ[0,c] */
        Some(&ddy) => Expr::sum(c, Expr::Read(ddy, vec![Ix::At(0), Ix::Var(c)])),
        None => Expr::ZERO,
    }
}

/// Samples a block kernel computes at once (the runtime's `BLOCK`).
pub const BLOCK: usize = 16;

/// The block kernel of a method: its program over [`BLOCK`] samples, with the program it
/// must agree with to the bit.
pub fn block_of((single, returns): (Program, Returns)) -> (Program, Program, Returns) {
    let mut p = single.clone();
    let b = p.index("b", Extent::Fixed(BLOCK));
    let arguments: Vec<TensorId> = (0..p.tensors.len())
        .filter(|&t| p.tensors[t].role == Role::Argument)
        .collect();
    let batched = block(&p, &arguments, b);
    (single, batched, returns)
}

/// How many values a block kernel's arrays may hold in all for the kernel to be written: they
/// live on the stack, one set a call (`2¹⁶`: 512 KiB of `f64`, where a thread's stack is 2
/// MiB unless set otherwise). The Laplacian's kernels for 16 samples of a 3-64-64-64-1
/// network hold about 30,000; of a 64-128-128-1 network they would hold over 500,000 (its
/// tangents, 16 × 64 × 128 values a layer).
pub const STACKED: usize = 1 << 16;

/// [`block_of`], where its arrays hold at most [`STACKED`] values (all of widths the macro
/// knows): a block kernel for a method whose intermediates grow with the input (the
/// Laplacian's tangents), written only where a block of them fits on the stack.
pub fn stacked_block_of(method: (Program, Returns)) -> Option<(Program, Program, Returns)> {
    let kernel = block_of(method);
    let p = &kernel.1;
    let mut values = 0;
    for stmt in &p.stmts {
        for &t in &stmt.targets {
            let mut n = 1;
            for &axis in &p.tensors[t].axes {
                let Extent::Fixed(extent) = p.extent(axis) else {
                    return None;
                };
                n *= extent;
            }
            values += n;
        }
    }
    (values <= STACKED).then_some(kernel)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    /// How `args`' Jacobian goes with the vector kernels, and without them if otherwise.
    fn sweeps(args: TokenStream) -> (&'static str, Option<&'static str>) {
        let item = quote!(
            struct Net;
        );
        let model = crate::expand::model(args, item).expect("a valid net");
        let [by, _] = super::jacobians(&crate::forward::forward(&model));
        (by.sweeps.what, by.without.map(|(_, s)| s.what))
    }

    /// Whether `args`' Hessian goes by each unit's curvature.
    fn by_curvature(args: TokenStream) -> bool {
        let item = quote!(
            struct Net;
        );
        let model = crate::expand::model(args, item).expect("a valid net");
        let f = crate::forward::forward(&model);
        let chosen = super::hessian(&f, false).0.to_string();
        let curvature = super::hessian_by(&f, false, true).0.to_string();
        assert_ne!(curvature, super::hessian_by(&f, false, false).0.to_string());
        chosen == curvature
    }

    /// By curvature where that costs fewer operations: deep layers, or few inputs against
    /// the hidden layers' widths (each layer past the first trades a product by its matrix
    /// for a triangle of `n₀(n₀+1)/2` per unit); not the seed's 52 inputs against 20 and
    /// 10 units, nor one hidden layer (as many either way).
    #[test]
    fn the_hessian_goes_by_curvature_where_it_costs_less() {
        assert!(by_curvature(quote!(64, 64, 64, 1, input = 3)));
        assert!(by_curvature(quote!(
            24,
            24,
            1,
            input = 2,
            activation = silu
        )));
        assert!(by_curvature(quote!(64, 64, 1, input = 32)));
        assert!(by_curvature(quote!(128, 128, 1, input = 64)));
        assert!(by_curvature(quote!(
            16,
            12,
            1,
            input = 8,
            activation = [softplus, silu]
        )));
        assert!(!by_curvature(quote!(20, 10, 1, input = 52)));
        assert!(!by_curvature(quote!(5, 1, input = 3, activation = sigmoid)));
    }

    const ROWS: &str = "one reverse sweep per output";
    const COLUMNS: &str = "one tangent sweep per input";

    /// Fewer inputs than outputs go by columns only where the rows would cost more vector
    /// steps: three inputs fill no vector, so six outputs still go by rows; against a
    /// hundred outputs, columns.
    #[test]
    fn the_jacobian_goes_the_way_of_fewer_vector_steps() {
        assert_eq!(sweeps(quote!(32, 32, 6, input = 3)).0, ROWS);
        assert_eq!(sweeps(quote!(32, 32, 6, input = 12)).0, ROWS);
        assert_eq!(sweeps(quote!(32, 100, input = 2)).0, COLUMNS);
        assert_eq!(sweeps(quote!(32, 32, 40, input = 8)).0, COLUMNS);
        assert_eq!(
            sweeps(quote!(16, 40, input = 2, activation = silu)).0,
            COLUMNS
        );
    }

    /// Where the vector steps and the operations choose alike, one program; where not,
    /// the second is the other way.
    #[test]
    fn the_other_sweeps_only_where_the_targets_differ() {
        assert_eq!(sweeps(quote!(32, 32, 6, input = 3)), (ROWS, Some(COLUMNS)));
        assert_eq!(sweeps(quote!(32, 32, 6, input = 12)), (ROWS, None));
        let fan = quote!(16, 40, input = 2, activation = silu);
        assert_eq!(sweeps(fan), (COLUMNS, None));
    }
}
