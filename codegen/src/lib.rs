//! Turns the Face OpenAPI document into Rust code.
