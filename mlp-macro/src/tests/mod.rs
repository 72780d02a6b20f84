//! Snapshot tests of the whole pipeline: the IR text, the LaTeX and the expanded code of
//! small fixtures, formatted with `prettyplease`.

mod robustness;
mod snapshots;
