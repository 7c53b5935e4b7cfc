//! Major decisions and legal advisors over HTTP: an advisor who signs in sees only what is
//! assigned to them (404 on anything else, on both engines); the portal shows the published
//! catalogue and no internal record; the decision's page names every missing step.

use fazhi_domain::decision::Step;
use fazhi_domain::ids::{AdvisorId, DecisionId};
use fazhi_domain::org::{OrgKind, Role};
use fazhi_store::decision::{self, NewItem};
use fazhi_store::{Store, advisor, auth, org, procedure};
use reqwest::StatusCode;

use crate::harness::*;

/// The base fixture, a sponsoring division, the city's leaders, two advisors who sign in; the
/// 2026 catalogue published with two items; decision `a` assigned to the advisor `advisor`,
/// decision `b` to nobody; a draft catalogue for 2027 whose item must not reach the portal.
pub(crate) struct DecisionIds {
    pub(crate) a: DecisionId,
    pub(crate) b: DecisionId,
    pub(crate) mine: AdvisorId,
    pub(crate) other: AdvisorId,
}

fn decision_fixture(store: &Store) -> DecisionIds {
    let base = fixture(store);
    let reg = procedure::load_registry(store, &procedures()).unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    store
        .write(|tx| {
            let sponsor = new_org(
                tx,
                Some(base.city),
                "zz-smfwc",
                "商贸服务处",
                OrgKind::Division,
            )?;
            let legal = org::get_org_by_code(tx, "zz-zcfgc")?.unwrap().id;
            let mut user = |u: &str, n: &str, o: i64, r: Role| new_user(tx, &hash, (u, n), o, r);
            let leader = user("leader", "李卫东", base.city, Role::Leader)?;
            user("deputy1", "张志强", base.city, Role::Leader)?;
            let officer = user("smfw.officer", "高雪", sponsor, Role::Officer)?;
            user("advisor", "郑律师", legal, Role::Advisor)?;
            user("advisor2", "钱律师", legal, Role::Advisor)?;
            let load =
                |tx: &mut dyn fazhi_store::Tx, id| org::load_actor(tx, id).map(Option::unwrap);
            let legal_user = org::user_id_by_username(tx, "fzc.legal")?.unwrap();
            let (leader, officer, legal) =
                (load(tx, leader)?, load(tx, officer)?, load(tx, legal_user)?);
            let item = |title: &str, steps: Vec<Step>| NewItem {
                title: title.into(),
                sponsor_org_id: sponsor,
                description: "全市范围的政策措施".into(),
                steps,
                planned: "第三季度".into(),
            };
            let c = decision::create_catalogue(tx, &legal, base.city, 2026)?;
            let i1 = decision::add_item(
                tx,
                &legal,
                (c, 1),
                &item(
                    "郑州市促进消费若干措施",
                    vec![
                        Step::Participation,
                        Step::ExpertArgument,
                        Step::RiskAssessment,
                    ],
                ),
            )?;
            let i2 = decision::add_item(
                tx,
                &legal,
                (c, 2),
                &item("郑州市便民生活圈建设行动方案", vec![]),
            )?;
            decision::approve_catalogue(tx, &leader, (c, 3), "同意")?;
            decision::publish_catalogue(tx, &legal, (c, 4))?;
            let draft = decision::create_catalogue(tx, &legal, base.city, 2027)?;
            decision::add_item(tx, &legal, (draft, 1), &item("尚未批准的草拟事项", vec![]))?;
            let a = decision::open_decision(tx, &officer, i1, "内部草案：消费券 2 亿元", &reg)?;
            let b = decision::open_decision(tx, &officer, i2, "内部草案：便民网点补贴", &reg)?;
            let new = |name: &str, user: &str| advisor::NewAdvisor {
                org_id: base.city,
                kind: "lawyer".into(),
                name: name.into(),
                firm: "河南豫法律师事务所".into(),
                license_no: "14101201910000001".into(),
                contact: "0371-65550001".into(),
                username: Some(user.into()),
            };
            let mine = advisor::add_advisor(tx, &legal, &new("郑律师", "advisor"))?;
            let other = advisor::add_advisor(tx, &legal, &new("钱律师", "advisor2"))?;
            advisor::assign(
                tx,
                &legal,
                mine,
                ("major_decision", a.0),
                "审查促进消费措施的合法性",
            )?;
            Ok(DecisionIds { a, b, mine, other })
        })
        .unwrap()
}

fn setup() -> Setup<DecisionIds> {
    Setup {
        fixture: decision_fixture,
        body_limit: 64 * 1024,
        database_concurrency: fazhi_web::default_database_concurrency(),
        settings: |_| {},
    }
}

async fn an_advisor_sees_only_what_is_assigned(app: TestApp<DecisionIds>) {
    let ids = &app.ids;
    let (b, _) = app.sign_in("advisor").await;
    let (s, list) = page(&b, &app, "/app/decisions").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("郑州市促进消费若干措施"), "{list}");
    assert!(
        !list.contains("便民生活圈"),
        "an unassigned decision is not listed"
    );
    assert!(!list.contains("/app/decisions/catalogue"));
    let (s, mine) = page(&b, &app, &format!("/app/decisions/{}", ids.a)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(mine.contains("内部草案：消费券 2 亿元"));
    for path in [
        format!("/app/decisions/{}", ids.b),
        format!("/app/decisions/{}/trace", ids.a),
        "/app/decisions/catalogue".into(),
        "/app/decisions/new".into(),
        "/app/cases".into(),
        "/app/cases/1".into(),
        "/app/cases/leads".into(),
        "/app/disclosure".into(),
        "/app/applications".into(),
        "/app/advisors".into(),
        format!("/app/advisors/{}", ids.other),
        "/app/audit".into(),
        "/app/orgs".into(),
    ] {
        let (s, _) = page(&b, &app, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let r = b.get(app.url("/app/advisors/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/app/advisors/{}", ids.mine).as_str()
    );
    // The review opinion, the one thing they may give, enters their ledger.
    let (s, _, _) = post_follow(
        &b,
        &app,
        &format!("/app/decisions/{}/act", ids.a),
        &[
            ("csrf", &csrf_of(&mine)),
            ("version", &version_of(&mine)),
            ("action", "submit_to_meeting"),
        ],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "an advisor does not put the draft to the meeting"
    );
    let (leader, _) = app.sign_in("leader").await;
    let (_, lp) = page(&leader, &app, &format!("/app/decisions/{}", ids.a)).await;
    let (s, _, _) = post_follow(
        &leader,
        &app,
        &format!("/app/decisions/{}/act", ids.a),
        &[
            ("csrf", &csrf_of(&lp)),
            ("version", &version_of(&lp)),
            ("action", "submit_legality_review"),
            ("text", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, mine) = page(&b, &app, &format!("/app/decisions/{}", ids.a)).await;
    assert!(
        mine.contains("<form method=\"post\" action=\"/app/decisions/"),
        "{mine}"
    );
    assert!(mine.contains("data-action=\"record_legality_review\""));
    let (s, after, _) = post_follow(
        &b,
        &app,
        &format!("/app/decisions/{}/act", ids.a),
        &[
            ("csrf", &csrf_of(&mine)),
            ("version", &version_of(&mine)),
            ("action", "record_legality_review"),
            ("choice", "lawful"),
            ("text", "属于本机关法定权限，程序完备"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{after}");
    assert!(after.contains("属于本机关法定权限，程序完备"));
    let (s, own) = page(&b, &app, &format!("/app/advisors/{}", ids.mine)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        own.contains("决策合法性审查"),
        "the review is in the ledger: {own}"
    );
    assert!(
        !own.contains("data-form=\"assign\""),
        "the advisor assigns nothing"
    );
    // The API answers the same.
    let key = app.api_key("advisor").await;
    let c = api(&key);
    let r = c
        .get(app.url(&format!("/api/v1/decisions/{}", ids.b)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c.get(app.url("/api/v1/cases")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .get(app.url(&format!("/api/v1/decisions/{}", ids.a)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c
        .get(app.url(&format!("/api/v1/advisors/{}/ledger", ids.mine)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["entries"][0]["kind"], "decision_review");
    let r = c
        .get(app.url(&format!("/api/v1/advisors/{}/ledger", ids.other)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_advisor_sees_only_what_is_assigned_on_sqlite() {
    an_advisor_sees_only_what_is_assigned(TestApp::spawn_with(setup()).await).await;
}

#[tokio::test]
async fn an_advisor_sees_only_what_is_assigned_on_postgres() {
    an_advisor_sees_only_what_is_assigned(TestApp::spawn_postgres_with(setup()).await).await;
}

#[tokio::test]
async fn the_portal_shows_the_published_catalogue_and_no_internal_record_on_sqlite() {
    the_portal_shows_the_published_catalogue_and_no_internal_record(
        TestApp::spawn_with(setup()).await,
    )
    .await;
}

#[tokio::test]
async fn the_portal_shows_the_published_catalogue_and_no_internal_record_on_postgres() {
    the_portal_shows_the_published_catalogue_and_no_internal_record(
        TestApp::spawn_postgres_with(setup()).await,
    )
    .await;
}

async fn the_portal_shows_the_published_catalogue_and_no_internal_record(
    app: TestApp<DecisionIds>,
) {
    let r = reqwest::get(app.url("/decisions")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("郑州市商务局2026年度重大行政决策事项目录"),
        "{html}"
    );
    assert!(html.contains("郑州市促进消费若干措施"));
    assert!(html.contains("公众参与、专家论证、风险评估、合法性审查、集体讨论决定"));
    for internal in ["尚未批准的草拟事项", "内部草案", "JC2026", "郑律师"] {
        assert!(!html.contains(internal), "{internal} reached the portal");
    }
    assert!(
        english_words(&html, &[]).is_empty(),
        "{:?}",
        english_words(&html, &[])
    );
}

#[tokio::test]
async fn the_decision_page_names_every_missing_step_and_a_refused_decision_says_why() {
    let app = TestApp::spawn_with(setup()).await;
    let a = app.ids.a;
    let (leader, _) = app.sign_in("leader").await;
    let (legal, _) = app.sign_in("fzc.legal").await;
    let (deputy, _) = app.sign_in("deputy1").await;
    let step = |b: &reqwest::Client, form: Vec<(&'static str, String)>| {
        let (b, app) = (b.clone(), &app);
        async move {
            let (_, p) = page(&b, app, &format!("/app/decisions/{a}")).await;
            let mut f: Vec<(&str, String)> =
                vec![("csrf", csrf_of(&p)), ("version", version_of(&p))];
            f.extend(form);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_follow(&b, app, &format!("/app/decisions/{a}/act"), &f).await
        }
    };
    step(&leader, vec![("action", "submit_legality_review".into())]).await;
    step(
        &legal,
        vec![
            ("action", "record_legality_review".into()),
            ("choice", "lawful".into()),
            ("text", "合法".into()),
        ],
    )
    .await;
    step(&leader, vec![("action", "submit_to_meeting".into())]).await;
    step(
        &deputy,
        vec![
            ("action", "record_view".into()),
            ("choice", "disagree".into()),
            ("text", "风险评估不充分".into()),
        ],
    )
    .await;
    let (_, p) = page(&leader, &app, &format!("/app/decisions/{a}")).await;
    assert!(
        p.contains("data-testid=\"dissent\""),
        "the dissent is marked"
    );
    let why = p
        .split("data-action=\"decide\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    for article in ["第十四条、第十五条", "第十九条", "第二十二条", "第三十条"]
    {
        assert!(why.contains(article), "{article}: {why}");
    }
    let (s, html, at) = step(
        &leader,
        vec![
            ("action", "decide".into()),
            ("text", "决定实施".into()),
            ("opinion", "同意".into()),
            ("confirmed", "1".into()),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(at, format!("/app/decisions/{a}"));
    assert!(html.contains("尚未记录专家论证意见"), "{html}");
    let (s, trace) = page(&leader, &app, &format!("/app/decisions/{a}/trace")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(trace.contains("风险评估不充分"));
    assert!(trace.contains("张志强"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_decision_routes() {
    let app = TestApp::spawn().await;
    let spec: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/api/v1/decisions", "get"),
        ("/api/v1/decisions/{id}", "get"),
        ("/api/v1/decisions/{id}/actions", "post"),
        ("/api/v1/advisors/{id}/ledger", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}

#[tokio::test]
async fn an_action_through_the_api_needs_the_version_and_a_refusal_names_its_articles() {
    let app = TestApp::spawn_with(setup()).await;
    let c = api(&app.api_key("leader").await);
    let url = app.url(&format!("/api/v1/decisions/{}", app.ids.a));
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let v: serde_json::Value = r.json().await.unwrap();
    let missing = v["missing_steps"].to_string();
    for a in [
        "第十四条、第十五条",
        "第十九条",
        "第二十二条",
        "第二十五条至第二十八条",
        "第三十条",
    ] {
        assert!(missing.contains(a), "{a}: {missing}");
    }
    let act = |body: serde_json::Value, version: Option<&str>| {
        let mut req = c.post(format!("{url}/actions")).json(&body);
        if let Some(v) = version {
            req = req.header("If-Match", v);
        }
        req.send()
    };
    let r = act(
        serde_json::json!({ "action": "submit_legality_review" }),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = act(
        serde_json::json!({ "action": "submit_legality_review" }),
        Some(&etag),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = act(
        serde_json::json!({ "action": "submit_to_meeting" }),
        Some(&etag),
    )
    .await
    .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale version: {p}");
    let r = c.get(&url).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = act(
        serde_json::json!({ "action": "submit_to_meeting" }),
        Some(&etag),
    )
    .await
    .unwrap();
    let (s, p) = problem(r).await;
    assert!(s.is_client_error(), "{s}");
    assert!(
        p["basis"]
            .as_str()
            .unwrap_or_default()
            .contains("第二十五条"),
        "{p}"
    );
}

#[tokio::test]
async fn a_refused_ledger_entry_comes_back_filled_with_the_reason() {
    let app = TestApp::spawn_with(setup()).await;
    let (b, _) = app.sign_in("advisor").await;
    let path = format!("/app/advisors/{}", app.ids.mine);
    let (_, p) = page(&b, &app, &path).await;
    let (s, html, at) = post_follow(
        &b,
        &app,
        &format!("{path}/ledger"),
        &[
            ("csrf", &csrf_of(&p)),
            ("action", "ledger"),
            ("kind", "consultation"),
            ("subject", "预付卡备案咨询"),
            ("hours", "99"),
            ("outcome", "当面答复"),
            ("on", "2026-11-02"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(at, path);
    assert!(html.contains("「用时（小时）」应在 0 至 24 之间"), "{html}");
    assert!(
        html.contains("value=\"预付卡备案咨询\""),
        "what was typed is kept"
    );
    assert!(html.contains("当面答复</textarea>"));
    let (s, html, _) = post_follow(
        &b,
        &app,
        &format!("{path}/ledger"),
        &[
            ("csrf", &csrf_of(&p)),
            ("action", "ledger"),
            ("kind", "consultation"),
            ("subject", "预付卡备案咨询"),
            ("hours", "1.5"),
            ("outcome", "当面答复"),
            ("on", "2026-11-02"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<td>1.5</td>"), "{html}");
}
