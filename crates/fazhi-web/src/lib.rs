//! The three faces of fazhi (DESIGN §7): the staff UI at `/app`, the public portal at `/`, and
//! the JSON API at `/api/v1`, plus `/healthz` and `/readyz`.
//!
//! Every request passes the context middleware (`ctx`): it resolves the session or API key,
//! checks CSRF on every state-changing request, and renders errors for the face asked.

pub mod advisor;
pub mod api;
pub mod application;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod capability;
pub mod case;
pub mod certificate;
pub mod charts;
pub mod ctx;
pub mod decision;
pub mod disclosure;
pub mod discretion;
pub mod error;
pub mod form;
pub mod i18n;
pub mod kept;
pub mod law;
pub mod layout;
pub mod limits;
pub mod litigation;
pub mod normative;
pub mod org;
pub mod portal;
pub mod power;
pub mod procedure;
pub mod reconsideration;
pub mod search;
pub mod security;
pub mod work;

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use fazhi_domain::calendar::Calendar;
use fazhi_domain::procedure::Registry;
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError};

pub use error::AppError;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Served to browsers over HTTPS (by a proxy in front): cookies are `Secure` whatever
    /// `secure_cookies` says, and every response carries HSTS.
    pub behind_https: bool,
    /// The header in which the proxy in front passes the client's address (`X-Forwarded-For`,
    /// `X-Real-IP`); unset, the connection's peer is the client. Only set it behind a proxy that
    /// writes the header, or anyone could name their own address.
    pub client_address_header: Option<String>,
    /// What the portal accepts from people who are not signed in.
    pub limits: security::SubmissionLimits,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Working days before a due date that count as "due soon" (default 3).
    pub due_soon_working_days: u32,
    /// Where files (materials, evidence) are stored by content.
    pub files_dir: std::path::PathBuf,
    /// How many pieces of database work run at once; the others wait their turn in order.
    pub database_concurrency: usize,
    /// Where this instance keeps its search index (`<data dir>/search`); none: in memory,
    /// rebuilt at every start.
    pub search_dir: Option<std::path::PathBuf>,
    /// How long sessions last without use and at most.
    pub sessions: fazhi_store::auth::SessionPolicy,
}

/// The default number of pieces of database work at once: three per core, at least four.
/// Unlimited, 32 requests at once on two cores ran 32 database sessions and their threads side
/// by side and the slowest requests took several times the median (BENCHMARKS.md, issue 5).
pub fn default_database_concurrency() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .saturating_mul(3)
        .max(4)
}

impl Settings {
    /// Whether cookies are marked `Secure`: configured so, or behind HTTPS.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.behind_https
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            behind_https: false,
            client_address_header: None,
            limits: security::SubmissionLimits::default(),
            body_limit: 1024 * 1024,
            due_soon_working_days: 3,
            files_dir: std::path::PathBuf::from("fazhi-data/files"),
            database_concurrency: default_database_concurrency(),
            search_dir: None,
            sessions: fazhi_store::auth::SessionPolicy::default(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// The working-day calendar, replaced whole when a notice is loaded.
    pub calendar: Arc<RwLock<Arc<Calendar>>>,
    /// The procedures (every version records run under).
    pub procedures: Arc<Registry>,
    /// The local rules of the penalty procedure (`data/enforcement/rules.toml`).
    pub rules: Arc<fazhi_domain::enforcement::case::Rules>,
    /// The local rules of normative documents (`data/normative/rules.toml`).
    pub normative_rules: Arc<fazhi_domain::normative::Rules>,
    /// The local rules of major decisions (`data/decision/rules.toml`).
    pub decision_rules: Arc<fazhi_domain::decision::Rules>,
    /// Admits store work in order, `Settings::database_concurrency` at a time.
    pub db_gate: Arc<tokio::sync::Semaphore>,
    /// How many records wait for each person (the badge of 我的工作), kept a short while.
    pub waiting: work::WaitingCounts,
    /// The portal's submissions counted by address (`Settings::limits`).
    pub submissions: Arc<security::SubmissionGate>,
    /// This instance's search index, fed from the outbox.
    pub search: Arc<search::Indexer>,
}

static CLOCK_OFFSET_DAYS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Moves this instance's calendar day by `days` (configuration `clock_offset_days`): only for
/// training and acceptance-test instances, so that a hearing seven working days away can be
/// held in a browser test. Production instances leave it at 0; a non-zero value is logged.
pub fn set_clock_offset_days(days: i64) {
    CLOCK_OFFSET_DAYS.store(days, std::sync::atomic::Ordering::Relaxed);
}

/// Today in Beijing (UTC+8), the day every time limit counts from.
pub fn today() -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let d = time::OffsetDateTime::now_utc().to_offset(offset).date();
    let shift = CLOCK_OFFSET_DAYS.load(std::sync::atomic::Ordering::Relaxed);
    d.checked_add(time::Duration::days(shift)).unwrap_or(d)
}

impl AppState {
    /// The state of an instance: reads the calendar from the database and brings the search
    /// index up to date (rebuilt if it is empty or older than the outbox).
    pub fn new(
        store: Arc<Store>,
        settings: Settings,
        procedures: Registry,
    ) -> Result<Self, StoreError> {
        let missing = capability::check_forms(&procedures);
        if !missing.is_empty() {
            return Err(StoreError::Refused(fazhi_domain::Refusal::new(
                "procedure.form_missing",
                missing.join("\n"),
            )));
        }
        let cal = store.read(fazhi_store::calendar::load)?;
        let decision_rules = fazhi_domain::decision::Rules::shipped()
            .map_err(|e| StoreError::Refused(fazhi_domain::Refusal::new("decision.rules", e)))?;
        let gate = tokio::sync::Semaphore::new(settings.database_concurrency.max(1));
        let search = search::Indexer::open(store.clone(), settings.search_dir.as_deref())?;
        Ok(Self {
            store,
            settings: Arc::new(settings),
            calendar: Arc::new(RwLock::new(Arc::new(cal))),
            procedures: Arc::new(procedures),
            rules: Arc::new(fazhi_domain::enforcement::case::Rules::shipped()),
            normative_rules: Arc::new(
                fazhi_domain::normative::Rules::shipped().map_err(StoreError::Db)?,
            ),
            decision_rules: Arc::new(decision_rules),
            db_gate: Arc::new(gate),
            waiting: work::WaitingCounts::default(),
            submissions: Arc::new(security::SubmissionGate::default()),
            search,
        })
    }

    /// The same state with other local rules (read from a rules file).
    #[must_use]
    pub fn with_rules(mut self, rules: fazhi_domain::enforcement::case::Rules) -> Self {
        self.rules = Arc::new(rules);
        self
    }

    /// The same state with other local rules of normative documents (read from a rules file).
    #[must_use]
    pub fn with_normative_rules(mut self, rules: fazhi_domain::normative::Rules) -> Self {
        self.normative_rules = Arc::new(rules);
        self
    }

    /// The same state with other local rules of major decisions (read from a rules file).
    #[must_use]
    pub fn with_decision_rules(mut self, rules: fazhi_domain::decision::Rules) -> Self {
        self.decision_rules = Arc::new(rules);
        self
    }

    /// The calendar as it is now.
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar
            .read()
            .map_or_else(|p| p.into_inner().clone(), |c| c.clone())
    }

    /// Rereads the calendar after a notice changed.
    pub fn reload_calendar(&self, cal: Calendar) {
        if let Ok(mut c) = self.calendar.write() {
            *c = Arc::new(cal);
        }
    }

    /// Runs `f` with the calendar, today and the warning period, on the blocking pool.
    pub async fn with_clock<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store, Clock<'_>, &Registry) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AppError> {
        let cal = self.calendar();
        let reg = self.procedures.clone();
        let warn = self.settings.due_soon_working_days;
        self.db(move |s| {
            f(
                s,
                Clock {
                    cal: &cal,
                    today: today(),
                    warn,
                },
                &reg,
            )
        })
        .await
    }

    /// Runs blocking store work on the blocking pool.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.store.clone();
        // Held by the work itself: a request given up while its work runs still counts.
        let permit = self
            .db_gate
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(format!("database gate: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(&store)
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task: {e}")))?
        .map_err(AppError::from)
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.db(|s| s.is_migrated()).await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.js"),
    )
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Serves the application on `listener` until the future is dropped or the server fails, with
/// each connection's peer address known to the handlers (the portal's limits count by it).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limit = state.settings.body_limit;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/app.css", get(stylesheet))
        .route("/static/app.js", get(script))
        .merge(capability::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
