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

/// `slice` as `B` rows of `N` values (a block of samples, one after the other), or an
/// error naming `what` it holds.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `N·B` values.
#[inline]
pub fn rows<'a, T, const N: usize, const B: usize>(
    slice: &'a [T],
    what: &'static str,
) -> Result<&'a [[T; N]; B], ShapeError> {
    let (rows, []) = slice.as_chunks::<N>() else {
        return Err(ShapeError::new(what, N * B, slice.len()));
    };
    rows.try_into()
        .map_err(|_| ShapeError::new(what, N * B, slice.len()))
}

/// [`rows`], mutable: a block's results can be assigned in place.
///
/// # Errors
/// A [`ShapeError`] if `slice` does not hold exactly `N·B` values.
#[inline]
pub fn rows_mut<'a, T, const N: usize, const B: usize>(
    slice: &'a mut [T],
    what: &'static str,
) -> Result<&'a mut [[T; N]; B], ShapeError> {
    let found = slice.len();
    let (rows, []) = slice.as_chunks_mut::<N>() else {
        return Err(ShapeError::new(what, N * B, found));
    };
    rows.try_into()
        .map_err(|_| ShapeError::new(what, N * B, found))
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
