//! Face SDK.
