//! Arrays from a NumPy `.npz` archive, as `numpy.savez` (or `savez_compressed`) writes it,
//! and the parameters' vector from a `.npy` file, as `numpy.save` writes it.

use std::cell::Cell;
use std::io::{Cursor, Read};
use std::string::{String, ToString};
use std::vec::Vec;

use ndarray::{Array, IxDyn};
use ndarray_npy::{ReadDataError, ReadNpyError, ReadNpyExt, ReadableElement};
use py_literal::Value as PyValue;
use zip::ZipArchive;

use super::{LoadError, Tensor, Values};

/// An element of any floating-point dtype (`f2`, `f4`, `f8`, either byte order), widened.
#[derive(Clone, Copy)]
struct Wide(f64);

std::thread_local! {
    /// The most values `Wide` reads into the next array: `ReadableElement` is told an
    /// array's length by its header and nothing else, so the limit comes this way.
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// An array of more values than `LIMIT`, left unread.
#[derive(Debug, thiserror::Error)]
#[error("{0} values")]
struct Unread(usize);

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
        if len > LIMIT.get() {
            return Err(ReadDataError::ParseData(std::boxed::Box::new(Unread(len))));
        }
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

/// The arrays in `bytes` whose names are `wanted`, their values widened to `f64` in
/// row-major order, for a network of `parameters`. The others are not read.
///
/// A file for this network holds as many values as it has parameters. Another network's
/// file holds more, and is read all the same, so that its shapes are reported, up to one
/// value more for each byte of the file: weights do not compress so far (`f2` takes two
/// bytes a value, and random low bits do not deflate). Past that an array is not read: a
/// compressed array can inflate a thousandfold (a 778 KB file of zeros claiming 10⁸ values
/// took 1.6 GB).
pub fn tensors(
    bytes: &[u8],
    parameters: usize,
    wanted: &dyn Fn(&str) -> Result<bool, LoadError>,
) -> Result<Vec<Tensor<'static>>, LoadError> {
    let mut left = parameters.saturating_add(bytes.len());
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt("npz", &e))?;
    let mut out = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        // As NumPy names the arrays of an archive.
        let name = archive.name_for_index(index).unwrap_or_default();
        let name = name.strip_suffix(".npy").unwrap_or(name).to_string();
        if !wanted(&name)? {
            continue;
        }
        let file = archive.by_index(index).map_err(|e| corrupt("npz", &e))?;
        let (shape, values) = array("npz", &name, file, left)?;
        left -= values.len();
        out.push(Tensor {
            name,
            shape,
            values: Values::Wide(values),
        });
    }
    Ok(out)
}

/// The parameters in a `.npy` file, one vector of them in PyTorch's `parameters()` order (as
/// `torch.nn.utils.parameters_to_vector` gives them), widened to `f64`.
pub fn vector(bytes: &[u8], parameters: usize) -> Result<Vec<f64>, LoadError> {
    // Uncompressed, an array's values are read as far as the bytes go, no further.
    let (shape, values) = array("npy", "parameters", bytes, usize::MAX)?;
    if shape != [parameters] {
        return Err(LoadError::Vector {
            expected: parameters,
            found: shape,
        });
    }
    Ok(values)
}

/// The `.npy` array in `file`, named `name` in errors, its shape and its values widened, if
/// it has at most `limit` values.
fn array(
    format: &'static str,
    name: &str,
    mut file: impl Read,
    limit: usize,
) -> Result<(Vec<usize>, Vec<f64>), LoadError> {
    let prefix = prefix(&mut file).map_err(|e| corrupt(format, &e))?;
    LIMIT.set(limit);
    match Array::<Wide, IxDyn>::read_npy(Cursor::new(prefix).chain(file)) {
        Ok(array) => Ok((array.shape().to_vec(), array.iter().map(|w| w.0).collect())),
        Err(ReadNpyError::WrongDescriptor(found)) => Err(LoadError::Dtype {
            name: name.to_string(),
            found: found.to_string(),
        }),
        Err(e) => Err(match too_large(&e) {
            Some(found) => LoadError::TooLarge {
                name: name.to_string(),
                found,
                limit,
            },
            None => corrupt(format, &e),
        }),
    }
}

/// A reader's error, its first line: a header's syntax error goes on to quote the header,
/// up to 10 kB.
fn corrupt(format: &'static str, e: &dyn std::fmt::Display) -> LoadError {
    LoadError::Corrupt {
        format,
        message: e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    }
}

/// The most bytes of an array's header that NumPy reads (`max_header_size`); weights'
/// headers take about a hundred.
const MAX_HEADER: u32 = 10_000;

/// The first bytes of an `.npy` file (magic string, version, header length), read so as to
/// check the header's length: `ndarray-npy` allocates the length a header claims before it
/// reads it (up to 4 GiB, in versions 2 and 3).
fn prefix(file: &mut impl Read) -> Result<Vec<u8>, String> {
    let mut prefix = Vec::with_capacity(12);
    file.take(12)
        .read_to_end(&mut prefix)
        .map_err(|e| e.to_string())?;
    if let [b'\x93', b'N', b'U', b'M', b'P', b'Y', 2 | 3, _, length @ ..] = prefix.as_slice() {
        let length = u32::from_le_bytes(length.try_into().map_err(|_| "truncated header")?);
        if length > MAX_HEADER {
            return Err(std::format!(
                "an array's header claims {length} bytes, more than NumPy reads ({MAX_HEADER})"
            ));
        }
    }
    Ok(prefix)
}

/// The length of an array `Wide` left unread for its size.
fn too_large(e: &ReadNpyError) -> Option<usize> {
    match e {
        ReadNpyError::ParseData(e) => e.downcast_ref().map(|t: &Unread| t.0),
        _ => None,
    }
}
