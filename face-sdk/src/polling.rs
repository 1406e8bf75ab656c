//! How long and how often the client waits for background work (training, snapshots).

use std::time::Duration;

/// How the `send_and_wait` methods poll the status of the work they start.
///
/// ```
/// use std::time::Duration;
/// use face_sdk::Polling;
///
/// let polling = Polling::default().timeout(Duration::from_secs(120)).first_interval(Duration::from_millis(500));
/// # let _ = polling;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "the setters return the changed settings"]
pub struct Polling {
    pub(crate) timeout: Duration,
    pub(crate) first_interval: Duration,
    pub(crate) longest_interval: Duration,
}

impl Default for Polling {
    /// Up to 10 minutes, reading the status after 1 s, then 2 s, 4 s… up to every 30 s.
    fn default() -> Self {
        Polling {
            timeout: Duration::from_mins(10),
            first_interval: Duration::from_secs(1),
            longest_interval: Duration::from_secs(30),
        }
    }
}

impl Polling {
    /// How long to wait in all before giving up with [`Error::WaitTimeout`](crate::Error::WaitTimeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The interval before the second status reading; it doubles after each reading.
    pub fn first_interval(mut self, interval: Duration) -> Self {
        self.first_interval = interval;
        self
    }

    /// The longest interval between two readings.
    pub fn longest_interval(mut self, interval: Duration) -> Self {
        self.longest_interval = interval;
        self
    }
}
