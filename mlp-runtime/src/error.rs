//! The error of a length that does not match the network.

/// A slice whose length does not match the network: the parameters given to
/// `from_parameters`, or the input, output or Jacobian buffer given to a [`Network`] method.
///
/// [`Network`]: crate::Network
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected} {what}, found {found}")]
pub struct ShapeError {
    what: &'static str,
    expected: usize,
    found: usize,
}

impl ShapeError {
    /// A slice of `found` `what`s where `expected` were needed.
    #[must_use]
    pub const fn new(what: &'static str, expected: usize, found: usize) -> Self {
        Self {
            what,
            expected,
            found,
        }
    }

    /// What the slice holds: `"parameters"`, `"input values"`, …
    #[must_use]
    pub const fn what(&self) -> &'static str {
        self.what
    }

    /// The length the network needs.
    #[must_use]
    pub const fn expected(&self) -> usize {
        self.expected
    }

    /// The length that was given.
    #[must_use]
    pub const fn found(&self) -> usize {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::ShapeError;

    #[test]
    fn message_gives_expected_and_found() {
        let error = ShapeError::new("parameters", 1281, 1280);
        assert_eq!(error.to_string(), "expected 1281 parameters, found 1280");
        assert_eq!((error.expected(), error.found()), (1281, 1280));
    }
}
