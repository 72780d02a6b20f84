//! The gradient's formula for one architecture, as text and as LaTeX: the tangent sweep
//! with every intermediate inlined but the pre-activations, so that it reads as the chain of
//! sums over hidden units it is.
//!
//! For the seed network (52-20-10-1, tanh):
//!
//! ```text
//! ∂y/∂x[k] = Σ_i W3[0,i]·tanh'(z2[i])·Σ_j W2[i,j]·tanh'(z1[j])·W1[j,k]
//! ```

use crate::derive::{Direction, tangent};
use crate::forward::Forward;
use crate::ir::{Expr, Ix, Program, latex};
use crate::model::{Act, Input, Model};
use crate::passes::inline::{Inline, inline};
use crate::passes::simplify;

/// A formula in both renderings.
pub struct Formula {
    /// One equation per line, in the IR's text form (0-based indices).
    pub text: String,
    /// An `aligned` block (1-based indices), with what `f` and `g` stand for.
    pub latex: String,
}

/// `∂y/∂x_k`, followed by the definitions it refers to.
pub fn gradient(model: &Model, f: &Forward) -> Formula {
    derivative(model, f, false)
}

/// `∂²y/∂x_k∂x_l`, followed by the definitions it refers to: the tangent of the tangent,
/// which is symmetric in `k` and `l` term by term.
pub fn hessian(model: &Model, f: &Forward) -> Formula {
    derivative(model, f, true)
}

fn derivative(model: &Model, f: &Forward, second: bool) -> Formula {
    let mut p = f.program.clone();
    simplify::program(&mut p);
    let output_axis = p.tensors[f.y].axes[0];
    let single = model.output() == 1;
    // One output: write `y` and `W3[0,i]`, not `y[o]` and `W3[o,i]`.
    let fix = |e: &Expr| {
        if single {
            e.replace(output_axis, Ix::At(0))
        } else {
            e.clone()
        }
    };
    let lines = definitions(model, f, &p, &fix);

    // The derivative: all columns at once (`c`, renamed to the input's `k`), and for the
    // second the columns `l` of those.
    let k = p.tensors[f.x].axes[0];
    let c = p.index("c", p.extent(k));
    let first = tangent(&mut p, f.x, Direction::Columns(c));
    let mut target = first.get(&f.y).copied();
    if second {
        let l = p.index("l", p.extent(k));
        let again = tangent(&mut p, f.x, Direction::Columns(l));
        target = target.and_then(|t| again.get(&t).copied());
    }
    p.outputs = target.into_iter().collect();
    inline(&mut p, &Inline::All(&f.z));
    let rhs = target
        .and_then(|d| p.value_of(d))
        .map_or(Expr::ZERO, |e| fix(&e.replace(c, Ix::Var(k))));
    let y = if single { "y" } else { "y_{o}" };
    let (lhs_text, lhs_tex) = match (second, single) {
        (false, true) => (
            "∂y/∂x[k]".to_owned(),
            format!(r"\frac{{\partial {y}}}{{\partial x_{{k}}}}"),
        ),
        (false, false) => (
            "∂y[o]/∂x[k]".to_owned(),
            format!(r"\frac{{\partial {y}}}{{\partial x_{{k}}}}"),
        ),
        (true, true) => (
            "∂²y/∂x[k]∂x[l]".to_owned(),
            format!(r"\frac{{\partial^2 {y}}}{{\partial x_{{k}} \, \partial x_{{l}}}}"),
        ),
        (true, false) => (
            "∂²y[o]/∂x[k]∂x[l]".to_owned(),
            format!(r"\frac{{\partial^2 {y}}}{{\partial x_{{k}} \, \partial x_{{l}}}}"),
        ),
    };

    let mut text = format!("{lhs_text} = {}", p.expr(&rhs));
    for (name, _, value) in &lines {
        text.push_str(&format!("\n{name} = {}", p.expr(value)));
    }

    let input = match &model.input {
        Input::Fixed(n) => n.to_string(),
        Input::Generic(name) => format!(r"\mathrm{{{name}}}"),
    };
    let symbols = Symbols::new(model);
    let tex = |e: &Expr| latex(&p, e, &|l| symbols.symbol(l), &input);
    let mut rows = vec![format!("{lhs_tex} &= {}", tex(&rhs))];
    for (_, name, value) in &lines {
        rows.push(format!("{name} &= {}", tex(value)));
    }
    rows.extend(symbols.definitions(model));
    let latex = format!(
        "\\begin{{aligned}}\n{}\n\\end{{aligned}}",
        rows.join(" \\\\\n")
    );
    Formula { text, latex }
}

/// The definitions a formula refers to, as `(text name, LaTeX name, value)`: each
/// pre-activation in terms of the one before, and the output.
fn definitions(
    model: &Model,
    f: &Forward,
    p: &Program,
    fix: &dyn Fn(&Expr) -> Expr,
) -> Vec<(String, String, Expr)> {
    let identity_output = model.layers.last().is_some_and(|l| l.act.is_identity());
    let last = f.z.len() - usize::from(identity_output);
    let keep = &f.z[..last];
    let mut defs = p.clone();
    inline(&mut defs, &Inline::All(keep));
    let mut lines = Vec::new();
    for &z in keep {
        if let Some(value) = defs.value_of(z) {
            let axis = defs.tensors[z].axes[0];
            let name = &defs.tensors[z].name;
            let index = defs.indices[axis].name.clone();
            lines.push((
                format!("{}[{index}]", name.text()),
                format!("{}_{{{index}}}", name.tex()),
                value.clone(),
            ));
        }
    }
    if let Some(value) = defs.value_of(f.y) {
        let (text, tex) = if model.output() == 1 {
            ("y".to_owned(), "y".to_owned())
        } else {
            let o = defs.indices[defs.tensors[f.y].axes[0]].name.clone();
            (format!("y[{o}]"), format!("y_{{{o}}}"))
        };
        lines.push((text, tex, fix(value)));
    }
    lines
}

/// The letter for each layer's activation: `f` for the hidden layers if they share one
/// (else `f_{1}`, `f_{2}`, …), `g` for the output layer's.
struct Symbols {
    shared: bool,
    layers: usize,
}

impl Symbols {
    fn new(model: &Model) -> Self {
        let hidden = &model.layers[..model.layers.len() - 1];
        let shared = hidden.windows(2).all(|w| w[0].act == w[1].act);
        Self {
            shared,
            layers: model.layers.len(),
        }
    }

    fn symbol(&self, layer: usize) -> String {
        if layer == self.layers {
            "g".to_owned()
        } else if self.shared {
            "f".to_owned()
        } else {
            format!("f_{{{layer}}}")
        }
    }

    /// `f &= \tanh`, one row per symbol in use.
    fn definitions(&self, model: &Model) -> Vec<String> {
        let mut rows = Vec::new();
        for (n, layer) in model.layers.iter().enumerate() {
            let l = n + 1;
            let first_of_shared = self.shared && l > 1 && l < self.layers;
            if layer.act.is_identity() || first_of_shared {
                continue;
            }
            rows.push(format!("{} &= {}", self.symbol(l), tex_name(&layer.act)));
        }
        rows
    }
}

fn tex_name(act: &Act) -> String {
    match act {
        Act::Builtin(b) => b.tex().to_owned(),
        Act::Custom(_) => format!(r"\mathrm{{{}}}", act.name().replace('_', r"\_")),
    }
}
