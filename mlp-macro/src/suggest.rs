//! "Did you mean …?" for misspelled keys and activations.

/// The candidate closest to `word`, if it is close enough to be the intended one.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|&(d, c)| d <= (c.len() / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, counted in chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn distances() {
        assert_eq!(distance("tanh", "tanh"), 0);
        assert_eq!(distance("tanhh", "tanh"), 1);
        assert_eq!(distance("actvation", "activation"), 1);
        assert_eq!(distance("", "elu"), 3);
    }

    #[test]
    fn suggests_only_near_misses() {
        let keys = ["input", "activation", "output", "scalar", "unroll"];
        assert_eq!(closest("activaton", keys), Some("activation"));
        assert_eq!(closest("inputs", keys), Some("input"));
        assert_eq!(closest("width", keys), None);
        assert_eq!(closest("sigmod", ["sigmoid", "silu"]), Some("sigmoid"));
    }
}
