//! What happens to request bodies around the handlers: a declared length over
//! the limit is refused before the body is read, and a body a handler left
//! unread (after an early answer) is drained, within bounds, so the connection
//! can carry the next request; past the bounds the answer says `Connection: close`.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use tokio::sync::oneshot;

use crate::app::App;
use crate::error::ApiError;

/// How long the rest of an unread body may take to arrive before the connection is given up.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The answer to a body over the limit: an image upload is an image too big, anything else a bad argument.
pub(crate) fn too_large(media_type: Option<&str>) -> ApiError {
    if media_type == Some("application/octet-stream") {
        ApiError::invalid_image_size("Image size is too big.")
    } else {
        ApiError::bad_argument("Request body is too large.")
    }
}

/// The media type of a request, lower-case, without parameters.
pub(crate) fn media_type(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
}

/// Tracks the request body through the handlers and drains what they left unread.
pub(crate) async fn keep_connection_usable(
    State(app): State<App>,
    request: Request,
    next: Next,
) -> Response {
    let (leftover_sender, mut leftover) = oneshot::channel();
    let request = request.map(|body| {
        Body::new(Tracked {
            inner: Some(body),
            leftover: Some(leftover_sender),
        })
    });
    let mut response = next.run(request).await;
    let closing =
        response.headers().get(header::CONNECTION) == Some(&HeaderValue::from_static("close"));
    if let Ok(unread) = leftover.try_recv()
        && !closing
        && !drain(unread, app.body_limit).await
    {
        close_after(&mut response);
    }
    response
}

/// Refuses a declared `Content-Length` over the body limit before reading a byte of the body.
pub(crate) async fn refuse_oversized(
    State(app): State<App>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > app.body_limit as u64) {
        let mut response = too_large(media_type(request.headers()).as_deref()).into_response();
        close_after(&mut response);
        return response;
    }
    next.run(request).await
}

/// Marks an answer as the last on its connection.
fn close_after(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
}

/// Reads and discards the rest of a body, up to `limit` bytes within
/// [`DRAIN_TIMEOUT`]; whether it reached the end.
async fn drain(mut body: Body, limit: usize) -> bool {
    if body
        .size_hint()
        .upper()
        .is_some_and(|length| length > limit as u64)
    {
        return false;
    }
    let read_to_end = async {
        let mut read = 0usize;
        loop {
            match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                None => return true,
                Some(Err(_)) => return false,
                Some(Ok(frame)) => {
                    read = read.saturating_add(frame.data_ref().map_or(0, Bytes::len));
                    if read > limit {
                        return false;
                    }
                }
            }
        }
    };
    tokio::time::timeout(DRAIN_TIMEOUT, read_to_end)
        .await
        .unwrap_or(false)
}

/// A request body that hands itself back, when dropped before its end, to the
/// middleware that wrapped it.
struct Tracked {
    inner: Option<Body>,
    leftover: Option<oneshot::Sender<Body>>,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(inner).poll_frame(cx);
        if let Poll::Ready(None) = polled {
            this.inner = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let (Some(inner), Some(sender)) = (self.inner.take(), self.leftover.take())
            && !inner.is_end_stream()
        {
            let _ = sender.send(inner);
        }
    }
}
