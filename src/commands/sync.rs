//! `syndicator sync`: poll every channel once, write stubs, print one line per stub written
//! or updated (stdout) and a summary (stderr), exit.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use super::{Outcome, UsageError, load_template, open_store, prepare_site};
use crate::config::Config;
use crate::pipeline::{self, Ctx, SyncReport};
use crate::store::Store;

/// The flags of `sync`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Print what would be written; write nothing.
    pub dry_run: bool,
    /// Only this channel.
    pub only: Option<String>,
    /// Poll sources that are backing off.
    pub force: bool,
}

pub async fn run(config: Config, options: Options) -> anyhow::Result<Outcome> {
    let Options { dry_run, only, force } = options;
    if let Some(id) = &only {
        if config.channel(id).is_none() {
            let message = format!("no channel \"{id}\" in the config; `syndicator check` lists them");
            return Err(UsageError(message).into());
        }
    }
    prepare_site(&config, dry_run)?;
    let store = match dry_run && !config.store.path.exists() {
        true => Arc::new(Store::temporary()?),
        false => open_store(&config)?,
    };
    let template = load_template(&config)?;
    let mut ctx = Ctx::new(Arc::new(config), store, template, dry_run)?;
    ctx.force = force;
    Ok(sync_with(&ctx, only.as_deref()).await)
}

/// Syncs every channel of `ctx` (or only `only`), prints the plan of a dry run or the stubs
/// written, rebuilds the feeds into `ctx.outputs`, delivers the notifications that are due
/// (a failed delivery is retried by a later run and never fails the sync), waits a bounded
/// time for WebSub pings, and logs the summary.
pub async fn sync_with(ctx: &Ctx, only: Option<&str>) -> Outcome {
    let total = ctx.config.channels.iter().filter(|c| only.is_none_or(|id| c.id() == id)).count();
    crate::git::before_run(ctx).await;
    let progress = progress_bar(total as u64);
    let report = pipeline::sync_all(ctx, only, |channel| {
        progress.set_message(channel.channel.clone());
        progress.inc(1);
    })
    .await;
    progress.finish_and_clear();
    let delivered_ok = if ctx.dry_run {
        print_plan(ctx, &report);
        true
    } else {
        print_written(ctx, &report);
        let feeds_ok = rebuild_feeds(ctx);
        let git_ok = crate::git::after_run(ctx, &report.channels).await;
        crate::notify::deliver(ctx).await;
        pipeline::off_the_async_workers(|| ctx.outputs.settle());
        feeds_ok && git_ok
    };
    log_summary(&report, total);
    if report.failures() == 0 && delivered_ok { Outcome::Ok } else { Outcome::SomeFailed }
}

/// Rebuilds the feeds after a sync; a failure is logged (the stubs are already safe) and
/// makes the sync exit 2.
fn rebuild_feeds(ctx: &Ctx) -> bool {
    match crate::feeds::rebuild(&ctx.config, &ctx.store, &ctx.outputs) {
        Ok(delivery) => delivery.log(),
        Err(e) => {
            tracing::error!("cannot rebuild the feeds: {e:#}");
            false
        }
    }
}

/// A progress bar on a terminal; hidden when stderr is not a TTY.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{spinner} syncing [{bar:30}] {pos}/{len} {msg}")
        .expect("the progress template is valid")
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// One line per stub written or updated: `wrote <path>` / `updated <path>`, then `wrote <path>`
/// per file written into a page bundle (its cover …) or beside a stub (its transcript), each path relative
/// to the site root (`content/<section>/…`), so it can be handed to `git add` there.
fn print_written(ctx: &Ctx, report: &SyncReport) {
    let shown = |name: &str| ctx.config.site_relative(name);
    for channel in &report.channels {
        channel.stubs.iter().for_each(|(name, _)| println!("wrote {}", shown(name)));
        channel.updated.iter().for_each(|(name, _)| println!("updated {}", shown(name)));
        channel.resources.iter().for_each(|name| println!("wrote {}", shown(name)));
        channel.transcripts.iter().for_each(|path| println!("wrote {path}"));
    }
}

fn print_plan(ctx: &Ctx, report: &SyncReport) {
    let shown = |name: &str| ctx.section.path().join(name).display().to_string();
    for channel in &report.channels {
        for (name, text) in &channel.stubs {
            println!("would write {}", shown(name));
            println!("{text}");
        }
        for (name, text) in &channel.updated {
            println!("would update {}", shown(name));
            println!("{text}");
        }
    }
    if report.stubs_written() + report.stubs_updated() == 0 {
        println!("nothing to write");
    }
}

fn log_summary(report: &SyncReport, channels: usize) {
    tracing::info!(
        channels,
        new_episodes = report.new_episodes(),
        held_back_by_backfill = report.held_back(),
        stubs_written = report.stubs_written(),
        stubs_updated = report.stubs_updated(),
        failures = report.failures(),
        elapsed_ms = report.elapsed.as_millis() as u64,
        "sync finished"
    );
}
