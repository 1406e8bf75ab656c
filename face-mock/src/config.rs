//! How an emulator is set up: accepted key, clock, training pace, initial state.

use std::time::Duration;

use crate::clock::Clock;
use crate::state::seed::Seed;

/// The key accepted when none is configured.
pub const DEFAULT_KEY: &str = "mock-key";

/// The bearer token accepted when none is configured.
pub const DEFAULT_TOKEN: &str = "mock-token";

/// Which `Authorization: Bearer <token>` tokens are accepted (a request with
/// the subscription key header is judged by the key alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerTokens {
    /// Any non-empty token, e.g. whatever a credential library fetched.
    Any,
    /// Only these tokens (none: bearer tokens are refused).
    Listed(Vec<String>),
}

impl BearerTokens {
    /// Whether `token` is accepted.
    pub fn accepts(&self, token: &str) -> bool {
        match self {
            Self::Any => !token.is_empty(),
            Self::Listed(tokens) => tokens.iter().any(|known| known == token),
        }
    }
}

/// How long a connection may take to send its headers when none is configured.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// The settings of one emulator instance. Build it with [`MockConfig::new`]
/// (or `Default`) and the `with_*` methods.
#[derive(Debug, Clone)]
#[must_use = "the setters return the changed configuration"]
pub struct MockConfig {
    /// The `Ocp-Apim-Subscription-Key` accepted; any other is answered with 401.
    pub key: String,
    /// The time source, e.g. [`Clock::manual`] to expire face ids without sleeping.
    pub clock: Clock,
    /// How many status reads report a training (or operation) as unfinished
    /// (`notstarted`, then `running`) before it reports `succeeded`. 0 makes
    /// training finish at once.
    pub training_polls: u32,
    /// Seeds the generated ids (face, person, persisted face, snapshot, operation ids).
    pub id_seed: u64,
    /// State to start with.
    pub seed: Option<Seed>,
    /// How long a connection may take to send the headers of a request (also
    /// how long an idle keep-alive connection is kept); then it is closed.
    pub header_timeout: Duration,
    /// The bearer tokens accepted besides the key; by default [`DEFAULT_TOKEN`] only.
    pub bearer_tokens: BearerTokens,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            key: DEFAULT_KEY.to_string(),
            clock: Clock::system(),
            training_polls: 2,
            id_seed: 0x00FA_CE00_5EED,
            seed: None,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            bearer_tokens: BearerTokens::Listed(vec![DEFAULT_TOKEN.to_string()]),
        }
    }
}

impl MockConfig {
    /// The default settings: key `mock-key`, bearer token `mock-token`, system
    /// clock, two unfinished training reads, a 30 s header timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts `key` instead of the default.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    /// Uses `clock` as the time source.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Sets how many status reads a training stays unfinished.
    pub fn with_training_polls(mut self, polls: u32) -> Self {
        self.training_polls = polls;
        self
    }

    /// Seeds generated ids.
    pub fn with_id_seed(mut self, seed: u64) -> Self {
        self.id_seed = seed;
        self
    }

    /// Starts with the given state.
    pub fn with_seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Closes connections that take longer than `timeout` to send a request's headers.
    pub fn with_header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// Accepts these bearer tokens (and no others) besides the key.
    pub fn with_bearer_tokens<T: Into<String>>(
        mut self,
        tokens: impl IntoIterator<Item = T>,
    ) -> Self {
        self.bearer_tokens = BearerTokens::Listed(tokens.into_iter().map(Into::into).collect());
        self
    }

    /// Accepts any non-empty bearer token besides the key.
    pub fn with_any_bearer_token(mut self) -> Self {
        self.bearer_tokens = BearerTokens::Any;
        self
    }
}
