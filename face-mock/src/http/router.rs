//! The router, built from the spec: each operation's method and path lead to
//! its handler through the validation layer. Around it: the key check, the
//! body guards, and the guarantee that every error has the service's shape.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use super::body_guard;
use super::faults;
use super::input;
use crate::app::App;
use crate::error::{Answer, ApiError};
use crate::handlers::{HANDLERS, Handler, handler};
use crate::rules::Rules;

/// The header that carries the subscription key.
pub const KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";

/// Builds the router of one emulator; refuses a handler that no spec operation
/// names. A spec operation with no handler yet answers 501 `NotImplemented`
/// (the test `every_spec_operation_has_a_handler` names each one), so that an
/// operation added to a spec breaks only that test, not every emulator.
pub(crate) fn router(app: App) -> Result<Router, crate::StartError> {
    let specs: Vec<&Rules> = app.specs.iter().map(Arc::as_ref).collect();
    check_handlers(&specs).map_err(crate::StartError::Spec)?;
    let mut router = Router::new();
    for spec in &app.specs {
        let api = routes(spec)?
            .fallback(not_found)
            .method_not_allowed_fallback(not_found);
        router = router.nest(spec.base_path(), api);
    }
    let faults = axum::routing::post(faults::set)
        .get(faults::list)
        .delete(faults::clear);
    Ok(router
        .merge(super::controls::routes())
        .route(faults::FAULTS_PATH, faults)
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            body_guard::refuse_oversized,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), check_key))
        .layer(middleware::from_fn(error_shape))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            error_code_header,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            body_guard::keep_connection_usable,
        ))
        .with_state(app))
}

/// Every handler serves a spec operation.
fn check_handlers(specs: &[&Rules]) -> Result<(), String> {
    let named: Vec<&str> = specs.iter().flat_map(|spec| spec.operation_ids()).collect();
    let problems: Vec<String> = HANDLERS
        .iter()
        .filter(|(id, _)| !named.contains(id))
        .map(|(id, _)| format!("handler {id} serves no operation of the spec"))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// One route per path of the spec, one method per operation.
fn routes(spec: &Arc<Rules>) -> Result<Router<App>, crate::StartError> {
    let mut paths: BTreeMap<&str, MethodRouter<App>> = BTreeMap::new();
    for (operation, method, path) in spec.routes() {
        let handler = handler(operation).unwrap_or(not_implemented);
        let filter = Method::from_bytes(method.as_bytes())
            .ok()
            .and_then(|method| MethodFilter::try_from(method).ok())
            .ok_or_else(|| {
                crate::StartError::Spec(format!(
                    "operation {operation}: method {method} cannot be served"
                ))
            })?;
        let operation: Arc<str> = Arc::from(operation);
        let spec = Arc::clone(spec);
        let serve = move |State(app): State<App>, request: Request| {
            let operation = Arc::clone(&operation);
            let spec = Arc::clone(&spec);
            async move { dispatch(app, spec, &operation, handler, request).await }
        };
        let route = paths.remove(path).unwrap_or_default();
        paths.insert(path, route.merge(on(filter, serve)));
    }
    Ok(paths
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        }))
}

/// Checks a request against its operation, then runs the operation's handler.
async fn dispatch(
    app: App,
    spec: Arc<Rules>,
    operation: &str,
    handler: Handler,
    request: Request,
) -> Response {
    if let Some(answer) = faults::apply(&app, operation).await {
        return answer;
    }
    let input = match input::read(Arc::clone(&spec), operation, app.body_limit, request).await {
        Ok(input) => input,
        Err(error) => return error.into_response(),
    };
    match handler(&app, &input) {
        Ok(answer) => respond(&spec, &input, answer).unwrap_or_else(IntoResponse::into_response),
        Err(error) => error.into_response(),
    }
}

/// A handler's answer as the spec states it: the operation's success status, the headers it
/// declares, and a body checked against its response schema. An answer that departs from the
/// spec is the emulator's own fault: 500 `EmulatorAnswerMismatch`, saying where.
fn respond(spec: &Rules, input: &input::Input, answer: Answer) -> Result<Response, ApiError> {
    let operation = input.operation.as_str();
    let mismatch = |message: String| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "EmulatorAnswerMismatch",
            message,
        )
    };
    let (status, headers, binary) = spec
        .success(operation)
        .ok_or_else(|| mismatch(format!("{operation} is not an operation of the spec")))?;
    let status = StatusCode::from_u16(status)
        .map_err(|_| mismatch(format!("{operation}: {status} is not a status")))?;
    let mut answer = answer;
    if let Answer::Json(body) = &mut answer {
        spec.complete_answer(operation, body);
    }
    let json = match &answer {
        Answer::Json(body) => Some(body),
        _ => None,
    };
    spec.check_answer(operation, json)
        .map_err(|problem| mismatch(problem.to_string()))?;
    let started = match answer {
        Answer::Started(id) => Some(id),
        _ => None,
    };
    let mut response = match answer {
        Answer::Json(body) => crate::error::json_response(status, &body),
        Answer::Bytes(bytes) if binary => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            response
        }
        Answer::Bytes(_) => {
            return Err(mismatch(format!("{operation}: the spec answers no bytes")));
        }
        Answer::Empty | Answer::Started(_) if binary => {
            return Err(mismatch(format!("{operation}: the spec answers bytes")));
        }
        Answer::Empty | Answer::Started(_) => crate::error::empty_response(status),
    };
    for name in headers {
        let Some(id) = started else {
            return Err(mismatch(format!(
                "{operation}: the spec declares the header {name}, which only started work fills"
            )));
        };
        let param = |name: &str| input.path_value(name);
        let location = spec
            .location(operation, name, &id.to_string(), param)
            .ok_or_else(|| {
                mismatch(format!(
                    "{operation}: no status operation is read from the header {name}"
                ))
            })?;
        let name = header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| mismatch(format!("{operation}: {name} is not a header name")))?;
        let value = HeaderValue::from_str(&location)
            .map_err(|_| mismatch(format!("{operation}: {location} is not a header value")))?;
        response.headers_mut().insert(name, value);
    }
    Ok(response)
}

/// The answer of a spec operation the emulator has no handler for yet.
fn not_implemented(_: &App, input: &input::Input) -> crate::error::ApiResult {
    Err(ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "NotImplemented",
        format!(
            "the emulator does not implement operation {} yet",
            input.operation
        ),
    ))
}

async fn not_found() -> ApiError {
    ApiError::no_such_resource()
}

/// Answers 401 unless the request carries the accepted key or, without a
/// key, an accepted `Authorization: Bearer` token.
async fn check_key(State(app): State<App>, request: Request, next: Next) -> Response {
    let key = request.headers().get(KEY_HEADER).map(HeaderValue::as_bytes);
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match (key, token) {
        (Some(key), _) if key == app.key.as_bytes() => next.run(request).await,
        (None, Some(token)) if app.tokens.accepts(token) => next.run(request).await,
        (Some(_), _) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "401",
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
        )
        .into_response(),
        (None, Some(_)) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "401",
            "Access denied due to an invalid or expired bearer token.",
        )
        .into_response(),
        (None, None) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "401",
            "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
        )
        .into_response(),
    }
}

/// Repeats the error code in the header the spec of the request's base path
/// declares for it (`x-ms-error-code` in v1.2), on every error answer under that path.
async fn error_code_header(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let header_name = app
        .specs
        .iter()
        .filter(|spec| !spec.base_path().is_empty() && path.starts_with(spec.base_path()))
        .find_map(|spec| spec.error_code_header())
        .and_then(|name| header::HeaderName::from_bytes(name.as_bytes()).ok());
    let response = next.run(request).await;
    let Some(header_name) = header_name.filter(|_| !response.status().is_success()) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    let code = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|body| body["error"]["code"].as_str().map(str::to_string));
    if let Some(value) = code.and_then(|code| HeaderValue::from_str(&code).ok()) {
        parts.headers.insert(header_name, value);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Error answers are small; a longer body is not read for its code.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

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
    if matches!(
        status,
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    ) {
        return ApiError::no_such_resource().into_response();
    }
    let code = if status.is_client_error() {
        "BadArgument"
    } else {
        "InternalServerError"
    };
    let message = status.canonical_reason().unwrap_or("Request failed.");
    let status = if status.is_client_error() {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    ApiError::new(status, code, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each operation of every version served is served by a handler of its own, not by the
    /// 501 answer: a new spec operation fails this test, naming it.
    #[test]
    fn every_spec_operation_has_a_handler() {
        let mut unhandled = Vec::new();
        for rules in Rules::served().expect("the tables convert") {
            unhandled.extend(
                rules
                    .operation_ids()
                    .into_iter()
                    .filter(|id| handler(id).is_none())
                    .map(str::to_owned),
            );
        }
        assert!(
            unhandled.is_empty(),
            "operations without a handler: {unhandled:?}"
        );
    }

    /// A handler that no operation of the tables names is refused at start-up, by name.
    #[test]
    fn a_handler_without_an_operation_is_refused() {
        let served = Rules::served().expect("the tables convert");
        let all: Vec<&Rules> = served.iter().collect();
        assert_eq!(check_handlers(&all), Ok(()));
        let v1_0 = Rules::v1_0().expect("the tables convert");
        let v1_2 = Rules::v1_2().expect("the tables convert");
        // Snapshots are in v1.0 only, so without v1.0 their handlers serve nothing.
        let problem = check_handlers(&[&v1_2]).expect_err("the snapshot handlers are stale");
        assert!(
            problem.contains("handler Snapshot_Take serves no operation"),
            "{problem}"
        );
        // The settings are in v1.3-preview.1 only, so v1.0 and v1.2 leave their handlers idle.
        let problem = check_handlers(&[&v1_0, &v1_2]).expect_err("the settings handlers are stale");
        assert!(
            problem.contains("handler LivenessSession_GetSettings serves no operation"),
            "{problem}"
        );
    }
}
