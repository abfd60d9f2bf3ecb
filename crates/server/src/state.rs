use chatd_store::EventStore;
use std::sync::Arc;

/// What every handler shares.
pub struct AppState {
    pub store: Arc<dyn EventStore>,
}
