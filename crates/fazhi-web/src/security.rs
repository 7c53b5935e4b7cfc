//! The defences every response and every anonymous submission pass (issue 16): the security
//! headers, the check of a path to return to, the client's address, and the limits on what the
//! portal accepts from strangers.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Request, header};
use axum::response::Response;

/// The content security policy of every response: scripts, styles and images from fazhi itself
/// only (no inline script or style attribute runs), no plug-ins, forms posted to fazhi only, and
/// no page shown inside another site's frame.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS when fazhi is told it is served over HTTPS: a year.
const HSTS: &str = "max-age=31536000";

/// Adds the security headers to a response for `path`. Staff pages and the API (`/app`, `/api`)
/// are never stored by a browser or a shared cache (they carry personal data).
pub fn add_headers(r: &mut Response, path: &str, behind_https: bool) {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    let staff = path == "/app" || path.starts_with("/app/") || path.starts_with("/api/");
    if staff {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if behind_https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}

/// The first path segments of fazhi's own pages a link may return to (the language switch's
/// `back`): the staff UI and the portal's pages, not the API, files or probes.
const RETURN_TO: &[&str] = &[
    "",
    "app",
    "apply",
    "audit",
    "cases",
    "disclosure",
    "discretion",
    "powers",
    "publicity",
    "results",
];

/// `back` if it is a path of fazhi's own pages on this origin: it starts with one `/`, holds
/// only printable ASCII without spaces or backslashes (a browser reads `/\host` and `/<tab>/host`
/// as another host; a line break would split the header), and its first segment is one of
/// fazhi's pages. Anything else is not followed.
pub fn safe_back(back: &str) -> Option<&str> {
    let printable = back.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let rest = back.strip_prefix('/')?;
    if !printable || rest.starts_with('/') {
        return None;
    }
    let first = rest.split(['/', '?', '#']).next().unwrap_or("");
    RETURN_TO.contains(&first).then_some(back)
}

/// The address a request came from: the last entry of the configured header (set by the proxy
/// in front, which appends the address it saw), or the peer of the connection, or `unknown`.
pub fn client_address<B>(req: &Request<B>, header_name: Option<&str>) -> String {
    from_headers(req.headers(), header_name)
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn from_headers(h: &HeaderMap, name: Option<&str>) -> Option<String> {
    let v = h.get(name?)?.to_str().ok()?;
    let last = v.rsplit(',').next()?.trim();
    (!last.is_empty() && last.len() <= 64).then(|| last.to_string())
}

/// What the portal accepts from people who are not signed in (configuration, with defaults).
#[derive(Debug, Clone)]
pub struct SubmissionLimits {
    /// Submissions (any form posted to the portal) from one address per hour.
    pub per_address_per_hour: usize,
    /// Of those, per minute: a burst from one address waits even within its hourly share.
    pub per_address_per_minute: usize,
    /// Submissions from all addresses together per minute.
    pub all_per_minute: usize,
    /// Bytes of uploaded materials not yet accepted (受理) — of applications waiting for staff,
    /// and kept from attempts refused in the last day — above which the portal takes no more
    /// uploads until staff have dealt with them.
    pub pending_upload_bytes: u64,
}

impl Default for SubmissionLimits {
    fn default() -> Self {
        Self {
            per_address_per_hour: 20,
            per_address_per_minute: 5,
            all_per_minute: 120,
            pending_upload_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// The submissions counted in the last hour, by address and in all; kept in this instance.
#[derive(Debug, Default)]
pub struct SubmissionGate {
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    by_address: HashMap<String, VecDeque<Instant>>,
    all: VecDeque<Instant>,
    kept: VecDeque<(Instant, u64)>,
}

/// A submission turned away: the Chinese message and the seconds to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnedAway {
    /// Why, and when to come back.
    pub message: String,
    /// Seconds until a submission is accepted again.
    pub retry_after_s: u64,
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

fn wait(q: &VecDeque<Instant>, now: Instant, window: Duration) -> u64 {
    q.front().map_or(1, |t| {
        (window.saturating_sub(now.duration_since(*t))).as_secs() + 1
    })
}

impl SubmissionGate {
    /// Counts one submission from `address`, or turns it away when the address or everyone
    /// together is over the limit.
    pub fn admit(
        &self,
        address: &str,
        limits: &SubmissionLimits,
        now: Instant,
    ) -> Result<(), TurnedAway> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let Seen {
            by_address, all, ..
        } = &mut *seen;
        prune(all, now, MINUTE);
        if all.len() >= limits.all_per_minute {
            let s = wait(all, now, MINUTE);
            return Err(TurnedAway {
                message: format!(
                    "提交过于频繁：网上提交的人数较多，请在 {s} 秒后再试。急需办理的，可以到服务窗口办理。"
                ),
                retry_after_s: s,
            });
        }
        if by_address.len() > 10_000 {
            by_address.retain(|_, q| {
                prune(q, now, HOUR);
                !q.is_empty()
            });
        }
        let q = by_address.entry(address.to_string()).or_default();
        prune(q, now, HOUR);
        if q.len() >= limits.per_address_per_hour {
            let s = wait(q, now, HOUR);
            return Err(TurnedAway {
                message: format!(
                    "提交过于频繁：同一网络地址每小时最多提交 {} 次，请在 {} 分钟后再试。急需办理的，可以到服务窗口办理。",
                    limits.per_address_per_hour,
                    s.div_ceil(60)
                ),
                retry_after_s: s,
            });
        }
        let recent = q
            .iter()
            .rev()
            .take_while(|t| now.duration_since(**t) < MINUTE)
            .count();
        if recent >= limits.per_address_per_minute {
            let s = q.iter().rev().nth(recent - 1).map_or(1, |t| {
                MINUTE.saturating_sub(now.duration_since(*t)).as_secs() + 1
            });
            return Err(TurnedAway {
                message: format!(
                    "提交过于频繁：同一网络地址每分钟最多提交 {} 次，请在 {s} 秒后再试。",
                    limits.per_address_per_minute
                ),
                retry_after_s: s,
            });
        }
        q.push_back(now);
        all.push_back(now);
        Ok(())
    }

    /// Notes `bytes` of uploads kept from a portal attempt that was refused (they stay stored
    /// for the next attempt): they count against the quota for a day.
    pub fn note_kept(&self, bytes: u64, now: Instant) {
        if bytes > 0 {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            seen.kept.push_back((now, bytes));
        }
    }

    /// Bytes of uploads kept from refused attempts in the last day.
    pub fn kept_bytes(&self, now: Instant) -> u64 {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        while seen
            .kept
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) >= DAY)
        {
            seen.kept.pop_front();
        }
        seen.kept.iter().map(|(_, b)| b).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_fazhis_own_pages_are_followed() {
        for ok in [
            "/",
            "/app/work",
            "/app/cases?page=2",
            "/powers/ZZSW-1",
            "/disclosure",
        ] {
            assert_eq!(safe_back(ok), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/app/\r\nLocation: x",
            "https://evil.example",
            "evil.example",
            "/api/v1/cases",
            "/static/app.js",
            "/ app",
            "",
        ] {
            assert_eq!(safe_back(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_address_over_its_share_waits_and_another_address_does_not() {
        let gate = SubmissionGate::default();
        let limits = SubmissionLimits {
            per_address_per_hour: 3,
            per_address_per_minute: 3,
            all_per_minute: 5,
            pending_upload_bytes: 0,
        };
        let t = Instant::now();
        for _ in 0..3 {
            gate.admit("a", &limits, t).unwrap();
        }
        let e = gate.admit("a", &limits, t).unwrap_err();
        assert!(e.retry_after_s > 3000 && e.message.contains("每小时最多提交 3 次"));
        gate.admit("b", &limits, t).unwrap();
        gate.admit("c", &limits, t).unwrap();
        let e = gate.admit("d", &limits, t).unwrap_err();
        assert!(e.retry_after_s <= 61, "everyone together: {e:?}");
        gate.admit("a", &limits, t + HOUR + MINUTE).unwrap();
    }

    #[test]
    fn a_burst_from_one_address_waits_a_minute_within_its_hourly_share() {
        let gate = SubmissionGate::default();
        let limits = SubmissionLimits::default();
        let t = Instant::now();
        for _ in 0..limits.per_address_per_minute {
            gate.admit("a", &limits, t).unwrap();
        }
        let e = gate.admit("a", &limits, t).unwrap_err();
        assert!(
            e.retry_after_s <= 61 && e.message.contains("每分钟"),
            "{e:?}"
        );
        gate.admit("a", &limits, t + MINUTE).unwrap();
    }
}
