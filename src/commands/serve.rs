//! `syndicator serve`: the scheduler and the HTTP server in one process, until SIGTERM/SIGINT;
//! SIGHUP reloads the config (validated first; on error the running one is kept).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{container, load_template, open_store, prepare_site};
use crate::config::{Config, ListenAddress};
use crate::daemon::{Daemon, DaemonControl, SHUTDOWN_GRACE, Signal, Signals};
use crate::pipeline::Ctx;
use crate::scheduler;
use crate::server::{self, PageSettings, ServerState, StatusPage};

/// The environment variable holding the admin API's bearer token.
pub const ADMIN_TOKEN_VAR: &str = "SYNDICATOR_ADMIN_TOKEN";

pub async fn run(config: Config, config_path: &Path) -> anyhow::Result<()> {
    let mut signals = Signals::install().context("cannot install signal handlers")?;
    prepare_site(&config, false)?;
    if let Some(problem) =
        container::loopback_problem(config.server.listen.as_str(), container::in_container())
    {
        tracing::warn!("{problem}");
    }
    let store = open_store(&config)?;
    let template = load_template(&config)?;
    let ctx = Ctx::new(Arc::new(config), store, template, false)?;
    if let Err(e) = ctx.section.remove_stale_temp_files() {
        tracing::warn!("cannot clean {}: {e}", ctx.section.path().display());
    }
    let daemon = Daemon::new(ctx, config_path.to_owned(), scheduler::system_clock());
    daemon.rebuild_feeds();
    let listener = bind(&daemon.ctx().config.server.listen).await?;
    let (stop_server, server_stopped) = watch::channel(false);
    let server = tokio::spawn(server::serve(listener, server_state(&daemon), wait_true(server_stopped)));
    for channel in &daemon.ctx().config.channels {
        daemon.spawn_run(channel.id().to_owned());
    }
    let stopping = run_schedules_until_stopped(&daemon, &mut signals, &stop_server).await;
    if !daemon.finish_on_demand_runs(SHUTDOWN_GRACE.saturating_sub(stopping.elapsed())).await {
        tracing::warn!("on-demand runs did not finish in {SHUTDOWN_GRACE:?}; stopping them");
    }
    server.await.context("the HTTP server task failed")??;
    daemon.ctx().store.flush()?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs the schedules, restarting them with a new context on every valid SIGHUP, until
/// SIGTERM/SIGINT, which at once stops the server accepting and refuses new on-demand runs;
/// returns when stopping began (in-flight scheduled runs have had their grace period).
async fn run_schedules_until_stopped(
    daemon: &Arc<Daemon>,
    signals: &mut Signals,
    stop_server: &watch::Sender<bool>,
) -> Instant {
    loop {
        let (stop_schedules, schedules_stopped) = watch::channel(false);
        let runner = daemon.clone();
        let schedules = tokio::spawn(async move { runner.run_schedules(schedules_stopped).await });
        let reload = next_reload_or_stop(daemon, signals).await;
        let stopping = Instant::now();
        if reload.is_none() {
            daemon.begin_shutdown();
            let _ = stop_server.send(true);
        }
        let _ = stop_schedules.send(true);
        finish_within_grace(schedules).await;
        let Some(ctx) = reload else { return stopping };
        daemon.set_ctx(ctx);
        daemon.rebuild_feeds();
        tracing::info!("config reloaded from {}", daemon.config_path.display());
    }
}

/// Waits for SIGHUP with a valid config (`Some`) or SIGTERM/SIGINT (`None`); an invalid
/// config is logged and the running one kept.
async fn next_reload_or_stop(daemon: &Daemon, signals: &mut Signals) -> Option<Ctx> {
    loop {
        match signals.next().await {
            Signal::Stop => return None,
            Signal::Reload => match reload(daemon) {
                Ok(ctx) => return Some(ctx),
                Err(e) => tracing::error!("config not reloaded, the running one is kept: {e:#}"),
            },
        }
    }
}

/// Lets the schedules' in-flight runs finish for up to [`SHUTDOWN_GRACE`], then stops them.
async fn finish_within_grace(mut schedules: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(SHUTDOWN_GRACE, &mut schedules).await.is_err() {
        tracing::warn!("in-flight runs did not finish in {SHUTDOWN_GRACE:?}; stopping them");
        schedules.abort();
    }
}

/// A new context from the config file, sharing the open store; errors leave things as they are.
fn reload(daemon: &Daemon) -> anyhow::Result<Ctx> {
    let config = Config::load(&daemon.config_path)?;
    prepare_site(&config, false)?;
    let current = daemon.ctx();
    if config.store.path != current.config.store.path {
        anyhow::bail!("[store] path changed; restart syndicator to use another store");
    }
    if config.server.listen != current.config.server.listen
        || config.server.cache_max_age != current.config.server.cache_max_age
    {
        tracing::warn!("[server] changed; it takes effect on restart");
    }
    let template = load_template(&config)?;
    let mut ctx = Ctx::new(Arc::new(config), current.store.clone(), template, false)?;
    ctx.metrics = current.metrics.clone();
    Ok(ctx)
}

fn server_state(daemon: &Arc<Daemon>) -> Arc<ServerState> {
    let ctx = daemon.ctx();
    let admin_token = std::env::var(ADMIN_TOKEN_VAR).ok().filter(|t| !t.is_empty());
    if admin_token.is_none() {
        tracing::info!("{ADMIN_TOKEN_VAR} is not set: the admin API and the status page are off");
    }
    Arc::new(ServerState {
        feeds: daemon.feeds.clone(),
        metrics: ctx.metrics.clone(),
        admin_token,
        control: Arc::new(DaemonControl(daemon.clone())),
        max_age: ctx.config.server.cache_max_age.get() as u32,
        status_page: StatusPage::new(PageSettings {
            language: ctx.config.site.language,
            timezone: ctx.config.site.timezone.0,
            site_title: ctx.config.site.title.clone(),
            public_url: ctx
                .config
                .server
                .public_url
                .as_ref()
                .and_then(|url| url::Url::parse(url.as_str()).ok()),
        }),
    })
}

/// Binds `listen`; logs the address.
async fn bind(listen: &ListenAddress) -> anyhow::Result<tokio::net::TcpListener> {
    let address = listen.bind_address();
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address} ([server] listen)"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    Ok(listener)
}

async fn wait_true(mut flag: watch::Receiver<bool>) {
    let _ = flag.wait_for(|set| *set).await;
}
