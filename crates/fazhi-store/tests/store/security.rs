//! What an attacker tried and can no longer do (issue 16), on both engines: a county reaching
//! for the city's power list and benchmarks, a key outliving its password, a stranger's typed
//! name growing the audit chain, parallel guesses past the throttle, a stranger locking a user
//! out, and files left readable by every local user.

use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_domain::power::{AdjustmentKind, LegalBasis, PowerItem, PowerKind};
use fazhi_store::auth::{self, SignIn};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::power::{self, NewAdjustment};
use fazhi_store::{StoreError, discretion, files};
use time::macros::date;

use crate::common::{TestDb, postgres, sqlite};

const PASSWORD: &str = "Fazhi@2026test";

struct City {
    city: i64,
    legal: i64,
    market: i64,
    jinshui: i64,
    jinshui_legal: i64,
}

fn new_org(db: &TestDb, parent: Option<i64>, code: &str, name: &str, kind: OrgKind) -> i64 {
    db.store
        .write(|tx| {
            org::create_org(
                tx,
                By::System,
                &NewOrg {
                    parent_id: parent,
                    code: code.into(),
                    name: name.into(),
                    kind,
                    sort_order: 0,
                },
            )
        })
        .unwrap()
}

fn city(db: &TestDb) -> City {
    let city = new_org(db, None, "zz", "郑州市商务局", OrgKind::Bureau);
    let legal = new_org(db, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division);
    let market = new_org(db, Some(city), "zz-scc", "市场秩序处", OrgKind::Division);
    let jinshui = new_org(
        db,
        Some(city),
        "jinshui",
        "金水区商务局",
        OrgKind::CountyBureau,
    );
    let jinshui_legal = new_org(db, Some(jinshui), "jinshui-fzg", "法制股", OrgKind::Unit);
    City {
        city,
        legal,
        market,
        jinshui,
        jinshui_legal,
    }
}

/// A person with one role in each of `grants` (org, role).
fn person(db: &TestDb, username: &str, grants: &[(i64, Role)]) -> Actor {
    let hash = auth::hash_password(PASSWORD).unwrap();
    db.store
        .write(|tx| {
            let id = org::create_user(
                tx,
                By::System,
                &NewUser {
                    username: username.into(),
                    display_name: format!("测试{username}"),
                    org_id: grants[0].0,
                    password_hash: hash.clone(),
                },
            )?;
            for (org_id, role) in grants {
                let v = org::get_user(tx, id)?.version;
                org::grant_role(tx, By::System, id, v, *org_id, *role)?;
            }
            Ok(org::load_actor(tx, id)?.unwrap())
        })
        .unwrap()
}

fn market_item() -> PowerItem {
    PowerItem {
        code: "ZZSW-QT-001".into(),
        name: "对单用途商业预付卡发卡企业的监督检查".into(),
        kind: PowerKind::Inspection,
        parent_code: None,
        bases: vec![LegalBasis {
            law: "单用途商业预付卡管理办法（试行）".into(),
            article: "第三十条".into(),
            text: String::new(),
        }],
        responsible_org: "zz-scc".into(),
        responsibilities: Vec::new(),
        accountability: String::new(),
        application: None,
        note: String::new(),
    }
}

fn cancel(db: &TestDb, by: &Actor) -> Result<i64, StoreError> {
    db.store.write(|tx| {
        power::adjust(
            tx,
            By::Actor(by),
            &NewAdjustment {
                kind: AdjustmentKind::Cancel,
                code: "ZZSW-QT-001".into(),
                item: None,
                reason: "职责调整，不再保留".into(),
                basis: "市政府关于调整权责清单的决定".into(),
                effective: date!(2026 - 06 - 01),
            },
        )
    })
}

both!(
    a_county_leader_or_county_legal_unit_can_no_longer_change_a_city_division_item,
    |db: &TestDb| {
        let c = city(db);
        db.store
            .write(|tx| {
                power::import(
                    tx,
                    By::System,
                    &[market_item()],
                    "测试",
                    "测试依据",
                    date!(2026 - 01 - 01),
                )
            })
            .unwrap();
        let leader = person(db, "js.leader", &[(c.jinshui, Role::Leader)]);
        let county_legal = person(db, "js.legal", &[(c.jinshui_legal, Role::LegalDivision)]);
        for a in [&leader, &county_legal] {
            match cancel(db, a) {
                Err(StoreError::Forbidden(r)) => {
                    assert_eq!(r.code, "power.not_approver_of_unit", "{}", a.username)
                }
                other => panic!("{}: {other:?}", a.username),
            }
        }
        let amended = PowerItem {
            responsible_org: "jinshui".into(),
            ..market_item()
        };
        let moved = db.store.write(|tx| {
            power::adjust(
                tx,
                By::Actor(&leader),
                &NewAdjustment {
                    kind: AdjustmentKind::Amend,
                    code: "ZZSW-QT-001".into(),
                    item: Some(amended),
                    reason: "改由区局实施".into(),
                    basis: "区政府决定".into(),
                    effective: date!(2026 - 06 - 01),
                },
            )
        });
        assert!(
            matches!(moved, Err(StoreError::Forbidden(_))),
            "nor move it to the county: {moved:?}"
        );
        let versions = db
            .store
            .read(|tx| power::versions(tx, "ZZSW-QT-001"))
            .unwrap();
        assert_eq!(versions.len(), 1);
        assert!(versions[0].valid_to.is_none(), "the item is still in force");
        let city_legal = person(db, "fzc.legal", &[(c.legal, Role::LegalDivision)]);
        cancel(db, &city_legal).unwrap();
        let _ = (c.city, c.market);
    }
);

both!(
    a_county_legal_unit_can_no_longer_publish_the_city_wide_discretion_benchmarks,
    |db: &TestDb| {
        let c = city(db);
        let shipped =
            discretion::parse_file(include_str!("../../../../data/discretion/benchmarks.toml"))
                .unwrap();
        let county_legal = person(db, "js.legal", &[(c.jinshui_legal, Role::LegalDivision)]);
        let r = db
            .store
            .write(|tx| discretion::publish(tx, By::Actor(&county_legal), &shipped));
        match r {
            Err(StoreError::Forbidden(r)) => assert_eq!(r.code, "discretion.not_legal_division"),
            other => panic!("{other:?}"),
        }
        let first = &shipped[0].0.code;
        assert!(
            db.store
                .read(|tx| discretion::versions(tx, first))
                .unwrap()
                .is_empty()
        );
        let city_legal = person(db, "fzc.legal", &[(c.legal, Role::LegalDivision)]);
        let published = db
            .store
            .write(|tx| discretion::publish(tx, By::Actor(&city_legal), &shipped))
            .unwrap();
        assert_eq!(published.len(), shipped.len());
    }
);

fn key_works(db: &TestDb, secret: &str) -> bool {
    db.store
        .read(|tx| auth::api_key_actor(tx, secret))
        .unwrap()
        .is_some()
}

both!(
    an_api_key_can_no_longer_outlive_a_password_change_or_an_administrators_reset,
    |db: &TestDb| {
        let c = city(db);
        let officer = person(db, "js.officer", &[(c.jinshui, Role::Officer)]);
        let admin = person(db, "js.admin", &[(c.jinshui, Role::Admin)]);
        let key = |db: &TestDb| {
            db.store
                .write(|tx| auth::create_api_key(tx, &officer, "对接"))
                .unwrap()
                .1
        };
        let before_change = key(db);
        assert!(key_works(db, &before_change));
        let SignIn::Ok(s) =
            auth::sign_in(&db.store, "js.officer", PASSWORD, fazhi_store::now_ms()).unwrap()
        else {
            panic!("sign-in failed");
        };
        auth::change_password(&db.store, &officer, &s.token, PASSWORD, "Another@2026pw").unwrap();
        assert!(
            !key_works(db, &before_change),
            "a key made before the password change still acts"
        );
        let before_reset = key(db);
        assert!(key_works(db, &before_reset));
        let hash = auth::hash_password("Reset@2026pw").unwrap();
        db.store
            .write(|tx| {
                let v = org::get_user(tx, officer.user_id)?.version;
                auth::reset_password(tx, By::Actor(&admin), officer.user_id, v, &hash)
            })
            .unwrap();
        assert!(
            !key_works(db, &before_reset),
            "a key made before the reset still acts"
        );
    }
);

both!(
    a_failed_sign_in_can_no_longer_write_a_long_typed_name_into_the_audit_chain,
    |db: &TestDb| {
        let name = "x".repeat(500_000);
        let r = auth::sign_in(&db.store, &name, "wrong-password1", fazhi_store::now_ms()).unwrap();
        assert!(matches!(r, SignIn::Failed { .. }), "{r:?}");
        let row = db
            .store
            .read(|tx| {
                tx.query_opt(
                    "SELECT actor_name, subject_id, summary FROM audit_log ORDER BY seq DESC",
                    &[],
                )
            })
            .unwrap()
            .unwrap();
        let len: usize = (0..3).map(|i| row.text(i).unwrap().len()).sum();
        assert!(len < 2_000, "the entry holds {len} bytes");
        assert!(row.text(0).unwrap().contains('…'), "the cut is marked");
        fazhi_store::audit::verify(&db.store).unwrap().unwrap();
    }
);

both!(
    thirty_parallel_guesses_can_no_longer_get_more_than_five_password_checks,
    |db: &TestDb| {
        let c = city(db);
        person(db, "zy.officer", &[(c.jinshui, Role::Officer)]);
        let now = fazhi_store::now_ms();
        let outcomes: Vec<SignIn> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..30)
                .map(|_| {
                    s.spawn(|| {
                        auth::sign_in(&db.store, "zy.officer", "wrong-password1", now).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let failed = outcomes
            .iter()
            .filter(|o| matches!(o, SignIn::Failed { .. }))
            .count();
        let paused = outcomes
            .iter()
            .filter(|o| matches!(o, SignIn::Throttled { .. }))
            .count();
        assert_eq!(
            (failed, paused),
            (5, 25),
            "five passwords checked, the rest paused"
        );
    }
);

both!(
    a_stranger_can_no_longer_lock_a_user_out_from_another_address,
    |db: &TestDb| {
        let c = city(db);
        person(db, "zy.officer", &[(c.jinshui, Role::Officer)]);
        let now = fazhi_store::now_ms();
        let stranger = "203.0.113.9";
        for _ in 0..6 {
            auth::sign_in_from(&db.store, stranger, "zy.officer", "wrong-password1", now).unwrap();
        }
        let r = auth::sign_in_from(&db.store, stranger, "zy.officer", PASSWORD, now).unwrap();
        assert!(
            matches!(r, SignIn::Throttled { .. }),
            "the stranger is paused: {r:?}"
        );
        let r = auth::sign_in_from(&db.store, "198.51.100.7", "zy.officer", PASSWORD, now).unwrap();
        assert!(
            matches!(r, SignIn::Ok(_)),
            "the user at their own desk signs in: {r:?}"
        );
        // Guessing many names from one address stops too.
        let sprayer = "192.0.2.66";
        let mut paused = false;
        for i in 0..(auth::THROTTLE_MAX_PER_ADDRESS + 1) {
            let r = auth::sign_in_from(&db.store, sprayer, &format!("name{i}"), "x", now).unwrap();
            paused = matches!(r, SignIn::Throttled { .. });
        }
        assert!(paused, "the address that guessed many names is paused");
    }
);

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
both!(
    other_local_users_can_no_longer_read_the_database_its_wal_or_stored_files,
    |db: &TestDb| {
        let sqlite_file = db.dir.join("fazhi.db");
        if sqlite_file.exists() {
            assert_eq!(mode(&sqlite_file), 0o600, "the database");
            let wal = db.dir.join("fazhi.db-wal");
            assert!(wal.exists());
            assert_eq!(mode(&wal), 0o600, "its write-ahead log");
        }
        let dir = db.dir.join("files");
        let sha = files::save(&dir, b"%PDF-1.4 evidence").unwrap();
        let stored = dir.join(&sha[..2]).join(&sha);
        assert_eq!(mode(&stored), 0o600, "an uploaded file");
        assert_eq!(mode(stored.parent().unwrap()), 0o700, "its directory");
        assert_eq!(mode(&dir), 0o700, "the files directory");
    }
);

both!(
    no_audit_entry_can_grow_past_its_bound_any_more,
    |db: &TestDb| {
        let who = fazhi_store::audit::Who {
            user_id: None,
            name: "名".repeat(10_000),
        };
        let seq = db
            .store
            .write(|tx| {
                fazhi_store::audit::append(
                    tx,
                    &who,
                    None,
                    "test.bounded",
                    "test",
                    &"i".repeat(10_000),
                    serde_json::json!({}),
                )
            })
            .unwrap();
        let row = db
            .store
            .read(|tx| {
                tx.query_opt(
                    "SELECT actor_name, subject_id FROM audit_log WHERE seq = ?",
                    fazhi_store::vals![seq],
                )
            })
            .unwrap()
            .unwrap();
        assert!(row.text(0).unwrap().chars().count() <= 201);
        assert!(row.text(1).unwrap().chars().count() <= 201);
        let huge =
            serde_json::json!({ "text": "x".repeat(fazhi_store::audit::ENTRY_SUMMARY_MAX_BYTES) });
        let r = db.store.write(|tx| {
            fazhi_store::audit::append(tx, &who, None, "test.bounded", "test", "1", huge.clone())
        });
        assert!(r.is_err(), "an entry over the bound is refused");
        fazhi_store::audit::verify(&db.store).unwrap().unwrap();
    }
);
