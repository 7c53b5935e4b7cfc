//! `fazhi serve`: what is prepared before the server runs (synchronously: the database clients
//! block), the server with its background sweeper, and its graceful shutdown.

use std::sync::Arc;
use std::time::Instant;

use fazhi_store::{Store, audit};

use crate::config::Config;
use crate::{checkpoint_now, demo, open, print_sign_ins, time_cli};

/// Everything before the server runs is synchronous (the database clients block), so it happens
/// before the async runtime starts.
pub(crate) fn prepare_serve(
    config: &Config,
    with_demo: bool,
) -> Result<(Store, fazhi_domain::procedure::Registry), String> {
    let store = open(config)?;
    time_cli::prepare_calendar(&store)?;
    time_cli::prepare_benchmarks(&store)?;
    let procedures = time_cli::prepare_procedures(&store, &config.procedures_dir)?;
    fazhi_store::files::private_dir(&config.data_dir).map_err(|e| e.to_string())?;
    // Created on first start; signs checkpoints from then on.
    audit::load_or_create_signer(&config.data_dir, config.signature_algorithm()?)
        .map_err(|e| e.to_string())?;
    if with_demo {
        let cal = store
            .read(fazhi_store::calendar::load)
            .map_err(|e| e.to_string())?;
        let (password, lines) =
            demo::load(&store, &procedures, &cal, &config.data_dir.join("files"))?;
        print_sign_ins(&password, &lines);
    }
    time_cli::prepare_laws(&store, &procedures)?;
    let users = store
        .read(|tx| {
            tx.query_opt("SELECT COUNT(*) FROM users", &[])?
                .map_or(Ok(0), |r| r.i64(0))
        })
        .map_err(|e| e.to_string())?;
    if users == 0 {
        println!(
            "数据库中还没有用户：运行 `fazhi demo` 载入演示数据，或用 `fazhi org add` 与 `fazhi user add` 建立单位和管理员。"
        );
    }
    Ok((store, procedures))
}

pub(crate) async fn serve(
    config: Config,
    (store, procedures): (Store, fazhi_domain::procedure::Registry),
    started: Instant,
) -> Result<(), String> {
    let store = Arc::new(store);
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .map_err(|e| format!("无法监听 {}：{e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let settings = fazhi_web::Settings {
        secure_cookies: config.secure_cookies,
        behind_https: config.behind_https,
        client_address_header: config.client_address_header.clone(),
        limits: fazhi_web::security::SubmissionLimits {
            per_address_per_hour: config.portal_submissions_per_address_per_hour,
            per_address_per_minute: config.portal_submissions_per_address_per_minute,
            all_per_minute: config.portal_submissions_per_minute,
            pending_upload_bytes: config.portal_pending_upload_mb.saturating_mul(1024 * 1024),
        },
        body_limit: config.body_limit,
        due_soon_working_days: config.due_soon_working_days,
        files_dir: config.data_dir.join("files"),
        database_concurrency: config.database_concurrency,
        search_dir: Some(config.data_dir.join("search")),
        sessions: config.session_policy(),
    };
    let rules = time_cli::load_rules(&config.enforcement_rules)?;
    let normative_rules = time_cli::load_normative_rules(&config.normative_rules)?;
    let decision_rules = time_cli::load_decision_rules(&config.decision_rules)?;
    if config.clock_offset_days != 0 {
        fazhi_web::set_clock_offset_days(config.clock_offset_days);
        tracing::warn!(
            days = config.clock_offset_days,
            "clock offset set: training or test instance only"
        );
        println!(
            "注意：本实例的日期调整了 {} 天（今天按 {} 计），仅用于培训和验收测试。",
            config.clock_offset_days,
            fazhi_domain::calendar::fmt_date(fazhi_web::today())
        );
    }
    let s = store.clone();
    let state =
        tokio::task::spawn_blocking(move || fazhi_web::AppState::new(s, settings, procedures))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?
            .with_rules(rules)
            .with_normative_rules(normative_rules)
            .with_decision_rules(decision_rules);
    spawn_sweeper(&state, config.sweep_interval_s.max(5));
    fazhi_web::search::indexer::spawn(&state);
    {
        let (store, dir, every) = (
            store.clone(),
            config.data_dir.clone(),
            config.checkpoint_interval_s.max(10),
        );
        let alg = config.signature_algorithm()?;
        tokio::spawn(async move {
            loop {
                let (s, d) = (store.clone(), dir.clone());
                let _ = tokio::task::spawn_blocking(move || checkpoint_now(&s, &d, alg)).await;
                tokio::time::sleep(std::time::Duration::from_secs(every)).await;
            }
        });
    }
    println!(
        "fazhi 已启动：http://{addr}/app （公众门户 http://{addr}/ ，接口 http://{addr}/api/v1/openapi.json ）"
    );
    println!("启动用时 {} 毫秒", started.elapsed().as_millis());
    let app =
        fazhi_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    let alg = config.signature_algorithm()?;
    let _ =
        tokio::task::spawn_blocking(move || checkpoint_now(&store, &config.data_dir, alg)).await;
    Ok(())
}

/// Sweeps the time limits every `every` seconds, in one instance at a time (a lease in the
/// database), raising reminders and overdue alerts.
fn spawn_sweeper(state: &fazhi_web::AppState, every: u64) {
    let mut id = [0u8; 8];
    let _ = getrandom::fill(&mut id);
    let holder = format!("{}-{}", std::process::id(), hex::encode(id));
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(every)).await;
            let (store, cal, warn, holder) = (
                state.store.clone(),
                state.calendar(),
                state.settings.due_soon_working_days,
                holder.clone(),
            );
            let ttl = i64::try_from(every * 3000).unwrap_or(i64::MAX);
            let r = tokio::task::spawn_blocking(move || {
                // Every instance re-reads the calendar, so a notice loaded through another
                // instance reaches this one within one interval.
                let fresh = store.read(fazhi_store::calendar::load)?;
                let changed = !fresh.notices().eq(cal.notices());
                let report = if fazhi_store::time_limit::take_lease(
                    &store,
                    "time_limit_sweep",
                    &holder,
                    ttl,
                )? {
                    // 30 days' notice before a certificate expires, once per certificate.
                    fazhi_store::certificate::remind_expiring(&store, fazhi_web::today(), 30)?;
                    Some(fazhi_store::time_limit::sweep(
                        &store,
                        &fresh,
                        fazhi_web::today(),
                        warn,
                        |l| fazhi_web::work::subject_link(&l.subject_type, l.subject_id),
                    )?)
                } else {
                    None
                };
                Ok::<_, fazhi_store::StoreError>((changed.then_some(fresh), report))
            })
            .await;
            match r {
                Ok(Ok((fresh, report))) => {
                    if let Some(c) = fresh {
                        tracing::info!("holiday notices changed: calendar reloaded");
                        state.reload_calendar(c);
                    }
                    if let Some(report) = report.filter(|r| r.reminded + r.alerted > 0) {
                        tracing::info!(?report, "time limits swept");
                    }
                }
                Ok(Err(e)) => tracing::error!(error = %e, "time limit sweep failed"),
                Err(e) => tracing::error!(error = %e, "time limit sweep task failed"),
            }
        }
    });
}

/// Ctrl-C or SIGTERM (how service managers stop a process) ends serving gracefully.
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
