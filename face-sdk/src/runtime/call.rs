//! [`Call`], the builder every operation method returns: the operation's parameters (a
//! generated type that knows only what the spec says) and what this crate adds to any call
//! (headers, timeout, deadline, upload progress, sending).
//!
//! Each operation's parameters implement [`Operation`]: `into_request` checks them and builds
//! the request synchronously, and the operation names how its answer is decoded. Sending is
//! one async body for every operation (`exchange`), followed by the decoding of its
//! response kind, a plain function: the crate compiles one call state machine, not one per
//! operation.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use futures_util::FutureExt;
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::send::{
    Exchange, Read, decode_bytes, decode_empty, decode_json, decode_stream, exchange,
};
use super::{BoxFuture, CallOptions, OperationRequest};
use crate::download::ByteStream;
use crate::{Error, FaceClient, Response, RetryPolicy};

/// The parameters of one operation, which become its request.
///
/// Implemented by the generated parameter type of every operation; hidden from the docs and
/// outside semver, like the rest of this module.
pub trait Operation: Sized + Send + 'static {
    /// How the body of a success response is read and decoded.
    type Response: Decode;
    /// The operation id (`Face_Detect`).
    const ID: &'static str;
    /// The HTTP method.
    const METHOD: Method;
    /// The path template, base path included (`/face/v1.2/detect`).
    const PATH: &'static str;
    /// The status of a success response: 200 unless the operation says otherwise.
    const STATUS: u16 = 200;
    /// The service versions of its API family that have the operation, as indexes into the
    /// family's versions: from the first up to, not including, the second (or for good).
    const AVAILABLE: (usize, Option<usize>) = (0, None);

    /// Checks the parameters against the spec's rules and puts them and the body into
    /// `request`, or fails with [`Error::InvalidRequest`] naming the parameter.
    fn build_request(self, request: &mut OperationRequest) -> Result<(), Error>;

    /// The checked request of these parameters, made at the service version `client`
    /// calls this operation's family at, synchronously: nothing is sent. An operation or a
    /// parameter that version lacks fails with [`Error::InvalidRequest`] naming the version
    /// that has it.
    fn into_request(self, client: &FaceClient) -> Result<OperationRequest, Error> {
        let mut request = OperationRequest::new(Self::ID, Self::METHOD, Self::PATH, Self::STATUS);
        if let Some((family, at)) = client.service_version() {
            request.at_version(family, at, Self::AVAILABLE)?;
        }
        self.build_request(&mut request)?;
        Ok(request)
    }
}

/// How an operation's success response is read and decoded.
pub trait Decode {
    /// The decoded body.
    type Output: Send + 'static;
    /// How the body is read.
    const READ: Read;
    /// Decodes a success response.
    fn decode(exchange: Exchange) -> Result<Response<Self::Output>, Error>;
}

/// A JSON body decoded into `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Decode for Json<T> {
    type Output = T;
    const READ: Read = Read::Buffer;
    fn decode(exchange: Exchange) -> Result<Response<T>, Error> {
        decode_json(exchange)
    }
}

/// No body (any body is read and dropped).
pub struct Empty;

impl Decode for Empty {
    type Output = ();
    const READ: Read = Read::Buffer;
    fn decode(exchange: Exchange) -> Result<Response<()>, Error> {
        decode_empty(exchange)
    }
}

/// A body of any type, kept as bytes; such operations can also stream it
/// ([`Call::send_stream`]).
pub struct Binary;

impl Decode for Binary {
    type Output = Bytes;
    const READ: Read = Read::BufferAny;
    fn decode(exchange: Exchange) -> Result<Response<Bytes>, Error> {
        decode_bytes(exchange)
    }
}

/// Operations whose request body is uploaded from a [`Body`](crate::Body), whose progress
/// can be followed ([`Call::on_upload_progress`]).
pub trait Upload: Operation {}

/// The decoded body of an operation's success response.
pub type Output<Op> = <<Op as Operation>::Response as Decode>::Output;

/// A request being built: the operation's parameters, set with the methods of the
/// operation, and the options of this call; it is sent when awaited (or with
/// [`send`](Self::send) or [`send_raw`](Self::send_raw)).
///
/// Every operation method returns a `Call`; the setters of its optional parameters are
/// documented on the builder type the method names (`DetectFromUrlBuilder`, …), and the
/// methods below are those of every call.
#[must_use = "the request is sent only when it is awaited or sent"]
pub struct Call<Op> {
    client: FaceClient,
    options: CallOptions,
    input: Op,
}

impl<Op> Call<Op> {
    /// A call of the operation with these parameters, sent with `client`.
    #[doc(hidden)]
    pub fn new(client: &FaceClient, input: Op) -> Self {
        Call {
            client: client.clone(),
            options: CallOptions::default(),
            input,
        }
    }

    /// Sets parameters of the operation (what the generated setters do).
    #[doc(hidden)]
    pub fn set(mut self, set: impl FnOnce(&mut Op)) -> Self {
        set(&mut self.input);
        self
    }

    /// The parameters of the operation.
    #[doc(hidden)]
    pub fn input(&self) -> &Op {
        &self.input
    }

    /// The client that sends the call.
    #[doc(hidden)]
    pub fn client(&self) -> &FaceClient {
        &self.client
    }

    /// Adds a header to this call only, replacing one of the same name set earlier. An
    /// invalid name or value, or a header the client manages (the subscription key,
    /// `Authorization`, `Content-Length`, `Transfer-Encoding`, `Host`), fails the call
    /// before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.set_header(name, value);
        self
    }

    /// Sets the timeout of each attempt of this call, in place of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.set_timeout(timeout);
        self
    }

    /// Sets the deadline of this whole call (every attempt, every wait between them), in
    /// place of the client's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.set_deadline(deadline);
        self
    }

    /// Retries this call as `policy` says, in place of the client's policy:
    /// [`RetryPolicy::none()`] sends it once. The pages of an `into_stream` are fetched
    /// with it too.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.set_retry(policy);
        self
    }
}

impl<Op: Upload> Call<Op> {
    /// Calls `callback` as the body is uploaded, with the bytes sent so far and the total
    /// when known.
    pub fn on_upload_progress(
        mut self,
        callback: impl Fn(crate::UploadProgress) + Send + Sync + 'static,
    ) -> Self {
        self.options.set_upload_progress(callback);
        self
    }
}

impl<Op: Operation> Call<Op> {
    /// Checks the parameters, sends the request and returns the decoded body.
    pub fn send(self) -> BoxFuture<Result<Output<Op>, Error>> {
        let request = self.input.into_request(&self.client);
        let read = <Op::Response as Decode>::READ;
        Box::pin(
            exchange(self.client, request, self.options, read).map(|exchanged| {
                exchanged
                    .and_then(<Op::Response as Decode>::decode)
                    .map(Response::into_body)
            }),
        )
    }

    /// Checks the parameters, sends the request and returns the status, the headers and the
    /// decoded body.
    pub fn send_raw(self) -> BoxFuture<Result<Response<Output<Op>>, Error>> {
        let request = self.input.into_request(&self.client);
        let read = <Op::Response as Decode>::READ;
        Box::pin(
            exchange(self.client, request, self.options, read)
                .map(|exchanged| exchanged.and_then(<Op::Response as Decode>::decode)),
        )
    }
}

impl<Op: Operation<Response = Binary>> Call<Op> {
    /// Checks the parameters, sends the request and returns the status, the headers and the
    /// body as a stream of chunks read as they arrive, for bodies too large to hold at once.
    pub fn send_stream(self) -> BoxFuture<Result<Response<ByteStream>, Error>> {
        let request = self.input.into_request(&self.client);
        Box::pin(
            exchange(self.client, request, self.options, Read::Stream)
                .map(|exchanged| exchanged.and_then(decode_stream)),
        )
    }
}

impl<Op: Operation> IntoFuture for Call<Op> {
    type Output = Result<Output<Op>, Error>;
    type IntoFuture = BoxFuture<Result<Output<Op>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<Op: Clone> Clone for Call<Op> {
    fn clone(&self) -> Self {
        Call {
            client: self.client.clone(),
            options: self.options.clone(),
            input: self.input.clone(),
        }
    }
}

impl<Op: fmt::Debug> fmt::Debug for Call<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("input", &self.input)
            .field("options", &self.options)
            .field("client", &self.client)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::check;
    use crate::runtime::version::Family;

    /// An operation whose one parameter must not be empty.
    #[derive(Debug, Default)]
    struct Probe {
        name: String,
    }

    impl Operation for Probe {
        type Response = Empty;
        const ID: &'static str = "Probe_Put";
        const METHOD: Method = Method::PUT;
        const PATH: &'static str = "/probes/{name}";

        fn build_request(self, request: &mut OperationRequest) -> Result<(), Error> {
            check::min_length("name", &self.name, 1)?;
            request.path_param("name", &self.name);
            Ok(())
        }
    }

    /// A client of a loopback port nothing listens on: a request that is sent fails to
    /// connect.
    fn client() -> FaceClient {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        FaceClient::builder(&format!("http://127.0.0.1:{port}"))
            .api_key("the-key")
            .retry(crate::RetryPolicy::none())
            .build()
            .unwrap()
    }

    #[test]
    fn into_request_checks_then_builds_the_shape_and_parameters() {
        let request = Probe { name: "p-1".into() }
            .into_request(&client())
            .unwrap();
        assert_eq!(request.operation_id(), "Probe_Put");
        let error = Probe::default().into_request(&client()).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "name"),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_call_that_breaks_a_rule_fails_before_sending() {
        let client = client();
        let refused = client.call(Probe::default()).await.unwrap_err();
        assert!(
            matches!(refused, Error::InvalidRequest { .. }),
            "{refused:?}"
        );
        // The same call with a valid parameter is sent, and fails to connect.
        let sent = client
            .call(Probe::default())
            .set(|probe| probe.name = "p-1".into())
            .header("x-tag", "1")
            .send_raw()
            .await
            .unwrap_err();
        assert!(matches!(sent, Error::Transport { .. }), "{sent:?}");
    }

    /// A family of two versions whose base paths differ in their version segment.
    static FAMILY: Family = Family {
        names: &["v1", "v2-preview"],
        base_paths: &["/api/v1", "/api/v2-preview"],
        default: 0,
    };

    /// An operation of `FAMILY` that only its second version has, with a parameter that the
    /// second version added to it.
    #[derive(Debug, Default)]
    struct Newer {
        flag: Option<bool>,
    }

    impl Operation for Newer {
        type Response = Empty;
        const ID: &'static str = "Probe_Newer";
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "/api/v1/newer";
        const AVAILABLE: (usize, Option<usize>) = (1, None);

        fn build_request(self, request: &mut OperationRequest) -> Result<(), Error> {
            if self.flag.is_some() {
                request.require_version("flag", 1, None)?;
            }
            request.query_if("flag", self.flag.as_ref());
            Ok(())
        }
    }

    /// An operation every version of `FAMILY` has, with a parameter the second one removed.
    #[derive(Debug, Default)]
    struct Older {
        legacy: Option<bool>,
    }

    impl Operation for Older {
        type Response = Empty;
        const ID: &'static str = "Probe_Older";
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "/api/v1/older";

        fn build_request(self, request: &mut OperationRequest) -> Result<(), Error> {
            if self.legacy.is_some() {
                request.require_version("legacy", 0, Some(1))?;
            }
            Ok(())
        }
    }

    #[test]
    fn an_operation_a_version_lacks_is_refused_naming_the_version_that_has_it() {
        let error = Newer::default()
            .into_request(&client().in_family(&FAMILY))
            .unwrap_err();
        let Error::InvalidRequest { parameter, rule } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(parameter, "Probe_Newer");
        assert_eq!(
            rule,
            "the operation Probe_Newer is available from v2-preview on; this client calls v1 \
             (set the client's service version)"
        );
    }

    #[test]
    fn the_chosen_version_is_in_the_path_and_admits_what_it_added() {
        let second = client_at_second_version();
        let request = Newer { flag: Some(true) }.into_request(&second).unwrap();
        assert_eq!(request.path, "/api/v2-preview/newer");
        assert_eq!(request.query, "flag=true");
        let older = Older::default().into_request(&second).unwrap();
        assert_eq!(older.path, "/api/v2-preview/older");
        let at_default = Older::default()
            .into_request(&client().in_family(&FAMILY))
            .unwrap();
        assert_eq!(at_default.path, "/api/v1/older");
    }

    #[test]
    fn a_parameter_a_version_lacks_is_refused_by_name() {
        let removed = Older { legacy: Some(true) }
            .into_request(&client_at_second_version())
            .unwrap_err();
        assert!(
            matches!(&removed, Error::InvalidRequest { parameter, rule }
                if parameter == "legacy" && rule == "`legacy` was removed in v2-preview; this client calls v2-preview"),
            "{removed:?}"
        );
        assert!(
            Older { legacy: Some(true) }
                .into_request(&client().in_family(&FAMILY))
                .is_ok()
        );
    }

    /// A client that calls `FAMILY` at its second version.
    fn client_at_second_version() -> FaceClient {
        FaceClient::builder("http://127.0.0.1:9")
            .api_key("the-key")
            .family_version(&FAMILY, 1)
            .build()
            .unwrap()
            .in_family(&FAMILY)
    }
}
