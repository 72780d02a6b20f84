//! Reading a flat parameter slice into a generated network's fields.

use crate::ShapeError;

/// A cursor over a flat parameter slice whose length was checked up front; generated
/// `from_parameters` takes each field from it in order.
#[derive(Debug)]
pub struct Parameters<'a, T> {
    rest: &'a [T],
}

impl<'a, T: Copy> Parameters<'a, T> {
    /// A cursor over `parameters`, which must hold exactly `expected` values.
    ///
    /// # Errors
    /// A [`ShapeError`] giving both lengths when they differ.
    #[inline]
    pub fn new(parameters: &'a [T], expected: usize) -> Result<Self, ShapeError> {
        if parameters.len() == expected {
            Ok(Self { rest: parameters })
        } else {
            Err(ShapeError::new("parameters", expected, parameters.len()))
        }
    }

    /// The next `N` values.
    ///
    /// # Errors
    /// A [`ShapeError`] if fewer than `N` remain (the length checked by [`Self::new`]
    /// disagrees with the fields read).
    #[inline]
    pub fn vector<const N: usize>(&mut self) -> Result<[T; N], ShapeError> {
        let (head, rest) = self.rest.split_first_chunk::<N>().ok_or(ShapeError::new(
            "parameters",
            N,
            self.rest.len(),
        ))?;
        self.rest = rest;
        Ok(*head)
    }

    /// The next `R × C` values, row-major.
    ///
    /// # Errors
    /// As [`Self::vector`].
    #[inline]
    pub fn matrix<const R: usize, const C: usize>(&mut self) -> Result<[[T; C]; R], ShapeError> {
        let needed = R * C;
        if self.rest.len() < needed {
            return Err(ShapeError::new("parameters", needed, self.rest.len()));
        }
        let (head, rest) = self.rest.split_at(needed);
        self.rest = rest;
        let mut rows = head.chunks_exact(C.max(1));
        Ok(core::array::from_fn(|_| {
            let row = rows.next().unwrap_or_default();
            core::array::from_fn(|c| row[c])
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::Parameters;
    use crate::ShapeError;

    #[test]
    fn reads_fields_in_order() {
        let flat = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let mut p = Parameters::new(&flat, 7).unwrap();
        let w: [[f64; 3]; 2] = p.matrix().unwrap();
        let b: [f64; 1] = p.vector().unwrap();
        assert_eq!(w, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(b, [7.0]);
    }

    #[test]
    fn wrong_length_is_an_error() {
        let flat = [0.0_f32; 5];
        let error = Parameters::new(&flat, 7).unwrap_err();
        assert_eq!(error, ShapeError::new("parameters", 7, 5));
        let mut p = Parameters::new(&flat, 5).unwrap();
        assert!(p.matrix::<2, 3>().is_err());
        assert!(p.vector::<6>().is_err());
    }
}
