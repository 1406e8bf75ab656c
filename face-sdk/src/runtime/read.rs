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

/// A body of unknown length is kept in the chunks it came in up to this
/// size, and copied into blocks of this size past it: a chunk may be cut from a
/// larger read buffer and keep all of it alive, a block holds what it says.
pub(crate) const BLOCK: usize = 1024 * 1024;

/// Reads a whole body of at most `limit` bytes. A `declared` length over the
/// limit fails before anything is read; otherwise the read fails as soon as
/// the next chunk would take the total past the limit, that chunk not kept.
///
/// What is held stays within the bytes read plus one [`BLOCK`]: with a
/// declared length, one buffer of that size; without one, the chunks
/// themselves up to a block, then blocks of exactly a [`BLOCK`] (never grown by
/// doubling), joined once at the end. A body of one chunk is returned as it
/// is, without a copy.
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
    let mut held = Held::Chunks(Vec::new());
    let mut total: u64 = 0;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(Capped::Failed)?;
        total = total.saturating_add(chunk.len() as u64);
        if total > limit {
            return Err(Capped::TooLarge);
        }
        held = match (held, declared) {
            (Held::Buffer(mut buffer), _) => {
                buffer.extend_from_slice(&chunk);
                Held::Buffer(buffer)
            }
            // A second chunk of a body of known length: one buffer of that length.
            (Held::Chunks(parts), Some(len)) if !parts.is_empty() => {
                let capacity = usize::try_from(len.max(total)).unwrap_or(0);
                let mut buffer = BytesMut::with_capacity(capacity);
                for part in parts {
                    buffer.extend_from_slice(&part);
                }
                buffer.extend_from_slice(&chunk);
                Held::Buffer(buffer)
            }
            (Held::Chunks(mut parts), _) if total <= BLOCK as u64 => {
                parts.push(chunk);
                Held::Chunks(parts)
            }
            (Held::Chunks(parts), _) => {
                let mut blocks = Blocks::new(limit);
                for part in parts {
                    blocks.push(&part);
                }
                blocks.push(&chunk);
                Held::Blocks(blocks)
            }
            (Held::Blocks(mut blocks), _) => {
                blocks.push(&chunk);
                Held::Blocks(blocks)
            }
        };
    }
    let parts = match held {
        Held::Buffer(buffer) => return Ok(buffer.freeze()),
        Held::Chunks(mut parts) if parts.len() <= 1 => return Ok(parts.pop().unwrap_or_default()),
        Held::Chunks(parts) => parts,
        Held::Blocks(blocks) => blocks.into_parts(),
    };
    let mut buffer = BytesMut::with_capacity(usize::try_from(total).unwrap_or(0));
    for part in parts {
        buffer.extend_from_slice(&part);
    }
    Ok(buffer.freeze())
}

/// What a capped read holds so far.
enum Held {
    /// The chunks as they came, at most a [`BLOCK`] in all.
    Chunks(Vec<Bytes>),
    /// One buffer of the declared length.
    Buffer(BytesMut),
    /// Copies in blocks of a [`BLOCK`].
    Blocks(Blocks),
}

/// Bytes copied into blocks of exactly a [`BLOCK`] (the last one cut to what
/// is left of the limit), filled one after the other.
struct Blocks {
    full: Vec<Bytes>,
    filling: Vec<u8>,
    room: u64,
}

impl Blocks {
    fn new(limit: u64) -> Self {
        Self {
            full: Vec::new(),
            filling: Vec::new(),
            room: limit,
        }
    }

    /// Copies `data` in; the caller has checked that it fits in the limit.
    fn push(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.filling.len() == self.filling.capacity() {
                if !self.filling.is_empty() {
                    self.full
                        .push(Bytes::from(std::mem::take(&mut self.filling)));
                }
                let size = usize::try_from(self.room).map_or(BLOCK, |room| room.min(BLOCK));
                self.filling = Vec::with_capacity(size.max(1));
            }
            let take = data.len().min(self.filling.capacity() - self.filling.len());
            self.filling.extend_from_slice(&data[..take]);
            self.room = self.room.saturating_sub(take as u64);
            data = &data[take..];
        }
    }

    fn into_parts(mut self) -> Vec<Bytes> {
        self.full.push(Bytes::from(self.filling));
        self.full
    }
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
        for declared in [Some(5), None] {
            let chunks = stream::iter([
                Ok::<_, ()>(Bytes::from_static(b"ab")),
                Ok(Bytes::from_static(b"c")),
                Ok(Bytes::from_static(b"de")),
            ]);
            let body = read_capped(chunks, declared, 5).await.unwrap();
            assert_eq!(body.as_ref(), b"abcde", "{declared:?}");
        }
        let over = stream::iter([Ok::<_, ()>(Bytes::from_static(b"abcdef"))]);
        assert!(matches!(
            read_capped(over, None, 5).await,
            Err(Capped::TooLarge)
        ));
        let empty = stream::iter(Vec::<Result<Bytes, ()>>::new());
        assert!(read_capped(empty, None, 5).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_long_body_of_unknown_length_is_read_whole_through_blocks() {
        // 3.5 blocks in chunks of 100,003 bytes, whose ends never meet a block's.
        let body: Vec<u8> = (0..BLOCK * 7 / 2)
            .map(|index| (index % 251) as u8)
            .collect();
        let chunks = || {
            stream::iter(
                body.chunks(100_003)
                    .map(|chunk| Ok::<_, ()>(Bytes::copy_from_slice(chunk)))
                    .collect::<Vec<_>>(),
            )
        };
        let read = read_capped(chunks(), None, body.len() as u64)
            .await
            .unwrap();
        assert_eq!(read.len(), body.len());
        assert!(read == body, "the bytes read differ from the body sent");
        // One byte less of limit, and the same body is too large.
        let over = read_capped(chunks(), None, body.len() as u64 - 1).await;
        assert!(matches!(over, Err(Capped::TooLarge)));
    }

    /// A chunk that counts, in `live`, the chunks not yet dropped, and keeps
    /// the most there were in `peak`.
    struct Tracked {
        data: Vec<u8>,
        live: Arc<AtomicU64>,
    }

    impl AsRef<[u8]> for Tracked {
        fn as_ref(&self) -> &[u8] {
            &self.data
        }
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn past_a_block_the_chunks_read_are_let_go() {
        // A chunk may keep a whole read buffer alive: past the first block,
        // none is kept once its bytes are copied.
        let live = Arc::new(AtomicU64::new(0));
        let peak = Arc::new(AtomicU64::new(0));
        let (counted, most) = (Arc::clone(&live), Arc::clone(&peak));
        let chunks = stream::repeat_with(move || {
            let now = counted.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            Ok::<_, ()>(Bytes::from_owner(Tracked {
                data: vec![b'x'; CHUNK],
                live: Arc::clone(&counted),
            }))
        });
        let result = read_capped(chunks, None, 8 * BLOCK as u64).await;
        assert!(matches!(result, Err(Capped::TooLarge)));
        // The first block's worth of chunks, plus the one being copied.
        let bound = (BLOCK / CHUNK) as u64 + 2;
        assert!(
            peak.load(Ordering::SeqCst) <= bound,
            "{} chunks held at once",
            peak.load(Ordering::SeqCst)
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn blocks_are_a_mib_each_and_the_last_is_cut_to_the_limit() {
        const MIB: usize = 1024 * 1024;
        let mut blocks = Blocks::new(3 * MIB as u64 + 100);
        blocks.push(&vec![1_u8; MIB / 2]);
        blocks.push(&vec![2_u8; 2 * MIB + MIB / 2 + 100]);
        assert_eq!(blocks.full.len(), 3);
        assert!(blocks.full.iter().all(|block| block.len() == MIB));
        assert_eq!(blocks.filling.capacity(), 100);
        let parts = blocks.into_parts();
        assert_eq!(parts.iter().map(Bytes::len).sum::<usize>(), 3 * MIB + 100);
        assert_eq!(parts[0][(MIB / 2 - 1)..=(MIB / 2)], [1, 2]);
    }

    #[tokio::test]
    async fn one_chunk_is_returned_without_a_copy_and_errors_pass_through() {
        let original = Bytes::from(vec![7_u8; 1000]);
        for declared in [None, Some(1000)] {
            let chunks = stream::iter([Ok::<_, ()>(original.clone())]);
            let body = read_capped(chunks, declared, 1000).await.unwrap();
            assert_eq!(body.as_ptr(), original.as_ptr(), "{declared:?}");
        }
        let failing = stream::iter([Ok(Bytes::from_static(b"a")), Err("cut")]);
        assert!(matches!(
            read_capped(failing, None, 10).await,
            Err(Capped::Failed("cut"))
        ));
    }

    #[tokio::test]
    async fn a_prefix_is_cut_exactly_at_the_limit() {
        let pulled = Arc::new(AtomicU64::new(0));
        // 100 chunks rather than endless: reading past the limit then ends
        // (and fails the count) instead of spinning.
        let prefix = read_prefix(endless(&pulled).take(100), 100_000).await;
        assert_eq!(prefix.len(), 100_000);
        assert_eq!(pulled.load(Ordering::SeqCst), 2 * CHUNK as u64);
        let failing = stream::iter([Ok(Bytes::from_static(b"ab")), Err(())]);
        assert_eq!(read_prefix(failing, 10).await, b"ab");
    }
}
