//! A file part of a `multipart/form-data` body: its bytes, with the file name and the
//! content type its part is sent with.

use std::fmt;

use crate::Body;

/// The file of a `multipart/form-data` part, such as the reference image of a
/// liveness-with-verify session: a [`Body`], with the file name and the content type the
/// part is sent with.
///
/// By default the part's file name is the part's own name
/// (`Content-Disposition: form-data; name="verifyImage"; filename="verifyImage"`), and its
/// `Content-Type` the one the spec states for the part (OpenAPI's
/// `encoding.<part>.contentType` of the form, `application/octet-stream` for `verifyImage`),
/// else `application/octet-stream`; each operation's docs name its defaults.
/// [`file_name`](Self::file_name) and
/// [`content_type`](Self::content_type) set others. Anything a [`Body`] is made from is a
/// file part with the defaults, so an operation taking `impl Into<FilePart>` takes bytes as
/// they are:
///
/// ```
/// use face_sdk::FilePart;
///
/// # let jpeg_bytes = vec![0xff_u8, 0xd8];
/// // as the official clients send the reference image
/// let part = FilePart::new(jpeg_bytes)
///     .file_name("verify.jpg")
///     .content_type("image/jpeg");
/// # let _ = part;
/// ```
///
/// An empty file name, or a content type that is empty or not a valid header value, fails
/// the call with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is
/// sent. A `"`, CR or LF in a file name is sent percent-encoded, as browsers do.
#[derive(Default)]
pub struct FilePart {
    pub(crate) body: Body,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl FilePart {
    /// A file part of `body`, sent with the default file name and content type.
    pub fn new(body: impl Into<Body>) -> Self {
        FilePart {
            body: body.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sends the part with this file name, in place of the part's name.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sends the part with this `Content-Type`, in place of the spec's.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A file part of the body, with the default file name and content type.
impl<T: Into<Body>> From<T> for FilePart {
    fn from(body: T) -> Self {
        FilePart::new(body)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("body", &self.body)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
