//! The law database on SQLite and PostgreSQL: the shipped statutes, an amended text that closes
//! the changed articles, citations linked to articles and flagged once they change, and the
//! laws in force as of a date.

use fazhi_domain::law::import::read;
use fazhi_store::audit::Who;
use fazhi_store::law::{self, LawFilter};
use time::macros::date;

use crate::common::TestDb as Db;
use crate::time::{postgres, sqlite};

const V1: &str = "标题：某市商务执法测试条例\n简称：测试条例\n类别：地方性法规\n制定机关：某市人民代表大会常务委员会\n施行日期：2020-01-01\n\n第一条 为了测试，制定本条例。\n第二条 罚款为一千元。\n第三条 本条例自2020年1月1日起施行。";
const V2: &str = "标题：某市商务执法测试条例\n简称：测试条例\n类别：地方性法规\n制定机关：某市人民代表大会常务委员会\n施行日期：2025-07-01\n\n第一条 为了测试，制定本条例。\n第二条 罚款为二千元。\n第四条 新增的条文。";

both!(
    the_shipped_laws_load_once_with_their_checked_articles_marked,
    |db: &Db| {
        let n = db.store.write(|tx| law::seed(tx, law::SHIPPED)).unwrap();
        assert!(n >= 10, "{n}");
        assert_eq!(
            db.store.write(|tx| law::seed(tx, law::SHIPPED)).unwrap(),
            0,
            "only into an empty database"
        );
        let laws = db
            .store
            .read(|tx| {
                law::list(
                    tx,
                    &LawFilter {
                        text: Some("行政处罚法".into()),
                        ..LawFilter::default()
                    },
                )
            })
            .unwrap();
        let cf = laws.iter().find(|l| l.short_title == "行政处罚法").unwrap();
        let arts = db.store.read(|tx| law::articles(tx, cf.id, None)).unwrap();
        let a58 = arts.iter().find(|a| a.eid == "art_58").unwrap();
        assert_eq!(a58.num, "第五十八条");
        assert_eq!(a58.text_source, law::FULL_TEXT);
        assert!(
            a58.body
                .contains("未经法制审核或者审核未通过的，不得作出决定")
        );
        assert_eq!(
            arts.iter().find(|a| a.eid == "art_56").unwrap().text_source,
            law::SUMMARY
        );
        // Not in force before 2021-07-15.
        let before = db
            .store
            .read(|tx| {
                law::list(
                    tx,
                    &LawFilter {
                        in_force_on: Some(date!(2021 - 07 - 14)),
                        ..LawFilter::default()
                    },
                )
            })
            .unwrap();
        assert!(!before.iter().any(|l| l.short_title == "行政处罚法"));
        assert!(
            !before.iter().any(|l| l.short_title == "公平竞争审查条例"),
            "in force from 2024-08-01"
        );
    }
);

both!(
    an_amended_text_closes_the_changed_articles_and_flags_the_records_citing_them,
    |db: &Db| {
        let who = Who::system();
        let id = db
            .store
            .write(|tx| law::import(tx, &who, &read(V1).unwrap(), law::FULL_TEXT))
            .unwrap()
            .id;
        // A record citing two articles (one in a range), and a law not in the database.
        let n = db
            .store
            .write(|tx| {
                law::link(
                    tx,
                    ("power_item", "ZZSW-CF-099"),
                    "《某市商务执法测试条例》第一条至第二条；《不存在的法》第九条",
                    date!(2024 - 03 - 01),
                )
            })
            .unwrap();
        assert_eq!(n, 2);
        assert!(
            db.store
                .read(|tx| law::stale(tx, date!(2026 - 11 - 28)))
                .unwrap()
                .is_empty()
        );
        // An amendment in force from 2025-07-01: 第二条 changed, 第三条 deleted, 第四条 added.
        let e = db
            .store
            .write(|tx| {
                law::import(
                    tx,
                    &who,
                    &read(&V2.replace("2025-07-01", "2019-01-01")).unwrap(),
                    law::FULL_TEXT,
                )
            })
            .unwrap_err();
        match e {
            fazhi_store::StoreError::Invalid(f) => {
                assert!(f[0].message.contains("应当晚于"), "{f:?}")
            }
            other => panic!("{other:?}"),
        }
        let out = db
            .store
            .write(|tx| law::import(tx, &who, &read(V2).unwrap(), law::FULL_TEXT))
            .unwrap();
        // Not yet in force on 2025-06-30: nothing to look at yet.
        assert!(
            db.store
                .read(|tx| law::stale(tx, date!(2025 - 06 - 30)))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            (out.new, out.added, out.amended, out.deleted),
            (false, 1, 1, 1)
        );
        let then = db
            .store
            .read(|tx| law::articles(tx, id, Some(date!(2024 - 01 - 01))))
            .unwrap();
        assert_eq!(
            then.iter().find(|a| a.eid == "art_2").unwrap().body,
            "罚款为一千元。"
        );
        assert!(then.iter().any(|a| a.eid == "art_3"));
        let now = db.store.read(|tx| law::articles(tx, id, None)).unwrap();
        assert_eq!(
            now.iter().find(|a| a.eid == "art_2").unwrap().body,
            "罚款为二千元。"
        );
        assert!(!now.iter().any(|a| a.eid == "art_3"));
        let stale = db
            .store
            .read(|tx| law::stale(tx, date!(2026 - 11 - 28)))
            .unwrap();
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert_eq!(stale[0].eid, "art_2");
        assert!(
            stale[0].state.contains("已修改（2025-07-01起）"),
            "{}",
            stale[0].state
        );
        let links = db
            .store
            .read(|tx| law::links_of(tx, ("power_item", "ZZSW-CF-099"), date!(2026 - 11 - 28)))
            .unwrap();
        assert_eq!(links.len(), 2);
        assert!(links.iter().any(|l| l.eid == "art_1" && !l.stale));
        // Linking again (as at every start) keeps the flag; checking the record clears it.
        db.store
            .write(|tx| {
                law::relink_all(
                    tx,
                    &[(
                        "power_item".into(),
                        "ZZSW-CF-099".into(),
                        "《某市商务执法测试条例》第一条、第二条".into(),
                    )],
                    date!(2026 - 11 - 28),
                )
            })
            .unwrap();
        assert_eq!(
            db.store
                .read(|tx| law::stale(tx, date!(2026 - 11 - 28)))
                .unwrap()
                .len(),
            1
        );
        db.store
            .write(|tx| {
                law::mark_checked(
                    tx,
                    &who,
                    ("power_item", "ZZSW-CF-099"),
                    (id, "art_2"),
                    date!(2026 - 11 - 28),
                )
            })
            .unwrap();
        assert!(
            db.store
                .read(|tx| law::stale(tx, date!(2026 - 11 - 28)))
                .unwrap()
                .is_empty()
        );
        // Repealed: every citation of it is flagged, and it leaves the list of laws in force.
        let v = db.store.read(|tx| law::get(tx, id)).unwrap().version;
        db.store
            .write(|tx| {
                law::repeal(
                    tx,
                    &who,
                    (id, v),
                    date!(2026 - 01 - 01),
                    "某市人大常委会关于废止的决定",
                )
            })
            .unwrap();
        let stale = db
            .store
            .read(|tx| law::stale(tx, date!(2026 - 11 - 28)))
            .unwrap();
        assert_eq!(stale.len(), 2);
        assert!(stale.iter().all(|s| s.state.contains("废止")));
        let in_force = db
            .store
            .read(|tx| {
                law::list(
                    tx,
                    &LawFilter {
                        in_force_on: Some(date!(2026 - 11 - 28)),
                        ..LawFilter::default()
                    },
                )
            })
            .unwrap();
        assert!(!in_force.iter().any(|l| l.id == id));
        let earlier = db
            .store
            .read(|tx| {
                law::list(
                    tx,
                    &LawFilter {
                        in_force_on: Some(date!(2025 - 12 - 31)),
                        ..LawFilter::default()
                    },
                )
            })
            .unwrap();
        assert!(earlier.iter().any(|l| l.id == id));
    }
);
