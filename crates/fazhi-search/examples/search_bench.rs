//! The search benchmark of issue 13 (BENCHMARKS.md, "Search"): a synthetic corpus of normative
//! documents, laws and power items (long texts) and short penalty-case records (number, party,
//! facts), indexed by fazhi-search (tantivy + jieba), SQLite FTS5 (trigram tokenizer) and
//! PostgreSQL full-text search (no Chinese parser is installed: each text is stored as the
//! `tsvector` of its character bigrams, built with `array_to_tsvector`, and a query is the `&` of
//! its bigrams), then the same queries from 32 threads on each: the count of matches and the
//! first 20 by relevance, with p50/p99 latency.
//!
//! `cargo run --release -p fazhi-search --example search_bench -- [--docs N] [--cases N]
//!  [--engines tantivy,fts5,postgres] [--postgres URL] [--dir DIR] [--threads 32] [--rounds 40]`
//!
//! Defaults: 100,000 documents and 1,000,000 cases, every engine, PostgreSQL at
//! `postgres://postgres@127.0.0.1:5432/test` (schema `search_bench`, dropped at the end).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fazhi_domain::search::{Kind, Query, Scope, SearchDoc};
use fazhi_search::SearchIndex;
use time::Date;
use time::macros::date;

/// A small deterministic generator (xorshift64*), so every engine gets the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const AREAS: &[&str] = &[
    "商贸流通",
    "对外贸易",
    "外商投资",
    "电子商务",
    "单用途预付卡",
    "报废机动车回收",
    "成品油流通",
    "拍卖行业",
    "典当行业",
    "二手车交易",
    "餐饮服务",
    "家政服务",
    "再生资源回收",
    "商业特许经营",
    "直销行业",
    "汽车销售",
    "酒类流通",
    "市场运行",
    "消费促进",
    "服务贸易",
    "跨境电商",
    "会展经济",
];
const ACTIONS: &[&str] = &[
    "加强", "规范", "促进", "优化", "推进", "完善", "做好", "开展", "落实", "深化", "健全",
];
const OBJECTS: &[&str] = &[
    "管理",
    "监督检查",
    "行政执法",
    "信用体系建设",
    "安全生产",
    "营商环境",
    "公平竞争审查",
    "行政许可",
    "备案管理",
    "事中事后监管",
    "应急保障",
    "统计监测",
    "质量提升",
    "标准化建设",
];
const FORMS: &[&str] = &[
    "通知",
    "意见",
    "办法",
    "实施细则",
    "若干措施",
    "工作方案",
    "规定",
    "指导意见",
];
const ISSUERS: &[(&str, &str)] = &[
    ("郑州市商务局", "郑商"),
    ("郑州市人民政府", "郑政"),
    ("郑州市人民政府办公厅", "郑政办"),
    ("河南省商务厅", "豫商"),
    ("金水区商务局", "金商"),
    ("中原区商务局", "中商"),
    ("二七区商务局", "二商"),
    ("管城回族区商务局", "管商"),
    ("惠济区商务局", "惠商"),
    ("郑东新区管理委员会", "郑东管"),
];
const DISTRICTS: &[&str] = &[
    "金水",
    "中原",
    "二七",
    "管城",
    "惠济",
    "上街",
    "郑东",
    "航空港",
];
const SENTENCES: &[&str] = &[
    "各县（市、区）商务主管部门要{a}{x}{o}工作，明确责任分工，确保各项措施落到实处。",
    "对{x}领域的经营者，应当依法开展{o}，发现违法行为的，依法予以处理。",
    "起草涉及经营者经济活动的政策措施，应当进行公平竞争审查，未经审查的不得出台。",
    "{x}企业应当建立健全内部管理制度，按照规定报送经营数据，接受商务主管部门的监督。",
    "本{f}自发布之日起施行，有效期五年，此前有关规定与本{f}不一致的，以本{f}为准。",
    "要坚持问题导向，聚焦{x}中的突出问题，{a}{o}，切实维护消费者合法权益。",
    "市商务局负责本{f}的组织实施和监督检查，各区商务主管部门负责本辖区内的具体工作。",
    "对违反本{f}规定的，由商务主管部门责令改正，并依照有关法律、法规的规定予以处罚。",
    "鼓励{x}经营者运用数字化手段提升服务水平，{a}行业诚信体系建设。",
    "建立{x}{o}长效机制，实行清单管理，定期评估，动态调整。",
    "发卡企业应当自开展单用途商业预付卡业务之日起30日内办理备案。",
    "报废机动车回收企业应当取得资质认定，并对回收的报废机动车逐车登记。",
];
const BRANDS: &[&str] = &[
    "顺", "通", "恒", "达", "鑫", "源", "华", "联", "金", "盛", "宏", "泰", "瑞", "丰", "嘉", "禾",
    "永", "安", "祥", "和", "中", "原", "新", "兴", "佳", "美", "天", "成", "博", "信", "益", "康",
];
const TRADES: &[&str] = &[
    "商贸",
    "再生资源回收",
    "汽车销售",
    "拍卖",
    "典当",
    "餐饮管理",
    "家政服务",
    "电子商务",
    "供应链管理",
    "超市",
    "二手车经纪",
    "酒业",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "欧阳",
];
const GIVEN: &[&str] = &[
    "建", "军", "明", "华", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "杰",
    "涛", "超", "秀", "英", "俊", "峰", "霞", "平", "刚", "桂", "红", "玉", "志", "国",
];
const VIOLATIONS: &[&str] = &[
    "发行单用途预付卡未按规定办理备案",
    "未取得资质认定擅自从事报废机动车回收活动",
    "未按规定报送经营数据",
    "从事拍卖业务未按规定核实委托人身份",
    "典当业务中收当禁当财物",
    "二手车交易未按规定登记",
    "超范围经营成品油零售业务",
    "未按规定建立再生资源回收登记制度",
    "商业特许经营未按规定备案",
    "直销企业未按规定公开信息",
];

fn year_day(r: &mut Rng, from: i32, to: i32) -> Date {
    let year = from + i32::try_from(r.below(usize::try_from(to - from + 1).unwrap())).unwrap();
    Date::from_ordinal_date(year, u16::try_from(1 + r.below(360)).unwrap()).unwrap()
}

fn fill(r: &mut Rng, t: &str, form: &str) -> String {
    t.replace("{a}", r.pick(ACTIONS))
        .replace("{x}", r.pick(AREAS))
        .replace("{o}", r.pick(OBJECTS))
        .replace("{f}", form)
}

fn document(r: &mut Rng, id: i64) -> SearchDoc {
    let (issuer, abbr) = ISSUERS[r.below(ISSUERS.len())];
    let form = r.pick(FORMS);
    let from = year_day(r, 2012, 2026);
    let kind = match r.below(10) {
        0 => Kind::Law,
        1 => Kind::PowerItem,
        _ => Kind::Normative,
    };
    let title = format!(
        "关于{}{}{}的{form}",
        r.pick(ACTIONS),
        r.pick(AREAS),
        r.pick(OBJECTS)
    );
    let body: Vec<String> = (0..8 + r.below(10))
        .map(|_| {
            let t = r.pick(SENTENCES);
            fill(r, t, form)
        })
        .collect();
    let repealed = r.below(5) == 0;
    SearchDoc {
        key: kind.key(id),
        kind,
        title,
        body: body.concat(),
        number: format!("{abbr}〔{}〕{}号", from.year(), 1 + r.below(300)),
        parties: String::new(),
        issuer: issuer.into(),
        year: Some(from.year()),
        org_path: "/1/".into(),
        public: true,
        in_force_from: Some(from),
        in_force_to: repealed.then(|| from.saturating_add(time::Duration::days(1500))),
        ended_as: repealed.then(|| "已废止".into()),
        staff_url: format!("/app/docs/{id}"),
        public_url: Some(format!("/docs/{id}")),
    }
}

fn party(r: &mut Rng) -> String {
    if r.below(10) < 6 {
        format!(
            "郑州{}{}{}有限公司",
            r.pick(BRANDS),
            r.pick(BRANDS),
            r.pick(TRADES)
        )
    } else {
        let given: String = (0..1 + r.below(2)).map(|_| r.pick(GIVEN)).collect();
        format!("{}{given}", r.pick(SURNAMES))
    }
}

fn case(r: &mut Rng, id: i64, per_district: &mut [u32]) -> SearchDoc {
    let d = r.below(DISTRICTS.len());
    per_district[d] += 1;
    let year = 2020 + i32::try_from(r.below(7)).unwrap();
    let p = party(r);
    let v = r.pick(VIOLATIONS);
    SearchDoc {
        key: Kind::Case.key(id),
        kind: Kind::Case,
        title: format!("{p}：{v}"),
        body: format!("当事人：{p}。经查，当事人{v}，违反了有关规定，责令限期改正。"),
        number: format!("{}商立〔{year}〕{}号", DISTRICTS[d], per_district[d]),
        parties: p,
        issuer: format!("{}区商务局", DISTRICTS[d]),
        year: Some(year),
        org_path: format!("/1/{}/", d + 2),
        public: false,
        in_force_from: None,
        in_force_to: None,
        ended_as: None,
        staff_url: format!("/app/cases/{id}"),
        public_url: None,
    }
}

struct Args {
    docs: usize,
    cases: usize,
    engines: Vec<String>,
    postgres: String,
    dir: PathBuf,
    threads: usize,
    rounds: usize,
}

fn args() -> Args {
    let mut a = Args {
        docs: 100_000,
        cases: 1_000_000,
        engines: vec!["tantivy".into(), "fts5".into(), "postgres".into()],
        postgres: "postgres://postgres@127.0.0.1:5432/test".into(),
        dir: std::env::temp_dir().join("fazhi-search-bench"),
        threads: 32,
        rounds: 40,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    for pair in v.chunks(2) {
        let val = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--docs" => a.docs = val.parse().unwrap(),
            "--cases" => a.cases = val.parse().unwrap(),
            "--engines" => a.engines = val.split(',').map(str::to_string).collect(),
            "--postgres" => a.postgres = val,
            "--dir" => a.dir = val.into(),
            "--threads" => a.threads = val.parse().unwrap(),
            "--rounds" => a.rounds = val.parse().unwrap(),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        dir_size(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn mib(b: u64) -> String {
    format!("{:.0} MiB", b as f64 / 1_048_576.0)
}

/// Runs `rounds` rounds of every query from each of `threads` threads; returns the sorted
/// latencies and the matches each query found (from the first round).
fn run<F>(threads: usize, rounds: usize, queries: &[String], f: F) -> (Vec<Duration>, Vec<usize>)
where
    F: Fn(usize, &str) -> usize + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let queries = Arc::new(queries.to_vec());
    let counts = (0..queries.len()).map(|i| f(0, &queries[i])).collect();
    if threads == 1 {
        // Alone: each query's own time (the best of five).
        for q in queries.iter() {
            let best = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(f(0, q));
                    start.elapsed()
                })
                .min()
                .unwrap();
            println!("  {q}: {:.2} ms", best.as_secs_f64() * 1000.0);
        }
    }
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (f, queries) = (f.clone(), queries.clone());
            std::thread::spawn(move || {
                let mut times = Vec::new();
                for round in 0..rounds {
                    let q = &queries[(t + round) % queries.len()];
                    let start = Instant::now();
                    std::hint::black_box(f(t, q));
                    times.push(start.elapsed());
                }
                times
            })
        })
        .collect();
    let mut all: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    (all, counts)
}

fn pct(v: &[Duration], p: f64) -> String {
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    format!("{:.1} ms", v[i].as_secs_f64() * 1000.0)
}

fn report(engine: &str, wall: Duration, times: &[Duration], counts: &[usize]) {
    println!(
        "{engine}: {} queries in {:.1} s ({:.0}/s): p50 {}, p99 {}, max {}; matches per query {:?}",
        times.len(),
        wall.as_secs_f64(),
        times.len() as f64 / wall.as_secs_f64(),
        pct(times, 0.5),
        pct(times, 0.99),
        pct(times, 1.0),
        counts
    );
}

fn main() {
    let a = args();
    let today = date!(2026 - 11 - 28);
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let started = Instant::now();
    let docs: Vec<SearchDoc> = (0..a.docs)
        .map(|i| document(&mut r, i64::try_from(i).unwrap() + 1))
        .collect();
    let mut per = vec![0u32; DISTRICTS.len()];
    let cases: Vec<SearchDoc> = (0..a.cases)
        .map(|i| case(&mut r, i64::try_from(i).unwrap() + 1, &mut per))
        .collect();
    let bytes: usize = docs
        .iter()
        .chain(&cases)
        .map(|d| d.title.len() + d.body.len() + d.number.len() + d.parties.len())
        .sum();
    println!(
        "corpus: {} documents, {} cases, {} of text, generated in {:.1} s",
        docs.len(),
        cases.len(),
        mib(bytes as u64),
        started.elapsed().as_secs_f64()
    );
    // The queries: words of the documents, a document number, a case number, party names (a
    // company's name and a person's), all at least three characters (the trigram tokenizer).
    let mut queries: Vec<String> = [
        "公平竞争审查",
        "单用途预付卡",
        "报废机动车回收",
        "营商环境",
        "事中事后监管",
        "二手车交易",
        "跨境电商",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    queries.push(docs[docs.len() / 2].number.clone());
    queries.push(cases[cases.len() / 3].number.clone());
    let company = cases.iter().find(|c| c.parties.ends_with("公司")).unwrap();
    queries.push(
        company
            .parties
            .trim_start_matches("郑州")
            .chars()
            .take(4)
            .collect(),
    );
    let person = cases
        .iter()
        .find(|c| !c.parties.ends_with("公司") && c.parties.chars().count() == 3)
        .unwrap();
    queries.push(person.parties.clone());
    println!("queries: {queries:?}");

    for engine in &a.engines {
        match engine.as_str() {
            "tantivy" => tantivy(&a, &docs, &cases, &queries, today),
            "fts5" => fts5(&a, &docs, &cases, &queries),
            "postgres" => postgres(&a, &docs, &cases, &queries),
            other => panic!("unknown engine {other}"),
        }
    }
}

fn tantivy(a: &Args, docs: &[SearchDoc], cases: &[SearchDoc], queries: &[String], today: Date) {
    let dir = a.dir.join("tantivy");
    let _ = std::fs::remove_dir_all(&dir);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let index = SearchIndex::open_with(&dir, threads, 400_000_000).unwrap();
    let start = Instant::now();
    for chunk in docs.chunks(20_000).chain(cases.chunks(20_000)) {
        index.upsert(chunk).unwrap();
    }
    index.commit(1).unwrap();
    let took = start.elapsed();
    let n = docs.len() + cases.len();
    println!(
        "tantivy + jieba: indexed {n} in {:.1} s ({:.0} records/s, {threads} indexing threads); index {}",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        mib(dir_size(&dir))
    );
    let index = Arc::new(index);
    for (label, scope) in [
        (
            "tantivy (staff of all)",
            Scope::Staff {
                all: true,
                paths: Vec::new(),
            },
        ),
        (
            "tantivy (staff of one district)",
            Scope::Staff {
                all: false,
                paths: vec!["/1/2/".into()],
            },
        ),
    ] {
        let i = index.clone();
        let wall = Instant::now();
        let (times, counts) = run(a.threads, a.rounds, queries, move |_, q| {
            let mut query = Query::new(q, scope.clone());
            query.limit = 20;
            i.search(&query, today).unwrap().total
        });
        report(label, wall.elapsed(), &times, &counts);
    }
}

fn fts5(a: &Args, docs: &[SearchDoc], cases: &[SearchDoc], queries: &[String]) {
    std::fs::create_dir_all(&a.dir).unwrap();
    let path = a.dir.join("fts5.db");
    let _ = std::fs::remove_file(&path);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE VIRTUAL TABLE docs USING fts5(title, body, number, parties, tokenize = 'trigram');",
    )
    .unwrap();
    let start = Instant::now();
    c.execute_batch("BEGIN").unwrap();
    {
        let mut ins = c
            .prepare(
                "INSERT INTO docs (rowid, title, body, number, parties) VALUES (?, ?, ?, ?, ?)",
            )
            .unwrap();
        for (n, d) in docs.iter().chain(cases).enumerate() {
            ins.execute(rusqlite::params![
                i64::try_from(n).unwrap() + 1,
                d.title,
                d.body,
                d.number,
                d.parties
            ])
            .unwrap();
        }
    }
    c.execute_batch("COMMIT; INSERT INTO docs(docs) VALUES ('optimize');")
        .unwrap();
    let took = start.elapsed();
    let n = docs.len() + cases.len();
    drop(c);
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "SQLite FTS5 (trigram): indexed {n} in {:.1} s ({:.0} records/s); database {}",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        mib(size)
    );
    let conns: Vec<std::sync::Mutex<rusqlite::Connection>> = (0..a.threads)
        .map(|_| {
            std::sync::Mutex::new(
                rusqlite::Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .unwrap(),
            )
        })
        .collect();
    let wall = Instant::now();
    let (times, counts) = run(a.threads, a.rounds, queries, move |t, q| {
        let c = conns[t].lock().unwrap();
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        let total: i64 = c
            .prepare_cached("SELECT count(*) FROM docs WHERE docs MATCH ?")
            .unwrap()
            .query_row([&phrase], |r| r.get(0))
            .unwrap();
        let mut top = c
            .prepare_cached(
                "SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 20) FROM docs
                 WHERE docs MATCH ? ORDER BY rank LIMIT 20",
            )
            .unwrap();
        let rows: Vec<i64> = top
            .query_map([&phrase], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        std::hint::black_box(rows);
        usize::try_from(total).unwrap()
    });
    report("SQLite FTS5 (trigram)", wall.elapsed(), &times, &counts);
}

/// Character bigrams of the letters and digits of `text` (a single character alone).
fn bigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    let mut v: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    v.sort();
    v.dedup();
    v
}

fn postgres(a: &Args, docs: &[SearchDoc], cases: &[SearchDoc], queries: &[String]) {
    let mut c = postgres::Client::connect(&a.postgres, postgres::NoTls).unwrap();
    c.batch_execute(
        "DROP SCHEMA IF EXISTS search_bench CASCADE; CREATE SCHEMA search_bench;
         CREATE TABLE search_bench.docs (id BIGINT PRIMARY KEY, title TEXT, body TEXT,
             number TEXT, parties TEXT, tsv TSVECTOR);",
    )
    .unwrap();
    let start = Instant::now();
    let all: Vec<&SearchDoc> = docs.iter().chain(cases).collect();
    for (b, chunk) in all.chunks(5_000).enumerate() {
        let ids: Vec<i64> = (0..chunk.len())
            .map(|i| i64::try_from(b * 5_000 + i).unwrap() + 1)
            .collect();
        let col = |f: fn(&SearchDoc) -> &str| -> Vec<String> {
            chunk.iter().map(|d| f(d).to_string()).collect()
        };
        let lex: Vec<String> = chunk
            .iter()
            .map(|d| {
                bigrams(&format!(
                    "{} {} {} {}",
                    d.title, d.body, d.number, d.parties
                ))
                .join(" ")
            })
            .collect();
        c.execute(
            "INSERT INTO search_bench.docs (id, title, body, number, parties, tsv)
             SELECT i, t, b, n, p, array_to_tsvector(string_to_array(l, ' '))
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS u(i, t, b, n, p, l)",
            &[
                &ids,
                &col(|d| &d.title),
                &col(|d| &d.body),
                &col(|d| &d.number),
                &col(|d| &d.parties),
                &lex,
            ],
        )
        .unwrap();
    }
    c.batch_execute(
        "CREATE INDEX docs_tsv ON search_bench.docs USING GIN (tsv); ANALYZE search_bench.docs;",
    )
    .unwrap();
    let took = start.elapsed();
    let n = all.len();
    let size: i64 = c
        .query_one("SELECT pg_total_relation_size('search_bench.docs')", &[])
        .unwrap()
        .get(0);
    println!(
        "PostgreSQL (bigram tsvector, GIN): loaded and indexed {n} in {:.1} s ({:.0} records/s); table with indexes {}",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        mib(u64::try_from(size).unwrap())
    );
    let conns: Vec<std::sync::Mutex<postgres::Client>> = (0..a.threads)
        .map(|_| {
            std::sync::Mutex::new(postgres::Client::connect(&a.postgres, postgres::NoTls).unwrap())
        })
        .collect();
    let wall = Instant::now();
    let (times, counts) = run(a.threads, a.rounds, queries, move |t, q| {
        let mut c = conns[t].lock().unwrap();
        let query = bigrams(q)
            .iter()
            .map(|g| format!("'{g}'"))
            .collect::<Vec<_>>()
            .join(" & ");
        let total: i64 = c
            .query_one(
                "SELECT count(*) FROM search_bench.docs WHERE tsv @@ CAST($1::text AS tsquery)",
                &[&query],
            )
            .unwrap()
            .get(0);
        let rows = c
            .query(
                "SELECT id, title FROM search_bench.docs WHERE tsv @@ CAST($1::text AS tsquery)
                 ORDER BY ts_rank(tsv, CAST($1::text AS tsquery)) DESC LIMIT 20",
                &[&query],
            )
            .unwrap();
        std::hint::black_box(rows);
        usize::try_from(total).unwrap()
    });
    report(
        "PostgreSQL (bigram tsvector)",
        wall.elapsed(),
        &times,
        &counts,
    );
    let mut c = postgres::Client::connect(&a.postgres, postgres::NoTls).unwrap();
    c.batch_execute("DROP SCHEMA IF EXISTS search_bench CASCADE")
        .unwrap();
}
