//! HTTP tests of penalty cases: the real router on a real port over a real database, cases set
//! up through the store and then handled as officers, reviewers and leaders do in the browser.

use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::{Penalty, Rules};
use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseId, CaseInput, Env, NewCase, NewEvidence};
use fazhi_store::certificate::{self, NewCertificate};
use fazhi_store::org::{self, By};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, auth, power};
use reqwest::StatusCode;

use crate::harness::*;
use time::Duration;
use time::macros::date;

/// The ids of the case fixture: the enforcement units of 金水区 and 中原区.
pub(crate) struct Units {
    pub(crate) jinshui_unit: i64,
    pub(crate) zhongyuan_unit: i64,
}

/// Cases need the enforcement units, officers with certificates and a penalty item in force
/// (and no discretion benchmark: the fine is free within the law here).
pub(crate) fn setup() -> Setup<Units> {
    Setup {
        fixture,
        body_limit: fazhi_web::Settings::default().body_limit,
        database_concurrency: fazhi_web::default_database_concurrency(),
        settings: |_| {},
    }
}

fn item() -> fazhi_domain::power::PowerItem {
    use fazhi_domain::power::*;
    PowerItem {
        code: "ZZSW-CF-008".into(),
        name: "对未取得资质认定擅自从事报废机动车回收活动的处罚".into(),
        kind: PowerKind::Penalty,
        parent_code: None,
        bases: vec![LegalBasis {
            law: "报废机动车回收管理办法".into(),
            article: "第十九条".into(),
            text: String::new(),
        }],
        responsible_org: "zz".into(),
        responsibilities: Vec::new(),
        accountability: String::new(),
        application: None,
        note: String::new(),
    }
}

fn fixture(store: &Store) -> Units {
    let hash = auth::hash_password(PASSWORD).unwrap();
    store
        .write(|tx| {
            let mk = new_org;
            let city = mk(tx, None, "zz", "郑州市商务局", OrgKind::Bureau)?;
            let legal = mk(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
            let js = mk(
                tx,
                Some(city),
                "jinshui",
                "金水区商务局",
                OrgKind::CountyBureau,
            )?;
            let js_unit = mk(
                tx,
                Some(js),
                "jinshui-zfdd",
                "金水区商务局执法大队",
                OrgKind::Unit,
            )?;
            let js_legal = mk(
                tx,
                Some(js),
                "jinshui-fzg",
                "金水区商务局法制股",
                OrgKind::Unit,
            )?;
            let zy = mk(
                tx,
                Some(city),
                "zhongyuan",
                "中原区商务局",
                OrgKind::CountyBureau,
            )?;
            let zy_unit = mk(
                tx,
                Some(zy),
                "zhongyuan-zfdd",
                "中原区商务局执法大队",
                OrgKind::Unit,
            )?;
            let mut user = |username: &str, name: &str, org_id: i64, role: Role| {
                new_user(tx, &hash, (username, name), org_id, role)
            };
            let o1 = user("js.officer1", "蒋涛", js_unit, Role::Officer)?;
            let o2 = user("js.officer2", "沈佳", js_unit, Role::Officer)?;
            user("js.head", "卫建军", js_unit, Role::DivisionHead)?;
            user("js.leader", "褚红梅", js, Role::Leader)?;
            user("js.legal", "韩磊", js_legal, Role::LegalReviewer)?;
            let zo = user("zy.officer1", "尤俊杰", zy_unit, Role::Officer)?;
            let zo2 = user("zy.officer2", "许诺", zy_unit, Role::Officer)?;
            user("fzc.legal", "张明远", legal, Role::LegalDivision)?;
            user("zy.head", "吕志强", zy_unit, Role::DivisionHead)?;
            for (n, (holder, scope)) in [(o1, js), (o2, js), (zo, zy), (zo2, zy)].iter().enumerate()
            {
                certificate::register(
                    tx,
                    By::System,
                    &NewCertificate {
                        number: format!("豫A-4101-{n:04}"),
                        holder_id: *holder,
                        issuer: "河南省人民政府".into(),
                        scope_org_id: *scope,
                        scope_text: "本区 商务执法".into(),
                        valid_from: date!(2024 - 01 - 01),
                        valid_until: date!(2031 - 12 - 31),
                    },
                )?;
            }
            power::import(
                tx,
                By::System,
                &[item()],
                "测试",
                "测试依据",
                date!(2020 - 01 - 01),
            )?;
            Ok(Units {
                jinshui_unit: js_unit,
                zhongyuan_unit: zy_unit,
            })
        })
        .unwrap()
}

impl TestApp<Units> {
    /// A case of `unit` taken through the store to the pre-decision notice 30 days ago (so the
    /// party's five working days are over), with a fine of `fine_yuan` for an organisation.
    pub(crate) async fn notified_case(&self, unit: i64, prefix: &str, fine_yuan: i64) -> CaseId {
        self.case_through(unit, prefix, fine_yuan, true).await
    }

    /// A case of 金水区 under investigation: approved, two officers assigned, one piece of
    /// evidence, no report yet.
    async fn investigating_case(&self) -> CaseId {
        self.case_through(self.ids.jinshui_unit, "js", 0, false)
            .await
    }

    async fn case_through(&self, unit: i64, prefix: &str, fine_yuan: i64, report: bool) -> CaseId {
        let s = self.store.clone();
        let prefix = prefix.to_string();
        tokio::task::spawn_blocking(move || {
            let actor = |u: &str| -> Actor {
                s.read(|tx| {
                    let id = org::user_id_by_username(tx, u)?.unwrap();
                    Ok(org::load_actor(tx, id)?.unwrap())
                })
                .unwrap()
            };
            let (o1, o2) = (
                actor(&format!("{prefix}.officer1")),
                actor(&format!("{prefix}.officer2")),
            );
            let boss = if prefix == "js" {
                actor("js.leader")
            } else {
                o1.clone()
            };
            let cal = s.read(fazhi_store::calendar::load).unwrap();
            let reg = fazhi_store::procedure::load_registry(&s, &procedures()).unwrap();
            let rules = Rules::shipped();
            let day = fazhi_web::today() - Duration::days(30);
            let env = Env {
                reg: &reg,
                clock: Clock {
                    cal: &cal,
                    today: day,
                    warn: 3,
                },
                rules: &rules,
            };
            let new = NewCase {
                lead_id: None,
                org_id: unit,
                item_code: "ZZSW-CF-008".into(),
                party_kind: PartyKind::Organisation,
                party_name: "郑州顺通再生资源回收有限公司".into(),
                party_id_no: "91410105MA44XK7P0F".into(),
                party_address: "郑州市金水区花园路 1 号".into(),
                facts: "未取得资质认定擅自从事报废机动车回收活动。".into(),
                act_ended_on: day - Duration::days(10),
                discovered_on: day - Duration::days(2),
                long_limitation: false,
                limitation_basis: String::new(),
            };
            let id = s.write(|tx| case::open_case(tx, &o1, &new, env)).unwrap();
            let step = |who: &Actor, action: &str, input: CaseInput| {
                s.write(|tx| {
                    let v = case::get(tx, id)?.version;
                    case::act(tx, (who, &Who::from(who)), (id, v), (action, &input), env)
                })
                .unwrap();
            };
            // In 中原区 the officer cannot approve; the leader's role is not in this fixture, so
            // the approval goes through the store as the city legal division would not either:
            // keep 中原区 cases at "pending approval".
            if prefix != "js" {
                return id;
            }
            step(
                &boss,
                "approve_opening",
                CaseInput {
                    opinion: "同意立案。".into(),
                    ..CaseInput::default()
                },
            );
            step(
                &boss,
                "assign_officers",
                CaseInput {
                    officers: vec![o1.user_id, o2.user_id],
                    ..CaseInput::default()
                },
            );
            step(
                &o1,
                "add_evidence",
                CaseInput {
                    evidence: Some(NewEvidence {
                        kind: "inspection_record".into(),
                        title: "现场检查笔录".into(),
                        file_name: "笔录.pdf".into(),
                        content_type: "application/pdf".into(),
                        size: 9,
                        sha256: "ef".repeat(32),
                        collected_on: Some(day),
                    }),
                    ..CaseInput::default()
                },
            );
            if !report {
                return id;
            }
            step(
                &o1,
                "submit_report",
                CaseInput {
                    text: "当事人未取得资质认定擅自回收报废机动车 12 辆，事实清楚，证据确凿。"
                        .into(),
                    penalty: Penalty {
                        fine: fine_yuan * 100,
                        ..Penalty::default()
                    },
                    ..CaseInput::default()
                },
            );
            step(&o1, "send_notice", CaseInput::default());
            step(
                &o1,
                "serve_notice",
                CaseInput {
                    choice: "direct".into(),
                    date: Some(day),
                    text: "当事人签收".into(),
                    ..CaseInput::default()
                },
            );
            id
        })
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn a_case_whose_fine_triggers_legal_review_cannot_be_decided_until_the_review_passes() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.notified_case(app.ids.jinshui_unit, "js", 60_000).await;
    let path = format!("/app/cases/{id}");
    let (leader, csrf) = app.sign_in("js.leader").await;
    let (_, html) = page(&leader, &app, &path).await;
    assert!(
        html.contains("必须法制审核"),
        "the reasons for review are shown"
    );
    let decide = html.split("data-action=\"decide\"").nth(1).unwrap();
    assert!(
        decide.contains("disabled") && decide.contains("法制审核"),
        "decide is refused with the reason"
    );
    let v = version_of(&html);
    let act = format!("{path}/act");
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("action", "decide"),
        ("fine", "60000"),
        ("text", "当事人未在期限内陈述申辩，依法作出处罚。"),
    ];
    let (status, html, at) = post_follow(&leader, &app, &act, &form).await;
    assert_eq!((status, at.as_str()), (StatusCode::CONFLICT, path.as_str()));
    assert!(
        html.contains("法制审核通过前不得作出决定") && html.contains("第五十八条"),
        "{html}"
    );
    // The reviewer passes it.
    let (reviewer, rcsrf) = app.sign_in("js.legal").await;
    let (_, rhtml) = page(&reviewer, &app, &path).await;
    let rv = version_of(&rhtml);
    let (status, _) = post(
        &reviewer,
        &app,
        &act,
        &[
            ("csrf", rcsrf.as_str()),
            ("version", rv.as_str()),
            ("action", "record_legal_review"),
            ("choice", "pass"),
            (
                "text",
                "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Heavier than notified: refused with art. 45.
    let (_, html) = page(&leader, &app, &path).await;
    let v = version_of(&html);
    let mut heavier = form;
    heavier[1].1 = v.as_str();
    heavier[3].1 = "70000";
    let (status, html, at) = post_follow(&leader, &app, &act, &heavier).await;
    assert_eq!((status, at.as_str()), (StatusCode::CONFLICT, path.as_str()));
    assert!(html.contains("第四十五条"));
    let decide = html.split("data-action=\"decide\"").nth(1).unwrap();
    assert!(
        decide.contains("name=\"fine\" value=\"70000\"")
            && decide.contains("当事人未在期限内陈述申辩，依法作出处罚。"),
        "the refused decision comes back as typed"
    );
    let mut ok = heavier;
    ok[3].1 = "60000";
    // Deciding issues the decision: first its preview — the document as it will read, with the
    // item's article, the reconsideration body and the court — and nothing saved.
    let (status, preview) = post(&leader, &app, &act, &ok).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        preview.contains("请确认：作出行政处罚决定")
            && preview.contains("行政处罚决定书")
            && preview.contains("依据《")
            && preview.contains("第")
            && preview.contains("申请行政复议")
            && preview.contains("人民法院")
            && !preview.contains("经查，经查"),
        "{preview}"
    );
    let (_, html) = page(&leader, &app, &path).await;
    assert_eq!(version_of(&html), ok[1].1, "the preview saved nothing");
    let confirmed = [ok[0], ok[1], ok[2], ok[3], ok[4], ("confirmed", "1")];
    let (status, _) = post(&leader, &app, &act, &confirmed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&leader, &app, &path).await;
    assert!(
        html.contains("已作出决定，待送达") && html.contains("金水商务罚〔"),
        "numbered decision"
    );
    // The decision prints as a document with its number.
    let doc = html
        .split(&format!("/app/cases/{id}/documents/"))
        .nth(3)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (status, d) = page(&leader, &app, &format!("/app/cases/{id}/documents/{doc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(d.contains("行政处罚决定书") && d.contains("金水商务罚〔"));
}

#[tokio::test]
async fn a_jinshui_officer_can_neither_see_nor_change_a_zhongyuan_case_and_the_city_legal_division_sees_both()
 {
    let app = TestApp::spawn_with(setup()).await;
    let js = app.notified_case(app.ids.jinshui_unit, "js", 50_000).await;
    let zy = app
        .notified_case(app.ids.zhongyuan_unit, "zy", 50_000)
        .await;
    let (officer, csrf) = app.sign_in("js.officer1").await;
    let (status, _) = page(&officer, &app, &format!("/app/cases/{zy}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(
        &officer,
        &app,
        &format!("/app/cases/{zy}/act"),
        &[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("action", "refuse_opening"),
            ("text", "越权操作测试理由"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page(&officer, &app, &format!("/app/cases/{zy}/export")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        page(&officer, &app, &format!("/api/v1/cases/{zy}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, api) = page(&officer, &app, "/api/v1/cases").await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let ids: Vec<i64> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![i64::from(js)]);
    let (_, list) = page(&officer, &app, "/app/cases").await;
    assert!(
        list.contains(&format!("/app/cases/{js}\""))
            && !list.contains(&format!("/app/cases/{zy}\""))
    );
    let (legal, _) = app.sign_in("fzc.legal").await;
    let (_, list) = page(&legal, &app, "/app/cases").await;
    assert!(
        list.contains(&format!("/app/cases/{js}\""))
            && list.contains(&format!("/app/cases/{zy}\""))
    );
    assert_eq!(
        page(&legal, &app, &format!("/app/cases/{zy}")).await.0,
        StatusCode::OK
    );
    // The export is a self-verifying file: each audit entry's hash is the SHA-256 of its text.
    let (status, body) = page(&legal, &app, &format!("/app/cases/{js}/export")).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let entries = v["audit_entries"].as_array().unwrap();
    assert!(entries.len() >= 5);
    for e in entries {
        use sha2::Digest;
        let h = hex::encode(sha2::Sha256::digest(
            e["canonical"].as_str().unwrap().as_bytes(),
        ));
        assert_eq!(h, e["hash"].as_str().unwrap());
    }
    for d in v["documents"].as_array().unwrap() {
        use sha2::Digest;
        let h = hex::encode(sha2::Sha256::digest(d["body"].as_str().unwrap().as_bytes()));
        assert_eq!(h, d["sha256"].as_str().unwrap());
    }
}

#[tokio::test]
async fn the_party_reads_the_stage_and_the_served_notice_with_case_number_and_code() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.notified_case(app.ids.jinshui_unit, "js", 50_000).await;
    let s = app.store.clone();
    let (case_no, notice) = tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            let c = case::get(tx, id)?;
            let d = case::documents(tx, id)?
                .into_iter()
                .find(|d| d.kind == "pre_decision_notice")
                .unwrap();
            Ok((c.case_no, d.paragraphs.join("\n")))
        })
        .unwrap()
    })
    .await
    .unwrap();
    let code: String = notice
        .split("查询码")
        .nth(1)
        .unwrap()
        .chars()
        .take(8)
        .collect();
    let public = reqwest::Client::new();
    let q = |no: &str, code: &str| {
        format!(
            "/cases/status?no={}&code={}",
            urlencode(no),
            urlencode(code)
        )
    };
    let r = public
        .get(app.url(&q(&case_no, &code)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("已事先告知，当事人陈述申辩期") && html.contains("行政处罚事先告知书"));
    let r = public
        .get(app.url(&q(&case_no, "WRONG234")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("请核对案号和查询码"));
}

#[tokio::test]
async fn opening_a_case_refuses_bad_input_and_an_expired_limitation_with_reasons_in_chinese() {
    let app = TestApp::spawn_with(setup()).await;
    let (officer, csrf) = app.sign_in("js.officer1").await;
    let unit = app.ids.jinshui_unit.to_string();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("org_id", unit.as_str()),
        ("item_code", "ZZSW-CF-008"),
        ("party_kind", "org"),
        ("party_name", "郑州顺通再生资源回收有限公司"),
        ("party_id_no", "91410105MA44XK7P0A"),
        ("party_address", "郑州市金水区花园路 1 号"),
        ("facts", "未取得资质认定擅自从事报废机动车回收活动。"),
        ("act_ended_on", "2026-13-01"),
        ("discovered_on", "2026-06-01"),
    ];
    let (status, html) = post(&officer, &app, "/app/cases/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请填写有效日期"), "bad date");
    form[8].1 = "2023-01-01";
    let (status, html) = post(&officer, &app, "/app/cases/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("统一社会信用代码") && html.contains("校验位"),
        "bad credit code"
    );
    form[5].1 = "91410105MA44XK7P0F";
    let (status, html) = post(&officer, &app, "/app/cases/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("第三十六条") && html.contains("不再给予行政处罚"),
        "limitation"
    );
    form[8].1 = "2026-05-01";
    let r = officer
        .post(app.url("/app/cases/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = page(&officer, &app, &to).await;
    assert!(html.contains("立案审批中") && html.contains("金水商务立〔"));
    // The officer cannot approve their own case: the action shows who may.
    let approve = html
        .split("data-action=\"approve_opening\"")
        .nth(1)
        .unwrap();
    assert!(approve.contains("disabled") && approve.contains("处室负责人"));
}

#[tokio::test]
async fn the_case_pages_show_no_english_in_the_chinese_ui() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.notified_case(app.ids.jinshui_unit, "js", 60_000).await;
    let (b, _) = app.sign_in("js.leader").await;
    for p in [
        "/app/cases".to_string(),
        format!("/app/cases/{id}"),
        "/app/cases/leads".into(),
        "/app/cases/new".into(),
        "/app/cases/summary".into(),
        "/app/cases/filings".into(),
        "/app/cases/stats".into(),
        "/app/cases/evaluations".into(),
        "/publicity".into(),
        "/cases/status".into(),
    ] {
        let (status, html) = page(&b, &app, &p).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        // Data, not UI: the credit code, file names, sign-in names in the timeline.
        let text = visible(&html)
            .replace("91410105MA44XK7P0F", " ")
            .replace(".pdf", " ")
            .replace("js.officer1", " ")
            .replace("js.leader", " ")
            .replace("ZZSW-CF-008", " ")
            .replace("XLSX", " ")
            .replace("JSON", " ")
            .replace("SHA-256", " ")
            .replace("PDF", " ")
            .replace("JPG", " ")
            .replace("PNG", " ")
            .replace("English", " ");
        let words: Vec<&str> = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2 && !w.chars().all(|c| c.is_ascii_hexdigit()))
            .collect();
        assert!(words.is_empty(), "{p} shows English: {words:?}");
    }
    let (status, bytes) = {
        let r = b
            .get(app.url("/app/cases/stats?format=xlsx"))
            .send()
            .await
            .unwrap();
        (r.status(), r.bytes().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
}

fn visible(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<svg", "</svg>"),
        ("<code", "</code>"),
    ] {
        while let Some(i) = s.find(open) {
            let j = s[i..].find(close).map_or(s.len(), |j| i + j + close.len());
            s.replace_range(i..j, " ");
        }
    }
    while let Some(i) = s.find('<') {
        let j = s[i..].find('>').map_or(s.len(), |j| i + j + 1);
        s.replace_range(i..j, " ");
    }
    s.replace("&amp;", " ")
        .replace("&lt;", " ")
        .replace("&gt;", " ")
        .replace("&quot;", " ")
}

#[tokio::test]
async fn a_refused_report_comes_back_with_everything_typed_at_the_case_address() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.investigating_case().await;
    let path = format!("/app/cases/{id}");
    let (officer, csrf) = app.sign_in("js.officer1").await;
    let (_, html) = page(&officer, &app, &path).await;
    let v = version_of(&html);
    let report = "经查，当事人未取得资质认定，于 2026 年 5 月起在郑州市金水区花园路 1 号擅自回收报废机动车 12 辆。以上事实有现场检查笔录为证。";
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("action", "submit_report"),
        ("text", report),
        ("mark", "complex"),
        ("warning", "1"),
        ("fine", "十二万"),
        ("other", "责令停止回收活动"),
    ];
    let r = officer
        .post(app.url(&format!("{path}/act")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        path.as_str(),
        "back at the case's address"
    );
    let (status, html, at) = post_follow(&officer, &app, &format!("{path}/act"), &form).await;
    assert_eq!(
        (status, at.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, path.as_str())
    );
    let f = html
        .split("data-action=\"submit_report\"")
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    assert!(
        f.contains(&format!(">{report}</textarea>")),
        "the report comes back as typed: {f}"
    );
    assert!(
        f.contains("value=\"complex\" checked"),
        "the marked case stays marked"
    );
    assert!(
        f.contains("name=\"warning\" value=\"1\" checked"),
        "the warning stays checked"
    );
    assert!(
        f.contains("name=\"fine\" value=\"十二万\""),
        "the fine comes back as typed"
    );
    assert!(f.contains("value=\"责令停止回收活动\""));
    let beside = f.split("name=\"fine\"").nth(1).unwrap();
    assert!(
        beside
            .trim_start()
            .split("</p>")
            .next()
            .unwrap()
            .contains("请填写金额"),
        "the error is beside the fine"
    );
    assert!(
        !html
            .split("data-action=\"refuse_opening\"")
            .nth(1)
            .unwrap_or("")
            .contains("十二万"),
        "other forms stay empty"
    );
    // Kept for one read: the page read again is the case as it is, and nothing was recorded.
    let (status, again) = page(&officer, &app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!again.contains("十二万") && !again.contains("花园路 1 号擅自回收"));
    assert_eq!(version_of(&again), v, "nothing was recorded");
    // Corrected, the same form goes through.
    let mut fixed = form;
    fixed[6].1 = "120000";
    let (status, html, at) = post_follow(&officer, &app, &format!("{path}/act"), &fixed).await;
    assert_eq!(
        (status, at.as_str()),
        (StatusCode::OK, path.as_str()),
        "{html}"
    );
    assert!(html.contains("必须法制审核"), "the report is recorded");
}

#[tokio::test]
async fn a_form_kept_for_one_person_is_not_shown_to_another() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.investigating_case().await;
    let path = format!("/app/cases/{id}");
    let (officer, csrf) = app.sign_in("js.officer1").await;
    let (_, html) = page(&officer, &app, &path).await;
    let v = version_of(&html);
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("action", "submit_report"),
        ("text", "仅本人可见的调查终结报告草稿"),
        ("fine", "abc"),
    ];
    let r = officer
        .post(app.url(&format!("{path}/act")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (other, _) = app.sign_in("js.officer2").await;
    let (status, html) = page(&other, &app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("仅本人可见的调查终结报告草稿"));
    let (_, mine) = page(&officer, &app, &path).await;
    assert!(mine.contains("仅本人可见的调查终结报告草稿"));
}

#[tokio::test]
async fn the_filing_queue_states_its_criteria_and_period_from_the_rules() {
    let app = TestApp::spawn_with(setup()).await;
    let (legal, _) = app.sign_in("fzc.legal").await;
    let (status, html) = page(&legal, &app, "/app/cases/filings").await;
    assert_eq!(status, StatusCode::OK);
    let criteria = html[html.find("data-testid=\"criteria\"").unwrap()..]
        .split("</section>")
        .next()
        .unwrap();
    let r = Rules::shipped();
    let yuan = |y: i64| fazhi_domain::enforcement::yuan(y * 100);
    for expected in [
        format!(
            "对公民罚款或者没收违法所得 {} 以上",
            yuan(r.major_filing.amounts.person_yuan)
        ),
        format!(
            "对法人或者其他组织罚款或者没收违法所得 {} 以上",
            yuan(r.major_filing.amounts.org_yuan)
        ),
        format!(
            "自处罚决定作出之日起 {} 个工作日内报送备案",
            r.major_filing_days
        ),
        // The basis as users read it: without the rules file's configuration note.
        fazhi_domain::enforcement::rules::for_users(&r.major_filing.basis),
    ] {
        assert!(criteria.contains(&expected), "{expected} in {criteria}");
    }
    assert!(!criteria.contains("未核对"), "{criteria}");
}

#[tokio::test]
async fn the_case_list_names_the_handlers_filters_my_cases_sorts_and_never_shows_another_county() {
    let app = TestApp::spawn_with(setup()).await;
    let js = app.notified_case(app.ids.jinshui_unit, "js", 50_000).await;
    let zy = app
        .notified_case(app.ids.zhongyuan_unit, "zy", 50_000)
        .await;
    let (officer, _) = app.sign_in("js.officer1").await;
    let (status, html) = page(&officer, &app, "/app/cases?mine=1&sort=due").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("承办人") && html.contains("蒋涛、沈佳"),
        "{html}"
    );
    assert!(html.contains(&format!("/app/cases/{js}\"")));
    assert!(
        !html.contains(&format!("/app/cases/{zy}\"")),
        "not another county's"
    );
    assert!(html.contains("<option value=\"due\" selected>"));
    // 中原区's officer asked for his case and handles it; he has none of 金水区.
    let (zy_officer, _) = app.sign_in("zy.officer1").await;
    let (_, html) = page(&zy_officer, &app, "/app/cases?mine=1").await;
    assert!(html.contains(&format!("/app/cases/{zy}\"")) && html.contains("尤俊杰"));
    assert!(!html.contains(&format!("/app/cases/{js}\"")));
    // The same in the API, with the handlers.
    let (status, body) = page(&officer, &app, "/api/v1/cases?mine=1&sort=case_no&page=1").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["items"][0]["handlers"],
        serde_json::json!(["蒋涛", "沈佳"])
    );
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn each_figure_of_the_statistics_links_to_the_cases_behind_it() {
    let app = TestApp::spawn_with(setup()).await;
    let js = app.notified_case(app.ids.jinshui_unit, "js", 50_000).await;
    let zy = app
        .notified_case(app.ids.zhongyuan_unit, "zy", 50_000)
        .await;
    let (legal, _) = app.sign_in("fzc.legal").await;
    let (status, html) = page(&legal, &app, "/app/cases/stats").await;
    assert_eq!(status, StatusCode::OK);
    // The unit's name is whole in the chart.
    assert!(html.contains(">金水区商务局执法大队</text>"), "{html}");
    let links: Vec<String> = html
        .split("data-testid=\"opened-link\"")
        .map(|part| {
            let href = part.rsplit("href=\"").next().unwrap_or("");
            href.split('"').next().unwrap_or("").replace("&amp;", "&")
        })
        .collect();
    let by_unit = links
        .iter()
        .find(|l| l.contains(&format!("org={}", app.ids.jinshui_unit)))
        .unwrap_or_else(|| panic!("{links:?}"));
    let (status, list) = page(&legal, &app, by_unit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/app/cases/{js}\"")), "{list}");
    assert!(
        !list.contains(&format!("/app/cases/{zy}\"")),
        "only the unit's"
    );
    assert!(list.contains("data-testid=\"narrowed\""));
    // By outcome: both cases are still being handled.
    let pending = links
        .iter()
        .find(|l| l.contains("outcome=pending"))
        .unwrap_or_else(|| panic!("{links:?}"));
    let (_, list) = page(&legal, &app, pending).await;
    assert!(
        list.contains(&format!("/app/cases/{js}\""))
            && list.contains(&format!("/app/cases/{zy}\""))
    );
}
