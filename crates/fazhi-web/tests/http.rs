//! HTTP tests: the real router on a real port (`TestApp::spawn()` on port 0), a real database
//! (SQLite in a temp dir; PostgreSQL in a fresh schema for the tests marked so), real requests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use fazhi_domain::org::{OrgKind, Role};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::{Store, audit, auth};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "Fazhi@2026test";
const SHIPPED_NOTICES: &str = include_str!("../../../data/calendar/holidays.toml");
static COUNTER: AtomicU64 = AtomicU64::new(0);

struct Ids {
    city: i64,
    zhongyuan: i64,
    jinshui: i64,
    zy_officer: i64,
}

struct TestApp {
    base: String,
    store: Arc<Store>,
    ids: Ids,
    dir: std::path::PathBuf,
    pg: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((url, schema)) = self.pg.clone() {
            // The synchronous client must not run on the test's async runtime thread.
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            })
            .join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{n}_{t}", std::process::id())
}

fn fixture(store: &Store) -> Ids {
    let hash = auth::hash_password(PASSWORD).unwrap();
    store
        .write(|tx| {
            let mk = |tx: &mut dyn fazhi_store::Tx, parent, code: &str, name: &str, kind| {
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
            };
            let city = mk(tx, None, "zz", "郑州市商务局", OrgKind::Bureau)?;
            let legal = mk(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
            let zhongyuan = mk(
                tx,
                Some(city),
                "zhongyuan",
                "中原区商务局",
                OrgKind::CountyBureau,
            )?;
            let jinshui = mk(
                tx,
                Some(city),
                "jinshui",
                "金水区商务局",
                OrgKind::CountyBureau,
            )?;
            let mut user = |username: &str, name: &str, org_id: i64, role: Role| {
                let id = org::create_user(
                    tx,
                    By::System,
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        org_id,
                        password_hash: hash.clone(),
                    },
                )?;
                org::grant_role(tx, By::System, id, 1, org_id, role)?;
                Ok::<_, fazhi_store::StoreError>(id)
            };
            user("admin", "王建国", city, Role::Admin)?;
            user("fzc.legal", "张明远", legal, Role::LegalDivision)?;
            user("js.officer", "蒋涛", jinshui, Role::Officer)?;
            user("js.admin", "冯国庆", jinshui, Role::Admin)?;
            user("js.leader", "褚红梅", jinshui, Role::Leader)?;
            let zy_officer = user("zy.officer", "尤俊杰", zhongyuan, Role::Officer)?;
            Ok(Ids {
                city,
                zhongyuan,
                jinshui,
                zy_officer,
            })
        })
        .unwrap()
}

impl TestApp {
    async fn spawn() -> Self {
        let dir = std::env::temp_dir().join(format!("fazhi-http-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("fazhi.db")).unwrap();
        Self::start(store, dir, None).await
    }

    /// An instance that admits `n` pieces of database work at once.
    async fn spawn_admitting(n: usize) -> Self {
        let dir = std::env::temp_dir().join(format!("fazhi-http-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("fazhi.db")).unwrap();
        Self::start_with(store, dir, None, n).await
    }

    async fn spawn_postgres() -> Self {
        let url = std::env::var("FAZHI_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("h_{}", unique());
        let dir = std::env::temp_dir().join(format!("fazhi-http-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let (u, s) = (url.clone(), schema.clone());
        let store = tokio::task::spawn_blocking(move || Store::open_postgres(&u, Some(&s)))
            .await
            .unwrap()
            .expect("PostgreSQL is needed for these tests");
        Self::start(store, dir, Some((url, schema))).await
    }

    async fn start(store: Store, dir: std::path::PathBuf, pg: Option<(String, String)>) -> Self {
        Self::start_with(store, dir, pg, fazhi_web::default_database_concurrency()).await
    }

    async fn start_with(
        store: Store,
        dir: std::path::PathBuf,
        pg: Option<(String, String)>,
        database_concurrency: usize,
    ) -> Self {
        let store = Arc::new(store);
        let s = store.clone();
        let ids = tokio::task::spawn_blocking(move || {
            s.migrate().unwrap();
            fixture(&s)
        })
        .await
        .unwrap();
        let settings = fazhi_web::Settings {
            body_limit: 64 * 1024,
            files_dir: dir.join("files"),
            database_concurrency,
            ..fazhi_web::Settings::default()
        };
        let s = store.clone();
        let state = tokio::task::spawn_blocking(move || {
            fazhi_store::calendar::seed(&s, SHIPPED_NOTICES).unwrap();
            fazhi_store::discretion::seed(
                &s,
                include_str!("../../../data/discretion/benchmarks.toml"),
            )
            .unwrap();
            let files = vec![
                (
                    "procedures/disclosure-request.toml".to_string(),
                    include_str!("../../../procedures/disclosure-request.toml").to_string(),
                ),
                (
                    "procedures/licensing-application.toml".to_string(),
                    include_str!("../../../procedures/licensing-application.toml").to_string(),
                ),
                (
                    "procedures/penalty-general.toml".to_string(),
                    include_str!("../../../procedures/penalty-general.toml").to_string(),
                ),
            ];
            let reg = fazhi_store::procedure::load_registry(&s, &files).unwrap();
            fazhi_web::AppState::new(s, settings, reg).unwrap()
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, fazhi_web::router(state)).await });
        TestApp {
            base,
            store,
            ids,
            dir,
            pg,
        }
    }

    /// A second instance on the same PostgreSQL schema (DESIGN §8: instances are stateless).
    async fn second_instance(&self) -> String {
        let (url, schema) = self.pg.clone().expect("a PostgreSQL app");
        let files = self.dir.join("files");
        let state = tokio::task::spawn_blocking(move || {
            let store = Arc::new(Store::open_postgres(&url, Some(&schema)).unwrap());
            let procs = vec![
                (
                    "procedures/disclosure-request.toml".to_string(),
                    include_str!("../../../procedures/disclosure-request.toml").to_string(),
                ),
                (
                    "procedures/licensing-application.toml".to_string(),
                    include_str!("../../../procedures/licensing-application.toml").to_string(),
                ),
                (
                    "procedures/penalty-general.toml".to_string(),
                    include_str!("../../../procedures/penalty-general.toml").to_string(),
                ),
            ];
            let reg = fazhi_store::procedure::load_registry(&store, &procs).unwrap();
            let settings = fazhi_web::Settings {
                files_dir: files,
                ..fazhi_web::Settings::default()
            };
            fazhi_web::AppState::new(store, settings, reg).unwrap()
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, fazhi_web::router(state)).await });
        base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn browser() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the form, as a browser would; returns the browser and its CSRF token.
    async fn sign_in(&self, username: &str) -> (reqwest::Client, String) {
        let b = Self::browser();
        let page = b
            .get(self.url("/app/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let r = b
            .post(self.url("/app/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {username} failed"
        );
        let work = b
            .get(self.url("/app/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&work);
        (b, csrf)
    }

    async fn api_key(&self, username: &str) -> String {
        let s = self.store.clone();
        let u = username.to_string();
        tokio::task::spawn_blocking(move || {
            s.write(|tx| {
                let id = org::user_id_by_username(tx, &u)?.unwrap();
                let actor = org::load_actor(tx, id)?.unwrap();
                auth::create_api_key(tx, &actor, "测试")
            })
        })
        .await
        .unwrap()
        .unwrap()
        .1
    }

    async fn audit_count(&self) -> i64 {
        let s = self.store.clone();
        tokio::task::spawn_blocking(move || audit::verify(&s).unwrap().unwrap().count)
            .await
            .unwrap()
    }
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("page has a CSRF field") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

fn api(key: &str) -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {key}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(h)
        .build()
        .unwrap()
}

async fn problem(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let ct = r.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(ct, "application/problem+json", "status {status}");
    (status, r.json().await.unwrap())
}

/// Visible text of a page: tags removed, and elements marked `lang="en"` (the language switch)
/// left out.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i..tag_end];
        rest = &rest[tag_end..];
        if tag.contains("lang=\"en\"") || tag.starts_with("<style") || tag.starts_with("<pre") {
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let close = format!("</{name}>");
            let j = rest.find(&close).map_or(rest.len(), |j| j + close.len());
            rest = &rest[j..];
        }
    }
    out.push_str(rest);
    out
}

/// English words in a Chinese page, after removing data that is legitimately ASCII.
fn english_words(html: &str, data: &[&str]) -> Vec<String> {
    let mut text = visible_text(html);
    let mut data = data.to_vec();
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in data {
        text = text.replace(d, " ");
    }
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .filter(|w| !w.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    assert_eq!(
        c.get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        c.get(app.url("/readyz")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_officer_signs_in_sees_my_work_with_own_navigation_and_signs_out() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let page = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("我的工作") && page.contains("蒋涛") && page.contains("金水区商务局"));
    assert!(page.contains("href=\"/app/orgs\""));
    assert!(
        !page.contains("href=\"/app/users\""),
        "an officer has no people list"
    );
    assert!(
        !page.contains("href=\"/app/audit\""),
        "an officer does not supervise the chain"
    );
    assert!(page.contains("登录"), "the sign-in is on my recent actions");
    let r = b
        .post(app.url("/app/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b.get(app.url("/app/work")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/app/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_one_piece_of_database_work_at_a_time_many_requests_at_once_are_all_answered_in_turn()
{
    let app = TestApp::spawn_admitting(1).await;
    let (b, _) = app.sign_in("js.officer").await;
    let pages = (0..16).map(|_| {
        let (b, url) = (b.clone(), app.url("/app/work"));
        tokio::spawn(async move {
            let r = b.get(url).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        })
    });
    for p in pages.collect::<Vec<_>>() {
        let (status, page) = p.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("我的工作") && page.contains("蒋涛"));
    }
}

#[tokio::test]
async fn each_role_sees_only_the_navigation_it_may_use() {
    let app = TestApp::spawn().await;
    let nav = |p: &str| {
        ["/app/work", "/app/orgs", "/app/users", "/app/audit"]
            .iter()
            .filter(|h| p.contains(&format!("href=\"{h}\"")))
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
    };
    let (b, _) = app.sign_in("admin").await;
    let p = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        nav(&p),
        ["/app/work", "/app/orgs", "/app/users", "/app/audit"]
    );
    let (b, _) = app.sign_in("js.admin").await;
    let p = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(nav(&p), ["/app/work", "/app/orgs", "/app/users"]);
    let (b, _) = app.sign_in("fzc.legal").await;
    let p = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        nav(&p),
        ["/app/work", "/app/orgs", "/app/users", "/app/audit"]
    );
    let r = app
        .sign_in("js.officer")
        .await
        .0
        .get(app.url("/app/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("只有市局法制机构"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_chinese_and_the_sixth_attempt_is_paused() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
    let page = b
        .get(app.url("/app/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    for i in 0..5 {
        let r = b
            .post(app.url("/app/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "js.officer"),
                ("password", "wrong-pass1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = r.text().await.unwrap();
        assert!(body.contains("用户名或密码错误"), "{body}");
        assert!(body.contains(&format!("再失败 {} 次", 4 - i)));
    }
    let r = b
        .post(app.url("/app/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "js.officer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("请在 15 分钟后再试"));
}

#[tokio::test]
async fn a_sign_in_without_the_form_token_is_refused_and_opens_no_session() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
    let r = b
        .post(app.url("/app/login"))
        .form(&[("username", "js.officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("安全校验未通过"));
    let r = b.get(app.url("/app/work")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_form_without_the_session_token_changes_nothing() {
    let app = TestApp::spawn().await;
    let (b, _) = app.sign_in("admin").await;
    let before = app.audit_count().await;
    let r = b
        .post(app.url(&format!("/app/orgs/{}", app.ids.jinshui)))
        .form(&[
            ("name", "被篡改"),
            ("code", "jinshui"),
            ("version", "1"),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count().await, before);
    let p = b
        .get(app.url(&format!("/app/orgs/{}", app.ids.jinshui)))
        .send()
        .await
        .unwrap();
    assert!(!p.text().await.unwrap().contains("被篡改"));
}

async fn county_isolation(app: &TestApp) {
    let zy = app.ids.zhongyuan;
    // 金水区 through the staff UI: another bureau's org and officer do not exist for them.
    let (b, csrf) = app.sign_in("js.admin").await;
    for path in [
        format!("/app/orgs/{zy}"),
        format!("/app/users/{}", app.ids.zy_officer),
    ] {
        let r = b.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = b
        .post(app.url(&format!("/app/orgs/{zy}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "改名"),
            ("code", "zhongyuan"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert!(matches!(
        r.status(),
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));
    let list = b
        .get(app.url("/app/orgs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("金水区商务局") && !list.contains("中原区商务局"));

    // 金水区 through the API.
    let js = api(&app.api_key("js.admin").await);
    let r = js
        .get(app.url(&format!("/api/v1/orgs/{zy}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = js
        .patch(app.url(&format!("/api/v1/orgs/{zy}")))
        .header("If-Match", "\"1\"")
        .json(&json!({ "name": "改名" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = js
        .get(app.url(&format!("/api/v1/users/{}", app.ids.zy_officer)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The city legal division reads both, but may not change them.
    let legal = api(&app.api_key("fzc.legal").await);
    for id in [zy, app.ids.jinshui] {
        let r = legal
            .get(app.url(&format!("/api/v1/orgs/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = legal
        .get(app.url(&format!("/api/v1/users/{}", app.ids.zy_officer)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = legal
        .patch(app.url(&format!("/api/v1/orgs/{zy}")))
        .header("If-Match", "\"1\"")
        .json(&json!({ "name": "改名" }))
        .send()
        .await
        .unwrap();
    let (status, p) = problem(r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(p["code"], "org.not_admin");
    let (lb, _) = app.sign_in("fzc.legal").await;
    let r = lb
        .get(app.url(&format!("/app/orgs/{zy}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let o = app.store.clone();
    let name = tokio::task::spawn_blocking(move || o.read(|tx| org::get_org(tx, zy)).unwrap().name)
        .await
        .unwrap();
    assert_eq!(name, "中原区商务局");
}

#[tokio::test]
async fn a_jinshui_user_can_neither_read_nor_change_a_zhongyuan_record_but_the_city_legal_division_reads_both()
 {
    county_isolation(&TestApp::spawn().await).await;
}

#[tokio::test]
async fn county_bureaus_are_isolated_on_postgresql_too() {
    county_isolation(&TestApp::spawn_postgres().await).await;
}

async fn concurrent_edits(app: &TestApp) {
    let c = api(&app.api_key("admin").await);
    let url = app.url(&format!("/api/v1/orgs/{}", app.ids.jinshui));
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.headers()["etag"], "\"1\"");
    let (a, b) = tokio::join!(
        c.patch(&url)
            .header("If-Match", "\"1\"")
            .json(&json!({ "name": "金水区商务局（甲）" }))
            .send(),
        c.patch(&url)
            .header("If-Match", "\"1\"")
            .json(&json!({ "name": "金水区商务局（乙）" }))
            .send(),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let (winner, loser) = if a.status() == StatusCode::OK {
        (a, b)
    } else {
        (b, a)
    };
    let won: Value = winner.json().await.unwrap();
    let (_, p) = problem(loser).await;
    assert_eq!(p["current_version"], 2);
    assert!(p["detail"].as_str().unwrap().contains("当前版本为 2"));
    let now: Value = c.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["name"], won["name"]);
    assert_eq!(now["version"], 2);
    let timeline: Value = c
        .get(format!("{url}/timeline"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let updates: Vec<&Value> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "org.update_org")
        .collect();
    assert_eq!(
        updates.len(),
        1,
        "only the winning edit is on the record's timeline"
    );
}

#[tokio::test]
async fn two_concurrent_edits_one_wins_and_the_other_gets_409_with_the_current_version() {
    concurrent_edits(&TestApp::spawn().await).await;
}

#[tokio::test]
async fn two_concurrent_edits_on_postgresql_one_wins_and_the_other_gets_409() {
    concurrent_edits(&TestApp::spawn_postgres().await).await;
}

#[tokio::test]
async fn a_stale_form_is_refused_with_409_and_keeps_what_the_user_typed() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let url = app.url(&format!("/app/orgs/{}", app.ids.jinshui));
    let post = |name: &'static str| {
        b.post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", name),
                ("code", "jinshui"),
                ("sort_order", "0"),
                ("active", "1"),
                ("version", "1"),
            ])
            .send()
    };
    let first = post("金水区商务局（第一）").await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post("金水区商务局（第二）").await.unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let page = second.text().await.unwrap();
    assert!(page.contains("data-testid=\"conflict\""));
    assert!(
        page.contains("value=\"金水区商务局（第二）\""),
        "the user's input is kept"
    );
    assert!(page.contains("<h1 data-testid=\"record-title\">金水区商务局（第一）</h1>"));
    assert!(page.contains("name=\"version\" value=\"2\""));
}

#[tokio::test]
async fn the_record_page_shows_its_timeline_from_the_audit_chain() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let url = app.url(&format!("/app/orgs/{}", app.ids.jinshui));
    b.post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "金水区商务局（新）"),
            ("code", "jinshui"),
            ("active", "1"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let timeline = &page[page.find("data-testid=\"timeline\"").unwrap()..];
    assert!(timeline.contains("新建单位"));
    assert!(timeline.contains("修改单位"));
    assert!(timeline.contains("名称：金水区商务局 → 金水区商务局（新）"));
    assert!(timeline.contains("王建国（admin）"));
}

#[tokio::test]
async fn an_empty_org_name_is_refused_naming_the_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let before = app.audit_count().await;
    let r = b
        .post(app.url("/app/orgs"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("parent_id", &app.ids.city.to_string()),
            ("name", " "),
            ("code", "Bad Code"),
            ("kind", "unit"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("「单位名称」不能为空"));
    assert!(page.contains("「单位代码」只能包含小写字母、数字和连字符"));
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn an_admin_creates_a_person_who_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let r = b
        .post(app.url("/app/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "js.new"),
            ("display_name", "新同事"),
            ("org_id", &app.ids.jinshui.to_string()),
            ("role", "officer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (nb, _) = app.sign_in("js.new").await;
    let p = nb
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(p.contains("新同事") && p.contains("执法人员"));
    // A county admin cannot create people in another county.
    let r = b
        .post(app.url("/app/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "zy.new"),
            ("display_name", "越权"),
            ("org_id", &app.ids.zhongyuan.to_string()),
            ("role", "officer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("系统管理员"));
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_strong_new_one() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let change = |cur: &'static str, new: &'static str, confirm: &'static str| {
        b.post(app.url("/app/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", cur),
                ("new_password", new),
                ("confirm_password", confirm),
            ])
            .send()
    };
    let r = change("wrong-pass1", "NewPassw0rd!", "NewPassw0rd!")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「当前密码」不正确"));
    let r = change(PASSWORD, "short1", "short1").await.unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「密码」至少需要 10 个字符")
    );
    let r = change(PASSWORD, "NewPassw0rd!", "Different0!")
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("与新密码不一致"));
    let r = change(PASSWORD, "NewPassw0rd!", "NewPassw0rd!")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("密码已修改"));
}

#[tokio::test]
async fn api_errors_are_problem_json_in_chinese_and_save_nothing() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("admin").await);
    let before = app.audit_count().await;
    let orgs = app.url("/api/v1/orgs");

    let r = c
        .post(&orgs)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(p["detail"].as_str().unwrap().contains("不是合法的 JSON"));

    let r = c.post(&orgs).json(&json!([1, 2])).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);

    let r = c
        .post(&orgs)
        .json(&json!({ "parent_id": "一", "code": 5, "name": "新单位", "kind": "planet", "colour": "红" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msgs: Vec<String> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        msgs.contains(&"「上级单位」应为整数".to_string()),
        "{msgs:?}"
    );
    assert!(msgs.contains(&"「单位代码」应为字符串".to_string()));
    assert!(msgs.iter().any(|m| m.starts_with("「单位类型」")));
    assert!(msgs.contains(&"未知字段「colour」".to_string()));

    let r = c
        .post(&orgs)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let big = json!({ "name": "长".repeat(40_000) });
    let r = c.post(&orgs).json(&big).send().await.unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(p["detail"].as_str().unwrap().contains("超过了允许的大小"));

    let r = c
        .patch(app.url(&format!("/api/v1/orgs/{}", app.ids.jinshui)))
        .json(&json!({ "name": "无版本" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p["detail"].as_str().unwrap().contains("If-Match"));

    let r = c
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::NOT_FOUND);
    let r = c.delete(app.url("/api/v1/orgs")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::METHOD_NOT_ALLOWED);
    let r = c.get(app.url("/api/v1/orgs/abc")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);

    assert_eq!(app.audit_count().await, before, "nothing was written");
}

#[tokio::test]
async fn the_api_needs_a_valid_key_and_a_revoked_key_stops_working() {
    let app = TestApp::spawn().await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNAUTHORIZED);
    let key = app.api_key("js.officer").await;
    let me: Value = api(&key)
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "js.officer");
    app.store
        .write(|tx| {
            tx.exec("UPDATE api_keys SET revoked_at = 1", &[])?;
            Ok(())
        })
        .unwrap();
    let r = api(&key).get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_created_org_comes_back_with_its_location_and_version() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("js.admin").await);
    let r = c
        .post(app.url("/api/v1/orgs"))
        .json(&json!({ "parent_id": app.ids.jinshui, "code": "jinshui-zfdd", "name": "金水区商务局执法大队", "kind": "unit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let o: Value = r.json().await.unwrap();
    assert_eq!(loc, format!("/api/v1/orgs/{}", o["id"]));
    assert_eq!(o["version"], 1);
    let r = c
        .post(app.url("/api/v1/orgs"))
        .json(&json!({ "parent_id": app.ids.jinshui, "code": "jinshui-zfdd", "name": "重复", "kind": "unit" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"][0]["message"], "「单位代码」已被其他单位使用");
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let spec: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/v1/me", "get"),
        ("/api/v1/orgs", "get"),
        ("/api/v1/orgs", "post"),
        ("/api/v1/orgs/{id}", "get"),
        ("/api/v1/orgs/{id}", "patch"),
        ("/api/v1/orgs/{id}/timeline", "get"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/timeline", "get"),
        ("/api/v1/audit/entries", "get"),
        ("/api/v1/audit/checkpoints", "get"),
        ("/api/v1/calendar/due", "get"),
        ("/api/v1/calendar/days", "get"),
        ("/api/v1/openapi.json", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}

#[tokio::test]
async fn unknown_pages_get_a_chinese_404_page() {
    let app = TestApp::spawn().await;
    let r = reqwest::get(app.url("/no/such/page")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body = r.text().await.unwrap();
    assert!(body.contains("未找到") && body.contains("不存在"));
}

#[tokio::test]
async fn the_portal_lists_signed_checkpoints_without_sign_in() {
    let app = TestApp::spawn().await;
    let key = audit::load_or_create_signing_key(&app.dir).unwrap();
    let cp = audit::checkpoint(&app.store, &key).unwrap().unwrap();
    let page = reqwest::get(app.url("/audit/checkpoints"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&cp.head_hash) && page.contains(&cp.signature));
    let home = reqwest::get(app.url("/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains(&format!("第 {} 条", cp.seq)));
    let items: Value = reqwest::get(app.url("/api/v1/audit/checkpoints"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(items["items"][0]["signature"], cp.signature);
}

#[tokio::test]
async fn the_chinese_ui_shows_no_english_and_the_english_switch_translates() {
    let app = TestApp::spawn().await;
    let page = apply(&app, app.ids.city, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let (no, code) = (
        between(&page, "tracking-no").to_string(),
        between(&page, "query-code").to_string(),
    );
    let (b, _) = app.sign_in("admin").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let req_id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let data = [
        "admin",
        "fzc.legal",
        "js.officer",
        "js.admin",
        "js.leader",
        "zy.officer",
        "zz-zcfgc",
        "zhongyuan",
        "jinshui",
        "zz",
        no.as_str(),
        code.as_str(),
        "TEST-XK-001",
        "CJ-TX-001",
        "CJ-WZ-001",
        "CJ-YFK-001",
        "ZZSW-CF-001",
    ];
    let pages = [
        "/app/work".to_string(),
        "/app/orgs".into(),
        format!("/app/orgs/{}", app.ids.jinshui),
        "/app/orgs/new".into(),
        "/app/users".into(),
        format!("/app/users/{}", app.ids.zy_officer),
        "/app/users/new".into(),
        "/app/audit?verify=1".into(),
        "/app/account/password".into(),
        "/app/account/api-keys".into(),
        "/".into(),
        "/audit/checkpoints".into(),
        "/no-such-page".into(),
        "/app/disclosure".into(),
        format!("/app/disclosure/{req_id}"),
        "/app/procedures".into(),
        "/app/procedures/disclosure-request".into(),
        "/app/calendar?from=2026-09-28&days=7&count=working".into(),
        "/app/calendar?from=x&days=y".into(),
        "/disclosure".into(),
        format!("/disclosure/status?no={no}&code={code}"),
        "/app/powers".into(),
        "/app/powers/diff".into(),
        "/app/powers/new".into(),
        "/powers".into(),
        "/powers/diff".into(),
        "/app/applications".into(),
        "/app/applications/stats".into(),
        "/results".into(),
        "/apply/status".into(),
        "/apply/TEST-XK-001".into(),
        "/powers/TEST-XK-001".into(),
        "/app/powers/TEST-XK-001".into(),
        "/app/certificates".into(),
        "/app/certificates/cleanup".into(),
        "/app/disclosure/new".into(),
        "/app/discretion".into(),
        "/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=40000".into(),
        "/discretion".into(),
        "/discretion/CJ-TX-001".into(),
        "/app/cases".into(),
        "/app/cases/leads".into(),
        "/app/cases/new".into(),
        "/app/cases/summary".into(),
        "/app/cases/filings".into(),
        "/app/cases/stats".into(),
        "/publicity".into(),
        "/cases/status?no=x&code=y".into(),
    ];
    for p in &pages {
        let html = b
            .get(app.url(p))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let words = english_words(&html, &data);
        assert!(words.is_empty(), "{p} shows English: {words:?}");
    }
    let login = TestApp::browser()
        .get(app.url("/app/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english_words(&login, &[]).is_empty());
    let r = b
        .get(app.url("/app/lang/en?back=/app/work"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/app/work");
    let en = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("My work") && en.contains("<html lang=\"en\">"));
    let r = b
        .get(app.url("/app/lang/en?back=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/app/work",
        "the switch only returns to local pages"
    );
}

#[test]
fn every_action_the_store_writes_has_a_name_in_the_ui() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fazhi-store/src");
    let mut actions = Vec::new();
    for f in std::fs::read_dir(root).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for part in text.split('"').skip(1).step_by(2) {
            if (part.starts_with("org.") || part.starts_with("auth."))
                && part.contains('_')
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            {
                actions.push(part.to_string());
            }
        }
    }
    assert!(actions.len() >= 10);
    for a in actions {
        if a.starts_with("org.not_") || a.starts_with("org.role_") || a.starts_with("auth.api_key_")
        {
            continue; // refusal codes, not actions
        }
        assert!(
            fazhi_web::audit::ACTIONS.iter().any(|(x, _, _)| *x == a),
            "action {a} has no name in the UI"
        );
    }
}

#[test]
fn templates_hold_no_english_text_outside_tags_and_expressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut text = std::fs::read_to_string(&p).unwrap();
            for (open, close) in [("{{", "}}"), ("{%", "%}"), ("<", ">")] {
                while let Some(i) = text.find(open) {
                    let j = text[i..]
                        .find(close)
                        .map_or(text.len(), |j| i + j + close.len());
                    text.replace_range(i..j, " ");
                }
            }
            let text = text
                .replace("fazhi-audit-checkpoint", "")
                .replace("English", "")
                .replace("&lt;", "")
                .replace("&gt;", "");
            let words: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2)
                .collect();
            assert!(
                words.is_empty(),
                "{} has English text: {words:?}",
                p.display()
            );
        }
    }
}

async fn apply(app: &TestApp, org_id: i64, id_no: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/disclosure"))
        .form(&[
            ("org_id", org_id.to_string().as_str()),
            ("requester_kind", "person"),
            ("requester_name", "张三"),
            ("requester_id_no", id_no),
            ("contact", "13800000000"),
            ("description", "2025 年单用途预付卡备案企业名单"),
        ])
        .send()
        .await
        .unwrap()
}

fn between<'a>(page: &'a str, testid: &str) -> &'a str {
    let start = page.find(&format!("data-testid=\"{testid}\">")).unwrap() + testid.len() + 15;
    page[start..].split('<').next().unwrap()
}

#[tokio::test]
async fn a_portal_request_with_a_bad_id_number_is_refused_naming_the_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let before = app.audit_count().await;
    let r = apply(&app, app.ids.jinshui, "130402198207290622").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("「公民身份号码」有误：公民身份号码校验码不正确（GB 11643-1999）"),
        "{page}"
    );
    assert!(page.contains("value=\"张三\""), "what was typed is kept");
    assert_eq!(app.audit_count().await, before);
    let r = reqwest::Client::new()
        .post(app.url("/disclosure"))
        .form(&[
            ("org_id", "999"),
            ("requester_kind", "org"),
            ("requester_name", "某"),
            ("requester_id_no", "91350100M000100Y4A"),
            ("contact", ""),
            ("description", ""),
        ])
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    for m in [
        "「受理机关」请选择",
        "「申请人名称」至少需要 2 个字符",
        "「统一社会信用代码」有误",
        "「联系方式」不能为空",
    ] {
        assert!(page.contains(m), "{m}");
    }
}

#[tokio::test]
async fn a_portal_request_reaches_its_bureau_and_staff_see_why_an_action_is_refused() {
    let app = TestApp::spawn().await;
    let page = apply(&app, app.ids.jinshui, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    assert!(no.starts_with("YSQ"));
    let (b, _) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(&no));
    let id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let rec = b
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rec.contains("答复期限") && rec.contains("一次性告知补正期限"));
    assert!(
        rec.contains("110105***********X"),
        "the ID number is masked even for staff lists"
    );
    let extend = &rec[rec.find("data-action=\"extend\"").unwrap()..];
    let extend = &extend[..extend.find("</div>").unwrap()];
    assert!(
        extend.contains("disabled") && extend.contains("需要以下角色之一：处室负责人、局领导"),
        "{extend}"
    );
    let answer = &rec[rec.find("data-action=\"answer\"").unwrap()..];
    assert!(answer[..answer.find("</div>").unwrap()].contains("缺少答复书（拟稿）"));
    // The requester sees the request; a wrong code sees nothing.
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code={code}")))
        .await
        .unwrap();
    assert_eq!(s.status(), StatusCode::OK);
    assert!(s.text().await.unwrap().contains("已收到申请，办理中"));
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code=WRONG")))
        .await
        .unwrap();
    assert_eq!(s.status(), StatusCode::NOT_FOUND);
    assert!(s.text().await.unwrap().contains("没有找到该申请"));
    // 中原区 never sees a 金水区 request.
    let (zb, _) = app.sign_in("zy.officer").await;
    let r = zb
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let zl = zb
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!zl.contains(&no));
}

#[tokio::test]
async fn the_procedure_page_draws_the_diagram_and_the_calendar_explains_a_due_date() {
    let app = TestApp::spawn().await;
    let (b, _) = app.sign_in("js.officer").await;
    let p = b
        .get(app.url("/app/procedures/disclosure-request"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        p.contains("<svg")
            && p.contains("一次性告知补正")
            && p.contains("政府信息公开条例 第三十三条")
    );
    let c = b
        .get(app.url("/app/calendar?from=2026-09-28&days=7&count=working"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(c.contains("<strong>2026-10-13</strong>") && c.contains("国庆节"));
    let bad = b
        .get(app.url("/app/calendar?from=tomorrow&days=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("「起算日」应为有效日期，格式如 2026-09-28") && text.contains("「期限天数」")
    );
    let y = b
        .get(app.url("/app/calendar?year=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(y.contains("data-testid=\"working-days\">248<"));
}

#[tokio::test]
async fn an_admin_grants_and_revokes_a_role_and_both_are_on_the_persons_timeline() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let users = b
        .get(app.url("/app/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let uid = users
        .split("/app/users/")
        .find_map(|p| p.split_once("\">蒋涛"))
        .unwrap()
        .0
        .to_string();
    let url = app.url(&format!("/app/users/{uid}"));
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let version = between(&page, "version").to_string();
    let form = |v: &str| {
        [
            ("csrf", csrf.clone()),
            ("version", v.to_string()),
            ("org_id", app.ids.jinshui.to_string()),
            ("role", "legal_reviewer".to_string()),
        ]
    };
    let r = b
        .post(format!("{url}/roles"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("已授予角色"));
    let stale = b
        .post(format!("{url}/roles/revoke"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "the grant moved the version on"
    );
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let version = between(&page, "version").to_string();
    let r = b
        .post(format!("{url}/roles/revoke"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("已收回角色"));
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let timeline = &page[page.find("data-testid=\"timeline\"").unwrap()..];
    assert!(
        timeline.contains("授予角色")
            && timeline.contains("收回角色")
            && timeline.contains("法制审核人员")
    );
}

#[tokio::test]
async fn the_calendar_api_marks_provisional_answers_and_names_bad_fields() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("js.officer").await);
    let due: Value = c
        .get(app.url("/api/v1/calendar/due?from=2026-09-28&days=7"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(due["due"], "2026-10-13");
    assert_eq!(due["provisional"], false);
    let later: Value = c
        .get(app.url("/api/v1/calendar/due?from=2027-01-04&days=10&count=working"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(later["provisional"], true);
    let days: Value = c
        .get(app.url("/api/v1/calendar/days?from=2026-10-09&to=2026-10-10"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        days["items"][1]["working"], true,
        "2026-10-10 is an adjusted working day"
    );
    assert_eq!(days["items"][1]["label"], "调休上班");
    let r = c
        .get(app.url("/api/v1/calendar/due?from=x&days=-1&count=lunar"))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);
}

fn power_rows(n: usize, org: &str) -> Vec<Vec<String>> {
    use fazhi_domain::power::import::COLUMNS;
    let mut rows = vec![COLUMNS.iter().map(|c| (*c).to_string()).collect::<Vec<_>>()];
    for i in 1..=n {
        let mut r = vec![String::new(); COLUMNS.len()];
        r[0] = format!("TEST-CF-{i:03}");
        r[1] = format!("对第 {i} 类违法行为的处罚");
        r[2] = "行政处罚".into();
        r[4] = "《商业特许经营管理条例》第二十五条".into();
        r[5] = org.into();
        rows.push(r);
    }
    rows
}

async fn upload(
    b: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
    effective: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        )
        .text("reason", "导入测试清单")
        .text("basis", "市政府公布的权责清单")
        .text("effective", effective.to_string());
    b.post(app.url(&format!("/app/powers/import?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_fifty_item_spreadsheet_imports_and_a_file_with_two_bad_rows_imports_nothing_naming_both()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("fzc.legal").await;
    let mut rows = power_rows(50, "zz");
    rows[7][2] = "行政罚款".into();
    rows[31][4] = "商业特许经营管理条例第二十五条".into();
    let bad = fazhi_store::power_io::write_xlsx("清单", &rows).unwrap();
    let r = upload(&b, &app, &csrf, "list.xlsx", bad, "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("第 8 行「事项类型」") && page.contains("第 32 行「实施依据」"),
        "{page}"
    );
    assert!(page.contains("未导入任何事项"));
    let list = b
        .get(app.url("/app/powers?as_of=2026-06-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("data-testid=\"total\">0<"),
        "nothing was imported"
    );

    let good = fazhi_store::power_io::write_xlsx("清单", &power_rows(50, "zz")).unwrap();
    let r = upload(&b, &app, &csrf, "list.xlsx", good, "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("已导入 50 个事项"));
    let list = b
        .get(app.url("/app/powers?as_of=2026-06-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("data-testid=\"total\">50<"));
    let before = b
        .get(app.url("/app/powers?as_of=2025-12-31"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        before.contains("data-testid=\"total\">0<"),
        "not in force before its effective date"
    );
    // The export reads back as the same 50 items.
    let x = b
        .get(app.url("/app/powers/export?as_of=2026-06-01&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        fazhi_store::power_io::parse_csv(x.trim_start_matches('\u{feff}')).len(),
        51
    );
    // An officer may not change the list.
    let (ob, ocsrf) = app.sign_in("js.officer").await;
    let r = upload(&ob, &app, &ocsrf, "list.csv", b"x".to_vec(), "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_item_cancelled_from_tomorrow_is_in_the_list_today_and_not_tomorrow_also_on_the_portal()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("fzc.legal").await;
    let csv = fazhi_store::power_io::write_csv(&power_rows(3, "zz"));
    assert_eq!(
        upload(&b, &app, &csrf, "list.csv", csv.into_bytes(), "2026-01-01")
            .await
            .status(),
        StatusCode::OK
    );
    let today = fazhi_web::today();
    let tomorrow = today.next_day().unwrap();
    let (t, m) = (
        fazhi_domain::calendar::fmt_date(today),
        fazhi_domain::calendar::fmt_date(tomorrow),
    );
    let r = b
        .post(app.url("/app/powers/TEST-CF-002/cancel"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "上位法修改"),
            ("basis", "国务院决定"),
            ("effective", m.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for base in ["/app/powers", "/powers"] {
        let page = |d: &str| {
            let b = b.clone();
            let url = app.url(&format!("{base}?as_of={d}"));
            async move { b.get(url).send().await.unwrap().text().await.unwrap() }
        };
        assert!(page(&t).await.contains("TEST-CF-002"), "{base} today");
        assert!(!page(&m).await.contains("TEST-CF-002"), "{base} tomorrow");
        let item = b
            .get(app.url(&format!("{base}/TEST-CF-002?as_of={m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(item.contains(&format!("已自 {m} 起取消")), "{base}");
        assert!(
            item.contains("取消") && item.contains("上位法修改"),
            "the history shows the cancellation"
        );
        let item = b
            .get(app.url(&format!("{base}/TEST-CF-002?as_of={t}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(item.contains("data-testid=\"in-force\""));
        let diff = b
            .get(app.url(&format!("{base}/diff?from={t}&to={m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(diff.contains("TEST-CF-002") && diff.contains("取消"));
    }
    let s = app.store.clone();
    let (today_ok, tomorrow_err) = tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            Ok((
                fazhi_store::power::require_in_force(tx, "TEST-CF-002", today).is_ok(),
                fazhi_store::power::require_in_force(tx, "TEST-CF-002", tomorrow)
                    .unwrap_err()
                    .to_string(),
            ))
        })
        .unwrap()
    })
    .await
    .unwrap();
    assert!(today_ok);
    assert!(
        tomorrow_err.contains("已自") && tomorrow_err.contains("起取消"),
        "{tomorrow_err}"
    );
    // A second cancellation, or one dated before the latest change, is refused with the reason.
    let r = b
        .post(app.url("/app/powers/TEST-CF-002/cancel"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "再次取消"),
            ("basis", "国务院决定"),
            ("effective", "2025-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("不能早于该事项最近一次调整的生效日期"),
        "{}",
        &text[text.find("data-testid=\"error\"").unwrap_or(0)..][..600]
    );
}

const PDF: &[u8] = b"%PDF-1.4\n% test material\n";

async fn online_item(app: &TestApp) {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let rows = vec![
            fazhi_domain::power::import::COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            {
                let mut r = vec![String::new(); fazhi_domain::power::import::COLUMNS.len()];
                r[0] = "TEST-XK-001".into();
                r[1] = "拍卖企业设立审核".into();
                r[2] = "行政许可".into();
                r[4] = "《中华人民共和国拍卖法》第十一条".into();
                r[5] = "jinshui".into();
                r[13] = "20".into();
                r[14] = "15".into();
                r[15] = "不收费".into();
                r[16] = "申请书；营业执照；公司章程（可选）".into();
                r[18] = "全程网办".into();
                r
            },
        ];
        s.write(|tx| {
            let items =
                fazhi_domain::power::import::read_rows(&rows, &["jinshui".into()], &[]).unwrap();
            fazhi_store::power::import(
                tx,
                fazhi_store::org::By::System,
                &items,
                "测试",
                "测试依据",
                time::macros::date!(2026 - 01 - 01),
            )
        })
        .unwrap();
    })
    .await
    .unwrap();
}

fn application_form(id_no: &str, files: Vec<(&str, &str, Vec<u8>)>) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("requester_kind", "org")
        .text("requester_name", "郑州金水拍卖有限公司")
        .text("requester_id_no", id_no.to_string())
        .text("contact", "0371-60000000")
        .text("statement", "申请设立拍卖企业");
    for (field, name, bytes) in files {
        form = form.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    form
}

async fn application_count(app: &TestApp) -> i64 {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            tx.query_opt("SELECT COUNT(*) FROM applications", &[])?
                .unwrap()
                .i64(0)
        })
        .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_bad_credit_code_a_wrong_file_type_and_an_oversize_file_are_refused_and_nothing_is_saved()
{
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let url = app.url("/apply/TEST-XK-001");
    let before = app.audit_count().await;
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y4A",
            vec![("m0", "申请书.pdf", PDF.to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「统一社会信用代码」有误：统一社会信用代码校验位不正确（GB 32100-2015）")
    );
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m0", "申请书.exe", b"MZ\x90".to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「申请书」「申请书.exe」不是 PDF、JPG 或 PNG 文件")
    );
    let big = [PDF.to_vec(), vec![b' '; 5 * 1024 * 1024]].concat();
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m1", "执照.pdf", big)],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「营业执照」文件过大"));
    let r = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("requester_kind", "person")
                .text("requester_name", "张三")
                .text("requester_id_no", "130402198207290622")
                .text("contact", "13800000000")
                .text("statement", "申请"),
        )
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("「公民身份号码」有误"));
    assert_eq!(application_count(&app).await, 0);
    assert_eq!(app.audit_count().await, before, "nothing was written");
    let files = std::fs::read_dir(app.dir.join("files"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "no file is stored for a refused application");
}

#[tokio::test]
async fn a_company_applies_staff_ask_for_the_missing_material_and_the_decision_is_published() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let page = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m0", "申请书.pdf", PDF.to_vec())],
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    let (b, _) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/applications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = list
        .split("/app/applications/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let url = app.url(&format!("/app/applications/{id}"));
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let accept = &rec[rec.find("data-action=\"accept\"").unwrap()..];
    assert!(
        accept[..accept.find("</div>").unwrap()].contains("还缺少 1 项必需的申请材料"),
        "accepting is refused while a material is missing"
    );
    let csrf = csrf_of(&rec);
    let act = |action: &str, version: &str, extra: Vec<(&str, &str)>| {
        let mut f = vec![
            ("csrf".to_string(), csrf.clone()),
            ("action".into(), action.to_string()),
            ("version".into(), version.to_string()),
        ];
        f.extend(
            extra
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        b.post(format!("{url}/act")).form(&f).send()
    };
    let r = act(
        "request_supplement",
        "1",
        vec![("pick", "营业执照"), ("text", "请补交营业执照副本扫描件")],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The company sees what to supply and supplies it.
    let status = app.url(&format!("/apply/status?no={no}&code={code}"));
    let s = c.get(&status).send().await.unwrap().text().await.unwrap();
    assert!(s.contains("待申请人补正材料") && s.contains("请补交营业执照副本扫描件"));
    let form = reqwest::multipart::Form::new()
        .text("no", no.clone())
        .text("code", code.clone())
        .part(
            "m1",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("执照.pdf"),
        );
    let s = c
        .post(app.url("/apply/supplement"))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        s.contains("补正材料已提交") && s.contains("已提交，待受理审查"),
        "{s}"
    );
    // Staff accept; the decision is due in 15 working days (the promised limit, shorter than 20).
    assert_eq!(
        act("accept", "3", vec![]).await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let cal = app.store.read(fazhi_store::calendar::load).unwrap();
    let expected = fazhi_domain::time_limit::TimeLimit::new(
        fazhi_web::today(),
        15,
        fazhi_domain::time_limit::Count::Working,
        "",
        None,
    )
    .compute(&cal)
    .due
    .unwrap();
    let due_row = &rec[rec.find("审查决定期限</td>").unwrap()..];
    assert!(
        due_row.contains(&fazhi_domain::calendar::fmt_date(expected)),
        "decision due {expected}"
    );
    assert_eq!(
        act(
            "record_review",
            "4",
            vec![("text", "材料齐全，符合拍卖法第十二条规定的条件")]
        )
        .await
        .unwrap()
        .status(),
        StatusCode::SEE_OTHER
    );
    // An officer may not decide; the leader does.
    let r = act("approve", "5", vec![("text", "准予设立")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("需要以下角色之一：处室负责人、局领导")
    );
    let (lb, _) = app.sign_in("js.leader").await;
    let lrec = lb.get(&url).send().await.unwrap().text().await.unwrap();
    let lcsrf = csrf_of(&lrec);
    let r = lb
        .post(format!("{url}/act"))
        .form(&[
            ("csrf", lcsrf.as_str()),
            ("action", "approve"),
            ("version", "5"),
            ("text", "准予设立郑州金水拍卖有限公司"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        act(
            "issue_certificate",
            "6",
            vec![("text", "豫拍〔2026〕001号")]
        )
        .await
        .unwrap()
        .status(),
        StatusCode::SEE_OTHER
    );
    let s = c.get(&status).send().await.unwrap().text().await.unwrap();
    assert!(s.contains("已办结，证件已送达") && s.contains("豫拍〔2026〕001号"));
    for step in [
        "提交申请",
        "一次性告知补正材料",
        "登记申请人补正材料",
        "受理",
        "作出准予许可决定",
        "制发并送达证件",
    ] {
        assert!(s.contains(step), "the company sees {step}");
    }
    let results = c
        .get(app.url("/results"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        results.contains("郑州金水拍卖有限公司")
            && results.contains("准予许可")
            && results.contains("豫拍〔2026〕001号")
    );
    assert!(results.contains("100%"), "decided on time");
    // The material can be downloaded by staff of the bureau and not by another county.
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let file = rec
        .split(&format!("/app/applications/{id}/files/"))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let f = b.get(format!("{url}/files/{file}")).send().await.unwrap();
    assert_eq!(f.bytes().await.unwrap().as_ref(), PDF);
    let (zb, _) = app.sign_in("zy.officer").await;
    assert_eq!(
        zb.get(format!("{url}/files/{file}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_counter_application_is_registered_by_staff_and_counts_against_the_online_share() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let r = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m0", "申请书.pdf", PDF.to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (b, csrf) = app.sign_in("js.officer").await;
    let form = application_form("91410105MA44XK7P0F", vec![]).text("item", "TEST-XK-001");
    let r = b
        .post(app.url(&format!("/app/applications/new?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let bad = application_form("91410105MA44XK7P0F", vec![]).text("item", "NO-SUCH-ITEM");
    let r = b
        .post(app.url(&format!("/app/applications/new?csrf={csrf}")))
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「申请事项」权力事项 NO-SUCH-ITEM 不在权责清单内")
    );
    let stats = b
        .get(app.url("/app/applications/stats"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = &stats[stats.find("<td>拍卖企业设立审核</td>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>2</td>") && row.contains("50%"),
        "two received, half online: {row}"
    );
    let forged = application_form("91410105MA44XK7P0F", vec![]).text("item", "TEST-XK-001");
    let r = b
        .post(app.url("/app/applications/new?csrf=forged"))
        .multipart(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an upload form carries the session's token"
    );
}

#[tokio::test]
async fn certificates_are_registered_by_the_county_admin_hidden_from_other_counties_and_cleaned_up()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let page = b
        .get(app.url("/app/certificates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let holder = page
        .split("<option value=\"")
        .find_map(|p| p.split_once("\">蒋涛"))
        .unwrap()
        .0
        .to_string();
    let form = |number: &str, until: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("number", number.to_string()),
            ("holder", holder.clone()),
            ("issuer", "河南省人民政府".into()),
            ("scope_org", app.ids.jinshui.to_string()),
            ("scope_text", "金水区 商务执法".into()),
            ("valid_from", "2021-07-01".into()),
            ("valid_until", until.to_string()),
        ]
    };
    let r = b
        .post(app.url("/app/certificates"))
        .form(&form("豫A-410105-2021007", "2021-06-30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「有效期至」不能早于有效期起始日")
    );
    let r = b
        .post(app.url("/app/certificates"))
        .form(&form("豫A-410105-2021007", "2026-06-30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    // 中原区 never sees it; the city legal division does.
    let (zb, _) = app.sign_in("zy.officer").await;
    assert_eq!(
        zb.get(app.url(&loc)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let (lb, _) = app.sign_in("fzc.legal").await;
    assert_eq!(
        lb.get(app.url(&loc)).send().await.unwrap().status(),
        StatusCode::OK
    );
    // It has expired: on the clean-up list, with the action to suspend.
    let cleanup = b
        .get(app.url("/app/certificates/cleanup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(cleanup.contains("豫A-410105-2021007") && cleanup.contains("证件已过期"));
    let version = between(
        &b.get(app.url(&loc))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "version",
    )
    .to_string();
    let r = b
        .post(app.url(&format!("{loc}/status")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("status", "suspended"),
            ("reason", "季度清理：证件已过期"),
            ("back", "/app/certificates/cleanup"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/app/certificates/cleanup");
    let rec = b
        .get(app.url(&loc))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rec.contains("已暂停") && rec.contains("暂停执法证件"));
    // An officer sees the registry of their bureau but cannot change it.
    let (ob, ocsrf) = app.sign_in("js.officer").await;
    let r = ob
        .post(app.url(&format!("{loc}/status")))
        .form(&[
            ("csrf", ocsrf.as_str()),
            ("version", "2"),
            ("status", "valid"),
            ("reason", "恢复试试"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_discretion_benchmark_shows_the_band_and_why_and_a_fine_outside_needs_reasons() {
    let app = TestApp::spawn().await;
    let portal = reqwest::get(app.url("/discretion"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        portal.contains("特许人未依法办理商业特许经营备案"),
        "published on the portal (art. 34)"
    );
    let (b, csrf) = app.sign_in("js.officer").await;
    let page = b
        .get(app.url("/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=40000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("从轻：主动消除或者减轻违法行为危害后果（《行政处罚法》第三十二条第一项）→ 在区间下半段 ¥20,000.00–¥27,500.00 内确定"), "{page}");
    assert!(page.contains("超出裁量基准的适用区间") && page.contains("须经法制审核"));
    let ok = b
        .get(app.url("/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=25000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ok.contains("拟罚款在适用区间内"));
    // Only the legal division publishes a new version; the old one stays.
    let text = include_str!("../../../data/discretion/benchmarks.toml")
        .replace("20000, 35000", "20000, 30000")
        .replace(
            "effective_from = \"2024-01-01\"",
            "effective_from = \"2027-01-01\"",
        );
    let r = b
        .post(app.url("/app/discretion"))
        .form(&[("csrf", csrf.as_str()), ("benchmarks", text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (lb, lcsrf) = app.sign_in("fzc.legal").await;
    let r = lb
        .post(app.url("/app/discretion"))
        .form(&[("csrf", lcsrf.as_str()), ("benchmarks", text.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("已公布：CJ-TX-001 第 2 版")
    );
    let v1 = lb
        .get(app.url("/app/discretion/CJ-TX-001"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        v1.contains("¥20,000.00–¥35,000.00"),
        "version 1 stays in force until 2027"
    );
    let v2 = lb
        .get(app.url("/app/discretion/CJ-TX-001?version=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(v2.contains("¥20,000.00–¥30,000.00"));
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_sessions_and_one_audit_chain() {
    let app = TestApp::spawn_postgres().await;
    let second = app.second_instance().await;
    let (b, _) = app.sign_in("js.admin").await;
    // The session made on the first instance is valid on the second.
    let page = b
        .get(format!("{second}/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("冯国庆"),
        "signed in on the second instance too"
    );
    // Writes through both instances land on one gap-free chain.
    let key = app.api_key("js.admin").await;
    let c = api(&key);
    let mut tasks = Vec::new();
    for (i, base) in [
        app.base.clone(),
        second.clone(),
        app.base.clone(),
        second.clone(),
    ]
    .into_iter()
    .enumerate()
    {
        let (c, jinshui) = (c.clone(), app.ids.jinshui);
        tasks.push(tokio::spawn(async move {
            for n in 0..5 {
                let r = c
                    .post(format!("{base}/api/v1/orgs"))
                    .json(&json!({ "parent_id": jinshui, "code": format!("unit-{i}-{n}"), "name": format!("测试单位{i}{n}"), "kind": "unit" }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let s = app.store.clone();
    let v = tokio::task::spawn_blocking(move || audit::verify(&s).unwrap())
        .await
        .unwrap();
    assert!(v.is_ok(), "{v:?}");
    let list: Value = c
        .get(format!("{second}/api/v1/orgs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["code"].as_str().unwrap().starts_with("unit-"))
            .count(),
        20
    );
}

#[tokio::test]
async fn a_clerk_registers_a_written_request_and_the_requester_can_follow_it_by_code() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let form = |org: &str, id_no: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("org_id", org.to_string()),
            ("requester_kind", "person".into()),
            ("requester_name", "王五".into()),
            ("requester_id_no", id_no.to_string()),
            ("contact", "郑州市金水区某路 1 号".into()),
            ("description", "金水区 2025 年商务执法检查计划".into()),
        ]
    };
    // Another county's bureau is not offered, and is refused if forged.
    let r = b
        .post(app.url("/app/disclosure/new"))
        .form(&form(&app.ids.zhongyuan.to_string(), "11010519491231002X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「受理机关」请选择"));
    let r = b
        .post(app.url("/app/disclosure/new"))
        .form(&form(&app.ids.jinshui.to_string(), "11010519491231002X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let (no, code) = (
        between(&page, "tracking-no").to_string(),
        between(&page, "query-code").to_string(),
    );
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code={code}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(s.contains("已收到申请，办理中"));
    let rec_link = page
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let rec = b
        .get(app.url(&format!("/app/disclosure/{rec_link}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rec.contains("蒋涛（js.officer）"),
        "the clerk who registered it is on the timeline"
    );
}

#[test]
fn every_procedure_action_the_store_writes_is_named_by_its_procedure_title() {
    use fazhi_domain::procedure::{Procedure, Registry, registered_guards};
    use fazhi_web::i18n::{Lang, Tr};
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let mut reg = Registry::default();
    for (file, text) in [
        (
            "procedures/disclosure-request.toml",
            include_str!("../../../procedures/disclosure-request.toml"),
        ),
        (
            "procedures/licensing-application.toml",
            include_str!("../../../procedures/licensing-application.toml"),
        ),
        (
            "procedures/penalty-general.toml",
            include_str!("../../../procedures/penalty-general.toml"),
        ),
    ] {
        reg.insert(Procedure::load(file, text, &names).unwrap(), true);
    }
    // The store writes a procedure action as `audit_action: format!("case.{action_id}")`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fazhi-store/src");
    let mut prefixes = Vec::new();
    for f in std::fs::read_dir(root).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for part in text.split("audit_action: format!(\"").skip(1) {
            if let Some((prefix, _)) = part.split_once(".{action_id}") {
                prefixes.push(prefix.to_string());
            }
        }
    }
    prefixes.sort();
    assert_eq!(prefixes, ["application", "case", "disclosure"]);
    for prefix in prefixes {
        let p = fazhi_web::capability::CAPABILITIES
            .iter()
            .filter_map(|c| c.procedure.as_ref())
            .find(|p| p.audit_prefix == prefix)
            .unwrap_or_else(|| panic!("no capability writes {prefix}.* actions"));
        let procedure = reg.current(p.procedure).unwrap();
        for a in &procedure.actions {
            let name = format!("{prefix}.{}", a.id);
            assert!(
                !fazhi_web::audit::ACTIONS.iter().any(|(x, _, _)| *x == name),
                "{name} is named by its procedure file, not by a table"
            );
            assert_eq!(
                fazhi_web::audit::action_label(Tr(Lang::Zh), &reg, &name),
                a.title,
                "{name}"
            );
            let en = fazhi_web::audit::action_label(Tr(Lang::En), &reg, &name);
            assert!(en.is_ascii(), "{name} has an English name: {en}");
        }
    }
}
