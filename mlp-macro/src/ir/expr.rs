//! Expressions in index notation.

use super::{IndexId, TensorId};

/// One index of a tensor access: a variable, or a fixed position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ix {
    /// An index variable, bound by the statement's axes or an enclosing sum.
    Var(IndexId),
    /// A fixed position (0-based), as in `W3[0,i]`.
    At(usize),
}

/// An expression over the index variables in scope.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A constant.
    Num(f64),
    /// An element of a tensor: `W1[j,k]`.
    Read(TensorId, Vec<Ix>),
    /// Kronecker's delta: 1 where both indices agree, else 0.
    Delta(Ix, Ix),
    /// The `order`-th derivative of layer `layer`'s activation (1-based) at `arg`.
    Act {
        /// The layer whose activation this is.
        layer: usize,
        /// 0 for the value, 1 for the first derivative, 2 for the second.
        order: u8,
        /// Where it is evaluated.
        arg: Box<Expr>,
    },
    /// A sum of terms.
    Add(Vec<Expr>),
    /// A product of factors.
    Mul(Vec<Expr>),
    /// `Σ_index body`, over the index's range.
    Sum(IndexId, Box<Expr>),
}

impl Expr {
    /// `0`.
    pub const ZERO: Expr = Expr::Num(0.0);
    /// `1`.
    pub const ONE: Expr = Expr::Num(1.0);

    /// `tensor[v, …]` with every index a variable.
    pub fn read(tensor: TensorId, vars: &[IndexId]) -> Expr {
        Expr::Read(tensor, vars.iter().map(|&v| Ix::Var(v)).collect())
    }

    /// The activation of `layer`, differentiated `order` times, at `arg`.
    pub fn act(layer: usize, order: u8, arg: Expr) -> Expr {
        Expr::Act {
            layer,
            order,
            arg: Box::new(arg),
        }
    }

    /// `Σ_index body`.
    pub fn sum(index: IndexId, body: Expr) -> Expr {
        Expr::Sum(index, Box::new(body))
    }

    /// `a · b`.
    pub fn mul(a: Expr, b: Expr) -> Expr {
        Expr::Mul(vec![a, b])
    }

    /// Whether this is the constant `value`.
    pub fn is(&self, value: f64) -> bool {
        matches!(self, Expr::Num(v) if *v == value)
    }

    /// Rewrites every tensor access bottom-up with `f`, which returns `None` to keep it.
    pub fn map_reads(&self, f: &mut impl FnMut(TensorId, &[Ix]) -> Option<Expr>) -> Expr {
        match self {
            Expr::Read(t, ixs) => f(*t, ixs).unwrap_or_else(|| self.clone()),
            Expr::Num(_) | Expr::Delta(..) => self.clone(),
            Expr::Act { layer, order, arg } => Expr::act(*layer, *order, arg.map_reads(f)),
            Expr::Add(terms) => Expr::Add(terms.iter().map(|t| t.map_reads(f)).collect()),
            Expr::Mul(factors) => Expr::Mul(factors.iter().map(|t| t.map_reads(f)).collect()),
            Expr::Sum(v, body) => Expr::sum(*v, body.map_reads(f)),
        }
    }

    /// Calls `f` on every tensor access with the index variables bound around it
    /// (enclosing sums, innermost last).
    pub fn visit_reads(&self, f: &mut impl FnMut(TensorId, &[Ix], &[IndexId])) {
        fn go(e: &Expr, bound: &mut Vec<IndexId>, f: &mut impl FnMut(TensorId, &[Ix], &[IndexId])) {
            match e {
                Expr::Read(t, ixs) => f(*t, ixs, bound),
                Expr::Num(_) | Expr::Delta(..) => {}
                Expr::Act { arg, .. } => go(arg, bound, f),
                Expr::Add(es) | Expr::Mul(es) => es.iter().for_each(|e| go(e, bound, f)),
                Expr::Sum(v, body) => {
                    bound.push(*v);
                    go(body, bound, f);
                    bound.pop();
                }
            }
        }
        go(self, &mut Vec::new(), f);
    }

    /// Replaces the free occurrences of index variables by `f`'s answer (`None`: keep).
    pub fn substitute(&self, f: &dyn Fn(IndexId) -> Option<Ix>) -> Expr {
        let ix = |i: &Ix| match *i {
            Ix::Var(v) => f(v).unwrap_or(*i),
            Ix::At(_) => *i,
        };
        match self {
            Expr::Num(_) => self.clone(),
            Expr::Read(t, ixs) => Expr::Read(*t, ixs.iter().map(ix).collect()),
            Expr::Delta(a, b) => Expr::Delta(ix(a), ix(b)),
            Expr::Act { layer, order, arg } => Expr::act(*layer, *order, arg.substitute(f)),
            Expr::Add(es) => Expr::Add(es.iter().map(|e| e.substitute(f)).collect()),
            Expr::Mul(es) => Expr::Mul(es.iter().map(|e| e.substitute(f)).collect()),
            Expr::Sum(v, body) => {
                let bound = *v;
                Expr::sum(
                    bound,
                    body.substitute(&|u| (u != bound).then(|| f(u)).flatten()),
                )
            }
        }
    }

    /// Replaces the free occurrences of `var` by `by`.
    pub fn replace(&self, var: IndexId, by: Ix) -> Expr {
        self.substitute(&|u| (u == var).then_some(by))
    }

    /// The index variables bound by sums anywhere inside.
    pub fn bound_vars(&self) -> Vec<IndexId> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Sum(v, _) = e {
                out.push(*v);
            }
        });
        out
    }

    /// Whether the index variable `var` occurs free (outside a sum over it).
    pub fn mentions(&self, var: IndexId) -> bool {
        let has = |ix: &Ix| *ix == Ix::Var(var);
        match self {
            Expr::Num(_) => false,
            Expr::Read(_, ixs) => ixs.iter().any(has),
            Expr::Delta(a, b) => has(a) || has(b),
            Expr::Act { arg, .. } => arg.mentions(var),
            Expr::Add(es) | Expr::Mul(es) => es.iter().any(|e| e.mentions(var)),
            Expr::Sum(v, body) => *v != var && body.mentions(var),
        }
    }

    /// Calls `f` on this expression and every sub-expression, parents first.
    pub fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Num(_) | Expr::Read(..) | Expr::Delta(..) => {}
            Expr::Act { arg, .. } => arg.walk(f),
            Expr::Add(es) | Expr::Mul(es) => es.iter().for_each(|e| e.walk(f)),
            Expr::Sum(_, body) => body.walk(f),
        }
    }
}
