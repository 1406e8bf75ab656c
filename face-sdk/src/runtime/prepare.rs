//! Turning an [`OperationRequest`] into a checked request, ready for one
//! attempt or more.

use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, Url};

use super::encode::join_url;
use super::request::{RequestBody, checked_header};
use super::{CallOptions, OperationRequest};
use crate::Error;
use crate::body::ProgressCallback;
use crate::client::{Auth, ClientInner};

/// A checked request, ready for one attempt or more.
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: RequestBody,
    pub(crate) success_status: u16,
    pub(crate) token_scopes: &'static [&'static str],
    pub(crate) idempotent: bool,
}

/// Checks everything that can be checked without the network.
/// `accept` is the default `Accept` header, which the request's own headers
/// can replace.
pub(crate) fn prepare(
    inner: &ClientInner,
    request: OperationRequest,
    options: &CallOptions,
    accept: &'static str,
) -> Result<Prepared, Error> {
    if let Some(problem) = request.problem {
        return Err(problem);
    }
    let idempotent = request.is_idempotent();
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
    headers.insert(ACCEPT, HeaderValue::from_static(accept));
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
        idempotent,
        method: request.method,
        url,
        headers,
        body: request.body,
        success_status: request.success_status,
        token_scopes,
    })
}

impl Prepared {
    pub(crate) fn is_replayable(&self) -> bool {
        match &self.body {
            RequestBody::Binary(body) => body.is_replayable(),
            RequestBody::Multipart(form) => form.is_replayable(),
            RequestBody::Empty | RequestBody::Json(_) => true,
        }
    }

    /// The body of the next attempt, if it has one.
    pub(crate) fn body_for_attempt(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Body, FaceClient};

    const JSON: &str = "application/json";

    fn client() -> FaceClient {
        FaceClient::new("https://host.test/", "the-key").unwrap()
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
        let prepared = prepare(client.inner(), request, &options, JSON).unwrap();
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
        let error = prepare(client.inner(), request, &CallOptions::default(), JSON)
            .err()
            .unwrap();
        assert!(error.to_string().contains("`faceListId`"), "{error}");
        let request =
            OperationRequest::new("FaceList_List", Method::GET, "/face/v1.0/facelists", 200);
        let mut options = CallOptions::default();
        options.set_header("ocp-apim-subscription-key", "another");
        let error = prepare(client.inner(), request, &options, JSON)
            .err()
            .unwrap();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
    }
}
