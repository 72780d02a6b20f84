//! Compile-fail cases: each mistake, and the error rustc shows for it. And the expansions
//! of the snapshot tests compiled as ordinary code with warnings denied: inside a macro's
//! expansion rustc keeps most lints to itself (an assignment never read, an attribute it
//! means to reject in a later release), so the generated code is checked as written out.

use std::fs;
use std::path::Path;

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    let expanded = Path::new(env!("CARGO_TARGET_TMPDIR")).join("expanded");
    fs::create_dir_all(&expanded).expect("a directory for the expansions");
    for (name, extra) in EXPANSIONS {
        let file = expanded.join(format!("{}.rs", name.replace('-', "_")));
        fs::write(&file, written_out(name, extra)).expect("the expansion written out");
        cases.pass(file);
    }
}

/// The snapshots of `mlp-macro/src/tests/snapshots.rs` that are whole expansions, and what
/// each needs besides to build.
const EXPANSIONS: [(&str, &str); 7] = [
    ("seed", ""),
    ("tiny-loops", ""),
    ("tiny-unrolled", ""),
    ("generic", ""),
    ("custom", SOFTSIGN),
    ("generic-apart", ""),
    ("tall-apart", ""),
];

/// The activation the `custom` snapshot names (`acts::Softsign`).
const SOFTSIGN: &str = "
mod acts {
    pub struct Softsign;
    impl mlp::Activation<f32> for Softsign {
        fn value(x: f32) -> f32 {
            x / (1.0 + x.abs())
        }
        fn derivative(x: f32) -> f32 {
            (1.0 + x.abs()).powi(-2)
        }
        fn second_derivative(x: f32) -> f32 {
            -2.0 * x.signum() * (1.0 + x.abs()).powi(-3)
        }
    }
}
";

/// Snapshot `name`'s expansion as a program: its text after insta's header, warnings denied
/// (what a program does not call is no defect of the expansion).
fn written_out(name: &str, extra: &str) -> String {
    let path = format!(
        "{}/mlp-macro/src/tests/snapshots/mlp_macro__tests__snapshots__{name}.snap",
        env!("CARGO_MANIFEST_DIR")
    );
    let snapshot = fs::read_to_string(&path).expect("the snapshot");
    let (_, expansion) = snapshot
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .expect("insta's header, between two `---` lines");
    format!("#![deny(warnings)]\n#![allow(dead_code)]\n{expansion}{extra}\nfn main() {{}}\n")
}
