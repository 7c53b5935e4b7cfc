//! Requests for government information: the portal form, staff handling, the requester's lookup.

use reqwest::StatusCode;

use crate::harness::*;

pub(crate) async fn apply(app: &TestApp, org_id: i64, id_no: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/disclosure"))
        .form(&[
            ("org_id", org_id.to_string().as_str()),
            ("requester_kind", "person"),
            ("requester_name", "张三"),
            ("requester_id_no", id_no),
            ("contact", "13800000000"),
            ("description", "2025 年单用途预付卡备案企业名单"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_portal_request_with_a_bad_id_number_is_refused_naming_the_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let before = app.audit_count().await;
    let r = apply(&app, app.ids.jinshui, "130402198207290622").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("「公民身份号码」有误：公民身份号码校验码不正确（GB 11643-1999）"),
        "{page}"
    );
    assert!(page.contains("value=\"张三\""), "what was typed is kept");
    assert_eq!(app.audit_count().await, before);
    let r = reqwest::Client::new()
        .post(app.url("/disclosure"))
        .form(&[
            ("org_id", "999"),
            ("requester_kind", "org"),
            ("requester_name", "某"),
            ("requester_id_no", "91350100M000100Y4A"),
            ("contact", ""),
            ("description", ""),
        ])
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    for m in [
        "「受理机关」请选择",
        "「申请人名称」至少需要 2 个字符",
        "「统一社会信用代码」有误",
        "「联系方式」不能为空",
    ] {
        assert!(page.contains(m), "{m}");
    }
}

#[tokio::test]
async fn a_portal_request_reaches_its_bureau_and_staff_see_why_an_action_is_refused() {
    let app = TestApp::spawn().await;
    let page = apply(&app, app.ids.jinshui, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let no = between(&page, "tracking-no").to_string();
    let code = between(&page, "query-code").to_string();
    assert!(no.starts_with("YSQ"));
    let (b, _) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(&no));
    let id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let rec = b
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rec.contains("答复期限") && rec.contains("一次性告知补正期限"));
    assert!(
        rec.contains("110105***********X"),
        "the ID number is masked even for staff lists"
    );
    let extend = &rec[rec.find("data-action=\"extend\"").unwrap()..];
    let extend = &extend[..extend.find("</div>").unwrap()];
    assert!(
        extend.contains("disabled") && extend.contains("需要以下角色之一：处室负责人、局领导"),
        "{extend}"
    );
    let answer = &rec[rec.find("data-action=\"answer\"").unwrap()..];
    assert!(answer[..answer.find("</div>").unwrap()].contains("缺少答复书（拟稿）"));
    // The requester sees the request; a wrong code sees nothing.
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code={code}")))
        .await
        .unwrap();
    assert_eq!(s.status(), StatusCode::OK);
    assert!(s.text().await.unwrap().contains("已收到申请，办理中"));
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code=WRONG")))
        .await
        .unwrap();
    assert_eq!(s.status(), StatusCode::NOT_FOUND);
    assert!(s.text().await.unwrap().contains("没有找到该申请"));
    // 中原区 never sees a 金水区 request.
    let (zb, _) = app.sign_in("zy.officer").await;
    let r = zb
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let zl = zb
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!zl.contains(&no));
}

#[tokio::test]
async fn a_clerk_registers_a_written_request_and_the_requester_can_follow_it_by_code() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let form = |org: &str, id_no: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("org_id", org.to_string()),
            ("requester_kind", "person".into()),
            ("requester_name", "王五".into()),
            ("requester_id_no", id_no.to_string()),
            ("contact", "郑州市金水区某路 1 号".into()),
            ("description", "金水区 2025 年商务执法检查计划".into()),
        ]
    };
    // Another county's bureau is not offered, and is refused if forged.
    let r = b
        .post(app.url("/app/disclosure/new"))
        .form(&form(&app.ids.zhongyuan.to_string(), "11010519491231002X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「受理机关」请选择"));
    let r = b
        .post(app.url("/app/disclosure/new"))
        .form(&form(&app.ids.jinshui.to_string(), "11010519491231002X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let (no, code) = (
        between(&page, "tracking-no").to_string(),
        between(&page, "query-code").to_string(),
    );
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code={code}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(s.contains("已收到申请，办理中"));
    let rec_link = page
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let rec = b
        .get(app.url(&format!("/app/disclosure/{rec_link}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rec.contains("蒋涛（js.officer）"),
        "the clerk who registered it is on the timeline"
    );
}

#[tokio::test]
async fn staff_may_answer_that_a_request_is_a_petition_and_the_requester_is_told_the_article() {
    let app = TestApp::spawn().await;
    let page = apply(&app, app.ids.jinshui, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let (no, code) = (
        between(&page, "tracking-no").to_string(),
        between(&page, "query-code").to_string(),
    );
    let (b, csrf) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let rec = b
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (value, label) in [
        ("repeated", "重复申请，不予重复处理（第三十六条第六项）"),
        (
            "other_laws",
            "依照有关法律、行政法规的规定办理（第三十六条第七项）",
        ),
        (
            "excessive",
            "申请数量、频次明显超过合理范围，不予处理（第三十五条）",
        ),
        ("petition", "不作为政府信息公开申请处理（第三十九条）"),
    ] {
        assert!(
            rec.contains(&format!("<option value=\"{value}\">{label}</option>")),
            "the form offers {value}"
        );
    }
    let act = |b: &reqwest::Client, csrf: &str, version: &str, action: &str| {
        b.post(app.url(&format!("/app/disclosure/{id}/act")))
            .form(&[
                ("csrf", csrf),
                ("version", version),
                ("action", action),
                ("choice", "petition"),
                ("text", "您反映的问题请通过信访渠道提出。"),
            ])
            .send()
    };
    let r = act(&b, &csrf, "1", "draft_answer").await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (leader, leader_csrf) = app.sign_in("js.leader").await;
    // Signing the answer issues it: the preview shows what will be issued, and saves nothing.
    let r = act(&leader, &leader_csrf, "2", "answer").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.unwrap();
    assert!(
        preview.contains("请确认：签发答复") && preview.contains("您反映的问题请通过信访渠道提出"),
        "{preview}"
    );
    let r = leader
        .post(app.url(&format!("/app/disclosure/{id}/act")))
        .form(&[
            ("csrf", leader_csrf.as_str()),
            ("version", "2"),
            ("action", "answer"),
            ("confirmed", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rec = leader
        .get(app.url(&format!("/app/disclosure/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rec.contains("已答复"), "{rec}");
    assert!(rec.contains("申请人以政府信息公开申请的形式进行信访、投诉、举报等活动"));
    let s = reqwest::get(app.url(&format!("/disclosure/status?no={no}&code={code}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(s.contains("不作为政府信息公开申请处理（第三十九条）"));
    assert!(s.contains("《政府信息公开条例》第三十九条"));
}

#[tokio::test]
async fn a_refused_answer_comes_back_typed_with_its_kind_chosen_at_the_request_address() {
    let app = TestApp::spawn().await;
    apply(&app, app.ids.jinshui, "11010519491231002X").await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let path = format!("/app/disclosure/{id}");
    // A stale version: someone else moved the request on.
    let (status, html, at) = post_follow(
        &b,
        &app,
        &format!("{path}/act"),
        &[
            ("csrf", csrf.as_str()),
            ("version", "9"),
            ("action", "draft_answer"),
            ("choice", "petition"),
            (
                "text",
                "您反映的问题请通过信访渠道提出，本机关不作为政府信息公开申请处理。",
            ),
        ],
    )
    .await;
    assert_eq!((status, at.as_str()), (StatusCode::CONFLICT, path.as_str()));
    let form = html
        .split("data-action=\"draft_answer\"")
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    assert!(
        form.contains("该记录已被他人处理"),
        "the refusal at the top of the form"
    );
    assert!(form.contains("本机关不作为政府信息公开申请处理。</textarea>"));
    assert!(form.contains("<option value=\"petition\" selected>"));
    let (status, again) = page(&b, &app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !again.contains("本机关不作为政府信息公开申请处理"),
        "kept for one read"
    );
}
