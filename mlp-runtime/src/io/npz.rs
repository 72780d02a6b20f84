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
/// took 1.6 GB). The arrays' headers, whose parsing takes microseconds a byte, may add up to
/// twice the file's bytes: NumPy's fit in the file itself, about 128 bytes an array.
pub fn tensors(
    bytes: &[u8],
    parameters: usize,
    wanted: &dyn Fn(&str) -> Result<bool, LoadError>,
) -> Result<Vec<Tensor<'static>>, LoadError> {
    let mut left = parameters.saturating_add(bytes.len());
    let mut headers = bytes.len().saturating_mul(2);
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
        let (shape, values) = array("npz", &name, file, left, &mut headers)?;
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
    // Uncompressed, an array's values and header are read as far as the bytes go, no
    // further.
    let mut headers = bytes.len();
    let (shape, values) = array("npy", "parameters", bytes, usize::MAX, &mut headers)?;
    if shape != [parameters] {
        return Err(LoadError::Vector {
            expected: parameters,
            found: shape,
        });
    }
    Ok(values)
}

/// The `.npy` array in `file`, named `name` in errors, its shape and its values widened, if
/// it has at most `limit` values and its header at most `headers` bytes (less them after).
fn array(
    format: &'static str,
    name: &str,
    mut file: impl Read,
    limit: usize,
    headers: &mut usize,
) -> Result<(Vec<usize>, Vec<f64>), LoadError> {
    let header = header(&mut file, headers).map_err(|e| corrupt(format, &e))?;
    LIMIT.set(limit);
    match Array::<Wide, IxDyn>::read_npy(Cursor::new(header).chain(file)) {
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

/// The most brackets an array's header nests. NumPy writes a numeric array's two deep
/// (`{'descr': '<f4', 'fortran_order': False, 'shape': (16, 3), }`), a structured one's
/// four; the header's parser takes time exponential in the depth (a file of 150 bytes, its
/// header nesting 31 deep, took 583 s).
const MAX_DEPTH: usize = 4;

/// The start of an `.npy` file (magic string, version, header length, header), read so as
/// to check the header: `ndarray-npy` allocates the length a header claims before it reads
/// it (up to 4 GiB, in versions 2 and 3), and parses it in time exponential in its depth.
/// Whatever is not an `.npy` start is left for `ndarray-npy` to report. `budget`: the bytes
/// that headers may still take, less this one's.
fn header(file: &mut impl Read, budget: &mut usize) -> Result<Vec<u8>, String> {
    let mut start = Vec::with_capacity(12);
    file.take(12)
        .read_to_end(&mut start)
        .map_err(|e| e.to_string())?;
    // The header's length, and where the header starts.
    let (length, at) = match start.as_slice() {
        [b'\x93', b'N', b'U', b'M', b'P', b'Y', 1, _, a, b, ..] => {
            (u32::from(u16::from_le_bytes([*a, *b])), 10)
        }
        [b'\x93', b'N', b'U', b'M', b'P', b'Y', 2 | 3, _, a, b, c, d] => {
            (u32::from_le_bytes([*a, *b, *c, *d]), 12)
        }
        _ => return Ok(start),
    };
    if length > MAX_HEADER {
        return Err(std::format!(
            "an array's header claims {length} bytes, more than NumPy reads ({MAX_HEADER})"
        ));
    }
    let whole = at + length as usize;
    *budget = budget.checked_sub(whole).ok_or_else(|| {
        std::format!("an array's header claims {length} bytes, more than the file can hold")
    })?;
    let rest = whole.saturating_sub(start.len());
    file.take(rest as u64)
        .read_to_end(&mut start)
        .map_err(|e| e.to_string())?;
    let (mut depth, mut deepest) = (0_usize, 0);
    for byte in &start[at.min(start.len())..] {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > MAX_DEPTH {
        return Err(std::format!(
            "an array's header nests brackets {deepest} deep, past the {MAX_DEPTH} that NumPy writes"
        ));
    }
    Ok(start)
}

/// The length of an array `Wide` left unread for its size.
fn too_large(e: &ReadNpyError) -> Option<usize> {
    match e {
        ReadNpyError::ParseData(e) => e.downcast_ref().map(|t: &Unread| t.0),
        _ => None,
    }
}
