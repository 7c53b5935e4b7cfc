//! HTTP tests of 我的工作: the opening request waits for the head of its own unit only; the
//! officer who asked is told of the approval, sees the badge and marks the notice read; a head
//! of 中原区 never sees a 金水区 record in his queue or his notices.

use fazhi_store::case::{self, CaseId};
use reqwest::StatusCode;

use crate::cases::setup;
use crate::harness::*;

#[tokio::test]
async fn an_opening_request_waits_for_the_head_of_its_unit_and_the_officer_is_told_of_the_approval()
{
    let app = TestApp::spawn_with(setup()).await;
    // A 中原区 case waiting for approval (the fixture stops there for 中原区), and a 金水区 one.
    let zy = app
        .notified_case(app.ids.zhongyuan_unit, "zy", 10_000)
        .await;
    let js = app.notified_case(app.ids.jinshui_unit, "js", 10_000).await;
    let s = app.store.clone();
    let (js_no, zy_no) = tokio::task::spawn_blocking(move || {
        let no = |id: CaseId| s.read(|tx| case::get(tx, id)).unwrap().case_no;
        (no(js), no(zy))
    })
    .await
    .unwrap();
    let (zy_head, zcsrf) = app.sign_in("zy.head").await;
    let (status, work) = page(&zy_head, &app, "/app/work").await;
    assert_eq!(status, StatusCode::OK);
    let queue = between_sections(&work, "queue");
    assert!(
        queue.contains(&zy_no) && queue.contains("批准立案"),
        "{queue}"
    );
    assert!(
        !work.contains(&js_no),
        "a 金水区 case on a 中原区 head's page"
    );
    assert!(
        work.contains("data-testid=\"nav-waiting\">1<"),
        "the badge counts it"
    );
    // The 金水区 head has nothing of 中原区 waiting.
    let (js_head, _) = app.sign_in("js.head").await;
    let (_, work) = page(&js_head, &app, "/app/work").await;
    assert!(!work.contains(&zy_no));
    // The 中原区 head approves; the officer who asked is told.
    let (_, record) = page(&zy_head, &app, &format!("/app/cases/{zy}")).await;
    let version = version_of(&record);
    let (status, _) = post(
        &zy_head,
        &app,
        &format!("/app/cases/{zy}/act"),
        &[
            ("csrf", zcsrf.as_str()),
            ("version", version.as_str()),
            ("action", "approve_opening"),
            ("opinion", "符合立案标准，同意立案。"),
            ("confirmed", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (officer, ocsrf) = app.sign_in("zy.officer1").await;
    let (_, work) = page(&officer, &app, "/app/work").await;
    let notices = between_sections(&work, "notices");
    assert!(
        notices.contains(&format!(
            "吕志强批准立案：{zy_no}（郑州顺通再生资源回收有限公司）"
        )),
        "{notices}"
    );
    assert!(
        notices.contains(&format!("href=\"/app/cases/{zy}\"")),
        "{notices}"
    );
    assert!(
        work.contains("data-testid=\"nav-unread\">1<"),
        "the badge shows it unread"
    );
    // Nobody in 金水区 was told.
    let (js_officer, jcsrf) = app.sign_in("js.officer1").await;
    let (_, work) = page(&js_officer, &app, "/app/work").await;
    assert!(!work.contains(&zy_no));
    // Marked read: listed as read, no longer counted.
    let id = notices
        .split("/app/work/notices/")
        .filter_map(|x| x.split('/').next())
        .find(|x| x.parse::<i64>().is_ok())
        .unwrap()
        .to_string();
    // Another person cannot mark it read (nothing of theirs changes; the notice stays unread).
    let (status, _) = post(
        &js_officer,
        &app,
        &format!("/app/work/notices/{id}/read"),
        &[("csrf", jcsrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, work) = page(&officer, &app, "/app/work").await;
    assert!(work.contains("data-testid=\"nav-unread\">1<"));
    let (status, _) = post(
        &officer,
        &app,
        &format!("/app/work/notices/{id}/read"),
        &[("csrf", ocsrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, work) = page(&officer, &app, "/app/work").await;
    assert!(!work.contains("data-testid=\"nav-unread\""), "read");
    assert!(between_sections(&work, "notices").contains("已读"));
    // The case is now the officer's to investigate: it waits for the head to assign officers.
    let (_, work) = page(&zy_head, &app, "/app/work").await;
    assert!(between_sections(&work, "queue").contains("指派承办人员"));
}

#[tokio::test]
async fn every_limit_row_on_my_work_names_its_case_number_and_party() {
    let app = TestApp::spawn_with(setup()).await;
    // Notified 30 days ago: the decision limit runs; the party's period is over.
    let js = app.notified_case(app.ids.jinshui_unit, "js", 10_000).await;
    let s = app.store.clone();
    let no = tokio::task::spawn_blocking(move || s.read(|tx| case::get(tx, js)).unwrap().case_no)
        .await
        .unwrap();
    let (leader, _) = app.sign_in("js.leader").await;
    let (_, work) = page(&leader, &app, "/app/work").await;
    // The leader decides: the case waits for him, named and with its limit.
    let queue = between_sections(&work, "queue");
    assert!(
        queue.contains(&no) && queue.contains("郑州顺通再生资源回收有限公司"),
        "{queue}"
    );
    assert!(
        queue.contains("作出行政处罚决定") || queue.contains("作出处罚决定"),
        "{queue}"
    );
    let att = between_sections(&work, "attention");
    let rows: Vec<&str> = att.split("<tr>").skip(2).collect();
    assert!(!rows.is_empty(), "{att}");
    for row in rows {
        assert!(row.contains(&format!("/app/cases/{js}\"")), "{row}");
        assert!(
            row.contains(&format!("{no}（郑州顺通再生资源回收有限公司）")),
            "every limit row names its case: {row}"
        );
    }
}

/// The HTML of the section marked `data-testid`.
fn between_sections<'a>(page: &'a str, testid: &str) -> &'a str {
    let start = page.find(&format!("data-testid=\"{testid}\"")).unwrap();
    page[start..].split("</section>").next().unwrap()
}
