//! Arrays from a NumPy `.npz` archive, as `numpy.savez` (or `savez_compressed`) writes it.

use std::io::{Cursor, Read};
use std::string::{String, ToString};
use std::vec::Vec;

use ndarray::{Array, IxDyn};
use ndarray_npy::{NpzReader, ReadDataError, ReadableElement};
use py_literal::Value as PyValue;

use super::{LoadError, Tensor};

/// An element of any floating-point dtype (`f2`, `f4`, `f8`, either byte order), widened.
#[derive(Clone, Copy)]
struct Wide(f64);

impl ReadableElement for Wide {
    fn read_to_end_exact_vec<R: Read>(
        reader: R,
        type_desc: &PyValue,
        len: usize,
    ) -> Result<Vec<Self>, ReadDataError> {
        let wrong = || ReadDataError::WrongDescriptor(type_desc.clone());
        let PyValue::String(desc) = type_desc else {
            return Err(wrong());
        };
        let (big_endian, kind) = match desc.as_bytes() {
            [b'>', kind @ ..] => (true, kind),
            [b'<' | b'=' | b'|', kind @ ..] => (false, kind),
            _ => return Err(wrong()),
        };
        let size = match kind {
            b"f2" => 2,
            b"f4" => 4,
            b"f8" => 8,
            _ => return Err(wrong()),
        };
        let needed = len.checked_mul(size).ok_or(ReadDataError::MissingData)?;
        // Read what is there rather than allocating what the header claims.
        let mut bytes = Vec::new();
        reader
            .take(needed as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadDataError::Io)?;
        if bytes.len() < needed {
            return Err(ReadDataError::MissingData);
        }
        if bytes.len() > needed {
            return Err(ReadDataError::ExtraBytes(bytes.len() - needed));
        }
        let value = |b: &[u8]| -> f64 {
            let mut word = [0u8; 8];
            word[..size].copy_from_slice(b);
            if big_endian {
                word[..size].reverse();
            }
            match size {
                2 => f64::from(half::f16::from_le_bytes([word[0], word[1]])),
                4 => f64::from(f32::from_le_bytes([word[0], word[1], word[2], word[3]])),
                _ => f64::from_le_bytes(word),
            }
        };
        Ok(bytes.chunks_exact(size).map(|b| Wide(value(b))).collect())
    }
}

/// Every array in `bytes`, its values widened to `f64` in row-major order.
pub fn tensors(bytes: &[u8]) -> Result<Vec<Tensor>, LoadError> {
    let corrupt = |e: &dyn std::fmt::Display| LoadError::Corrupt {
        format: "npz",
        message: e.to_string(),
    };
    let mut archive = NpzReader::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let names: Vec<String> = archive.names().map_err(|e| corrupt(&e))?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let array: Array<Wide, IxDyn> = match archive.by_name(&name) {
            Ok(array) => array,
            Err(ndarray_npy::ReadNpzError::Npy(ndarray_npy::ReadNpyError::WrongDescriptor(
                found,
            ))) => {
                return Err(LoadError::Dtype {
                    name,
                    found: found.to_string(),
                });
            }
            Err(e) => return Err(corrupt(&e)),
        };
        out.push(Tensor {
            shape: array.shape().to_vec(),
            values: array.iter().map(|w| w.0).collect(),
            name,
        });
    }
    Ok(out)
}
