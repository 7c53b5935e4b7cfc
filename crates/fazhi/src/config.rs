//! Configuration: defaults → `fazhi.toml` → `FAZHI_…` environment → command-line flags.

use std::path::PathBuf;

use serde::Deserialize;

/// The settings of one instance.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database, files and the signing key live.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub bind: String,
    /// Mark cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// Served to browsers over HTTPS by a proxy in front: cookies are `Secure` and every
    /// response carries HSTS.
    pub behind_https: bool,
    /// The header in which that proxy passes the client's address (e.g. `X-Forwarded-For`);
    /// unset, the connection's peer is the client.
    pub client_address_header: Option<String>,
    /// Portal submissions (forms posted without signing in) accepted from one address per hour.
    pub portal_submissions_per_address_per_hour: usize,
    /// Of those, per minute (a burst waits even within the hourly share).
    pub portal_submissions_per_address_per_minute: usize,
    /// Portal submissions accepted from all addresses together per minute.
    pub portal_submissions_per_minute: usize,
    /// Megabytes of uploaded materials of applications not yet accepted, above which the portal
    /// takes no more uploads.
    pub portal_pending_upload_mb: u64,
    /// Seconds between signed audit checkpoints (only when the chain moved).
    pub checkpoint_interval_s: u64,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Where the procedure files are.
    pub procedures_dir: PathBuf,
    /// Seconds between sweeps of the time limits (reminders and overdue alerts).
    pub sweep_interval_s: u64,
    /// Working days before a due date that count as "due soon".
    pub due_soon_working_days: u32,
    /// The local rules of the penalty procedure (hearing, review and filing thresholds); the
    /// shipped rules when the file is absent.
    pub enforcement_rules: PathBuf,
    /// The local rules of normative documents (validity periods, document words, filing
    /// authorities); the shipped rules when the file is absent.
    pub normative_rules: PathBuf,
    /// The local rules of major decisions (comment period, legality review time); the shipped
    /// rules when the file is absent.
    pub decision_rules: PathBuf,
    /// Days added to the calendar day: only for training and acceptance-test instances.
    pub clock_offset_days: i64,
    /// How many pieces of database work run at once (default three per core, at least four).
    pub database_concurrency: usize,
    /// Minutes without use after which a staff session ends.
    pub session_idle_minutes: i64,
    /// Hours after sign-in at which a staff session ends, used or not.
    pub session_lifetime_hours: i64,
    /// The hash function of new audit entries: `sha256` or `sm3` (商用密码). Each entry records
    /// its own, so changing it does not break the verification of earlier entries.
    pub audit_hash_algorithm: String,
    /// The algorithm that signs checkpoints: `ed25519` or `sm2` (商用密码), each with its own key
    /// file in the data directory.
    pub audit_signature_algorithm: String,
}

impl std::fmt::Debug for Config {
    // The database URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("bind", &self.bind)
            .field("secure_cookies", &self.secure_cookies)
            .field("behind_https", &self.behind_https)
            .field("client_address_header", &self.client_address_header)
            .field(
                "portal_submissions_per_address_per_hour",
                &self.portal_submissions_per_address_per_hour,
            )
            .field(
                "portal_submissions_per_address_per_minute",
                &self.portal_submissions_per_address_per_minute,
            )
            .field(
                "portal_submissions_per_minute",
                &self.portal_submissions_per_minute,
            )
            .field("portal_pending_upload_mb", &self.portal_pending_upload_mb)
            .field("checkpoint_interval_s", &self.checkpoint_interval_s)
            .field("body_limit", &self.body_limit)
            .field("procedures_dir", &self.procedures_dir)
            .field("sweep_interval_s", &self.sweep_interval_s)
            .field("due_soon_working_days", &self.due_soon_working_days)
            .field("enforcement_rules", &self.enforcement_rules)
            .field("normative_rules", &self.normative_rules)
            .field("decision_rules", &self.decision_rules)
            .field("clock_offset_days", &self.clock_offset_days)
            .field("database_concurrency", &self.database_concurrency)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_lifetime_hours", &self.session_lifetime_hours)
            .field("audit_hash_algorithm", &self.audit_hash_algorithm)
            .field("audit_signature_algorithm", &self.audit_signature_algorithm)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        let limits = fazhi_web::security::SubmissionLimits::default();
        Self {
            data_dir: PathBuf::from("fazhi-data"),
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            behind_https: false,
            client_address_header: None,
            portal_submissions_per_address_per_hour: limits.per_address_per_hour,
            portal_submissions_per_address_per_minute: limits.per_address_per_minute,
            portal_submissions_per_minute: limits.all_per_minute,
            portal_pending_upload_mb: limits.pending_upload_bytes / (1024 * 1024),
            checkpoint_interval_s: 600,
            body_limit: 1024 * 1024,
            procedures_dir: PathBuf::from("procedures"),
            sweep_interval_s: 60,
            due_soon_working_days: 3,
            enforcement_rules: PathBuf::from("data/enforcement/rules.toml"),
            normative_rules: PathBuf::from("data/normative/rules.toml"),
            decision_rules: PathBuf::from("data/decision/rules.toml"),
            clock_offset_days: 0,
            database_concurrency: fazhi_web::default_database_concurrency(),
            session_idle_minutes: fazhi_store::auth::SESSION_IDLE_MS / 60_000,
            session_lifetime_hours: fazhi_store::auth::SESSION_LIFETIME_MS / 3_600_000,
            audit_hash_algorithm: "sha256".into(),
            audit_signature_algorithm: "ed25519".into(),
        }
    }
}

impl Config {
    /// How long staff sessions last.
    pub fn session_policy(&self) -> fazhi_store::auth::SessionPolicy {
        fazhi_store::auth::SessionPolicy {
            idle_ms: self.session_idle_minutes.saturating_mul(60_000),
            lifetime_ms: self.session_lifetime_hours.saturating_mul(3_600_000),
        }
    }

    /// The configured hash function of new audit entries.
    pub fn hash_algorithm(&self) -> Result<fazhi_domain::audit::HashAlg, String> {
        fazhi_domain::audit::HashAlg::parse(&self.audit_hash_algorithm).ok_or_else(|| {
            format!(
                "audit_hash_algorithm 应为 sha256 或 sm3：{}",
                self.audit_hash_algorithm
            )
        })
    }

    /// The configured checkpoint signature algorithm.
    pub fn signature_algorithm(&self) -> Result<fazhi_domain::audit::signing::SigAlg, String> {
        fazhi_domain::audit::signing::SigAlg::parse(&self.audit_signature_algorithm).ok_or_else(
            || {
                format!(
                    "audit_signature_algorithm 应为 ed25519 或 sm2：{}",
                    self.audit_signature_algorithm
                )
            },
        )
    }

    /// Reads `path` (if it exists), then the environment.
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        let mut c = if path.exists() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("无法读取配置文件 {}：{e}", path.display()))?;
            toml::from_str(&text).map_err(|e| format!("配置文件 {} 有误：{e}", path.display()))?
        } else {
            Self::default()
        };
        if let Ok(v) = std::env::var("FAZHI_DATA_DIR") {
            c.data_dir = v.into();
        }
        if let Ok(v) = std::env::var("FAZHI_DATABASE_URL") {
            c.database_url = Some(v).filter(|s| !s.is_empty());
        }
        if let Ok(v) = std::env::var("FAZHI_BIND") {
            c.bind = v;
        }
        if let Ok(v) = std::env::var("FAZHI_PROCEDURES_DIR") {
            c.procedures_dir = v.into();
        }
        if let Ok(v) = std::env::var("FAZHI_ENFORCEMENT_RULES") {
            c.enforcement_rules = v.into();
        }
        if let Ok(v) = std::env::var("FAZHI_NORMATIVE_RULES") {
            c.normative_rules = v.into();
        }
        if let Ok(v) = std::env::var("FAZHI_DECISION_RULES") {
            c.decision_rules = v.into();
        }
        if let Ok(v) = std::env::var("FAZHI_CLOCK_OFFSET_DAYS") {
            c.clock_offset_days = v
                .parse()
                .map_err(|_| format!("FAZHI_CLOCK_OFFSET_DAYS 应为整数：{v}"))?;
        }
        if let Ok(v) = std::env::var("FAZHI_DATABASE_CONCURRENCY") {
            c.database_concurrency = v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("FAZHI_DATABASE_CONCURRENCY 应为正整数：{v}"))?;
        }
        if c.database_concurrency == 0 {
            return Err("database_concurrency 应为正整数".into());
        }
        if let Ok(v) = std::env::var("FAZHI_AUDIT_HASH_ALGORITHM") {
            c.audit_hash_algorithm = v;
        }
        if let Ok(v) = std::env::var("FAZHI_AUDIT_SIGNATURE_ALGORITHM") {
            c.audit_signature_algorithm = v;
        }
        c.hash_algorithm()?;
        c.signature_algorithm()?;
        if let Ok(v) = std::env::var("FAZHI_SECURE_COOKIES") {
            c.secure_cookies = v == "1" || v == "true";
        }
        if let Ok(v) = std::env::var("FAZHI_BEHIND_HTTPS") {
            c.behind_https = v == "1" || v == "true";
        }
        if let Ok(v) = std::env::var("FAZHI_CLIENT_ADDRESS_HEADER") {
            c.client_address_header = Some(v).filter(|s| !s.is_empty());
        }
        for (var, field) in [
            (
                "FAZHI_PORTAL_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
                &mut c.portal_submissions_per_address_per_hour,
            ),
            (
                "FAZHI_PORTAL_SUBMISSIONS_PER_ADDRESS_PER_MINUTE",
                &mut c.portal_submissions_per_address_per_minute,
            ),
            (
                "FAZHI_PORTAL_SUBMISSIONS_PER_MINUTE",
                &mut c.portal_submissions_per_minute,
            ),
        ] {
            if let Ok(v) = std::env::var(var) {
                *field = v.parse().map_err(|_| format!("{var} 应为正整数：{v}"))?;
            }
        }
        for (var, field) in [
            ("FAZHI_SESSION_IDLE_MINUTES", &mut c.session_idle_minutes),
            (
                "FAZHI_SESSION_LIFETIME_HOURS",
                &mut c.session_lifetime_hours,
            ),
        ] {
            if let Ok(v) = std::env::var(var) {
                *field = v.parse().map_err(|_| format!("{var} 应为正整数：{v}"))?;
            }
        }
        if c.session_idle_minutes <= 0 || c.session_lifetime_hours <= 0 {
            return Err("session_idle_minutes 与 session_lifetime_hours 应为正整数".into());
        }
        if c.portal_submissions_per_address_per_hour == 0
            || c.portal_submissions_per_address_per_minute == 0
            || c.portal_submissions_per_minute == 0
        {
            return Err("portal_submissions_per_address_per_hour、portal_submissions_per_address_per_minute 与 portal_submissions_per_minute 应为正整数".into());
        }
        Ok(c)
    }
}
