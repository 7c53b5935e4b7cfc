//! HTTP tests of the full-text search: staff find what their scope covers and nothing of
//! another district, the portal and the anonymous API only published records, and a decision
//! withdrawn from the portal is gone from the portal search once the outbox is applied (which
//! every search does first: no waiting).

use fazhi_domain::enforcement::case::{Penalty, Rules};
use fazhi_domain::org::Actor;
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseId, CaseInput, Env};
use fazhi_store::org;
use fazhi_store::time_limit::Clock;
use reqwest::StatusCode;
use serde_json::Value;

use crate::cases::{Units, setup};
use crate::harness::*;

const PARTY: &str = "顺通再生资源";

async fn on_both<F, Fut>(test: F)
where
    F: Fn(TestApp<Units>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    test(TestApp::spawn_with(setup()).await).await;
    test(TestApp::spawn_postgres_with(setup()).await).await;
}

/// Takes an action on a case through the store, as `username`, today.
async fn act(app: &TestApp<Units>, username: &str, id: CaseId, action: &str, input: CaseInput) {
    let s = app.store.clone();
    let username = username.to_string();
    let action = action.to_string();
    tokio::task::spawn_blocking(move || {
        let who: Actor = s
            .read(|tx| {
                let id = org::user_id_by_username(tx, &username)?.unwrap();
                Ok(org::load_actor(tx, id)?.unwrap())
            })
            .unwrap();
        let cal = s.read(fazhi_store::calendar::load).unwrap();
        let reg = fazhi_store::procedure::load_registry(&s, &procedures()).unwrap();
        let rules = Rules::shipped();
        let env = Env {
            reg: &reg,
            clock: Clock {
                cal: &cal,
                today: fazhi_web::today(),
                warn: 3,
            },
            rules: &rules,
        };
        s.write(|tx| {
            let v = case::get(tx, id)?.version;
            case::act(
                tx,
                (&who, &Who::from(&who)),
                (id, v),
                (&action, &input),
                env,
            )
        })
        .unwrap();
    })
    .await
    .unwrap();
}

async fn json(b: &reqwest::Client, app: &TestApp<Units>, path: &str) -> Value {
    let r = b.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_jinshui_officer_never_finds_a_zhongyuan_case_and_the_portal_never_finds_a_case() {
    on_both(|app| async move {
        let js = app.notified_case(app.ids.jinshui_unit, "js", 2_000).await;
        let zy = app.notified_case(app.ids.zhongyuan_unit, "zy", 2_000).await;
        let q = format!("/app/search?q={PARTY}");
        let (officer, _) = app.sign_in("js.officer1").await;
        let (status, html) = page(&officer, &app, &q).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(&format!("href=\"/app/cases/{js}\"")),
            "{html}"
        );
        assert!(!html.contains(&format!("/app/cases/{zy}\"")), "{html}");
        assert!(
            html.contains("<mark>"),
            "the passage is highlighted: {html}"
        );
        assert!(html.contains("data-testid=\"total\">1<"), "{html}");
        // By case number too.
        let s = app.store.clone();
        let number = tokio::task::spawn_blocking(move || s.read(|tx| case::get(tx, zy)))
            .await
            .unwrap()
            .unwrap()
            .case_no;
        let (_, html) = page(&officer, &app, &format!("/app/search?q={number}")).await;
        assert!(!html.contains(&format!("/app/cases/{zy}\"")), "{html}");
        // The city's legal division supervises both districts.
        let (legal, _) = app.sign_in("fzc.legal").await;
        let (_, html) = page(&legal, &app, &q).await;
        assert!(html.contains(&format!("href=\"/app/cases/{js}\"")));
        assert!(html.contains(&format!("href=\"/app/cases/{zy}\"")));
        let (_, html) = page(&legal, &app, &format!("/app/search?q={number}")).await;
        assert!(
            html.contains(&format!("href=\"/app/cases/{zy}\"")),
            "{html}"
        );
        // The portal and the anonymous API find no case, whoever asks.
        let anyone = TestApp::browser();
        let (status, html) = page(&anyone, &app, &format!("/search?q={PARTY}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-testid=\"total\">0<"), "{html}");
        assert!(!html.contains("/app/cases/"));
        let (_, html) = page(&anyone, &app, &format!("/search?q={PARTY}&kind=case")).await;
        assert!(!html.contains("/app/cases/"));
        let v = json(&anyone, &app, &format!("/api/v1/search?q={PARTY}")).await;
        assert_eq!(v["total"], 0, "{v}");
        // With the officer's key, the API answers as the page does.
        let key = app.api_key("js.officer1").await;
        let r = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/search?q={PARTY}&kind=case")))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(keys(&v), vec![format!("case:{js}")], "{v}");
        // The case list's party box asks the index, within the same scope.
        let (_, html) = page(&officer, &app, "/app/cases?q=顺通再生").await;
        assert!(html.contains(&format!("/app/cases/{js}\"")), "{html}");
        assert!(!html.contains(&format!("/app/cases/{zy}\"")), "{html}");
        let (_, html) = page(&officer, &app, "/app/cases?q=没有这个当事人").await;
        assert!(!html.contains(&format!("/app/cases/{js}\"")), "{html}");
        let (_, html) = page(&legal, &app, "/app/cases?q=顺通再生").await;
        assert!(html.contains(&format!("/app/cases/{zy}\"")), "{html}");
        // The power list is public: found on the portal, with its page there.
        let (_, html) = page(&anyone, &app, "/search?q=报废机动车回收").await;
        assert!(html.contains("href=\"/powers/ZZSW-CF-008\""), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_decision_withdrawn_from_the_portal_disappears_from_the_portal_search() {
    on_both(|app| async move {
        let id = app.notified_case(app.ids.jinshui_unit, "js", 2_000).await;
        let decide = CaseInput {
            text: "当事人未在期限内陈述申辩，依法作出处罚。".into(),
            penalty: Penalty {
                fine: 2_000 * 100,
                ..Penalty::default()
            },
            ..CaseInput::default()
        };
        act(&app, "js.leader", id, "decide", decide).await;
        let anyone = TestApp::browser();
        let path = format!("/search?q={PARTY}");
        let (_, html) = page(&anyone, &app, &path).await;
        assert!(
            html.contains("data-testid=\"total\">0<"),
            "decided, not yet published: {html}"
        );
        act(
            &app,
            "js.officer1",
            id,
            "publish_decision",
            CaseInput::default(),
        )
        .await;
        let (_, html) = page(&anyone, &app, &path).await;
        assert!(html.contains("data-testid=\"total\">1<"), "{html}");
        assert!(html.contains("href=\"/publicity\""), "{html}");
        assert!(
            !html.contains("91410105MA44XK7P0F"),
            "the credit code is masked: {html}"
        );
        let v = json(
            &anyone,
            &app,
            &format!("/api/v1/search?q={PARTY}&kind=decision"),
        )
        .await;
        assert_eq!(keys(&v), vec![format!("decision:{id}")], "{v}");
        act(
            &app,
            "js.leader",
            id,
            "revoke_decision",
            CaseInput {
                text: "经行政复议，复议机关以认定事实不清为由撤销本决定。".into(),
                ..CaseInput::default()
            },
        )
        .await;
        let (_, html) = page(&anyone, &app, &path).await;
        assert!(
            html.contains("data-testid=\"total\">0<"),
            "withdrawn: {html}"
        );
        let v = json(&anyone, &app, &format!("/api/v1/search?q={PARTY}")).await;
        assert_eq!(v["total"], 0, "{v}");
        // Staff still find the case itself.
        let (officer, _) = app.sign_in("js.officer1").await;
        let (_, html) = page(&officer, &app, &format!("/app/search?q={PARTY}")).await;
        assert!(
            html.contains(&format!("href=\"/app/cases/{id}\"")),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_second_instance_on_the_same_database_keeps_its_own_index_from_the_same_outbox() {
    let app = TestApp::spawn_postgres_with(setup()).await;
    let second = app.second_instance().await;
    let (officer, _) = app.sign_in("js.officer1").await;
    // Written after both instances started: each applies the outbox into its own index.
    let id = app.notified_case(app.ids.jinshui_unit, "js", 2_000).await;
    let q = format!("/app/search?q={PARTY}");
    for base in [app.base.clone(), second] {
        let html = officer
            .get(format!("{base}{q}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("href=\"/app/cases/{id}\"")),
            "{base}: {html}"
        );
    }
}
