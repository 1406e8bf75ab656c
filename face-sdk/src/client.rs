//! The client and its builder: endpoint, key or token credential, HTTP
//! connections, timeouts and retry policy, shared by every call.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use crate::credentials::ApiKey;
use crate::runtime::version::Family;
use crate::token::{TokenCache, TokenCredential};
use crate::{Error, RetryPolicy};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default deadline of a whole call, retries and waits included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_mins(2);
/// The default limit of a response body: 64 MiB. The largest legitimate
/// response is a page of 1,000 persons, each with a 128-character name,
/// 16,384 characters of `userData` and 248 face ids: 26,281,001 bytes of JSON
/// in ASCII, 59,305,001 bytes when every character of the names and
/// `userData` takes 3 bytes of UTF-8. A detect of 100 faces with everything is
/// about 235 KB, a session image at most 6 MB.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;
const USER_AGENT: &str = concat!("face-sdk/", env!("CARGO_PKG_VERSION"));

/// A client of one Face resource. Cloning it is cheap and shares the
/// connection pool; its `Debug` output never shows the key or a token.
///
/// `client.v1_2()` and `client.v1_0()` (one per enabled API version) return that version's
/// operations; their accessors (`face()`, `face_list()`, `large_person_group()`, …) return the
/// operation groups.
///
/// ```no_run
/// use face_sdk::v1_2::models::FaceAttributeType;
/// use face_sdk::FaceClient;
///
/// # async fn demo() -> Result<(), face_sdk::Error> {
/// let client = FaceClient::new("https://westus.api.cognitive.microsoft.com", "<subscription key>")?;
/// let faces = client
///     .v1_2().face()
///     .detect_from_url("https://example.com/people.jpg")
///     .return_face_attributes([FaceAttributeType::HeadPose])
///     .await?;
/// for face in &faces {
///     println!("{:?}: {:?}", face.face_rectangle, face.face_attributes.as_ref().and_then(|a| a.head_pose.as_ref()));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FaceClient {
    inner: Arc<ClientInner>,
    /// The API family whose operations this clone sends, when it has several service
    /// versions (set by the family's accessor, `FaceClient::v1_2`).
    family: Option<&'static Family>,
}

/// What a [`FaceClient`] shares between its clones.
pub(crate) struct ClientInner {
    /// The endpoint without trailing slash.
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_body: u64,
    /// The service version chosen for each API family that has several (by the family's
    /// address); a family not listed is called at its default version.
    pub(crate) service_versions: Vec<(&'static Family, usize)>,
}

/// How a client proves who it is.
pub(crate) enum Auth {
    /// A subscription key, and the key as a sensitive header value.
    Key(ApiKey, HeaderValue),
    /// A token credential and the tokens it gave.
    Token(TokenCache),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Key(key, _) => key.fmt(f),
            Auth::Token(_) => f.write_str("TokenCredential"),
        }
    }
}

impl FaceClient {
    /// A client of the resource at `endpoint` (e.g.
    /// `https://westus.api.cognitive.microsoft.com`) with the default
    /// timeouts and retry policy.
    pub fn new(endpoint: &str, api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder(endpoint).api_key(api_key).build()
    }

    /// A builder for a client of the resource at `endpoint`.
    pub fn builder(endpoint: &str) -> FaceClientBuilder {
        FaceClientBuilder {
            endpoint: endpoint.to_owned(),
            api_key: None,
            credential: None,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            http_client: None,
            allow_insecure_http: false,
            service_versions: Vec::new(),
        }
    }

    /// The endpoint, without trailing slash.
    pub fn endpoint(&self) -> &str {
        &self.inner.base_url
    }

    /// The timeout of each attempt, unless a call sets its own.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The deadline of a whole call, unless a call sets its own.
    pub fn deadline(&self) -> Duration {
        self.inner.deadline
    }

    /// The retry policy of every call.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The most bytes of a response body that a call reads.
    pub fn max_response_body(&self) -> u64 {
        self.inner.max_response_body
    }

    /// A call of an operation with these parameters, sent with this client.
    #[doc(hidden)]
    pub fn call<Op>(&self, input: Op) -> crate::Call<Op> {
        crate::Call::new(self, input)
    }

    /// A clone that sends the operations of `family`, at the version this client calls it at.
    /// Hidden from the docs and outside semver: generated code calls it.
    #[doc(hidden)]
    #[must_use]
    pub fn in_family(mut self, family: &'static Family) -> FaceClient {
        self.family = Some(family);
        self
    }

    /// The API family this clone sends operations of, and the index of the version it calls
    /// it at (the one chosen for it, else the family's default); `None` for a family of one
    /// version.
    pub(crate) fn service_version(&self) -> Option<(&'static Family, usize)> {
        let family = self.family?;
        let index = self
            .inner
            .service_versions
            .iter()
            .find(|(chosen, _)| std::ptr::eq(*chosen, family))
            .map_or(family.default, |(_, index)| *index);
        Some((family, index))
    }

    pub(crate) fn inner(&self) -> &ClientInner {
        &self.inner
    }
}

impl fmt::Debug for FaceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaceClient")
            .field("endpoint", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("retry", &self.inner.retry)
            .field("max_response_body", &self.inner.max_response_body)
            .finish_non_exhaustive()
    }
}

/// Configures a [`FaceClient`]; nothing is checked before [`build`](Self::build).
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct FaceClientBuilder {
    endpoint: String,
    api_key: Option<ApiKey>,
    credential: Option<Arc<dyn TokenCredential>>,
    timeout: Duration,
    deadline: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_body: u64,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    service_versions: Vec<(&'static Family, usize)>,
}

impl FaceClientBuilder {
    /// Calls the API family `family` at its version `index` (what each family's
    /// `service_version` option sets).
    /// Hidden from the docs and outside semver, like the runtime items generated code calls.
    #[doc(hidden)]
    pub fn family_version(mut self, family: &'static Family, index: usize) -> Self {
        self.service_versions
            .retain(|(chosen, _)| !std::ptr::eq(*chosen, family));
        self.service_versions.push((family, index));
        self
    }

    /// The subscription key of the resource, sent in the
    /// `Ocp-Apim-Subscription-Key` header. Give either a key or a
    /// [`credential`](Self::credential).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key.into()));
        self
    }

    /// A token credential (Microsoft Entra ID), instead of a key: each call
    /// sends `Authorization: Bearer <token>` with a token for the scopes of
    /// its operation, cached and renewed as [`TokenCredential`] says. An
    /// operation that accepts only a subscription key then fails with
    /// [`Error::Config`] before sending.
    pub fn credential(mut self, credential: impl TokenCredential) -> Self {
        self.credential = Some(Arc::new(credential));
        self
    }

    /// The timeout of each attempt, from sending the request to reading the
    /// whole response (default 30 s). Calls can set their own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The deadline of a whole call, from its start to its result (default
    /// [`DEFAULT_DEADLINE`], 120 s): every attempt, every wait between
    /// attempts and every `Retry-After` fit in it. A retry whose wait would
    /// reach the deadline is not made (the call returns the last error), and
    /// each attempt's timeout is cut to what is left, so a call never takes
    /// longer (it then fails with [`Error::Timeout`]). Calls can set their own.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The timeout of opening a connection (default 10 s). Not applied to a
    /// client given with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed attempts are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most bytes of a response body that a call reads (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 64 MiB). A larger success body, whether
    /// it says so in `Content-Length` or sends more bytes, ends the call at
    /// once with [`Error::ResponseTooLarge`]; nothing past the limit is kept.
    /// Error bodies are read up to 64 KiB (or this limit when it is smaller)
    /// and cut there, the call ending with the [`Error::Service`] of their
    /// status. The body of [`send_stream`](crate::runtime::send_stream) is
    /// not limited: the caller reads it chunk by chunk.
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// The HTTP client to send requests with, e.g. to set a proxy. It should
    /// not follow redirects: a redirect would carry the key to another host.
    /// The default client follows none.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows plain `http` to hosts other than loopback ones (default
    /// false). The key or token then travels in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the endpoint is not an http(s) URL
    /// with a host (or has credentials, a query or a fragment), when neither
    /// a key nor a token credential was given, or both, when the key is not a
    /// valid header value, when the endpoint is plain
    /// `http` to a host that is not loopback and insecure http was not
    /// allowed, or when the HTTP client cannot be built.
    pub fn build(self) -> Result<FaceClient, Error> {
        let base_url = parse_endpoint(&self.endpoint, self.allow_insecure_http)?;
        let auth = match (self.api_key, self.credential) {
            (Some(key), None) => {
                let header = key.header_value()?;
                Auth::Key(key, header)
            }
            (None, Some(credential)) => Auth::Token(TokenCache::new(credential)),
            (None, None) => {
                return Err(config(
                    "an API key or a token credential is required: call api_key(..) or credential(..)",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(config(
                    "both an API key and a token credential were given; give only one",
                ));
            }
        };
        if self.timeout.is_zero() {
            return Err(config("the timeout must be greater than zero"));
        }
        if self.deadline.is_zero() {
            return Err(config("the deadline must be greater than zero"));
        }
        if self.max_response_body == 0 {
            return Err(config("the response body limit must be greater than zero"));
        }
        let http = if let Some(client) = self.http_client {
            client
        } else {
            #[cfg(feature = "rustls-ring")]
            install_ring_provider();
            reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(USER_AGENT)
                .build()
                .map_err(|error| config(format!("could not build the HTTP client: {error}")))?
        };
        let inner = ClientInner {
            base_url,
            auth,
            http,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
            max_response_body: self.max_response_body,
            service_versions: self.service_versions,
        };
        Ok(FaceClient {
            inner: Arc::new(inner),
            family: None,
        })
    }
}

impl fmt::Debug for FaceClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaceClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key)
            .field("credential", &self.credential.is_some())
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("http_client", &self.http_client.is_some())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("service_versions", &chosen_versions(&self.service_versions))
            .finish()
    }
}

/// The names of the service versions chosen for each API family.
fn chosen_versions(chosen: &[(&'static Family, usize)]) -> Vec<&'static str> {
    chosen
        .iter()
        .filter_map(|(family, index)| family.names.get(*index).copied())
        .collect()
}

/// Makes ring rustls's process-wide crypto provider, unless one is installed
/// already (by the application, or by an earlier client).
#[cfg(feature = "rustls-ring")]
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An error means another thread installed one meanwhile: that one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn config(message: impl Into<String>) -> Error {
    Error::Config {
        message: message.into(),
    }
}

/// Checks the endpoint and returns it without trailing slash.
///
/// The endpoint is not echoed in errors: it could hold credentials.
fn parse_endpoint(endpoint: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let url = Url::parse(endpoint).map_err(|error| {
        config(format!(
            "the endpoint must be an absolute http(s) URL such as \
             `https://westus.api.cognitive.microsoft.com` ({error})"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config("the endpoint must use the http or https scheme"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(config("the endpoint must have a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config("the endpoint must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config("the endpoint must not have a query or a fragment"));
    }
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
        return Err(config(
            "refusing to send the API key or token over plain http to a host that is not \
             loopback; use https, or allow_insecure_http(true) to accept the risk",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether the URL's host is `localhost`, in 127.0.0.0/8 or `::1`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef-secret";

    fn build(endpoint: &str) -> Result<FaceClient, Error> {
        FaceClient::new(endpoint, KEY)
    }

    #[test]
    fn trailing_slashes_are_trimmed() {
        let expected = "https://westus.api.cognitive.microsoft.com";
        assert_eq!(build(expected).unwrap().endpoint(), expected);
        assert_eq!(build(&format!("{expected}/")).unwrap().endpoint(), expected);
        assert_eq!(
            build("https://proxy.test/face-proxy//").unwrap().endpoint(),
            "https://proxy.test/face-proxy"
        );
    }

    #[test]
    fn bad_endpoints_are_config_errors() {
        for endpoint in [
            "",
            "westus.api.cognitive.microsoft.com",
            "ftp://example.test",
            "file:///etc/passwd",
            "https://user:pass@example.test",
            "https://example.test/?a=b",
            "https://example.test/#frag",
        ] {
            let error = build(endpoint).unwrap_err();
            assert!(matches!(error, Error::Config { .. }), "{endpoint}: {error}");
        }
        let error = build("https://user:hunter2@example.test").unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        let error = build("http://example.test").unwrap_err();
        assert!(error.to_string().contains("plain http"), "{error}");
        assert!(build("http://10.0.0.1:8080").is_err());
        assert!(build("http://localhost.example.test").is_err());
        for endpoint in [
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://127.0.0.1:1234/",
            "http://127.8.9.10",
            "http://[::1]:99",
        ] {
            assert!(build(endpoint).is_ok(), "{endpoint}");
        }
        let allowed = FaceClient::builder("http://example.test")
            .api_key(KEY)
            .allow_insecure_http(true)
            .build();
        assert!(allowed.is_ok());
    }

    #[test]
    fn key_is_required_and_must_be_a_header_value() {
        let missing = FaceClient::builder("https://example.test")
            .build()
            .unwrap_err();
        assert!(matches!(missing, Error::Config { .. }));
        assert!(FaceClient::new("https://example.test", "").is_err());
        let error = FaceClient::new("https://example.test", "bad\r\nkey-secret").unwrap_err();
        assert!(!format!("{error} {error:?}").contains("secret"));
    }

    #[test]
    fn zero_body_limit_is_refused_and_the_default_is_64_mib() {
        let error = FaceClient::builder("https://example.test")
            .api_key(KEY)
            .max_response_body(0)
            .build();
        assert!(matches!(error, Err(Error::Config { .. })));
        let client = build("https://example.test").unwrap();
        assert_eq!(client.max_response_body(), 67_108_864);
    }

    #[test]
    fn zero_deadline_is_refused_and_the_default_is_120_s() {
        let error = FaceClient::builder("https://example.test")
            .api_key(KEY)
            .deadline(Duration::ZERO)
            .build();
        assert!(matches!(error, Err(Error::Config { .. })));
        let client = build("https://example.test").unwrap();
        assert_eq!(client.deadline(), Duration::from_mins(2));
    }

    #[test]
    fn zero_timeout_is_refused() {
        let error = FaceClient::builder("https://example.test")
            .api_key(KEY)
            .timeout(Duration::ZERO)
            .build();
        assert!(matches!(error, Err(Error::Config { .. })));
    }

    #[test]
    fn debug_of_client_and_builder_hides_the_key() {
        let builder = FaceClient::builder("https://example.test").api_key(KEY);
        let client = builder
            .clone()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        for text in [
            format!("{builder:?}"),
            format!("{builder:#?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!text.contains("secret"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
        }
        assert!(format!("{client:?}").contains("https://example.test"));
        assert_eq!(client.timeout(), Duration::from_secs(5));
        assert_eq!(client.retry_policy(), &RetryPolicy::default());
    }

    #[cfg(feature = "rustls-ring")]
    #[test]
    fn building_a_client_installs_ring_when_no_provider_is_installed() {
        // Other tests of this binary may have built a client first: either way ring is in.
        build("https://example.test").unwrap();
        let installed = rustls::crypto::CryptoProvider::get_default().expect("a provider");
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(installed.cipher_suites, ring.cipher_suites);
    }

    #[test]
    fn clones_share_the_inner_state() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        let client = build("https://example.test").unwrap();
        let clone = client.clone();
        assert!(Arc::ptr_eq(&client.inner, &clone.inner));
        assert_traits::<FaceClient>();
    }
}
