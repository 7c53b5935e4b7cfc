//! The portal as the public finds its way in: the home page's sections, the party's case look-up
//! with the number as people type it, required materials checked before an application is
//! recorded (files kept when the form comes back), and the printable receipt.

use fazhi_store::case;
use reqwest::StatusCode;

use crate::application::{PDF, application_count, application_form, online_item};
use crate::cases::setup;
use crate::harness::*;

#[tokio::test]
async fn the_portal_home_page_leads_to_every_public_section() {
    let app = TestApp::spawn().await;
    let r = reqwest::get(app.url("/")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let home = r.text().await.unwrap();
    for href in [
        "/powers",
        "/powers?apply=1",
        "/apply/status",
        "/disclosure",
        "/disclosure/status",
        "/results",
        "/discretion",
        "/publicity",
        "/cases/status",
        "/audit/checkpoints",
    ] {
        assert!(
            home.contains(&format!("href=\"{}\"", href.replace('&', "&amp;"))),
            "the home page links to {href}"
        );
    }
}

#[tokio::test]
async fn a_case_number_typed_with_any_bracket_form_finds_the_case() {
    let app = TestApp::spawn_with(setup()).await;
    let id = app.notified_case(app.ids.jinshui_unit, "js", 50_000).await;
    let s = app.store.clone();
    let (case_no, notice) = tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            let c = case::get(tx, id)?;
            let d = case::documents(tx, id)?
                .into_iter()
                .find(|d| d.kind == "pre_decision_notice")
                .unwrap();
            Ok((c.case_no, d.paragraphs.join("\n")))
        })
        .unwrap()
    })
    .await
    .unwrap();
    assert!(case_no.contains('〔'), "{case_no}");
    let code: String = notice
        .split("查询码")
        .nth(1)
        .unwrap()
        .chars()
        .take(8)
        .collect();
    let full_width_digits: String = case_no
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0xFF10 + d).unwrap())
        })
        .collect();
    let typed = [
        case_no.replace('〔', "[").replace('〕', "]"),
        case_no.replace('〔', "(").replace('〕', ")"),
        case_no.replace('〔', "（").replace('〕', "）"),
        case_no.replace('〔', "【").replace('〕', "】"),
        case_no.replace('〔', " [ ").replace('〕', " ] "),
        full_width_digits.replace('〔', "［").replace('〕', "］"),
    ];
    let public = reqwest::Client::new();
    for no in &typed {
        let r = public
            .get(app.url(&format!(
                "/cases/status?no={}&code={}",
                urlencode(no),
                urlencode(&code.to_lowercase())
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{no} finds {case_no}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("data-testid=\"case-status\"") && html.contains(&case_no),
            "{no}"
        );
    }
    let empty = public
        .get(app.url("/cases/status"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        empty.contains("例如") && empty.contains("金水商务立〔2026〕37号"),
        "the form shows an example number"
    );
}

#[tokio::test]
async fn an_application_missing_a_required_material_is_refused_naming_it_and_keeps_the_good_file() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let url = app.url("/apply/TEST-XK-001");
    let before = app.audit_count().await;
    let form = c.get(&url).send().await.unwrap().text().await.unwrap();
    let licence = &form[form.find("营业执照").unwrap()..];
    assert!(
        licence[..licence.find("</label>").unwrap()].contains("必需"),
        "a required material is marked"
    );
    // The application letter is good; the licence is missing; the articles are optional.
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m0", "申请书.pdf", PDF.to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("还缺少必需的申请材料：「营业执照」")
            && page.contains("行政许可法 第三十二条"),
        "the refusal names the missing material and the article"
    );
    assert!(
        !page.contains("「申请书」」"),
        "the supplied material is not named as missing"
    );
    assert_eq!(application_count(&app).await, 0);
    assert_eq!(app.audit_count().await, before, "nothing was recorded");
    // The good file comes back with the form; a rejected licence does not lose it.
    let keep = page
        .split("name=\"keep_m0\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the application letter is kept")
        .to_string();
    assert!(page.contains("已上传：申请书.pdf"));
    let r = c
        .post(&url)
        .multipart(
            application_form(
                "91350100M000100Y43",
                vec![("m1", "执照.exe", b"MZ\x90".to_vec())],
            )
            .text("keep_m0", keep.clone()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("不是 PDF、JPG 或 PNG 文件") && page.contains("已上传：申请书.pdf"));
    // A forged token (no such file) keeps nothing.
    let r = c
        .post(&url)
        .multipart(
            application_form("91350100M000100Y43", vec![("m1", "执照.pdf", PDF.to_vec())])
                .text("keep_m0", format!("{}/申请书.pdf", "0".repeat(64))),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「申请书」"));
    // The licence alone, with the letter kept from before, completes the application.
    let r = c
        .post(&url)
        .multipart(
            application_form(
                "91350100M000100Y43",
                vec![("m1", "执照.pdf", [PDF, b"licence"].concat())],
            )
            .text("keep_m0", keep),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    assert_eq!(application_count(&app).await, 1);
    let receipt = c
        .get(app.url(&format!("/apply/receipt?no={no}&code={code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        receipt.contains("申请书：申请书.pdf") && receipt.contains("营业执照：执照.pdf"),
        "both files were recorded"
    );
}

#[tokio::test]
async fn the_receipt_shows_the_tracking_number_the_query_code_the_date_and_what_was_submitted() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let page = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(application_form(
            "91350100M000100Y43",
            vec![
                ("m0", "申请书.pdf", PDF.to_vec()),
                ("m1", "执照.pdf", [PDF, b"licence"].concat()),
            ],
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    assert!(page.contains(&format!("/apply/receipt?no={no}&amp;code={code}")));
    let r = c
        .get(app.url(&format!("/apply/receipt?no={no}&code={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let receipt = r.text().await.unwrap();
    assert_eq!(between(&receipt, "tracking-no"), no);
    assert_eq!(between(&receipt, "query-code"), code);
    assert!(!between(&receipt, "received-on").is_empty());
    assert!(receipt.contains("拍卖企业设立审核") && receipt.contains("网上申请回执"));
    let wrong = c
        .get(app.url(&format!("/apply/receipt?no={no}&code=WRONG234")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.status(),
        StatusCode::NOT_FOUND,
        "no receipt without the code"
    );

    let page = crate::disclosure::apply(&app, app.ids.jinshui, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    let r = c
        .get(app.url(&format!("/disclosure/receipt?no={no}&code={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let receipt = r.text().await.unwrap();
    assert_eq!(between(&receipt, "tracking-no"), no);
    assert_eq!(between(&receipt, "query-code"), code);
    assert!(receipt.contains("2025 年单用途预付卡备案企业名单"));
    assert!(
        app_css().contains("@media print"),
        "the receipt prints without the site's frame"
    );
}

fn app_css() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/app.css"))
        .unwrap()
}
