//! Irreversible steps and their documents on both engines: an approval carries its opinion into
//! the approval form and onto the chain, and the preview before a confirmation runs the action's
//! own code and saves nothing.

use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::wording::defects;
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseInput};
use fazhi_store::{StoreError, audit};
use time::macros::date;

use crate::case::{act, approval, new_case, world};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

both!(
    approving_the_opening_requires_an_opinion_which_signs_the_approval_form_and_reaches_the_timeline,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.officer1,
                    &new_case(w.jinshui_unit, PartyKind::Organisation),
                    w.env(day),
                )
            })
            .unwrap();
        let err = act(db, &w, &w.head, id, "approve_opening", &CaseInput::default(), day)
            .unwrap_err();
        let StoreError::Invalid(fields) = err else {
            panic!("{err:?}")
        };
        assert_eq!(fields[0].field, "opinion");
        assert!(fields[0].message.contains("审批意见"), "{:?}", fields[0]);
        act(db, &w, &w.head, id, "approve_opening", &approval(), day).unwrap();
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let form = docs.iter().find(|d| d.kind == "opening_approval").unwrap();
        let row = form
            .rows
            .iter()
            .find(|r| r.label == "行政机关负责人审批意见")
            .unwrap();
        assert!(row.value.contains("同意立案，由执法大队调查。"), "{row:?}");
        assert!(row.signed.contains(&w.head.display_name) && row.signed.contains("2026年7月1日"));
        assert!(form.rows.iter().any(|r| r.label == "立案依据" && r.value.contains("第")));
        for r in &form.rows {
            assert!(defects(&r.value).is_empty(), "{r:?}: {:?}", defects(&r.value));
        }
        let timeline = db
            .store
            .read(|tx| audit::timeline(tx, case::SUBJECT, &id.to_string()))
            .unwrap();
        let approved = timeline
            .iter()
            .find(|e| e.action == "case.approve_opening")
            .unwrap();
        assert!(approved.summary.contains("同意立案，由执法大队调查。"));
    }
);

both!(
    the_preview_of_an_approval_shows_the_signed_form_and_saves_nothing,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.officer1,
                    &new_case(w.jinshui_unit, PartyKind::Organisation),
                    w.env(day),
                )
            })
            .unwrap();
        let before = db.store.read(|tx| case::get(tx, id)).unwrap();
        let seq = |db: &Db| {
            db.store
                .read(|tx| audit::timeline(tx, case::SUBJECT, &id.to_string()))
                .unwrap()
                .len()
        };
        let entries_before = seq(db);
        let p = db
            .store
            .rehearse(|tx| {
                case::preview(
                    tx,
                    (&w.head, &Who::from(&w.head)),
                    (id, before.version),
                    ("approve_opening", &approval()),
                    w.env(day),
                )
            })
            .unwrap();
        assert_eq!(p.documents.len(), 1, "the approval form, signed");
        assert!(
            p.documents[0]
                .rows
                .iter()
                .any(|r| r.value.contains("同意立案"))
        );
        assert!(p.entries.iter().any(|e| e.action == "case.approve_opening"));
        let after = db.store.read(|tx| case::get(tx, id)).unwrap();
        assert_eq!(after.version, before.version);
        assert_eq!(after.stage, "pending_approval");
        assert_eq!(seq(db), entries_before, "nothing reached the chain");
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let form = docs.iter().find(|d| d.kind == "opening_approval").unwrap();
        assert!(
            form.rows.iter().all(|r| !r.value.contains("同意立案")),
            "the form is not signed until the approval is taken"
        );
        // A refused preview is refused as the action would be.
        let err = db
            .store
            .rehearse(|tx| {
                case::preview(
                    tx,
                    (&w.officer1, &Who::from(&w.officer1)),
                    (id, before.version),
                    ("approve_opening", &approval()),
                    w.env(day),
                )
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    }
);
