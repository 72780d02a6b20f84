//! Algebraic simplification: what the derivative rules leave behind, folded away.
//!
//! Bottom-up, one rule per line of [`simplify`]: zeros and ones, constants folded, nested
//! sums and products flattened, the identity and vanishing activation derivatives replaced
//! by constants, a sum over a single position replaced by that position, and Kronecker
//! deltas summed out (`Σ_k W[j,k]·δ(k,c) = W[j,c]`).

use crate::ir::{Expr, Extent, Ix, Program};
use crate::model::{Act, Builtin};

/// Simplifies every value of `p`.
pub fn program(p: &mut Program) {
    p.map_values(simplify);
}

/// `e`, simplified.
pub fn simplify(p: &Program, e: Expr) -> Expr {
    // An index over a single position is at position 0.
    let single = |ix: Ix| match ix {
        Ix::Var(v) if p.extent(v) == Extent::Fixed(1) => Ix::At(0),
        ix => ix,
    };
    match e {
        Expr::Num(_) | Expr::Read(..) => e,
        Expr::Delta(a, b) if (single(a), single(b)) != (a, b) => {
            simplify(p, Expr::Delta(single(a), single(b)))
        }
        Expr::Delta(Ix::At(a), Ix::At(b)) => Expr::Num(if a == b { 1.0 } else { 0.0 }),
        Expr::Delta(a, b) if a == b => Expr::ONE,
        Expr::Delta(..) => e,
        Expr::Act { layer, order, arg } => act(p, layer, order, simplify(p, *arg)),
        Expr::Add(terms) => add(terms.into_iter().map(|t| simplify(p, t))),
        Expr::Mul(factors) => mul(factors.into_iter().map(|f| simplify(p, f))),
        Expr::Sum(v, body) => sum(p, v, simplify(p, *body)),
    }
}

/// `f^(order)(arg)`, or the constant it is.
fn act(p: &Program, layer: usize, order: u8, arg: Expr) -> Expr {
    match p.act(layer) {
        /* identity: x, 1, 0 */
        Act::Builtin(Builtin::Identity) if order == 0 => arg,
        Act::Builtin(Builtin::Identity) if order == 1 => Expr::ONE,
        Act::Builtin(b) if b.vanishes(order) => Expr::ZERO,
        _ => Expr::act(layer, order, arg),
    }
}

/// A sum of simplified terms: nested sums flattened, zeros dropped, constants folded last.
fn add(terms: impl Iterator<Item = Expr>) -> Expr {
    let mut out = Vec::new();
    let mut constant = 0.0;
    let mut pending: Vec<Expr> = terms.collect();
    pending.reverse();
    while let Some(term) = pending.pop() {
        match term {
            Expr::Num(v) => constant += v,
            Expr::Add(inner) => pending.extend(inner.into_iter().rev()),
            term => out.push(term),
        }
    }
    if constant != 0.0 {
        out.push(Expr::Num(constant));
    }
    match out.len() {
        0 => Expr::ZERO,
        1 => out.remove(0),
        _ => Expr::Add(out),
    }
}

/// A product of simplified factors: nested products flattened, ones dropped, constants
/// folded first, and zero if any factor is.
fn mul(factors: impl Iterator<Item = Expr>) -> Expr {
    let mut out = Vec::new();
    let mut constant = 1.0;
    let mut pending: Vec<Expr> = factors.collect();
    pending.reverse();
    while let Some(factor) = pending.pop() {
        match factor {
            Expr::Num(v) => constant *= v,
            Expr::Mul(inner) => pending.extend(inner.into_iter().rev()),
            factor => out.push(factor),
        }
    }
    if constant == 0.0 {
        return Expr::ZERO;
    }
    if constant != 1.0 {
        out.insert(0, Expr::Num(constant));
    }
    match out.len() {
        0 => Expr::ONE,
        1 => out.remove(0),
        _ => Expr::Mul(out),
    }
}

/// `Σ_v body`, or what it reduces to.
fn sum(p: &Program, v: usize, body: Expr) -> Expr {
    /* Σ_v 0 = 0 */
    if body.is(0.0) {
        return Expr::ZERO;
    }
    /* Σ_{v<1} e = e[v:=0] */
    if p.extent(v) == Extent::Fixed(1) {
        return simplify(p, body.replace(v, Ix::At(0)));
    }
    /* Σ_v δ(v,w)·e = e[v:=w] */
    let partner = |e: &Expr| match *e {
        Expr::Delta(Ix::Var(a), other) if a == v && other != Ix::Var(v) => Some(other),
        Expr::Delta(other, Ix::Var(b)) if b == v && other != Ix::Var(v) => Some(other),
        _ => None,
    };
    if partner(&body).is_some() {
        return Expr::ONE;
    }
    /* Σ_v (a + b) = Σ_v a + Σ_v b, when that lets a delta collapse a sum */
    if let Expr::Add(terms) = &body {
        let collapses = |t: &Expr| match t {
            Expr::Mul(factors) => factors.iter().any(|f| partner(f).is_some()),
            t => partner(t).is_some(),
        };
        if terms.iter().any(collapses) {
            let sums = terms.iter().map(|t| sum(p, v, t.clone()));
            return simplify(p, Expr::Add(sums.collect()));
        }
    }
    if let Expr::Mul(factors) = &body
        && let Some((n, w)) = factors
            .iter()
            .enumerate()
            .find_map(|(n, f)| Some((n, partner(f)?)))
    {
        let rest: Vec<Expr> = factors
            .iter()
            .enumerate()
            .filter(|&(m, _)| m != n)
            .map(|(_, f)| f.replace(v, w))
            .collect();
        return simplify(p, Expr::Mul(rest));
    }
    Expr::sum(v, body)
}

#[cfg(test)]
mod tests {
    use super::simplify;
    use crate::ir::{Expr, Extent, Ix, Name, Program, Role};
    use crate::model::{Act, Builtin};

    /// A program with `x[k]` (k < 3), `w[j,k]` (j < 2), `u[o]` (o < 1) and layers
    /// `tanh, identity, relu`, and a function rendering a simplified expression.
    fn fixture() -> (Program, [usize; 3], [usize; 3]) {
        let acts = [Builtin::Tanh, Builtin::Identity, Builtin::Relu];
        let mut p = Program::new(acts.iter().map(|&b| Act::Builtin(b)).collect());
        let k = p.index("k", Extent::Fixed(3));
        let j = p.index("j", Extent::Fixed(2));
        let o = p.index("o", Extent::Fixed(1));
        let x = p.tensor(Name::plain("x"), Role::Argument, vec![k]);
        let w = p.tensor(Name::plain("W"), Role::Parameter, vec![j, k]);
        let u = p.tensor(Name::plain("u"), Role::Argument, vec![o]);
        (p, [k, j, o], [x, w, u])
    }

    fn check(p: &Program, e: Expr, want: &str) {
        let got = simplify(p, e);
        assert_eq!(p.expr(&got), want);
    }

    #[test]
    fn rules() {
        let (p, [k, j, o], [x, w, u]) = fixture();
        let xk = || Expr::read(x, &[k]);
        let wjk = || Expr::read(w, &[j, k]);
        check(&p, Expr::Mul(vec![xk(), Expr::ONE]), "x[k]");
        check(&p, Expr::Mul(vec![xk(), Expr::ZERO]), "0");
        check(&p, Expr::Add(vec![xk(), Expr::ZERO]), "x[k]");
        check(
            &p,
            Expr::Add(vec![Expr::Num(2.0), xk(), Expr::Num(3.0)]),
            "x[k] + 5",
        );
        check(
            &p,
            Expr::Mul(vec![Expr::Num(2.0), Expr::Mul(vec![xk(), Expr::Num(3.0)])]),
            "6·x[k]",
        );
        check(&p, Expr::sum(k, Expr::ZERO), "0");
        check(&p, Expr::act(1, 1, xk()), "tanh'(x[k])");
        check(&p, Expr::act(2, 0, xk()), "x[k]");
        check(&p, Expr::act(2, 1, xk()), "1");
        check(&p, Expr::act(3, 2, xk()), "0");
        check(&p, Expr::act(3, 1, xk()), "relu'(x[k])");
        check(&p, Expr::sum(o, Expr::read(u, &[o])), "u[0]");
        check(&p, Expr::Delta(Ix::At(1), Ix::At(1)), "1");
        check(&p, Expr::Delta(Ix::At(0), Ix::At(1)), "0");
        let c = Ix::Var(j);
        check(
            &p,
            Expr::sum(k, Expr::mul(wjk(), Expr::Delta(Ix::Var(k), c))),
            "W[j,j]",
        );
        check(
            &p,
            Expr::sum(k, Expr::mul(wjk(), Expr::Delta(Ix::At(2), Ix::Var(k)))),
            "W[j,2]",
        );
        check(&p, Expr::sum(k, Expr::mul(wjk(), xk())), "Σ_k W[j,k]·x[k]");
    }
}
