//! The law database over HTTP: staff and the public read laws by article as of a date; only the
//! legal division imports an amended text; a record citing a changed article is listed for
//! clean-up and on its own page.

use reqwest::StatusCode;

use crate::harness::*;

async fn seeded(app: &TestApp) {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        s.write(|tx| {
            fazhi_store::law::seed(tx, fazhi_store::law::SHIPPED)?;
            fazhi_store::law::link(
                tx,
                ("power_item", "ZZSW-CF-001"),
                "《单用途商业预付卡管理办法（试行）》第七条、第三十六条",
                time::macros::date!(2026 - 01 - 05),
            )
        })
        .unwrap()
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_public_reads_an_article_and_an_officer_cannot_import_a_law() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    let anon = reqwest::Client::new();
    let list = anon
        .get(app.url("/laws?q=行政处罚法"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("中华人民共和国行政处罚法"));
    let id = list
        .split("/laws/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let p = anon
        .get(app.url(&format!("/laws/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        p.contains("未经法制审核或者审核未通过的，不得作出决定"),
        "第五十八条"
    );
    assert!(
        !p.contains("引用本条的记录"),
        "the public does not see internal records"
    );
    // The full-text search finds the article by words of its text.
    let p = anon
        .get(app.url("/search?q=法制审核&kind=article"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(p.contains("《行政处罚法》第五十八条"), "{p}");
    let (officer, csrf) = app.sign_in("js.officer").await;
    let (s, _) = post(
        &officer,
        &app,
        "/app/laws/import",
        &[("csrf", &csrf), ("text", "标题：x")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_amended_text_imported_by_the_legal_division_lists_the_citing_record_for_clean_up() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    let (legal, csrf) = app.sign_in("fzc.legal").await;
    let (_, stale) = page(&legal, &app, "/app/laws/stale").await;
    assert!(stale.contains("没有引用已修改或废止条文的记录"));
    let text = "标题：单用途商业预付卡管理办法（试行）\n类别：规章\n制定机关：商务部\n施行日期：2026-06-01\n\n第七条 发卡企业应在开展单用途卡业务之日起15日内向备案机关办理备案。\n第三十六条 （要旨）发卡企业未按规定办理备案的，由备案机关责令限期改正；逾期仍不改正的，处以罚款并予以公告。\n第三十九条 （要旨）发卡企业违反资金存管等规定的，由备案机关责令限期改正；逾期仍不改正的，处以罚款。";
    let (s, p) = post(
        &legal,
        &app,
        "/app/laws/import",
        &[("csrf", &csrf), ("text", text)],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert!(p.contains("修改 1 条"), "{p}");
    let (_, stale) = page(&legal, &app, "/app/laws/stale").await;
    assert!(stale.contains("权责事项 ZZSW-CF-001"), "{stale}");
    assert!(stale.contains("第七条") && stale.contains("已修改（2026-06-01起）"));
    assert!(
        !stale.contains("第三十六条"),
        "an unchanged article is not listed"
    );
    // Checked: the record leaves the list, and the check is on the chain.
    let before = app.audit_count().await;
    let (s, _) = post(
        &legal,
        &app,
        "/app/laws/check",
        &[
            ("csrf", &csrf),
            ("subject_type", "power_item"),
            ("subject_id", "ZZSW-CF-001"),
            ("law_id", &law_id(&stale)),
            ("eid", "art_7"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count().await, before + 1);
    let (_, stale) = page(&legal, &app, "/app/laws/stale").await;
    assert!(!stale.contains("ZZSW-CF-001"));
}

fn law_id(page: &str) -> String {
    page.split("href=\"/app/laws/")
        .skip(1)
        .map(|s| s.split('#').next().unwrap())
        .find(|s| s.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string()
}
