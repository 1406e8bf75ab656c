//! A response body read as a stream of chunks, for binary downloads.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::time::{Instant, Sleep};

use crate::Error;
use crate::runtime::failure::transport_error;

/// The body of a successful response as a stream of chunks, as
/// [`send_stream`](crate::runtime::send_stream) returns it: nothing is held
/// beyond the chunk being read.
///
/// A failure while reading (a cut connection, a malformed chunk) is an
/// [`Error::Transport`]; when the call's deadline passes before the end, the
/// stream yields [`Error::Timeout`]. Either ends the stream. Nothing is
/// retried once the stream is returned.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    deadline: Pin<Box<Sleep>>,
    after: Duration,
    done: bool,
}

impl ByteStream {
    /// The body of `response`, ending with a timeout at `deadline`; `after`
    /// is the whole time the call was given.
    pub(crate) fn new(response: reqwest::Response, deadline: Instant, after: Duration) -> Self {
        Self {
            inner: Box::pin(response.bytes_stream()),
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            after,
            done: false,
        }
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
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
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
