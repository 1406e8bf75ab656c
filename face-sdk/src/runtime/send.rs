//! Sending a request: attempts, retries, timeouts, tracing, error mapping
//! and decoding.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use super::failure::{decode_error, service_error, transport_error};
use super::prepare::{Prepared, prepare};
use super::read::{Capped, read_capped, read_prefix};
use super::{CallOptions, OperationRequest};
use crate::RetryPolicy;
use crate::body::ProgressCallback;
use crate::client::{Auth, ClientInner};
use crate::credentials::API_KEY_HEADER;
use crate::download::ByteStream;
use crate::retry::{may_repeat, retry_delay};
use crate::{Error, FaceClient, Response};

/// Most bytes of an error body that are read (enough for any error the
/// service sends; the rest is not read).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The default `Accept` of calls that decode JSON.
const ACCEPT_JSON: &str = "application/json";

/// The default `Accept` of calls that return bytes.
const ACCEPT_ANY: &str = "*/*";

/// Sends the request and decodes the JSON body of the success response into `T`.
///
/// The body is read up to the client's
/// [`max_response_body`](crate::FaceClientBuilder::max_response_body); a larger
/// one is [`Error::ResponseTooLarge`].
///
/// Fails before sending when the request or the options are invalid; then
/// retries as the call's [`RetryPolicy`](crate::RetryPolicy) says (else the client's), each
/// attempt bounded by the call's timeout (or the client's), the whole call by
/// its deadline (or the client's): a retry whose wait would reach the
/// deadline is not made, and the last attempt's timeout is cut to what is left.
pub async fn send_json<T: DeserializeOwned>(
    client: &FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<T>, Error> {
    exchange(client.clone(), Ok(request), options, Read::Buffer)
        .await
        .and_then(decode_json)
}

/// Sends the request of an operation whose success response has no body
/// (any body is read and dropped).
///
/// Fails and retries like [`send_json`].
pub async fn send_empty(
    client: &FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<()>, Error> {
    exchange(client.clone(), Ok(request), options, Read::Buffer)
        .await
        .and_then(decode_empty)
}

/// Sends the request and returns the body of the success response as bytes,
/// exactly as received (for binary downloads such as images), within the
/// client's [`max_response_body`](crate::FaceClientBuilder::max_response_body).
/// `Accept` is `*/*` unless the request sets its own.
///
/// Fails and retries like [`send_json`]; an error status is an
/// [`Error::Service`] as for any call.
pub async fn send_bytes(
    client: &FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<Bytes>, Error> {
    exchange(client.clone(), Ok(request), options, Read::BufferAny)
        .await
        .and_then(decode_bytes)
}

/// Sends the request and returns the success response as soon as its
/// headers have come, with its body as a [`ByteStream`]. `Accept` is `*/*`
/// unless the request sets its own.
///
/// Fails and retries like [`send_json`] until the headers of a success
/// response have come; after that nothing is retried, and a failure while
/// reading the body is an error item of the stream. The attempt's timeout
/// (cut to the call's deadline) still bounds reading the whole body.
pub async fn send_stream(
    client: &FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<ByteStream>, Error> {
    exchange(client.clone(), Ok(request), options, Read::Stream)
        .await
        .and_then(decode_stream)
}

/// The one async body every call runs, whatever its operation and response type: the
/// request (or the error that building it gave) is sent with its attempts, and the success
/// response comes back undecoded, so that decoding, which depends on the type, is a plain
/// function applied after it.
pub(crate) async fn exchange(
    client: FaceClient,
    request: Result<OperationRequest, Error>,
    options: CallOptions,
    read: Read,
) -> Result<Exchange, Error> {
    execute(client.inner(), request?, &options, read).await
}

/// Decodes the JSON body of a success response.
pub(crate) fn decode_json<T: DeserializeOwned>(exchange: Exchange) -> Result<Response<T>, Error> {
    let body = exchange.body.buffered();
    match serde_json::from_slice::<T>(&body) {
        Ok(decoded) => Ok(Response::new(exchange.status, exchange.headers, decoded)),
        Err(error) => Err(decode_error(
            exchange.status,
            &error,
            &body,
            &exchange.secret,
        )),
    }
}

/// A success response whose body is dropped.
#[expect(
    clippy::unnecessary_wraps,
    reason = "every decoder has the signature of a step after `exchange`"
)]
pub(crate) fn decode_empty(exchange: Exchange) -> Result<Response<()>, Error> {
    Ok(Response::new(exchange.status, exchange.headers, ()))
}

/// A success response whose body is kept as bytes.
#[expect(
    clippy::unnecessary_wraps,
    reason = "every decoder has the signature of a step after `exchange`"
)]
pub(crate) fn decode_bytes(exchange: Exchange) -> Result<Response<Bytes>, Error> {
    let body = exchange.body.buffered();
    Ok(Response::new(exchange.status, exchange.headers, body))
}

/// A success response whose body is still to be read, as a stream.
pub(crate) fn decode_stream(exchange: Exchange) -> Result<Response<ByteStream>, Error> {
    let AnswerBody::Stream(stream) = exchange.body else {
        return Err(Error::Config {
            message: "the response body was read before it could be streamed".to_owned(),
        });
    };
    Ok(Response::new(exchange.status, exchange.headers, stream))
}

/// How the body of a success response is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Whole, for JSON.
    Buffer,
    /// Whole, as bytes of any type.
    BufferAny,
    /// As a stream, after the headers.
    Stream,
}

/// A response with the operation's success status.
pub struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: AnswerBody,
    /// The key or token sent, to redact network text with.
    secret: Arc<str>,
}

/// The body of a success response, read or to be read.
enum AnswerBody {
    Buffered(Bytes),
    Stream(ByteStream),
}

impl AnswerBody {
    fn buffered(self) -> Bytes {
        match self {
            AnswerBody::Buffered(bytes) => bytes,
            AnswerBody::Stream(_) => Bytes::new(),
        }
    }
}

async fn execute(
    inner: &ClientInner,
    request: OperationRequest,
    options: &CallOptions,
    read: Read,
) -> Result<Exchange, Error> {
    let span = tracing::info_span!(
        "face.operation",
        operation = request.operation_id,
        method = %request.method,
        attempt = field::Empty,
        status = field::Empty,
    );
    let accept = if read == Read::Buffer {
        ACCEPT_JSON
    } else {
        ACCEPT_ANY
    };
    let mut prepared = prepare(inner, request, options, accept)?;
    let timeout = options.timeout().unwrap_or(inner.timeout);
    let deadline = options.deadline().unwrap_or(inner.deadline);
    if timeout.is_zero() || deadline.is_zero() {
        return Err(Error::Config {
            message: "the timeout and the deadline of a call must be greater than zero".to_owned(),
        });
    }
    let attempts = Attempts {
        inner,
        policy: options.retry().unwrap_or(&inner.retry),
        timeout,
        deadline,
        progress: options.upload_progress(),
        read,
        span: &span,
    };
    attempts.run(&mut prepared).instrument(span.clone()).await
}

/// What every attempt of one call shares.
struct Attempts<'a> {
    inner: &'a ClientInner,
    /// The call's retry policy, else the client's.
    policy: &'a RetryPolicy,
    /// The timeout of one attempt.
    timeout: Duration,
    /// The time the whole call may take.
    deadline: Duration,
    progress: Option<&'a ProgressCallback>,
    read: Read,
    span: &'a Span,
}

impl Attempts<'_> {
    /// Attempts until one succeeds, retrying as the policy says while the
    /// deadline allows.
    async fn run(&self, prepared: &mut Prepared) -> Result<Exchange, Error> {
        let started = Instant::now();
        let deadline_at = started + self.deadline;
        let mut retries_done: u32 = 0;
        loop {
            let attempt_number = retries_done.saturating_add(1);
            self.span.record("attempt", attempt_number);
            let left = deadline_at.saturating_duration_since(Instant::now());
            let error = match self.attempt(prepared, self.timeout.min(left)).await {
                Ok(exchange) => return Ok(exchange),
                Err(error) => error,
            };
            let policy = self.policy;
            let repeat = may_repeat(
                policy,
                &error,
                prepared.is_replayable(),
                prepared.idempotent,
            );
            let delay = retry_delay(
                policy,
                retries_done,
                started.elapsed(),
                &error,
                repeat,
                fastrand::f64(),
            );
            let left = deadline_at.saturating_duration_since(Instant::now());
            let Some(delay) = wait_within(delay, left) else {
                tracing::debug!(attempt = attempt_number, error = %error, "call failed");
                return Err(error);
            };
            tracing::debug!(attempt = attempt_number, ?delay, error = %error, "retrying");
            tokio::time::sleep(delay).await;
            retries_done = attempt_number;
        }
    }

    /// One attempt, bounded by `timeout` from sending to the end of the
    /// body (for a stream, the stream ends with a timeout then).
    async fn attempt(&self, prepared: &mut Prepared, timeout: Duration) -> Result<Exchange, Error> {
        let ends = Instant::now() + timeout;
        let exchange = async {
            let (auth_name, auth_value, secret) = match &self.inner.auth {
                Auth::Key(key, header) => (API_KEY_HEADER, header.clone(), key.shared()),
                Auth::Token(cache) => {
                    let token = cache.token(prepared.token_scopes).await?;
                    (AUTHORIZATION, token.header, token.secret)
                }
            };
            let mut headers = prepared.headers.clone();
            headers.insert(auth_name, auth_value);
            let mut builder = self
                .inner
                .http
                .request(prepared.method.clone(), prepared.url.clone())
                .headers(headers);
            if let Some(body) = prepared.body_for_attempt(self.progress)? {
                builder = builder.body(body);
            }
            let mut response = builder
                .send()
                .await
                .map_err(|error| transport_error(error, "sending the request failed"))?;
            let status = response.status();
            self.span.record("status", status.as_u16());
            let headers = std::mem::take(response.headers_mut());
            let limit = self.inner.max_response_body;
            if status.as_u16() != prepared.success_status {
                let prefix_limit = usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .min(ERROR_BODY_LIMIT);
                let chunks = std::pin::pin!(response.bytes_stream());
                let body = read_prefix(chunks, prefix_limit).await;
                let now = SystemTime::now();
                let error = service_error(status, &headers, &body, &secret, now);
                return Err(Error::Service(error));
            }
            let body = if self.read == Read::Stream {
                AnswerBody::Stream(ByteStream::new(response, ends, timeout, limit))
            } else {
                let declared = response.content_length();
                let chunks = std::pin::pin!(response.bytes_stream());
                let bytes = read_capped(chunks, declared, limit)
                    .await
                    .map_err(|capped| match capped {
                        Capped::TooLarge => Error::ResponseTooLarge { status, limit },
                        Capped::Failed(error) => {
                            transport_error(error, "reading the response failed")
                        }
                    })?;
                AnswerBody::Buffered(bytes)
            };
            Ok(Exchange {
                status,
                headers,
                body,
                secret,
            })
        };
        tokio::time::timeout_at(ends, exchange)
            .await
            .unwrap_or(Err(Error::Timeout { after: timeout }))
    }
}

/// The wait before a retry, when the call has time left after it: a wait
/// that reaches the deadline would leave the next attempt none, so the call
/// ends with the error it has instead.
fn wait_within(delay: Option<Duration>, left: Duration) -> Option<Duration> {
    delay.filter(|delay| *delay < left)
}

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::*;
    use crate::runtime::BoxFuture;

    fn client() -> FaceClient {
        FaceClient::new("https://host.test/", "the-key").unwrap()
    }

    #[test]
    fn futures_fit_the_generated_builders() {
        let client = client();
        let request = OperationRequest::new("Face_Group", Method::POST, "/face/v1.0/group", 200);
        let future: BoxFuture<Result<Response<Vec<u32>>, Error>> = Box::pin(async move {
            send_json::<Vec<u32>>(&client, request, CallOptions::default()).await
        });
        drop(future);
        let client = self::client();
        let request = OperationRequest::new("X_Train", Method::POST, "/x", 202);
        let future: BoxFuture<Result<Response<()>, Error>> =
            Box::pin(async move { send_empty(&client, request, CallOptions::default()).await });
        drop(future);
        let client = self::client();
        let request = OperationRequest::new("X_Image", Method::GET, "/x", 200);
        let future: BoxFuture<Result<Response<Bytes>, Error>> =
            Box::pin(async move { send_bytes(&client, request, CallOptions::default()).await });
        drop(future);
        let client = self::client();
        let request = OperationRequest::new("X_Image", Method::GET, "/x", 200);
        let future: BoxFuture<Result<Response<ByteStream>, Error>> =
            Box::pin(async move { send_stream(&client, request, CallOptions::default()).await });
        drop(future);
    }

    #[test]
    fn a_retry_is_made_only_when_time_is_left_after_its_wait() {
        let left = Duration::from_secs(5);
        let just_under = Duration::from_nanos(4_999_999_999);
        assert_eq!(wait_within(Some(just_under), left), Some(just_under));
        assert_eq!(wait_within(Some(left), left), None);
        assert_eq!(wait_within(Some(left * 2), left), None);
        assert_eq!(wait_within(None, left), None);
    }
}
