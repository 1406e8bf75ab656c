//! Reading every page of a list operation as one stream of items.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

use crate::Error;

/// A boxed stream that can be sent between threads.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// What the stream knows between two pages.
struct Cursor<F> {
    fetch: F,
    /// The key of the last item read, `None` before the first page.
    after: Option<String>,
    finished: bool,
}

/// Streams the items of every page: `fetch(None)` reads the first page, `fetch(Some(key))`
/// the page after the item whose key is `key`.
///
/// The stream ends after an empty page, or after a page shorter than `page_size` when the
/// caller set one; an error is yielded once and ends the stream.
pub fn paginate<T, F, Fut>(
    page_size: Option<usize>,
    fetch: F,
    key: fn(&T) -> String,
) -> BoxStream<Result<T, Error>>
where
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Vec<T>, Error>> + Send + 'static,
{
    let start = Cursor {
        fetch,
        after: None,
        finished: false,
    };
    let pages = stream::unfold(start, move |mut cursor| async move {
        if cursor.finished {
            return None;
        }
        match (cursor.fetch)(cursor.after.take()).await {
            Err(error) => {
                cursor.finished = true;
                Some((vec![Err(error)], cursor))
            }
            Ok(items) => {
                let short = page_size.is_some_and(|size| items.len() < size);
                cursor.finished = items.is_empty() || short;
                cursor.after = items.last().map(key);
                Some((items.into_iter().map(Ok).collect(), cursor))
            }
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A list of 0..count served in pages of `size` items after a key.
    fn pages_of(
        count: u32,
        size: usize,
        calls: Arc<Mutex<Vec<Option<String>>>>,
    ) -> BoxStream<Result<u32, Error>> {
        paginate(
            Some(size),
            move |after: Option<String>| {
                calls.lock().map(|mut calls| calls.push(after.clone())).ok();
                let start = after
                    .and_then(|key| key.parse::<u32>().ok())
                    .map_or(0, |key| key + 1);
                let page: Vec<u32> = (start..count).take(size).collect();
                async move { Ok(page) }
            },
            |item: &u32| item.to_string(),
        )
    }

    #[tokio::test]
    async fn reads_every_page_and_stops_after_a_short_one() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u32> = pages_of(7, 3, calls.clone())
            .map(|item| item.unwrap_or(u32::MAX))
            .collect()
            .await;
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        let calls = calls.lock().map(|calls| calls.clone()).unwrap_or_default();
        assert_eq!(
            calls,
            vec![None, Some("2".to_owned()), Some("5".to_owned())]
        );
    }

    #[tokio::test]
    async fn an_exact_multiple_ends_with_an_empty_page() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u32> = pages_of(6, 3, calls.clone())
            .map(|item| item.unwrap_or(u32::MAX))
            .collect()
            .await;
        assert_eq!(items.len(), 6);
        assert_eq!(calls.lock().map(|calls| calls.len()).unwrap_or_default(), 3);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let stream = paginate(
            None,
            |_| async {
                Err::<Vec<u32>, _>(Error::Config {
                    message: "down".into(),
                })
            },
            |item: &u32| item.to_string(),
        );
        let items: Vec<Result<u32, Error>> = stream.collect().await;
        assert!(matches!(items.as_slice(), [Err(Error::Config { .. })]));
    }
}
