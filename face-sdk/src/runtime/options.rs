//! Per-call options: extra headers, a timeout, a deadline, a retry policy, an upload progress
//! callback.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::RetryPolicy;
use crate::body::{ProgressCallback, UploadProgress};

/// Options of one call, held by every operation builder.
///
/// `Debug` shows the names of the extra headers, never their values.
#[derive(Clone, Default)]
pub struct CallOptions {
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    // Boxed: a call that keeps the client's policy carries one pointer, not the policy.
    retry: Option<Box<RetryPolicy>>,
    upload_progress: Option<ProgressCallback>,
}

impl CallOptions {
    /// Adds a header to the request, replacing one of the same name set
    /// earlier. Checked when the call is sent: an invalid name or value, or
    /// a header the client manages (the subscription key, `Content-Length`,
    /// `Transfer-Encoding`, `Host`), fails the call before anything is sent.
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// The timeout of each attempt of this call, instead of the client's.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// The deadline of this whole call, retries and waits included, instead
    /// of the client's (see
    /// [`FaceClientBuilder::deadline`](crate::FaceClientBuilder::deadline)).
    /// A zero deadline fails the call before anything is sent.
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = Some(deadline);
    }

    /// The retry policy of this call, instead of the client's
    /// ([`RetryPolicy::none()`] sends it once).
    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.retry = Some(Box::new(policy));
    }

    /// Called as the request body is handed to the connection, chunk by chunk.
    pub fn set_upload_progress(
        &mut self,
        callback: impl Fn(UploadProgress) + Send + Sync + 'static,
    ) {
        self.upload_progress = Some(Arc::new(callback));
    }

    /// The extra headers, in the order they were set.
    pub(crate) fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The per-call timeout, if any.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The per-call deadline, if any.
    pub(crate) fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The per-call retry policy, if any.
    pub(crate) fn retry(&self) -> Option<&RetryPolicy> {
        self.retry.as_deref()
    }

    /// The progress callback, if any.
    pub(crate) fn upload_progress(&self) -> Option<&ProgressCallback> {
        self.upload_progress.as_ref()
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("upload_progress", &self.upload_progress.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_without_its_own_retry_policy_carries_one_pointer_for_it() {
        let options = CallOptions::default();
        assert_eq!(size_of_val(&options.retry), size_of::<usize>());
        assert!(options.retry.is_none());
    }

    #[test]
    fn debug_shows_header_names_only() {
        let mut options = CallOptions::default();
        options.set_header("X-Trace", "value-that-must-not-show");
        options.set_timeout(Duration::from_secs(2));
        options.set_deadline(Duration::from_secs(9));
        options.set_upload_progress(|_| {});
        assert_eq!(options.retry(), None);
        options.set_retry(RetryPolicy::none());
        let text = format!("{options:?}");
        assert!(text.contains("X-Trace"));
        assert!(!text.contains("must-not-show"));
        assert_eq!(options.timeout(), Some(Duration::from_secs(2)));
        assert_eq!(options.deadline(), Some(Duration::from_secs(9)));
        assert!(options.upload_progress().is_some());
        assert_eq!(options.retry(), Some(&RetryPolicy::none()));
        assert_eq!(options.headers().len(), 1);
    }
}
