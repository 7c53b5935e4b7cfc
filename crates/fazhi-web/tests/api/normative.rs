//! Normative documents over HTTP: a county bureau never sees a city draft, the portal shows no
//! draft before it is opened for comment and never an internal comment, the public comments
//! with their reasons for refusal, and a refused step names its article on the page.

use fazhi_domain::org::{OrgKind, Role};
use fazhi_store::Store;
use fazhi_store::normative::{self as store, ActionInput, NewDoc};
use reqwest::StatusCode;

use crate::harness::*;

pub(crate) struct Ids {
    division: i64,
}

fn fixture(s: &Store) -> Ids {
    let hash = fazhi_store::auth::hash_password(PASSWORD).unwrap();
    s.write(|tx| {
        let city = new_org(tx, None, "zz", "郑州市商务局", OrgKind::Bureau)?;
        let division = new_org(tx, Some(city), "zz-scztc", "市场秩序处", OrgKind::Division)?;
        let legal = new_org(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
        let jinshui = new_org(
            tx,
            Some(city),
            "jinshui",
            "金水区商务局",
            OrgKind::CountyBureau,
        )?;
        let mut user = |u: &str, n: &str, o: i64, r: Role| new_user(tx, &hash, (u, n), o, r);
        user("scc.officer", "周晓燕", division, Role::Officer)?;
        user("scc.head", "吴国栋", division, Role::DivisionHead)?;
        user("fzc.legal", "张明远", legal, Role::LegalDivision)?;
        user("leader", "李卫东", city, Role::Leader)?;
        user("bgs.clerk", "郑丽", city, Role::Clerk)?;
        user("js.officer", "蒋涛", jinshui, Role::Officer)?;
        user("advisor", "钱律师", legal, Role::Advisor)?;
        Ok(Ids { division })
    })
    .unwrap()
}

fn setup() -> Setup<Ids> {
    Setup {
        fixture,
        body_limit: fazhi_web::Settings::default().body_limit,
        database_concurrency: fazhi_web::default_database_concurrency(),
        settings: |_| {},
    }
}

const BODY: &str = "为规范社区商业网点设置，制定本办法。\n第一条 本办法适用于本市社区商业网点的规划和设置。\n第二条 新建住宅小区应当按照标准配建商业网点。\n第三条 本办法自发布之日起施行。";

/// A market draft saved, with an internal comment on article 2; returns its id.
async fn draft(app: &TestApp<Ids>, title: &str) -> i64 {
    let (s, division) = (app.store.clone(), app.ids.division);
    let title = title.to_string();
    tokio::task::spawn_blocking(move || {
        let reg = fazhi_store::procedure::load_registry(&s, &procedures()).unwrap();
        let rules = fazhi_domain::normative::Rules::shipped().unwrap();
        let actor = |name: &str| {
            s.read(|tx| {
                let id = fazhi_store::org::user_id_by_username(tx, name)?.unwrap();
                fazhi_store::org::load_actor(tx, id)
            })
            .unwrap()
            .unwrap()
        };
        let officer = actor("scc.officer");
        let head = actor("scc.head");
        let cal = s.read(fazhi_store::calendar::load).unwrap();
        let clock = fazhi_store::time_limit::Clock {
            cal: &cal,
            today: fazhi_web::today(),
            warn: 3,
        };
        let new = NewDoc {
            org_id: division,
            title,
            concerns_market: true,
            affects_public: true,
            closely_market: true,
            complex: false,
        };
        let id = s
            .write(|tx| store::open(tx, &officer, &new, &reg, clock.today))
            .unwrap();
        let act = |who: &fazhi_domain::org::Actor, a: &str, input: ActionInput| {
            s.write(|tx| {
                let v = store::get(tx, id)?.version;
                let who2 = fazhi_store::audit::Who::from(who);
                store::act(
                    tx,
                    (who, &who2),
                    (id, v),
                    (a, &input),
                    (&reg, &rules),
                    clock,
                )
            })
            .unwrap();
        };
        let text = |t: &str| ActionInput {
            text: t.into(),
            ..ActionInput::default()
        };
        act(&officer, "save_draft", text(BODY));
        act(
            &head,
            "comment_draft",
            ActionInput {
                choice: Some("art_2".into()),
                ..text("内部意见：配建标准须与规划部门会商")
            },
        );
        id
    })
    .await
    .unwrap()
}

/// Takes the draft through its fair competition review and opens it for comment.
async fn open_for_comment(app: &TestApp<Ids>, id: i64) {
    let (head, csrf) = app.sign_in("scc.head").await;
    let (officer, ocsrf) = app.sign_in("scc.officer").await;
    let act = |b: &reqwest::Client, csrf: &str, form: Vec<(&str, String)>| {
        let mut f: Vec<(String, String)> =
            form.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        f.push(("csrf".into(), csrf.to_string()));
        f.push(("confirmed".into(), "1".into()));
        let (s, b) = (app.store.clone(), b.clone());
        let url = app.url(&format!("/app/normative/{id}/act"));
        async move {
            let v = tokio::task::spawn_blocking(move || store::get_for_test(&s, id).version)
                .await
                .unwrap();
            f.push(("version".into(), v.to_string()));
            let r = b.post(url).form(&f).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", f);
        }
    };
    act(
        &officer,
        &ocsrf,
        vec![("action", "submit_fair_review".into())],
    )
    .await;
    act(
        &officer,
        &ocsrf,
        vec![
            ("action", "hear_stakeholders".into()),
            ("text", "座谈会听取物业企业和商户意见".into()),
        ],
    )
    .await;
    act(
        &head,
        &csrf,
        vec![
            ("action", "record_fair_review".into()),
            ("choice", "passes".into()),
            ("text", "逐项对照审查标准，未发现排除、限制竞争内容".into()),
            ("opinion", "同意".into()),
        ],
    )
    .await;
    act(&head, &csrf, vec![("action", "open_comment".into())]).await;
}

#[tokio::test]
async fn a_county_officer_gets_not_found_for_every_page_of_a_city_draft() {
    let app = TestApp::spawn_with(setup()).await;
    let id = draft(&app, "郑州市社区商业网点设置管理办法").await;
    let (js, _) = app.sign_in("js.officer").await;
    for path in [
        format!("/app/normative/{id}"),
        format!("/app/normative/{id}/compare?a=1&b=1"),
        format!("/app/normative/{id}/akn.xml"),
        format!("/app/normative/{id}/opinion"),
        format!("/api/v1/normative-docs/{id}"),
    ] {
        let (s, _) = page(&js, &app, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, list) = page(&js, &app, "/app/normative").await;
    assert!(
        !list.contains("社区商业网点"),
        "the city draft is not listed"
    );
    let (s, json) = page(&js, &app, "/api/v1/normative-docs").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!json.contains("社区商业网点"));
    // The drafting unit sees it, with its internal comment beside article 2.
    let (officer, _) = app.sign_in("scc.officer").await;
    let (s, p) = page(&officer, &app, &format!("/app/normative/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(p.contains("配建标准须与规划部门会商"));
    let (_, json) = page(&officer, &app, "/api/v1/normative-docs").await;
    assert!(json.contains("社区商业网点"));
}

#[tokio::test]
async fn a_refused_step_names_its_reason_and_article_on_the_page() {
    let app = TestApp::spawn_with(setup()).await;
    let id = draft(&app, "郑州市电子商务平台经营者促进办法").await;
    let (head, csrf) = app.sign_in("scc.head").await;
    let (_, p) = page(&head, &app, &format!("/app/normative/{id}")).await;
    // Offered disabled with its reason: no legality review without the fair competition review.
    let at = p.find("data-action=\"submit_legality_review\"").unwrap();
    let why = &p[at..at + 900];
    assert!(why.contains("公平竞争审查条例 第十八条"), "{why}");
    // Posted anyway: refused, and the page says why.
    let v = {
        let s = app.store.clone();
        tokio::task::spawn_blocking(move || store::get_for_test(&s, id).version)
            .await
            .unwrap()
    };
    let (s, p, _) = post_follow(
        &head,
        &app,
        &format!("/app/normative/{id}/act"),
        &[
            ("csrf", csrf.as_str()),
            ("action", "submit_legality_review"),
            ("version", &v.to_string()),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(p.contains("第十八条"), "{p}");
}

#[tokio::test]
async fn the_portal_shows_no_draft_before_comment_and_never_an_internal_comment() {
    let app = TestApp::spawn_with(setup()).await;
    let id = draft(&app, "郑州市社区商业网点设置管理办法").await;
    let anon = reqwest::Client::new();
    let r = anon
        .get(app.url(&format!("/normative/comments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not opened yet");
    let list = anon
        .get(app.url("/normative/comments"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("社区商业网点"));
    open_for_comment(&app, id).await;
    let p = anon
        .get(app.url(&format!("/normative/comments/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        p.contains("新建住宅小区应当按照标准配建商业网点"),
        "the draft text"
    );
    assert!(!p.contains("规划部门会商"), "no internal comment");
    // A comment with bad input is refused naming its fields; a good one is received.
    let r = anon
        .post(app.url(&format!("/normative/comments/{id}")))
        .form(&[
            ("article", "art_9"),
            ("name", "王"),
            ("contact", ""),
            ("body", "好"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.text().await.unwrap();
    for m in [
        "「姓名或单位名称」",
        "「联系方式」",
        "「意见内容」",
        "「针对的条文」",
    ] {
        assert!(p.contains(m), "{m}");
    }
    let r = anon
        .post(app.url(&format!("/normative/comments/{id}")))
        .form(&[
            ("article", "art_2"),
            ("name", "王小明"),
            ("contact", "13800000000"),
            ("body", "建议明确老旧小区的补建办法"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let p = r.text().await.unwrap();
    assert!(p.contains("data-testid=\"sent\""));
    assert!(!p.contains("13800000000"), "the contact is never shown");
    // The published documents list holds no draft.
    let p = anon
        .get(app.url("/normative"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!p.contains("社区商业网点"));
}

#[tokio::test]
async fn an_advisor_reviews_only_the_document_assigned_and_the_review_enters_their_ledger() {
    let app = TestApp::spawn_with(setup()).await;
    let mine = draft(&app, "郑州市社区商业网点设置管理办法").await;
    let other = draft(&app, "郑州市电子商务平台经营者促进办法").await;
    let s = app.store.clone();
    let advisor = tokio::task::spawn_blocking(move || {
        let legal = s
            .read(|tx| {
                let id = fazhi_store::org::user_id_by_username(tx, "fzc.legal")?.unwrap();
                fazhi_store::org::load_actor(tx, id)
            })
            .unwrap()
            .unwrap();
        s.write(|tx| {
            let a = fazhi_store::advisor::add_advisor(
                tx,
                &legal,
                &fazhi_store::advisor::NewAdvisor {
                    org_id: legal.org_id,
                    kind: "lawyer".into(),
                    name: "钱律师".into(),
                    firm: "河南某某律师事务所".into(),
                    license_no: "14101201910000001".into(),
                    contact: "13900000000".into(),
                    username: Some("advisor".into()),
                },
            )?;
            fazhi_store::advisor::assign(tx, &legal, a, ("normative_doc", mine), "合法性审核")?;
            // The document goes to legality review without comment: a plain one.
            tx.exec(
                "UPDATE normative_docs SET stage = 'legality_review' WHERE id = ?",
                &[mine.into()],
            )?;
            Ok(a)
        })
        .unwrap()
    })
    .await
    .unwrap();
    let (b, csrf) = app.sign_in("advisor").await;
    let (st, _) = page(&b, &app, &format!("/app/normative/{other}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "not assigned");
    let (st, _) = page(&b, &app, "/app/normative").await;
    assert_ne!(st, StatusCode::OK, "no list for an advisor");
    let (st, p) = page(&b, &app, &format!("/app/normative/{mine}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(p.contains("data-action=\"pass_legality_review\""));
    let v = {
        let s = app.store.clone();
        tokio::task::spawn_blocking(move || store::get_for_test(&s, mine).version)
            .await
            .unwrap()
    };
    let (st, _) = post(
        &b,
        &app,
        &format!("/app/normative/{mine}/act"),
        &[
            ("csrf", csrf.as_str()),
            ("action", "pass_legality_review"),
            ("version", &v.to_string()),
            ("confirmed", "1"),
            (
                "text",
                "经审核，制定主体适格，程序符合规定，内容不违反上位法。",
            ),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let s = app.store.clone();
    let ledger = tokio::task::spawn_blocking(move || {
        s.read(|tx| fazhi_store::advisor::ledger(tx, advisor, None))
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(ledger.len(), 1);
    assert!(format!("{ledger:?}").contains("合法性审核"));
}

/// A plain document (neither market nor public) taken from draft to publication through the
/// store, in force from today; repealed from `repeal_on` when given.
async fn published(app: &TestApp<Ids>, title: &str, repeal_on: Option<time::Date>) -> i64 {
    let (s, division) = (app.store.clone(), app.ids.division);
    let title = title.to_string();
    tokio::task::spawn_blocking(move || {
        let reg = fazhi_store::procedure::load_registry(&s, &procedures()).unwrap();
        let rules = fazhi_domain::normative::Rules::shipped().unwrap();
        let actor = |name: &str| {
            s.read(|tx| {
                let id = fazhi_store::org::user_id_by_username(tx, name)?.unwrap();
                fazhi_store::org::load_actor(tx, id)
            })
            .unwrap()
            .unwrap()
        };
        let cal = s.read(fazhi_store::calendar::load).unwrap();
        let today = fazhi_web::today();
        let clock = fazhi_store::time_limit::Clock { cal: &cal, today, warn: 3 };
        let new = NewDoc {
            org_id: division,
            title,
            concerns_market: false,
            affects_public: false,
            closely_market: false,
            complex: false,
        };
        let officer = actor("scc.officer");
        let id = s.write(|tx| store::open(tx, &officer, &new, &reg, today)).unwrap();
        let act = |who: &str, a: &str, input: ActionInput| {
            let who = actor(who);
            s.write(|tx| {
                let v = store::get(tx, id)?.version;
                store::act(tx, (&who, &fazhi_store::audit::Who::from(&who)), (id, v), (a, &input), (&reg, &rules), clock)
            })
            .unwrap_or_else(|e| panic!("{a}: {e}"));
        };
        let text = |t: &str| ActionInput { text: t.into(), ..ActionInput::default() };
        act("scc.officer", "save_draft", text(BODY));
        act("scc.head", "submit_legality_review", text(""));
        act("fzc.legal", "pass_legality_review", text("经审核，制定主体适格，程序符合规定，内容不违反上位法。"));
        act("leader", "approve_in_discussion", text("局长办公会审议通过"));
        act("bgs.clerk", "assign_number", text(""));
        act("scc.officer", "write_interpretation", text("一、制定背景：规范社区商业网点设置。二、主要内容：配建标准和监督管理。三、适用对象：本市新建住宅小区。四、施行日期：自发布之日起施行。"));
        act("bgs.clerk", "publish", ActionInput { date: Some(fazhi_domain::calendar::fmt_date(today)), ..ActionInput::default() });
        if let Some(on) = repeal_on {
            act("fzc.legal", "repeal", ActionInput { date: Some(fazhi_domain::calendar::fmt_date(on)), ..text("郑商规〔2026〕99号《关于废止部分规范性文件的决定》") });
        }
        id
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_portal_search_finds_a_published_document_with_its_validity_as_of_a_date_and_never_a_draft()
 {
    let app = TestApp::spawn_with(setup()).await;
    let today = fazhi_web::today();
    let later = today + time::Duration::days(10);
    let id = published(&app, "郑州市社区便民网点建设管理办法", Some(later)).await;
    draft(&app, "郑州市社区便民网点补贴暂行办法").await;
    let anon = reqwest::Client::new();
    let get = |q: String| {
        let anon = anon.clone();
        let url = app.url(&q);
        async move { anon.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let p = get("/search?q=便民网点".into()).await;
    assert!(
        p.contains(&format!("/normative/{id}")),
        "the published document is found: {p}"
    );
    assert!(
        !p.contains("补贴暂行办法"),
        "a draft never reaches the portal"
    );
    assert!(!p.contains("已废止"), "in force today: no badge");
    let after = fazhi_domain::calendar::fmt_date(later + time::Duration::days(1));
    let p = get(format!("/search?q=便民网点&as_of={after}")).await;
    assert!(
        !p.contains(&format!("/normative/{id}")),
        "not in force after its repeal"
    );
    // Its unit's staff find the draft too.
    let (officer, _) = app.sign_in("scc.officer").await;
    let (_, p) = page(&officer, &app, "/app/search?q=便民网点").await;
    assert!(p.contains("补贴暂行办法"), "{p}");
    let (js, _) = app.sign_in("js.officer").await;
    let (_, p) = page(&js, &app, "/app/search?q=便民网点").await;
    assert!(
        !p.contains("补贴暂行办法"),
        "a county officer never finds the city's draft"
    );
}

#[tokio::test]
async fn a_draft_waits_in_its_drafters_work_and_an_open_comment_shows_its_limit() {
    let app = TestApp::spawn_with(setup()).await;
    let id = draft(&app, "郑州市社区商业网点设置管理办法").await;
    let (officer, _) = app.sign_in("scc.officer").await;
    let (_, work) = page(&officer, &app, "/app/work").await;
    let start = work.find("data-testid=\"queue\"").expect("a queue section");
    let queue = work[start..].split("</section>").next().unwrap();
    assert!(queue.contains("郑州市社区商业网点设置管理办法"), "{queue}");
    assert!(
        queue.contains("提交公平竞争审查"),
        "the next step is named: {queue}"
    );
    open_for_comment(&app, id).await;
    let (head, _) = app.sign_in("scc.head").await;
    let (_, p) = page(&head, &app, &format!("/app/normative/{id}")).await;
    assert!(
        p.contains("公开征求意见期限（与经营主体生产经营密切相关）"),
        "the limit on the page"
    );
    // The head who opened it is responsible for the period: it is in their 我的工作.
    let (_, work) = page(&head, &app, "/app/work").await;
    assert!(work.contains("公开征求意见期限"), "and in 我的工作");
}
