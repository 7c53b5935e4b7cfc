//! The one harness of the HTTP tests: the real router on a real port (`TestApp::spawn()` on port
//! 0), a real database (SQLite in a temp dir; PostgreSQL in a fresh schema for the tests marked
//! so), real requests; sign-in as a browser does, API keys, and the page helpers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use fazhi_domain::org::{OrgKind, Role};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::{Store, audit, auth};
use reqwest::StatusCode;
use serde_json::Value;

pub(crate) const PASSWORD: &str = "Fazhi@2026test";
pub(crate) const SHIPPED_NOTICES: &str = include_str!("../../../../data/calendar/holidays.toml");
pub(crate) static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The records of the base fixture.
pub(crate) struct Ids {
    pub(crate) city: i64,
    pub(crate) zhongyuan: i64,
    pub(crate) jinshui: i64,
    pub(crate) zy_officer: i64,
}

/// A running instance with its database and the ids its fixture made (`I`).
pub(crate) struct TestApp<I = Ids> {
    pub(crate) base: String,
    pub(crate) store: Arc<Store>,
    pub(crate) ids: I,
    pub(crate) dir: std::path::PathBuf,
    pub(crate) pg: Option<(String, String)>,
}

/// What an instance starts with besides the calendar and the procedure files.
pub(crate) struct Setup<I> {
    /// Writes the orgs, people and records the tests need; its ids are `TestApp::ids`.
    pub(crate) fixture: fn(&Store) -> I,
    /// Largest request body.
    pub(crate) body_limit: usize,
    /// Pieces of database work at once.
    pub(crate) database_concurrency: usize,
    /// Changes to the other settings (limits, behind HTTPS).
    pub(crate) settings: fn(&mut fazhi_web::Settings),
}

impl<I> Drop for TestApp<I> {
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

pub(crate) fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{n}_{t}", std::process::id())
}

/// The base fixture: the city bureau, its legal division, 中原区 and 金水区, and their people; the
/// shipped discretion benchmarks.
pub(crate) fn fixture(store: &Store) -> Ids {
    let hash = auth::hash_password(PASSWORD).unwrap();
    let ids = store
        .write(|tx| {
            let mk = new_org;
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
                new_user(tx, &hash, (username, name), org_id, role)
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
        .unwrap();
    fazhi_store::discretion::seed(
        store,
        include_str!("../../../../data/discretion/benchmarks.toml"),
    )
    .unwrap();
    ids
}

/// An org made by the system, for fixtures.
pub(crate) fn new_org(
    tx: &mut dyn fazhi_store::Tx,
    parent_id: Option<i64>,
    code: &str,
    name: &str,
    kind: OrgKind,
) -> Result<i64, fazhi_store::StoreError> {
    org::create_org(
        tx,
        By::System,
        &NewOrg {
            parent_id,
            code: code.into(),
            name: name.into(),
            kind,
            sort_order: 0,
        },
    )
}

/// A person made by the system with the fixtures' password hash and one role at their org.
pub(crate) fn new_user(
    tx: &mut dyn fazhi_store::Tx,
    password_hash: &str,
    (username, display_name): (&str, &str),
    org_id: i64,
    role: Role,
) -> Result<i64, fazhi_store::StoreError> {
    let id = org::create_user(
        tx,
        By::System,
        &NewUser {
            username: username.into(),
            display_name: display_name.into(),
            org_id,
            password_hash: password_hash.into(),
        },
    )?;
    org::grant_role(tx, By::System, id, 1, org_id, role)?;
    Ok(id)
}

/// The procedure files, as shipped.
pub(crate) fn procedures() -> Vec<(String, String)> {
    [
        (
            "procedures/disclosure-request.toml",
            include_str!("../../../../procedures/disclosure-request.toml"),
        ),
        (
            "procedures/licensing-application.toml",
            include_str!("../../../../procedures/licensing-application.toml"),
        ),
        (
            "procedures/penalty-general.toml",
            include_str!("../../../../procedures/penalty-general.toml"),
        ),
        (
            "procedures/normative-document.toml",
            include_str!("../../../../procedures/normative-document.toml"),
        ),
        (
            "procedures/major-decision.toml",
            include_str!("../../../../procedures/major-decision.toml"),
        ),
        (
            "procedures/reconsideration-respondent.toml",
            include_str!("../../../../procedures/reconsideration-respondent.toml"),
        ),
        (
            "procedures/litigation-defendant.toml",
            include_str!("../../../../procedures/litigation-defendant.toml"),
        ),
    ]
    .iter()
    .map(|(f, t)| ((*f).to_string(), (*t).to_string()))
    .collect()
}

impl TestApp {
    /// An instance on SQLite with the base fixture.
    pub(crate) async fn spawn() -> Self {
        Self::spawn_with(Setup::base()).await
    }

    /// An instance that admits `n` pieces of database work at once.
    pub(crate) async fn spawn_admitting(n: usize) -> Self {
        Self::spawn_with(Setup {
            database_concurrency: n,
            ..Setup::base()
        })
        .await
    }

    /// An instance on PostgreSQL (a fresh schema) with the base fixture.
    pub(crate) async fn spawn_postgres() -> Self {
        Self::spawn_postgres_with(Setup::base()).await
    }
}

impl TestApp {
    /// A client that keeps cookies and does not follow redirects, as the tests read them.
    pub(crate) fn browser() -> reqwest::Client {
        browser()
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Setup<Ids> {
    /// The base fixture, a 64 KiB body limit, the default admission.
    pub(crate) fn base() -> Self {
        Setup {
            fixture,
            body_limit: 64 * 1024,
            database_concurrency: fazhi_web::default_database_concurrency(),
            settings: |_| {},
        }
    }
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fazhi-http-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl<I: Send + 'static> TestApp<I> {
    /// An instance on SQLite with this setup.
    pub(crate) async fn spawn_with(setup: Setup<I>) -> Self {
        let dir = temp_dir();
        let store = Store::open_sqlite(&dir.join("fazhi.db")).unwrap();
        Self::start(store, dir, None, setup).await
    }

    /// An instance on PostgreSQL (a fresh schema) with this setup.
    pub(crate) async fn spawn_postgres_with(setup: Setup<I>) -> Self {
        let url = std::env::var("FAZHI_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("h_{}", unique());
        let dir = temp_dir();
        let (u, s) = (url.clone(), schema.clone());
        let store = tokio::task::spawn_blocking(move || Store::open_postgres(&u, Some(&s)))
            .await
            .unwrap()
            .expect("PostgreSQL is needed for these tests");
        Self::start(store, dir, Some((url, schema)), setup).await
    }

    async fn start(
        store: Store,
        dir: std::path::PathBuf,
        pg: Option<(String, String)>,
        setup: Setup<I>,
    ) -> Self {
        let store = Arc::new(store);
        let s = store.clone();
        let fixture = setup.fixture;
        let ids = tokio::task::spawn_blocking(move || {
            s.migrate().unwrap();
            fixture(&s)
        })
        .await
        .unwrap();
        let mut settings = fazhi_web::Settings {
            body_limit: setup.body_limit,
            files_dir: dir.join("files"),
            database_concurrency: setup.database_concurrency,
            ..fazhi_web::Settings::default()
        };
        (setup.settings)(&mut settings);
        let s = store.clone();
        let state = tokio::task::spawn_blocking(move || {
            fazhi_store::calendar::seed(&s, SHIPPED_NOTICES).unwrap();
            let reg = fazhi_store::procedure::load_registry(&s, &procedures()).unwrap();
            fazhi_web::AppState::new(s, settings, reg).unwrap()
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(fazhi_web::serve(listener, state));
        TestApp {
            base,
            store,
            ids,
            dir,
            pg,
        }
    }

    /// A second instance on the same PostgreSQL schema (DESIGN §8: instances are stateless).
    pub(crate) async fn second_instance(&self) -> String {
        let (url, schema) = self.pg.clone().expect("a PostgreSQL app");
        let files = self.dir.join("files");
        let state = tokio::task::spawn_blocking(move || {
            let store = Arc::new(Store::open_postgres(&url, Some(&schema)).unwrap());
            let reg = fazhi_store::procedure::load_registry(&store, &procedures()).unwrap();
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
        tokio::spawn(fazhi_web::serve(listener, state));
        base
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs in through the form, as a browser would; returns the browser and its CSRF token.
    pub(crate) async fn sign_in(&self, username: &str) -> (reqwest::Client, String) {
        let b = browser();
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

    pub(crate) async fn api_key(&self, username: &str) -> String {
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

    pub(crate) async fn audit_count(&self) -> i64 {
        let s = self.store.clone();
        tokio::task::spawn_blocking(move || audit::verify(&s).unwrap().unwrap().count)
            .await
            .unwrap()
    }
}

pub(crate) fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("page has a CSRF field") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

pub(crate) fn api(key: &str) -> reqwest::Client {
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

pub(crate) async fn problem(r: reqwest::Response) -> (StatusCode, Value) {
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
pub(crate) fn visible_text(html: &str) -> String {
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
pub(crate) fn english_words(html: &str, data: &[&str]) -> Vec<String> {
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

/// A page as a signed-in browser gets it.
pub(crate) async fn page<I: Send + 'static>(
    b: &reqwest::Client,
    app: &TestApp<I>,
    path: &str,
) -> (StatusCode, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

/// A form posted as a signed-in browser posts it.
pub(crate) async fn post<I: Send + 'static>(
    b: &reqwest::Client,
    app: &TestApp<I>,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = b.post(app.url(path)).form(form).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

/// A form posted as a signed-in browser posts it, following a 303 as the browser does: the
/// status and page where it lands, and that page's path (the address bar).
pub(crate) async fn post_follow<I: Send + 'static>(
    b: &reqwest::Client,
    app: &TestApp<I>,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let r = b.post(app.url(path)).form(form).send().await.unwrap();
    if r.status() != StatusCode::SEE_OTHER {
        let s = r.status();
        return (s, r.text().await.unwrap(), path.to_string());
    }
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let (s, html) = page(b, app, &to).await;
    (s, html, to)
}

/// The record version a page shows (what a form sends back).
pub(crate) fn version_of(html: &str) -> String {
    let marker = "data-testid=\"version\">";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

/// Percent-encodes every byte but ASCII letters and digits.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The text of the element marked `data-testid`.
pub(crate) fn between<'a>(page: &'a str, testid: &str) -> &'a str {
    let start = page.find(&format!("data-testid=\"{testid}\">")).unwrap() + testid.len() + 15;
    page[start..].split('<').next().unwrap()
}
