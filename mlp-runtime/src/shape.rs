//! Length checks of the slices given to a [`Network`](crate::Network)'s methods, and the
//! flattening of a generated block kernel's matrices.

use crate::ShapeError;

/// `slice` as an array of `N`, or an error naming `what` it holds.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `N` values.
#[inline]
pub fn array<'a, T, const N: usize>(
    slice: &'a [T],
    what: &'static str,
) -> Result<&'a [T; N], ShapeError> {
    slice
        .try_into()
        .map_err(|_| ShapeError::new(what, N, slice.len()))
}

/// `slice` as a mutable array of `N`, or an error naming `what` it holds: a result can then
/// be assigned in place (`*array = …`), which the compiler builds where it lands, where
/// `copy_from_slice` would copy it from the stack.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `N` values.
#[inline]
pub fn array_mut<'a, T, const N: usize>(
    slice: &'a mut [T],
    what: &'static str,
) -> Result<&'a mut [T; N], ShapeError> {
    let found = slice.len();
    slice
        .try_into()
        .map_err(|_| ShapeError::new(what, N, found))
}

/// `slice` as a mutable matrix of `R` rows of `N`, one after the other, or an error naming
/// `what` it holds: a Jacobian or a Hessian written in place.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `R·N` values.
#[inline]
pub fn matrix_mut<'a, T, const N: usize, const R: usize>(
    slice: &'a mut [T],
    what: &'static str,
) -> Result<&'a mut [[T; N]; R], ShapeError> {
    const { assert!(N > 0, "a network has at least one input") };
    let found = slice.len();
    let error = || ShapeError::new(what, R * N, found);
    match slice.as_chunks_mut::<N>() {
        (rows, []) => rows.try_into().map_err(|_| error()),
        _ => Err(error()),
    }
}

/// `slice` as blocks of `B` rows of `N` values (runs of samples, one after the other), or
/// an error naming `what` it holds if that is not a whole number of blocks (the error
/// expects the next whole number).
///
/// # Errors
/// A [`ShapeError`] if the length of `slice` is not a multiple of `N·B`.
#[inline]
pub fn blocks<'a, T, const N: usize, const B: usize>(
    slice: &'a [T],
    what: &'static str,
) -> Result<&'a [[[T; N]; B]], ShapeError> {
    let error = || ShapeError::new(what, whole(slice.len(), N * B), slice.len());
    let (rows, []) = slice.as_chunks::<N>() else {
        return Err(error());
    };
    match rows.as_chunks::<B>() {
        (blocks, []) => Ok(blocks),
        _ => Err(error()),
    }
}

/// [`blocks_mut`] of matrices: exactly `count` blocks of `B` samples' `R × N` values each
/// (a block kernel's Jacobians, a row per output).
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `count·B·R·N` values.
#[inline]
pub fn matrix_blocks_mut<'a, T, const N: usize, const R: usize, const B: usize>(
    slice: &'a mut [T],
    count: usize,
    what: &'static str,
) -> Result<&'a mut [[[[T; N]; R]; B]], ShapeError> {
    let (expected, found) = (count * B * R * N, slice.len());
    if found != expected {
        return Err(ShapeError::new(what, expected, found));
    }
    // A whole number of blocks: nothing left over.
    let rows = slice.as_chunks_mut::<N>().0;
    Ok(rows.as_chunks_mut::<R>().0.as_chunks_mut::<B>().0)
}

/// [`blocks`], exactly `count` of them: a kernel's second argument (directions, output
/// weights), block by block for its samples'.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `count·N·B` values.
#[inline]
pub fn blocks_exact<'a, T, const N: usize, const B: usize>(
    slice: &'a [T],
    count: usize,
    what: &'static str,
) -> Result<&'a [[[T; N]; B]], ShapeError> {
    let (expected, found) = (count * N * B, slice.len());
    if found != expected {
        return Err(ShapeError::new(what, expected, found));
    }
    Ok(slice.as_chunks::<N>().0.as_chunks::<B>().0)
}

/// [`blocks`], mutable, and exactly `count` of them: a kernel's results, block by block for
/// its samples'.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `count·N·B` values.
#[inline]
pub fn blocks_mut<'a, T, const N: usize, const B: usize>(
    slice: &'a mut [T],
    count: usize,
    what: &'static str,
) -> Result<&'a mut [[[T; N]; B]], ShapeError> {
    let (expected, found) = (count * N * B, slice.len());
    if found != expected {
        return Err(ShapeError::new(what, expected, found));
    }
    // A whole number of blocks: nothing left over.
    Ok(slice.as_chunks_mut::<N>().0.as_chunks_mut::<B>().0)
}

/// [`blocks_mut`] of one value a sample (a Laplacian): `count` blocks of `B`.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `count·B` values.
#[inline]
pub fn value_blocks_mut<'a, T, const B: usize>(
    slice: &'a mut [T],
    count: usize,
    what: &'static str,
) -> Result<&'a mut [[T; B]], ShapeError> {
    let (expected, found) = (count * B, slice.len());
    if found != expected {
        return Err(ShapeError::new(what, expected, found));
    }
    Ok(slice.as_chunks_mut::<B>().0)
}

/// `len` rounded up to a multiple of `unit` (at least one).
fn whole(len: usize, unit: usize) -> usize {
    len.div_ceil(unit).max(1) * unit
}

/// `Ok` if `found == expected`, else an error naming `what` is counted.
///
/// # Errors
/// A [`ShapeError`] giving both lengths.
#[inline]
pub fn check_len(found: usize, expected: usize, what: &'static str) -> Result<(), ShapeError> {
    if found == expected {
        Ok(())
    } else {
        Err(ShapeError::new(what, expected, found))
    }
}

/// The rows of `x` one after the other, as one array of `M = N·B` values: an element-wise
/// operation on a whole matrix at once (an activation on a block's layer).
#[inline(always)]
pub fn flat<T, const N: usize, const B: usize, const M: usize>(x: &[[T; N]; B]) -> &[T; M] {
    const { assert!(N * B == M) };
    // SAFETY: `[[T; N]; B]` is laid out as `[T; N·B]`, and `N·B = M`.
    unsafe { &*x.as_ptr().cast::<[T; M]>() }
}

/// [`flat`], mutable.
#[inline(always)]
pub fn flat_mut<T, const N: usize, const B: usize, const M: usize>(
    x: &mut [[T; N]; B],
) -> &mut [T; M] {
    const { assert!(N * B == M) };
    // SAFETY: as in `flat`.
    unsafe { &mut *x.as_mut_ptr().cast::<[T; M]>() }
}

/// A block kernel's array, or a matrix of a Hessian method's, from a 64-byte boundary: its
/// rows of whole vectors are then read without a load across two cache lines, as the
/// network's weights are. (On the stack, an array of `f64` may start anywhere past 8
/// bytes; the 3-64-64-64-1 network's block kernels had theirs at 8 past a line.) Read and
/// written as the array it holds.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub struct Aligned<T>(pub T);

impl<T> core::ops::Deref for Aligned<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> core::ops::DerefMut for Aligned<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{blocks, blocks_exact, blocks_mut, flat, flat_mut, matrix_blocks_mut, matrix_mut};
    use crate::ShapeError;

    /// `flat` and `flat_mut` are the rows one after the other, read and written in place
    /// (their pointer casts are checked under Miri: `scripts/miri.sh`).
    #[test]
    fn flat_is_the_rows_one_after_the_other() {
        let mut x = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert_eq!(flat::<f64, 3, 2, 6>(&x), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        flat_mut::<f64, 3, 2, 6>(&mut x)[5] = -6.0;
        assert_eq!(x, [[1.0, 2.0, 3.0], [4.0, 5.0, -6.0]]);
    }

    #[test]
    fn blocks_are_whole_or_an_error() {
        let values: Vec<u32> = (0..24).collect();
        let two = blocks::<u32, 3, 4>(&values, "input values").unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[1][0], [12, 13, 14]);
        assert!(blocks::<u32, 3, 4>(&[], "input values").unwrap().is_empty());
        assert_eq!(
            blocks::<u32, 3, 4>(&values[..13], "input values"),
            Err(ShapeError::new("input values", 24, 13))
        );
        assert_eq!(
            blocks::<u32, 3, 4>(&values[..12 + 3], "input values"),
            Err(ShapeError::new("input values", 24, 15))
        );
        let mut out = [0u32; 24];
        assert_eq!(
            blocks_mut::<u32, 3, 4>(&mut out, 2, "outputs")
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            blocks_mut::<u32, 3, 4>(&mut out, 1, "outputs"),
            Err(ShapeError::new("outputs", 12, 24))
        );
    }

    #[test]
    fn blocks_of_a_count_are_exact_or_an_error() {
        let values: Vec<u32> = (0..24).collect();
        let two = blocks_exact::<u32, 3, 4>(&values, 2, "directions").unwrap();
        assert_eq!(two[1][3], [21, 22, 23]);
        assert_eq!(
            blocks_exact::<u32, 3, 4>(&values, 1, "directions"),
            Err(ShapeError::new("directions", 12, 24))
        );
        // Two blocks of four samples' 2 × 3 matrices, row after row.
        let mut values: Vec<u32> = (0..48).collect();
        let matrices = matrix_blocks_mut::<u32, 3, 2, 4>(&mut values, 2, "entries").unwrap();
        assert_eq!(matrices[1][2], [[36, 37, 38], [39, 40, 41]]);
        matrices[0][1][1][2] = 0;
        assert_eq!(values[11], 0);
        for len in [0, 24, 47, 49] {
            let mut values = vec![0u32; len];
            assert_eq!(
                matrix_blocks_mut::<u32, 3, 2, 4>(&mut values, 2, "entries"),
                Err(ShapeError::new("entries", 48, len))
            );
        }
    }

    #[test]
    fn a_matrix_is_whole_or_an_error() {
        let mut values: Vec<u32> = (0..6).collect();
        let matrix = matrix_mut::<u32, 3, 2>(&mut values, "jacobian entries").unwrap();
        assert_eq!(matrix[1], [3, 4, 5]);
        matrix[1][2] = 0;
        assert_eq!(values[5], 0);
        for len in [0, 3, 5, 7, 9] {
            let mut values = vec![0u32; len];
            assert_eq!(
                matrix_mut::<u32, 3, 2>(&mut values, "jacobian entries"),
                Err(ShapeError::new("jacobian entries", 6, len))
            );
        }
    }
}
