//! What can go wrong loading weights: each failure names the tensor and says what was
//! expected and what was found.

use std::path::PathBuf;
use std::string::String;
use std::vec::Vec;

use crate::ShapeError;

/// Why weights could not be loaded into a network.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The bytes are neither safetensors, npz nor npy.
    #[error("{what} is neither safetensors, npz nor npy (by its first bytes or its extension)")]
    UnknownFormat {
        /// The file, or "the data" for bytes in memory.
        what: String,
    },
    /// The format's support was not compiled in.
    #[error("{format} support is not enabled: turn on the `{format}` feature of `mlp`")]
    Disabled {
        /// `"safetensors"` or `"npz"`.
        format: &'static str,
    },
    /// The file is corrupt or truncated.
    #[error("corrupt or truncated {format} data: {message}")]
    Corrupt {
        /// `"safetensors"` or `"npz"`.
        format: &'static str,
        /// What the format's reader said.
        message: String,
    },
    /// A tensor is not of a floating-point type.
    #[error("tensor `{name}` has dtype {found}; expected a float (f16, bf16, f32 or f64)")]
    Dtype {
        /// The tensor.
        name: String,
        /// Its dtype, as the file names it.
        found: String,
    },
    /// An `.npz` array inflating to more values than the network's parameters and the
    /// file's size allow (one value a byte): no weights compress so far. Its data is not
    /// read.
    #[error(
        "npz array `{name}` inflates to {found} values, past the {limit} that the network's parameters and the file's size allow: no weights compress so far"
    )]
    TooLarge {
        /// The array.
        name: String,
        /// Its number of values, by its header.
        found: usize,
        /// The values left to read: the network's parameters and one for each byte of the
        /// file, less the arrays before it.
        limit: usize,
    },
    /// A tensor has the wrong shape.
    #[error("tensor `{name}` has shape {found:?}, expected {expected:?}{}", hint(name, *transposed))]
    Shape {
        /// The tensor.
        name: String,
        /// The shape the network needs.
        expected: Vec<usize>,
        /// The shape in the file.
        found: Vec<usize>,
        /// Whether the shape is the expected one transposed.
        transposed: bool,
    },
    /// A tensor the network needs is not in the file.
    #[error("missing tensor `{name}`{}", shape(expected.as_deref()))]
    Missing {
        /// The tensor.
        name: String,
        /// Its shape, where known.
        expected: Option<Vec<usize>>,
    },
    /// The file has no tensors left for a layer.
    #[error(
        "no tensors for layer {layer}: expected a weight of shape {expected:?} (`<module>.weight`, or `<module>.kernel` or `<module>.w` transposed) and its bias"
    )]
    MissingLayer {
        /// The layer, 1-based.
        layer: usize,
        /// The weight's shape, `[out, in]`.
        expected: Vec<usize>,
    },
    /// A tensor the network has no place for.
    #[error("unexpected tensor `{name}`: {reason}")]
    Extra {
        /// The tensor.
        name: String,
        /// Why it has no place.
        reason: &'static str,
    },
    /// A `.npy` file's array is not one vector of the network's parameters.
    #[error(
        "a `.npy` file holds the network's parameters as one vector of {expected} (PyTorch's `parameters_to_vector(model.parameters())`), found shape {found:?}"
    )]
    Vector {
        /// The network's parameters.
        expected: usize,
        /// The array's shape.
        found: Vec<usize>,
    },
    /// Layer names were given for a `.npy` file, which holds one vector, no named tensors.
    #[error(
        "a `.npy` file holds one vector of parameters, no modules to name: load it without names"
    )]
    Unnamed,
    /// The layer names given do not match the layers.
    #[error("expected {expected} layer names, one per layer, found {found}")]
    Names {
        /// The number of layers.
        expected: usize,
        /// The number of names given.
        found: usize,
    },
    /// The parameters do not fit the network.
    #[error(transparent)]
    Parameters(#[from] ShapeError),
}

fn shape(expected: Option<&[usize]>) -> String {
    expected.map_or_else(String::new, |s| std::format!(" (expected shape {s:?})"))
}

fn hint(name: &str, transposed: bool) -> &'static str {
    match (transposed, name.ends_with("weight")) {
        (false, _) => "",
        (true, true) => " (transposed? a weight is [out, in], as PyTorch's `Linear.weight`)",
        (true, false) => {
            " (transposed? a kernel is [in, out], as in Flax's and Keras's `Dense` and Haiku's `Linear`)"
        }
    }
}
