//! Integration tests of the Face SDK live in `tests/`.
