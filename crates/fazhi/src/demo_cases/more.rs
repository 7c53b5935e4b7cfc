//! The rest of the demo's penalty work: decisions on the spot (行政处罚法 第五十一条、第五十二条),
//! one decision revoked and withdrawn (第四十八条), and the legal division's file evaluation.

use fazhi_domain::enforcement::case::Penalty;
use fazhi_store::case::{self, CaseId, NewCase, NewSummary};
use time::{Date, Duration};

use super::{Driver, Lcg, STREETS, Team, actor, party, text};

/// Decides one case on the spot per team; returns how many.
pub(super) fn summary(d: &Driver<'_>, teams: &[Team], rng: &mut Lcg) -> Result<usize, String> {
    let (store, today) = (d.store, d.today);
    let days = |n: i64| Duration::days(n);
    let mut made = 0;
    for (i, t) in teams.iter().enumerate() {
        let (kind, name, id_no) = party(rng, &t.area, "便利店", true);
        let day = d.working(today - days(3 + i as i64));
        let s = NewSummary {
            case: NewCase {
                lead_id: None,
                org_id: t.org_id,
                item_code: "ZZSW-CF-015".into(),
                party_kind: kind,
                party_name: name,
                party_id_no: id_no,
                party_address: format!("郑州市{}{}号", rng.pick(&STREETS), 1 + rng.next(200)),
                facts: "商品零售场所免费提供塑料购物袋，执法人员当场查实，当事人承认。".into(),
                act_ended_on: day,
                discovered_on: day,
                long_limitation: false,
                limitation_basis: String::new(),
            },
            // A fine only: the article of the plastic-bag item provides no warning (第三十八条).
            penalty: Penalty {
                fine: 100 * 100,
                ..Penalty::default()
            },
            second_officer: t.second.user_id,
            statement: "当事人对违法事实无异议，表示立即改正，没有陈述、申辩。".into(),
        };
        let id = store
            .write(|tx| case::decide_summary(tx, &t.officer, &s, d.env(day)))
            .map_err(|e| format!("演示简易程序：{e}"))?;
        made += 1;
        // Half are already filed with the organ (第五十二条第三款); the rest wait in its queue.
        if i % 2 == 0 {
            d.act(
                &t.head,
                id,
                "record_summary_filing",
                &text("已审查当场处罚决定书，予以备案。"),
                day + days(1),
            )?;
        }
    }
    Ok(made)
}

/// Revokes one published decision being executed, which withdraws it from the portal.
pub(super) fn revocation(d: &Driver<'_>, teams: &[Team]) -> Result<(), String> {
    let (store, today) = (d.store, d.today);
    let revocable = store
        .read(|tx| {
            tx.query_opt(
            "SELECT id FROM penalty_cases WHERE stage = 'executing' AND published_on IS NOT NULL
               AND summary_procedure = 0 ORDER BY id LIMIT 1",
            &[],
        )?
        .map(|r| r.i64(0).map(CaseId))
        .transpose()
        })
        .map_err(|e| e.to_string())?;
    if let Some(id) = revocable {
        let c = store
            .read(|tx| case::get(tx, id))
            .map_err(|e| e.to_string())?;
        let leader = teams
            .iter()
            .find(|t| t.org_id == c.org_id)
            .map(|t| t.leader.clone())
            .ok_or("演示案件的办案组不存在")?;
        d.act(
            &leader,
            id,
            "revoke_decision",
            &text("经行政复议，复议机关以认定事实的证据不足为由撤销本决定。"),
            today,
        )?;
    }
    Ok(())
}

/// The city legal division's evaluation of this year's closed files, partly scored.
pub(super) fn evaluation(d: &Driver<'_>) -> Result<(), String> {
    let (store, today) = (d.store, d.today);
    let legal = actor(store, "fzc.legal")?;
    let sheet = fazhi_domain::enforcement::evaluation::Sheet::shipped();
    let year_start = Date::from_calendar_date(today.year(), time::Month::January, 1)
        .map_err(|e| e.to_string())?;
    let (eid, _) = store
        .write(|tx| {
            fazhi_store::evaluation::create(
                tx,
                &legal,
                (
                    &format!("{} 年度行政处罚案卷评查", today.year()),
                    year_start,
                    today,
                    2,
                ),
                &sheet,
            )
        })
        .map_err(|e| format!("演示案卷评查：{e}"))?;
    let (_, files) = store
        .read(|tx| fazhi_store::evaluation::get(tx, &legal, eid))
        .map_err(|e| e.to_string())?;
    for (k, f) in files.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let mut scores: std::collections::BTreeMap<String, i64> = sheet
            .items
            .iter()
            .map(|i| (i.id.clone(), i.points))
            .collect();
        let finding = match k % 3 {
            0 => {
                scores.insert("discretion".into(), 6);
                "裁量理由只写明适用的情节等级，未说明从轻情形的认定理由。"
            }
            1 => {
                scores.insert("documents".into(), 3);
                "送达回证未载明受送达人签收时间。"
            }
            _ => "案卷完整，程序规范。",
        };
        store
            .write(|tx| {
                fazhi_store::evaluation::score(tx, &legal, (eid, f.case_id), &scores, finding)
            })
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
