//! `fazhi`: the one binary. `serve` runs the three faces; the other commands are for the people
//! who run the system (demo data, migrations, audit verification, backup and restore, org and
//! user set-up). CLI output is Chinese.

mod audit_cli;
mod backup;
mod config;
mod demo;
mod demo_cases;
mod demo_decisions;
mod demo_disputes;
mod demo_normative;
mod power_cli;
mod serve;
mod time_cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};
use fazhi_domain::audit::signing::SigAlg;
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::{Store, audit, auth};

use config::Config;

// glibc's allocator took a quarter of the server's CPU under load (many threads: the blocking
// pool and one runtime per PostgreSQL connection); mimalloc keeps per-thread heaps
// (BENCHMARKS.md, issue 5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "fazhi", version, about = "法治：郑州市商务局法治工作平台")]
struct Cli {
    /// Configuration file.
    #[arg(long, global = true, default_value = "fazhi.toml")]
    config: PathBuf,
    /// Data directory (SQLite database, files, signing key); overrides the configuration.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (staff UI /app, portal /, API /api/v1).
    Serve {
        /// Address to listen on (also FAZHI_BIND).
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo data first.
        #[arg(long)]
        demo: bool,
    },
    /// Load the demo data set (idempotent) and print the demo sign-ins.
    Demo,
    /// Apply pending database migrations.
    Migrate,
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the database and files into DIR (while the server runs).
    Backup { dir: PathBuf },
    /// Restore a backup from DIR into the (empty) data directory or database.
    Restore { dir: PathBuf },
    /// Orgs.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Procedure files.
    Procedures {
        #[command(subcommand)]
        command: ProceduresCommand,
    },
    /// Time limits.
    Limits {
        #[command(subcommand)]
        command: LimitsCommand,
    },
    /// Import data from a spreadsheet.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export data to a spreadsheet.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// The full-text search index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild this instance's index (DATA_DIR/search) from the database (server stopped).
    Rebuild,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import power-list items (XLSX or CSV, the columns of the export); all or nothing.
    PowerList {
        file: PathBuf,
        /// Why (recorded on each adjustment).
        #[arg(long)]
        reason: String,
        /// On what basis.
        #[arg(long)]
        basis: String,
        /// From when the items are in force (YYYY-MM-DD).
        #[arg(long)]
        effective: String,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Export the power list in force on a date (XLSX, or CSV if FILE ends in .csv).
    PowerList {
        file: PathBuf,
        /// The date (default today).
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// One line per day: YYYY-MM-DD<TAB>work|rest[<TAB>provisional].
    List {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// The due date of a period, and how it was worked out.
    Due {
        #[arg(long)]
        from: String,
        #[arg(long)]
        days: u32,
        /// Count working days.
        #[arg(
            long,
            conflicts_with = "calendar",
            required_unless_present = "calendar"
        )]
        working: bool,
        /// Count calendar days.
        #[arg(long)]
        calendar: bool,
    },
    /// Load or correct holiday notices from a file (same format as data/calendar/holidays.toml).
    Load { file: PathBuf },
}

#[derive(Subcommand)]
enum ProceduresCommand {
    /// Check every procedure file as start-up does.
    Check,
}

#[derive(Subcommand)]
enum LimitsCommand {
    /// Raise reminders and overdue alerts now (as of --today, default today in Beijing).
    Sweep {
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the whole chain; print count and head hash, or the first broken entry.
    Verify,
    /// Sign a checkpoint of the current head and publish it on the portal.
    Checkpoint,
    /// Print a proof as JSON: --seq N [--checkpoint M] that entry N is in the chain a checkpoint
    /// signs, or --from A --to B that checkpoint B's chain extends checkpoint A's.
    Prove {
        /// The entry to prove (its sequence number).
        #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present = "from")]
        seq: Option<i64>,
        /// The checkpoint to prove against (the entries it covers); default the latest.
        #[arg(long, requires = "seq")]
        checkpoint: Option<i64>,
        /// The earlier checkpoint of a consistency proof.
        #[arg(long, requires = "to")]
        from: Option<i64>,
        /// The later checkpoint of a consistency proof.
        #[arg(long, requires = "from")]
        to: Option<i64>,
    },
    /// Check a proof file with nothing but itself (no database is opened); with --public-key,
    /// its checkpoints must be signed by that key (as published on the portal).
    CheckProof {
        /// The proof file (JSON, as `audit prove` prints it).
        file: PathBuf,
        /// The expected ed25519 public key, hex.
        #[arg(long)]
        public_key: Option<String>,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an org (the root when --parent is omitted).
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// bureau, division, affiliated, county_bureau or unit.
        #[arg(long)]
        kind: String,
        /// The parent's code.
        #[arg(long)]
        parent: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user with one role; the password is read from FAZHI_NEW_PASSWORD or standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// The org's code.
        #[arg(long)]
        org: String,
        /// admin, leader, division_head, officer, legal_reviewer, legal_division, clerk, advisor.
        #[arg(long)]
        role: String,
    },
}

pub(crate) fn open(config: &Config) -> Result<Store, String> {
    let store = match &config.database_url {
        Some(url) if url.starts_with("postgres") => {
            Store::open_postgres(url, None).map_err(|e| format!("无法连接 PostgreSQL：{e}"))?
        }
        Some(other) => {
            return Err(format!(
                "不支持的数据库地址：{}（应以 postgres:// 开头）",
                redact(other)
            ));
        }
        None => {
            fazhi_store::files::private_dir(&config.data_dir)
                .and_then(|()| fazhi_store::files::private_dir(&config.data_dir.join("files")))
                .map_err(|e| format!("无法创建数据目录 {}：{e}", config.data_dir.display()))?;
            Store::open_sqlite(&config.data_dir.join("fazhi.db"))
                .map_err(|e| format!("无法打开数据库：{e}"))?
        }
    };
    store
        .migrate()
        .map_err(|e| format!("数据库迁移失败：{e}"))?;
    if audit::use_hash_algorithm(&store, config.hash_algorithm()?)
        .map_err(|e| format!("无法设置审计链的哈希算法：{e}"))?
    {
        tracing::warn!(
            alg = %config.audit_hash_algorithm,
            "audit chain hash algorithm changed"
        );
    }
    Ok(store)
}

fn redact(url: &str) -> String {
    url.split('@').next_back().unwrap_or("").to_string()
}

pub(crate) fn print_sign_ins(password: &str, lines: &[demo::SignInLine]) {
    println!("演示账号（密码均为 {password}）：");
    println!("{:<14} {:<8} {:<24} 单位", "用户名", "姓名", "角色");
    for l in lines {
        println!("{:<16} {:<8} {:<24} {}", l.username, l.name, l.roles, l.org);
    }
}

pub(crate) fn checkpoint_now(store: &Store, data_dir: &Path, alg: SigAlg) {
    match audit::load_or_create_signer(data_dir, alg)
        .and_then(|k| audit::checkpoint_with(store, &k))
    {
        Ok(Some(cp)) => tracing::info!(seq = cp.seq, "audit checkpoint signed"),
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
    }
}

fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("FAZHI_NEW_PASSWORD") {
        return Ok(p);
    }
    eprintln!("请输入新用户的密码，回车结束：");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let mut config = Config::load(&cli.config)?;
    if let Some(d) = cli.data_dir {
        config.data_dir = d;
    }
    match cli.command {
        Command::Serve { bind, demo } => {
            if let Some(b) = bind {
                config.bind = b;
            }
            let started = Instant::now();
            let prepared = serve::prepare_serve(&config, demo)?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(serve::serve(config, prepared, started))?;
            // Everything is committed and the last checkpoint signed. Leave without dropping the
            // runtime: its background tasks hold PostgreSQL clients, whose drop would start a
            // runtime inside the runtime being shut down and abort the process.
            use std::io::Write;
            let _ = std::io::stdout().flush();
            std::process::exit(0);
        }
        Command::Demo => {
            let store = open(&config)?;
            let cal = time_cli::prepare_calendar(&store)?;
            time_cli::prepare_benchmarks(&store)?;
            let procedures = time_cli::prepare_procedures(&store, &config.procedures_dir)?;
            let (password, lines) =
                demo::load(&store, &procedures, &cal, &config.data_dir.join("files"))?;
            time_cli::prepare_laws(&store, &procedures)?;
            checkpoint_now(&store, &config.data_dir, config.signature_algorithm()?);
            print_sign_ins(&password, &lines);
        }
        Command::Migrate => {
            let store = open(&config)?;
            println!(
                "数据库结构已是最新版本。{}",
                if store.is_migrated().unwrap_or(false) {
                    ""
                } else {
                    "（仍有未完成的迁移）"
                }
            );
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open(&config)?;
            match audit::verify(&store).map_err(|e| e.to_string())? {
                Ok(v) => println!("审计链完整：共 {} 条，链头哈希 {}", v.count, v.head),
                Err(b) => {
                    println!("审计链已损坏：{b}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Audit {
            command: AuditCommand::Checkpoint,
        } => {
            let store = open(&config)?;
            let key = audit::load_or_create_signer(&config.data_dir, config.signature_algorithm()?)
                .map_err(|e| e.to_string())?;
            match audit::checkpoint_with(&store, &key).map_err(|e| e.to_string())? {
                Some(cp) => println!("已签署检查点：第 {} 条，链头哈希 {}", cp.seq, cp.head_hash),
                None => println!("审计链自上一检查点以来没有变化，无需签署。"),
            }
        }
        Command::Audit {
            command:
                AuditCommand::Prove {
                    seq,
                    checkpoint,
                    from,
                    to,
                },
        } => {
            let store = open(&config)?;
            println!(
                "{}",
                audit_cli::prove(&store, seq, checkpoint, from.zip(to))?
            );
        }
        Command::Audit {
            command: AuditCommand::CheckProof { file, public_key },
        } => match audit_cli::check_proof(&file, public_key.as_deref()) {
            Ok(msg) => println!("{msg}"),
            Err(msg) => {
                println!("{msg}");
                return Ok(ExitCode::from(1));
            }
        },
        Command::Backup { dir } => {
            let store = open(&config)?;
            let summary = backup::backup(&store, &config, &dir)?;
            println!("{summary}");
        }
        Command::Restore { dir } => {
            let summary = backup::restore(&config, &dir)?;
            println!("{summary}");
        }
        Command::Org {
            command:
                OrgCommand::Add {
                    code,
                    name,
                    kind,
                    parent,
                },
        } => {
            let store = open(&config)?;
            let kind = fazhi_domain::org::OrgKind::parse(&kind)
                .ok_or(format!("未知的单位类型：{kind}"))?;
            let code =
                fazhi_domain::validate::code("code", "单位代码", &code).map_err(|e| e.message)?;
            let name = fazhi_domain::validate::text("name", "单位名称", &name, 2, 60)
                .map_err(|e| e.message)?;
            let id = store
                .write(|tx| {
                    let parent_id = match &parent {
                        Some(p) => Some(
                            org::get_org_by_code(tx, p)?
                                .ok_or(fazhi_store::StoreError::NotFound("上级单位"))?
                                .id,
                        ),
                        None => None,
                    };
                    org::create_org(
                        tx,
                        By::System,
                        &NewOrg {
                            parent_id,
                            code,
                            name,
                            kind,
                            sort_order: 0,
                        },
                    )
                })
                .map_err(|e| e.to_string())?;
            println!("已新建单位，编号 {id}");
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    name,
                    org: org_code,
                    role,
                },
        } => {
            let store = open(&config)?;
            let role =
                fazhi_domain::org::Role::parse(&role).ok_or(format!("未知的角色：{role}"))?;
            let username =
                fazhi_domain::validate::username("username", &username).map_err(|e| e.message)?;
            let name = fazhi_domain::validate::text("name", "姓名", &name, 2, 30)
                .map_err(|e| e.message)?;
            let password =
                fazhi_domain::validate::password_of("password", &read_password()?, &username)
                    .map_err(|e| e.message)?;
            let hash = auth::hash_password(&password).map_err(|e| e.to_string())?;
            let id = store
                .write(|tx| {
                    let o = org::get_org_by_code(tx, &org_code)?
                        .ok_or(fazhi_store::StoreError::NotFound("该单位"))?;
                    let id = org::create_user(
                        tx,
                        By::System,
                        &NewUser {
                            username,
                            display_name: name,
                            org_id: o.id,
                            password_hash: hash,
                        },
                    )?;
                    org::grant_role(tx, By::System, id, 1, o.id, role)?;
                    Ok(id)
                })
                .map_err(|e| match e {
                    fazhi_store::StoreError::Invalid(f) => f
                        .iter()
                        .map(|x| x.message.clone())
                        .collect::<Vec<_>>()
                        .join("；"),
                    e => e.to_string(),
                })?;
            println!("已新建用户，编号 {id}");
        }
        Command::Calendar { command } => {
            let store = open(&config)?;
            let cal = time_cli::prepare_calendar(&store)?;
            let out = match command {
                CalendarCommand::List { from, to } => time_cli::list(&cal, &from, &to)?,
                CalendarCommand::Due {
                    from,
                    days,
                    calendar,
                    ..
                } => {
                    let count = if calendar {
                        fazhi_domain::time_limit::Count::Calendar
                    } else {
                        fazhi_domain::time_limit::Count::Working
                    };
                    time_cli::due(&cal, &from, days, count)?
                }
                CalendarCommand::Load { file } => {
                    time_cli::load(&store, &file, config.due_soon_working_days)? + "\n"
                }
            };
            print!("{out}");
        }
        Command::Procedures {
            command: ProceduresCommand::Check,
        } => {
            let store = open(&config).ok();
            match time_cli::check_procedures(store.as_ref(), &config.procedures_dir) {
                Ok(out) => println!("{out}"),
                Err(e) => {
                    println!("{e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Import {
            command:
                ImportCommand::PowerList {
                    file,
                    reason,
                    basis,
                    effective,
                },
        } => {
            let store = open(&config)?;
            println!(
                "{}",
                power_cli::import(&store, &file, &reason, &basis, &effective)?
            );
        }
        Command::Export {
            command: ExportCommand::PowerList { file, as_of },
        } => {
            let store = open(&config)?;
            println!("{}", power_cli::export(&store, &file, as_of.as_deref())?);
        }
        Command::Search {
            command: SearchCommand::Rebuild,
        } => {
            let store = Arc::new(open(&config)?);
            let dir = config.data_dir.join("search");
            let started = Instant::now();
            let n =
                fazhi_web::search::Indexer::rebuild_in(store, &dir).map_err(|e| e.to_string())?;
            println!(
                "检索索引已重建：{} 个文档，用时 {} 毫秒（{}）。",
                n,
                started.elapsed().as_millis(),
                dir.display()
            );
        }
        Command::Limits {
            command: LimitsCommand::Sweep { today },
        } => {
            let store = open(&config)?;
            time_cli::prepare_calendar(&store)?;
            let today = time_cli::today_arg(today.as_deref())?;
            let r = time_cli::sweep(&store, today, config.due_soon_working_days)?;
            println!(
                "截至 {}：检查 {} 个临近或已过期限，发出到期提醒 {} 条、逾期预警 {} 条。",
                fazhi_domain::calendar::fmt_date(today),
                r.examined,
                r.reminded,
                r.alerted
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_max_level(match std::env::var("FAZHI_LOG").as_deref() {
            Ok("debug") => tracing::Level::DEBUG,
            Ok("warn") => tracing::Level::WARN,
            _ => tracing::Level::INFO,
        })
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}
