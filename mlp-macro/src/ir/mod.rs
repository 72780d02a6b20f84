//! The intermediate representation: a network's computation in index notation.
//!
//! A [`Program`] is a flat list of statements in topological order, one per tensor:
//!
//! ```text
//! z1[j] = Σ_k W1[j,k]·x[k] + b1[j]
//! a1[j] = tanh(z1[j])
//! ```
//!
//! Every tensor has *axes*, each an index variable with its range, and a statement defines
//! its tensor over exactly those axes. An index variable stands for one axis throughout a
//! program (`j` is always a unit of layer 1), so renaming never captures and the derivative
//! rules stay one line each. Both the forward pass and its derivatives are programs;
//! differentiation maps programs to programs ([`crate::derive`]) and lowering maps them to
//! Rust ([`crate::lower`]).

mod expr;
mod latex;
mod text;

pub use expr::{Expr, Ix};
pub use latex::latex;

use crate::model::Act;

/// Names an index variable of a [`Program`].
pub type IndexId = usize;
/// Names a tensor of a [`Program`].
pub type TensorId = usize;

/// The range `0..n` of an index variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extent {
    /// A width known when the macro runs.
    Fixed(usize),
    /// The input width of a net generic over it (`Net::<52>`), known only to rustc.
    Input,
}

impl Extent {
    /// The width, taking a generic input width to be `generic`.
    pub fn or(self, generic: usize) -> usize {
        match self {
            Extent::Fixed(n) => n,
            Extent::Input => generic,
        }
    }
}

/// An index variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// Its name in the text form, the LaTeX and the emitted loops: `k`, `j`, `i`, `o`, ….
    pub name: String,
    /// Its range.
    pub extent: Extent,
}

/// What a tensor is to the method it is part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An argument of the method, such as `x`.
    Argument,
    /// A field of the network, such as `w1`.
    Parameter,
    /// A value the program computes.
    Computed,
}

/// A mark on a tensor's name: what differentiation made of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The adjoint `t̄ = ∂(output)/∂t`, from the reverse sweep.
    Bar,
    /// The tangent `ṫ = ∂t/∂x · v`, from the forward sweep.
    Dot,
    /// The sum over a tensor's last axis, from [`crate::passes::contract`].
    Sum,
}

/// A tensor's name, from which each rendering spells it: `W1` / `w1` / `W^{1}`, and for
/// derivatives `δ1` / `d1` / `\delta^{1}` (the adjoint of `z1`) or `ż1` / `z1_dot` /
/// `\dot{z}^{1}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The letter: `x`, `W`, `b`, `z`, `a`, `y`, `s` (for `f'`), `g`, `J`, ….
    pub base: &'static str,
    /// The layer, written after the letter.
    pub layer: Option<usize>,
    /// Differentiation marks, innermost first.
    pub marks: Vec<Mark>,
}

impl Name {
    /// A name without a layer.
    pub fn plain(base: &'static str) -> Self {
        Self {
            base,
            layer: None,
            marks: Vec::new(),
        }
    }

    /// A name with a layer: `W1`.
    pub fn layer(base: &'static str, layer: usize) -> Self {
        Self {
            base,
            layer: Some(layer),
            marks: Vec::new(),
        }
    }

    /// This name with one more mark.
    pub fn marked(&self, mark: Mark) -> Self {
        let mut name = self.clone();
        name.marks.push(mark);
        name
    }

    /// The letter and the marks not already spelled by it: the adjoint of `z` is `δ`.
    fn stem(&self) -> (&'static str, &'static str, &'static str, &[Mark]) {
        match (self.base, self.marks.first()) {
            ("z", Some(Mark::Bar)) => ("δ", "d", r"\delta", &self.marks[1..]),
            // Whole results, spelled out in Rust.
            ("J", _) => ("J", "jacobian", "J", &self.marks[..]),
            ("H", _) => ("H", "hessian", "H", &self.marks[..]),
            ("Δy", _) => ("Δy", "laplacian", r"\Delta y", &self.marks[..]),
            (base, _) => (base, base, base, &self.marks[..]),
        }
    }

    fn layer_text(&self) -> String {
        self.layer.map(|l| l.to_string()).unwrap_or_default()
    }

    /// As the text form writes it: `W1`, `δ1`, `ż1`, `ä1` (two tangents), `Σä1` (summed).
    pub fn text(&self) -> String {
        let (stem, _, _, marks) = self.stem();
        let mut out = stem.to_owned();
        let mut marks = marks.iter().peekable();
        while let Some(mark) = marks.next() {
            match mark {
                Mark::Bar => out.push('\u{0304}'),
                Mark::Dot if marks.peek() == Some(&&Mark::Dot) => {
                    marks.next();
                    out.push('\u{0308}');
                }
                Mark::Dot => out.push('\u{0307}'),
                Mark::Sum => out.insert(0, 'Σ'),
            }
        }
        out + &self.layer_text()
    }

    /// As Rust writes it: `w1`, `d1`, `z1_dot`.
    pub fn rust(&self) -> String {
        let (_, stem, _, marks) = self.stem();
        let mut out = stem.to_ascii_lowercase() + &self.layer_text();
        for mark in marks {
            out.push_str(match mark {
                Mark::Bar => "_bar",
                Mark::Dot => "_dot",
                Mark::Sum => "_sum",
            });
        }
        out
    }

    /// As LaTeX writes it: `W^{1}`, `\delta^{1}`, `\dot{z}^{1}`, `\ddot{a}^{1}`.
    pub fn tex(&self) -> String {
        let (_, _, stem, marks) = self.stem();
        let mut out = stem.to_owned();
        let mut marks = marks.iter().peekable();
        while let Some(mark) = marks.next() {
            out = match mark {
                Mark::Bar => format!(r"\bar{{{out}}}"),
                Mark::Dot if marks.peek() == Some(&&Mark::Dot) => {
                    marks.next();
                    format!(r"\ddot{{{out}}}")
                }
                Mark::Dot => format!(r"\dot{{{out}}}"),
                Mark::Sum => format!(r"\Sigma{{{out}}}"),
            };
        }
        match self.layer {
            Some(l) => format!("{out}^{{{l}}}"),
            None => out,
        }
    }
}

/// A tensor: an argument, a parameter or a computed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tensor {
    /// How it is written.
    pub name: Name,
    /// What it is to the method.
    pub role: Role,
    /// Its axes, outermost first; a statement defines it over exactly these.
    pub axes: Vec<IndexId>,
    /// Whether it is symmetric in its two axes (a Hessian): lowering computes one triangle
    /// and mirrors it.
    pub symmetric: bool,
}

/// `targets[axes] = values`, element-wise over the targets' common axes. More than one
/// target only once [`crate::passes::fuse`] has joined an activation with its derivative.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// The tensors defined, all over the same axes.
    pub targets: Vec<TensorId>,
    /// One value per target.
    pub values: Vec<Expr>,
}

impl Stmt {
    /// `target[axes] = value`.
    pub fn new(target: TensorId, value: Expr) -> Self {
        Self {
            targets: vec![target],
            values: vec![value],
        }
    }
}

/// A computation in index notation: tensors, and statements in topological order.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The index variables.
    pub indices: Vec<Index>,
    /// The tensors.
    pub tensors: Vec<Tensor>,
    /// The activation of each layer, first to last (layer `l` is `acts[l - 1]`).
    pub acts: Vec<Act>,
    /// The statements, each reading only arguments, parameters and earlier targets.
    pub stmts: Vec<Stmt>,
    /// The tensors the method returns.
    pub outputs: Vec<TensorId>,
}

impl Program {
    /// A program with no tensors yet, for a network with the given activations.
    pub fn new(acts: Vec<Act>) -> Self {
        Self {
            indices: Vec::new(),
            tensors: Vec::new(),
            acts,
            stmts: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// Adds an index variable.
    pub fn index(&mut self, name: &str, extent: Extent) -> IndexId {
        self.indices.push(Index {
            name: name.to_owned(),
            extent,
        });
        self.indices.len() - 1
    }

    /// Adds a tensor.
    pub fn tensor(&mut self, name: Name, role: Role, axes: Vec<IndexId>) -> TensorId {
        self.tensors.push(Tensor {
            name,
            role,
            axes,
            symmetric: false,
        });
        self.tensors.len() - 1
    }

    /// The activation of layer `layer` (1-based).
    pub fn act(&self, layer: usize) -> &Act {
        &self.acts[layer - 1]
    }

    /// The extent of an index variable.
    pub fn extent(&self, index: IndexId) -> Extent {
        self.indices[index].extent
    }

    /// The position of the statement defining `tensor`, if any.
    pub fn definition(&self, tensor: TensorId) -> Option<usize> {
        self.stmts.iter().position(|s| s.targets.contains(&tensor))
    }

    /// The value defining `tensor`, if it is the single target of its statement.
    pub fn value_of(&self, tensor: TensorId) -> Option<&Expr> {
        let stmt = &self.stmts[self.definition(tensor)?];
        (stmt.targets.len() == 1).then(|| &stmt.values[0])
    }

    /// Applies `f` to every value, in place.
    pub fn map_values(&mut self, mut f: impl FnMut(&Program, Expr) -> Expr) {
        let mut stmts = std::mem::take(&mut self.stmts);
        for stmt in &mut stmts {
            for value in &mut stmt.values {
                *value = f(self, std::mem::replace(value, Expr::Num(0.0)));
            }
        }
        self.stmts = stmts;
    }
}

/// A program for the rules' tests: `x[k]` (k < 3), `W1[j,k]` (j < 2), layer 1 `tanh`.
#[cfg(test)]
pub struct Fixture {
    pub p: Program,
    pub x: TensorId,
    pub w: TensorId,
    pub k: IndexId,
    pub j: IndexId,
}

#[cfg(test)]
impl Fixture {
    pub fn new() -> Self {
        use crate::model::Builtin;
        let mut p = Program::new(vec![Act::Builtin(Builtin::Tanh)]);
        let k = p.index("k", Extent::Fixed(3));
        let j = p.index("j", Extent::Fixed(2));
        let x = p.tensor(Name::plain("x"), Role::Argument, vec![k]);
        let w = p.tensor(Name::layer("W", 1), Role::Parameter, vec![j, k]);
        Self { p, x, w, k, j }
    }
}
