//! Raw TCP servers for answers `wiremock` cannot give: scripted replies, and a proxy that applies a request and then fails.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::net::TcpStream;

/// What a raw server connection answers.
#[derive(Debug, Clone)]
pub enum RawReply {
    /// Writes these bytes, then closes the connection.
    Bytes(Vec<u8>),
    /// Closes the connection without answering.
    Close,
    /// Writes these bytes, then keeps the connection open for ten seconds.
    Stall(Vec<u8>),
}

/// A complete HTTP/1.1 response with a JSON body.
pub fn complete_json_reply(status_line: &str, body: &str) -> RawReply {
    RawReply::Bytes(
        format!(
            "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A TCP server on loopback that reads each request, answers with the next
/// of its scripted replies (the last one again once they run out) and closes
/// the connection.
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts the server on a free port.
    pub async fn start(replies: Vec<RawReply>) -> RawServer {
        assert!(!replies.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let uri = format!("http://{}", listener.local_addr().expect("a bound address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let index = counter.fetch_add(1, Ordering::SeqCst);
                let reply = replies[index.min(replies.len() - 1)].clone();
                tokio::spawn(serve_one(stream, reply));
            }
        });
        RawServer { uri, connections }
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve_one(mut stream: TcpStream, reply: RawReply) {
    read_request(&mut stream).await;
    match reply {
        RawReply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        RawReply::Close => {}
        RawReply::Stall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads the head of a request and as many body bytes as its `content-length` says.
async fn read_request(stream: &mut TcpStream) {
    read_message(stream).await;
}

/// Reads the head of an HTTP/1.1 message and as many body bytes as its
/// `content-length` says, and returns them (what could be read, if the
/// connection ends first).
async fn read_message(stream: &mut TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return data;
            }
        }
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return data,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
}

/// A loopback proxy in front of a server that applies each request and then
/// fails: it forwards the request to `upstream`, waits for its answer (so the
/// request was applied), drops that answer and replies with an empty
/// `status_line` instead, as a service that fails after doing the work.
pub struct ApplyThenFail {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    forwarded: Arc<AtomicUsize>,
}

impl ApplyThenFail {
    /// Starts the proxy in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str, status_line: &str) -> ApplyThenFail {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let reply =
            format!("HTTP/1.1 {status_line}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let uri = format!("http://{}", listener.local_addr().expect("a bound address"));
        let forwarded = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&forwarded);
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (upstream, reply, counter) =
                    (upstream.clone(), reply.clone(), Arc::clone(&counter));
                tokio::spawn(async move {
                    let request = read_message(&mut client).await;
                    let mut server = TcpStream::connect(&upstream).await.expect("the upstream");
                    server.write_all(&request).await.expect("forwarded");
                    read_message(&mut server).await;
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = client.write_all(reply.as_bytes()).await;
                    let _ = client.shutdown().await;
                });
            }
        });
        ApplyThenFail { uri, forwarded }
    }

    /// How many requests were forwarded and answered by the upstream.
    pub fn forwarded(&self) -> usize {
        self.forwarded.load(Ordering::SeqCst)
    }
}
