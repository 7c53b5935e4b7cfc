//! The calendar and procedure commands as operators and scripts use them.

use std::process::Command;

use crate::{fazhi, stdout as out, temp_dir};

#[test]
fn calendar_list_matches_the_state_council_notices_on_every_day_from_2018_to_2026() {
    let d = temp_dir();
    let o = fazhi(
        &d,
        &[
            "calendar",
            "list",
            "--from",
            "2018-01-01",
            "--to",
            "2026-12-31",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The reference was produced independently (PyPI chinese-calendar 1.11.0), one line per day;
    // the last days of 2026 stay provisional until the 2027 notice is loaded.
    let expected = include_str!("fixtures/calendar-2018-2026.tsv");
    let got = out(&o);
    for (i, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, e, "line {}", i + 1);
    }
    assert_eq!(got.lines().count(), 3287);
}

#[test]
fn calendar_due_prints_the_date_and_how_it_was_worked_out() {
    let d = temp_dir();
    let o = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2026-09-28",
            "--days",
            "7",
            "--working",
        ],
    );
    let s = out(&o);
    assert_eq!(s.lines().next(), Some("2026-10-13"));
    assert!(s.contains("2026-10-01至2026-10-07（国庆节）"));
    let o = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2026-09-16",
            "--days",
            "15",
            "--calendar",
        ],
    );
    let s = out(&o);
    assert_eq!(s.lines().next(), Some("2026-10-08"));
    assert!(s.contains("民法典第二百零三条"));
    let bad = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2026-02-30",
            "--days",
            "7",
            "--working",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("不是有效日期"));
}

#[test]
fn a_2027_date_is_provisional_until_a_2027_notice_is_loaded_then_exact() {
    let d = temp_dir();
    let o = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2027-01-04",
            "--days",
            "10",
            "--working",
        ],
    );
    assert_eq!(out(&o).lines().next(), Some("2027-01-18\tprovisional"));
    let notice = d.join("2027.toml");
    std::fs::write(
        &notice,
        "[[notices]]\nyear = 2027\nnumber = \"测试通知\"\npublished = \"2026-11-20\"\nworkdays = []\n\
         [[notices.holidays]]\nname = \"元旦\"\ndates = [\"2027-01-01\", \"2027-01-02\", \"2027-01-03\"]\n",
    )
    .unwrap();
    let o = fazhi(&d, &["calendar", "load", notice.to_str().unwrap()]);
    assert!(out(&o).contains("已载入 2027 年的放假安排"), "{}", out(&o));
    let o = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2027-01-04",
            "--days",
            "10",
            "--working",
        ],
    );
    assert_eq!(out(&o).lines().next(), Some("2027-01-18"));
    let v = fazhi(&d, &["audit", "verify"]);
    assert!(v.status.success());
}

#[test]
fn a_bad_notice_file_is_refused_with_every_reason_and_nothing_is_loaded() {
    let d = temp_dir();
    let notice = d.join("bad.toml");
    std::fs::write(&notice, "[[notices]]\nyear = 2027\nnumber = \"\"\npublished = \"2026-11-20\"\nworkdays = [\"2027-03-01\"]\n").unwrap();
    let o = fazhi(&d, &["calendar", "load", notice.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("缺少文号") && err.contains("不是周末"),
        "{err}"
    );
    let o = fazhi(
        &d,
        &[
            "calendar",
            "due",
            "--from",
            "2027-01-04",
            "--days",
            "1",
            "--working",
        ],
    );
    assert!(out(&o).contains("provisional"));
}

#[test]
fn a_procedure_file_with_an_unknown_guard_stops_start_up_naming_the_file_and_line() {
    let d = temp_dir();
    let procs = d.join("procedures");
    std::fs::create_dir_all(&procs).unwrap();
    let text = include_str!("../../../../procedures/disclosure-request.toml").replace(
        "guards = [\"not_yet_extended\", \"answer_not_overdue\"]",
        "guards = [\"not_yet_extended\", \"no_such_guard\"]",
    );
    let line = text
        .lines()
        .position(|l| l.contains("no_such_guard"))
        .unwrap()
        + 1;
    std::fs::write(procs.join("disclosure-request.toml"), text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("FAZHI_PROCEDURES_DIR", &procs)
        .env_remove("FAZHI_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let expected = format!("disclosure-request.toml:{line}: 未知的守卫「no_such_guard」");
    assert!(err.contains(&expected), "{err}");
    let check = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(["procedures", "check"])
        .env("FAZHI_PROCEDURES_DIR", &procs)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(out(&check).contains(&expected));
}

#[test]
fn an_action_without_code_and_a_missing_procedure_file_are_refused_by_procedures_check() {
    let d = temp_dir();
    let procs = d.join("procedures");
    std::fs::create_dir_all(&procs).unwrap();
    let text = format!(
        "{}\n[[actions]]\nid = \"send_flowers\"\ntitle = \"送花\"\nfrom = [\"received\"]\nroles = [\"clerk\"]\nbasis = \"测试依据\"\n",
        include_str!("../../../../procedures/disclosure-request.toml")
    );
    let line = text
        .lines()
        .position(|l| l == "id = \"send_flowers\"")
        .unwrap();
    std::fs::write(procs.join("disclosure-request.toml"), text).unwrap();
    let check = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(["procedures", "check"])
        .env("FAZHI_PROCEDURES_DIR", &procs)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let got = out(&check);
    assert!(
        got.contains(&format!(
            "disclosure-request.toml:{line}: 操作「send_flowers」（送花）没有执行代码"
        )),
        "{got}"
    );
    assert!(
        got.contains("缺少程序文件「penalty-general.toml」"),
        "{got}"
    );
}
