//! An injectable clock, so tests can make face ids expire without sleeping.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The time source of the emulator: the system clock, or a manual clock that
/// only moves when a test advances it. Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<SystemTime>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { manual: None }
    }

    /// A manual clock that starts at `start` and moves only by [`Clock::advance`].
    pub fn manual(start: SystemTime) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.manual {
            Some(time) => *time
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            None => SystemTime::now(),
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(time) = &self.manual {
            let mut time = time
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *time = time.checked_add(by).unwrap_or(*time);
        }
    }

    /// The current time as an RFC 3339 date-time in UTC.
    pub fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }
}

/// Formats a time as an RFC 3339 date-time in UTC, e.g. `2024-01-02T03:04:05.000Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let time: chrono::DateTime<chrono::Utc> = time.into();
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.clone().advance(Duration::from_secs(61));
        assert_eq!(clock.now(), start + Duration::from_secs(61));
        assert_eq!(clock.now_rfc3339(), "2023-11-14T22:14:21.000Z");
    }
}
