//! The foundation on both engines: orgs, people and roles, the audit chain, sessions and API
//! keys, publications, the read and write paths.

use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_store::audit::{self, Who};
use fazhi_store::auth::{self, SignIn};
use fazhi_store::org::{self, By, NewOrg, NewUser, OrgEdit, UserEdit};
use fazhi_store::{Query, StoreError, publication, vals};

use crate::common::{TestDb, postgres, sqlite};

struct Tree {
    city: i64,
    legal: i64,
    zhongyuan: i64,
    jinshui: i64,
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

fn tree(db: &TestDb) -> Tree {
    let city = new_org(db, None, "zz", "郑州市商务局", OrgKind::Bureau);
    let legal = new_org(db, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division);
    let zhongyuan = new_org(
        db,
        Some(city),
        "zhongyuan",
        "中原区商务局",
        OrgKind::CountyBureau,
    );
    let jinshui = new_org(
        db,
        Some(city),
        "jinshui",
        "金水区商务局",
        OrgKind::CountyBureau,
    );
    Tree {
        city,
        legal,
        zhongyuan,
        jinshui,
    }
}

fn user(db: &TestDb, username: &str, org_id: i64, role: Role) -> Actor {
    let hash = auth::hash_password("Fazhi@2026test").unwrap();
    db.store
        .write(|tx| {
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
            org::grant_role(tx, By::System, id, 1, org_id, role)?;
            Ok(org::load_actor(tx, id)?.unwrap())
        })
        .unwrap()
}

fn audit_count(db: &TestDb) -> i64 {
    db.store
        .read(|tx| {
            tx.query_opt("SELECT COUNT(*) FROM audit_log", &[])?
                .unwrap()
                .i64(0)
        })
        .unwrap()
}

both!(
    migrations_are_applied_once_and_then_nothing_is_left_to_do,
    |db: &TestDb| {
        assert!(db.store.migrate().unwrap().is_empty());
        assert!(db.store.is_migrated().unwrap());
    }
);

both!(
    orgs_get_paths_under_their_parent_and_every_write_is_on_a_verified_chain,
    |db: &TestDb| {
        let t = tree(db);
        let z = db.store.read(|tx| org::get_org(tx, t.zhongyuan)).unwrap();
        assert_eq!(z.path, format!("/{}/{}/", t.city, t.zhongyuan));
        let v = audit::verify(&db.store).unwrap().unwrap();
        assert_eq!(v.count, 4);
        assert_eq!(v.count, audit_count(db));
        let timeline = db
            .store
            .read(|tx| audit::timeline(tx, "org", &t.zhongyuan.to_string()))
            .unwrap();
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].action, "org.create_org");
    }
);

both!(
    a_county_admin_cannot_change_a_user_of_another_county_and_nothing_is_written,
    |db: &TestDb| {
        let t = tree(db);
        let admin = user(db, "js.admin", t.jinshui, Role::Admin);
        let victim = user(db, "zy.officer", t.zhongyuan, Role::Officer);
        let before = audit_count(db);
        let err = db
            .store
            .write(|tx| {
                org::update_user(
                    tx,
                    By::Actor(&admin),
                    victim.user_id,
                    2,
                    &UserEdit {
                        display_name: "改名".into(),
                        org_id: t.zhongyuan,
                        active: true,
                    },
                )
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        assert_eq!(audit_count(db), before);
        let u = db
            .store
            .read(|tx| org::get_user(tx, victim.user_id))
            .unwrap();
        assert_eq!(u.display_name, "测试zy.officer");
    }
);

both!(
    the_city_legal_division_sees_every_county_but_only_its_admin_may_manage,
    |db: &TestDb| {
        let t = tree(db);
        let legal = user(db, "fzc", t.legal, Role::LegalDivision);
        let scopes = legal.view_scopes();
        let orgs = db.store.read(|tx| org::list_orgs(tx, &scopes)).unwrap();
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        assert!(ids.contains(&t.zhongyuan) && ids.contains(&t.jinshui) && ids.contains(&t.city));
        let err = db
            .store
            .write(|tx| {
                org::update_org(
                    tx,
                    By::Actor(&legal),
                    t.jinshui,
                    1,
                    &OrgEdit {
                        name: "x".into(),
                        code: "jinshui".into(),
                        sort_order: 0,
                        active: true,
                    },
                )
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(r) if r.code == "org.not_admin"));
    }
);

both!(
    a_stale_version_is_a_conflict_with_the_current_version_and_the_first_edit_stays,
    |db: &TestDb| {
        let t = tree(db);
        let edit = |name: &str| OrgEdit {
            name: name.into(),
            code: "jinshui".into(),
            sort_order: 0,
            active: true,
        };
        let first = db
            .store
            .write(|tx| org::update_org(tx, By::System, t.jinshui, 1, &edit("金水区商务局（新）")))
            .unwrap();
        assert_eq!(first.version, 2);
        let err = db
            .store
            .write(|tx| org::update_org(tx, By::System, t.jinshui, 1, &edit("另一个名字")))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { current: 2 }),
            "{err:?}"
        );
        let now = db.store.read(|tx| org::get_org(tx, t.jinshui)).unwrap();
        assert_eq!(now.name, "金水区商务局（新）");
    }
);

both!(
    a_duplicate_org_code_is_a_field_error_and_rolls_back_its_audit_entry,
    |db: &TestDb| {
        let t = tree(db);
        let before = audit_count(db);
        let err = db
            .store
            .write(|tx| {
                org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: Some(t.city),
                        code: "jinshui".into(),
                        name: "重复".into(),
                        kind: OrgKind::CountyBureau,
                        sort_order: 0,
                    },
                )
            })
            .unwrap_err();
        match err {
            StoreError::Invalid(f) => assert_eq!(f[0].message, "「单位代码」已被其他单位使用"),
            e => panic!("{e:?}"),
        }
        assert_eq!(audit_count(db), before);
        assert!(audit::verify(&db.store).unwrap().is_ok());
    }
);

both!(
    sign_in_is_paused_after_five_failures_and_says_for_how_long,
    |db: &TestDb| {
        let t = tree(db);
        user(db, "zy.officer", t.zhongyuan, Role::Officer);
        let now = 1_800_000_000_000;
        for i in 0..5 {
            match auth::sign_in(&db.store, "zy.officer", "wrong-password1", now + i).unwrap() {
                SignIn::Failed { remaining } => assert_eq!(remaining, 4 - i),
                other => panic!("{other:?}"),
            }
        }
        match auth::sign_in(&db.store, "zy.officer", "Fazhi@2026test", now + 10).unwrap() {
            SignIn::Throttled { minutes } => assert_eq!(minutes, 15),
            other => panic!("{other:?}"),
        }
        let later = now + auth::THROTTLE_WINDOW_MS + 1;
        let SignIn::Ok(session) =
            auth::sign_in(&db.store, "zy.officer", "Fazhi@2026test", later).unwrap()
        else {
            panic!("sign-in after the pause failed");
        };
        let (actor, csrf) = db
            .store
            .read(|tx| auth::session_actor(tx, &session.token, later))
            .unwrap()
            .unwrap();
        assert_eq!(actor.username, "zy.officer");
        assert_eq!(csrf, session.csrf_token);
        assert!(
            db.store
                .read(|tx| auth::session_actor(tx, "forged", later))
                .unwrap()
                .is_none()
        );
        db.store
            .write(|tx| auth::sign_out(tx, &actor, &session.token))
            .unwrap();
        assert!(
            db.store
                .read(|tx| auth::session_actor(tx, &session.token, later))
                .unwrap()
                .is_none()
        );
        assert!(audit::verify(&db.store).unwrap().is_ok());
    }
);

both!(an_api_key_acts_as_its_owner_until_revoked, |db: &TestDb| {
    let t = tree(db);
    let a = user(db, "js.officer", t.jinshui, Role::Officer);
    let (id, secret) = db
        .store
        .write(|tx| auth::create_api_key(tx, &a, "省平台对接"))
        .unwrap();
    let who = db
        .store
        .read(|tx| auth::api_key_actor(tx, &secret))
        .unwrap()
        .unwrap();
    assert_eq!(who.user_id, a.user_id);
    db.store
        .write(|tx| auth::revoke_api_key(tx, &a, id))
        .unwrap();
    assert!(
        db.store
            .read(|tx| auth::api_key_actor(tx, &secret))
            .unwrap()
            .is_none()
    );
    let again = db
        .store
        .write(|tx| auth::revoke_api_key(tx, &a, id))
        .unwrap_err();
    assert!(matches!(again, StoreError::Refused(_)));
});

both!(a_changed_audit_row_is_named_by_verify, |db: &TestDb| {
    tree(db);
    db.store
        .write(|tx| {
            tx.exec(
                "UPDATE audit_log SET summary = '{}' WHERE seq = ?",
                vals![3_i64],
            )?;
            Ok(())
        })
        .unwrap();
    let broken = audit::verify(&db.store).unwrap().unwrap_err();
    assert_eq!(
        broken,
        fazhi_domain::audit::ChainBreak::HashMismatch { seq: 3 }
    );
});

both!(
    cutting_entries_off_the_end_of_the_chain_is_caught,
    |db: &TestDb| {
        tree(db);
        db.store
            .write(|tx| {
                tx.exec("DELETE FROM audit_log WHERE seq = ?", vals![4_i64])?;
                Ok(())
            })
            .unwrap();
        assert!(audit::verify(&db.store).unwrap().is_err());
    }
);

both!(
    a_checkpoint_signs_the_head_once_and_is_published_for_the_portal,
    |db: &TestDb| {
        tree(db);
        let key = audit::load_or_create_signing_key(&db.dir).unwrap();
        let same = audit::load_or_create_signing_key(&db.dir).unwrap();
        assert_eq!(key.to_bytes(), same.to_bytes());
        let cp = audit::checkpoint(&db.store, &key).unwrap().unwrap();
        assert_eq!(cp.seq, 4);
        assert!(cp.signature_is_valid());
        let mut forged = cp.clone();
        forged.head_hash = "00".repeat(32);
        assert!(!forged.signature_is_valid());
        assert!(audit::checkpoint(&db.store, &key).unwrap().is_none());
        let published = db
            .store
            .read(|tx| publication::list(tx, publication::KIND_AUDIT_CHECKPOINT, 10))
            .unwrap();
        assert_eq!(published.len(), 1);
        assert_eq!(published[0].body["head_hash"], cp.head_hash);
    }
);

both!(
    concurrent_writers_leave_a_gap_free_verified_chain,
    |db: &TestDb| {
        let t = tree(db);
        std::thread::scope(|s| {
            for w in 0..4 {
                let store = &db.store;
                s.spawn(move || {
                    for i in 0..10 {
                        store
                            .write(|tx| {
                                audit::append(
                                    tx,
                                    &Who::system(),
                                    Some(t.city),
                                    "test.touch",
                                    "org",
                                    &t.city.to_string(),
                                    serde_json::json!({ "w": w, "i": i }),
                                )
                            })
                            .unwrap();
                    }
                });
            }
        });
        let v = audit::verify(&db.store).unwrap().unwrap();
        assert_eq!(v.count, 44);
    }
);

both!(
    deactivating_a_user_ends_their_sessions_and_stops_sign_in,
    |db: &TestDb| {
        let t = tree(db);
        let a = user(db, "zy.clerk", t.zhongyuan, Role::Clerk);
        let now = fazhi_store::now_ms();
        let SignIn::Ok(s) = auth::sign_in(&db.store, "zy.clerk", "Fazhi@2026test", now).unwrap()
        else {
            panic!()
        };
        let version = db
            .store
            .read(|tx| org::get_user(tx, a.user_id))
            .unwrap()
            .version;
        db.store
            .write(|tx| {
                org::update_user(
                    tx,
                    By::System,
                    a.user_id,
                    version,
                    &UserEdit {
                        display_name: "测试".into(),
                        org_id: t.zhongyuan,
                        active: false,
                    },
                )
            })
            .unwrap();
        assert!(
            db.store
                .read(|tx| auth::session_actor(tx, &s.token, now))
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            auth::sign_in(&db.store, "zy.clerk", "Fazhi@2026test", now).unwrap(),
            SignIn::Failed { .. }
        ));
        let _ = t.legal;
    }
);

both!(
    a_session_is_resolved_in_one_statement_with_every_role_in_an_active_unit,
    |db: &TestDb| {
        let t = tree(db);
        let a = user(db, "zy.officer", t.zhongyuan, Role::Officer);
        assert!(
            db.store
                .read(|tx| org::load_actor(tx, 0))
                .unwrap()
                .is_none()
        );
        db.store
            .write(|tx| {
                let u = org::get_user(tx, a.user_id)?;
                org::grant_role(
                    tx,
                    By::System,
                    a.user_id,
                    u.version,
                    t.legal,
                    Role::LegalReviewer,
                )
            })
            .unwrap();
        let now = 1_800_000_000_000;
        let SignIn::Ok(session) =
            auth::sign_in(&db.store, "zy.officer", "Fazhi@2026test", now).unwrap()
        else {
            panic!("sign-in failed");
        };
        let resolve = || {
            db.store
                .read_one(|tx| auth::session_actor(tx, &session.token, now + 1))
                .unwrap()
                .unwrap()
                .0
        };
        let mut roles: Vec<_> = resolve()
            .grants
            .iter()
            .map(|g| (g.org_id, g.role))
            .collect();
        roles.sort_by_key(|r| r.0);
        assert_eq!(
            roles,
            vec![(t.legal, Role::LegalReviewer), (t.zhongyuan, Role::Officer)]
        );
        // A role in a unit no longer in use reaches nothing.
        let legal = db.store.read(|tx| org::get_org(tx, t.legal)).unwrap();
        db.store
            .write(|tx| {
                org::update_org(
                    tx,
                    By::System,
                    t.legal,
                    legal.version,
                    &OrgEdit {
                        name: legal.name.clone(),
                        code: legal.code.clone(),
                        sort_order: legal.sort_order,
                        active: false,
                    },
                )
            })
            .unwrap();
        let after = resolve();
        assert_eq!(after.username, "zy.officer");
        assert_eq!(
            after.grants.iter().map(|g| g.org_id).collect::<Vec<_>>(),
            vec![t.zhongyuan]
        );
        // An expired session resolves to nobody.
        assert!(
            db.store
                .read_one(|tx| auth::session_actor(
                    tx,
                    &session.token,
                    now + auth::SESSION_LIFETIME_MS + 1
                ))
                .unwrap()
                .is_none()
        );
    }
);

both!(
    a_read_outside_a_transaction_runs_one_statement_and_changes_nothing,
    |db: &TestDb| {
        let one = db
            .store
            .read_one(|tx| {
                tx.query_opt("SELECT COUNT(*) FROM orgs", &[])?
                    .unwrap()
                    .i64(0)
            })
            .unwrap();
        assert_eq!(one, 0);
        let second = db.store.read_one(|tx| {
            tx.query("SELECT COUNT(*) FROM orgs", &[])?;
            tx.query("SELECT COUNT(*) FROM users", &[])
        });
        assert!(matches!(second, Err(StoreError::Db(_))), "{second:?}");
        let write = db.store.read_one(|tx| {
            tx.exec(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)",
                &[],
            )
        });
        assert!(matches!(write, Err(StoreError::Db(_))), "{write:?}");
        let n = db
            .store
            .read(|tx| {
                tx.query_opt(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = 999",
                    &[],
                )?
                .unwrap()
                .i64(0)
            })
            .unwrap();
        assert_eq!(n, 0);
    }
);

both!(
    queries_read_together_answer_in_order_and_one_failing_fails_the_whole_work,
    |db: &TestDb| {
        let t = tree(db);
        let q = |sql: &str, id: i64| Query::new(sql, vals![id]);
        let rows = db
            .store
            .read(|tx| {
                tx.query_all(&[
                    q("SELECT name FROM orgs WHERE id = ?", t.jinshui),
                    q("SELECT name FROM orgs WHERE id = ?", t.city),
                    q("SELECT name FROM orgs WHERE id = ?", -1),
                ])
            })
            .unwrap();
        let names: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|x| x.text(0).unwrap()).collect())
            .collect();
        assert_eq!(
            names,
            vec![
                vec!["金水区商务局".to_string()],
                vec!["郑州市商务局".to_string()],
                vec![]
            ]
        );
        // In a write, a failing query among several rolls back what the work had done.
        let before = audit_count(db);
        let failed = db.store.write(|tx| {
            org::create_org(
                tx,
                By::System,
                &NewOrg {
                    parent_id: Some(t.city),
                    code: "erqi".into(),
                    name: "二七区商务局".into(),
                    kind: OrgKind::CountyBureau,
                    sort_order: 0,
                },
            )?;
            tx.query_all(&[
                q("SELECT name FROM orgs WHERE id = ?", t.city),
                q("SELECT no_such_column FROM orgs WHERE id = ?", t.city),
            ])
        });
        assert!(failed.is_err());
        assert_eq!(audit_count(db), before);
        // The connection is clean for the next work on either engine.
        for _ in 0..3 {
            let n = db
                .store
                .read(|tx| {
                    tx.query_all(&[q("SELECT COUNT(*) FROM orgs WHERE id <> ?", 0)])?[0][0].i64(0)
                })
                .unwrap();
            assert_eq!(n, 4);
        }
    }
);

#[test]
fn a_read_on_postgres_ends_its_transaction_on_the_server_without_waiting_for_the_answer() {
    let db = postgres();
    let backend = || {
        db.store
            .read(|tx| {
                tx.query_opt("SELECT pg_backend_pid()", &[])?
                    .unwrap()
                    .i64(0)
            })
            .unwrap()
    };
    let pid = backend();
    // The connection goes back to the pool with the ROLLBACK sent but its answer unread; the
    // server has ended the transaction all the same (no snapshot held while idle).
    let url = std::env::var("FAZHI_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut other = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    let state = |c: &mut ::postgres::Client| -> String {
        c.query_one(
            "SELECT state FROM pg_stat_activity WHERE pid = $1",
            &[&i32::try_from(pid).unwrap()],
        )
        .unwrap()
        .get(0)
    };
    let mut seen = state(&mut other);
    for _ in 0..100 {
        if seen == "idle" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        seen = state(&mut other);
    }
    assert_eq!(seen, "idle");
    // The same connection serves the next read and write in order.
    assert_eq!(backend(), pid);
    let t = tree(&db);
    assert!(db.store.read(|tx| org::get_org(tx, t.city)).is_ok());
}

both!(
    a_query_planned_at_each_run_gives_the_same_answers_run_after_run,
    |db: &TestDb| {
        let t = tree(db);
        // More runs than PostgreSQL's five before it would settle on a generic plan.
        for run in 0..8 {
            let like = if run % 2 == 0 { "/%" } else { "/none/%" };
            let n = db
                .store
                .read(|tx| {
                    let rows = tx.query_replanned(
                        "SELECT COUNT(*) FROM orgs WHERE path LIKE ? AND id <> ?",
                        vals![like, t.legal],
                    )?;
                    let again = tx
                        .query_opt("SELECT COUNT(*) FROM orgs", &[])?
                        .unwrap()
                        .i64(0)?;
                    Ok((rows[0].i64(0)?, again))
                })
                .unwrap();
            assert_eq!(n, (if run % 2 == 0 { 3 } else { 0 }, 4), "run {run}");
        }
        let one = db
            .store
            .read_one(|tx| {
                tx.query_replanned("SELECT COUNT(*) FROM orgs WHERE id = ?", vals![t.city])
            })
            .unwrap();
        assert_eq!(one[0].i64(0).unwrap(), 1);
    }
);

both!(
    a_kept_form_is_read_once_by_its_own_session_and_page_and_ends_with_the_session,
    |db: &TestDb| {
        use fazhi_store::kept_form;
        let t = tree(db);
        user(db, "zy.officer", t.zhongyuan, Role::Officer);
        user(db, "zy.other", t.zhongyuan, Role::Officer);
        let now = fazhi_store::now_ms();
        let session =
            |name: &str| match auth::sign_in(&db.store, name, "Fazhi@2026test", now).unwrap() {
                SignIn::Ok(s) => s,
                other => panic!("{other:?}"),
            };
        let (mine, other) = (session("zy.officer"), session("zy.other"));
        let keep = |token: &str, path: &str, body: &str, at: i64| {
            db.store
                .write(|tx| kept_form::keep(tx, token, path, body, at))
                .unwrap();
        };
        let take = |token: &str, path: &str, at: i64| {
            db.store
                .write(|tx| kept_form::take(tx, token, path, at))
                .unwrap()
        };
        keep(&mine.token, "/app/cases/1", "first", now);
        keep(&mine.token, "/app/cases/1", "调查终结报告", now);
        keep(&mine.token, "/app/cases/2", "other page", now);
        assert_eq!(
            take(&other.token, "/app/cases/1", now),
            None,
            "not another's"
        );
        assert_eq!(
            take(&mine.token, "/app/cases/3", now),
            None,
            "not another page's"
        );
        assert_eq!(
            take(&mine.token, "/app/cases/1", now).as_deref(),
            Some("调查终结报告"),
            "the latest refusal of the page"
        );
        assert_eq!(take(&mine.token, "/app/cases/1", now), None, "read once");
        let late = now + kept_form::KEPT_FORM_LIFETIME_MS + 1;
        assert_eq!(take(&mine.token, "/app/cases/2", late), None, "expired");
        keep(&mine.token, "/app/cases/4", "x", now);
        db.store
            .write(|tx| auth::sign_out(tx, &mine.actor, &mine.token))
            .unwrap();
        let left = db
            .store
            .read(|tx| tx.query_opt("SELECT COUNT(*) FROM kept_forms", &[]))
            .unwrap()
            .unwrap()
            .i64(0)
            .unwrap();
        assert_eq!(left, 0, "signing out ends what the session kept");
    }
);

both!(
    the_chain_is_searched_by_record_person_action_and_date_a_page_at_a_time,
    |db: &TestDb| {
        use fazhi_store::audit::ChainFilter;
        let t = tree(db);
        let append = |who: &str, action: &str, subject: (&str, i64)| {
            db.store
                .write(|tx| {
                    audit::append(
                        tx,
                        &Who {
                            user_id: None,
                            name: who.into(),
                        },
                        Some(t.city),
                        action,
                        subject.0,
                        &subject.1.to_string(),
                        serde_json::json!({}),
                    )
                })
                .unwrap();
        };
        for i in 0..5 {
            append(
                "蒋涛（js.officer1）",
                "case.submit_report",
                ("penalty_case", 7),
            );
            append(
                "沈佳（js.officer2）",
                "case.add_evidence",
                ("penalty_case", 8),
            );
            append(
                "沈佳（js.officer2）",
                "disclosure.extend",
                ("disclosure_request", i),
            );
        }
        let search = |f: ChainFilter, before: Option<i64>, limit: i64| {
            db.store
                .read(|tx| audit::search(tx, &f, before, limit))
                .unwrap()
        };
        let all = search(ChainFilter::default(), None, 1000);
        assert!(
            all.len() >= 15 && all.windows(2).all(|w| w[0].seq > w[1].seq),
            "newest first"
        );
        let case7 = search(
            ChainFilter {
                subject: Some(("penalty_case".into(), "7".into())),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert_eq!(case7.len(), 5);
        assert!(case7.iter().all(|e| e.subject_id == "7"));
        let shen = search(
            ChainFilter {
                person: Some("js.officer2".into()),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert_eq!(shen.len(), 10, "by user name within the recorded name");
        let module = search(
            ChainFilter {
                person: Some("沈佳".into()),
                action: Some("case.".into()),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert_eq!(module.len(), 5, "every action of a module, with the person");
        assert!(module.iter().all(|e| e.action == "case.add_evidence"));
        let exact = search(
            ChainFilter {
                action: Some("disclosure.extend".into()),
                ..ChainFilter::default()
            },
            None,
            3,
        );
        assert_eq!(exact.len(), 3, "a page");
        let next = search(
            ChainFilter {
                action: Some("disclosure.extend".into()),
                ..ChainFilter::default()
            },
            Some(exact[2].seq),
            3,
        );
        assert_eq!(next.len(), 2, "the rest, below the cursor");
        assert!(next[0].seq < exact[2].seq);
        let at = all[0].at_ms;
        let none = search(
            ChainFilter {
                from_ms: Some(at + 1),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert!(none.is_empty(), "nothing after the last entry");
        let day = search(
            ChainFilter {
                from_ms: Some(at - 86_400_000),
                to_ms: Some(at + 1),
                action: Some("case.submit_report".into()),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert_eq!(day.len(), 5);
        let wild = search(
            ChainFilter {
                person: Some("%".into()),
                ..ChainFilter::default()
            },
            None,
            100,
        );
        assert!(
            wild.is_empty(),
            "a person is matched as typed, not as a pattern"
        );
        assert!(
            audit::verify(&db.store).unwrap().is_ok(),
            "reading changes nothing"
        );
    }
);

both!(
    a_record_number_names_its_record_on_the_chain,
    |db: &TestDb| {
        let t = tree(db);
        assert_eq!(
            db.store
                .read(|tx| audit::subject_by_number(tx, "不存在的编号"))
                .unwrap(),
            None
        );
        db.store
            .write(|tx| {
                tx.exec(
                    "INSERT INTO leads (lead_no, org_id, source, received_on, reporter,
                     party_kind, party_name, description, state, created_at, updated_at)
                     VALUES ('金水商务线〔2026〕1号', ?, 'complaint', '2026-06-01', '',
                     'org', '某公司', '线索', 'registered', 0, 0)",
                    vals![t.zhongyuan],
                )
            })
            .unwrap();
        let (kind, id) = db
            .store
            .read(|tx| audit::subject_by_number(tx, "金水商务线〔2026〕1号"))
            .unwrap()
            .unwrap();
        assert_eq!(kind, "lead");
        assert!(id.parse::<i64>().unwrap() > 0);
    }
);
