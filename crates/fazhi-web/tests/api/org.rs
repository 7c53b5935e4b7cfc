//! Orgs and people: stale forms, field errors, new people, passwords, roles.

use reqwest::StatusCode;

use crate::harness::*;

#[tokio::test]
async fn a_stale_form_is_refused_with_409_and_keeps_what_the_user_typed() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let url = app.url(&format!("/app/orgs/{}", app.ids.jinshui));
    let post = |name: &'static str| {
        b.post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", name),
                ("code", "jinshui"),
                ("sort_order", "0"),
                ("active", "1"),
                ("version", "1"),
            ])
            .send()
    };
    let first = post("金水区商务局（第一）").await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post("金水区商务局（第二）").await.unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let page = second.text().await.unwrap();
    assert!(page.contains("data-testid=\"conflict\""));
    assert!(
        page.contains("value=\"金水区商务局（第二）\""),
        "the user's input is kept"
    );
    assert!(page.contains("<h1 data-testid=\"record-title\">金水区商务局（第一）</h1>"));
    assert!(page.contains("name=\"version\" value=\"2\""));
}

#[tokio::test]
async fn an_empty_org_name_is_refused_naming_the_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("admin").await;
    let before = app.audit_count().await;
    let r = b
        .post(app.url("/app/orgs"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("parent_id", &app.ids.city.to_string()),
            ("name", " "),
            ("code", "Bad Code"),
            ("kind", "unit"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("「单位名称」不能为空"));
    assert!(page.contains("「单位代码」只能包含小写字母、数字和连字符"));
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn an_admin_creates_a_person_who_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let r = b
        .post(app.url("/app/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "js.new"),
            ("display_name", "新同事"),
            ("org_id", &app.ids.jinshui.to_string()),
            ("role", "officer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (nb, _) = app.sign_in("js.new").await;
    let p = nb
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(p.contains("新同事") && p.contains("执法人员"));
    // A county admin cannot create people in another county.
    let r = b
        .post(app.url("/app/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "zy.new"),
            ("display_name", "越权"),
            ("org_id", &app.ids.zhongyuan.to_string()),
            ("role", "officer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("系统管理员"));
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_strong_new_one() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.officer").await;
    let change = |cur: &'static str, new: &'static str, confirm: &'static str| {
        b.post(app.url("/app/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", cur),
                ("new_password", new),
                ("confirm_password", confirm),
            ])
            .send()
    };
    let r = change("wrong-pass1", "NewPassw0rd!", "NewPassw0rd!")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「当前密码」不正确"));
    let r = change(PASSWORD, "short1", "short1").await.unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("「密码」至少需要 10 个字符")
    );
    let r = change(PASSWORD, "NewPassw0rd!", "Different0!")
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("与新密码不一致"));
    let r = change(PASSWORD, "NewPassw0rd!", "NewPassw0rd!")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("密码已修改"));
}

#[tokio::test]
async fn an_admin_grants_and_revokes_a_role_and_both_are_on_the_persons_timeline() {
    let app = TestApp::spawn().await;
    let (b, csrf) = app.sign_in("js.admin").await;
    let users = b
        .get(app.url("/app/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let uid = users
        .split("/app/users/")
        .find_map(|p| p.split_once("\">蒋涛"))
        .unwrap()
        .0
        .to_string();
    let url = app.url(&format!("/app/users/{uid}"));
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let version = between(&page, "version").to_string();
    let form = |v: &str| {
        [
            ("csrf", csrf.clone()),
            ("version", v.to_string()),
            ("org_id", app.ids.jinshui.to_string()),
            ("role", "legal_reviewer".to_string()),
        ]
    };
    let r = b
        .post(format!("{url}/roles"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("已授予角色"));
    let stale = b
        .post(format!("{url}/roles/revoke"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "the grant moved the version on"
    );
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let version = between(&page, "version").to_string();
    let r = b
        .post(format!("{url}/roles/revoke"))
        .form(&form(&version))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("已收回角色"));
    let page = b.get(&url).send().await.unwrap().text().await.unwrap();
    let timeline = &page[page.find("data-testid=\"timeline\"").unwrap()..];
    assert!(
        timeline.contains("授予角色")
            && timeline.contains("收回角色")
            && timeline.contains("法制审核人员")
    );
}
