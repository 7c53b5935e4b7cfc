//! One demo case of the general procedure (行政处罚法 第五十四条 to 第七十三条), driven through the
//! store's own actions up to its target stage.

use std::collections::HashMap;
use std::path::Path;

use fazhi_domain::enforcement::case::{Mark, Penalty};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_store::case::{self, CaseInput, NewCase, NewEvidence};
use time::Duration;

use super::{Driver, ITEMS, Lcg, STREETS, TARGETS, Target, Team, evidence_file, party, text};

/// Makes the `i`-th demo case for team `t`; false when the team cannot take this one.
#[allow(clippy::too_many_lines)]
pub(super) fn case(
    d: &Driver<'_>,
    (t, i, teams): (&Team, usize, usize),
    rng: &mut Lcg,
    item_names: &HashMap<String, String>,
    files_dir: &Path,
) -> Result<bool, String> {
    let (store, cal, today) = (d.store, d.cal, d.today);
    let days = |n: i64| Duration::days(n);
    let (item, trade, (lo, hi), persons) = ITEMS[(i / teams + i) % ITEMS.len()];
    // A big fine needs legal review (and brings the hearing right): only where the bureau
    // has a legal reviewer.
    if ["ZZSW-CF-008", "ZZSW-CF-012"].contains(&item) && t.reviewer.is_none() {
        return Ok(false);
    }
    let person = persons && i % 2 == 0;
    let (kind, name, id_no) = party(rng, &t.area, trade, person);
    let target = TARGETS[(i / 2) % TARGETS.len()];
    let fine_yuan = lo + (rng.next(((hi - lo) / 500 + 1) as u64) as i64) * 500;
    let fine_yuan = fine_yuan.min(hi);
    // Dates: the last step lands a few days before today.
    let last = match target {
        Target::Proposed => 0,
        Target::Investigating => 3,
        Target::Reported => 20,
        Target::Notified => 22,
        Target::Decided => 26,
        Target::Executing => 28,
        Target::Overdue => 55,
        Target::Executed => 35,
        Target::Closed => 38,
        Target::Archived => 40,
    };
    let jitter = match target {
        Target::Notified | Target::Decided | Target::Executing => rng.next(3) as i64,
        _ => rng.next(40) as i64,
    };
    let open = d.working(today - days(last + jitter + 1));
    let street = rng.pick(&STREETS);
    let act_name = item_names
        .get(item)
        .map_or(item, String::as_str)
        .trim_start_matches('对')
        .trim_end_matches("的处罚");
    let new = NewCase {
        lead_id: None,
        org_id: t.org_id,
        item_code: item.into(),
        party_kind: kind,
        party_name: name.clone(),
        party_id_no: id_no,
        party_address: format!("郑州市{street}{}号", 1 + rng.next(300)),
        facts: format!(
            "{name}涉嫌{act_name}。执法人员现场检查时发现，现场检查笔录和询问笔录在卷。"
        ),
        act_ended_on: open - days(20 + rng.next(60) as i64),
        discovered_on: open - days(rng.next(5) as i64),
        long_limitation: false,
        limitation_basis: String::new(),
    };
    let id = store
        .write(|tx| case::open_case(tx, &t.officer, &new, d.env(open)))
        .map_err(|e| format!("演示案件立案：{e}"))?;
    if target == Target::Proposed {
        return Ok(true);
    }
    let approve = CaseInput {
        opinion: "同意立案，由执法大队指派两名持证执法人员调查。".into(),
        ..CaseInput::default()
    };
    d.act(&t.head, id, "approve_opening", &approve, open)?;
    let assign = CaseInput {
        officers: vec![t.officer.user_id, t.second.user_id],
        ..CaseInput::default()
    };
    d.act(&t.head, id, "assign_officers", &assign, open + days(1))?;
    for (k, (kind, title)) in [
        ("inspection_record", "现场检查笔录"),
        ("party_statement", "询问笔录"),
        ("documentary", "营业执照复印件及经营记录"),
    ]
    .iter()
    .enumerate()
    {
        let (sha, size) = evidence_file(files_dir, title, &name)?;
        let ev = CaseInput {
            evidence: Some(NewEvidence {
                kind: (*kind).into(),
                title: (*title).into(),
                file_name: format!("{title}.pdf"),
                content_type: "application/pdf".into(),
                size,
                sha256: sha,
                collected_on: Some(d.working(open + days(1 + k as i64))),
            }),
            ..CaseInput::default()
        };
        d.act(
            &t.officer,
            id,
            "add_evidence",
            &ev,
            open + days(2 + k as i64),
        )?;
    }
    if target == Target::Investigating {
        return Ok(true);
    }
    let bench = store
        .read(|tx| {
            let c = case::get(tx, id)?;
            case::benchmark_for(tx, &c, today)
        })
        .map_err(|e| e.to_string())?;
    let grade = bench.as_ref().map(|b| b.benchmark.grades[0].grade);
    let fine_fen = match &bench {
        Some(b) => {
            let g = &b.benchmark.grades[0];
            let (blo, bhi) = g.fine_yuan.unwrap_or((lo, hi));
            (blo + (bhi - blo) / 4 / 500 * 500) * 100
        }
        None => fine_yuan * 100,
    };
    let no_penalty = i % 23 == 5;
    let penalty = if no_penalty {
        Penalty::default()
    } else {
        Penalty {
            // Only where the benchmark grade provides a warning: none of the demo items'
            // articles does (行政处罚法 第三十八条).
            warning: i % 4 == 0
                && bench
                    .as_ref()
                    .is_some_and(|b| b.benchmark.grades[0].warning),
            fine: fine_fen,
            // 报废机动车回收管理办法 第十九条 confiscates the vehicles and the gains as well.
            confiscation: if item == "ZZSW-CF-008" {
                (8_000 + 500 * rng.next(20) as i64) * 100
            } else {
                0
            },
            ..Penalty::default()
        }
    };
    let report = CaseInput {
        text: format!(
            "经调查，{name}的违法事实清楚，有现场检查笔录、询问笔录和经营记录为证；当事人配合调查，如实陈述。"
        ),
        grade: grade.or(Some(Grade::Ordinary)).filter(|_| bench.is_some()),
        penalty: penalty.clone(),
        // Half the foreign-investment cases are marked 情节复杂: the heads discuss them
        // (行政处罚法 第五十七条第二款).
        marks: if item == "ZZSW-CF-012" && i % 2 == 0 {
            vec![Mark::ComplexCircumstances]
        } else {
            Vec::new()
        },
        ..CaseInput::default()
    };
    d.act(&t.officer, id, "submit_report", &report, open + days(20))?;
    let needs_review = !store
        .read(|tx| case::get(tx, id))
        .map_err(|e| e.to_string())?
        .review_reasons
        .is_empty();
    if needs_review && let Some(r) = &t.reviewer {
        let pass = CaseInput {
            text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意。".into(),
            choice: "pass".into(),
            ..CaseInput::default()
        };
        d.act(r, id, "record_legal_review", &pass, open + days(21))?;
    }
    if no_penalty {
        d.act(
            &t.leader,
            id,
            "decide_no_penalty",
            &text("当事人初次违法，危害后果轻微并已及时改正，依法不予行政处罚；已对当事人进行教育，责令其规范经营。"),
            open + days(22),
        )?;
        if target >= Target::Archived {
            d.act(
                &t.archivist,
                id,
                "archive",
                &CaseInput::default(),
                open + days(30),
            )?;
        }
        return Ok(true);
    }
    if target == Target::Reported {
        return Ok(true);
    }
    d.act(
        &t.officer,
        id,
        "send_notice",
        &CaseInput::default(),
        open + days(22),
    )?;
    // Half the notified cases still wait for the notice to reach the party.
    if target == Target::Notified && i % 2 == 0 {
        return Ok(true);
    }
    let service = CaseInput {
        choice: if i % 3 == 0 { "on_the_spot" } else { "direct" }.into(),
        date: Some(d.working(open + days(22))),
        text: "当事人签收，送达回证在卷。".into(),
        ..CaseInput::default()
    };
    d.act(&t.clerk, id, "serve_notice", &service, open + days(22))?;
    if target == Target::Notified {
        return Ok(true);
    }
    let statement = CaseInput {
        text: "当事人对违法事实无异议，表示已整改，放弃陈述、申辩和听证。".into(),
        choice: "waive".into(),
        ..CaseInput::default()
    };
    d.act(
        &t.officer,
        id,
        "record_statement",
        &statement,
        open + days(23),
    )?;
    let c = store
        .read(|tx| case::get(tx, id))
        .map_err(|e| e.to_string())?;
    if c.collective_reason.is_some() {
        // The heads discuss (第五十七条第二款); the legal reviewer attends and is recorded.
        let mut views: Vec<(&fazhi_domain::org::Actor, &str)> =
            t.deputies.iter().map(|a| (a, "同意拟处罚意见。")).collect();
        if let Some(r) = &t.reviewer {
            views.push((r, "列席：程序合法，裁量适当。"));
        }
        for (who, view) in views {
            d.act(
                who,
                id,
                "record_collective_view",
                &text(view),
                open + days(24),
            )?;
        }
        d.act(
            &t.leader,
            id,
            "conclude_collective",
            &text("同意，按拟处罚意见作出决定。"),
            open + days(24),
        )?;
    }
    let decide = CaseInput {
        text: "当事人对违法事实无异议，按照本局行政处罚裁量基准确定处罚。".into(),
        penalty: penalty.clone(),
        ..CaseInput::default()
    };
    d.act(&t.leader, id, "decide", &decide, open + days(26))?;
    if target == Target::Decided {
        return Ok(true);
    }
    d.act(
        &t.clerk,
        id,
        "publish_decision",
        &CaseInput::default(),
        open + days(27),
    )?;
    let served = d.working(open + days(28));
    let deliver = CaseInput {
        choice: if i % 3 == 0 { "on_the_spot" } else { "direct" }.into(),
        date: Some(served),
        ..CaseInput::default()
    };
    d.act(&t.clerk, id, "deliver", &deliver, served)?;
    // Half the overdue fines have had the written reminder (行政强制法 第五十四条).
    if target == Target::Overdue && penalty.fine > 0 && i % 2 == 0 {
        let on = d.working(served + days(20));
        let remind = CaseInput {
            choice: "mail".into(),
            date: Some(on),
            ..CaseInput::default()
        };
        d.act(&t.clerk, id, "serve_reminder", &remind, on)?;
    }
    if matches!(target, Target::Executing | Target::Overdue) {
        return Ok(true);
    }
    if penalty.fine > 0 {
        // One in five pays late and owes the surcharge (art. 72).
        let late = i % 5 == 0;
        let paid_on = d.working(if late {
            served + days(22)
        } else {
            open + days(35)
        });
        let c = store
            .read(|tx| case::get(tx, id))
            .map_err(|e| e.to_string())?;
        let owed = store
            .read(|tx| case::owed_on(tx, &c, paid_on, cal))
            .map_err(|e| e.to_string())?
            .0;
        let pay = CaseInput {
            date: Some(paid_on),
            amount: owed,
            ..CaseInput::default()
        };
        d.act(&t.clerk, id, "record_payment", &pay, paid_on)?;
    } else {
        d.act(
            &t.clerk,
            id,
            "record_performance",
            &text("当事人已按要求整改并接受警告。"),
            open + days(35),
        )?;
    }
    if target == Target::Executed {
        return Ok(true);
    }
    d.act(&t.head, id, "close", &CaseInput::default(), open + days(38))?;
    if target == Target::Closed {
        return Ok(true);
    }
    d.act(
        &t.archivist,
        id,
        "archive",
        &CaseInput::default(),
        open + days(40),
    )?;
    Ok(true)
}
