//! Discretion benchmarks: the band, the reasons, a fine outside it.

use reqwest::StatusCode;

use crate::harness::*;

#[tokio::test]
async fn the_discretion_benchmark_shows_the_band_and_why_and_a_fine_outside_needs_reasons() {
    let app = TestApp::spawn().await;
    let portal = reqwest::get(app.url("/discretion"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        portal.contains("特许人未依法办理商业特许经营备案"),
        "published on the portal (art. 34)"
    );
    let (b, csrf) = app.sign_in("js.officer").await;
    let page = b
        .get(app.url("/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=40000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("从轻：主动消除或者减轻违法行为危害后果（《行政处罚法》第三十二条第一项）→ 在区间下半段 ¥20,000.00–¥27,500.00 内确定"), "{page}");
    assert!(page.contains("超出裁量基准的适用区间") && page.contains("须经法制审核"));
    let ok = b
        .get(app.url("/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=25000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ok.contains("拟罚款在适用区间内"));
    // Only the legal division publishes a new version; the old one stays.
    let text = include_str!("../../../../data/discretion/benchmarks.toml")
        .replace("20000, 35000", "20000, 30000")
        .replace(
            "effective_from = \"2024-01-01\"",
            "effective_from = \"2027-01-01\"",
        );
    let r = b
        .post(app.url("/app/discretion"))
        .form(&[("csrf", csrf.as_str()), ("benchmarks", text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (lb, lcsrf) = app.sign_in("fzc.legal").await;
    let r = lb
        .post(app.url("/app/discretion"))
        .form(&[("csrf", lcsrf.as_str()), ("benchmarks", text.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("已公布：CJ-TX-001 第 2 版")
    );
    let v1 = lb
        .get(app.url("/app/discretion/CJ-TX-001"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        v1.contains("¥20,000.00–¥35,000.00"),
        "version 1 stays in force until 2027"
    );
    let v2 = lb
        .get(app.url("/app/discretion/CJ-TX-001?version=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(v2.contains("¥20,000.00–¥30,000.00"));
}
