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

    /// Copies the next `dst.len()` values into `dst`.
    ///
    /// # Errors
    /// A [`ShapeError`] if fewer remain (the length checked by [`Self::new`] disagrees with
    /// the fields filled).
    #[inline]
    pub fn fill(&mut self, dst: &mut [T]) -> Result<(), ShapeError> {
        if self.rest.len() < dst.len() {
            return Err(ShapeError::new("parameters", dst.len(), self.rest.len()));
        }
        let (head, rest) = self.rest.split_at(dst.len());
        dst.copy_from_slice(head);
        self.rest = rest;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Parameters;
    use crate::ShapeError;

    #[test]
    fn fills_fields_in_order() {
        let flat = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let mut p = Parameters::new(&flat, 7).unwrap();
        let (mut w, mut b) = ([[0.0; 3]; 2], [0.0; 1]);
        p.fill(w.as_flattened_mut()).unwrap();
        p.fill(&mut b).unwrap();
        assert_eq!(w, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(b, [7.0]);
    }

    #[test]
    fn wrong_length_is_an_error() {
        let flat = [0.0_f32; 5];
        let error = Parameters::new(&flat, 7).unwrap_err();
        assert_eq!(error, ShapeError::new("parameters", 7, 5));
        let mut p = Parameters::new(&flat, 5).unwrap();
        assert!(p.fill(&mut [0.0; 6]).is_err());
    }
}
