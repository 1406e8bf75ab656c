//! Client-side checks of the service's rules, run before a request is sent: those of
//! `face-sdk-types`, which the generated models call too, and the size of a body.
//!
//! Each returns [`Error::InvalidRequest`] naming the wire name of the
//! parameter and the broken rule.

pub use face_sdk_types::runtime::check::*;

use crate::{Body, Error};

/// A body of known size must be within `min..=max` bytes; a body of unknown
/// size passes.
pub fn body_size(name: &str, body: &Body, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    byte_size(name, body.len(), min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), Error>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn body_sizes() {
        let small = Body::from(vec![0_u8; 10]);
        assert_eq!(
            message(body_size("image", &small, Some(1024), Some(6_291_456))),
            "invalid request: `image` must be at least 1024 bytes (got 10)"
        );
        let big = Body::from(vec![0_u8; 2049]);
        assert_eq!(
            message(body_size("image", &big, None, Some(2048))),
            "invalid request: `image` must be at most 2048 bytes (got 2049)"
        );
        assert!(
            body_size(
                "image",
                &Body::from(vec![0_u8; 1024]),
                Some(1024),
                Some(2048)
            )
            .is_ok()
        );
        let unknown = Body::from_stream(futures_util::stream::empty(), None);
        assert!(body_size("image", &unknown, Some(1024), None).is_ok());
    }
}
