//! The shared state of one emulator: settings, the spec, clock and store.

use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

use crate::clock::Clock;
use crate::config::{BearerTokens, MockConfig};
use crate::http::faults::Faults;
use crate::rules::Rules;
use crate::state::store::Store;
use crate::synth::features::fnv1a;

/// The body limit when the spec allows no binary body that large (JSON bodies are far smaller).
const SMALLEST_BODY_LIMIT: usize = 1 << 20;

/// Everything a handler needs; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct App(Arc<AppInner>);

#[derive(Debug)]
pub(crate) struct AppInner {
    pub key: String,
    pub account: Uuid,
    /// The service versions served, each under its base path: v1.0, then each version of the
    /// v1.2 family (v1.2, v1.3-preview.1), all over the one store.
    pub specs: Vec<Arc<Rules>>,
    pub clock: Clock,
    pub training_polls: u32,
    /// The largest body read: one byte more than the largest binary body the
    /// spec allows (or than 1 MiB, when that is more).
    pub body_limit: usize,
    /// The faults set by a test.
    pub faults: Faults,
    /// Accepted bearer tokens.
    pub tokens: BearerTokens,
    store: Mutex<Store>,
}

impl App {
    /// Builds the state from a configuration, applying its seed.
    pub fn new(config: &MockConfig) -> Result<Self, crate::StartError> {
        let specs: Vec<Arc<Rules>> = Rules::served()
            .map_err(|error| crate::StartError::Spec(error.to_string()))?
            .into_iter()
            .map(Arc::new)
            .collect();
        let mut store = Store::new(config.id_seed);
        let now = config.clock.now_rfc3339();
        if let Some(seed) = &config.seed {
            // The first rules served are v1.0's, which seeds are described in.
            seed.apply(&mut store, &now, &specs[0])
                .map_err(crate::StartError::Seed)?;
        }
        let account = uuid::Builder::from_random_bytes(
            ((u128::from(fnv1a(config.key.as_bytes())) << 64) | 0x5EED).to_be_bytes(),
        )
        .into_uuid();
        Ok(Self(Arc::new(AppInner {
            key: config.key.clone(),
            account,
            body_limit: specs
                .iter()
                .map(|spec| spec.largest_binary_body())
                .fold(SMALLEST_BODY_LIMIT, usize::max)
                .saturating_add(1),
            specs,
            clock: config.clock.clone(),
            training_polls: config.training_polls,
            faults: Faults::default(),
            tokens: config.bearer_tokens.clone(),
            store: Mutex::new(store),
        })))
    }

    /// Every `operationId` of the specs served.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.specs
            .iter()
            .flat_map(|spec| spec.operation_ids())
            .collect()
    }

    /// The store, locked; a poisoned lock is taken over (no handler panics by design).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.0
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::ops::Deref for App {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}
