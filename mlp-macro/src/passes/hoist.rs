//! Hoisting: each activation derivative at a layer's pre-activation becomes a tensor of its
//! own, computed once next to the value, however many statements read it.
//!
//! `δ1[j] = tanh'(z1[j])·Σ_i W2[i,j]·δ2[i]` becomes `s1[j] = tanh'(z1[j])` and
//! `δ1[j] = s1[j]·Σ_i …`; with one derivative per row of a Jacobian, `s1` is computed once
//! rather than once per row, and [`super::fuse`] can then join it with `a1`.

use std::collections::HashMap;

use crate::ir::{Expr, Name, Program, Role, Stmt, TensorId};

/// `(layer, order, argument tensor)`: which derivative of which activation, where.
type Key = (usize, u8, TensorId);

/// Moves every `f^(n)(t[…])` of a computed `t` into its own tensor.
pub fn hoist(p: &mut Program) {
    let mut existing: HashMap<Key, TensorId> = HashMap::new();
    let mut wanted: Vec<Key> = Vec::new();
    for stmt in &p.stmts {
        for (&target, value) in stmt.targets.iter().zip(&stmt.values) {
            let own = key(p, value).filter(|&(_, _, t)| is_elementwise(p, value, t, target));
            if let Some(own) = own {
                // The first statement of a kind is the one kept; a later one reads it.
                if *existing.entry(own).or_insert(target) == target {
                    continue;
                }
            }
            value.walk(&mut |e| {
                if let Some(k) = key(p, e)
                    && !wanted.contains(&k)
                {
                    wanted.push(k);
                }
            });
        }
    }
    for k in wanted {
        if existing.contains_key(&k) {
            continue;
        }
        let (layer, order, arg) = k;
        let base = ["a", "s", "c"]
            .get(usize::from(order))
            .copied()
            .unwrap_or("f");
        let axes = p.tensors[arg].axes.clone();
        let hoisted = p.tensor(Name::layer(base, layer), Role::Computed, axes.clone());
        let value = Expr::act(layer, order, Expr::read(arg, &axes));
        let at = position(p, arg, order);
        p.stmts.insert(at, Stmt::new(hoisted, value));
        existing.insert(k, hoisted);
    }
    let mut stmts = std::mem::take(&mut p.stmts);
    for stmt in &mut stmts {
        for (target, value) in stmt.targets.iter().zip(&mut stmt.values) {
            let defines = key(p, value).is_some_and(|k| existing.get(&k) == Some(target));
            if !defines {
                *value = replace(p, std::mem::replace(value, Expr::ZERO), &existing);
            }
        }
    }
    p.stmts = stmts;
}

/// The key of `f^(n)(t[…])` with `t` computed.
fn key(p: &Program, e: &Expr) -> Option<Key> {
    match e {
        Expr::Act { layer, order, arg } => match **arg {
            Expr::Read(t, _) if p.tensors[t].role == Role::Computed => Some((*layer, *order, t)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `value`, defining `target`, is `f^(n)(t[axes])` over `target`'s own axes.
fn is_elementwise(p: &Program, value: &Expr, t: TensorId, target: TensorId) -> bool {
    let axes = &p.tensors[target].axes;
    matches!(value, Expr::Act { arg, .. } if **arg == Expr::read(t, axes))
        && p.tensors[t].axes == *axes
}

/// Where the statement of `f^(order)(arg)` goes: after `arg`'s and after the activations of
/// `arg` of lower order already there.
fn position(p: &Program, arg: TensorId, order: u8) -> usize {
    let mut at = p.definition(arg).map_or(0, |n| n + 1);
    while let Some(stmt) = p.stmts.get(at) {
        let next = stmt
            .values
            .iter()
            .any(|v| matches!(key(p, v), Some((_, o, t)) if t == arg && o < order));
        if !next {
            break;
        }
        at += 1;
    }
    at
}

/// `e` with every hoisted application read from its tensor.
fn replace(p: &Program, e: Expr, hoisted: &HashMap<Key, TensorId>) -> Expr {
    if let Some(&t) = key(p, &e).and_then(|k| hoisted.get(&k))
        && let Expr::Act { arg, .. } = &e
        && let Expr::Read(_, ixs) = &**arg
    {
        return Expr::Read(t, ixs.clone());
    }
    match e {
        Expr::Act { layer, order, arg } => Expr::act(layer, order, replace(p, *arg, hoisted)),
        Expr::Add(es) => Expr::Add(es.into_iter().map(|e| replace(p, e, hoisted)).collect()),
        Expr::Mul(es) => Expr::Mul(es.into_iter().map(|e| replace(p, e, hoisted)).collect()),
        Expr::Sum(v, body) => Expr::sum(v, replace(p, *body, hoisted)),
        e => e,
    }
}
