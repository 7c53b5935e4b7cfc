//! The search outbox and the searchable documents: every write that changes something
//! searchable leaves its record on the outbox in its own transaction, and the documents read
//! back only what the one who searches may see (the published, masked decision; nothing once it
//! is withdrawn).

use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::search::Kind;
use fazhi_store::case::CaseInput;
use fazhi_store::search;
use time::macros::date;

use crate::case::{act, decide, fine, investigating, notified, world};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

fn queued(db: &Db, kind: Kind, id: i64) -> usize {
    db.store
        .read(|tx| search::pending(tx, 0, 10_000))
        .unwrap()
        .iter()
        .filter(|c| c.kind == kind && c.record_id == id)
        .count()
}

fn document(db: &Db, kind: Kind, id: i64) -> Option<fazhi_domain::search::SearchDoc> {
    let mut d = db
        .store
        .read(|tx| search::documents(tx, kind, &[id]))
        .unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, kind.key(id));
    d.remove(0).1
}

both!(
    the_power_list_cases_and_published_decisions_are_queued_when_written_and_read_back_as_searched,
    |db: &Db| {
        let w = world(db);
        // The power list the world imported.
        let all = db.store.read(search::all_keys_for_rebuild).unwrap();
        let items = &all.iter().find(|(k, _)| *k == Kind::PowerItem).unwrap().1;
        assert!(!items.is_empty());
        assert_eq!(queued(db, Kind::PowerItem, items[0]), 1);
        let item = document(db, Kind::PowerItem, items[0]).unwrap();
        assert!(item.public);
        assert!(item.title.contains("备案"), "{}", item.title);

        let id = investigating(db, &w, PartyKind::Person, date!(2026 - 09 - 01));
        assert!(
            queued(db, Kind::Case, id.0) >= 2,
            "opened, then each action"
        );
        let c = document(db, Kind::Case, id.0).unwrap();
        assert!(!c.public);
        assert_eq!(c.parties, "王晓明");
        assert!(c.body.contains("未按规定办理备案"));
        let unit_path = db
            .store
            .read(|tx| fazhi_store::org::get_org(tx, w.jinshui_unit))
            .unwrap()
            .path;
        assert_eq!(c.org_path, unit_path);
        assert!(
            document(db, Kind::Decision, id.0).is_none(),
            "not published yet"
        );

        notified(db, &w, id, fine(15_000), date!(2026 - 09 - 14));
        let pass = CaseInput {
            text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。".into(),
            choice: "pass".into(),
            ..CaseInput::default()
        };
        act(
            db,
            &w,
            &w.reviewer,
            id,
            "record_legal_review",
            &pass,
            date!(2026 - 09 - 22),
        )
        .unwrap();
        decide(db, &w, id, fine(15_000), date!(2026 - 09 - 28)).unwrap();
        act(
            db,
            &w,
            &w.officer1,
            id,
            "publish_decision",
            &CaseInput::default(),
            date!(2026 - 10 - 09),
        )
        .unwrap();
        assert_eq!(queued(db, Kind::Decision, id.0), 1);
        let d = document(db, Kind::Decision, id.0).unwrap();
        assert!(d.public);
        let text = format!("{} {} {}", d.title, d.body, d.parties);
        assert!(text.contains("王*") && !text.contains("王晓明"), "{text}");
        assert!(!text.contains("11010519491231002X"), "{text}");
        assert_eq!(d.year, Some(2026));

        act(
            db,
            &w,
            &w.leader,
            id,
            "revoke_decision",
            &crate::case::text("经行政复议，复议机关以认定事实不清为由撤销本决定。"),
            date!(2026 - 10 - 12),
        )
        .unwrap();
        assert_eq!(queued(db, Kind::Decision, id.0), 2);
        assert!(document(db, Kind::Decision, id.0).is_none(), "withdrawn");
        let all = db.store.read(search::all_keys_for_rebuild).unwrap();
        assert!(
            all.iter()
                .any(|(k, ids)| *k == Kind::Case && ids.contains(&id.0))
        );
        assert!(
            !all.iter()
                .any(|(k, ids)| *k == Kind::Decision && ids.contains(&id.0))
        );
    }
);

both!(
    the_outbox_is_read_after_a_position_and_pruned_to_its_last_row,
    |db: &Db| {
        let w = world(db);
        let _ = investigating(db, &w, PartyKind::Organisation, date!(2026 - 09 - 01));
        let (first, last) = db.store.read(search::bounds).unwrap();
        let (first, last) = (first.unwrap(), last.unwrap());
        assert!(first < last);
        let after = db.store.read(|tx| search::pending(tx, first, 3)).unwrap();
        assert_eq!(after.len(), 3);
        assert!(after.iter().all(|c| c.id > first));
        assert!(after.windows(2).all(|p| p[0].id < p[1].id));
        let late = db.store.read(|tx| search::late(tx, first, 0)).unwrap();
        assert_eq!(late.len(), 1);
        let future = fazhi_store::now_ms() + 1000;
        let pruned = db.store.write(|tx| search::prune(tx, future)).unwrap();
        assert!(pruned > 0);
        assert_eq!(
            db.store.read(search::bounds).unwrap(),
            (Some(last), Some(last))
        );
    }
);
