//! A tiny loopback HTTP server (axum, HTTP/1.1) that answers every detect
//! request with a fixed body, on a thread and runtime of its own so that it
//! does not share the client's.
//!
//! The endpoint `http://127.0.0.1:PORT/NAME` answers `POST
//! /NAME/face/v1.0/detect` with the body registered under `NAME`. The request
//! body is read to its end and dropped chunk by chunk (unless requests are
//! being captured), so an upload costs the server no more than one read buffer.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use tokio::sync::oneshot;

/// A request as the server saw it, for checking that two clients send the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The path and query, without the `/NAME` prefix.
    pub uri: String,
    /// Every header, sorted by name then value.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The whole body.
    pub body: Bytes,
}

struct Shared {
    bodies: HashMap<String, Bytes>,
    captured: Mutex<Option<Vec<CapturedRequest>>>,
}

/// The running server; stopped when dropped.
pub struct LoopbackServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Starts a server on a free loopback port that answers `/NAME/...` with
    /// the body registered under `NAME`.
    pub fn start<I, N>(bodies: I) -> LoopbackServer
    where
        I: IntoIterator<Item = (N, Bytes)>,
        N: Into<String>,
    {
        let shared = Arc::new(Shared {
            bodies: bodies
                .into_iter()
                .map(|(name, body)| (name.into(), body))
                .collect(),
            captured: Mutex::new(None),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let address = listener.local_addr().expect("the listener's address");
        let (stop, stopped) = oneshot::channel::<()>();
        let app = Router::new()
            .route("/{name}/face/v1.0/detect", post(detect))
            .with_state(Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name("loopback-server".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the server's runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    tokio::select! {
                        result = axum::serve(listener, app) => result.expect("the server runs"),
                        _ = stopped => {}
                    }
                });
            })
            .expect("the server's thread");
        LoopbackServer {
            address,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The endpoint to give a client for the body registered under `name`.
    pub fn endpoint(&self, name: &str) -> String {
        assert!(
            self.shared.bodies.contains_key(name),
            "no body is registered under `{name}`"
        );
        format!("http://{}/{name}", self.address)
    }

    /// Starts keeping every request the server receives (bodies included).
    pub fn start_capture(&self) {
        *self.lock_captured() = Some(Vec::new());
    }

    /// Stops keeping requests and returns those kept since [`start_capture`](Self::start_capture).
    pub fn take_captured(&self) -> Vec<CapturedRequest> {
        self.lock_captured().take().unwrap_or_default()
    }

    fn lock_captured(&self) -> std::sync::MutexGuard<'_, Option<Vec<CapturedRequest>>> {
        self.shared
            .captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn detect(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    let Some(answer) = shared.bodies.get(&name).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let capturing = shared
        .captured
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .is_some();
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut kept = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        if capturing {
            kept.extend_from_slice(&chunk);
        }
    }
    if capturing {
        let prefix = format!("/{name}");
        let uri = parts.uri.to_string();
        let mut headers: Vec<(String, Vec<u8>)> = parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        headers.sort();
        let captured = CapturedRequest {
            method: parts.method.to_string(),
            uri: uri.strip_prefix(&prefix).unwrap_or(&uri).to_owned(),
            headers,
            body: kept.freeze(),
        };
        if let Some(requests) = shared
            .captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            requests.push(captured);
        }
    }
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        answer,
    )
        .into_response()
}
