//! Session lookups, gathered into one query.
//!
//! Every page request reads its session, its user and its organisation's revision
//! ([`Store::session_user`]): the revision decides whether the cached read model may answer,
//! so it cannot be cached itself. Under load many requests wait for that read at the same
//! time, and on SQLite each query is a hand-off to the connection's worker thread and back,
//! which cost more than the query. So the requests that arrive while a lookup runs wait
//! together, and the next lookup reads all their sessions in one query.
//!
//! A gathered answer is never older than its request: a request joins only a lookup that has
//! not started, so the query that answers it runs after the request arrived and sees every
//! change committed before that. With one request at a time, each lookup holds one session and
//! costs what it did before.
//!
//! On SQLite in WAL mode an answer is also kept, with the mark of the WAL index read before its
//! query ([`crate::wal_index`]). While the index shows that same mark, nothing was committed
//! since, by this process or another, so the kept answer is still what the query would give
//! and the request needs no query at all. Any commit (a logout, a change to an account or to
//! any organisation's data, the session's own extension) changes the mark.

use crate::Result;
use crate::accounts::SessionUser;
use crate::connection::Store;
use crate::wal_index::{ChangeMark, WalIndex};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::oneshot;

/// At most this many sessions are read in one query.
const MAX_GATHERED: usize = 64;

/// At most this many answers are kept; beyond it they are all dropped.
const MAX_KEPT: usize = 4096;

/// Requests waiting for the next lookup, whether a task is running the lookups, and the
/// answers kept on SQLite.
#[derive(Default, Debug)]
pub(crate) struct SessionLookups {
    state: Mutex<Pending>,
    pub(crate) wal_index: Option<WalIndex>,
    /// Valid sessions by token hash, with the mark read before the query that found them.
    kept: Mutex<HashMap<String, (ChangeMark, SessionUser)>>,
}

#[derive(Default, Debug)]
struct Pending {
    waiting: Vec<Waiter>,
    running: bool,
}

#[derive(Debug)]
struct Waiter {
    token_hash: String,
    now: i64,
    /// `None` when the gathered query failed: the request then asks on its own, so that it
    /// gets its own error.
    answer: oneshot::Sender<Option<Option<SessionUser>>>,
}

impl SessionLookups {
    pub(crate) fn new(wal_index: Option<WalIndex>) -> Self {
        Self {
            wal_index,
            ..Self::default()
        }
    }

    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn kept(&self) -> MutexGuard<'_, HashMap<String, (ChangeMark, SessionUser)>> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The kept answer for `token_hash`, if nothing was committed since its query.
    fn unchanged(&self, token_hash: &str, mark: &ChangeMark) -> Option<SessionUser> {
        let kept = self.kept();
        let (kept_mark, user) = kept.get(token_hash)?;
        (kept_mark == mark).then(|| user.clone())
    }

    fn keep(&self, token_hash: &str, mark: ChangeMark, user: &SessionUser) {
        let mut kept = self.kept();
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(token_hash.to_string(), (mark, user.clone()));
    }
}

impl Store {
    /// The active user behind a session token hash, if the session is still valid at `now`,
    /// with the session's start and end and the user's organisation. Kept while nothing
    /// changes, or gathered with the lookups of other requests waiting at the same time (see
    /// the module documentation).
    pub async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>> {
        let lookups = &self.session_lookups;
        // Read before the query, so that a commit during the query makes the kept answer miss.
        let mark = lookups.wal_index.as_ref().and_then(WalIndex::mark);
        if let Some(mark) = &mark
            && let Some(user) = lookups.unchanged(token_hash, mark)
        {
            return Ok(Some(user).filter(|user| user.session_expires_at > now));
        }
        let found = self.look_up_session(token_hash, now).await?;
        if let (Some(mark), Some(user)) = (mark, &found) {
            lookups.keep(token_hash, mark, user);
        }
        Ok(found)
    }

    /// Reads the session in the next gathered lookup.
    async fn look_up_session(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>> {
        let (answer, answered) = oneshot::channel();
        let start = {
            let mut pending = self.session_lookups.pending();
            pending.waiting.push(Waiter {
                token_hash: token_hash.to_string(),
                now,
                answer,
            });
            !std::mem::replace(&mut pending.running, true)
        };
        if start {
            // A task of its own, so that a request that goes away (its client disconnected)
            // cannot take the lookup of the others with it.
            let store = self.clone();
            tokio::spawn(async move { store.run_session_lookups().await });
        }
        match answered.await {
            Ok(Some(found)) => Ok(found),
            // The gathered query failed, or its task ended without answering.
            _ => self.session_users(&[token_hash], now).await.map(|rows| {
                rows.into_iter()
                    .next()
                    .map(|(_, user)| user)
                    .filter(|user| user.session_expires_at > now)
            }),
        }
    }

    /// Runs lookups until no request waits.
    async fn run_session_lookups(&self) {
        let lookups = Arc::clone(&self.session_lookups);
        let mut unfinished = Unfinished(Some(&lookups));
        loop {
            // Let the requests that the worker already has in hand join this lookup first:
            // under load the batches grow, and when idle the lookup starts at once all the same.
            tokio::task::yield_now().await;
            let gathered: Vec<Waiter> = {
                let mut pending = lookups.pending();
                if pending.waiting.is_empty() {
                    pending.running = false;
                    unfinished.0 = None;
                    return;
                }
                let n = pending.waiting.len().min(MAX_GATHERED);
                pending.waiting.drain(..n).collect()
            };
            // Requests of one browser (or of a load test) often share a session.
            let mut hashes: Vec<&str> = gathered.iter().map(|w| w.token_hash.as_str()).collect();
            hashes.sort_unstable();
            hashes.dedup();
            let earliest = gathered.iter().map(|w| w.now).min().unwrap_or_default();
            match self.session_users(&hashes, earliest).await {
                Ok(rows) => {
                    for waiter in gathered {
                        let found = rows
                            .iter()
                            .find(|(hash, _)| *hash == waiter.token_hash)
                            .map(|(_, user)| user)
                            .filter(|user| user.session_expires_at > waiter.now)
                            .cloned();
                        let _ = waiter.answer.send(Some(found));
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "gathered session lookup failed; asking one by one");
                    for waiter in gathered {
                        let _ = waiter.answer.send(None);
                    }
                }
            }
        }
    }
}

/// Set while the lookups run. Should the task end early (a panic, or the runtime shutting
/// down), the requests still waiting are let go to ask on their own, and the next request
/// starts a new task.
struct Unfinished<'a>(Option<&'a SessionLookups>);

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(lookups) = self.0 {
            let mut pending = lookups.pending();
            pending.waiting.clear();
            pending.running = false;
        }
    }
}
