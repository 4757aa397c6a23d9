//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::Platform;

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

/// The copy `link` attaches: exactly one platform flag with a pasted URL or an id.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct CopyArg {
    /// A YouTube video: its URL (watch, youtu.be, shorts, live) or id.
    #[arg(long, value_name = "URL_OR_ID")]
    pub youtube: Option<String>,
    /// A podcast item: its guid or link.
    #[arg(long, value_name = "GUID_OR_URL")]
    pub podcast: Option<String>,
    /// An Apple Podcasts episode: its URL (with `?i=`) or track id.
    #[arg(long, value_name = "URL_OR_ID")]
    pub apple: Option<String>,
    /// A Spotify episode: its URL, `spotify:episode:` URI or id.
    #[arg(long, value_name = "URL_OR_ID")]
    pub spotify: Option<String>,
    /// A plain feed's item: its id or link.
    #[arg(long, value_name = "ID_OR_URL")]
    pub feed: Option<String>,
}

impl CopyArg {
    /// The one platform given and its text.
    pub fn platform_and_text(&self) -> (Platform, &str) {
        let given = [
            (Platform::Youtube, &self.youtube),
            (Platform::Podcast, &self.podcast),
            (Platform::Apple, &self.apple),
            (Platform::Spotify, &self.spotify),
            (Platform::Feed, &self.feed),
        ];
        let mut given = given.into_iter().filter_map(|(platform, text)| Some((platform, text.as_deref()?)));
        given.next().expect("clap requires exactly one platform flag")
    }
}

/// A platform named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlatformArg {
    Youtube,
    Spotify,
    Apple,
    Podcast,
    Feed,
}

impl From<PlatformArg> for Platform {
    fn from(arg: PlatformArg) -> Platform {
        match arg {
            PlatformArg::Youtube => Platform::Youtube,
            PlatformArg::Spotify => Platform::Spotify,
            PlatformArg::Apple => Platform::Apple,
            PlatformArg::Podcast => Platform::Podcast,
            PlatformArg::Feed => Platform::Feed,
        }
    }
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
    /// Export the channels as OPML, or follow the feeds of another reader's OPML export.
    Opml {
        #[command(subcommand)]
        action: OpmlAction,
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
    /// Per channel: last poll and result, episodes known, stubs written, last error; with a
    /// channel id, also its newest episodes with every copy's platform and id.
    Status {
        /// Show this channel and its episodes with their copies (what `link` and `unlink` name).
        #[arg(value_name = "CHANNEL")]
        channel: Option<String>,
        /// How many of the channel's newest episodes to show (0: all).
        #[arg(long, value_name = "N", default_value_t = 20, requires = "channel")]
        episodes: usize,
        /// Print the data as JSON (the shape of GET /api/status, plus `episodes` for a channel).
        #[arg(long)]
        json: bool,
    },
    /// Attach a platform's copy to an episode (fix the matcher by hand): the copy leaves the
    /// episode it was in, and the next sync updates the stubs as for a late embed.
    Link {
        /// The episode: its id (`syndicator status CHANNEL` lists them) or its stub's path.
        #[arg(value_name = "STUB_OR_EPISODE")]
        target: String,
        #[command(flatten)]
        copy: CopyArg,
    },
    /// Split an episode's copies on a platform from the rest (undo a wrong merge); the half
    /// without the founding copy becomes an episode of its own, with its own stub.
    Unlink {
        /// The episode id.
        #[arg(value_name = "EPISODE")]
        episode: String,
        /// The platform whose copies leave (or stay, when they founded the episode).
        #[arg(value_enum)]
        platform: PlatformArg,
    },
    /// Remove the tombstone of a stub its author deleted, so the next sync writes it again.
    Forget {
        /// The episode id.
        #[arg(value_name = "EPISODE")]
        episode: String,
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

/// What `opml` does.
#[derive(Debug, Subcommand)]
pub enum OpmlAction {
    /// Print every channel's source URLs as an OPML 2.0 subscription list (one outline per
    /// URL, in a folder named after the channel's first category), for feed readers.
    Export,
    /// Add a channel per feed outline of an OPML file (folders become categories), each feed
    /// fetched once to tell YouTube, podcast and plain feeds apart; URLs already followed are
    /// skipped; the config file is edited in place, comments kept.
    Import {
        /// The OPML file (e.g. from `newsboat -e`, Miniflux or FreshRSS).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print the channels that would be added; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}
