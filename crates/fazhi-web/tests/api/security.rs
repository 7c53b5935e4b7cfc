//! What an attacker tried over HTTP and can no longer do (issue 16): change the city's power
//! list as a county leader, leave through the language switch to another site, flood the
//! portal, frame or sniff pages without security headers, store a file in another county's case,
//! read the chain with a role from one grant and a reach from another, and find the CSRF token
//! in a URL or a cookie without `Secure` behind HTTPS.

use fazhi_domain::org::Role;
use fazhi_store::org::{self, By};
use reqwest::StatusCode;

use crate::cases;
use crate::harness::*;

async fn city_item(app: &TestApp) {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        use fazhi_domain::power::*;
        let item = PowerItem {
            code: "ZZSW-QT-001".into(),
            name: "对单用途商业预付卡发卡企业的监督检查".into(),
            kind: PowerKind::Inspection,
            parent_code: None,
            bases: vec![LegalBasis {
                law: "单用途商业预付卡管理办法（试行）".into(),
                article: "第三十条".into(),
                text: String::new(),
            }],
            responsible_org: "zz".into(),
            responsibilities: Vec::new(),
            accountability: String::new(),
            application: None,
            note: String::new(),
        };
        s.write(|tx| {
            fazhi_store::power::import(
                tx,
                By::System,
                &[item],
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

#[tokio::test]
async fn a_county_leader_can_no_longer_cancel_an_item_of_the_city() {
    let app = TestApp::spawn().await;
    city_item(&app).await;
    let (b, csrf) = app.sign_in("js.leader").await;
    let (_, item) = page(&b, &app, "/app/powers/ZZSW-QT-001").await;
    assert!(
        !item.contains("/app/powers/ZZSW-QT-001/cancel"),
        "no cancel form is offered to a county leader"
    );
    let (status, _) = post(
        &b,
        &app,
        "/app/powers/ZZSW-QT-001/cancel",
        &[
            ("csrf", csrf.as_str()),
            ("reason", "职责调整，不再保留"),
            ("basis", "区政府决定"),
            ("effective", "2026-06-01"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let s = app.store.clone();
    let versions = tokio::task::spawn_blocking(move || {
        s.read(|tx| fazhi_store::power::versions(tx, "ZZSW-QT-001"))
            .unwrap()
    })
    .await
    .unwrap();
    assert!(versions.last().unwrap().valid_to.is_none());
}

#[tokio::test]
async fn the_language_switch_can_no_longer_send_anyone_to_another_site() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
    for back in [
        "/%5Cevil.example",
        "/%09/evil.example",
        "//evil.example",
        "/%2F/evil.example",
        "https://evil.example/",
        "/app/work%0D%0ALocation:%20https://evil.example",
        "/app/%0Aevil",
        "/%5C%5Cevil.example",
    ] {
        let r = b
            .get(app.url(&format!("/app/lang/en?back={back}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back}");
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/app/work", "{back} must not be followed");
    }
    let r = b
        .get(app.url("/app/lang/zh?back=/app/cases%3Fpage%3D2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/app/cases?page=2");
    let r = b
        .get(app.url("/app/lang/zh?back=/powers/ZZSW-QT-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/powers/ZZSW-QT-001");
}

#[tokio::test]
async fn a_stranger_can_no_longer_flood_the_portal_with_submissions() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let mut refused = None;
    for _ in 0..40 {
        let r = c
            .post(app.url("/disclosure"))
            .form(&[("requester_name", "张三")])
            .send()
            .await
            .unwrap();
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(r);
            break;
        }
    }
    let r = refused.expect("one address is stopped after its share of submissions");
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0);
    let page = r.text().await.unwrap();
    assert!(page.contains("提交过于频繁"), "{page}");
    // Staff pages stay open to the same address.
    let (b, _) = app.sign_in("js.officer").await;
    assert_eq!(page_status(&b, &app, "/app/work").await, StatusCode::OK);
}

async fn page_status(b: &reqwest::Client, app: &TestApp, path: &str) -> StatusCode {
    b.get(app.url(path)).send().await.unwrap().status()
}

#[tokio::test]
async fn the_portal_can_no_longer_be_filled_past_its_quota_of_unaccepted_uploads() {
    let app = TestApp::spawn_with(Setup {
        settings: |s| s.limits.pending_upload_bytes = 80,
        ..Setup::base()
    })
    .await;
    crate::application::online_item(&app).await;
    let c = reqwest::Client::new();
    let first = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(crate::application::application_form(
            "91350100M000100Y43",
            vec![
                ("m0", "申请书.pdf", crate::application::PDF.to_vec()),
                (
                    "m1",
                    "执照.pdf",
                    [crate::application::PDF, b"licence"].concat(),
                ),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK, "the first fits the quota");
    let second = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(crate::application::application_form(
            "91350100M000100Y43",
            vec![
                ("m0", "申请书.pdf", [crate::application::PDF, b"2"].concat()),
                ("m1", "执照.pdf", [crate::application::PDF, b"3"].concat()),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(second.headers().contains_key("retry-after"));
    assert!(second.text().await.unwrap().contains("窗口"));
    assert_eq!(crate::application::application_count(&app).await, 1);
}

#[tokio::test]
async fn refused_attempts_can_no_longer_fill_the_disk_past_the_quota_either() {
    let app = TestApp::spawn_with(Setup {
        settings: |s| s.limits.pending_upload_bytes = 80,
        ..Setup::base()
    })
    .await;
    crate::application::online_item(&app).await;
    let c = reqwest::Client::new();
    let attempt = |n: &'static [u8]| {
        // Without the required statement: refused, its good files kept for the next attempt.
        let form = reqwest::multipart::Form::new()
            .text("requester_kind", "org")
            .text("requester_name", "郑州金水拍卖有限公司")
            .part(
                "m0",
                reqwest::multipart::Part::bytes([crate::application::PDF, n].concat())
                    .file_name("申请书.pdf"),
            )
            .part(
                "m1",
                reqwest::multipart::Part::bytes([crate::application::PDF, n, n].concat())
                    .file_name("执照.pdf"),
            );
        c.post(app.url("/apply/TEST-XK-001")).multipart(form).send()
    };
    let r = attempt(b"a").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = attempt(b"b").await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "what the first refused attempt left stored counts"
    );
}

#[tokio::test]
async fn a_stranger_with_only_a_tracking_number_can_no_longer_store_files_as_a_supplement() {
    let app = TestApp::spawn().await;
    crate::application::online_item(&app).await;
    let c = reqwest::Client::new();
    let page = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(crate::application::application_form(
            "91350100M000100Y43",
            vec![
                ("m0", "申请书.pdf", crate::application::PDF.to_vec()),
                (
                    "m1",
                    "执照.pdf",
                    [crate::application::PDF, b"licence"].concat(),
                ),
            ],
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let planted = [crate::application::PDF, b"planted by a stranger"].concat();
    let form = reqwest::multipart::Form::new()
        .text("no", no)
        .text("code", "WRONGCODE")
        .part(
            "m1",
            reqwest::multipart::Part::bytes(planted.clone()).file_name("执照.pdf"),
        );
    let r = c
        .post(app.url("/apply/supplement"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&planted))
    };
    assert!(
        !app.dir.join("files").join(&sha[..2]).join(&sha).exists(),
        "the file was stored before the query code was checked"
    );
}

fn assert_headers(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert!(h.contains_key("referrer-policy"), "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
}

#[tokio::test]
async fn no_response_can_be_framed_sniffed_or_kept_in_a_shared_cache_any_more() {
    let app = TestApp::spawn().await;
    let anon = TestApp::browser();
    for path in [
        "/",
        "/powers",
        "/disclosure",
        "/app/login",
        "/static/app.css",
        "/static/app.js",
        "/healthz",
        "/no-such-page",
        "/app/work",
        "/api/v1/cases",
    ] {
        let r = anon.get(app.url(path)).send().await.unwrap();
        assert_headers(&r, path);
        assert!(
            !r.headers().contains_key("strict-transport-security"),
            "{path}: HSTS only behind HTTPS"
        );
    }
    let (b, _) = app.sign_in("admin").await;
    for path in ["/app/work", "/app/orgs", "/app/audit", "/app/powers"] {
        let r = b.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_headers(&r, path);
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
        let html = r.text().await.unwrap();
        assert!(!html.contains(" style=\""), "{path}: inline style");
        assert!(!html.contains("<script>"), "{path}: inline script");
    }
    let key = app.api_key("admin").await;
    let r = api(&key)
        .get(app.url("/api/v1/cases"))
        .send()
        .await
        .unwrap();
    assert_headers(&r, "api");
    assert_eq!(r.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn an_officer_can_no_longer_store_a_file_in_another_countys_case() {
    let app = TestApp::spawn_with(cases::setup()).await;
    let case = app.notified_case(app.ids.zhongyuan_unit, "zy", 0).await;
    let (b, csrf) = app.sign_in("js.officer1").await;
    let bytes = b"%PDF-1.4\n% planted by another county\n".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("version", "1")
        .text("kind", "书证")
        .text("title", "植入的文件")
        .text("date", "2026-03-02")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name("x.pdf"),
        );
    let r = b
        .post(app.url(&format!("/app/cases/{case}/evidence?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let stored = app.dir.join("files").join(&sha[..2]).join(&sha);
    assert!(!stored.exists(), "the file was stored before the check");
}

#[tokio::test]
async fn a_city_reviewer_who_administers_one_county_can_no_longer_read_the_whole_chain() {
    let app = TestApp::spawn().await;
    let s = app.store.clone();
    let (legal, jinshui) = (
        {
            let s = s.clone();
            tokio::task::spawn_blocking(move || {
                s.read(|tx| org::get_org_by_code(tx, "zz-zcfgc"))
                    .unwrap()
                    .unwrap()
                    .id
            })
            .await
            .unwrap()
        },
        app.ids.jinshui,
    );
    tokio::task::spawn_blocking(move || {
        let hash = fazhi_store::auth::hash_password(PASSWORD).unwrap();
        s.write(|tx| {
            let id = new_user(
                tx,
                &hash,
                ("zz.reviewer", "韩雪"),
                legal,
                Role::LegalReviewer,
            )?;
            let v = org::get_user(tx, id)?.version;
            org::grant_role(tx, By::System, id, v, jinshui, Role::Admin)
        })
        .unwrap();
    })
    .await
    .unwrap();
    let (b, _) = app.sign_in("zz.reviewer").await;
    let r = b.get(app.url("/app/audit")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_csrf_token_no_longer_travels_in_the_url_of_an_upload_form() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("fzc.legal").await;
    let (_, list) = page(&b, &app, "/app/powers").await;
    let at = list.find("data-testid=\"import\"").unwrap();
    let form = &list[list[..at].rfind("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(!form.contains("csrf="), "{form}");
    assert!(
        form.contains("name=\"csrf\""),
        "the token is a field: {form}"
    );
    let upload = |token_in_body: Option<&str>, token_in_url: Option<&str>| {
        let mut f = reqwest::multipart::Form::new();
        if let Some(t) = token_in_body {
            f = f.text("csrf", t.to_string());
        }
        let f = f
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"not,a,list\n".to_vec()).file_name("l.csv"),
            )
            .text("reason", "导入测试清单")
            .text("basis", "市政府公布的权责清单")
            .text("effective", "2026-01-01");
        let url = match token_in_url {
            Some(t) => app.url(&format!("/app/powers/import?csrf={t}")),
            None => app.url("/app/powers/import"),
        };
        b.post(url).multipart(f).send()
    };
    let r = upload(Some(&csrf), None).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the token in the body is enough"
    );
    let r = upload(None, Some(&csrf)).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a token in the URL is not taken"
    );
    let r = upload(Some("forged"), None).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn behind_https_no_cookie_goes_without_secure_and_every_response_asks_for_https() {
    let app = TestApp::spawn_with(Setup {
        settings: |s| s.behind_https = true,
        ..Setup::base()
    })
    .await;
    let b = TestApp::browser();
    let r = b.get(app.url("/app/login")).send().await.unwrap();
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    for c in r.headers().get_all("set-cookie") {
        assert!(c.to_str().unwrap().contains("; Secure"), "{c:?}");
    }
    let r = b.get(app.url("/app/lang/en?back=/")).send().await.unwrap();
    for c in r.headers().get_all("set-cookie") {
        assert!(c.to_str().unwrap().contains("; Secure"), "{c:?}");
    }
}
