//! The second factor (TOTP, RFC 6238; `fazhi_domain::totp`): set up on one's own account and
//! confirmed with a first code, asked after the password from then on, removed with a code.
//! Every set-up, removal, success and failure is on the audit chain; a code is taken once
//! (`user_totp.last_step`); wrong codes at sign-in count against the sign-in throttle.

use fazhi_domain::org::Actor;
use fazhi_domain::{FieldError, Refusal, totp};
use serde_json::json;

use super::{
    NewSession, SessionPolicy, SignIn, count_both, open_session, remaining, sha256_hex, take_back,
};
use crate::audit::{Who, append};
use crate::org::load_actor;
use crate::{Store, StoreError, Tx, vals};

/// Whether the person signs in with a second factor (set up and confirmed).
pub fn is_on(tx: &mut dyn Tx, user_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL",
            vals![user_id],
        )?
        .is_some())
}

/// Where one's second factor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// None set up.
    Off,
    /// Set up, waiting for its first code: the secret, base32.
    Pending(String),
    /// In use since this instant (ms).
    On(i64),
}

/// One's second factor as the account page shows it.
pub fn status(tx: &mut dyn Tx, user_id: i64) -> Result<Status, StoreError> {
    let r = tx.query_opt(
        "SELECT secret, confirmed_at FROM user_totp WHERE user_id = ?",
        vals![user_id],
    )?;
    Ok(match r {
        None => Status::Off,
        Some(r) => match r.opt_i64(1)? {
            Some(at) => Status::On(at),
            None => Status::Pending(r.text(0)?),
        },
    })
}

fn refused(code: &'static str, msg: &str) -> StoreError {
    StoreError::Refused(Refusal::new(code, msg))
}

fn wrong_code() -> StoreError {
    StoreError::Invalid(vec![FieldError::new(
        "code",
        "验证码",
        "不正确或已使用，请输入验证器当前显示的 6 位数字",
    )])
}

/// Starts setting up (or starts again): a new secret, base32, which takes effect only when a
/// first code confirms it. Refused while a second factor is in use.
pub fn begin(tx: &mut dyn Tx, actor: &Actor, now: i64) -> Result<String, StoreError> {
    if is_on(tx, actor.user_id)? {
        return Err(refused(
            "second_factor.already_on",
            "双因素认证已启用；如需更换，请先用验证码停用。",
        ));
    }
    let mut secret = [0u8; totp::SECRET_BYTES];
    getrandom::fill(&mut secret).map_err(|e| StoreError::Db(e.to_string()))?;
    let b32 = totp::base32_encode(&secret);
    tx.exec(
        "DELETE FROM user_totp WHERE user_id = ?",
        vals![actor.user_id],
    )?;
    tx.exec(
        "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?, ?, ?)",
        vals![actor.user_id, &b32, now],
    )?;
    append(
        tx,
        &Who::from(actor),
        Some(actor.org_id),
        "auth.second_factor_setup",
        "user",
        &actor.user_id.to_string(),
        json!({}),
    )?;
    Ok(b32)
}

/// The secret and last step of one's factor, confirmed or waiting.
fn secret_of(
    tx: &mut dyn Tx,
    user_id: i64,
    confirmed: bool,
) -> Result<Option<(Vec<u8>, i64)>, StoreError> {
    let sql = if confirmed {
        "SELECT secret, last_step FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL"
    } else {
        "SELECT secret, last_step FROM user_totp WHERE user_id = ? AND confirmed_at IS NULL"
    };
    let Some(r) = tx.query_opt(sql, vals![user_id])? else {
        return Ok(None);
    };
    let b32 = r.text(0)?;
    let bytes = totp::base32_decode(&b32)
        .ok_or_else(|| StoreError::Db(format!("user_totp.secret of user {user_id}")))?;
    Ok(Some((bytes, r.i64(1)?)))
}

/// Takes `step` as used, unless a parallel request took it (or a later one) first.
fn claim(tx: &mut dyn Tx, user_id: i64, step: i64) -> Result<bool, StoreError> {
    Ok(tx.exec(
        "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?",
        vals![step, user_id, step],
    )? == 1)
}

fn record_failure(
    store: &Store,
    actor: &Actor,
    action: &str,
    reason: &str,
) -> Result<(), StoreError> {
    store.write(|tx| {
        append(
            tx,
            &Who::from(actor),
            Some(actor.org_id),
            action,
            "user",
            &actor.user_id.to_string(),
            json!({ "reason": reason }),
        )
        .map(|_| ())
    })
}

/// Confirms a set-up with its first code: from now on the code is asked after the password.
pub fn confirm(store: &Store, actor: &Actor, code: &str, now: i64) -> Result<(), StoreError> {
    let done = store.write(|tx| {
        let (secret, last) = secret_of(tx, actor.user_id, false)?.ok_or_else(|| {
            refused(
                "second_factor.not_pending",
                "没有等待确认的双因素认证设置，请重新开始设置。",
            )
        })?;
        let Some(step) = totp::verify(&secret, code, now / 1000, last) else {
            return Ok(false);
        };
        tx.exec(
            "UPDATE user_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ?",
            vals![now, step, actor.user_id],
        )?;
        append(
            tx,
            &Who::from(actor),
            Some(actor.org_id),
            "auth.second_factor_enabled",
            "user",
            &actor.user_id.to_string(),
            json!({}),
        )?;
        Ok(true)
    })?;
    if done {
        return Ok(());
    }
    record_failure(store, actor, "auth.second_factor_failed", "setup")?;
    Err(wrong_code())
}

/// Removes one's second factor, with a current code.
pub fn disable(store: &Store, actor: &Actor, code: &str, now: i64) -> Result<(), StoreError> {
    let done = store.write(|tx| {
        let (secret, last) = secret_of(tx, actor.user_id, true)?
            .ok_or_else(|| refused("second_factor.off", "您尚未启用双因素认证。"))?;
        match totp::verify(&secret, code, now / 1000, last) {
            Some(step) if claim(tx, actor.user_id, step)? => {}
            _ => return Ok(false),
        }
        tx.exec(
            "DELETE FROM user_totp WHERE user_id = ?",
            vals![actor.user_id],
        )?;
        append(
            tx,
            &Who::from(actor),
            Some(actor.org_id),
            "auth.second_factor_disabled",
            "user",
            &actor.user_id.to_string(),
            json!({}),
        )?;
        Ok(true)
    })?;
    if done {
        return Ok(());
    }
    record_failure(store, actor, "auth.second_factor_failed", "disable")?;
    Err(wrong_code())
}

/// Completes a sign-in waiting for its second factor: a right code, not used before, opens the
/// session; a wrong or reused one is refused, counted by the throttle with the password's
/// attempts (same address and user name), and recorded.
pub fn complete(
    store: &Store,
    address: &str,
    pending_token: &str,
    code: &str,
    now: i64,
    policy: &SessionPolicy,
) -> Result<SignIn, StoreError> {
    let waiting = store.read(|tx| {
        tx.query_opt(
            "SELECT s.user_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.pending_factor = 1 AND s.expires_at > ?
               AND u.active = 1",
            vals![sha256_hex(pending_token), now],
        )?
        .map(|r| Ok::<_, StoreError>((r.i64(0)?, r.text(1)?)))
        .transpose()
    })?;
    let Some((user_id, username)) = waiting else {
        return Ok(SignIn::Expired);
    };
    let (pair_n, addr_n) = match count_both(store, address, &username, now)? {
        Ok(n) => n,
        Err(paused) => return Ok(paused),
    };
    store.write(|tx| {
        let actor = load_actor(tx, user_id)?.ok_or(StoreError::NotFound("该人员"))?;
        let Some((secret, last)) = secret_of(tx, user_id, true)? else {
            return Ok(SignIn::Expired);
        };
        let step = totp::verify(&secret, code, now / 1000, last);
        let taken = match step {
            Some(s) => claim(tx, user_id, s)?,
            None => false,
        };
        if !taken {
            let reused = totp::verify(&secret, code, now / 1000, i64::MIN).is_some();
            append(
                tx,
                &Who::from(&actor),
                Some(actor.org_id),
                "auth.second_factor_failed",
                "user",
                &user_id.to_string(),
                json!({ "reason": if reused { "reused" } else { "wrong" } }),
            )?;
            return Ok(SignIn::Failed {
                remaining: remaining(pair_n, addr_n),
            });
        }
        tx.exec(
            "DELETE FROM sessions WHERE token_hash = ?",
            vals![sha256_hex(pending_token)],
        )?;
        let (token, csrf_token) = open_session(tx, user_id, now, policy, false)?;
        take_back(tx, address, &username)?;
        append(
            tx,
            &Who::from(&actor),
            Some(actor.org_id),
            "auth.sign_in",
            "user",
            &user_id.to_string(),
            json!({ "second_factor": true }),
        )?;
        Ok(SignIn::Ok(Box::new(NewSession {
            token,
            csrf_token,
            actor,
        })))
    })
}
