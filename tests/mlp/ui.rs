//! Compile-fail cases: each mistake, and the error rustc shows for it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
