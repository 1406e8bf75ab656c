//! Token credentials (Microsoft Entra ID and the like): the trait a caller
//! implements, the token it gives, and the client's cache of tokens per scope set.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;

use crate::Error;
use crate::credentials::REDACTED;

/// How long before its expiry a cached token is replaced by a new one.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_mins(5);

/// The future a [`TokenCredential`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>>;

/// A source of OAuth2 access tokens, such as a Microsoft Entra ID credential.
///
/// Give one to [`FaceClientBuilder::credential`](crate::FaceClientBuilder::credential)
/// instead of a subscription key. The client asks it for a token for the scopes
/// of the operation, keeps the token per scope set, and asks again from
/// [`TOKEN_REFRESH_MARGIN`] (5 minutes) before the token expires; concurrent
/// calls that need a new token wait for one request to the credential and all
/// use its token. A token that has already expired when it is given is an
/// [`Error::Credential`]. The token is sent as `Authorization: Bearer <token>`.
///
/// The method returns a boxed future rather than being an `async fn`, so that
/// the trait stays object-safe (the client keeps an `Arc<dyn TokenCredential>`)
/// without a macro crate. A failure should be an [`Error::Credential`], whose
/// message must not contain a secret.
///
/// An adapter for any async source of tokens is a few lines, for example
/// over an `azure_identity` credential or, here, a closure:
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use face_sdk::{AccessToken, Error, FaceClient, TokenCredential, TokenFuture};
///
/// /// Any `Fn(&[&str]) -> Future<Output = Result<AccessToken, Error>>`.
/// struct FromFn<F>(F);
///
/// impl<F, Fut> TokenCredential for FromFn<F>
/// where
///     F: Fn(Vec<String>) -> Fut + Send + Sync + 'static,
///     Fut: std::future::Future<Output = Result<AccessToken, Error>> + Send + 'static,
/// {
///     fn get_token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
///         let scopes = scopes.iter().map(|scope| scope.to_string()).collect();
///         Box::pin((self.0)(scopes))
///     }
/// }
///
/// // With azure_identity, the closure would call
/// // `credential.get_token(&scopes, None).await` and convert the result:
/// // `AccessToken::new(token.token.secret(), token.expires_on.into())`.
/// let credential = FromFn(|scopes: Vec<String>| async move {
///     assert_eq!(scopes, ["https://cognitiveservices.azure.com/.default"]);
///     let token = std::env::var("FACE_TOKEN")
///         .map_err(|_| Error::credential("FACE_TOKEN is not set"))?;
///     Ok(AccessToken::new(token, SystemTime::now() + Duration::from_secs(3600)))
/// });
/// let client = FaceClient::builder("https://my-resource.cognitiveservices.azure.com")
///     .credential(credential)
///     .build()?;
/// # Ok::<(), Error>(())
/// ```
pub trait TokenCredential: Send + Sync + 'static {
    /// A token valid for `scopes`.
    fn get_token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a>;
}

/// An access token and when it expires. `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    token: String,
    expires_on: SystemTime,
}

impl AccessToken {
    /// A token that expires at `expires_on`.
    pub fn new(token: impl Into<String>, expires_on: SystemTime) -> Self {
        Self {
            token: token.into(),
            expires_on,
        }
    }

    /// The token itself: keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.token
    }

    /// When the token expires.
    pub fn expires_on(&self) -> SystemTime {
        self.expires_on
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &REDACTED)
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

/// A token ready to be sent: its text (to redact network text with) and header.
#[derive(Clone)]
pub(crate) struct BearerToken {
    pub(crate) secret: Arc<str>,
    pub(crate) header: HeaderValue,
}

/// A token kept for one scope set.
struct Cached {
    bearer: BearerToken,
    expires_on: SystemTime,
}

/// The token of one scope set. The async lock makes concurrent renewals one;
/// the generation tells a call that waited for the lock that the token was
/// renewed meanwhile.
#[derive(Default)]
struct Slot {
    generation: AtomicU64,
    token: tokio::sync::Mutex<Option<Cached>>,
}

/// A credential and the tokens it gave, per scope set.
pub(crate) struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    slots: Mutex<HashMap<&'static [&'static str], Arc<Slot>>>,
}

impl TokenCache {
    pub(crate) fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self {
            credential,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// A token for `scopes`: the cached one until [`TOKEN_REFRESH_MARGIN`]
    /// before it expires (or one that was renewed while this call waited),
    /// else a new one.
    pub(crate) async fn token(
        &self,
        scopes: &'static [&'static str],
    ) -> Result<BearerToken, Error> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry(scopes).or_default())
        };
        let seen = slot.generation.load(Ordering::Acquire);
        let mut cached = slot.token.lock().await;
        if let Some(cached) = cached.as_ref() {
            let now = SystemTime::now();
            let fresh = now
                .checked_add(TOKEN_REFRESH_MARGIN)
                .is_some_and(|later| later < cached.expires_on);
            let renewed_meanwhile = slot.generation.load(Ordering::Acquire) != seen;
            if fresh || (renewed_meanwhile && now < cached.expires_on) {
                return Ok(cached.bearer.clone());
            }
        }
        let token = self.credential.get_token(scopes).await?;
        if token.expires_on <= SystemTime::now() {
            return Err(Error::credential(
                "the token credential returned a token that has already expired",
            ));
        }
        let bearer = bearer(&token)?;
        *cached = Some(Cached {
            bearer: bearer.clone(),
            expires_on: token.expires_on,
        });
        slot.generation.fetch_add(1, Ordering::Release);
        Ok(bearer)
    }
}

/// The `Authorization` header for a token, marked sensitive.
fn bearer(token: &AccessToken) -> Result<BearerToken, Error> {
    if token.token.is_empty() {
        return Err(Error::credential(
            "the token credential returned an empty token",
        ));
    }
    // The parse error is not kept: some versions print the rejected value.
    let mut header = HeaderValue::from_str(&format!("Bearer {}", token.token)).map_err(|_| {
        Error::credential("the token credential returned a token that is not a valid header value")
    })?;
    header.set_sensitive(true);
    Ok(BearerToken {
        secret: Arc::from(token.token.as_str()),
        header,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = AccessToken::new("eyJ0eXAi.secret", SystemTime::UNIX_EPOCH);
        let text = format!("{token:?} {token:#?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert_eq!(token.secret(), "eyJ0eXAi.secret");
        assert_eq!(token.expires_on(), SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn bad_tokens_are_credential_errors_without_the_token() {
        let empty = bearer(&AccessToken::new("", SystemTime::now()))
            .err()
            .unwrap();
        assert!(matches!(empty, Error::Credential { .. }));
        let error = bearer(&AccessToken::new("line\nbreak-secret", SystemTime::now()))
            .err()
            .unwrap();
        assert!(!format!("{error} {error:?}").contains("secret"));
        let good = bearer(&AccessToken::new("abc", SystemTime::now())).unwrap();
        assert!(good.header.is_sensitive());
        assert_eq!(good.header.as_bytes(), b"Bearer abc");
    }
}
