//! Weights from files written by PyTorch, JAX (Flax, Haiku), Keras or NumPy: safetensors,
//! `.npz`, and `.npy` (the parameters as one vector), from a path or from bytes in memory,
//! the format told by the bytes themselves.

mod error;
mod layers;
#[cfg(feature = "npz")]
mod npz;
#[cfg(feature = "safetensors")]
mod safetensors;

use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

pub use error::LoadError;

use crate::{Network, Scalar};

/// A tensor read from a file: its name, its shape, and its values in row-major order.
pub(crate) struct Tensor<'a> {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Values<'a>,
}

/// A tensor's values, widened to `f64` only once the tensor is known to be a layer's: a file
/// can hold far more than the network (another model's, say), and `f16` values widened take
/// four times their bytes.
#[cfg_attr(
    not(all(feature = "npz", feature = "safetensors")),
    allow(dead_code, reason = "each format builds one kind")
)]
pub(crate) enum Values<'a> {
    /// Widened already (an `.npz` array, inflated to be read).
    Wide(Vec<f64>),
    /// Values of `size` bytes each in `data`, and how to widen one (safetensors).
    Raw {
        data: &'a [u8],
        size: usize,
        widen: fn(&[u8]) -> f64,
    },
}

impl Values<'_> {
    /// The values, widened, appended to `out`.
    pub fn append_to(&self, out: &mut Vec<f64>) {
        match self {
            Values::Wide(values) => out.extend_from_slice(values),
            Values::Raw { data, size, widen } => out.extend(data.chunks_exact(*size).map(widen)),
        }
    }

    /// The values of a matrix of `columns` columns, widened, appended to `out` transposed:
    /// column by column.
    pub fn append_transposed_to(&self, out: &mut Vec<f64>, columns: usize) {
        let mut rows = Vec::new();
        self.append_to(&mut rows);
        for c in 0..columns {
            out.extend(rows.iter().skip(c).step_by(columns));
        }
    }
}

/// A file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Safetensors,
    Npz,
    Npy,
}

/// The format of `bytes`: by their first bytes, else by the file's `extension`.
fn format(bytes: &[u8], extension: Option<&str>) -> Option<Format> {
    // A zip archive starts with a local file header (or, empty, the end of its directory).
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(Format::Npz);
    }
    if bytes.starts_with(b"\x93NUMPY") {
        return Some(Format::Npy);
    }
    // safetensors: a little-endian u64 header length, then the JSON header.
    if let Some((length, rest)) = bytes.split_first_chunk::<8>() {
        let length = u64::from_le_bytes(*length);
        if rest.first() == Some(&b'{') && length <= rest.len() as u64 {
            return Some(Format::Safetensors);
        }
    }
    match extension {
        Some("safetensors") => Some(Format::Safetensors),
        Some("npz") => Some(Format::Npz),
        Some("npy") => Some(Format::Npy),
        _ => None,
    }
}

/// The parameters of network `N` that `bytes` hold (`what` names them in errors), in
/// PyTorch's `parameters()` order; `names` gives the modules, one per layer.
fn parameters<N: Network>(
    bytes: &[u8],
    what: &str,
    extension: Option<&str>,
    names: Option<&[&str]>,
) -> Result<Vec<f64>, LoadError> {
    let wanted = |name: &str| layers::wanted(name, names);
    let tensors = match format(bytes, extension) {
        #[cfg(feature = "safetensors")]
        Some(Format::Safetensors) => safetensors::tensors(bytes, &wanted)?,
        #[cfg(feature = "npz")]
        Some(Format::Npz) => npz::tensors(bytes, N::PARAMETERS, &wanted)?,
        #[cfg(feature = "npz")]
        Some(Format::Npy) => {
            return match names {
                Some(_) => Err(LoadError::Unnamed),
                None => npz::vector(bytes, N::PARAMETERS),
            };
        }
        #[allow(unreachable_patterns)]
        Some(format) => {
            return Err(LoadError::Disabled {
                format: match format {
                    Format::Safetensors => "safetensors",
                    Format::Npz | Format::Npy => "npz",
                },
            });
        }
        None => {
            return Err(LoadError::UnknownFormat {
                what: what.to_string(),
            });
        }
    };
    layers::parameters(&tensors, N::INPUT, N::WIDTHS, names)
}

/// The network whose parameters `bytes` hold; `names` gives the modules, one per layer.
pub(crate) fn from_bytes<N: Network>(
    bytes: &[u8],
    what: &str,
    extension: Option<&str>,
    names: Option<&[&str]>,
) -> Result<N, LoadError> {
    let values = parameters::<N>(bytes, what, extension, names)?;
    let values: Vec<N::Scalar> = values.into_iter().map(N::Scalar::from_f64).collect();
    Ok(N::from_parameters(&values)?)
}

/// The network whose parameters the file at `path` holds.
pub(crate) fn load<N: Network>(path: &Path, names: Option<&[&str]>) -> Result<N, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let what = std::format!("`{}`", path.display());
    let extension = path.extension().and_then(|e| e.to_str());
    from_bytes(&bytes, &what, extension, names)
}
