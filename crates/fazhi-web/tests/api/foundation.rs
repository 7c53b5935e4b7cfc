//! Sign-in, navigation, CSRF, county isolation, concurrent edits, the admission gate, two instances.

use fazhi_store::audit;
use fazhi_store::org::{self};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

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

pub(crate) async fn county_isolation(app: &TestApp) {
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

pub(crate) async fn concurrent_edits(app: &TestApp) {
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
async fn unknown_pages_get_a_chinese_404_page() {
    let app = TestApp::spawn().await;
    let r = reqwest::get(app.url("/no/such/page")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body = r.text().await.unwrap();
    assert!(body.contains("未找到") && body.contains("不存在"));
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
