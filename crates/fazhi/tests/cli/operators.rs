//! The binary as operators use it: demo load, audit verification, backup under load and
//! restore, bootstrap of orgs and users.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;

use fazhi_store::Store;

use crate::{fazhi, stdout, temp_dir};

fn verified_count(data: &Path) -> i64 {
    let o = fazhi(data, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let s = stdout(&o);
    let n = s.split("共 ").nth(1).unwrap().split(' ').next().unwrap();
    n.parse().unwrap()
}

#[test]
fn the_demo_load_prints_the_sign_ins_and_a_second_load_changes_nothing() {
    let d = temp_dir();
    let o = fazhi(&d, &["demo"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("演示账号（密码均为 Fazhi@2026demo）"));
    for u in [
        "admin",
        "fzc.legal",
        "js.officer1",
        "zy.officer1",
        "advisor",
        "bgs.clerk",
    ] {
        assert!(out.contains(u), "{u} missing from the sign-ins");
    }
    let first = verified_count(&d);
    assert!(first > 50);
    assert!(fazhi(&d, &["demo"]).status.success());
    assert_eq!(verified_count(&d), first, "a second load writes nothing");
    let store = Store::open_sqlite(&d.join("fazhi.db")).unwrap();
    let orgs = store
        .read(|tx| {
            tx.query_opt(
                "SELECT COUNT(*) FROM orgs WHERE kind = 'county_bureau'",
                &[],
            )?
            .unwrap()
            .i64(0)
        })
        .unwrap();
    assert_eq!(orgs, 16, "the sixteen county and district bureaus");
    demo_users_have_work(&store);
}

/// The demo's people have something in 我的工作: records waiting for them and unread notices
/// of the steps taken on their cases (written by the actions the demo takes).
fn demo_users_have_work(store: &Store) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../procedures");
    let files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    let reg = fazhi_store::procedure::load_registry(store, &files).unwrap();
    let cal = store.read(fazhi_store::calendar::load).unwrap();
    let clock = fazhi_store::time_limit::Clock {
        cal: &cal,
        today: fazhi_web::today(),
        warn: 3,
    };
    let actor = |u: &str| {
        store
            .read(|tx| {
                let id = fazhi_store::org::user_id_by_username(tx, u)?.unwrap();
                Ok(fazhi_store::org::load_actor(tx, id)?.unwrap())
            })
            .unwrap()
    };
    for u in ["js.head", "js.officer1", "bgs.clerk"] {
        let a = actor(u);
        let waiting: usize = store
            .read(|tx| fazhi_store::work::queue(tx, &a, &reg, clock))
            .unwrap()
            .iter()
            .map(|(_, t)| t.len())
            .sum();
        assert!(waiting > 0, "nothing waits for {u}");
    }
    for u in ["js.officer1", "zy.officer1"] {
        let a = actor(u);
        let unread = store
            .read(|tx| fazhi_store::work::unread_count(tx, &a))
            .unwrap();
        assert!(unread > 0, "{u} has no unread notice");
    }
}

#[test]
fn audit_verify_fails_and_names_the_entry_changed_behind_its_back() {
    let d = temp_dir();
    assert!(fazhi(&d, &["demo"]).status.success());
    let store = Store::open_sqlite(&d.join("fazhi.db")).unwrap();
    store
        .write(|tx| {
            tx.exec(
                "UPDATE audit_log SET actor_name = '别人' WHERE seq = 10",
                &[],
            )?;
            Ok(())
        })
        .unwrap();
    let o = fazhi(&d, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("第 10 条记录的内容与其哈希不符"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_org_and_its_administrator_can_be_set_up_from_the_command_line() {
    let d = temp_dir();
    let o = fazhi(
        &d,
        &[
            "org",
            "add",
            "--code",
            "zz",
            "--name",
            "郑州市商务局",
            "--kind",
            "bureau",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args([
            "user",
            "add",
            "--username",
            "boss",
            "--name",
            "王局长",
            "--org",
            "zz",
            "--role",
            "admin",
        ])
        .env("FAZHI_NEW_PASSWORD", "weak")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("「密码」至少需要 10 个字符"));
    let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args([
            "user",
            "add",
            "--username",
            "boss",
            "--name",
            "王局长",
            "--org",
            "zz",
            "--role",
            "admin",
        ])
        .env("FAZHI_NEW_PASSWORD", "Strong-passw0rd")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(verified_count(&d), 3);
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(data: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("FAZHI_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let base = loop {
        let line = lines.next().expect("server printed its URL").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break format!("http://{}", rest.split('/').next().unwrap());
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Server(child), base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_write_and_verifies() {
    let d = temp_dir();
    assert!(fazhi(&d, &["demo"]).status.success());
    let key = {
        let store = Store::open_sqlite(&d.join("fazhi.db")).unwrap();
        store
            .write(|tx| {
                let id = fazhi_store::org::user_id_by_username(tx, "admin")?.unwrap();
                let actor = fazhi_store::org::load_actor(tx, id)?.unwrap();
                fazhi_store::auth::create_api_key(tx, &actor, "备份测试")
            })
            .unwrap()
            .1
    };
    let city_id = {
        let store = Store::open_sqlite(&d.join("fazhi.db")).unwrap();
        store
            .read(|tx| Ok(fazhi_store::org::get_org_by_code(tx, "zz")?.unwrap().id))
            .unwrap()
    };
    let (_server, base) = start_server(&d);

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acked = std::sync::Arc::new(std::sync::Mutex::new(
        Vec::<(std::time::Instant, String)>::new(),
    ));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (stop, acked, base, key) = (stop.clone(), acked.clone(), base.clone(), key.clone());
        writers.push(tokio::spawn(async move {
            let c = reqwest::Client::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let code = format!("load-{w}-{i}");
                let r = c
                    .post(format!("{base}/api/v1/orgs"))
                    .bearer_auth(&key)
                    .json(&serde_json::json!({ "parent_id": city_id, "code": code, "name": "负载测试单位", "kind": "unit" }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                acked.lock().unwrap().push((std::time::Instant::now(), code));
                i += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let backup_dir = d.join("backup");
    let backup_started = std::time::Instant::now();
    let (dd, bd) = (d.clone(), backup_dir.clone());
    let o = tokio::task::spawn_blocking(move || fazhi(&dd, &["backup", bd.to_str().unwrap()]))
        .await
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let before: Vec<String> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(t, _)| *t < backup_started)
        .map(|(_, c)| c.clone())
        .collect();
    assert!(
        before.len() > 10,
        "the load ran before the backup ({} writes)",
        before.len()
    );

    let restored = d.join("restored");
    let o = fazhi(&restored, &["restore", backup_dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    verified_count(&restored);
    let store = Store::open_sqlite(&restored.join("fazhi.db")).unwrap();
    for code in &before {
        let found = store
            .read(|tx| fazhi_store::org::get_org_by_code(tx, code))
            .unwrap();
        assert!(
            found.is_some(),
            "{code} was acknowledged before the backup but is missing"
        );
    }
    assert!(restored.join("audit-signing.key").exists());
    let again = fazhi(&restored, &["restore", backup_dir.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "restore never overwrites a database"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("拒绝覆盖"));
}

#[test]
fn import_power_list_takes_all_rows_or_none_and_export_round_trips() {
    let d = temp_dir();
    assert!(fazhi(&d, &["demo"]).status.success());
    let header = "事项编码,事项名称,事项类型,实施依据,责任单位\r\n";
    let good = "CLI-CF-001,对甲的处罚,行政处罚,《商业特许经营管理条例》第二十五条,zz-zfzd\r\n";
    let bad = format!(
        "{header}{good}CLI-CF-002,对乙的处罚,行政罚款,《商业特许经营管理条例》第二十五条,zz-zfzd\r\nCLI-CF-003,对丙的处罚,行政处罚,第二十五条,zz-zfzd\r\n"
    );
    std::fs::write(d.join("bad.csv"), bad).unwrap();
    let args = |f: &str| {
        vec![
            "import".to_string(),
            "power-list".into(),
            d.join(f).display().to_string(),
            "--reason".into(),
            "测试".into(),
            "--basis".into(),
            "市政府决定".into(),
            "--effective".into(),
            "2026-01-01".into(),
        ]
    };
    let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(args("bad.csv"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("第 3 行「事项类型」")
            && err.contains("第 4 行「实施依据」")
            && err.contains("未导入任何事项"),
        "{err}"
    );
    std::fs::write(d.join("good.csv"), format!("{header}{good}")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(args("good.csv"))
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("已导入 1 个事项"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = fazhi(
        &d,
        &[
            "export",
            "power-list",
            d.join("out.csv").to_str().unwrap(),
            "--as-of",
            "2026-06-01",
        ],
    );
    assert!(
        stdout(&o).contains("已导出 2026-06-01 在册的"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(d.join("out.csv")).unwrap();
    assert!(
        text.contains("CLI-CF-001")
            && text.contains("ZZSW-XK-001")
            && !text.contains("ZZSW-XK-005"),
        "the cancelled item is not in force in 2026"
    );
    assert!(fazhi(&d, &["audit", "verify"]).status.success());
}

#[test]
fn a_database_concurrency_that_is_not_a_positive_number_is_refused_at_start() {
    let d = temp_dir();
    for bad in ["0", "许多", "-3"] {
        let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .arg("--data-dir")
            .arg(&d)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env_remove("FAZHI_DATABASE_URL")
            .env("FAZHI_DATABASE_CONCURRENCY", bad)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{bad} was accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(&format!("FAZHI_DATABASE_CONCURRENCY 应为正整数：{bad}")),
            "{err}"
        );
    }
}

#[test]
fn the_search_index_is_rebuilt_from_the_database_into_the_data_directory() {
    let d = temp_dir();
    assert!(fazhi(&d, &["demo"]).status.success());
    let o = fazhi(&d, &["search", "rebuild"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let count: u64 = out
        .split("检索索引已重建：")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    let store = Store::open_sqlite(&d.join("fazhi.db")).unwrap();
    let (powers, cases) = store
        .read(|tx| {
            let mut n = |sql: &str| -> Result<i64, fazhi_store::StoreError> {
                tx.query_opt(sql, &[])?.map_or(Ok(0), |r| r.i64(0))
            };
            Ok((
                n("SELECT COUNT(*) FROM published_power_items")?,
                n("SELECT COUNT(*) FROM penalty_cases")?,
            ))
        })
        .unwrap();
    assert!(powers > 0 && cases > 0);
    // Every version of the power list and every case, and the published decisions.
    assert!(
        count >= u64::try_from(powers + cases).unwrap(),
        "{count} documents for {powers} items and {cases} cases"
    );
    assert!(d.join("search").join("meta.json").exists());
    let _ = std::fs::remove_dir_all(&d);
}
