//! The text form: the IR as it reads in the math.
//!
//! ```text
//! index  k < 52, j < 20, i < 10, o < 1
//! z1[j] = Σ_k W1[j,k]·x[k] + b1[j]
//! a1[j], s1[j] = tanh(z1[j]), tanh'(z1[j])
//! ```

use std::fmt::{self, Display, Formatter, Write};

use super::{Expr, Extent, Ix, Program, Role, Stmt};

impl Display for Program {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let used: Vec<String> = self
            .indices
            .iter()
            .map(|i| match i.extent {
                Extent::Fixed(n) => format!("{} < {n}", i.name),
                Extent::Input => format!("{} < IN", i.name),
            })
            .collect();
        writeln!(f, "index  {}", used.join(", "))?;
        for (role, label) in [(Role::Argument, "input"), (Role::Parameter, "param")] {
            let tensors: Vec<String> = self
                .tensors
                .iter()
                .enumerate()
                .filter(|(_, t)| t.role == role)
                .map(|(id, t)| self.access(id, &vars(&t.axes)))
                .collect();
            if !tensors.is_empty() {
                writeln!(f, "{label}  {}", tensors.join(" "))?;
            }
        }
        for stmt in &self.stmts {
            writeln!(f, "{}", self.stmt(stmt))?;
        }
        let outputs: Vec<String> = self
            .outputs
            .iter()
            .map(|&t| self.tensors[t].name.text())
            .collect();
        write!(f, "output {}", outputs.join(", "))
    }
}

fn vars(axes: &[usize]) -> Vec<Ix> {
    axes.iter().map(|&a| Ix::Var(a)).collect()
}

impl Program {
    /// One statement: `z1[j] = Σ_k W1[j,k]·x[k] + b1[j]`.
    pub fn stmt(&self, stmt: &Stmt) -> String {
        let targets: Vec<String> = stmt
            .targets
            .iter()
            .map(|&t| self.access(t, &vars(&self.tensors[t].axes)))
            .collect();
        let values: Vec<String> = stmt.values.iter().map(|v| self.expr(v)).collect();
        format!("{} = {}", targets.join(", "), values.join(", "))
    }

    /// An expression, in the text form.
    pub fn expr(&self, e: &Expr) -> String {
        let mut out = String::new();
        self.write(&mut out, e, Prec::Add);
        out
    }

    /// `W1[j,k]`, or `y` for a tensor without axes.
    fn access(&self, tensor: usize, ixs: &[Ix]) -> String {
        let name = self.tensors[tensor].name.text();
        if ixs.is_empty() {
            return name;
        }
        let ixs: Vec<String> = ixs.iter().map(|ix| self.ix(*ix)).collect();
        format!("{name}[{}]", ixs.join(","))
    }

    fn ix(&self, ix: Ix) -> String {
        match ix {
            Ix::Var(v) => self.indices[v].name.clone(),
            Ix::At(n) => n.to_string(),
        }
    }

    fn write(&self, out: &mut String, e: &Expr, outer: Prec) {
        match e {
            Expr::Num(v) => write_num(out, *v),
            Expr::Read(t, ixs) => out.push_str(&self.access(*t, ixs)),
            Expr::Delta(a, b) => {
                let _ = write!(out, "δ({},{})", self.ix(*a), self.ix(*b));
            }
            Expr::Act { layer, order, arg } => {
                out.push_str(&self.act(*layer).name());
                out.push_str(&"'".repeat(usize::from(*order)));
                out.push('(');
                self.write(out, arg, Prec::Add);
                out.push(')');
            }
            Expr::Add(terms) => {
                let parens = outer > Prec::Add;
                out.push_str(if parens { "(" } else { "" });
                for (n, term) in terms.iter().enumerate() {
                    out.push_str(if n == 0 { "" } else { " + " });
                    self.write(out, term, Prec::Add);
                }
                out.push_str(if parens { ")" } else { "" });
            }
            Expr::Mul(factors) => {
                let parens = outer > Prec::Mul;
                out.push_str(if parens { "(" } else { "" });
                for (n, factor) in factors.iter().enumerate() {
                    out.push_str(if n == 0 { "" } else { "·" });
                    // A sum extends to the end of the product, so only the last may go bare.
                    let last = n + 1 == factors.len();
                    let prec = if last { Prec::Mul } else { Prec::Factor };
                    self.write(out, factor, prec);
                }
                out.push_str(if parens { ")" } else { "" });
            }
            Expr::Sum(v, body) => {
                let parens = outer > Prec::Mul;
                out.push_str(if parens { "(" } else { "" });
                let _ = write!(out, "Σ_{} ", self.indices[*v].name);
                self.write(out, body, Prec::Mul);
                out.push_str(if parens { ")" } else { "" });
            }
        }
    }
}

/// How tightly an expression binds where it is written.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Add,
    Mul,
    /// A factor followed by other factors.
    Factor,
}

fn write_num(out: &mut String, v: f64) {
    let _ = write!(out, "{v}");
}
