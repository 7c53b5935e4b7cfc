//! Enforcement certificates across county bureaus.

use reqwest::StatusCode;

use crate::harness::*;

#[tokio::test]
async fn certificates_are_registered_by_the_county_admin_hidden_from_other_counties_and_cleaned_up()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let page = b
        .get(app.url("/app/certificates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let holder = page
        .split("<option value=\"")
        .find_map(|p| p.split_once("\">蒋涛"))
        .unwrap()
        .0
        .to_string();
    let form = |number: &str, until: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("number", number.to_string()),
            ("holder", holder.clone()),
            ("issuer", "河南省人民政府".into()),
            ("scope_org", app.ids.jinshui.to_string()),
            ("scope_text", "金水区 商务执法".into()),
            ("valid_from", "2021-07-01".into()),
            ("valid_until", until.to_string()),
        ]
    };
    let r = b
        .post(app.url("/app/certificates"))
        .form(&form("豫A-410105-2021007", "2021-06-30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「有效期至」不能早于有效期起始日")
    );
    let r = b
        .post(app.url("/app/certificates"))
        .form(&form("豫A-410105-2021007", "2026-06-30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    // 中原区 never sees it; the city legal division does.
    let (zb, _) = app.sign_in("zy.officer").await;
    assert_eq!(
        zb.get(app.url(&loc)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let (lb, _) = app.sign_in("fzc.legal").await;
    assert_eq!(
        lb.get(app.url(&loc)).send().await.unwrap().status(),
        StatusCode::OK
    );
    // It has expired: on the clean-up list, with the action to suspend.
    let cleanup = b
        .get(app.url("/app/certificates/cleanup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(cleanup.contains("豫A-410105-2021007") && cleanup.contains("证件已过期"));
    let version = between(
        &b.get(app.url(&loc))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "version",
    )
    .to_string();
    let r = b
        .post(app.url(&format!("{loc}/status")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("status", "suspended"),
            ("reason", "季度清理：证件已过期"),
            ("back", "/app/certificates/cleanup"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/app/certificates/cleanup");
    let rec = b
        .get(app.url(&loc))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rec.contains("已暂停") && rec.contains("暂停执法证件"));
    // An officer sees the registry of their bureau but cannot change it.
    let (ob, ocsrf) = app.sign_in("js.officer").await;
    let r = ob
        .post(app.url(&format!("{loc}/status")))
        .form(&[
            ("csrf", ocsrf.as_str()),
            ("version", "2"),
            ("status", "valid"),
            ("reason", "恢复试试"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
