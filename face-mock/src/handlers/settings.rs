//! The liveness settings of the resource and the client assets token (v1.3-preview.1): the
//! settings are kept in the store, over every version; the token comes from the emulator's clock.

use std::time::Duration;

use serde_json::{Value, json};

use crate::app::App;
use crate::error::{Answer, ApiResult};
use crate::http::input::Input;
use crate::state::liveness::Settings;

/// How long a client assets token lasts, from the emulator's clock (the service calls it
/// short-lived and states no figure; one hour here).
pub(crate) const CLIENT_ASSETS_TOKEN_LIFETIME: Duration = Duration::from_hours(1);

/// `LivenessSession_GetSettings`.
#[expect(
    clippy::unnecessary_wraps,
    reason = "a handler of the routing table, where every handler returns an ApiResult"
)]
pub(crate) fn get(app: &App, _: &Input) -> ApiResult {
    Ok(Answer::Json(settings_json(app.store().settings)))
}

/// `LivenessSession_UpdateSettings`: changes what the body names, keeps the rest, and answers
/// the settings as they stand.
#[expect(
    clippy::unnecessary_wraps,
    reason = "a handler of the routing table, where every handler returns an ApiResult"
)]
pub(crate) fn update(app: &App, input: &Input) -> ApiResult {
    let mut store = app.store();
    if let Some(enabled) = input
        .field("livenessAbuseMonitoring")
        .and_then(|setting| setting.get("enabled"))
        .and_then(Value::as_bool)
    {
        store.settings.abuse_monitoring = enabled;
    }
    Ok(Answer::Json(settings_json(store.settings)))
}

/// `LivenessSession_GetClientAssetsAccessToken`: a fresh token, its base64 form, and when it
/// expires.
#[expect(
    clippy::unnecessary_wraps,
    reason = "a handler of the routing table, where every handler returns an ApiResult"
)]
pub(crate) fn client_assets_token(app: &App, _: &Input) -> ApiResult {
    let token = format!("mock-client-assets-{}", app.store().new_id().simple());
    let expiry = app
        .clock
        .now()
        .checked_add(CLIENT_ASSETS_TOKEN_LIFETIME)
        .unwrap_or_else(|| app.clock.now());
    Ok(Answer::Json(json!({
        "expiry": crate::clock::rfc3339(expiry),
        "accessToken": token,
        "base64AccessToken": base64(token.as_bytes()),
    })))
}

fn settings_json(settings: Settings) -> Value {
    json!({ "livenessAbuseMonitoring": { "enabled": settings.abuse_monitoring } })
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// The test vectors of RFC 4648, section 10.
    #[test]
    fn base64_follows_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(plain.as_bytes()), encoded, "{plain}");
        }
    }
}
