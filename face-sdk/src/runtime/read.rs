//! Reading response bodies within a limit, without buffering past it.

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};

/// Why a capped read stopped.
#[derive(Debug)]
pub(crate) enum Capped<E> {
    /// The body is (or says it is) larger than the limit.
    TooLarge,
    /// Reading failed.
    Failed(E),
}

/// Reads a whole body of at most `limit` bytes. A `declared` length over the
/// limit fails before anything is read; otherwise the read fails as soon as
/// the next chunk would take the total past the limit, that chunk not kept.
/// A body of one chunk is returned as it is, without a copy.
pub(crate) async fn read_capped<S, E>(
    mut chunks: S,
    declared: Option<u64>,
    limit: u64,
) -> Result<Bytes, Capped<E>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    if declared.is_some_and(|len| len > limit) {
        return Err(Capped::TooLarge);
    }
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut total: u64 = 0;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(Capped::Failed)?;
        total = total.saturating_add(chunk.len() as u64);
        if total > limit {
            return Err(Capped::TooLarge);
        }
        match (&mut first, &mut joined) {
            (None, None) => first = Some(chunk),
            (Some(_), None) => {
                let capacity = declared.unwrap_or(total).max(total);
                let mut buffer = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
                buffer.extend_from_slice(&first.take().unwrap_or_default());
                buffer.extend_from_slice(&chunk);
                joined = Some(buffer);
            }
            (_, Some(buffer)) => buffer.extend_from_slice(&chunk),
        }
    }
    Ok(match (first, joined) {
        (_, Some(buffer)) => buffer.freeze(),
        (Some(bytes), None) => bytes,
        (None, None) => Bytes::new(),
    })
}

/// Reads at most `limit` bytes of a body and stops there, keeping what was
/// read when reading fails half-way (for error bodies, where a start is
/// enough).
pub(crate) async fn read_prefix<S, E>(mut chunks: S, limit: usize) -> Vec<u8>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut body = Vec::new();
    while body.len() < limit {
        match chunks.next().await {
            Some(Ok(chunk)) => {
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Some(Err(_)) | None => break,
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use futures_util::stream;

    use super::*;

    const CHUNK: usize = 64 * 1024;

    /// An endless body in chunks of 64 KiB, counting the bytes handed out.
    fn endless(pulled: &Arc<AtomicU64>) -> impl Stream<Item = Result<Bytes, ()>> + Unpin {
        let pulled = Arc::clone(pulled);
        stream::repeat_with(move || {
            pulled.fetch_add(CHUNK as u64, Ordering::SeqCst);
            Ok(Bytes::from(vec![b'x'; CHUNK]))
        })
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_fails_before_reading() {
        let pulled = Arc::new(AtomicU64::new(0));
        let result = read_capped(endless(&pulled), Some(500_000_001), 1 << 20).await;
        assert!(matches!(result, Err(Capped::TooLarge)));
        assert_eq!(pulled.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn an_endless_body_stops_one_chunk_past_the_limit_and_keeps_none_of_it() {
        let pulled = Arc::new(AtomicU64::new(0));
        let limit = 1 << 20;
        let result = read_capped(endless(&pulled), None, limit).await;
        assert!(matches!(result, Err(Capped::TooLarge)));
        // What was read: the limit, plus the one chunk that crossed it.
        assert_eq!(pulled.load(Ordering::SeqCst), limit + CHUNK as u64);
        // A body that says less than it sends is stopped the same way.
        let pulled = Arc::new(AtomicU64::new(0));
        let result = read_capped(endless(&pulled), Some(10), limit).await;
        assert!(matches!(result, Err(Capped::TooLarge)));
        assert_eq!(pulled.load(Ordering::SeqCst), limit + CHUNK as u64);
    }

    #[tokio::test]
    async fn a_body_at_the_limit_is_read_whole() {
        let chunks = stream::iter([
            Ok::<_, ()>(Bytes::from_static(b"abc")),
            Ok(Bytes::from_static(b"de")),
        ]);
        let body = read_capped(chunks, Some(5), 5).await.unwrap();
        assert_eq!(body.as_ref(), b"abcde");
        let over = stream::iter([Ok::<_, ()>(Bytes::from_static(b"abcdef"))]);
        assert!(matches!(
            read_capped(over, None, 5).await,
            Err(Capped::TooLarge)
        ));
        let empty = stream::iter(Vec::<Result<Bytes, ()>>::new());
        assert!(read_capped(empty, None, 5).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn one_chunk_is_returned_without_a_copy_and_errors_pass_through() {
        let original = Bytes::from(vec![7_u8; 1000]);
        let chunks = stream::iter([Ok::<_, ()>(original.clone())]);
        let body = read_capped(chunks, None, 1000).await.unwrap();
        assert_eq!(body.as_ptr(), original.as_ptr());
        let failing = stream::iter([Ok(Bytes::from_static(b"a")), Err("cut")]);
        assert!(matches!(
            read_capped(failing, None, 10).await,
            Err(Capped::Failed("cut"))
        ));
    }

    #[tokio::test]
    async fn a_prefix_is_cut_exactly_at_the_limit() {
        let pulled = Arc::new(AtomicU64::new(0));
        let prefix = read_prefix(endless(&pulled), 100_000).await;
        assert_eq!(prefix.len(), 100_000);
        assert_eq!(pulled.load(Ordering::SeqCst), 2 * CHUNK as u64);
        let failing = stream::iter([Ok(Bytes::from_static(b"ab")), Err(())]);
        assert_eq!(read_prefix(failing, 10).await, b"ab");
    }
}
