//! Replay protection: assertion IDs are remembered until they expire and AuthnRequest IDs are
//! consumed once. Hosts running several processes plug a shared store (Redis, a database)
//! behind [`ReplayStore`].

use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// Remembers keys until they expire. Implementations must be atomic: two concurrent calls with
/// the same key may not both return `true`. A validation asks for its assertion ID first and for
/// its AuthnRequest ID only when the first was fresh, so per-key atomicity is all it needs.
pub trait ReplayStore: Send + Sync {
    /// Records `key` until `expires_at`. Returns `Ok(true)` if it was not already recorded (or
    /// had expired by `now`), `Ok(false)` if it was — a replay.
    fn insert_once(&self, key: &str, expires_at: UtcTime, now: UtcTime) -> Result<bool>;
}

/// A bounded in-memory store for a single process.
///
/// When full it first drops expired entries; if it is still full it refuses new logins
/// (`limit_exceeded`) rather than forget unexpired IDs, which would reopen replays.
pub struct InMemoryReplayStore {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    expiry: HashMap<String, UtcTime>,
    by_time: BTreeSet<(UtcTime, String)>,
}

impl Inner {
    fn purge(&mut self, now: UtcTime) {
        while let Some((t, key)) = self.by_time.first().cloned() {
            if t > now {
                break;
            }
            self.by_time.pop_first();
            self.expiry.remove(&key);
        }
    }
}

impl InMemoryReplayStore {
    /// The default capacity: a million IDs (about 100 MB at worst).
    pub const DEFAULT_CAPACITY: usize = 1_000_000;

    /// A store holding at most `capacity` unexpired IDs.
    pub fn new(capacity: usize) -> Self {
        InMemoryReplayStore {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// How many IDs are remembered (expired ones included until the next purge).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|i| i.expiry.len()).unwrap_or(0)
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for InMemoryReplayStore {
    fn default() -> Self {
        InMemoryReplayStore::new(Self::DEFAULT_CAPACITY)
    }
}

impl ReplayStore for InMemoryReplayStore {
    fn insert_once(&self, key: &str, expires_at: UtcTime, now: UtcTime) -> Result<bool> {
        // A poisoned lock only means another thread panicked mid-insert; the maps stay usable.
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&t) = inner.expiry.get(key) {
            if t > now {
                return Ok(false);
            }
            inner.by_time.remove(&(t, key.to_owned()));
            inner.expiry.remove(key);
        }
        if inner.expiry.len() >= self.capacity {
            inner.purge(now);
            if inner.expiry.len() >= self.capacity {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    "the replay cache is full of unexpired IDs; refusing new logins rather than forgetting them",
                )
                .with("capacity", self.capacity));
            }
        }
        inner.expiry.insert(key.to_owned(), expires_at);
        inner.by_time.insert((expires_at, key.to_owned()));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> UtcTime {
        UtcTime::from_unix_millis(s * 1000)
    }

    #[test]
    fn once_until_expiry() {
        let s = InMemoryReplayStore::new(10);
        assert!(s.insert_once("a", t(100), t(0)).unwrap());
        assert!(!s.insert_once("a", t(100), t(50)).unwrap());
        assert!(
            s.insert_once("a", t(200), t(100)).unwrap(),
            "expired entries may be reused"
        );
        assert!(!s.insert_once("a", t(300), t(150)).unwrap());
    }

    #[test]
    fn full_store_purges_then_refuses() {
        let s = InMemoryReplayStore::new(2);
        assert!(s.insert_once("a", t(10), t(0)).unwrap());
        assert!(s.insert_once("b", t(100), t(0)).unwrap());
        assert!(
            s.insert_once("c", t(100), t(20)).unwrap(),
            "a expired and was purged"
        );
        let e = s.insert_once("d", t(100), t(20)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LimitExceeded);
        assert!(
            !s.insert_once("b", t(100), t(20)).unwrap(),
            "never forgets unexpired IDs"
        );
    }

    #[test]
    fn concurrent_inserts_admit_one() {
        let s = std::sync::Arc::new(InMemoryReplayStore::default());
        let wins: usize = (0..8)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || usize::from(s.insert_once("x", t(100), t(0)).unwrap()))
            })
            .map(|h| h.join().unwrap())
            .sum();
        assert_eq!(wins, 1);
    }
}
