//! The audit chain as users see it: record timelines and the portal's signed checkpoints.

use fazhi_store::audit;
use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::*;

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
async fn the_chain_filters_by_record_person_action_and_date_and_links_each_entry_to_its_record() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let org = format!("/app/orgs/{}", app.ids.jinshui);
    b.post(app.url(&org))
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
    let (_, _) = app.sign_in("fzc.legal").await;
    let chain = |q: String| {
        let b = b.clone();
        let url = app.url(&format!("/app/audit?{q}"));
        async move {
            let r = b.get(url).send().await.unwrap();
            let s = r.status();
            let html = r.text().await.unwrap();
            let table = html[html.find("data-testid=\"timeline\"").unwrap()..]
                .split("</table>")
                .next()
                .unwrap()
                .to_string();
            (s, html, table)
        }
    };
    // By record: only the org's entries, each linked to the org's page.
    let (s, _, t) = chain(format!("subject=org&id={}", app.ids.jinshui)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        t.contains("修改单位") && t.contains(&format!("href=\"{org}\"")),
        "{t}"
    );
    assert!(!t.contains("登录"), "no sign-ins of people: {t}");
    // By person: the legal division's sign-in, not the administrator's change.
    let (_, _, t) = chain(format!("person={}", urlencode("张明远"))).await;
    assert!(
        t.contains("张明远") && !t.contains("王建国") && !t.contains("修改单位"),
        "{t}"
    );
    // By action.
    let (_, html, t) = chain("action=org.update_org".into()).await;
    assert!(t.contains("修改单位") && !t.contains("新建单位"), "{t}");
    assert!(
        html.contains("<option value=\"org.update_org\" selected>"),
        "the filter shows what was chosen"
    );
    // By date: nothing tomorrow; today's change is there.
    let today = fazhi_domain::calendar::fmt_date(fazhi_web::today());
    let tomorrow = fazhi_domain::calendar::fmt_date(fazhi_web::today().next_day().unwrap());
    let (_, _, t) = chain(format!("from={tomorrow}")).await;
    assert!(t.contains("没有符合条件的记录"), "{t}");
    let (_, _, t) = chain(format!("from={today}&to={today}&action=org.update_org")).await;
    assert!(t.contains("修改单位"));
    // A bad date and an unknown record number are answered in Chinese, naming the field.
    let (_, html, _) = chain("from=2026-02-30".into()).await;
    assert!(html.contains("「起始日期」请填写有效日期"), "{html}");
    let (_, html, _) = chain(format!("no={}", urlencode("金水商务立〔2026〕999号"))).await;
    assert!(html.contains("未找到该编号"), "{html}");
    // A record number names its record.
    let r = crate::disclosure::apply(&app, app.ids.jinshui, "11010519491231002X").await;
    let receipt = r.text().await.unwrap();
    let no = between(&receipt, "tracking-no").to_string();
    let (_, _, t) = chain(format!("no={}", urlencode(&no))).await;
    assert!(
        t.contains("提交申请") || t.contains("政府信息公开申请"),
        "{t}"
    );
    assert!(
        t.contains("href=\"/app/disclosure/"),
        "linked to the request: {t}"
    );
    assert!(!t.contains("修改单位"));
}

#[tokio::test]
async fn the_filtered_chain_pages_keep_the_filter_and_the_chain_still_verifies() {
    let app = TestApp::spawn().await;
    let city = app.ids.city;
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        for i in 0..60 {
            s.write(|tx| {
                audit::append(
                    tx,
                    &audit::Who::system(),
                    Some(city),
                    "org.update_org",
                    "org",
                    &city.to_string(),
                    serde_json::json!({ "sort_order": i }),
                )
            })
            .unwrap();
        }
    })
    .await
    .unwrap();
    let (b, _) = app.sign_in("admin").await;
    let (_, html) = page(&b, &app, "/app/audit?action=org.update_org").await;
    let older = html
        .split("data-testid=\"older\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    assert!(
        older.starts_with("/app/audit?action=org.update_org&before="),
        "{older}"
    );
    let (status, next) = page(&b, &app, &older).await;
    assert_eq!(status, StatusCode::OK);
    let rows = next.matches("修改单位").count();
    assert!((10..=12).contains(&rows), "the remaining entries: {rows}");
    let (_, verified) = page(&b, &app, "/app/audit?verify=1").await;
    assert!(verified.contains("审计链校验通过"));
}

#[tokio::test]
async fn a_county_bureau_reads_no_chain_with_or_without_filters() {
    let app = TestApp::spawn().await;
    for who in ["js.leader", "js.admin", "js.officer"] {
        let (b, _) = app.sign_in(who).await;
        for q in ["", "?person=%E8%92%8B%E6%B6%9B", "?subject=org&id=1"] {
            let (status, html) = page(&b, &app, &format!("/app/audit{q}")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} {q}");
            assert!(html.contains("只有市局法制机构、局领导和系统管理员可以查看"));
        }
    }
    let (b, _) = app.sign_in("fzc.legal").await;
    assert_eq!(
        page(&b, &app, "/app/audit?person=x").await.0,
        StatusCode::OK
    );
}
