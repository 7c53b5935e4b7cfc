//! Online applications: checks on the portal, staff handling, decisions and their publication.

use reqwest::StatusCode;

use crate::harness::*;

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n% test material\n";

pub(crate) async fn online_item(app: &TestApp) {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let rows = vec![
            fazhi_domain::power::import::COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            {
                let mut r = vec![String::new(); fazhi_domain::power::import::COLUMNS.len()];
                r[0] = "TEST-XK-001".into();
                r[1] = "拍卖企业设立审核".into();
                r[2] = "行政许可".into();
                r[4] = "《中华人民共和国拍卖法》第十一条".into();
                r[5] = "jinshui".into();
                r[13] = "20".into();
                r[14] = "15".into();
                r[15] = "不收费".into();
                r[16] = "申请书；营业执照；公司章程（可选）".into();
                r[18] = "全程网办".into();
                r
            },
        ];
        s.write(|tx| {
            let items =
                fazhi_domain::power::import::read_rows(&rows, &["jinshui".into()], &[]).unwrap();
            fazhi_store::power::import(
                tx,
                fazhi_store::org::By::System,
                &items,
                "测试",
                "测试依据",
                time::macros::date!(2026 - 01 - 01),
            )
        })
        .unwrap();
    })
    .await
    .unwrap();
}

pub(crate) fn application_form(
    id_no: &str,
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("requester_kind", "org")
        .text("requester_name", "郑州金水拍卖有限公司")
        .text("requester_id_no", id_no.to_string())
        .text("contact", "0371-60000000")
        .text("statement", "申请设立拍卖企业");
    for (field, name, bytes) in files {
        form = form.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    form
}

pub(crate) async fn application_count(app: &TestApp) -> i64 {
    let s = app.store.clone();
    tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            tx.query_opt("SELECT COUNT(*) FROM applications", &[])?
                .unwrap()
                .i64(0)
        })
        .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_bad_credit_code_a_wrong_file_type_and_an_oversize_file_are_refused_and_nothing_is_saved()
{
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let url = app.url("/apply/TEST-XK-001");
    let before = app.audit_count().await;
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y4A",
            vec![("m0", "申请书.pdf", PDF.to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「统一社会信用代码」有误：统一社会信用代码校验位不正确（GB 32100-2015）")
    );
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m0", "申请书.exe", b"MZ\x90".to_vec())],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「申请书」「申请书.exe」不是 PDF、JPG 或 PNG 文件")
    );
    let big = [PDF.to_vec(), vec![b' '; 5 * 1024 * 1024]].concat();
    let r = c
        .post(&url)
        .multipart(application_form(
            "91350100M000100Y43",
            vec![("m1", "执照.pdf", big)],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「营业执照」文件过大"));
    let r = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("requester_kind", "person")
                .text("requester_name", "张三")
                .text("requester_id_no", "130402198207290622")
                .text("contact", "13800000000")
                .text("statement", "申请"),
        )
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("「公民身份号码」有误"));
    assert_eq!(application_count(&app).await, 0);
    assert_eq!(app.audit_count().await, before, "nothing was written");
    // Only the good application letter is kept (for the form's next attempt); no refused file
    // is stored.
    let mut stored = Vec::new();
    for d in std::fs::read_dir(app.dir.join("files")).unwrap() {
        for f in std::fs::read_dir(d.unwrap().path()).unwrap() {
            stored.push(f.unwrap().file_name().to_string_lossy().to_string());
        }
    }
    use sha2::Digest;
    assert_eq!(
        stored,
        vec![hex::encode(sha2::Sha256::digest(PDF))],
        "no refused file is stored"
    );
}

#[tokio::test]
async fn a_company_applies_staff_ask_for_the_missing_material_and_the_decision_is_published() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let page = c
        .post(app.url("/apply/TEST-XK-001"))
        .multipart(application_form(
            "91350100M000100Y43",
            vec![
                ("m0", "申请书.pdf", PDF.to_vec()),
                ("m1", "执照.pdf", [PDF, b"unreadable"].concat()),
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
    let (b, _) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/applications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = list
        .split("/app/applications/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let url = app.url(&format!("/app/applications/{id}"));
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&rec);
    let act = |action: &str, version: &str, extra: Vec<(&str, &str)>| {
        let mut f = vec![
            ("csrf".to_string(), csrf.clone()),
            ("action".into(), action.to_string()),
            ("version".into(), version.to_string()),
        ];
        f.extend(
            extra
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        b.post(format!("{url}/act")).form(&f).send()
    };
    let r = act(
        "request_supplement",
        "1",
        vec![("pick", "营业执照"), ("text", "请补交营业执照副本扫描件")],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The company sees what to supply and supplies it.
    let status = app.url(&format!("/apply/status?no={no}&code={code}"));
    let s = c.get(&status).send().await.unwrap().text().await.unwrap();
    assert!(s.contains("待申请人补正材料") && s.contains("请补交营业执照副本扫描件"));
    let form = reqwest::multipart::Form::new()
        .text("no", no.clone())
        .text("code", code.clone())
        .part(
            "m1",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("执照.pdf"),
        );
    let s = c
        .post(app.url("/apply/supplement"))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        s.contains("补正材料已提交") && s.contains("已提交，待受理审查"),
        "{s}"
    );
    // Staff accept — an irreversible step: first the preview of what it records, nothing saved
    // yet; then the confirmation. The decision is due in 15 working days (the promised limit,
    // shorter than 20).
    let preview = act("accept", "3", vec![]).await.unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = preview.text().await.unwrap();
    assert!(
        preview.contains("请确认：受理") && preview.contains("name=\"confirmed\" value=\"1\""),
        "{preview}"
    );
    assert!(
        b.get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("已提交，待受理审查"),
        "the preview saved nothing"
    );
    assert_eq!(
        act("accept", "3", vec![("confirmed", "1")])
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let cal = app.store.read(fazhi_store::calendar::load).unwrap();
    let expected = fazhi_domain::time_limit::TimeLimit::new(
        fazhi_web::today(),
        15,
        fazhi_domain::time_limit::Count::Working,
        "",
        None,
    )
    .compute(&cal)
    .due
    .unwrap();
    let due_row = &rec[rec.find("审查决定期限</td>").unwrap()..];
    assert!(
        due_row.contains(&fazhi_domain::calendar::fmt_date(expected)),
        "decision due {expected}"
    );
    assert_eq!(
        act(
            "record_review",
            "4",
            vec![("text", "材料齐全，符合拍卖法第十二条规定的条件")]
        )
        .await
        .unwrap()
        .status(),
        StatusCode::SEE_OTHER
    );
    // An officer may not decide; the leader does.
    let r = act("approve", "5", vec![("text", "准予设立")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "back to the application");
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert!(url.ends_with(&back), "at the application's own address");
    let r = b.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("需要以下角色之一：处室负责人、局领导"));
    let (lb, _) = app.sign_in("js.leader").await;
    let lrec = lb.get(&url).send().await.unwrap().text().await.unwrap();
    let lcsrf = csrf_of(&lrec);
    let r = lb
        .post(format!("{url}/act"))
        .form(&[
            ("csrf", lcsrf.as_str()),
            ("action", "approve"),
            ("version", "5"),
            ("text", "准予设立郑州金水拍卖有限公司"),
            ("confirmed", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        act(
            "issue_certificate",
            "6",
            vec![("text", "豫拍〔2026〕001号"), ("confirmed", "1")]
        )
        .await
        .unwrap()
        .status(),
        StatusCode::SEE_OTHER
    );
    let s = c.get(&status).send().await.unwrap().text().await.unwrap();
    assert!(s.contains("已办结，证件已送达") && s.contains("豫拍〔2026〕001号"));
    for step in [
        "提交申请",
        "一次性告知补正材料",
        "登记申请人补正材料",
        "受理",
        "作出准予许可决定",
        "制发并送达证件",
    ] {
        assert!(s.contains(step), "the company sees {step}");
    }
    let results = c
        .get(app.url("/results"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        results.contains("郑州金水拍卖有限公司")
            && results.contains("准予许可")
            && results.contains("豫拍〔2026〕001号")
    );
    assert!(results.contains("100%"), "decided on time");
    // The material can be downloaded by staff of the bureau and not by another county.
    let rec = b.get(&url).send().await.unwrap().text().await.unwrap();
    let file = rec
        .split(&format!("/app/applications/{id}/files/"))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let f = b.get(format!("{url}/files/{file}")).send().await.unwrap();
    assert_eq!(f.bytes().await.unwrap().as_ref(), PDF);
    let (zb, _) = app.sign_in("zy.officer").await;
    assert_eq!(
        zb.get(format!("{url}/files/{file}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_counter_application_is_registered_by_staff_and_counts_against_the_online_share() {
    let app = TestApp::spawn().await;
    online_item(&app).await;
    let c = reqwest::Client::new();
    let r = c
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
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (b, csrf) = app.sign_in("js.officer").await;
    let form = application_form("91410105MA44XK7P0F", vec![])
        .text("item", "TEST-XK-001")
        .text("csrf", csrf.clone());
    let r = b
        .post(app.url("/app/applications/new"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // At the counter, what is handed in is registered; accepting waits for the missing materials.
    let rec = r.headers()["location"].to_str().unwrap().to_string();
    let rec = b
        .get(app.url(&rec))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let accept = &rec[rec.find("data-action=\"accept\"").unwrap()..];
    assert!(
        accept[..accept.find("</div>").unwrap()].contains("还缺少 2 项必需的申请材料"),
        "accepting is refused while a material is missing"
    );
    let bad = application_form("91410105MA44XK7P0F", vec![])
        .text("item", "NO-SUCH-ITEM")
        .text("csrf", csrf.clone());
    let r = b
        .post(app.url("/app/applications/new"))
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「申请事项」权力事项 NO-SUCH-ITEM 不在权责清单内")
    );
    let stats = b
        .get(app.url("/app/applications/stats"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = &stats[stats.find("<td>拍卖企业设立审核</td>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>2</td>") && row.contains("50%"),
        "two received, half online: {row}"
    );
    let forged = application_form("91410105MA44XK7P0F", vec![])
        .text("item", "TEST-XK-001")
        .text("csrf", "forged");
    let r = b
        .post(app.url("/app/applications/new"))
        .multipart(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an upload form carries the session's token"
    );
}
