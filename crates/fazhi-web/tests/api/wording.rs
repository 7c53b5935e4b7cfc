//! Pages speak to their users, not to the people who configure or build the system: org names
//! instead of codes, legal bases without configuration notes (those stay on the legal
//! division's configuration page), each role once, hashes behind 核验, API keys on the account
//! page.

use fazhi_domain::org::Role;
use fazhi_store::org::{self, By};
use reqwest::StatusCode;

use crate::application::online_item;
use crate::harness::*;

#[tokio::test]
async fn the_public_item_page_names_the_responsible_unit_and_who_approved_each_adjustment() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let html = reqwest::get(app.url("/powers/TEST-XK-001"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(between(&html, "responsible-org"), "金水区商务局");
    let history = &html[html.find("data-testid=\"history\"").unwrap()..];
    let history = &history[..history.find("</table>").unwrap()];
    assert!(
        history.contains("按依据文件录入") && !history.contains("<td>系统</td>"),
        "{history}"
    );
}

#[tokio::test]
async fn configuration_notes_are_on_the_legal_divisions_rules_page_only() {
    let app = TestApp::spawn().await;
    let (legal, _) = app.sign_in("fzc.legal").await;
    let (_, html) = page(&legal, &app, "/app/discretion").await;
    let rules = &html[html
        .find("data-testid=\"rules\"")
        .expect("the rules section")..];
    assert!(
        rules.contains("未核对") && rules.contains("默认值"),
        "the caveats are kept for those who configure"
    );
    assert!(rules.contains("集体讨论的负责人人数"));
    let (officer, _) = app.sign_in("js.officer").await;
    let (_, html) = page(&officer, &app, "/app/discretion").await;
    assert!(!html.contains("data-testid=\"rules\"") && !html.contains("未核对"));
    // A benchmark's note keeps the law it quotes and loses the data's own remark.
    for (b, path) in [
        (&officer, "/app/discretion/CJ-YFK-001"),
        (&reqwest::Client::new(), "/discretion/CJ-YFK-001"),
    ] {
        let (status, html) = page(b, &app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains("第三十六条规定") && !html.contains("核对"),
            "{path}"
        );
    }
    let (_, html) = page(&legal, &app, "/app/discretion/CJ-YFK-001").await;
    assert!(
        html.contains("（据公开文本核对）"),
        "the legal division reads the note as written"
    );
}

#[tokio::test]
async fn roles_are_named_once_and_the_header_leaves_api_keys_to_the_account_page() {
    let app = TestApp::spawn().await;
    let (js_officer, city) = (app.ids.jinshui, app.ids.city);
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        s.write(|tx| {
            let hash = fazhi_store::auth::hash_password(PASSWORD)?;
            let id = new_user(tx, &hash, ("js.clerk", "韩雪"), js_officer, Role::Clerk)?;
            org::grant_role(tx, By::System, id, 2, city, Role::Clerk)?;
            Ok(())
        })
        .unwrap();
    })
    .await
    .unwrap();
    let (admin, _) = app.sign_in("admin").await;
    let (_, users) = page(&admin, &app, "/app/users").await;
    assert!(
        !users.contains("综合内勤、综合内勤<"),
        "a role is not named twice"
    );
    let row = &users[users.find("韩雪").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("综合内勤、综合内勤（郑州市商务局）"), "{row}");
    let (_, work) = page(&admin, &app, "/app/work").await;
    let header = &work[..work.find("</header>").unwrap()];
    assert!(!header.contains("接口密钥") && header.contains("href=\"/app/account\""));
    let (status, account) = page(&admin, &app, "/app/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(account.contains("/app/account/api-keys") && account.contains("/app/account/password"));
    // The record's history keeps each hash behind 核验, not in a column of its own.
    let (_, audit) = page(&admin, &app, &format!("/app/orgs/{city}")).await;
    let timeline = &audit[audit.find("data-testid=\"timeline\"").unwrap()..];
    assert!(timeline.contains("<summary>核验</summary>") && !timeline.contains("<th>哈希</th>"));
}
