//! The router: every route under `/face/v1.0`, the key check, and the
//! guarantee that every error answer has the service's JSON error shape.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::app::App;
use crate::error::ApiError;
use crate::http::body_guard;
use crate::{compare, detect, groups, lists, persons, snapshots};

/// The header that carries the subscription key.
pub const KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";

/// Builds the router of one emulator.
pub(crate) fn router(app: App) -> Router {
    let face = Router::new()
        .route("/detect", post(detect::detect))
        .route("/findsimilars", post(compare::find_similar))
        .route("/group", post(compare::group))
        .route("/identify", post(compare::identify))
        .route("/verify", post(compare::verify));
    let surface = Router::new()
        .merge(lists::routes())
        .merge(groups::routes())
        .merge(persons::routes())
        .merge(snapshots::routes());
    let api = face
        .merge(surface)
        .fallback(not_found)
        .method_not_allowed_fallback(not_found);
    Router::new()
        .nest("/face/v1.0", api)
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn(body_guard::refuse_oversized))
        .layer(middleware::from_fn_with_state(app.clone(), check_key))
        .layer(middleware::from_fn(error_shape))
        .layer(middleware::from_fn(body_guard::keep_connection_usable))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::no_such_resource()
}

/// Answers 401 unless the request carries the accepted key.
async fn check_key(State(app): State<App>, request: Request, next: Next) -> Response {
    let given = request.headers().get(KEY_HEADER).map(HeaderValue::as_bytes);
    match given {
        Some(key) if key == app.key.as_bytes() => next.run(request).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "401",
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
        )
        .into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "401",
            "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
        )
        .into_response(),
    }
}

/// Rewrites any error answer that is not JSON (e.g. one made by the framework) into the service's shape.
async fn error_shape(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if status.is_success() || is_json {
        return response;
    }
    let code = match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            return ApiError::no_such_resource().into_response();
        }
        StatusCode::PAYLOAD_TOO_LARGE => "BadArgument",
        _ if status.is_client_error() => "BadArgument",
        _ => "InternalServerError",
    };
    let message = status.canonical_reason().unwrap_or("Request failed.");
    ApiError::new(
        if status.is_client_error() {
            StatusCode::BAD_REQUEST
        } else {
            status
        },
        code,
        message,
    )
    .into_response()
}
