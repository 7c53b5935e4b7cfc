//! Sessions and the second factor on both engines (issue 16, 等保2.0 level 3): the second factor
//! from set-up to removal with the clock in hand, sessions that end when idle and at their
//! absolute end.

use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_domain::totp;
use fazhi_store::StoreError;
use fazhi_store::auth::{self, SessionPolicy, SignIn, second_factor};
use fazhi_store::org::{self, By, NewOrg, NewUser};

use crate::common::{TestDb, postgres, sqlite};

const PASSWORD: &str = "Fazhi@2026test";
/// 2027-01-15 08:00:00 UTC, a multiple of the 30-second step.
const T0: i64 = 1_800_000_000_000;

fn person(db: &TestDb, username: &str) -> Actor {
    let hash = auth::hash_password(PASSWORD).unwrap();
    db.store
        .write(|tx| {
            let org_id = match org::get_org_by_code(tx, "zz")? {
                Some(o) => o.id,
                None => org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: None,
                        code: "zz".into(),
                        name: "郑州市商务局".into(),
                        kind: OrgKind::Bureau,
                        sort_order: 0,
                    },
                )?,
            };
            let id = org::create_user(
                tx,
                By::System,
                &NewUser {
                    username: username.into(),
                    display_name: format!("测试{username}"),
                    org_id,
                    password_hash: hash.clone(),
                },
            )?;
            let v = org::get_user(tx, id)?.version;
            org::grant_role(tx, By::System, id, v, org_id, Role::Admin)?;
            Ok(org::load_actor(tx, id)?.unwrap())
        })
        .unwrap()
}

fn code_at(secret: &[u8], ms: i64) -> String {
    totp::code_at_step(secret, totp::step_of(ms / 1000))
}

fn actions(db: &TestDb) -> Vec<String> {
    db.store
        .read(|tx| {
            tx.query(
                "SELECT action FROM audit_log WHERE action LIKE 'auth.%' ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<Vec<_>, StoreError>>()
        })
        .unwrap()
}

both!(
    the_second_factor_from_set_up_to_removal_with_wrong_and_reused_codes_refused,
    |db: &TestDb| {
        let a = person(db, "boss");
        let b32 = db
            .store
            .write(|tx| second_factor::begin(tx, &a, T0))
            .unwrap();
        let secret = totp::base32_decode(&b32).unwrap();
        // Not confirmed: the password alone still signs in.
        assert!(matches!(
            auth::sign_in(&db.store, "boss", PASSWORD, T0).unwrap(),
            SignIn::Ok(_)
        ));
        let err = second_factor::confirm(&db.store, &a, "000000", T0).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)) || code_at(&secret, T0) == "000000");
        second_factor::confirm(&db.store, &a, &code_at(&secret, T0), T0).unwrap();
        // A second set-up is refused while one is in use.
        assert!(matches!(
            db.store.write(|tx| second_factor::begin(tx, &a, T0)),
            Err(StoreError::Refused(_))
        ));

        let t1 = T0 + 60_000;
        let SignIn::SecondFactor { pending_token } =
            auth::sign_in_from(&db.store, "10.0.0.1", "boss", PASSWORD, t1).unwrap()
        else {
            panic!("the password alone signed in");
        };
        // The waiting sign-in is no session.
        assert!(
            db.store
                .read(|tx| auth::session_actor(tx, &pending_token, t1))
                .unwrap()
                .is_none()
        );
        let policy = SessionPolicy::default();
        let complete = |code: &str, at: i64| {
            second_factor::complete(&db.store, "10.0.0.1", &pending_token, code, at, &policy)
                .unwrap()
        };
        // The confirming code, used already, and a code three steps away are refused.
        assert!(matches!(
            complete(&code_at(&secret, T0), T0 + 10_000),
            SignIn::Failed { .. }
        ));
        assert!(matches!(
            complete(&code_at(&secret, t1 + 90_000), t1),
            SignIn::Failed { .. }
        ));
        let SignIn::Ok(session) = complete(&code_at(&secret, t1), t1) else {
            panic!("the right code was refused");
        };
        let (who, _) = db
            .store
            .read(|tx| auth::session_actor(tx, &session.token, t1))
            .unwrap()
            .unwrap();
        assert_eq!(who.username, "boss");
        // The waiting sign-in is used up, and the code too.
        assert!(matches!(
            complete(&code_at(&secret, t1), t1),
            SignIn::Expired
        ));

        // Removing it needs a current code not used before.
        let t2 = t1 + 30_000;
        assert!(second_factor::disable(&db.store, &a, &code_at(&secret, t1), t2 + 30_000).is_err());
        second_factor::disable(&db.store, &a, &code_at(&secret, t2), t2).unwrap();
        assert!(matches!(
            auth::sign_in(&db.store, "boss", PASSWORD, t2).unwrap(),
            SignIn::Ok(_)
        ));
        let acts = actions(db);
        for want in [
            "auth.second_factor_setup",
            "auth.second_factor_enabled",
            "auth.second_factor_failed",
            "auth.second_factor_disabled",
        ] {
            assert!(acts.iter().any(|x| x == want), "{want} missing: {acts:?}");
        }
        assert!(fazhi_store::audit::verify(&db.store).unwrap().is_ok());
    }
);

both!(
    wrong_codes_count_with_wrong_passwords_and_pause_the_sign_in,
    |db: &TestDb| {
        let a = person(db, "boss");
        let b32 = db
            .store
            .write(|tx| second_factor::begin(tx, &a, T0))
            .unwrap();
        let secret = totp::base32_decode(&b32).unwrap();
        second_factor::confirm(&db.store, &a, &code_at(&secret, T0), T0).unwrap();
        let t = T0 + 120_000;
        let SignIn::SecondFactor { pending_token } =
            auth::sign_in_from(&db.store, "10.0.0.2", "boss", PASSWORD, t).unwrap()
        else {
            panic!("no second factor asked");
        };
        let policy = SessionPolicy::default();
        let right = code_at(&secret, t);
        let wrong = if right == "111111" {
            "222222"
        } else {
            "111111"
        };
        let mut outcomes = Vec::new();
        for _ in 0..5 {
            outcomes.push(
                second_factor::complete(&db.store, "10.0.0.2", &pending_token, wrong, t, &policy)
                    .unwrap(),
            );
        }
        // The password's attempt and four wrong codes reach the limit of five; the fifth code
        // is paused, and so is the right one now.
        assert!(matches!(outcomes[3], SignIn::Failed { remaining: 0 }));
        assert!(matches!(outcomes[4], SignIn::Throttled { .. }));
        assert!(matches!(
            second_factor::complete(&db.store, "10.0.0.2", &pending_token, &right, t, &policy)
                .unwrap(),
            SignIn::Throttled { .. }
        ));
    }
);

both!(
    a_session_ends_when_idle_and_at_its_absolute_end_whatever_its_use,
    |db: &TestDb| {
        person(db, "clerk1");
        let policy = SessionPolicy {
            idle_ms: 30 * 60_000,
            lifetime_ms: 2 * 3_600_000,
        };
        let SignIn::Ok(s) =
            auth::sign_in_with(&db.store, "10.0.0.3", "clerk1", PASSWORD, T0, &policy).unwrap()
        else {
            panic!("sign-in failed");
        };
        let alive = |at: i64| {
            db.store
                .read(|tx| auth::session_actor(tx, &s.token, at))
                .unwrap()
                .is_some()
        };
        assert!(alive(T0 + 29 * 60_000));
        assert!(!alive(T0 + 31 * 60_000), "idle for 31 minutes");
        // Used at 20 minutes: alive until 50.
        db.store
            .write(|tx| auth::touch_session(tx, &s.token, T0 + 20 * 60_000, policy.idle_ms))
            .unwrap();
        assert!(alive(T0 + 49 * 60_000));
        assert!(!alive(T0 + 51 * 60_000));
        // Used every 20 minutes, it still ends two hours after sign-in.
        let mut at = T0;
        while at < T0 + 3 * 3_600_000 {
            db.store
                .write(|tx| auth::touch_session(tx, &s.token, at, policy.idle_ms))
                .unwrap();
            at += 20 * 60_000;
        }
        assert!(alive(T0 + 2 * 3_600_000 - 1));
        assert!(!alive(T0 + 2 * 3_600_000));
        let idle_until = db
            .store
            .read(|tx| {
                tx.query_opt("SELECT idle_until, expires_at FROM sessions", &[])?
                    .map(|r| Ok::<_, StoreError>((r.i64(0)?, r.i64(1)?)))
                    .transpose()
            })
            .unwrap()
            .unwrap();
        assert_eq!(idle_until.0, idle_until.1);
    }
);

both!(
    a_new_password_cannot_be_one_of_the_last_five,
    |db: &TestDb| {
        let a = person(db, "clerk2");
        let SignIn::Ok(s) = auth::sign_in(&db.store, "clerk2", PASSWORD, T0).unwrap() else {
            panic!("sign-in failed");
        };
        let change =
            |old: &str, new: &str| auth::change_password(&db.store, &a, &s.token, old, new);
        let names: Vec<String> = (1..=5).map(|i| format!("Passw0rd-{i}x")).collect();
        // The current one is refused.
        assert!(matches!(
            change(PASSWORD, PASSWORD),
            Err(StoreError::Invalid(e)) if e[0].field == "new_password"
        ));
        let mut current = PASSWORD.to_string();
        for n in &names {
            change(&current, n).unwrap();
            current.clone_from(n);
        }
        // The four before the current one are refused; the one before them is free again.
        for old in &names[..4] {
            assert!(
                matches!(change(&current, old), Err(StoreError::Invalid(_))),
                "{old} was taken again"
            );
        }
        change(&current, PASSWORD).unwrap();
        let kept = db
            .store
            .read(|tx| {
                tx.query_opt(
                    "SELECT COUNT(*) FROM password_history WHERE user_id = ?",
                    fazhi_store::vals![a.user_id],
                )?
                .unwrap()
                .i64(0)
            })
            .unwrap();
        assert_eq!(kept, auth::PASSWORD_HISTORY - 1);
    }
);

both!(every_permission_change_is_on_the_chain, |db: &TestDb| {
    let a = person(db, "clerk3");
    let org_id = a.org_id;
    db.store
        .write(|tx| {
            let v = org::get_user(tx, a.user_id)?.version;
            org::grant_role(tx, By::System, a.user_id, v, org_id, Role::Officer)?;
            let v = org::get_user(tx, a.user_id)?.version;
            org::revoke_role(tx, By::System, a.user_id, v, org_id, Role::Admin)
        })
        .unwrap();
    let entries = db
        .store
        .read(|tx| fazhi_store::audit::timeline(tx, "user", &a.user_id.to_string()))
        .unwrap();
    let acts: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.summary.as_str()))
        .collect();
    for (action, role) in [
        ("org.grant_role", "\"admin\""),
        ("org.grant_role", "\"officer\""),
        ("org.revoke_role", "\"admin\""),
    ] {
        assert!(
            acts.iter().any(|(a, s)| *a == action && s.contains(role)),
            "{action} {role} not on the chain: {acts:?}"
        );
    }
});
