//! Helpers shared by the integration tests of the Face SDK: clients aimed at
//! a loopback mock server, readers of what the server received, assertions
//! on errors, a raw TCP server for answers `wiremock` cannot give, the `face-mock`
//! helpers of [`emulator`], and readers of the specs through the generator's IR.

pub mod emulator;

mod clients;
mod credentials;
mod multipart;
mod raw;
mod spec;
mod wire;

pub use clients::*;
pub use credentials::*;
pub use multipart::*;
pub use raw::*;
pub use spec::*;
pub use wire::*;
