//! Which tensors are which layer's weight and bias.
//!
//! PyTorch names a `Linear`'s parameters `<module>.weight` and `<module>.bias`, where
//! the module is `0`, `2`, … in an `nn.Sequential`, `fc1`, `fc2`, … for named modules,
//! under a prefix such as `model.` or `_orig_mod.` (`torch.compile`). Flax names a
//! `Dense`'s `<module>.kernel` and `<module>.bias` (its parameters flattened with
//! `sep="."`: `params.Dense_0.kernel`; with `sep="/"`, `params/Dense_0/kernel`), Keras
//! `sequential/dense/kernel`: a kernel is `[in, out]`, the transpose of PyTorch's
//! weight. Haiku names a `Linear`'s `<module>/w` and `<module>/b` (`mlp/~/linear_0/w`,
//! its parameters flattened with `sep="/"`), `w` `[in, out]` as a kernel. The modules
//! are taken in natural order (`2` before `10`) and each is checked against the shape
//! its layer needs; where several modules fit a layer's shape, the first in that order
//! is taken, and the caller can name the modules instead.

use std::cmp::Ordering;
use std::ptr;
use std::string::String;
use std::vec::Vec;

use super::{LoadError, Tensor};

/// How a framework names a layer's weight and bias, and lays out the weight.
struct Naming {
    weight: &'static str,
    bias: &'static str,
    /// Whether the weight is `[in, out]`, the transpose of PyTorch's `[out, in]`.
    transposed: bool,
}

/// PyTorch's, Flax's and Keras's, Haiku's.
static NAMINGS: [Naming; 3] = [
    Naming {
        weight: "weight",
        bias: "bias",
        transposed: false,
    },
    Naming {
        weight: "kernel",
        bias: "bias",
        transposed: true,
    },
    Naming {
        weight: "w",
        bias: "b",
        transposed: true,
    },
];

/// A module's two tensors.
struct Module<'a> {
    prefix: &'a str,
    /// The weight's name up to its last word, separator included (`fc1.`, `dense/`).
    stem: &'a str,
    weight: &'a Tensor<'a>,
    naming: &'static Naming,
    bias: Option<&'a Tensor<'a>>,
}

impl Naming {
    /// The weight's shape for a layer of `width` outputs and `fan_in` inputs.
    fn shape(&self, width: usize, fan_in: usize) -> [usize; 2] {
        if self.transposed {
            [fan_in, width]
        } else {
            [width, fan_in]
        }
    }
}

/// Whether the tensor called `name` is to be read. With `names`, the tensors of the named
/// modules alone: the file may hold more, the rest of a model of which the network is a
/// part, normalisation buffers (BatchNorm's integer `num_batches_tracked`), whose values
/// and dtypes are then not read. Without, every tensor, and each must be a weight, a kernel
/// or a bias.
pub fn wanted(name: &str, names: Option<&[&str]>) -> Result<bool, LoadError> {
    let module = NAMINGS
        .iter()
        .flat_map(|n| [n.weight, n.bias])
        .find_map(|word| split(name, word))
        .map(|(module, _)| module);
    match (names, module) {
        (Some(names), module) => Ok(module.is_some_and(|m| names.contains(&m))),
        (None, Some(_)) => Ok(true),
        (None, None) => Err(LoadError::Extra {
            name: name.into(),
            reason: "it is neither a weight (`.weight`, `.kernel`, `.w`) nor a bias (`.bias`, `.b`); to load some modules alone, name them (`load_layers`)",
        }),
    }
}

/// The parameters of a network of `input` inputs and layers of `widths`, in PyTorch's
/// `parameters()` order, from `tensors` (those [`wanted`]); `names` gives the modules, one
/// per layer, in order.
pub fn parameters(
    tensors: &[Tensor<'_>],
    input: usize,
    widths: &[usize],
    names: Option<&[&str]>,
) -> Result<Vec<f64>, LoadError> {
    let mut modules = modules(tensors)?;
    modules.sort_by(|a, b| natural(a.prefix, b.prefix));
    let chosen = match names {
        Some(names) => by_name(&mut modules, names, input, widths)?,
        None => by_shape(&mut modules, input, widths)?,
    };
    if let Some(extra) = modules.first() {
        return Err(LoadError::Extra {
            name: extra.weight.name.clone(),
            reason: "every layer already has its weight; to load some modules alone, name them (`load_layers`)",
        });
    }
    let mut out = Vec::new();
    let mut fan_in = input;
    for (module, &width) in chosen.iter().zip(widths) {
        let [rows, columns] = module.naming.shape(width, fan_in);
        if module.weight.shape != [rows, columns] {
            let transposed = module.weight.shape == [columns, rows];
            return Err(LoadError::Shape {
                name: module.weight.name.clone(),
                expected: std::vec![rows, columns],
                found: module.weight.shape.clone(),
                transposed,
            });
        }
        let bias_name = std::format!("{}{}", module.stem, module.naming.bias);
        let Some(bias) = module.bias else {
            return Err(LoadError::Missing {
                name: bias_name,
                expected: Some(std::vec![width]),
            });
        };
        if bias.shape != [width] {
            return Err(LoadError::Shape {
                name: bias_name,
                expected: std::vec![width],
                found: bias.shape.clone(),
                transposed: false,
            });
        }
        if module.naming.transposed {
            module.weight.values.append_transposed_to(&mut out, columns);
        } else {
            module.weight.values.append_to(&mut out);
        }
        bias.values.append_to(&mut out);
        fan_in = width;
    }
    Ok(out)
}

/// `prefix` and the separator of its names (`/` if it has one, as Keras's and Haiku's, else
/// `.`), or nothing for an empty prefix.
fn join(prefix: &str) -> String {
    match (prefix.is_empty(), prefix.contains('/')) {
        (true, _) => String::new(),
        (false, true) => std::format!("{prefix}/"),
        (false, false) => std::format!("{prefix}."),
    }
}

/// `name` as `<module><separator><word>`, the separator `.` (PyTorch, Flax flattened with
/// `sep="."`) or `/` (Keras, Flax with `sep="/"`): the module and the name up to the word
/// (`("fc1", "fc1.")` for `fc1.weight`; `("", "")` for `weight` alone).
fn split<'n>(name: &'n str, word: &str) -> Option<(&'n str, &'n str)> {
    let stem = name.strip_suffix(word)?;
    let module = if stem.is_empty() {
        stem
    } else {
        stem.strip_suffix(['.', '/'])?
    };
    Some((module, stem))
}

/// The modules the tensors form: each `<prefix>.weight` (or `.kernel`, or `.w`) with its
/// `<prefix>.bias` (or `.b`). Tensors that are neither were not [`wanted`].
fn modules<'a>(tensors: &'a [Tensor<'a>]) -> Result<Vec<Module<'a>>, LoadError> {
    let mut modules: Vec<Module<'_>> = Vec::new();
    for tensor in tensors {
        let weight = NAMINGS.iter().find_map(|naming| {
            split(&tensor.name, naming.weight).map(|(prefix, stem)| (prefix, stem, naming))
        });
        let Some((prefix, stem, naming)) = weight else {
            continue;
        };
        if let Some(other) = modules.iter().find(|m| m.prefix == prefix) {
            return Err(LoadError::Extra {
                name: tensor.name.clone(),
                reason: if other.naming.weight == naming.weight {
                    "its module has a weight already"
                } else {
                    "its module has weights of two namings (`.weight`, `.kernel`, `.w`)"
                },
            });
        }
        modules.push(Module {
            prefix,
            stem,
            weight: tensor,
            naming,
            bias: None,
        });
    }
    for tensor in tensors {
        // The first naming whose bias this is: PyTorch's for `bias`, Haiku's for `b`.
        let bias = NAMINGS.iter().find_map(|naming| {
            split(&tensor.name, naming.bias).map(|(prefix, stem)| (prefix, stem, naming))
        });
        if let Some((prefix, stem, naming)) = bias {
            match modules.iter_mut().find(|m| m.prefix == prefix) {
                Some(Module { bias: Some(_), .. }) => {
                    return Err(LoadError::Extra {
                        name: tensor.name.clone(),
                        reason: "its module has a bias already",
                    });
                }
                Some(module) => module.bias = Some(tensor),
                None => {
                    return Err(LoadError::Missing {
                        name: std::format!("{stem}{}", naming.weight),
                        expected: None,
                    });
                }
            }
        }
    }
    Ok(modules)
}

/// The modules named, in order, taken out of `modules`.
fn by_name<'a>(
    modules: &mut Vec<Module<'a>>,
    names: &[&str],
    input: usize,
    widths: &[usize],
) -> Result<Vec<Module<'a>>, LoadError> {
    if names.len() != widths.len() {
        return Err(LoadError::Names {
            expected: widths.len(),
            found: names.len(),
        });
    }
    // A module not there is named as the others are (`dense_1/kernel`, `linear_1/w`).
    let naming = match modules.split_first() {
        Some((first, rest)) if rest.iter().all(|m| ptr::eq(m.naming, first.naming)) => first.naming,
        _ => &NAMINGS[0],
    };
    let mut chosen = Vec::with_capacity(widths.len());
    let mut fan_in = input;
    for (name, &width) in names.iter().zip(widths) {
        let Some(at) = modules.iter().position(|m| m.prefix == *name) else {
            return Err(LoadError::Missing {
                name: std::format!("{}{}", join(name), naming.weight),
                expected: Some(naming.shape(width, fan_in).to_vec()),
            });
        };
        chosen.push(modules.remove(at));
        fan_in = width;
    }
    Ok(chosen)
}

/// For each layer, the first module in natural order whose weight has the layer's shape
/// (or, if none has, the first left, whose shape is then reported), taken out of `modules`.
fn by_shape<'a>(
    modules: &mut Vec<Module<'a>>,
    input: usize,
    widths: &[usize],
) -> Result<Vec<Module<'a>>, LoadError> {
    let mut chosen = Vec::with_capacity(widths.len());
    let mut fan_in = input;
    for (layer, &width) in widths.iter().enumerate() {
        let fits = modules
            .iter()
            .position(|m| m.weight.shape == m.naming.shape(width, fan_in));
        match fits.or(if modules.is_empty() { None } else { Some(0) }) {
            Some(at) => chosen.push(modules.remove(at)),
            None => {
                return Err(LoadError::MissingLayer {
                    layer: layer + 1,
                    expected: std::vec![width, fan_in],
                });
            }
        }
        fan_in = width;
    }
    Ok(chosen)
}

/// Orders names as people do: runs of digits by their value (`fc2` before `fc10`).
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (m, n) = (digits(a), digits(b));
                let trim = |s: &[u8]| {
                    let zeros = s.iter().take_while(|&&c| c == b'0').count();
                    s[zeros..].to_vec()
                };
                let (x, y) = (trim(&a[..m]), trim(&b[..n]));
                let order = x.len().cmp(&y.len()).then_with(|| x.cmp(&y));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[m..], &b[n..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                (a, b) = (&a[1..], &b[1..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::string::ToString;
    use std::vec;
    use std::vec::Vec;

    use super::{natural, parameters, wanted};
    use crate::io::{LoadError, Tensor, Values};

    fn tensor(name: &str, shape: &[usize]) -> Tensor<'static> {
        let count = shape.iter().product::<usize>();
        let first = name.len() as f64;
        Tensor {
            name: name.to_string(),
            shape: shape.to_vec(),
            values: Values::Wide((0..count).map(|i| first + i as f64 / 100.0).collect()),
        }
    }

    /// A copy of `tensor` under `name`.
    fn renamed(name: &str, tensor: &Tensor<'_>) -> Tensor<'static> {
        let mut values = Vec::new();
        tensor.values.append_to(&mut values);
        Tensor {
            name: name.to_string(),
            shape: tensor.shape.clone(),
            values: Values::Wide(values),
        }
    }

    /// The parameters from the tensors [`wanted`], as a file's reader passes them on.
    fn load(
        tensors: &[Tensor<'_>],
        input: usize,
        widths: &[usize],
        names: Option<&[&str]>,
    ) -> Result<Vec<f64>, LoadError> {
        let mut read = Vec::new();
        for tensor in tensors {
            if wanted(&tensor.name, names)? {
                read.push(renamed(&tensor.name, tensor));
            }
        }
        parameters(&read, input, widths, names)
    }

    fn first(tensor: &Tensor<'_>) -> f64 {
        let mut values = Vec::new();
        tensor.values.append_to(&mut values);
        values[0]
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["fc10", "fc2", "fc1", "0", "10", "2", "a"];
        names.sort_by(|a, b| natural(a, b));
        assert_eq!(names, ["0", "2", "10", "a", "fc1", "fc2", "fc10"]);
    }

    #[test]
    fn sequential_named_and_prefixed() {
        for names in [
            ["0", "2", "10"],
            ["fc1", "fc2", "fc10"],
            ["_orig_mod.net.0", "_orig_mod.net.2", "_orig_mod.net.10"],
        ] {
            // Listed out of order, as a file may hold them.
            let tensors = vec![
                tensor(&std::format!("{}.weight", names[2]), &[1, 4]),
                tensor(&std::format!("{}.bias", names[0]), &[5]),
                tensor(&std::format!("{}.weight", names[0]), &[5, 3]),
                tensor(&std::format!("{}.bias", names[2]), &[1]),
                tensor(&std::format!("{}.weight", names[1]), &[4, 5]),
                tensor(&std::format!("{}.bias", names[1]), &[4]),
            ];
            let p = load(&tensors, 3, &[5, 4, 1], None).unwrap();
            assert_eq!(p.len(), 15 + 5 + 20 + 4 + 4 + 1);
            // Layer 1's weight first, then its bias.
            assert_eq!(p[0], first(&tensors[2]));
            assert_eq!(p[15], first(&tensors[1]));
        }
    }

    /// A Flax `Dense`'s kernel is `[in, out]`: its columns are PyTorch's rows.
    #[test]
    fn kernels_are_weights_transposed() {
        let transposed = |name: &str, of: &Tensor<'_>| {
            let [rows, columns] = [of.shape[0], of.shape[1]];
            let mut values = Vec::new();
            of.values.append_to(&mut values);
            let values = (0..columns * rows)
                .map(|i| values[(i % rows) * columns + i / rows])
                .collect();
            Tensor {
                name: name.to_string(),
                shape: vec![columns, rows],
                values: Values::Wide(values),
            }
        };
        let torch = vec![
            tensor("0.weight", &[5, 3]),
            tensor("0.bias", &[5]),
            tensor("2.weight", &[4, 5]),
            tensor("2.bias", &[4]),
            tensor("4.weight", &[1, 4]),
            tensor("4.bias", &[1]),
        ];
        let want = load(&torch, 3, &[5, 4, 1], None).unwrap();
        let flax = vec![
            transposed("params.Dense_2.kernel", &torch[4]),
            tensor("params.Dense_0.bias", &[5]),
            transposed("params.Dense_0.kernel", &torch[0]),
            tensor("params.Dense_1.bias", &[4]),
            transposed("params.Dense_1.kernel", &torch[2]),
            tensor("params.Dense_2.bias", &[1]),
        ];
        // The biases' values differ by their names' lengths: compare the weights alone.
        let got = load(&flax, 3, &[5, 4, 1], None).unwrap();
        let weights = |p: &[f64]| [p[..15].to_vec(), p[20..40].to_vec(), p[44..48].to_vec()];
        assert_eq!(weights(&got), weights(&want));
        assert_eq!(got[15], first(&flax[1]));
        // By hand: a kernel of 2 inputs by 3 outputs, whose rows are the inputs.
        let kernel = Tensor {
            name: "kernel".to_string(),
            shape: vec![2, 3],
            values: Values::Wide(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        };
        let one = load(&[kernel, tensor("bias", &[3])], 2, &[3], None).unwrap();
        assert_eq!(one[..6], [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        let named = load(
            &flax,
            3,
            &[5, 4, 1],
            Some(&["params.Dense_0", "params.Dense_1", "params.Dense_2"]),
        );
        assert_eq!(named.unwrap(), got);
        // A module named that is not there, in the file's words and layout.
        let missing = |tensors: &[Tensor<'_>], names: [&str; 3]| {
            let error = load(tensors, 3, &[5, 4, 1], Some(&names)).unwrap_err();
            error.to_string()
        };
        assert_eq!(
            missing(
                &flax,
                ["params.Dense_0", "params.Dense_3", "params.Dense_2"]
            ),
            "missing tensor `params.Dense_3.kernel` (expected shape [5, 4])"
        );
        // Flax's tensors, in their order, under other names.
        let as_named = |names: [&str; 6]| -> Vec<Tensor<'static>> {
            names
                .iter()
                .zip(&flax)
                .map(|(n, t)| renamed(n, t))
                .collect()
        };
        // Keras's paths (and Flax's flattened with `sep="/"`) part names with `/`.
        let keras = as_named([
            "sequential/dense_2/kernel",
            "sequential/dense/bias",
            "sequential/dense/kernel",
            "sequential/dense_1/bias",
            "sequential/dense_1/kernel",
            "sequential/dense_2/bias",
        ]);
        assert_eq!(load(&keras, 3, &[5, 4, 1], None).unwrap(), got);
        // Haiku's `Linear`: `w`, `[in, out]` as a kernel, and `b`, flattened with `sep="/"`.
        let haiku = as_named([
            "mlp/~/linear_2/w",
            "mlp/~/linear_0/b",
            "mlp/~/linear_0/w",
            "mlp/~/linear_1/b",
            "mlp/~/linear_1/w",
            "mlp/~/linear_2/b",
        ]);
        assert_eq!(load(&haiku, 3, &[5, 4, 1], None).unwrap(), got);
        assert_eq!(
            missing(
                &haiku,
                ["mlp/~/linear_0", "mlp/~/linear_1", "mlp/~/linear_3"]
            ),
            "missing tensor `mlp/~/linear_3/w` (expected shape [4, 1])"
        );
        let error = load(&haiku[..5], 3, &[5, 4, 1], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing tensor `mlp/~/linear_2/b` (expected shape [1])"
        );
        let error = load(&keras[..5], 3, &[5, 4, 1], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing tensor `sequential/dense_2/bias` (expected shape [1])"
        );
    }

    #[test]
    fn shapes_decide_the_order_of_named_modules() {
        let tensors = vec![
            tensor("output.weight", &[1, 4]),
            tensor("output.bias", &[1]),
            tensor("hidden.weight", &[4, 3]),
            tensor("hidden.bias", &[4]),
        ];
        let p = load(&tensors, 3, &[4, 1], None).unwrap();
        assert_eq!(p[0], first(&tensors[2]));
        let named = load(&tensors, 3, &[4, 1], Some(&["hidden", "output"])).unwrap();
        assert_eq!(named, p);
    }

    /// Named, the layers' modules are read out of a file holding more: the rest of a model,
    /// a BatchNorm's parameters and buffers.
    #[test]
    fn named_modules_are_read_alone() {
        let tensors = vec![
            tensor("encoder.0.weight", &[8, 3]),
            tensor("encoder.0.bias", &[8]),
            tensor("encoder.1.weight", &[8]),
            tensor("encoder.1.running_mean", &[8]),
            tensor("encoder.1.num_batches_tracked", &[]),
            tensor("head.0.weight", &[4, 3]),
            tensor("head.0.bias", &[4]),
            tensor("head.2.weight", &[1, 4]),
            tensor("head.2.bias", &[1]),
            tensor("head.2.weight_scale", &[1]),
        ];
        let head = load(&tensors, 3, &[4, 1], Some(&["head.0", "head.2"])).unwrap();
        let alone = load(&tensors[5..9], 3, &[4, 1], None).unwrap();
        assert_eq!(head, alone);
        for (name, want) in [
            ("encoder.1.running_mean", Ok(false)),
            ("head.2.weight_scale", Ok(false)),
            ("head.0.kernel", Ok(true)),
            ("head/0/bias", Ok(false)),
        ] {
            let got = wanted(name, Some(&["head.0", "head.2"])).map_err(|e| e.to_string());
            assert_eq!(got, want, "{name}");
        }
        let error = load(&tensors, 3, &[4, 1], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unexpected tensor `encoder.1.running_mean`: it is neither a weight (`.weight`, `.kernel`, `.w`) nor a bias (`.bias`, `.b`); to load some modules alone, name them (`load_layers`)"
        );
    }

    #[test]
    fn mistakes() {
        let good = || {
            vec![
                tensor("0.weight", &[4, 3]),
                tensor("0.bias", &[4]),
                tensor("2.weight", &[1, 4]),
                tensor("2.bias", &[1]),
            ]
        };
        let message = |tensors: Vec<Tensor>, names: Option<&[&str]>| -> String {
            load(&tensors, 3, &[4, 1], names).unwrap_err().to_string()
        };
        // Each case: the good tensors with one change, and the message.
        let with = |change: &dyn Fn(&mut Vec<Tensor<'static>>)| {
            let mut t = good();
            change(&mut t);
            t
        };
        let cases: [(Vec<Tensor>, &str); 14] = [
            (
                with(&|t| drop(t.remove(1))),
                "missing tensor `0.bias` (expected shape [4])",
            ),
            (
                with(&|t| t.truncate(2)),
                "no tensors for layer 2: expected a weight of shape [1, 4] (`<module>.weight`, or `<module>.kernel` or `<module>.w` transposed) and its bias",
            ),
            (
                with(&|t| t.push(tensor("running_mean", &[4]))),
                "unexpected tensor `running_mean`: it is neither a weight (`.weight`, `.kernel`, `.w`) nor a bias (`.bias`, `.b`); to load some modules alone, name them (`load_layers`)",
            ),
            (
                with(&|t| t.extend([tensor("4.weight", &[1, 1]), tensor("4.bias", &[1])])),
                "unexpected tensor `4.weight`: every layer already has its weight; to load some modules alone, name them (`load_layers`)",
            ),
            (
                with(&|t| t[0] = tensor("0.weight", &[3, 4])),
                "tensor `0.weight` has shape [3, 4], expected [4, 3] (transposed? a weight is [out, in], as PyTorch's `Linear.weight`)",
            ),
            (
                with(&|t| t[0] = tensor("0.kernel", &[4, 3])),
                "tensor `0.kernel` has shape [4, 3], expected [3, 4] (transposed? a kernel is [in, out], as in Flax's and Keras's `Dense` and Haiku's `Linear`)",
            ),
            (
                with(&|t| t.push(tensor("2.kernel", &[4, 1]))),
                "unexpected tensor `2.kernel`: its module has weights of two namings (`.weight`, `.kernel`, `.w`)",
            ),
            (
                with(&|t| t.push(tensor("0.weight", &[4, 3]))),
                "unexpected tensor `0.weight`: its module has a weight already",
            ),
            (
                with(&|t| t.push(tensor("head/bias", &[1]))),
                "missing tensor `head/weight`",
            ),
            (
                with(&|t| t.push(tensor("mlp/~/linear_2/b", &[1]))),
                "missing tensor `mlp/~/linear_2/w`",
            ),
            (
                with(&|t| t[2] = tensor("2/w", &[1, 4])),
                "tensor `2/w` has shape [1, 4], expected [4, 1] (transposed? a kernel is [in, out], as in Flax's and Keras's `Dense` and Haiku's `Linear`)",
            ),
            (
                with(&|t| t.extend([tensor("4/w", &[4, 1]), tensor("4/b", &[1])])),
                "unexpected tensor `4/w`: every layer already has its weight; to load some modules alone, name them (`load_layers`)",
            ),
            (
                with(&|t| t.push(tensor("2.bias", &[1]))),
                "unexpected tensor `2.bias`: its module has a bias already",
            ),
            (
                with(&|t| t[3] = tensor("2.bias", &[2])),
                "tensor `2.bias` has shape [2], expected [1]",
            ),
        ];
        for (tensors, want) in cases {
            assert_eq!(message(tensors, None), want);
        }
        assert_eq!(
            message(good(), Some(&["0"])),
            "expected 2 layer names, one per layer, found 1"
        );
        assert_eq!(
            message(good(), Some(&["0", "3"])),
            "missing tensor `3.weight` (expected shape [1, 4])"
        );
        assert_eq!(
            message(good(), Some(&["0", "model/dense_1"])),
            "missing tensor `model/dense_1/weight` (expected shape [1, 4])"
        );
        let only_bias = vec![tensor("0.bias", &[4])];
        assert!(matches!(
            load(&only_bias, 3, &[4], None),
            Err(LoadError::Missing { .. })
        ));
    }
}
