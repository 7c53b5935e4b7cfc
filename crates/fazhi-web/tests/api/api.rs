//! The JSON API: problem+json errors, keys, created records, the OpenAPI document.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

#[tokio::test]
async fn api_errors_are_problem_json_in_chinese_and_save_nothing() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("admin").await);
    let before = app.audit_count().await;
    let orgs = app.url("/api/v1/orgs");

    let r = c
        .post(&orgs)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(p["detail"].as_str().unwrap().contains("不是合法的 JSON"));

    let r = c.post(&orgs).json(&json!([1, 2])).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);

    let r = c
        .post(&orgs)
        .json(&json!({ "parent_id": "一", "code": 5, "name": "新单位", "kind": "planet", "colour": "红" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msgs: Vec<String> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        msgs.contains(&"「上级单位」应为整数".to_string()),
        "{msgs:?}"
    );
    assert!(msgs.contains(&"「单位代码」应为字符串".to_string()));
    assert!(msgs.iter().any(|m| m.starts_with("「单位类型」")));
    assert!(msgs.contains(&"未知字段「colour」".to_string()));

    let r = c
        .post(&orgs)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let big = json!({ "name": "长".repeat(40_000) });
    let r = c.post(&orgs).json(&big).send().await.unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(p["detail"].as_str().unwrap().contains("超过了允许的大小"));

    let r = c
        .patch(app.url(&format!("/api/v1/orgs/{}", app.ids.jinshui)))
        .json(&json!({ "name": "无版本" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p["detail"].as_str().unwrap().contains("If-Match"));

    let r = c
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::NOT_FOUND);
    let r = c.delete(app.url("/api/v1/orgs")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::METHOD_NOT_ALLOWED);
    let r = c.get(app.url("/api/v1/orgs/abc")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);

    assert_eq!(app.audit_count().await, before, "nothing was written");
}

#[tokio::test]
async fn the_api_needs_a_valid_key_and_a_revoked_key_stops_working() {
    let app = TestApp::spawn().await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNAUTHORIZED);
    let key = app.api_key("js.officer").await;
    let me: Value = api(&key)
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "js.officer");
    app.store
        .write(|tx| {
            tx.exec("UPDATE api_keys SET revoked_at = 1", &[])?;
            Ok(())
        })
        .unwrap();
    let r = api(&key).get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_created_org_comes_back_with_its_location_and_version() {
    let app = TestApp::spawn().await;
    let c = api(&app.api_key("js.admin").await);
    let r = c
        .post(app.url("/api/v1/orgs"))
        .json(&json!({ "parent_id": app.ids.jinshui, "code": "jinshui-zfdd", "name": "金水区商务局执法大队", "kind": "unit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let o: Value = r.json().await.unwrap();
    assert_eq!(loc, format!("/api/v1/orgs/{}", o["id"]));
    assert_eq!(o["version"], 1);
    let r = c
        .post(app.url("/api/v1/orgs"))
        .json(&json!({ "parent_id": app.ids.jinshui, "code": "jinshui-zfdd", "name": "重复", "kind": "unit" }))
        .send()
        .await
        .unwrap();
    let (s, p) = problem(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"][0]["message"], "「单位代码」已被其他单位使用");
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let spec: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/v1/me", "get"),
        ("/api/v1/orgs", "get"),
        ("/api/v1/orgs", "post"),
        ("/api/v1/orgs/{id}", "get"),
        ("/api/v1/orgs/{id}", "patch"),
        ("/api/v1/orgs/{id}/timeline", "get"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/timeline", "get"),
        ("/api/v1/audit/entries", "get"),
        ("/api/v1/audit/checkpoints", "get"),
        ("/api/v1/calendar/due", "get"),
        ("/api/v1/calendar/days", "get"),
        ("/api/v1/openapi.json", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}
