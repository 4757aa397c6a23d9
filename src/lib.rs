//! syndicator polls the channels a blogger follows (YouTube channel feeds, podcast RSS, plain
//! RSS/Atom), remembers what it has seen in an embedded sled store, groups the copies of one
//! talk across platforms into one *episode*, and writes a draft Hugo stub post per new episode.
//!
//! # Code map
//!
//! | module       | owns                                                                  |
//! |--------------|-----------------------------------------------------------------------|
//! | `cli`        | clap argument definitions                                             |
//! | `commands`   | one thin module per command (`sync`, `check`, `init`, `add`, `status`, `feeds`, `serve`, `healthcheck`, `completions`, `man`, `opml` (`export`, `import`); `fix`: `link`, `unlink`, `forget`); the config file as `add` and `opml import` read and write it (`config_file`); the admin API client (`remote`), container detection |
//! | `config`     | the TOML config: shape, defaults, validation with line numbers; cron forms; `[site]` completed from the Hugo config; `config::edit` edits the file in place (`toml_edit`), every byte outside the change kept |
//! | `model`      | domain types, no IO: `Platform`, `Item`, `Episode`, `StubState`, `Language` |
//! | `fetch`      | the only network code: shared client, limits (per host under a global one), conditional GET, token POST; the `SYNDICATOR_ORIGIN_*` overrides every request goes through |
//! | `discover`   | `add`'s resolvers: a pasted URL's shape, then per platform (YouTube, Apple, Spotify, any web page) the canonical source URLs, read from pages fetched through `fetch` (also for `opml import`'s outlines); which URLs are one source (`source_key`) and the show's page of a source (`web_page`); the readers are pure |
//! | `source`     | wire formats → `Item`s: RSS 2.0 + itunes + Podcasting 2.0, Atom + YouTube, Apple, Spotify; chapters (JSON Chapters, description tables of contents) and transcripts (JSON, WebVTT, SRT, HTML, text); what a feed or API answer says of its show (`add`); pure |
//! | `episodes`   | which items are one episode (title, time, listing rules; indexes), the fixes made by hand (`manual`: pins, stub work), and an episode's guests (never the host), pure |
//! | `store`      | the only sled code; key schema and version at the top, migrations (`schema`); episode records in a compact binary encoding (`codec`) with the summaries the journal reads; fixes by hand applied in one transaction; its journal and the automatic recovery of a damaged store |
//! | `platform`   | one module per embedding platform: id rule, stub line, Hugo template, blog-feed link, pasted episode URLs, moment links; pure |
//! | `html`       | HTML reduced for where it goes (plain text, show-notes and page allowlists): the only ammonia code, pure |
//! | `stub`       | rendering a stub post (front matter with guests and, for a single file, the remote artwork as `images`; embeds, body, chapters) and the raw transcript file, pure |
//! | `shortcodes` | installing the platforms' Hugo shortcode templates where absent       |
//! | `content`    | the content section on disk: atomic create of single-file stubs and page bundles (resources staged, then one no-replace rename), resources added to existing bundles, never overwrite, find stubs by id at any depth |
//! | `cover`      | an episode's cover image: artwork URLs best first (YouTube `maxresdefault`, `hqdefault`, then podcast, Apple, Spotify), image formats by magic bytes; pure |
//! | `hash`       | the one content hash (hex SHA-256): bodies, stub texts, ETags, uploads, hashed ids; pure |
//! | `files`      | atomic file writes (temp, fsync, rename or link, fsync folder); renames that never replace; file stamps (did it change without reading it?) |
//! | `pipeline`   | the unit of work: poll → fetch chapters → stub work left by fixes → merge → write stubs (single files, or bundles staged with their covers) → record; pending covers retried; owed transcripts fetched beside the stubs (bundle, or the unpublished `_raw/` folder) |
//! | `site`       | reading the Hugo site: its config (file or `config/_default/`), pages, front matter, permalinks, shortcodes; the page cache `serve` keeps (re-reads only changed files; skips the walk while its inotify watch of `content/` is quiet) |
//! | `publish`    | feeds (RSS, Atom, JSON Feed) for the blog and the channels, pure      |
//! | `feeds`      | rebuilding the six feeds: site + store → publish → `output`           |
//! | `ingest`     | parse → store → publish of given bytes in one call, for fuzzing and property tests |
//! | `opml`       | OPML 2.0: export of the channels' feed URLs in category folders, a bounded parse of any reader's export; pure |
//! | `output`     | the destinations feeds go to (public folder, served set, an S3 bucket, WebSub hub pings), each handed only what changed |
//! | `git`        | `[git]`: before a run fast-forward, after it commit exactly the run's files and push (system `git`, each command killed at `[git] timeout_secs`) |
//! | `child`      | child processes in their own process group, killed together at their timeout (git, command hooks) |
//! | `notify`     | `[[notify]]` events (webhook, ntfy, command): built by the pipeline, queued in the store's outbox with the change, delivered at least once, in order, with backoff |
//! | `status`     | per-channel status, a channel's episodes (copies, and links by hand no source has shown yet) and the newest stubs as data, for `status`, `/api/status` and the status page; control characters shown as escapes there and in log records |
//! | `scheduler`  | *when* channels run: cron in the site time zone, jitter, missed ticks |
//! | `server`     | the HTTP server: feeds from memory, health, metrics, admin API, the WebSub callback, limits; the status page (`server::status_page`: login, sessions, CSRF and origin checks, minijinja templates) |
//! | `metrics`    | Prometheus counters and histograms                                    |
//! | `daemon`     | `serve`'s composition: schedules + channel locks + feed swaps + reload; the site's page cache between rebuilds; the WebSub subscriber beside the schedules, push-started runs |
//! | `websub`     | WebSub subscriber: which sources subscribe where and when (`plan`, pure), the loop and hub requests (`subscriber`), the callback's verification and notification checks (`callback`), signatures, tokens, topics; push-started runs (`push`: coalesced, retried while the feed lags) |
//!
//! Data flow: config → [`pipeline::Ctx`] `{ config, store, fetcher, template, outputs, git }` →
//! ([`git::before_run`]: fast-forward) → [`pipeline::sync_channel`] (poll each platform →
//! parse → filter → fetch new items' chapter files → merge into episodes → fetch new bundles'
//! covers → write stub → record episode → retry pending covers → fetch owed transcripts →
//! record validators) →
//! [`feeds::rebuild`], which hands the feeds to the context's [`output::Outputs`] →
//! ([`git::after_run`]: commit the run's files, push). `sync` runs the unit of work for every channel once;
//! `serve` runs it per channel when the scheduler fires (or `POST /api/sync` asks), with the
//! served set among its destinations. Both then call [`notify::deliver`], which sends the
//! events the pipeline queued in the store. Under `serve` with `[websub] subscribe`, a hub's
//! signed push to `/websub/<token>` runs the channel the same way ([`websub::push`]).
//!
//! # Invariants
//!
//! - Only `fetch` touches the network to read (`output::s3` uploads, through `object_store`);
//!   only `store` touches sled; `model`, `source`, `episodes`, `platform`, `html`, `stub`,
//!   `cover`, `publish`, `opml`, `config::edit`, the readers and `source_key` in `discover`, `scheduler::next_fire` and
//!   `websub::plan` do no IO.
//! - Config edits (`add`, `opml import`) keep every byte of the user's file outside the change, and happen
//!   only after every new source was fetched and read once.
//! - The scheduler only decides when; `sync` and `serve` run the same unit of work, and so
//!   does a WebSub push (which decides nothing about what is new).
//! - An item counts as seen only once its episode's stub is durably on disk (temp file,
//!   fsync, link, fsync of the folder; for a page bundle, the no-replace rename of its
//!   complete staging folder), and a source's validators are recorded only after all
//!   its items are, so a failed write is retried by the next run.
//! - A file that exists is never overwritten; a stub the author deleted is never recreated
//!   (unless the user asks with `forget`).
//! - A transcript (someone else's work) is never published: it is written only into a page
//!   bundle (a Markdown resource Hugo neither renders nor copies) or under `<root>/_raw/`
//!   (which Hugo never reads), and `[git]` never commits it.
//! - Nothing is written into a `[site] root` that holds no Hugo config (`sync`, `serve` and
//!   `feeds` refuse it, exit 3).
//! - The content folder is the source of truth: stubs carry `syndicator_id`, so a lost store is
//!   rebuilt from them instead of producing duplicates, and a stub is found wherever the author
//!   moved it; it counts as deleted only when no file in the section carries its id.
//!   What the stubs cannot tell (tombstones, pending embeds, validators, backoff, the newest
//!   date per source, fixes made by hand) is in the store's journal, rewritten atomically after each flush: a
//!   damaged store is moved aside, never deleted, and rebuilt without a human and without
//!   re-stubbing anything.
//! - A source is a channel's platform at its URL: a changed URL starts with fresh state.

pub mod child;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod cover;
pub mod daemon;
pub mod discover;
pub mod episodes;
pub mod feeds;
pub mod fetch;
pub mod files;
pub mod git;
pub mod hash;
pub mod html;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod notify;
pub mod opml;
pub mod output;
pub mod pipeline;
pub mod platform;
pub mod publish;
pub mod scheduler;
pub mod server;
pub mod shortcodes;
pub mod site;
pub mod source;
pub mod status;
pub mod store;
pub mod stub;
pub mod websub;
