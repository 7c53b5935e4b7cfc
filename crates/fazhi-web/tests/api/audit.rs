//! The audit chain as users see it: record timelines and the portal's signed checkpoints.

use fazhi_store::audit;
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
