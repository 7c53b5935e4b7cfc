//! Disputes over HTTP: a county bureau never sees another's reconsiderations or lawsuits (404 on
//! the page and the API, absent from the list), on both engines; a reconsideration decision that
//! revokes a penalty decision takes the published decision off the portal with its reason; the
//! answer is refused without the evidence list and the page says why.

use fazhi_domain::ids::{LitigationId, ReconsiderationId};
use fazhi_domain::org::Role;
use fazhi_store::litigation::{self, NewLitigation};
use fazhi_store::reconsideration::{self, NewReconsideration};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, auth, org, procedure, publication, vals};
use reqwest::StatusCode;
use time::macros::date;

use crate::harness::*;

pub(crate) struct DisputeIds {
    rec: ReconsiderationId,
    suit: LitigationId,
}

const CASE_NO: &str = "金商罚〔2026〕7号";

/// The base fixture, a leader of 中原区, a penalty case of 金水区 whose decision is published;
/// a reconsideration of it, answered with its evidence, and a lawsuit, both against 金水区.
fn dispute_fixture(store: &Store) -> DisputeIds {
    let base = fixture(store);
    let reg = procedure::load_registry(store, &procedures()).unwrap();
    let cal = store.read(fazhi_store::calendar::load).unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    store
        .write(|tx| {
            new_user(tx, &hash, ("zy.leader", "卫国"), base.zhongyuan, Role::Leader)?;
            tx.exec(
                "INSERT INTO penalty_cases (case_no, query_code_hash, org_id, procedure_name,
                    procedure_version, stage, item_code, item_name, party_kind, party_name,
                    party_id_no, party_address, facts, act_ended_on, discovered_on, created_at,
                    updated_at)
                 VALUES (?, '', ?, 'penalty-general', 1, 'executing', 'ZZSW-CF-004',
                    '对发卡企业未按规定办理备案的处罚', 'organisation', '郑州市金水区惠民便利店有限公司',
                    '91410105MA44XK7P0F', '郑州市金水区', '未按规定办理备案', '2026-06-01',
                    '2026-06-10', 0, 0)",
                vals![CASE_NO, base.jinshui],
            )?;
            publication::publish(
                tx,
                fazhi_store::case::KIND_DECISION,
                CASE_NO,
                "对发卡企业未按规定办理备案的处罚：郑州市金水区惠民便利店有限公司",
                &serde_json::json!({ "case_no": CASE_NO, "penalty": "罚款 15000 元" }),
            )?;
            let leader_id = org::user_id_by_username(tx, "js.leader")?.unwrap();
            let leader = org::load_actor(tx, leader_id)?.unwrap();
            let clock = Clock {
                cal: &cal,
                today: date!(2026 - 10 - 12),
                warn: 3,
            };
            let rec = reconsideration::register(
                tx,
                &leader,
                &NewReconsideration {
                    org_id: base.jinshui,
                    received_on: Some(date!(2026 - 10 - 12)),
                    deciding_body: "郑州市金水区人民政府".into(),
                    applicant: "郑州市金水区惠民便利店有限公司".into(),
                    claims: "请求撤销行政处罚决定。".into(),
                    case_no: CASE_NO.into(),
                    ..NewReconsideration::default()
                },
                &reg,
                clock,
            )?;
            let suit = litigation::register(
                tx,
                &leader,
                &NewLitigation {
                    org_id: base.jinshui,
                    received_on: Some(date!(2026 - 10 - 12)),
                    court: "郑州市金水区人民法院".into(),
                    court_case_no: "（2026）豫0105行初88号".into(),
                    plaintiff: "王晓明".into(),
                    claims: "请求确认告知行为违法。".into(),
                    disputed: "投诉处理告知".into(),
                    ..NewLitigation::default()
                },
                &reg,
                clock,
            )?;
            Ok(DisputeIds { rec, suit })
        })
        .unwrap()
}

fn setup() -> Setup<DisputeIds> {
    Setup {
        fixture: dispute_fixture,
        body_limit: 64 * 1024,
        database_concurrency: fazhi_web::default_database_concurrency(),
        settings: |_| {},
    }
}

async fn a_county_bureau_never_sees_another_bureaus_disputes(app: TestApp<DisputeIds>) {
    let (rec, suit) = (app.ids.rec, app.ids.suit);
    let (zy, _) = app.sign_in("zy.leader").await;
    for path in [
        format!("/app/reconsiderations/{rec}"),
        format!("/app/litigations/{suit}"),
    ] {
        let (s, _) = page(&zy, &app, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    for path in ["/app/reconsiderations", "/app/litigations"] {
        let (s, list) = page(&zy, &app, path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !list.contains("惠民便利店") && !list.contains("王晓明"),
            "{list}"
        );
    }
    let key = api(&app.api_key("zy.leader").await);
    for path in [
        format!("/api/v1/reconsiderations/{rec}"),
        format!("/api/v1/litigations/{suit}"),
    ] {
        let r = key.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (js, _) = app.sign_in("js.leader").await;
    let (s, list) = page(&js, &app, "/app/reconsiderations").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("惠民便利店"), "{list}");
    let (s, p) = page(&js, &app, &format!("/app/litigations/{suit}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(p.contains("第六十七条"), "{p}");
    // An officer does not handle disputes.
    let (officer, _) = app.sign_in("js.officer").await;
    let (s, _) = page(&officer, &app, "/app/reconsiderations").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_county_bureau_never_sees_another_bureaus_disputes_on_sqlite() {
    a_county_bureau_never_sees_another_bureaus_disputes(TestApp::spawn_with(setup()).await).await;
}

#[tokio::test]
async fn a_county_bureau_never_sees_another_bureaus_disputes_on_postgres() {
    a_county_bureau_never_sees_another_bureaus_disputes(
        TestApp::spawn_postgres_with(setup()).await,
    )
    .await;
}

async fn a_revoked_penalty_leaves_the_portal_with_its_reason(app: TestApp<DisputeIds>) {
    let rec = app.ids.rec;
    let portal = reqwest::Client::new();
    let before = portal
        .get(app.url("/publicity"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(before.contains(CASE_NO), "{before}");
    let (js, _) = app.sign_in("js.leader").await;
    let url = format!("/app/reconsiderations/{rec}");
    let (s, p) = page(&js, &app, &url).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        p.contains("为什么不能") && p.contains("行政复议法 第四十八条"),
        "{p}"
    );
    let key = api(&app.api_key("js.leader").await);
    let api_url = app.url(&format!("/api/v1/reconsiderations/{rec}"));
    let act = |body: serde_json::Value| {
        let key = key.clone();
        let api_url = api_url.clone();
        async move {
            let r = key.get(&api_url).send().await.unwrap();
            let etag = r.headers()["etag"].to_str().unwrap().to_string();
            key.post(format!("{api_url}/actions"))
                .header("If-Match", etag)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let refused =
        act(serde_json::json!({ "action": "submit_answer", "text": "答复：事实清楚。" })).await;
    let (status, problem_body) = problem(refused).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem_body}");
    assert!(
        problem_body.to_string().contains("第四十八条"),
        "{problem_body}"
    );
    for body in [
        serde_json::json!({ "action": "record_evidence", "text": "现场检查笔录；询问笔录；行政处罚决定书" }),
        serde_json::json!({ "action": "submit_answer", "text": "答复：事实清楚，程序合法。" }),
        serde_json::json!({ "action": "receive_decision", "choice": "revoked",
            "text": "金政复决字〔2026〕12号，认定事实不清，撤销原处罚决定" }),
    ] {
        let r = act(body.clone()).await;
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "{body}: {}",
            r.text().await.unwrap()
        );
    }
    let after = portal
        .get(app.url("/publicity"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let reason = after
        .split(CASE_NO)
        .nth(1)
        .unwrap_or_else(|| panic!("the withdrawn decision is listed: {after}"));
    assert!(
        reason.contains("撤销原处罚决定") && reason.contains("第四十八条"),
        "{after}"
    );
    let v: serde_json::Value = key
        .get(&api_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["reconsideration"]["stage"], "decided");
    assert_eq!(v["reconsideration"]["outcome"], "revoked");
}

#[tokio::test]
async fn a_revoked_penalty_leaves_the_portal_with_its_reason_on_sqlite() {
    a_revoked_penalty_leaves_the_portal_with_its_reason(TestApp::spawn_with(setup()).await).await;
}

#[tokio::test]
async fn a_revoked_penalty_leaves_the_portal_with_its_reason_on_postgres() {
    a_revoked_penalty_leaves_the_portal_with_its_reason(
        TestApp::spawn_postgres_with(setup()).await,
    )
    .await;
}
