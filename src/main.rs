//! The `syndicator` binary: parse arguments, set up logging, run a command, map the result to
//! an exit code (0 ok, 2 some source failed, 3 configuration error, 64 usage error, 1 anything
//! else).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use syndicator::cli::{Cli, Command, LogFormat, OpmlAction};
use syndicator::commands::{self, Outcome, UsageError};
use syndicator::config::{Config, ConfigError};

/// The exit code of a usage error (sysexits' `EX_USAGE`): clap's own default, 2, means "a
/// source failed" here.
const USAGE: u8 = 64;

fn main() -> ExitCode {
    fix_malloc_mmap_threshold();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    init_tracing(cli.log_format);
    match run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::SomeFailed) => ExitCode::from(2),
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Prints clap's message (`--help` and `--version` to stdout, exit 0; a real usage error to
/// stderr, exit [`USAGE`]).
fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    match error.use_stderr() {
        true => ExitCode::from(USAGE),
        false => ExitCode::SUCCESS,
    }
}

fn exit_code(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<ConfigError>().is_some() {
        3
    } else if error.downcast_ref::<UsageError>().is_some() {
        USAGE
    } else {
        1
    }
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let load = || Config::load(&cli.config);
    match cli.command {
        Command::Init { site, force } => {
            commands::init::run(&cli.config, site.as_deref(), force).map(|()| Outcome::Ok)
        }
        Command::Sync { dry_run, channel, force } => {
            let options = commands::sync::Options { dry_run, only: channel, force };
            one_shot_runtime()?.block_on(commands::sync::run(load()?, options))
        }
        Command::Add { urls, id, name, channel, dry_run } => {
            let options = commands::add::Options { urls, id, name, channel, dry_run };
            runtime()?.block_on(commands::add::run(&cli.config, options)).map(|()| Outcome::Ok)
        }
        Command::Opml { action: OpmlAction::Export } => {
            print!("{}", commands::opml::export(&load()?));
            Ok(Outcome::Ok)
        }
        Command::Opml { action: OpmlAction::Import { file, dry_run } } => {
            runtime()?.block_on(commands::opml::import(&cli.config, &file, dry_run))
        }
        Command::Check => commands::check::run(&load()?).map(|()| Outcome::Ok),
        Command::Status { channel, episodes, json } => {
            let options = commands::status::Options { channel, episodes, json };
            commands::status::run(&load()?, &options).map(|()| Outcome::Ok)
        }
        Command::Link { target, copy } => commands::fix::link(&load()?, &target, &copy).map(|()| Outcome::Ok),
        Command::Unlink { episode, platform } => {
            commands::fix::unlink(&load()?, &episode, platform.into()).map(|()| Outcome::Ok)
        }
        Command::Forget { episode } => commands::fix::forget(&load()?, &episode).map(|()| Outcome::Ok),
        Command::Feeds => commands::feeds::run(&load()?).map(|()| Outcome::Ok),
        Command::Serve => {
            runtime()?.block_on(commands::serve::run(load()?, &cli.config)).map(|()| Outcome::Ok)
        }
        Command::Healthcheck => {
            runtime()?.block_on(commands::healthcheck::run(&load()?)).map(|()| Outcome::Ok)
        }
        Command::Completions { shell } => {
            Ok(commands::completions::write(shell, &mut std::io::stdout()).map(|()| Outcome::Ok)?)
        }
        Command::Man => Ok(commands::man::write(&mut std::io::stdout()).map(|()| Outcome::Ok)?),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}

/// The runtime of a one-shot `sync`: one thread. Its channels are polled by one task anyway,
/// and with worker threads every response crossed threads on its way to that task (a cold
/// 1,000-channel sync takes 3–20 % less CPU without them, see BENCHMARKS.md); blocking work
/// still goes to tokio's blocking pool. `serve` keeps worker threads: it answers readers
/// while it syncs.
fn one_shot_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

/// glibc's malloc raises its mmap threshold whenever a large block is freed; from then on,
/// blocks of that size come from the heap, and the holes they leave stay resident. The
/// blocks that fragmented are 512 KiB to 1 MiB (likely sled's 512 KiB segment buffers): a
/// cold 1,000-channel sync on 100 hosts peaked at 71–84 MB with the adjustment and 61–66 MB
/// with the threshold fixed at 512 KiB, so that such blocks are mapped and unmapped whole
/// (BENCHMARKS.md). glibc's default, 128 KiB, saves as much but maps smaller blocks too,
/// which cost the first warm sync after a cold one more CPU. Other C libraries have no such
/// adjustment.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_malloc_mmap_threshold() {
    // SAFETY: mallopt only sets a malloc parameter; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 512 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_malloc_mmap_threshold() {}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // sled's own log lines about a damaged store repeat what the store's one warning says
    // (with the fix); they are shown only when RUST_LOG names sled.
    let filter = match std::env::var("RUST_LOG").is_ok_and(|v| v.contains("sled")) {
        true => filter,
        false => filter.add_directive("sled=off".parse().expect("a valid directive")),
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| syndicator::status::PrintableLog(std::io::stderr()))
        .with_target(false);
    match format {
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs.json().flatten_event(true).with_current_span(true).init(),
    }
}
