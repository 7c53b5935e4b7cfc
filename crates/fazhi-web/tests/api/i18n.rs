//! The Chinese UI shows no English; the English switch translates; every action has a name.

use crate::disclosure::apply;
use crate::harness::*;

#[tokio::test]
async fn the_chinese_ui_shows_no_english_and_the_english_switch_translates() {
    let app = TestApp::spawn().await;
    let page = apply(&app, app.ids.city, "11010519491231002X")
        .await
        .text()
        .await
        .unwrap();
    let (no, code) = (
        between(&page, "tracking-no").to_string(),
        between(&page, "query-code").to_string(),
    );
    let (b, _) = app.sign_in("admin").await;
    let list = b
        .get(app.url("/app/disclosure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let req_id = list
        .split("/app/disclosure/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    let data = [
        "admin",
        "fzc.legal",
        "js.officer",
        "js.admin",
        "js.leader",
        "zy.officer",
        "zz-zcfgc",
        "zhongyuan",
        "jinshui",
        "zz",
        no.as_str(),
        code.as_str(),
        "TEST-XK-001",
        "CJ-TX-001",
        "CJ-WZ-001",
        "CJ-YFK-001",
        "ZZSW-CF-001",
    ];
    let pages = [
        "/app/work".to_string(),
        "/app/orgs".into(),
        format!("/app/orgs/{}", app.ids.jinshui),
        "/app/orgs/new".into(),
        "/app/users".into(),
        format!("/app/users/{}", app.ids.zy_officer),
        "/app/users/new".into(),
        "/app/audit?verify=1".into(),
        "/app/account/password".into(),
        "/app/account/api-keys".into(),
        "/".into(),
        "/audit/checkpoints".into(),
        "/no-such-page".into(),
        "/app/disclosure".into(),
        format!("/app/disclosure/{req_id}"),
        "/app/procedures".into(),
        "/app/procedures/disclosure-request".into(),
        "/app/calendar?from=2026-09-28&days=7&count=working".into(),
        "/app/calendar?from=x&days=y".into(),
        "/disclosure".into(),
        format!("/disclosure/status?no={no}&code={code}"),
        "/app/powers".into(),
        "/app/powers/diff".into(),
        "/app/powers/new".into(),
        "/powers".into(),
        "/powers/diff".into(),
        "/app/applications".into(),
        "/app/applications/stats".into(),
        "/results".into(),
        "/apply/status".into(),
        "/apply/TEST-XK-001".into(),
        "/powers/TEST-XK-001".into(),
        "/app/powers/TEST-XK-001".into(),
        "/app/certificates".into(),
        "/app/certificates/cleanup".into(),
        "/app/disclosure/new".into(),
        "/app/discretion".into(),
        "/app/discretion/CJ-TX-001?grade=ordinary&f1=1&fine=40000".into(),
        "/discretion".into(),
        "/discretion/CJ-TX-001".into(),
        "/app/cases".into(),
        "/app/cases/leads".into(),
        "/app/cases/new".into(),
        "/app/cases/summary".into(),
        "/app/cases/filings".into(),
        "/app/cases/stats".into(),
        "/publicity".into(),
        "/cases/status?no=x&code=y".into(),
        "/app/decisions".into(),
        "/app/decisions/catalogue".into(),
        "/app/decisions/new".into(),
        "/app/advisors".into(),
        "/decisions".into(),
        "/app/procedures/major-decision".into(),
        "/app/search".into(),
        "/app/search?q=备案&kind=power_item&year=2026&as_of=2026-11-28".into(),
        "/search?q=备案".into(),
    ];
    for p in &pages {
        let html = b
            .get(app.url(p))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let words = english_words(&html, &data);
        assert!(words.is_empty(), "{p} shows English: {words:?}");
    }
    let login = TestApp::browser()
        .get(app.url("/app/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english_words(&login, &[]).is_empty());
    let r = b
        .get(app.url("/app/lang/en?back=/app/work"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/app/work");
    let en = b
        .get(app.url("/app/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("My work") && en.contains("<html lang=\"en\">"));
    let r = b
        .get(app.url("/app/lang/en?back=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/app/work",
        "the switch only returns to local pages"
    );
}

/// Every `.rs` file under `root`, in its folders too.
fn source_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn every_action_the_store_writes_has_a_name_in_the_ui() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fazhi-store/src");
    let mut actions = Vec::new();
    for f in source_files(&root) {
        let text = std::fs::read_to_string(f).unwrap();
        for part in text.split('"').skip(1).step_by(2) {
            if (part.starts_with("org.") || part.starts_with("auth."))
                && part.contains('_')
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            {
                actions.push(part.to_string());
            }
        }
    }
    // Every action written with its name spelled out (`audit::append(tx, who, org, "x.y", …)`),
    // whatever its module: an unnamed one would show as 其他操作 on a record's timeline.
    for f in source_files(&root) {
        let text = std::fs::read_to_string(f).unwrap();
        for call in text.split("audit::append(").skip(1) {
            let end = [call.find(");"), call.find(")?")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(call.len());
            let call = &call[..end];
            if let Some(a) = call.split('"').skip(1).step_by(2).find(|p| {
                p.contains('.')
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            }) {
                actions.push(a.to_string());
            }
        }
    }
    assert!(actions.iter().any(|a| a == "evaluation.score_file"));
    assert!(actions.len() >= 10);
    for a in actions {
        if a.starts_with("org.not_") || a.starts_with("org.role_") || a.starts_with("auth.api_key_")
        {
            continue; // refusal codes, not actions
        }
        assert!(
            fazhi_web::audit::ACTIONS.iter().any(|(x, _, _)| *x == a),
            "action {a} has no name in the UI"
        );
    }
}

#[test]
fn templates_hold_no_english_text_outside_tags_and_expressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut text = std::fs::read_to_string(&p).unwrap();
            for (open, close) in [("{{", "}}"), ("{%", "%}"), ("<", ">")] {
                while let Some(i) = text.find(open) {
                    let j = text[i..]
                        .find(close)
                        .map_or(text.len(), |j| i + j + close.len());
                    text.replace_range(i..j, " ");
                }
            }
            let text = text
                .replace("fazhi-audit-checkpoint", "")
                .replace("English", "")
                .replace("&lt;", "")
                .replace("&gt;", "");
            let words: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2)
                .collect();
            assert!(
                words.is_empty(),
                "{} has English text: {words:?}",
                p.display()
            );
        }
    }
}

#[test]
fn every_procedure_action_the_store_writes_is_named_by_its_procedure_title() {
    use fazhi_domain::procedure::{Procedure, Registry};
    use fazhi_store::capability::guards as registered_guards;
    use fazhi_web::i18n::{Lang, Tr};
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let mut reg = Registry::default();
    for (file, text) in procedures() {
        reg.insert(Procedure::load(&file, &text, &names).unwrap(), true);
    }
    // The store writes a procedure action as `<audit module>.<action id>`; its capabilities say
    // which module each procedure's actions are written under.
    let store = fazhi_store::capability::PROCEDURES;
    assert_eq!(store.len(), 7);
    for c in store {
        let prefix = c.audit_module;
        let p = fazhi_web::capability::CAPABILITIES
            .iter()
            .filter_map(|c| c.procedure.as_ref())
            .find(|p| p.audit_prefix == prefix)
            .unwrap_or_else(|| panic!("no capability writes {prefix}.* actions"));
        assert_eq!(
            p.procedure, c.procedure,
            "{prefix}.* is the procedure's in both layers"
        );
        let procedure = reg.current(p.procedure).unwrap();
        for a in &procedure.actions {
            let name = format!("{prefix}.{}", a.id);
            assert!(
                !fazhi_web::audit::ACTIONS.iter().any(|(x, _, _)| *x == name),
                "{name} is named by its procedure file, not by a table"
            );
            assert_eq!(
                fazhi_web::audit::action_label(Tr(Lang::Zh), &reg, &name),
                a.title,
                "{name}"
            );
            let en = fazhi_web::audit::action_label(Tr(Lang::En), &reg, &name);
            assert!(en.is_ascii(), "{name} has an English name: {en}");
        }
    }
}
