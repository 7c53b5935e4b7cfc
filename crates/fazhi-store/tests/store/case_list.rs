//! The case list on both engines: each case's 承办人, the person's own cases, the orders it
//! offers and paging by number — never across county bureaus.

use fazhi_domain::enforcement::PartyKind;
use fazhi_store::case::{self, CaseId, Filter, Sort};
use time::macros::date;

use crate::case::{World, investigating, new_case, world};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

fn list(db: &Db, w: &World, f: &Filter, limit: i64) -> Vec<case::Listed> {
    let scopes = w.city_legal.view_scopes();
    db.store
        .read(|tx| case::list(tx, &scopes, f, limit))
        .unwrap()
}

fn ids(lines: &[case::Listed]) -> Vec<CaseId> {
    lines.iter().map(|l| l.id).collect()
}

both!(
    the_case_list_names_each_cases_handlers_and_filters_the_persons_own_cases,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        // Assigned to officer1 and officer2.
        let assigned = investigating(db, &w, PartyKind::Organisation, day);
        // Asked for by the 中原区 officer, not yet approved.
        let asked = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.zy_officer,
                    &new_case(w.zhongyuan_unit, PartyKind::Person),
                    w.env(day),
                )
            })
            .unwrap();
        let all = list(db, &w, &Filter::default(), 50);
        assert_eq!(ids(&all), vec![asked, assigned]);
        assert_eq!(all[1].handlers, vec!["测试js.officer1", "测试js.officer2"]);
        assert_eq!(all[0].handlers, vec!["测试zy.officer"]);
        assert!(all[1].due.is_some(), "the 90 days run");
        let mine = Filter {
            mine: Some(w.officer2),
            ..Filter::default()
        };
        assert_eq!(ids(&list(db, &w, &mine, 50)), vec![assigned]);
        let theirs = Filter {
            mine: Some(w.zy_officer.user_id),
            ..Filter::default()
        };
        assert_eq!(ids(&list(db, &w, &theirs, 50)), vec![asked]);
        // A 金水区 officer's own cases never include another county's.
        let scopes = w.officer1.view_scopes();
        let own = db
            .store
            .read(|tx| {
                case::list(
                    tx,
                    &scopes,
                    &Filter {
                        mine: Some(w.zy_officer.user_id),
                        ..Filter::default()
                    },
                    50,
                )
            })
            .unwrap();
        assert!(own.is_empty());
    }
);

both!(
    the_case_list_sorts_by_number_stage_and_limit_and_pages_by_number,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let a = investigating(db, &w, PartyKind::Organisation, day);
        let b = investigating(db, &w, PartyKind::Person, date!(2026 - 07 - 02));
        let pending = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.officer1,
                    &new_case(w.jinshui_unit, PartyKind::Person),
                    w.env(day),
                )
            })
            .unwrap();
        let by = |sort: Sort| Filter {
            sort,
            stage_order: vec!["pending_approval".into(), "investigating".into()],
            ..Filter::default()
        };
        assert_eq!(
            ids(&list(db, &w, &by(Sort::Newest), 50)),
            vec![pending, b, a]
        );
        assert_eq!(
            ids(&list(db, &w, &by(Sort::CaseNo), 50)),
            vec![a, b, pending]
        );
        assert_eq!(
            ids(&list(db, &w, &by(Sort::Stage), 50)),
            vec![pending, b, a]
        );
        // The nearest limit first: a's 90 days end a day before b's; the pending case has none.
        assert_eq!(ids(&list(db, &w, &by(Sort::Due), 50)), vec![a, b, pending]);
        // Two a page: page 2 holds the third.
        let page = |n: u32| Filter {
            page: n,
            ..by(Sort::CaseNo)
        };
        assert_eq!(ids(&list(db, &w, &page(1), 2)), vec![a, b]);
        assert_eq!(ids(&list(db, &w, &page(2), 2)), vec![pending]);
        assert!(list(db, &w, &page(3), 2).is_empty());
    }
);

both!(
    the_cases_the_search_index_found_replace_the_text_match_and_stay_within_scope,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let js = investigating(db, &w, PartyKind::Organisation, day);
        let zy = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.zy_officer,
                    &new_case(w.zhongyuan_unit, PartyKind::Person),
                    w.env(day),
                )
            })
            .unwrap();
        // The text alone: matched in the database.
        let text = Filter {
            q: Some("惠民便利店".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&list(db, &w, &text, 50)), vec![js]);
        // The index's answer is taken as it is, whatever the text.
        let found = Filter {
            q: Some("惠民便利店".into()),
            ids: Some(vec![zy.0]),
            ..Filter::default()
        };
        assert_eq!(ids(&list(db, &w, &found, 50)), vec![zy]);
        let none = Filter {
            ids: Some(Vec::new()),
            ..Filter::default()
        };
        assert!(list(db, &w, &none, 50).is_empty());
        // Ids outside the person's scope are not listed.
        let scopes = w.officer1.view_scopes();
        let both = Filter {
            ids: Some(vec![js.0, zy.0]),
            ..Filter::default()
        };
        let own = db
            .store
            .read(|tx| case::list(tx, &scopes, &both, 50))
            .unwrap();
        assert_eq!(ids(&own), vec![js]);
    }
);
