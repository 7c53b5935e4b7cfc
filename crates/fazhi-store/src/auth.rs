//! Sign-in, sessions, passwords and API keys (DESIGN §6). Sessions live in the database so that
//! several instances can serve; tokens are stored only as SHA-256 hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use fazhi_domain::org::{Actor, OrgAction};
use fazhi_domain::{FieldError, Refusal};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{Who, append};
use crate::org::{ACTOR_COLUMNS, ACTOR_JOINS, By, actor_from, get_user, load_actor};
use crate::{Store, StoreError, Tx, now_ms, vals};

/// Sign-in attempts allowed per address and user name together within `THROTTLE_WINDOW_MS`
/// before that pair is paused. A stranger elsewhere does not lock the user out: the count is the
/// stranger's own address with that name.
pub const THROTTLE_MAX_FAILURES: i64 = 5;
/// Failed sign-ins allowed from one address, over every user name, within the window: one
/// office behind one address has many people, but guessing many names from it stops.
pub const THROTTLE_MAX_PER_ADDRESS: i64 = 30;
/// The window over which failures are counted, and the pause after the limit: 15 minutes.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// The longest user name written to the audit chain as typed; a longer one is cut and marked.
pub const TYPED_NAME_MAX_CHARS: usize = 64;
/// How long a session lasts at most, used or not: one working day of 12 hours (the default of
/// `SessionPolicy::lifetime_ms`).
pub const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// How long a session lasts without use: 30 minutes (the default of `SessionPolicy::idle_ms`;
/// 等保2.0 level 3 asks for an idle timeout, not a number).
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// How long the password alone keeps a sign-in waiting for its second factor: 5 minutes.
pub const PENDING_FACTOR_MS: i64 = 5 * 60 * 1000;

pub mod second_factor;

/// How long sessions last: configuration, with `SESSION_IDLE_MS` and `SESSION_LIFETIME_MS` as
/// defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without use, a session ends after this many milliseconds.
    pub idle_ms: i64,
    /// Used or not, a session ends this many milliseconds after sign-in.
    pub lifetime_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_ms: SESSION_IDLE_MS,
            lifetime_ms: SESSION_LIFETIME_MS,
        }
    }
}

/// Opens a session for `user_id` inside `tx`: a full one, or one waiting for the second factor
/// (`pending`, which opens nothing but the code page and lasts `PENDING_FACTOR_MS`). Returns the
/// token and the CSRF token.
pub(crate) fn open_session(
    tx: &mut dyn Tx,
    user_id: i64,
    now: i64,
    policy: &SessionPolicy,
    pending: bool,
) -> Result<(String, String), StoreError> {
    let token = random_hex(32)?;
    let csrf_token = random_hex(32)?;
    let (expires, idle) = if pending {
        (now + PENDING_FACTOR_MS, now + PENDING_FACTOR_MS)
    } else {
        (
            now + policy.lifetime_ms,
            now + policy.idle_ms.min(policy.lifetime_ms),
        )
    };
    tx.exec(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, idle_until,
            pending_factor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vals![
            sha256_hex(&token),
            user_id,
            &csrf_token,
            now,
            expires,
            idle,
            i64::from(pending)
        ],
    )?;
    Ok((token, csrf_token))
}

fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| StoreError::Db(e.to_string()))?;
    Ok(hex::encode(b))
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Hashes a password with argon2id (its default parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Db(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Db(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Db(e.to_string()))
}

/// Checks a password against its stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new session: the token goes into the cookie, the CSRF token into every form.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The secret session token (only its hash is stored).
    pub token: String,
    /// The CSRF token of this session.
    pub csrf_token: String,
    /// Who signed in.
    pub actor: Actor,
}

/// The outcome of a sign-in attempt.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Signed in.
    Ok(Box<NewSession>),
    /// Wrong name or password; how many attempts are left before the pause.
    Failed {
        /// Attempts left in the window.
        remaining: i64,
    },
    /// Too many failures: wait this many minutes.
    Throttled {
        /// Minutes until sign-in is possible again.
        minutes: i64,
    },
    /// The password was right and the person has a second factor: the code is asked next,
    /// with this token (of a session that opens nothing else) to carry the sign-in there.
    SecondFactor {
        /// The token of the waiting sign-in.
        pending_token: String,
    },
    /// The waiting sign-in is unknown or over (`second_factor::complete`): start again.
    Expired,
}

/// Signs a person in from an unnamed address (the command line, the tests): `sign_in_from`
/// with the address `local`.
pub fn sign_in(
    store: &Store,
    username: &str,
    password: &str,
    now: i64,
) -> Result<SignIn, StoreError> {
    sign_in_from(store, "local", username, password, now)
}

/// A user name as typed, cut to `TYPED_NAME_MAX_CHARS` characters (marked with …), so that a
/// long name cannot grow the audit chain.
pub fn typed_name(username: &str) -> String {
    let mut shown: String = username.chars().take(TYPED_NAME_MAX_CHARS).collect();
    if username.chars().nth(TYPED_NAME_MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

/// Counts one attempt against `bucket` in the window and returns the attempts counted (this one
/// included) and when the window began. One statement, so that parallel attempts each get their
/// own number: the sixth of thirty parallel attempts is refused before its password is checked.
fn count_attempt(tx: &mut dyn Tx, bucket: &str, now: i64) -> Result<(i64, i64), StoreError> {
    let since = now - THROTTLE_WINDOW_MS;
    let r = tx
        .query_opt(
            "INSERT INTO login_throttle (bucket, attempts, window_start) VALUES (?, 1, ?)
             ON CONFLICT (bucket) DO UPDATE SET
               attempts = CASE WHEN login_throttle.window_start > ?
                               THEN login_throttle.attempts + 1 ELSE 1 END,
               window_start = CASE WHEN login_throttle.window_start > ?
                                   THEN login_throttle.window_start ELSE ? END
             RETURNING attempts, window_start",
            vals![bucket, now, since, since, now],
        )?
        .ok_or_else(|| StoreError::Db("login_throttle: no row".into()))?;
    Ok((r.i64(0)?, r.i64(1)?))
}

/// Signs a person in, pausing sign-in for an address and user name together after repeated
/// failures, and for an address that fails with many names. The attempt is counted before the
/// password is checked (atomically, one statement per count), a success takes it back. Every
/// attempt is on the audit chain, the typed name cut to a bounded length.
pub fn sign_in_from(
    store: &Store,
    address: &str,
    username: &str,
    password: &str,
    now: i64,
) -> Result<SignIn, StoreError> {
    sign_in_with(
        store,
        address,
        username,
        password,
        now,
        &SessionPolicy::default(),
    )
}

/// The throttle's buckets of an address and user name: the pair, and the address alone.
fn buckets(address: &str, username: &str) -> (String, String) {
    (
        format!("pair:{}", sha256_hex(&format!("{address}\n{username}"))),
        format!("addr:{}", sha256_hex(address)),
    )
}

/// Counts one attempt of `address` with `username` in both buckets; the attempts counted, or
/// the pause when over a limit.
pub(crate) fn count_both(
    store: &Store,
    address: &str,
    username: &str,
    now: i64,
) -> Result<Result<(i64, i64), SignIn>, StoreError> {
    let (pair, from) = buckets(address, username);
    let (pair_n, pair_start, addr_n, addr_start) = store.write(|tx| {
        let (p, ps) = count_attempt(tx, &pair, now)?;
        let (a, as_) = count_attempt(tx, &from, now)?;
        Ok((p, ps, a, as_))
    })?;
    let over = [
        (pair_n > THROTTLE_MAX_FAILURES, pair_start),
        (addr_n > THROTTLE_MAX_PER_ADDRESS, addr_start),
    ];
    if let Some(start) = over.iter().filter(|(o, _)| *o).map(|(_, s)| *s).max() {
        let minutes = ((start + THROTTLE_WINDOW_MS - now) + 59_999) / 60_000;
        return Ok(Err(SignIn::Throttled {
            minutes: minutes.max(1),
        }));
    }
    Ok(Ok((pair_n, addr_n)))
}

/// A success takes its attempt back: the pair starts again, the address keeps only its
/// failures.
pub(crate) fn take_back(tx: &mut dyn Tx, address: &str, username: &str) -> Result<(), StoreError> {
    let (pair, from) = buckets(address, username);
    tx.exec("DELETE FROM login_throttle WHERE bucket = ?", vals![&pair])?;
    tx.exec(
        "UPDATE login_throttle SET attempts = attempts - 1 WHERE bucket = ? AND attempts > 0",
        vals![&from],
    )?;
    Ok(())
}

/// Attempts left before the pause, after `pair_n` and `addr_n` attempts.
pub(crate) fn remaining(pair_n: i64, addr_n: i64) -> i64 {
    (THROTTLE_MAX_FAILURES - pair_n)
        .min(THROTTLE_MAX_PER_ADDRESS - addr_n)
        .max(0)
}

/// `sign_in_from` with the sessions' lifetimes given. When the person has a second factor, the
/// password opens only a waiting sign-in (`SignIn::SecondFactor`) and its attempt stays counted
/// until the code is right, so wrong codes count against the same limit as wrong passwords.
pub fn sign_in_with(
    store: &Store,
    address: &str,
    username: &str,
    password: &str,
    now: i64,
    policy: &SessionPolicy,
) -> Result<SignIn, StoreError> {
    let (pair_n, addr_n) = match count_both(store, address, username, now)? {
        Ok(n) => n,
        Err(paused) => return Ok(paused),
    };
    // A name longer than any user name is not looked up (and not hashed into the chain whole).
    let user = if username.chars().count() > TYPED_NAME_MAX_CHARS {
        None
    } else {
        store.read(|tx| {
            tx.query_opt(
                "SELECT id, password_hash, active FROM users WHERE username = ?",
                vals![username],
            )?
            .map(|u| Ok::<_, StoreError>((u.i64(0)?, u.text(1)?, u.bool(2)?)))
            .transpose()
        })?
    };
    // Hash even for an unknown name, so that timing does not tell which names exist.
    let ok = match &user {
        Some((_, hash, active)) => verify_password(hash, password) && *active,
        None => {
            verify_password(&DUMMY_HASH, password);
            false
        }
    };
    match (ok, user) {
        (true, Some((user_id, _, _))) => store.write(|tx| {
            let actor = load_actor(tx, user_id)?.ok_or(StoreError::NotFound("该人员"))?;
            if second_factor::is_on(tx, user_id)? {
                let (pending_token, _) = open_session(tx, user_id, now, policy, true)?;
                return Ok(SignIn::SecondFactor { pending_token });
            }
            let (token, csrf_token) = open_session(tx, user_id, now, policy, false)?;
            take_back(tx, address, username)?;
            append(
                tx,
                &Who::from(&actor),
                Some(actor.org_id),
                "auth.sign_in",
                "user",
                &user_id.to_string(),
                json!({}),
            )?;
            Ok(SignIn::Ok(Box::new(NewSession {
                token,
                csrf_token,
                actor,
            })))
        }),
        (_, user) => store.write(|tx| {
            let typed = typed_name(username);
            let subject = user.map_or_else(|| typed.clone(), |u| u.0.to_string());
            append(
                tx,
                &Who {
                    user_id: None,
                    name: format!("登录尝试（{typed}）"),
                },
                None,
                "auth.sign_in_failed",
                "user",
                &subject,
                json!({ "username": typed }),
            )?;
            Ok(SignIn::Failed {
                remaining: remaining(pair_n, addr_n),
            })
        }),
    }
}

/// An argon2id hash, checked against when the user name is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("fazhi-no-such-user-0").unwrap_or_default());

/// The person behind a session token, with the session's CSRF token, if the session is valid.
pub fn session_actor(
    tx: &mut dyn Tx,
    token: &str,
    now: i64,
) -> Result<Option<(Actor, String)>, StoreError> {
    Ok(session_with_unread(tx, token, now)?.map(|s| (s.actor, s.csrf)))
}

/// A valid session as a page resolves it.
#[derive(Debug, Clone)]
pub struct FoundSession {
    /// Who.
    pub actor: Actor,
    /// The session's CSRF token.
    pub csrf: String,
    /// The person's unread notices (the badge of 我的工作).
    pub unread: i64,
    /// Until when the session lasts without use (ms); `touch_session` moves it on.
    pub idle_until: i64,
}

/// `session_actor` with the number of the person's unread notices, in the same one statement
/// (the session, the person and every role), so that a page resolves its session in one round
/// trip outside a transaction (`Store::read_one`). A session over its absolute end, idle too
/// long, or still waiting for its second factor is no session.
pub fn session_with_unread(
    tx: &mut dyn Tx,
    token: &str,
    now: i64,
) -> Result<Option<FoundSession>, StoreError> {
    let rows = tx.query(
        &format!(
            "SELECT {ACTOR_COLUMNS}, s.csrf_token,
                    (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL),
                    s.idle_until
             FROM sessions s JOIN users u ON u.id = s.user_id
             {ACTOR_JOINS} WHERE s.token_hash = ? AND s.expires_at > ? AND s.idle_until > ?
               AND s.pending_factor = 0 AND u.active = 1"
        ),
        vals![sha256_hex(token), now, now],
    )?;
    let Some((csrf, unread, idle_until)) = rows
        .first()
        .map(|r| Ok::<_, StoreError>((r.text(10)?, r.i64(11)?, r.i64(12)?)))
        .transpose()?
    else {
        return Ok(None);
    };
    Ok(actor_from(&rows)?.map(|actor| FoundSession {
        actor,
        csrf,
        unread,
        idle_until,
    }))
}

/// Moves a session's idle end on to `now + idle_ms` (never past its absolute end). Bookkeeping
/// like the session itself, not audited. The web layer calls it at most once a minute per
/// session, so most pages still resolve their session with one read.
pub fn touch_session(
    tx: &mut dyn Tx,
    token: &str,
    now: i64,
    idle_ms: i64,
) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE sessions SET idle_until = CASE WHEN expires_at < ? THEN expires_at ELSE ? END
         WHERE token_hash = ? AND pending_factor = 0",
        vals![now + idle_ms, now + idle_ms, sha256_hex(token)],
    )?;
    Ok(())
}

/// Ends a session.
pub fn sign_out(tx: &mut dyn Tx, actor: &Actor, token: &str) -> Result<(), StoreError> {
    tx.exec(
        "DELETE FROM sessions WHERE token_hash = ?",
        vals![sha256_hex(token)],
    )?;
    append(
        tx,
        &Who::from(actor),
        Some(actor.org_id),
        "auth.sign_out",
        "user",
        &actor.user_id.to_string(),
        json!({}),
    )?;
    Ok(())
}

/// A new password ends what the old one opened: every API key of the person is revoked with the
/// sessions (a key copied while the password was known must not outlive it).
fn revoke_all_api_keys(tx: &mut dyn Tx, user_id: i64) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        vals![now_ms(), user_id],
    )?;
    Ok(())
}

/// A new password may not be any of the last `PASSWORD_HISTORY` (the current one included).
pub const PASSWORD_HISTORY: i64 = 5;

/// The hashes of the passwords before the current one, newest first, as many as are checked.
fn earlier_hashes(tx: &mut dyn Tx, user_id: i64) -> Result<Vec<String>, StoreError> {
    tx.query(
        "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?",
        vals![user_id, PASSWORD_HISTORY - 1],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// Keeps the hash being replaced, and no more of them than are checked.
fn keep_in_history(tx: &mut dyn Tx, user_id: i64, old_hash: &str) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)",
        vals![user_id, old_hash, now_ms()],
    )?;
    tx.exec(
        "DELETE FROM password_history WHERE user_id = ? AND id NOT IN
           (SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
        vals![user_id, user_id, PASSWORD_HISTORY - 1],
    )?;
    Ok(())
}

/// Changes one's own password after checking the current one; other sessions and every API key
/// are ended.
pub fn change_password(
    store: &Store,
    actor: &Actor,
    current_token: &str,
    old: &str,
    new: &str,
) -> Result<(), StoreError> {
    let hash = store.read(|tx| {
        tx.query_opt(
            "SELECT password_hash FROM users WHERE id = ?",
            vals![actor.user_id],
        )?
        .ok_or(StoreError::NotFound("该人员"))?
        .text(0)
    })?;
    if !verify_password(&hash, old) {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "current_password",
            "当前密码",
            "不正确",
        )]));
    }
    let earlier = store.read(|tx| earlier_hashes(tx, actor.user_id))?;
    if std::iter::once(&hash)
        .chain(&earlier)
        .any(|h| verify_password(h, new))
    {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "new_password",
            "新密码",
            "不能与最近 5 次用过的密码相同",
        )]));
    }
    let new_hash = hash_password(new)?;
    store.write(|tx| {
        keep_in_history(tx, actor.user_id, &hash)?;
        tx.exec(
            "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ?
             WHERE id = ?",
            vals![&new_hash, now_ms(), actor.user_id],
        )?;
        tx.exec(
            "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
            vals![actor.user_id, sha256_hex(current_token)],
        )?;
        revoke_all_api_keys(tx, actor.user_id)?;
        append(
            tx,
            &Who::from(actor),
            Some(actor.org_id),
            "auth.change_password",
            "user",
            &actor.user_id.to_string(),
            json!({}),
        )?;
        Ok(())
    })
}

/// An administrator sets a new password for someone they manage; that person's sessions and API
/// keys end.
pub fn reset_password(
    tx: &mut dyn Tx,
    by: By<'_>,
    user_id: i64,
    expected_version: i64,
    new_hash: &str,
) -> Result<(), StoreError> {
    let u = get_user(tx, user_id)?;
    by.may(OrgAction::View, &u.org_path)
        .map_err(|_| StoreError::NotFound("该人员"))?;
    by.may(OrgAction::Manage, &u.org_path)?;
    let replaced = tx
        .query_opt(
            "SELECT password_hash FROM users WHERE id = ?",
            vals![user_id],
        )?
        .ok_or(StoreError::NotFound("该人员"))?
        .text(0)?;
    let n = tx.exec(
        "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
        vals![new_hash, now_ms(), user_id, expected_version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { current: u.version });
    }
    keep_in_history(tx, user_id, &replaced)?;
    tx.exec("DELETE FROM sessions WHERE user_id = ?", vals![user_id])?;
    revoke_all_api_keys(tx, user_id)?;
    append(
        tx,
        &by.who(),
        Some(u.org_id),
        "auth.reset_password",
        "user",
        &user_id.to_string(),
        json!({}),
    )?;
    Ok(())
}

/// An API key as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, Serialize)]
pub struct ApiKey {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The first characters, to recognise it.
    pub prefix: String,
    /// Created at (ms).
    pub created_at: i64,
    /// Revoked at (ms), if revoked.
    pub revoked_at: Option<i64>,
}

/// Creates an API key that acts as `actor`; returns its id and the secret, shown only once.
pub fn create_api_key(
    tx: &mut dyn Tx,
    actor: &Actor,
    name: &str,
) -> Result<(i64, String), StoreError> {
    let secret = format!("fz_{}", random_hex(24)?);
    let prefix: String = secret.chars().take(10).collect();
    let id = tx
        .query_opt(
            "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
            vals![actor.user_id, name, &prefix, sha256_hex(&secret), now_ms()],
        )?
        .ok_or_else(|| StoreError::Db("no id returned".into()))?
        .i64(0)?;
    append(
        tx,
        &Who::from(actor),
        Some(actor.org_id),
        "auth.create_api_key",
        "api_key",
        &id.to_string(),
        json!({ "name": name, "prefix": prefix }),
    )?;
    Ok((id, secret))
}

/// The API keys of one user, newest first.
pub fn list_api_keys(tx: &mut dyn Tx, user_id: i64) -> Result<Vec<ApiKey>, StoreError> {
    tx.query(
        "SELECT id, name, prefix, created_at, revoked_at FROM api_keys WHERE user_id = ?
         ORDER BY id DESC",
        vals![user_id],
    )?
    .iter()
    .map(|r| {
        Ok(ApiKey {
            id: r.i64(0)?,
            name: r.text(1)?,
            prefix: r.text(2)?,
            created_at: r.i64(3)?,
            revoked_at: r.opt_i64(4)?,
        })
    })
    .collect()
}

/// Revokes one of one's own API keys.
pub fn revoke_api_key(tx: &mut dyn Tx, actor: &Actor, id: i64) -> Result<(), StoreError> {
    let n = tx.exec(
        "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
        vals![now_ms(), id, actor.user_id],
    )?;
    if n == 0 {
        return Err(StoreError::Refused(Refusal::new(
            "auth.api_key_not_active",
            "该 API 密钥不存在或已被吊销。",
        )));
    }
    append(
        tx,
        &Who::from(actor),
        Some(actor.org_id),
        "auth.revoke_api_key",
        "api_key",
        &id.to_string(),
        json!({}),
    )?;
    Ok(())
}

/// The person an API key acts as, if the key is valid and not revoked.
pub fn api_key_actor(tx: &mut dyn Tx, secret: &str) -> Result<Option<Actor>, StoreError> {
    let Some(r) = tx.query_opt(
        "SELECT user_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
        vals![sha256_hex(secret)],
    )?
    else {
        return Ok(None);
    };
    load_actor(tx, r.i64(0)?)
}
