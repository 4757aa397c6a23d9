//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "syndicator",
    version,
    about = "Turns the shows a blogger follows into Hugo stub posts and merged feeds."
)]
pub struct Cli {
    /// The config file.
    #[arg(short = 'c', long, global = true, value_name = "PATH", env = "SYNDICATOR_CONFIG", default_value = crate::config::DEFAULT_PATH)]
    pub config: PathBuf,
    /// How log lines on stderr look: `text` for people, `json` (one object a line, with the
    /// fields `channel`, `platform`, `url` …) for log shippers.
    #[arg(long, global = true, value_name = "FORMAT", env = "SYNDICATOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// The format of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every channel once, write stub posts for new episodes, and exit.
    Sync {
        /// Print what would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Only this channel.
        #[arg(long, value_name = "ID")]
        channel: Option<String>,
        /// Poll sources that are backing off after failures (or a server's Retry-After) now, and
        /// retry notifications that are backing off.
        #[arg(long)]
        force: bool,
    },
    /// Follow a show: the browser URLs of its YouTube channel, podcast, Apple Podcasts and
    /// Spotify pages (or any web page or feed) become one channel in the config, each source
    /// found and fetched once first; the config file is edited in place, comments kept.
    Add {
        /// Page or feed URLs, all of one show (e.g. https://www.youtube.com/@handle,
        /// https://podcasts.apple.com/…/id123, https://open.spotify.com/show/…, a blog).
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// The new channel's id (default: from the show's name).
        #[arg(long, value_name = "ID", conflicts_with = "channel")]
        id: Option<String>,
        /// The new channel's name (default: the show's name as a source gives it).
        #[arg(long, value_name = "NAME", conflicts_with = "channel")]
        name: Option<String>,
        /// Add the sources to this existing channel instead.
        #[arg(long, value_name = "ID")]
        channel: Option<String>,
        /// Print what would be added to the config; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Validate the config and print each channel, its URLs, paths and next runs.
    Check,
    /// Write a starter config for a Hugo site if none exists (never overwrites) and install
    /// the shortcodes stubs use into the site.
    Init {
        /// The Hugo site; defaults to the current folder when it is one.
        #[arg(long, value_name = "PATH")]
        site: Option<PathBuf>,
        /// Use the folder even though it is not a Hugo site.
        #[arg(long)]
        force: bool,
    },
    /// Per channel: last poll and result, episodes known, stubs written, last error.
    Status {
        /// Print the data as JSON (the shape of GET /api/status).
        #[arg(long)]
        json: bool,
    },
    /// Run the scheduler and serve the feeds (and /healthz, /metrics, the admin API) until
    /// SIGTERM or SIGINT; SIGHUP reloads the config.
    Serve,
    /// Exit 0 if the local `serve` answers /healthz with 200 (for Docker).
    Healthcheck,
    /// Rebuild the six feeds (blog and channels; RSS, Atom, JSON Feed) without polling.
    Feeds,
    /// Print a shell completion script (e.g. `syndicator completions bash > ~/.local/share/bash-completion/completions/syndicator`).
    Completions {
        /// The shell the script is for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff; e.g. `syndicator man > syndicator.1`).
    Man,
}
