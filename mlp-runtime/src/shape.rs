//! Length checks of the slices given to a [`Network`](crate::Network)'s methods.

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
