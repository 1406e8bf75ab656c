//! Measures detect against a store of many live face ids: the median time of
//! a detect on an empty store, then after filling it with 500,000 live face
//! ids, and the process's resident memory at each step.
//!
//! `cargo run --release -p face-mock --example detect_load [LIVE_FACES]`

use std::time::{Duration, Instant};

use face_mock::{MockConfig, MockServer};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const SAMPLES: usize = 2_000;
const FACES_PER_FILL: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(500_000);
    let server = MockServer::start(MockConfig::new()).await?;
    let mut connection = KeepAlive::open(&server).await?;
    let one_face = image("FACE-MOCK:faces=1", 0);
    println!("rss at start: {:.0} MB", rss_mb());
    let empty = median(&mut connection, &one_face).await?;
    println!(
        "detect p50, empty store: {:.3} ms",
        empty.as_secs_f64() * 1e3
    );
    let fill = format!("FACE-MOCK:faces={FACES_PER_FILL}");
    let started = Instant::now();
    for round in 0..live.div_ceil(FACES_PER_FILL) {
        connection.detect(&image(&fill, round)).await?;
    }
    println!(
        "filled {live} live face ids in {:.1} s; rss {:.0} MB",
        started.elapsed().as_secs_f64(),
        rss_mb()
    );
    let full = median(&mut connection, &one_face).await?;
    println!(
        "detect p50, {live} live faces: {:.3} ms ({:.2}x the empty store); rss {:.0} MB",
        full.as_secs_f64() * 1e3,
        full.as_secs_f64() / empty.as_secs_f64(),
        rss_mb()
    );
    Ok(())
}

async fn median(connection: &mut KeepAlive, image: &[u8]) -> std::io::Result<Duration> {
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let started = Instant::now();
        connection.detect(image).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[SAMPLES / 2])
}

/// A PNG-looking image of 2 KB carrying `tag`.
fn image(tag: &str, salt: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(tag.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(salt.to_string().as_bytes());
    bytes.resize(2048, 0x42);
    bytes
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kilobytes| kilobytes / 1024.0)
}

struct KeepAlive {
    stream: BufReader<TcpStream>,
    key: String,
}

impl KeepAlive {
    async fn open(server: &MockServer) -> std::io::Result<Self> {
        let stream = TcpStream::connect(server.address()).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
            key: server.key().to_string(),
        })
    }

    async fn detect(&mut self, image: &[u8]) -> std::io::Result<()> {
        let head = format!(
            "POST /face/v1.0/detect HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            self.key,
            image.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(image);
        self.stream.get_mut().write_all(&request).await?;
        let mut length = 0usize;
        let mut status = String::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).await?;
            if status.is_empty() {
                status = line.clone();
            }
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body).await?;
        if !status.contains(" 200 ") {
            return Err(std::io::Error::other(status));
        }
        Ok(())
    }
}
