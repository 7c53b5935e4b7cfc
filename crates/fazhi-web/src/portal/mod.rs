//! The public portal at `/`. It reads only publications (snapshots written at publish time,
//! already masked), never the internal tables, so nothing internal can leak through it.

pub mod lookup;
pub mod receipt;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fazhi_store::publication::{self, KIND_AUDIT_CHECKPOINT};

use crate::AppState;
use crate::capability::Capability;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/audit/checkpoints", get(checkpoints))
}

/// The public portal, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("菜单", "Menu"),
        ("权力运行公开", "How powers are used"),
        ("当事人查询", "For parties"),
        (
            "在线提出政府信息公开申请",
            "Request government information online",
        ),
        ("政府信息公开申请进度查询", "Information request status"),
        (
            "凭申请编号和查询码查询进度、提交补正材料、打印回执",
            "Status, supplements and receipt by tracking number and query code",
        ),
        (
            "行政许可等依申请事项的办理结果和统计",
            "Results and figures of licences and other applications",
        ),
        (
            "当事人凭事先告知书上的案号和查询码查询案件进度和已送达的文书",
            "Parties follow their case with the case number and query code in the notice",
        ),
        (
            "核验执法全过程记录未被改写",
            "Verify that the record was not rewritten",
        ),
        ("例如", "For example"),
        (
            "括号可用〔〕、[]、()、（）或【】，全角半角均可，空格不影响查询。",
            "Any brackets, full- or half-width, and spaces are accepted.",
        ),
        ("网上申请回执", "Application receipt"),
        ("政府信息公开申请回执", "Information request receipt"),
        ("打印回执", "Print receipt"),
        ("受理机关", "Authority"),
        ("提交的材料", "Materials submitted"),
        ("所需政府信息", "Information requested"),
        (
            "凭申请编号和查询码可在本平台随时查询办理进度。查询码是查询的唯一凭证，请妥善保存，不要告诉他人。",
            "Follow the progress here with the tracking number and query code. Keep the code safe and private.",
        ),
        (
            "也可使用浏览器的“打印”功能打印本页或另存为 PDF。",
            "You can also print this page or save it as PDF from the browser.",
        ),
        ("必需", "Required"),
        ("默克尔树根", "Merkle root"),
        ("算法", "Algorithm"),
        (
            "每个检查点是对审计链在某一时刻的条目数、链头哈希和全部条目的默克尔树根的电子签名，签名算法见“算法”一列。签名内容为以下五行文本（早期检查点没有树根，为四行）：",
            "Each checkpoint is a signature over the number of entries of the audit chain, its head hash and the Merkle root of all its entries at one moment; the Algorithm column names the signature algorithm. The signed text is these five lines (early checkpoints have no root: four lines):",
        ),
        (
            "持有数据库副本的任何一方都可以重新计算审计链，并用这里公布的公钥核验签名，从而证明记录未被改写。",
            "Anyone with a copy of the database can recompute the chain and check the signatures with the public keys published here, proving the records were not rewritten.",
        ),
        (
            "没有数据库的一方可以请求某条记录的包含证明或两个检查点之间的一致性证明，用以下命令核验：",
            "Without the database, ask for an inclusion proof of an entry or a consistency proof between two checkpoints and check it with:",
        ),
        ("证明文件", "proof file"),
    ],
    ..Capability::new("portal", routes)
};

struct CheckpointLine {
    seq: i64,
    at: String,
    head_hash: String,
    tree_root: String,
    alg: String,
    public_key: String,
    signature: String,
}

fn lines(items: Vec<publication::Publication>) -> Vec<CheckpointLine> {
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    items
        .into_iter()
        .map(|p| CheckpointLine {
            seq: p.body["seq"].as_i64().unwrap_or_default(),
            at: fmt_ms(p.body["at_ms"].as_i64().unwrap_or_default()),
            head_hash: text(&p.body, "head_hash"),
            tree_root: text(&p.body, "tree_root"),
            alg: p.body["sig_alg"]
                .as_str()
                .unwrap_or("ed25519")
                .to_ascii_uppercase(),
            public_key: text(&p.body, "public_key"),
            signature: text(&p.body, "signature"),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    c: Chrome,
    latest: Option<CheckpointLine>,
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let items = st
        .db(|s| s.read(|tx| publication::list(tx, KIND_AUDIT_CHECKPOINT, 1)))
        .await?;
    Ok(render(&HomePage {
        c: Chrome::portal(&ctx, "首页"),
        latest: lines(items).into_iter().next(),
    }))
}

#[derive(Template)]
#[template(path = "portal/checkpoints.html")]
struct CheckpointsPage {
    c: Chrome,
    items: Vec<CheckpointLine>,
}

async fn checkpoints(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let items = st
        .db(|s| s.read(|tx| publication::list(tx, KIND_AUDIT_CHECKPOINT, 200)))
        .await?;
    Ok(render(&CheckpointsPage {
        c: Chrome::portal(&ctx, "审计链签名检查点"),
        items: lines(items),
    }))
}
