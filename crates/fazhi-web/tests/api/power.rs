//! The power list: import all or nothing, changes in force by date, the portal.

use reqwest::StatusCode;

use crate::harness::*;

pub(crate) fn power_rows(n: usize, org: &str) -> Vec<Vec<String>> {
    use fazhi_domain::power::import::COLUMNS;
    let mut rows = vec![COLUMNS.iter().map(|c| (*c).to_string()).collect::<Vec<_>>()];
    for i in 1..=n {
        let mut r = vec![String::new(); COLUMNS.len()];
        r[0] = format!("TEST-CF-{i:03}");
        r[1] = format!("对第 {i} 类违法行为的处罚");
        r[2] = "行政处罚".into();
        r[4] = "《商业特许经营管理条例》第二十五条".into();
        r[5] = org.into();
        rows.push(r);
    }
    rows
}

pub(crate) async fn upload(
    b: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
    effective: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        )
        .text("reason", "导入测试清单")
        .text("basis", "市政府公布的权责清单")
        .text("effective", effective.to_string());
    b.post(app.url("/app/powers/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_fifty_item_spreadsheet_imports_and_a_file_with_two_bad_rows_imports_nothing_naming_both()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("fzc.legal").await;
    let mut rows = power_rows(50, "zz");
    rows[7][2] = "行政罚款".into();
    rows[31][4] = "商业特许经营管理条例第二十五条".into();
    let bad = fazhi_store::power_io::write_xlsx("清单", &rows).unwrap();
    let r = upload(&b, &app, &csrf, "list.xlsx", bad, "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("第 8 行「事项类型」") && page.contains("第 32 行「实施依据」"),
        "{page}"
    );
    assert!(page.contains("未导入任何事项"));
    let list = b
        .get(app.url("/app/powers?as_of=2026-06-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("data-testid=\"total\">0<"),
        "nothing was imported"
    );

    let good = fazhi_store::power_io::write_xlsx("清单", &power_rows(50, "zz")).unwrap();
    let r = upload(&b, &app, &csrf, "list.xlsx", good, "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("已导入 50 个事项"));
    let list = b
        .get(app.url("/app/powers?as_of=2026-06-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("data-testid=\"total\">50<"));
    let before = b
        .get(app.url("/app/powers?as_of=2025-12-31"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        before.contains("data-testid=\"total\">0<"),
        "not in force before its effective date"
    );
    // The export reads back as the same 50 items.
    let x = b
        .get(app.url("/app/powers/export?as_of=2026-06-01&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        fazhi_store::power_io::parse_csv(x.trim_start_matches('\u{feff}')).len(),
        51
    );
    // An officer may not change the list.
    let (ob, ocsrf) = app.sign_in("js.officer").await;
    let r = upload(&ob, &app, &ocsrf, "list.csv", b"x".to_vec(), "2026-01-01").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_item_cancelled_from_tomorrow_is_in_the_list_today_and_not_tomorrow_also_on_the_portal()
{
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("fzc.legal").await;
    let csv = fazhi_store::power_io::write_csv(&power_rows(3, "zz"));
    assert_eq!(
        upload(&b, &app, &csrf, "list.csv", csv.into_bytes(), "2026-01-01")
            .await
            .status(),
        StatusCode::OK
    );
    let today = fazhi_web::today();
    let tomorrow = today.next_day().unwrap();
    let (t, m) = (
        fazhi_domain::calendar::fmt_date(today),
        fazhi_domain::calendar::fmt_date(tomorrow),
    );
    let r = b
        .post(app.url("/app/powers/TEST-CF-002/cancel"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "上位法修改"),
            ("basis", "国务院决定"),
            ("effective", m.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for base in ["/app/powers", "/powers"] {
        let page = |d: &str| {
            let b = b.clone();
            let url = app.url(&format!("{base}?as_of={d}"));
            async move { b.get(url).send().await.unwrap().text().await.unwrap() }
        };
        assert!(page(&t).await.contains("TEST-CF-002"), "{base} today");
        assert!(!page(&m).await.contains("TEST-CF-002"), "{base} tomorrow");
        let item = b
            .get(app.url(&format!("{base}/TEST-CF-002?as_of={m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(item.contains(&format!("已自 {m} 起取消")), "{base}");
        assert!(
            item.contains("取消") && item.contains("上位法修改"),
            "the history shows the cancellation"
        );
        let item = b
            .get(app.url(&format!("{base}/TEST-CF-002?as_of={t}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(item.contains("data-testid=\"in-force\""));
        let diff = b
            .get(app.url(&format!("{base}/diff?from={t}&to={m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(diff.contains("TEST-CF-002") && diff.contains("取消"));
    }
    let s = app.store.clone();
    let (today_ok, tomorrow_err) = tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            Ok((
                fazhi_store::power::require_in_force(tx, "TEST-CF-002", today).is_ok(),
                fazhi_store::power::require_in_force(tx, "TEST-CF-002", tomorrow)
                    .unwrap_err()
                    .to_string(),
            ))
        })
        .unwrap()
    })
    .await
    .unwrap();
    assert!(today_ok);
    assert!(
        tomorrow_err.contains("已自") && tomorrow_err.contains("起取消"),
        "{tomorrow_err}"
    );
    // A second cancellation, or one dated before the latest change, is refused with the reason.
    let r = b
        .post(app.url("/app/powers/TEST-CF-002/cancel"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "再次取消"),
            ("basis", "国务院决定"),
            ("effective", "2025-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("不能早于该事项最近一次调整的生效日期"),
        "{}",
        &text[text.find("data-testid=\"error\"").unwrap_or(0)..][..600]
    );
}
