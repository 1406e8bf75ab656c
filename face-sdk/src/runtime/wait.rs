//! Waiting for background work that an operation started, by polling its status.

use std::future::Future;
use std::str::FromStr;

use crate::{Error, Polling, Response};

/// What one status reading says about the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Not finished yet: read the status again later.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished in failure, with the state and the service's explanation.
    Failed(String),
}

/// Reads the status with `poll` until `progress` says the work is over or `polling` runs out.
///
/// Readings are spaced by an interval that starts at the policy's first interval and doubles
/// up to its longest. A reading that fails with an error is returned as it is.
pub async fn wait_for<T, F, Fut>(
    polling: Polling,
    mut poll: F,
    progress: impl Fn(&T) -> Progress,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = tokio::time::Instant::now();
    let mut interval = polling.first_interval;
    loop {
        let status = poll().await?;
        match progress(&status) {
            Progress::Succeeded => return Ok(status),
            Progress::Failed(message) => return Err(Error::OperationFailed { message }),
            Progress::Running => {}
        }
        let elapsed = started.elapsed();
        if elapsed + interval > polling.timeout {
            return Err(Error::WaitTimeout { after: elapsed });
        }
        tracing::debug!(target: "face_sdk", ?interval, "the operation is still running");
        tokio::time::sleep(interval).await;
        interval = (interval * 2).min(polling.longest_interval);
    }
}

/// The id at the end of the URL in a response header, such as the operation id in
/// `Operation-Location: https://…/face/v1.0/operations/{id}`.
pub fn location_id<T: FromStr, B>(response: &Response<B>, header: &str) -> Result<T, Error> {
    let value = response
        .headers()
        .get(header)
        .and_then(|value| value.to_str().ok());
    let segment = value
        .and_then(|value| value.split(['?', '#']).next())
        .and_then(|url| url.trim_end_matches('/').rsplit('/').next());
    segment
        .and_then(|segment| segment.parse().ok())
        .ok_or_else(|| Error::Decode {
            status: response.status(),
            message: format!("the `{header}` header does not end with an id"),
            excerpt: value.unwrap_or_default().chars().take(200).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::Duration;

    fn readings(
        states: &'static [&'static str],
    ) -> impl FnMut() -> std::future::Ready<Result<&'static str, Error>> {
        let mut index = 0;
        move || {
            let state = states[index.min(states.len() - 1)];
            index += 1;
            std::future::ready(Ok(state))
        }
    }

    fn progress(state: &&str) -> Progress {
        match *state {
            "succeeded" => Progress::Succeeded,
            "failed" => Progress::Failed("failed: no faces".to_owned()),
            _ => Progress::Running,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn polls_until_the_work_succeeds() {
        let reads = Cell::new(0);
        let mut poll = readings(&["notstarted", "running", "succeeded"]);
        let result = wait_for(
            Polling::default(),
            || {
                reads.set(reads.get() + 1);
                poll()
            },
            progress,
        )
        .await;
        assert_eq!(result.ok(), Some("succeeded"));
        assert_eq!(reads.get(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_carries_the_message() {
        let result = wait_for(
            Polling::default(),
            readings(&["running", "failed"]),
            progress,
        )
        .await;
        assert!(
            matches!(result, Err(Error::OperationFailed { message }) if message == "failed: no faces")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_when_the_wait_runs_out() {
        let polling = Polling::default().timeout(Duration::from_secs(5));
        let result = wait_for(polling, readings(&["running"]), progress).await;
        assert!(
            matches!(result, Err(Error::WaitTimeout { after }) if after <= Duration::from_secs(5))
        );
    }
}
