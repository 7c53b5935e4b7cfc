//! The instance's index and how it follows the outbox: rebuilt from the database when it is
//! empty or older than the outbox's first row, then fed with the rows after its position —
//! every second by a background task, and before each search (so that a search sees every
//! write committed before it).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use fazhi_domain::search::{Kind, Query};
use fazhi_search::{Results, SearchIndex};
use fazhi_store::{Store, StoreError, search};

/// How many outbox rows or records are read at a time.
const BATCH: i64 = 500;
/// How long after it was written a row is looked at again: on PostgreSQL a transaction that
/// took a smaller id may commit after a larger one has been read.
const LATE_MS: i64 = 60_000;
/// How long outbox rows are kept (an instance stopped longer rebuilds its index).
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// Where the index stands.
#[derive(Default)]
struct Progress {
    /// The last outbox row applied.
    position: i64,
    /// Rows applied within the last `LATE_MS`, by id (with their time).
    recent: BTreeMap<i64, i64>,
}

/// The index of this instance, fed from the outbox.
pub struct Indexer {
    index: SearchIndex,
    store: Arc<Store>,
    progress: Mutex<Progress>,
}

fn index_error(e: fazhi_search::Error) -> StoreError {
    StoreError::Db(e.to_string())
}

impl Indexer {
    /// Opens the index in `dir` (in memory if none, or if another process holds the directory)
    /// and brings it up to date: rebuilt if it is empty or older than the outbox.
    pub fn open(store: Arc<Store>, dir: Option<&Path>) -> Result<Arc<Self>, StoreError> {
        let index = match dir {
            Some(d) => SearchIndex::open(d).or_else(|e| {
                tracing::warn!(error = %e, dir = %d.display(), "search index not opened; kept in memory");
                SearchIndex::in_ram()
            }),
            None => SearchIndex::in_ram(),
        }
        .map_err(index_error)?;
        let position = index.position().map_err(index_error)?;
        let me = Arc::new(Self {
            index,
            store,
            progress: Mutex::new(Progress {
                position: position.unwrap_or(0),
                recent: BTreeMap::new(),
            }),
        });
        let (first, last) = me.store.read(search::bounds)?;
        let stale = match position {
            None => true,
            Some(p) => p > last.unwrap_or(0) || first.is_some_and(|f| p < f - 1),
        };
        if stale {
            me.rebuild()?;
        } else {
            me.apply_now()?;
        }
        Ok(me)
    }

    /// Rebuilds the index in `dir` (the server of this data directory stopped: it holds the
    /// index while it runs); returns how many documents it holds.
    pub fn rebuild_in(store: Arc<Store>, dir: &Path) -> Result<u64, StoreError> {
        let index = SearchIndex::open(dir).map_err(|e| {
            StoreError::Refused(fazhi_domain::Refusal::new(
                "search.index_busy",
                format!(
                    "无法打开检索索引（{}），请先停止使用该数据目录的服务：{e}",
                    dir.display()
                ),
            ))
        })?;
        let me = Self {
            index,
            store,
            progress: Mutex::new(Progress::default()),
        };
        me.rebuild()
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reads every searchable record again; returns how many documents the index holds.
    pub fn rebuild(&self) -> Result<u64, StoreError> {
        let mut progress = self.progress();
        // Read first: rows written during the rebuild are applied after it.
        let (_, last) = self.store.read(search::bounds)?;
        let kinds = self.store.read(search::all_keys_for_rebuild)?;
        self.index.clear().map_err(index_error)?;
        for (kind, ids) in kinds {
            for chunk in ids.chunks(usize::try_from(BATCH).unwrap_or(500)) {
                let docs = self.store.read(|tx| search::documents(tx, kind, chunk))?;
                let docs: Vec<_> = docs.into_iter().filter_map(|(_, d)| d).collect();
                self.index.upsert(&docs).map_err(index_error)?;
            }
        }
        let position = last.unwrap_or(0);
        self.index.commit(position).map_err(index_error)?;
        *progress = Progress {
            position,
            recent: BTreeMap::new(),
        };
        tracing::info!(
            documents = self.index.len(),
            position,
            "search index rebuilt"
        );
        Ok(self.index.len())
    }

    /// Applies the outbox rows after the index's position (and, with `late`, the recent rows
    /// not applied yet); returns how many rows were applied.
    fn apply(&self, late: bool) -> Result<usize, StoreError> {
        let mut progress = self.progress();
        let mut applied = 0;
        loop {
            let position = progress.position;
            let now = fazhi_store::now_ms();
            let (mut rows, missed) = self.store.read(|tx| {
                let rows = search::pending(tx, position, BATCH)?;
                let missed = if late {
                    search::late(tx, position, now - LATE_MS)?
                } else {
                    Vec::new()
                };
                Ok((rows, missed))
            })?;
            let full = i64::try_from(rows.len()).unwrap_or(0) == BATCH;
            rows.extend(
                missed
                    .into_iter()
                    .filter(|c| !progress.recent.contains_key(&c.id)),
            );
            if rows.is_empty() {
                break;
            }
            let mut by_kind: BTreeMap<Kind, Vec<i64>> = BTreeMap::new();
            for c in &rows {
                let ids = by_kind.entry(c.kind).or_default();
                if !ids.contains(&c.record_id) {
                    ids.push(c.record_id);
                }
            }
            for (kind, ids) in by_kind {
                let docs = self.store.read(|tx| search::documents(tx, kind, &ids))?;
                let mut upserts = Vec::new();
                for (key, doc) in docs {
                    match doc {
                        Some(d) => upserts.push(d),
                        None => self.index.delete(&key),
                    }
                }
                self.index.upsert(&upserts).map_err(index_error)?;
            }
            let top = rows.iter().map(|c| c.id).max().unwrap_or(position);
            let position = position.max(top);
            self.index.commit(position).map_err(index_error)?;
            progress.position = position;
            for c in &rows {
                progress.recent.insert(c.id, c.at_ms);
            }
            progress.recent.retain(|_, at| *at >= now - LATE_MS);
            applied += rows.len();
            if !full {
                break;
            }
        }
        Ok(applied)
    }

    /// Applies every outbox row written so far (what each search does first); returns how
    /// many rows were applied.
    pub fn apply_now(&self) -> Result<usize, StoreError> {
        self.apply(false)
    }

    /// One round of the background task: the new rows and the late ones.
    pub fn follow(&self) -> Result<usize, StoreError> {
        self.apply(true)
    }

    /// The outbox position the index has reached.
    pub fn position(&self) -> i64 {
        self.progress().position
    }

    /// Catches up with the outbox, then finds the cases in `scope` by party or number (see
    /// `SearchIndex::party_or_number`).
    pub fn party_or_number(
        &self,
        text: &str,
        scope: &fazhi_domain::search::Scope,
        max: usize,
    ) -> Result<Option<Vec<String>>, StoreError> {
        self.apply_now()?;
        self.index
            .party_or_number(text, Kind::Case, scope, max)
            .map_err(index_error)
    }

    /// Catches up with the outbox, then answers `q`.
    pub fn search(&self, q: &Query, today: time::Date) -> Result<Results, StoreError> {
        self.apply_now()?;
        self.index.search(q, today).map_err(index_error)
    }
}

/// Follows the outbox every second and prunes rows older than `KEEP_MS` once an hour.
pub fn spawn(state: &crate::AppState) {
    let indexer = state.search.clone();
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut round: u64 = 0;
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            let (i, s) = (indexer.clone(), store.clone());
            let prune = round.is_multiple_of(3600);
            round += 1;
            let r = tokio::task::spawn_blocking(move || {
                if prune {
                    let before = fazhi_store::now_ms() - KEEP_MS;
                    s.write(|tx| search::prune(tx, before))?;
                }
                i.follow()
            })
            .await;
            match r {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "search index update failed"),
                Err(e) => tracing::error!(error = %e, "search index task failed"),
            }
        }
    });
}
