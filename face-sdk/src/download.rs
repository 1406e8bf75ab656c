//! A response body read as a stream of chunks, for binary downloads.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::StatusCode;
use tokio::time::{Instant, Sleep};

use crate::Error;
use crate::runtime::failure::transport_error;
use crate::runtime::read::{Capped, read_capped};

/// The body of a successful response as a stream of chunks, as
/// [`send_stream`](crate::runtime::send_stream) returns it: nothing is held
/// beyond the chunk being read.
///
/// A failure while reading (a cut connection, a malformed chunk) is an
/// [`Error::Transport`]; when the call's deadline passes before the end, the
/// stream yields [`Error::Timeout`]. Either ends the stream. Nothing is
/// retried once the stream is returned.
///
/// [`into_bytes`](Self::into_bytes) reads the rest of it into one [`Bytes`], within the
/// client's [`max_response_body`](crate::FaceClientBuilder::max_response_body).
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    deadline: Pin<Box<Sleep>>,
    after: Duration,
    done: bool,
    status: StatusCode,
    /// The length the response declared (`Content-Length`), if any.
    declared: Option<u64>,
    /// The client's response body limit.
    limit: u64,
}

impl ByteStream {
    /// The body of `response`, ending with a timeout at `deadline`; `after`
    /// is the whole time the call was given, `limit` the client's response body limit.
    pub(crate) fn new(
        response: reqwest::Response,
        deadline: Instant,
        after: Duration,
        limit: u64,
    ) -> Self {
        Self {
            status: response.status(),
            declared: response.content_length(),
            inner: Box::pin(response.bytes_stream()),
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            after,
            done: false,
            limit,
        }
    }

    /// Reads the rest of the body into one [`Bytes`], within the client's
    /// [`max_response_body`](crate::FaceClientBuilder::max_response_body): a body that
    /// declares a larger length fails before anything is read, and one that grows past the
    /// limit fails as soon as it does, with [`Error::ResponseTooLarge`]; nothing past the
    /// limit is kept. A failed read or the call's deadline ends it with the stream's error.
    pub async fn into_bytes(mut self) -> Result<Bytes, Error> {
        let (status, limit) = (self.status, self.limit);
        // Only a stream not read yet still has the whole declared length to come.
        let declared = self.declared.take();
        read_capped(&mut self, declared, limit)
            .await
            .map_err(|capped| match capped {
                Capped::TooLarge => Error::ResponseTooLarge { status, limit },
                Capped::Failed(error) => error,
            })
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.done = true;
            return Poll::Ready(Some(Err(Error::Timeout { after: self.after })));
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                // Part of the body is read: what is left is no longer the declared length.
                self.declared = None;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                self.done = true;
                let error = transport_error(error, "reading the response failed");
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
