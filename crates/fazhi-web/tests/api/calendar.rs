//! The procedure page, the calendar and due dates.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::*;

#[tokio::test]
async fn the_procedure_page_draws_the_diagram_and_the_calendar_explains_a_due_date() {
    let app = TestApp::spawn().await;
    let (b, _) = app.sign_in("js.officer").await;
    let p = b
        .get(app.url("/app/procedures/disclosure-request"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        p.contains("<svg")
            && p.contains("一次性告知补正")
            && p.contains("政府信息公开条例 第三十三条")
    );
    let c = b
        .get(app.url("/app/calendar?from=2026-09-28&days=7&count=working"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(c.contains("<strong>2026-10-13</strong>") && c.contains("国庆节"));
    let bad = b
        .get(app.url("/app/calendar?from=tomorrow&days=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("「起算日」应为有效日期，格式如 2026-09-28") && text.contains("「期限天数」")
    );
    let y = b
        .get(app.url("/app/calendar?year=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(y.contains("data-testid=\"working-days\">248<"));
}

#[tokio::test]
async fn the_calendar_api_marks_provisional_answers_and_names_bad_fields() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("js.officer").await);
    let due: Value = c
        .get(app.url("/api/v1/calendar/due?from=2026-09-28&days=7"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(due["due"], "2026-10-13");
    assert_eq!(due["provisional"], false);
    let later: Value = c
        .get(app.url("/api/v1/calendar/due?from=2027-01-04&days=10&count=working"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(later["provisional"], true);
    let days: Value = c
        .get(app.url("/api/v1/calendar/days?from=2026-10-09&to=2026-10-10"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        days["items"][1]["working"], true,
        "2026-10-10 is an adjusted working day"
    );
    assert_eq!(days["items"][1]["label"], "调休上班");
    let r = c
        .get(app.url("/api/v1/calendar/due?from=x&days=-1&count=lunar"))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);
}
