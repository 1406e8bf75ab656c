//! The baseline: the detect calls written by hand with a plain
//! `reqwest::Client`, sending the same bytes as the SDK (same URL, headers and
//! body) and decoding into the same `Vec<DetectedFace>`.

use std::time::Duration;

use bytes::Bytes;
use face_sdk::v1_0::models::DetectedFace;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Serialize;

/// The `User-Agent` of the SDK's default HTTP client (the workspace shares one version).
pub const USER_AGENT: &str = concat!("face-sdk/", env!("CARGO_PKG_VERSION"));

/// The header that carries the subscription key.
const API_KEY_HEADER: &str = "ocp-apim-subscription-key";

/// The body of a detect-with-URL request.
#[derive(Serialize)]
struct ImageUrl<'a> {
    url: &'a str,
}

/// A hand-written detect client on `reqwest`, configured like the SDK's default client.
#[derive(Clone)]
pub struct PlainClient {
    http: reqwest::Client,
    detect_url: String,
    key: HeaderValue,
}

impl PlainClient {
    /// A client of the resource at `endpoint` with the subscription key `key`.
    pub fn new(endpoint: &str, key: &str) -> PlainClient {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .expect("a reqwest client");
        let mut key = HeaderValue::from_str(key).expect("a key that is a header value");
        key.set_sensitive(true);
        PlainClient {
            http,
            detect_url: format!("{}/face/v1.0/detect", endpoint.trim_end_matches('/')),
            key,
        }
    }

    fn detect_request(&self, image_url: &str) -> reqwest::RequestBuilder {
        let body = serde_json::to_vec(&ImageUrl { url: image_url }).expect("a JSON body");
        self.http
            .post(&self.detect_url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )
            .header(API_KEY_HEADER, self.key.clone())
            .body(body)
    }

    /// Detect with an image URL, decoded into the SDK's model.
    pub async fn detect_with_url(
        &self,
        image_url: &str,
    ) -> Result<Vec<DetectedFace>, reqwest::Error> {
        self.detect_request(image_url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }

    /// Detect with an image URL, the response body read but not decoded
    /// (the cost of the exchange alone).
    pub async fn detect_with_url_bytes(&self, image_url: &str) -> Result<Bytes, reqwest::Error> {
        self.detect_request(image_url)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await
    }

    /// Detect with the image uploaded as the body, decoded into the SDK's model.
    pub async fn detect_with_stream(
        &self,
        image: Bytes,
    ) -> Result<Vec<DetectedFace>, reqwest::Error> {
        self.http
            .post(&self.detect_url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            )
            .header(API_KEY_HEADER, self.key.clone())
            .body(image)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}
