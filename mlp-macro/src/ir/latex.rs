//! LaTeX: the IR as a formula, 1-based as in print.

use std::fmt::Write;

use super::{Expr, Extent, Ix, Program};

/// `e` in LaTeX. Activations are written with the symbols `symbol` gives each layer
/// (`f`, `f_{2}`, `g`); a generic input width is written `input`.
pub fn latex(p: &Program, e: &Expr, symbol: &dyn Fn(usize) -> String, input: &str) -> String {
    let mut out = String::new();
    Writer { p, symbol, input }.write(&mut out, e, Prec::Add);
    out
}

struct Writer<'a> {
    p: &'a Program,
    symbol: &'a dyn Fn(usize) -> String,
    input: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Add,
    Mul,
    Factor,
}

impl Writer<'_> {
    fn ix(&self, ix: Ix) -> String {
        match ix {
            Ix::Var(v) => self.p.indices[v].name.clone(),
            Ix::At(n) => (n + 1).to_string(),
        }
    }

    fn write(&self, out: &mut String, e: &Expr, outer: Prec) {
        let (open, close) = (r"\left(", r"\right)");
        match e {
            Expr::Num(v) => {
                let _ = write!(out, "{v}");
            }
            Expr::Read(t, ixs) => {
                out.push_str(&self.p.tensors[*t].name.tex());
                if !ixs.is_empty() {
                    let ixs: Vec<String> = ixs.iter().map(|ix| self.ix(*ix)).collect();
                    let _ = write!(out, "_{{{}}}", ixs.join(","));
                }
            }
            Expr::Delta(a, b) => {
                let _ = write!(out, r"\delta_{{{},{}}}", self.ix(*a), self.ix(*b));
            }
            Expr::Act { layer, order, arg } => {
                out.push_str(&(self.symbol)(*layer));
                out.push_str(&"'".repeat(usize::from(*order)));
                out.push_str(open);
                self.write(out, arg, Prec::Add);
                out.push_str(close);
            }
            Expr::Add(terms) => {
                let parens = outer > Prec::Add;
                out.push_str(if parens { open } else { "" });
                for (n, term) in terms.iter().enumerate() {
                    out.push_str(if n == 0 { "" } else { " + " });
                    self.write(out, term, Prec::Add);
                }
                out.push_str(if parens { close } else { "" });
            }
            Expr::Mul(factors) => {
                let parens = outer > Prec::Mul;
                out.push_str(if parens { open } else { "" });
                for (n, factor) in factors.iter().enumerate() {
                    out.push_str(if n == 0 { "" } else { r" \, " });
                    let last = n + 1 == factors.len();
                    self.write(out, factor, if last { Prec::Mul } else { Prec::Factor });
                }
                out.push_str(if parens { close } else { "" });
            }
            Expr::Sum(v, body) => {
                let parens = outer > Prec::Mul;
                out.push_str(if parens { open } else { "" });
                let index = &self.p.indices[*v];
                let upper = match index.extent {
                    Extent::Fixed(n) => n.to_string(),
                    Extent::Input => self.input.to_owned(),
                };
                let _ = write!(out, r"\sum_{{{}=1}}^{{{upper}}} ", index.name);
                self.write(out, body, Prec::Mul);
                out.push_str(if parens { close } else { "" });
            }
        }
    }
}
