//! The subscription key and the counting token credential of the tests, and a client that uses it.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::time::Duration;
use std::time::SystemTime;

use face_sdk::AccessToken;
use face_sdk::Error;
use face_sdk::TokenCredential;
use face_sdk::TokenFuture;

/// The subscription key of every test client; no response or error may show it.
pub const KEY: &str = "f00dfeed-4c1e-4e7b-9a3d-5ecre7k3y0042";

/// The start of every token a [`CountingCredential`] gives; no response or error may show it.
pub const TOKEN: &str = "eyJ0eXAiOiJKV1Qi.t0k3n-s3cr3t";

/// A token credential that counts its calls and remembers the scopes asked
/// for. Its n-th token (from 1) is `{TOKEN}-{n}`; each lives `lifetime` and
/// takes `delay` to come.
pub struct CountingCredential {
    calls: AtomicUsize,
    scopes: Mutex<Vec<Vec<String>>>,
    lifetime: Duration,
    delay: Duration,
    fail_with: Option<String>,
}

impl CountingCredential {
    /// Tokens that live `lifetime` and come at once.
    pub fn new(lifetime: Duration) -> Arc<Self> {
        Self::build(lifetime, Duration::ZERO, None)
    }

    /// Tokens that live an hour and take `delay` to come.
    pub fn slow(delay: Duration) -> Arc<Self> {
        Self::build(Duration::from_hours(1), delay, None)
    }

    /// Tokens that live `lifetime` and take `delay` to come.
    pub fn slow_and_short(delay: Duration, lifetime: Duration) -> Arc<Self> {
        Self::build(lifetime, delay, None)
    }

    /// A credential that always fails with `Error::Credential { message }`.
    pub fn failing(message: &str) -> Arc<Self> {
        Self::build(
            Duration::from_hours(1),
            Duration::ZERO,
            Some(message.to_owned()),
        )
    }

    fn build(lifetime: Duration, delay: Duration, fail_with: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            scopes: Mutex::new(Vec::new()),
            lifetime,
            delay,
            fail_with,
        })
    }

    /// How many tokens were asked for.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The scopes of each request for a token, in order.
    pub fn scopes(&self) -> Vec<Vec<String>> {
        self.scopes.lock().expect("not poisoned").clone()
    }
}

/// Lets a test keep an `Arc` to the credential it gives to the client.
pub struct Shared(pub Arc<CountingCredential>);

impl TokenCredential for Shared {
    fn get_token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        let this = &self.0;
        Box::pin(async move {
            let n = this.calls.fetch_add(1, Ordering::SeqCst) + 1;
            this.scopes.lock().expect("not poisoned").push(
                scopes
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
            );
            tokio::time::sleep(this.delay).await;
            if let Some(message) = &this.fail_with {
                return Err(Error::credential(message.clone()));
            }
            Ok(AccessToken::new(
                format!("{TOKEN}-{n}"),
                SystemTime::now() + this.lifetime,
            ))
        })
    }
}
