#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use fazhi_domain::search::{Kind, Query, Scope, SearchDoc};
use time::macros::date;

use super::SearchIndex;

const TODAY: time::Date = date!(2026 - 11 - 28);

fn doc(kind: Kind, id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        key: kind.key(id),
        kind,
        title: title.into(),
        body: body.into(),
        number: String::new(),
        parties: String::new(),
        issuer: "郑州市商务局".into(),
        year: Some(2026),
        org_path: "/1/".into(),
        public: true,
        in_force_from: None,
        in_force_to: None,
        ended_as: None,
        staff_url: format!("/app/x/{id}"),
        public_url: Some(format!("/x/{id}")),
    }
}

fn case(id: i64, path: &str, number: &str, party: &str) -> SearchDoc {
    SearchDoc {
        number: number.into(),
        parties: party.into(),
        org_path: path.into(),
        public: false,
        public_url: None,
        ..doc(
            Kind::Case,
            id,
            &format!("{party}未按规定备案案"),
            &format!("当事人{party}经营场所未按规定办理备案，违反有关规定。"),
        )
    }
}

fn index(docs: &[SearchDoc]) -> SearchIndex {
    let i = SearchIndex::in_ram().unwrap();
    i.upsert(docs).unwrap();
    i.commit(7).unwrap();
    i
}

fn staff(paths: &[&str]) -> Scope {
    Scope::Staff {
        all: false,
        paths: paths.iter().map(|p| (*p).to_string()).collect(),
    }
}

fn keys(i: &SearchIndex, q: &Query) -> Vec<String> {
    i.search(q, TODAY)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.key)
        .collect()
}

#[test]
fn a_word_is_found_within_a_longer_chinese_text() {
    let i = index(&[
        doc(
            Kind::Normative,
            1,
            "关于进一步优化营商环境的若干措施",
            "各县（市、区）商务主管部门在起草涉及经营者经济活动的政策措施时，应当开展公平竞争审查，未经审查的不得出台。",
        ),
        doc(
            Kind::Normative,
            2,
            "关于做好安全生产工作的通知",
            "加强安全生产检查。",
        ),
    ]);
    assert_eq!(
        keys(&i, &Query::new("公平竞争审查", Scope::Public)),
        vec!["normative:1"]
    );
    assert_eq!(
        keys(&i, &Query::new("审查", Scope::Public)),
        vec!["normative:1"]
    );
    assert!(keys(&i, &Query::new("反垄断", Scope::Public)).is_empty());
}

#[test]
fn a_title_match_ranks_above_a_body_match() {
    let i = index(&[
        doc(
            Kind::Normative,
            1,
            "关于加强市场监管的通知",
            "商务领域单用途预付卡的管理，单用途预付卡发卡企业应当备案，单用途预付卡资金存管。",
        ),
        doc(
            Kind::Normative,
            2,
            "单用途预付卡管理办法",
            "为规范发卡行为，制定本办法。",
        ),
    ]);
    assert_eq!(
        keys(&i, &Query::new("预付卡", Scope::Public)),
        vec!["normative:2", "normative:1"]
    );
}

#[test]
fn the_snippet_highlights_the_words_found_and_escapes_markup() {
    let i = index(&[doc(
        Kind::Normative,
        1,
        "关于规范报废机动车回收的通知",
        "<script>alert(1)</script>报废机动车回收企业应当取得资质认定。",
    )]);
    let r = i
        .search(&Query::new("报废机动车", Scope::Public), TODAY)
        .unwrap();
    let html = &r.hits[0].snippet_html;
    assert!(html.contains("<mark>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
}

#[test]
fn document_and_case_numbers_are_found_exactly_and_party_names_as_typed() {
    let i = index(&[
        SearchDoc {
            number: "郑商〔2026〕3号".into(),
            ..doc(Kind::Normative, 1, "关于促进消费的通知", "促进消费。")
        },
        SearchDoc {
            number: "郑商〔2026〕13号".into(),
            ..doc(Kind::Normative, 2, "关于外贸的通知", "稳外贸。")
        },
        case(
            3,
            "/1/17/",
            "金水市监罚〔2026〕12号",
            "郑州市金水区好运来商贸有限公司",
        ),
        case(4, "/1/17/", "金水市监罚〔2026〕120号", "欧阳明月"),
    ]);
    let all = staff(&["/1/"]);
    assert_eq!(
        keys(&i, &Query::new("郑商〔2026〕3号", Scope::Public))[0],
        "normative:1"
    );
    assert_eq!(
        keys(&i, &Query::new("金水市监罚〔2026〕12号", all.clone()))[0],
        "case:3"
    );
    assert_eq!(
        keys(&i, &Query::new("好运来商贸", all.clone())),
        vec!["case:3"]
    );
    assert_eq!(keys(&i, &Query::new("欧阳明", all.clone())), vec!["case:4"]);
    assert_eq!(keys(&i, &Query::new("欧阳明月", all)), vec!["case:4"]);
}

#[test]
fn a_staff_scope_of_one_district_never_finds_a_case_of_another() {
    let i = index(&[
        case(1, "/1/17/", "金水商罚〔2026〕1号", "张建军"),
        case(2, "/1/18/", "中原商罚〔2026〕1号", "张建军"),
        case(3, "/1/17/23/", "金水商罚〔2026〕2号", "张建军"),
    ]);
    let mut found = keys(&i, &Query::new("张建军", staff(&["/1/17/"])));
    found.sort();
    assert_eq!(found, vec!["case:1", "case:3"]);
    let found = keys(&i, &Query::new("", staff(&["/1/18/"])));
    assert_eq!(found, vec!["case:2"]);
    assert_eq!(keys(&i, &Query::new("张建军", staff(&["/1/"]))).len(), 3);
}

#[test]
fn the_public_scope_never_finds_a_document_that_is_not_public() {
    let i = index(&[
        case(1, "/1/17/", "金水商罚〔2026〕1号", "张建军"),
        SearchDoc {
            public: false,
            ..doc(Kind::Normative, 2, "张建军内部通知", "张建军。")
        },
        doc(Kind::Decision, 3, "张建军处罚决定", "张某某。"),
    ]);
    assert_eq!(
        keys(&i, &Query::new("张建军", Scope::Public)),
        vec!["decision:3"]
    );
    assert_eq!(keys(&i, &Query::new("", Scope::Public)), vec!["decision:3"]);
    // Staff of another subtree see the public one only.
    assert_eq!(
        keys(&i, &Query::new("张建军", staff(&["/1/30/"]))),
        vec!["decision:3"]
    );
}

#[test]
fn a_repealed_document_is_in_force_before_the_day_it_was_repealed_and_not_after() {
    let i = index(&[SearchDoc {
        in_force_from: Some(date!(2020 - 01 - 01)),
        in_force_to: Some(date!(2026 - 10 - 01)),
        ended_as: Some("已废止".into()),
        ..doc(Kind::Normative, 1, "商务执法办法", "执法。")
    }]);
    let mut q = Query::new("商务执法", Scope::Public);
    q.as_of = Some(date!(2026 - 06 - 01));
    let r = i.search(&q, TODAY).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].validity, "现行有效");
    q.as_of = Some(date!(2026 - 11 - 28));
    assert_eq!(i.search(&q, TODAY).unwrap().total, 0);
    q.as_of = None;
    let r = i.search(&q, TODAY).unwrap();
    assert_eq!(r.hits[0].validity, "已废止");
}

#[test]
fn the_count_is_of_every_match_while_a_page_holds_only_its_part() {
    let docs: Vec<SearchDoc> = (1..=25)
        .map(|n| {
            doc(
                Kind::PowerItem,
                n,
                &format!("事项{n}"),
                "对外贸易经营者备案登记",
            )
        })
        .chain([doc(Kind::PowerItem, 99, "无关", "其他")])
        .collect();
    let i = index(&docs);
    let mut q = Query::new("备案登记", Scope::Public);
    q.limit = 10;
    q.offset = 20;
    let r = i.search(&q, TODAY).unwrap();
    assert_eq!(r.total, 25);
    assert_eq!(r.hits.len(), 5);
    q.offset = 0;
    let first = i.search(&q, TODAY).unwrap();
    assert_eq!(first.hits.len(), 10);
    assert!(first.hits.iter().all(|h| !r.hits.contains(h)));
}

#[test]
fn the_filters_of_kind_issuer_and_year_narrow_the_results() {
    let i = index(&[
        doc(Kind::Normative, 1, "备案通知", "备案。"),
        SearchDoc {
            issuer: "金水区商务局".into(),
            year: Some(2025),
            ..doc(Kind::PowerItem, 2, "备案事项", "备案。")
        },
    ]);
    let mut q = Query::new("备案", Scope::Public);
    q.kinds = vec![Kind::PowerItem];
    assert_eq!(keys(&i, &q), vec!["power_item:2"]);
    q.kinds.clear();
    q.issuer = Some("郑州市商务局".into());
    assert_eq!(keys(&i, &q), vec!["normative:1"]);
    q.issuer = None;
    q.year = Some(2025);
    assert_eq!(keys(&i, &q), vec!["power_item:2"]);
}

#[test]
fn a_replaced_document_is_found_by_its_new_text_only_and_a_deleted_one_not_at_all() {
    let i = index(&[doc(Kind::Decision, 1, "旧标题", "旧内容。")]);
    i.upsert(&[doc(Kind::Decision, 1, "新标题", "新内容。")])
        .unwrap();
    i.commit(8).unwrap();
    assert!(keys(&i, &Query::new("旧内容", Scope::Public)).is_empty());
    assert_eq!(keys(&i, &Query::new("新内容", Scope::Public)).len(), 1);
    assert_eq!(i.position().unwrap(), Some(8));
    i.delete("decision:1");
    i.commit(9).unwrap();
    assert!(i.is_empty());
    assert_eq!(i.position().unwrap(), Some(9));
}

#[test]
fn an_index_on_disk_keeps_its_documents_and_position_when_reopened() {
    let dir = std::env::temp_dir().join(format!("fazhi-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let i = SearchIndex::open(&dir).unwrap();
        assert_eq!(i.position().unwrap(), None);
        i.upsert(&[doc(Kind::Law, 1, "中华人民共和国行政处罚法", "行政处罚。")])
            .unwrap();
        i.commit(42).unwrap();
    }
    let i = SearchIndex::open(&dir).unwrap();
    assert_eq!(i.position().unwrap(), Some(42));
    assert_eq!(
        keys(&i, &Query::new("行政处罚法", Scope::Public)),
        vec!["law:1"]
    );
    drop(i);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_case_list_box_finds_party_names_and_numbers_only_and_says_when_too_many_match() {
    let i = index(&[
        case(
            1,
            "/1/17/",
            "金水商立〔2026〕1号",
            "郑州市金水区好运来商贸有限公司",
        ),
        case(2, "/1/17/", "金水商立〔2026〕2号", "欧阳明月"),
        case(
            3,
            "/1/18/",
            "中原商立〔2026〕1号",
            "郑州市金水区好运来商贸有限公司",
        ),
    ]);
    let js = staff(&["/1/17/"]);
    let find = |text: &str, max| i.party_or_number(text, Kind::Case, &js, max).unwrap();
    assert_eq!(find("好运来", 10), Some(vec!["case:1".to_string()]));
    assert_eq!(find("明月", 10), Some(vec!["case:2".to_string()]));
    assert_eq!(
        find("金水商立〔2026〕2号", 10),
        Some(vec!["case:2".to_string()])
    );
    // The facts are not read by this box.
    assert_eq!(find("备案", 10), Some(Vec::new()));
    assert_eq!(
        find("金水商立", 1),
        None,
        "two match, more than one asked for"
    );
}

#[test]
fn a_passage_is_cut_from_a_long_text_where_the_words_repeat() {
    let body = "各县（市、区）商务主管部门要优化营商环境工作，明确责任分工，确保各项措施落到实处。\
        起草涉及经营者经济活动的政策措施，应当进行公平竞争审查，未经审查的不得出台。\
        起草涉及经营者经济活动的政策措施，应当进行公平竞争审查，未经审查的不得出台。\
        对违反本办法规定的，由商务主管部门责令改正，并依照有关法律、法规的规定予以处罚。"
        .repeat(3);
    // Wherever the passage starts (the text shifted by one character at a time).
    let docs: Vec<SearchDoc> = (0..60)
        .map(|n| {
            let text = format!("{}{body}", "的".repeat(n));
            doc(Kind::Normative, n as i64, "关于优化营商环境的办法", &text)
        })
        .collect();
    let i = index(&docs);
    for q in ["公平竞争审查", "营商环境", "审查", "商务主管部门"] {
        let mut query = Query::new(q, Scope::Public);
        query.limit = 100;
        let r = i.search(&query, TODAY).unwrap();
        assert_eq!(r.total, 60, "{q}");
        for h in &r.hits {
            let html = &h.snippet_html;
            assert!(html.contains("<mark>"), "{q}: {html}");
            assert!(
                html.chars().count() < 300,
                "{q}: a passage, not the text: {html}"
            );
        }
    }
}
