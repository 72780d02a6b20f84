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

/// Edit distance between `a` and `b` in chars: insertions, deletions, substitutions and
/// swaps of neighbours (`inptu` is one edit from `input`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // d[i][j]: distance between the first i chars of a and the first j of b.
    let mut d: Vec<Vec<usize>> = (0..=a.len())
        .map(|i| (0..=b.len()).map(|j| if i == 0 { j } else { i }).collect())
        .collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = substitution.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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
        assert_eq!(distance("inptu", "input"), 1);
    }

    #[test]
    fn suggests_only_near_misses() {
        let keys = ["input", "activation", "output", "scalar", "unroll"];
        assert_eq!(closest("activaton", keys), Some("activation"));
        assert_eq!(closest("inputs", keys), Some("input"));
        assert_eq!(closest("inptu", keys), Some("input"));
        assert_eq!(closest("width", keys), None);
        assert_eq!(closest("sigmod", ["sigmoid", "silu"]), Some("sigmoid"));
    }
}
