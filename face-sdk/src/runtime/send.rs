//! Sending a request: attempts, retries, timeouts, tracing, error mapping
//! and decoding.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue,
};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use super::encode::join_url;
use super::failure::{decode_error, service_error, transport_error};
use super::request::{RequestBody, checked_header};
use super::{CallOptions, OperationRequest};
use crate::body::ProgressCallback;
use crate::client::{Auth, ClientInner};
use crate::credentials::API_KEY_HEADER;
use crate::retry::retry_delay;
use crate::{Error, FaceClient, Response};

/// Most bytes of an error body that are read.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Sends the request and decodes the JSON body of the success response into `T`.
///
/// Fails before sending when the request or the options are invalid; then
/// retries as the client's [`RetryPolicy`](crate::RetryPolicy) says, each
/// attempt bounded by the call's timeout (or the client's).
pub async fn send_json<T: DeserializeOwned>(
    client: &FaceClient,
    request: OperationRequest,
    options: CallOptions,
) -> Result<Response<T>, Error> {
    let exchange = execute(client.inner(), request, &options).await?;
    match serde_json::from_slice::<T>(&exchange.body) {
        Ok(body) => Ok(Response::new(exchange.status, exchange.headers, body)),
        Err(error) => Err(decode_error(
            exchange.status,
            &error,
            &exchange.body,
            &exchange.secret,
        )),
    }
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
    let exchange = execute(client.inner(), request, &options).await?;
    Ok(Response::new(exchange.status, exchange.headers, ()))
}

/// A response with the operation's success status.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The key or token sent, to redact network text with.
    secret: Arc<str>,
}

/// A checked request, ready for one attempt or more.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: RequestBody,
    success_status: u16,
    token_scopes: &'static [&'static str],
}

async fn execute(
    inner: &ClientInner,
    request: OperationRequest,
    options: &CallOptions,
) -> Result<Exchange, Error> {
    let span = tracing::info_span!(
        "face.operation",
        operation = request.operation_id,
        method = %request.method,
        attempt = field::Empty,
        status = field::Empty,
    );
    let mut prepared = prepare(inner, request, options)?;
    let timeout = options.timeout().unwrap_or(inner.timeout);
    run_attempts(
        inner,
        &mut prepared,
        timeout,
        options.upload_progress(),
        &span,
    )
    .instrument(span.clone())
    .await
}

/// Checks everything that can be checked without the network.
fn prepare(
    inner: &ClientInner,
    request: OperationRequest,
    options: &CallOptions,
) -> Result<Prepared, Error> {
    if let Some(problem) = request.problem {
        return Err(problem);
    }
    let token_scopes = match (&inner.auth, request.token_scopes) {
        (Auth::Token(_), None | Some([])) => {
            let message = format!(
                "{} accepts only a subscription key, and this client has a token credential",
                request.operation_id
            );
            return Err(Error::Config { message });
        }
        (_, scopes) => scopes.unwrap_or_default(),
    };
    if let Some(start) = request.path.find('{') {
        let name = request.path[start..]
            .trim_start_matches('{')
            .split('}')
            .next()
            .unwrap_or_default();
        let message = format!(
            "the path parameter `{name}` of {} was not set",
            request.operation_id
        );
        return Err(Error::Config { message });
    }
    let url_text = join_url(&inner.base_url, &request.path, &request.query);
    let url = Url::parse(&url_text).map_err(|error| Error::Config {
        message: format!("the URL of {} is not valid: {error}", request.operation_id),
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    match &request.body {
        // Some gateways refuse a POST that does not state its (empty) length.
        RequestBody::Empty
            if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) =>
        {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(0_u64));
        }
        RequestBody::Empty => {}
        RequestBody::Json(_) => {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
        RequestBody::Binary(body) => {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            if let Some(len) = body.len() {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
            }
        }
        RequestBody::Multipart(form) => {
            let content_type =
                HeaderValue::from_str(&form.content_type()).map_err(|_| Error::Config {
                    message: "the multipart boundary is not a header value".to_owned(),
                })?;
            headers.insert(CONTENT_TYPE, content_type);
            if let Some(len) = form.len() {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
            }
        }
    }
    for (name, value) in request.headers {
        if let Some(name) = name {
            headers.insert(name, value);
        }
    }
    for (name, value) in options.headers() {
        let (name, value) = checked_header(name, value)?;
        headers.insert(name, value);
    }
    Ok(Prepared {
        method: request.method,
        url,
        headers,
        body: request.body,
        success_status: request.success_status,
        token_scopes,
    })
}

impl Prepared {
    fn is_replayable(&self) -> bool {
        match &self.body {
            RequestBody::Binary(body) => body.is_replayable(),
            RequestBody::Multipart(form) => form.is_replayable(),
            RequestBody::Empty | RequestBody::Json(_) => true,
        }
    }

    /// The body of the next attempt, if it has one.
    fn body_for_attempt(
        &mut self,
        progress: Option<&ProgressCallback>,
    ) -> Result<Option<reqwest::Body>, Error> {
        let body = match &mut self.body {
            RequestBody::Empty => return Ok(None),
            RequestBody::Json(bytes) => return Ok(Some(reqwest::Body::from(bytes.clone()))),
            RequestBody::Binary(body) => body.for_attempt(progress),
            RequestBody::Multipart(form) => form.for_attempt(progress),
        };
        body.map(Some).ok_or_else(|| Error::InvalidRequest {
            parameter: "body".to_owned(),
            rule: "the body stream was already sent and cannot be sent again".to_owned(),
        })
    }
}

async fn run_attempts(
    inner: &ClientInner,
    prepared: &mut Prepared,
    timeout: Duration,
    progress: Option<&ProgressCallback>,
    span: &Span,
) -> Result<Exchange, Error> {
    let started = Instant::now();
    let mut retries_done: u32 = 0;
    loop {
        let attempt_number = retries_done.saturating_add(1);
        span.record("attempt", attempt_number);
        let error = match attempt(inner, prepared, timeout, progress, span).await {
            Ok(exchange) => return Ok(exchange),
            Err(error) => error,
        };
        let replayable = prepared.is_replayable();
        let delay = retry_delay(
            &inner.retry,
            retries_done,
            started.elapsed(),
            &error,
            replayable,
            fastrand::f64(),
        );
        let Some(delay) = delay else {
            tracing::debug!(attempt = attempt_number, error = %error, "call failed");
            return Err(error);
        };
        tracing::debug!(attempt = attempt_number, ?delay, error = %error, "retrying");
        tokio::time::sleep(delay).await;
        retries_done = attempt_number;
    }
}

/// One attempt, bounded by `timeout` from sending to the end of the body.
async fn attempt(
    inner: &ClientInner,
    prepared: &mut Prepared,
    timeout: Duration,
    progress: Option<&ProgressCallback>,
    span: &Span,
) -> Result<Exchange, Error> {
    let (auth_name, auth_value, secret) = match &inner.auth {
        Auth::Key(key, header) => (API_KEY_HEADER, header.clone(), key.shared()),
        Auth::Token(cache) => {
            let token = cache.token(prepared.token_scopes).await?;
            (AUTHORIZATION, token.header, token.secret)
        }
    };
    let mut headers = prepared.headers.clone();
    headers.insert(auth_name, auth_value);
    let mut builder = inner
        .http
        .request(prepared.method.clone(), prepared.url.clone())
        .headers(headers);
    if let Some(body) = prepared.body_for_attempt(progress)? {
        builder = builder.body(body);
    }
    let success_status = prepared.success_status;
    let exchange = async move {
        let mut response = builder
            .send()
            .await
            .map_err(|error| transport_error(error, "sending the request failed"))?;
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = std::mem::take(response.headers_mut());
        if status.as_u16() == success_status {
            let body = response
                .bytes()
                .await
                .map_err(|error| transport_error(error, "reading the response failed"))?;
            return Ok(Exchange {
                status,
                headers,
                body,
                secret,
            });
        }
        let body = read_limited(response, ERROR_BODY_LIMIT).await;
        Err(Error::Service(service_error(
            status,
            &headers,
            &body,
            &secret,
            SystemTime::now(),
        )))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or_else(|_| Err(Error::Timeout { after: timeout }))
}

/// Reads at most about `limit` bytes of an error body; what could be read
/// is enough if reading fails half-way.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Body;
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
    }

    #[test]
    fn prepare_builds_url_and_headers() {
        let client = client();
        let mut request =
            OperationRequest::new("Face_Detect", Method::POST, "/face/v1.0/detect", 200);
        request.query("returnFaceId", &true);
        request.binary_body(Body::from(vec![0_u8; 2048]));
        let mut options = CallOptions::default();
        options.set_header("X-Client-Trace", "abc");
        let prepared = prepare(client.inner(), request, &options).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "https://host.test/face/v1.0/detect?returnFaceId=true"
        );
        assert_eq!(prepared.headers["accept"], "application/json");
        assert_eq!(prepared.headers["content-type"], "application/octet-stream");
        assert_eq!(prepared.headers["content-length"], "2048");
        assert_eq!(prepared.headers["x-client-trace"], "abc");
        assert!(!prepared.headers.contains_key("ocp-apim-subscription-key"));
    }

    #[test]
    fn prepare_refuses_unset_path_params_and_key_overrides() {
        let client = client();
        let request = OperationRequest::new(
            "FaceList_Get",
            Method::GET,
            "/face/v1.0/facelists/{faceListId}",
            200,
        );
        let error = prepare(client.inner(), request, &CallOptions::default())
            .err()
            .unwrap();
        assert!(error.to_string().contains("`faceListId`"), "{error}");
        let request =
            OperationRequest::new("FaceList_List", Method::GET, "/face/v1.0/facelists", 200);
        let mut options = CallOptions::default();
        options.set_header("ocp-apim-subscription-key", "another");
        let error = prepare(client.inner(), request, &options).err().unwrap();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
    }
}
