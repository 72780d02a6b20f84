//! Tensors from a safetensors file, as PyTorch's `safetensors.torch.save_file` writes it.

use std::string::ToString;
use std::vec::Vec;

use safetensors::{Dtype, SafeTensors};

use super::{LoadError, Tensor, Values};

/// The tensors in `bytes` whose names are `wanted`, their values to be widened to `f64`.
pub fn tensors<'a>(
    bytes: &'a [u8],
    wanted: &dyn Fn(&str) -> Result<bool, LoadError>,
) -> Result<Vec<Tensor<'a>>, LoadError> {
    let file = SafeTensors::deserialize(bytes).map_err(|e| LoadError::Corrupt {
        format: "safetensors",
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (name, view) in file.iter() {
        if !wanted(name)? {
            continue;
        }
        let (size, widen): (usize, fn(&[u8]) -> f64) = match view.dtype() {
            Dtype::F64 => (8, |b| {
                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            }),
            Dtype::F32 => (4, |b| {
                f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }),
            Dtype::F16 => (2, |b| f64::from(half::f16::from_le_bytes([b[0], b[1]]))),
            Dtype::BF16 => (2, |b| f64::from(half::bf16::from_le_bytes([b[0], b[1]]))),
            other => {
                return Err(LoadError::Dtype {
                    name: name.to_string(),
                    found: std::format!("{other:?}"),
                });
            }
        };
        out.push(Tensor {
            name: name.to_string(),
            shape: view.shape().to_vec(),
            values: Values::Raw {
                data: view.data(),
                size,
                widen,
            },
        });
    }
    Ok(out)
}
