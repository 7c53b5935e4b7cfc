//! The second factor over HTTP (issue 16): set up and confirmed on one's account page, asked
//! after the password from then on; the password alone opens nothing; a wrong or reused code is
//! refused and recorded.

use fazhi_domain::totp;
use reqwest::StatusCode;

use crate::harness::*;

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A six-digit code that is not any of the codes valid around now.
fn wrong_code(secret: &[u8]) -> String {
    let step = totp::step_of(now_s());
    let valid: Vec<String> = (step - 2..=step + 2)
        .map(|s| totp::code_at_step(secret, s))
        .collect();
    (0..)
        .map(|i| format!("{:06}", 123_456 + i))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn second_factor_is_asked_after_the_password_once_set_up(app: &TestApp) {
    let (b, csrf) = app.sign_in("admin").await;
    let (s, html) = page(&b, app, "/app/account/second-factor").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("data-testid=\"admin-note\""));
    let (s, _) = post(
        &b,
        app,
        "/app/account/second-factor/begin",
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&b, app, "/app/account/second-factor").await;
    let shown = between(&html, "secret").replace(' ', "");
    assert!(between(&html, "otpauth").starts_with("otpauth://totp/"));
    assert!(between(&html, "otpauth").contains(&format!("secret={shown}")));
    let secret = totp::base32_decode(&shown).unwrap();
    assert_eq!(secret.len(), 20);

    // Not yet in effect: the password alone still signs in.
    let (other, _) = app.sign_in("admin").await;
    assert_eq!(page(&other, app, "/app/work").await.0, StatusCode::OK);

    // A wrong first code is refused, a right one turns it on.
    let (s, html) = post(
        &b,
        app,
        "/app/account/second-factor/confirm",
        &[("csrf", &csrf), ("code", &wrong_code(&secret))],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("验证码"));
    let step = totp::step_of(now_s());
    let first = totp::code_at_step(&secret, step);
    let (s, _) = post(
        &b,
        app,
        "/app/account/second-factor/confirm",
        &[("csrf", &csrf), ("code", &first)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, account) = page(&b, app, "/app/account").await;
    assert!(account.contains("已启用"));

    // The password alone: a waiting sign-in that opens nothing but the code page.
    let fresh = TestApp::browser();
    let login = fresh
        .get(app.url("/app/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let pre = csrf_of(&login);
    let r = fresh
        .post(app.url("/app/login"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", "admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/app/login/code");
    let (s, _) = page(&fresh, app, "/app/work").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the password alone opened a page");
    let (s, code_page) = page(&fresh, app, "/app/login/code").await;
    assert_eq!(s, StatusCode::OK);
    let pre = csrf_of(&code_page);

    // A wrong code and the code already used are refused.
    for code in [wrong_code(&secret), first.clone()] {
        let (s, html) = post(
            &fresh,
            app,
            "/app/login/code",
            &[("csrf", &pre), ("code", &code)],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "code {code} was taken");
        assert!(html.contains("验证码不正确或已使用"));
    }
    assert_eq!(
        page(&fresh, app, "/app/work").await.0,
        StatusCode::SEE_OTHER
    );

    // The next step's code (within the allowed drift) signs in.
    let next = totp::code_at_step(&secret, step + 1);
    let (s, _) = post(
        &fresh,
        app,
        "/app/login/code",
        &[("csrf", &pre), ("code", &next)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(page(&fresh, app, "/app/work").await.0, StatusCode::OK);

    let s = app.store.clone();
    let actions: Vec<String> = tokio::task::spawn_blocking(move || {
        s.read(|tx| {
            tx.query(
                "SELECT action || ':' || summary FROM audit_log WHERE action LIKE 'auth.%'
                 ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<Vec<_>, _>>()
        })
        .unwrap()
    })
    .await
    .unwrap();
    for want in [
        "auth.second_factor_setup:{}",
        "auth.second_factor_failed:{\"reason\":\"setup\"}",
        "auth.second_factor_enabled:{}",
        "auth.second_factor_failed:{\"reason\":\"wrong\"}",
        "auth.second_factor_failed:{\"reason\":\"reused\"}",
        "auth.sign_in:{\"second_factor\":true}",
    ] {
        assert!(
            actions.iter().any(|a| a == want),
            "{want} not in {actions:?}"
        );
    }
}

#[tokio::test]
async fn an_administrator_with_a_second_factor_cannot_sign_in_with_the_password_alone() {
    second_factor_is_asked_after_the_password_once_set_up(&TestApp::spawn().await).await;
}

#[tokio::test]
async fn an_administrator_with_a_second_factor_cannot_sign_in_with_the_password_alone_on_postgres()
{
    second_factor_is_asked_after_the_password_once_set_up(&TestApp::spawn_postgres().await).await;
}

#[tokio::test]
async fn the_code_page_without_a_waiting_sign_in_goes_back_to_the_password() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
    let r = b.get(app.url("/app/login/code")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/app/login");
}
