//! Ids of two kinds cannot be passed for one another: each file of `tests/compile-fail/`
//! must fail to compile with the error pinned beside it (`.stderr`; regenerate with
//! `TRYBUILD=overwrite` after checking the new text by hand).

#[test]
fn ids_of_another_kind_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("compile-fail/*.rs");
}
