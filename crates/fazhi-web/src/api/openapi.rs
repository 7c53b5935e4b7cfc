//! The OpenAPI 3.1 document of `/api/v1`, written by hand next to the routes it describes.
//! A test checks that every API route is in it.

use axum::Json;
use serde_json::{Value, json};

pub(crate) fn problem_responses() -> Value {
    let p = json!({ "description": "问题详情（RFC 9457）", "content": {
        "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } });
    json!({ "400": p, "401": p, "403": p, "404": p, "409": p, "413": p, "415": p, "422": p })
}

fn op(summary: &str, tag: &str, body: Option<&str>, if_match: bool) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "responses": problem_responses(),
    });
    o["responses"]["200"] = json!({ "description": "成功" });
    if let Some(schema) = body {
        o["requestBody"] = json!({ "required": true, "content": { "application/json": {
            "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    }
    if if_match {
        o["parameters"] = json!([{ "name": "If-Match", "in": "header", "required": true,
            "description": "读取记录时得到的 ETag（版本号），如 \"3\"", "schema": { "type": "string" } }]);
    }
    o
}

/// The document.
pub fn spec() -> Value {
    let id_param = json!([{ "name": "id", "in": "path", "required": true,
        "schema": { "type": "integer" } }]);
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "fazhi 法治 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "郑州市商务局法治工作平台的数据接口。认证：Authorization: Bearer <接口密钥>。错误均为 application/problem+json，detail 为中文说明；字段错误在 errors 中逐项给出。修改记录须带 If-Match 版本号，版本过期返回 409 及 current_version。"
        },
        "components": {
            "securitySchemes": { "apiKey": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Problem": { "type": "object", "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" },
                    "status": { "type": "integer" }, "detail": { "type": "string" },
                    "code": { "type": "string" }, "basis": { "type": ["string", "null"] },
                    "current_version": { "type": "integer" },
                    "errors": { "type": "array", "items": { "type": "object", "properties": {
                        "field": { "type": "string" }, "message": { "type": "string" } } } } } },
                "NewOrg": { "type": "object", "required": ["parent_id", "code", "name", "kind"],
                    "additionalProperties": false, "properties": {
                    "parent_id": { "type": "integer" }, "code": { "type": "string" },
                    "name": { "type": "string" },
                    "kind": { "enum": ["division", "affiliated", "county_bureau", "unit"] },
                    "sort_order": { "type": "integer" } } },
                "OrgPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "code": { "type": "string" }, "name": { "type": "string" },
                    "sort_order": { "type": "integer" }, "active": { "type": "boolean" } } },
                "NewUser": { "type": "object",
                    "required": ["username", "display_name", "org_id", "password", "role"],
                    "additionalProperties": false, "properties": {
                    "username": { "type": "string" }, "display_name": { "type": "string" },
                    "org_id": { "type": "integer" }, "password": { "type": "string" },
                    "role": { "enum": ["admin", "leader", "division_head", "officer",
                        "legal_reviewer", "legal_division", "clerk", "advisor"] } } },
                "UserPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "display_name": { "type": "string" }, "org_id": { "type": "integer" },
                    "active": { "type": "boolean" } } }
            }
        },
        "security": [{ "apiKey": [] }],
        "paths": {
            "/api/v1/me": { "get": op("当前用户及其角色", "auth", None, false) },
            "/api/v1/orgs": {
                "get": op("可见范围内的单位", "org", None, false),
                "post": op("新建单位", "org", Some("NewOrg"), false) },
            "/api/v1/orgs/{id}": { "parameters": id_param,
                "get": op("单位详情", "org", None, false),
                "patch": op("修改单位", "org", Some("OrgPatch"), true) },
            "/api/v1/orgs/{id}/timeline": { "parameters": id_param,
                "get": op("单位履历（审计链）", "org", None, false) },
            "/api/v1/users": {
                "get": op("可见范围内的人员", "org", None, false),
                "post": op("新建人员", "org", Some("NewUser"), false) },
            "/api/v1/users/{id}": { "parameters": id_param,
                "get": op("人员详情", "org", None, false),
                "patch": op("修改人员", "org", Some("UserPatch"), true) },
            "/api/v1/users/{id}/timeline": { "parameters": id_param,
                "get": op("人员履历（审计链）", "org", None, false) },
            "/api/v1/audit/entries": {
                "get": { "summary": "审计链条目（倒序，游标分页）", "tags": ["audit"],
                    "parameters": [
                        { "name": "cursor", "in": "query", "schema": { "type": "integer" } },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500 } }],
                    "responses": problem_responses() } },
            "/api/v1/calendar/due": { "get": {
                "summary": "期限到期日（含是否暂定及计算过程）", "tags": ["calendar"],
                "parameters": [
                    { "name": "from", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } },
                    { "name": "days", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 0, "maximum": 3650 } },
                    { "name": "count", "in": "query", "schema": { "enum": ["working", "calendar"] } }],
                "responses": problem_responses() } },
            "/api/v1/calendar/days": { "get": {
                "summary": "逐日工作日/休息日（含是否暂定）", "tags": ["calendar"],
                "parameters": [
                    { "name": "from", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } },
                    { "name": "to", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } }],
                "responses": problem_responses() } },
            "/api/v1/cases": { "get": {
                "summary": "可见范围内的行政处罚案件（每页 50 件，含承办人和最近期限；默认倒序游标分页，其他排序按页码分页）", "tags": ["case"],
                "parameters": [
                    { "name": "stage", "in": "query", "schema": { "type": "string" } },
                    { "name": "item", "in": "query", "schema": { "type": "string" } },
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "mine", "in": "query", "description": "1：只列本人承办的案件", "schema": { "enum": ["1"] } },
                    { "name": "sort", "in": "query", "schema": { "enum": ["newest", "case_no", "opened", "stage", "due"] } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "before", "in": "query", "schema": { "type": "integer" } }],
                "responses": problem_responses() } },
            "/api/v1/cases/{id}": { "parameters": id_param,
                "get": op("案件详情（承办人员、证据哈希、文书、期限）", "case", None, false) },
            "/api/v1/normative-docs": { "get": {
                "summary": "可见范围内的规范性文件（含阶段、指定日期的效力和效力变化）", "tags": ["normative"],
                "parameters": [
                    { "name": "stage", "in": "query", "schema": { "type": "string" } },
                    { "name": "q", "in": "query", "description": "文件名称包含", "schema": { "type": "string" } },
                    { "name": "as_of", "in": "query", "description": "效力日期，默认今日", "schema": { "type": "string", "format": "date" } }],
                "responses": problem_responses() } },
            "/api/v1/normative-docs/{id}": { "parameters": id_param,
                "get": op("规范性文件详情（各稿、意见、效力变化、期限）", "normative", None, false) },
            "/api/v1/search": { "get": {
                "summary": "全文检索（中文分词）：规范性文件、法律法规、权责事项、处罚决定和案件。以接口密钥调用时检索可见范围内的全部记录，否则只检索已公开的；每页 20 条，含总数、高亮摘要和有效性", "tags": ["search"], "security": [{ "apiKey": [] }, {}],
                "parameters": [
                    { "name": "q", "in": "query", "description": "检索词：词语、文号、案号或当事人名称", "schema": { "type": "string" } },
                    { "name": "kind", "in": "query", "schema": { "enum": ["normative", "law", "article", "power_item", "decision", "case"] } },
                    { "name": "issuer", "in": "query", "description": "制定机关或单位的完整名称", "schema": { "type": "string" } },
                    { "name": "year", "in": "query", "schema": { "type": "integer" } },
                    { "name": "as_of", "in": "query", "description": "只列该日期有效的（YYYY-MM-DD），有效性也按该日期", "schema": { "type": "string", "format": "date" } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }],
                "responses": problem_responses() } },
            "/api/v1/audit/checkpoints": { "get": {
                "summary": "已发布的审计链签名检查点", "tags": ["audit"], "security": [],
                "responses": { "200": { "description": "成功" } } } },
            "/api/v1/openapi.json": { "get": {
                "summary": "本文档", "tags": ["meta"], "security": [],
                "responses": { "200": { "description": "成功" } } } }
        }
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(crate::decision::api::paths());
        paths.extend(crate::reconsideration::api::paths());
    }
    doc
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
