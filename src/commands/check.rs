//! `syndicator check`: the validated config as the tool understands it (stdout), and what
//! would break the blog (stderr warnings). A `[site] root` that is not a Hugo site fails it
//! (exit 3); so does a missing or broken stub template.

mod warnings;

use std::fmt::Write as _;

use super::{container, serve::ADMIN_TOKEN_VAR, shown};
use crate::config::{Config, Origin};

/// How many upcoming runs `check` shows per channel.
const UPCOMING: usize = 3;

pub fn run(config: &Config) -> anyhow::Result<()> {
    config.require_hugo_site()?;
    super::load_template(config)?;
    let git = crate::git::Repo::open(config)?;
    print!("{}", describe(config));
    if let Some(repo) = git {
        let push = if repo.push { format!(", pushed to {}", repo.remote) } else { String::new() };
        println!("\ngit: stubs are committed to {}{push}", repo.branch);
    }
    for warning in warnings::collect(config, container::in_container()) {
        tracing::warn!("{warning}");
    }
    Ok(())
}

/// The text `check` prints.
pub fn describe(config: &Config) -> String {
    let site = &config.site;
    let tz = site.timezone.0;
    let mut out = String::new();
    let _ = writeln!(out, "config ok: {} channel(s)", config.channels.len());
    let _ = writeln!(out, "site root:   {}", shown(&site.root));
    if let Some(source) = &site.hugo.source {
        let _ = writeln!(out, "Hugo config: {}", shown(source));
    }
    let origins = &site.origins;
    let _ = writeln!(out, "title:       {} ({})", site.title, origin(origins.title));
    let _ = writeln!(out, "base URL:    {} ({})", site.base_url, origin(origins.base_url));
    let _ = writeln!(out, "language:    {} ({})", site.language.tag(), origin(origins.language));
    let _ = writeln!(out, "time zone:   {tz} ({})", origin(origins.timezone));
    let _ = writeln!(out, "permalinks:  {}", permalinks(config));
    let _ = writeln!(out, "stubs go to: {}", shown(&config.section_dir()));
    let _ = writeln!(out, "stubs are:   {}", layout(site.bundles));
    let _ = writeln!(out, "feeds go to: {}", shown(&config.public_dir()));
    let _ = writeln!(out, "store:       {}", shown(&config.store.path));
    let _ = writeln!(out, "listen:      {}", config.server.listen.as_str());
    let token_set = std::env::var(ADMIN_TOKEN_VAR).is_ok_and(|t| !t.trim().is_empty());
    let token = if token_set { "set" } else { "not set (the admin API is off)" };
    let _ = writeln!(out, "admin token: {token} ({ADMIN_TOKEN_VAR})");
    websub(config, &mut out);
    if let Some(s3) = &config.publish.s3 {
        let _ = writeln!(out, "uploads to:  {}", crate::output::s3::describe(s3));
    }
    for entry in &config.notify {
        let _ = writeln!(out, "\nnotify {} {}", entry.kind().as_str(), entry.target());
        let names = |list: Vec<&str>| if list.is_empty() { "all".to_owned() } else { list.join(", ") };
        let _ = writeln!(out, "  events   {}", names(entry.events.iter().map(|e| e.as_str()).collect()));
        let _ = writeln!(out, "  channels {}", names(entry.channels.iter().map(|c| c.as_str()).collect()));
        if let Some(name) = &entry.secret_env {
            let _ = writeln!(out, "  signed   with the key in ${name}");
        }
        if entry.kind() == crate::config::NotifyKind::Command {
            let _ = writeln!(out, "  command  {:?}, timeout {} s", entry.command, entry.timeout_secs.get());
        }
    }
    for channel in &config.channels {
        let _ = writeln!(out, "\n{} ({})", channel.id(), channel.name);
        for (platform, url) in channel.sources() {
            let _ = writeln!(out, "  {:<8} {url}", platform.as_str());
        }
        if channel.bundles.is_some_and(|own| own != site.bundles) {
            let _ = writeln!(out, "  stubs    {}", layout(channel.bundles(config)));
        }
        let schedule = channel.schedule(config);
        let _ = writeln!(out, "  schedule {}", schedule.expression);
        for next in schedule.schedule.upcoming(tz).take(UPCOMING) {
            let _ = writeln!(out, "  next run {}", next.to_rfc3339());
        }
    }
    out
}

/// `[server] public_url` and `[websub]`: where the hubs call back, what is subscribed, who is
/// pinged.
fn websub(config: &Config, out: &mut String) {
    let public = config.server.public_url.as_ref().map_or("not set", |url| url.as_str());
    let _ = writeln!(out, "public URL:  {public}");
    let websub = &config.websub;
    let subscribe = match websub.subscribes() {
        true => format!(
            "on: youtube sources at {}, RSS/Atom sources at the hub their feed names (rel=\"hub\"); \
             callbacks under {}",
            websub.hub.as_str(),
            crate::websub::callback_base(public)
        ),
        false => "off ([websub] subscribe = true to get pushes)".to_owned(),
    };
    let _ = writeln!(out, "websub:      {subscribe}");
    if !websub.publish_hubs().is_empty() {
        let hubs: Vec<&str> = websub.publish_hubs().iter().map(|hub| hub.as_str()).collect();
        let _ = writeln!(out, "pings:       {} when a feed changes", hubs.join(", "));
    }
}

/// How new stubs are laid out, for `bundles` on or off.
fn layout(bundles: bool) -> &'static str {
    match bundles {
        true => "page bundles (<date>-<slug>/index.md, cover.<ext> beside it)",
        false => "single files (<date>-<slug>.md)",
    }
}

fn origin(origin: Origin) -> &'static str {
    match origin {
        Origin::Site => "from [site]",
        Origin::Hugo => "from the Hugo config",
        Origin::Default => "default",
    }
}

/// The Hugo permalink settings the blog feed follows.
fn permalinks(config: &Config) -> String {
    let hugo = &config.site.hugo;
    let mut parts: Vec<String> =
        hugo.permalinks.iter().map(|(section, p)| format!("{section} = {p}")).collect();
    if hugo.ugly_urls {
        parts.push("uglyURLs".to_owned());
    }
    if parts.is_empty() {
        return "Hugo's defaults (/<section>/<name>/)".to_owned();
    }
    format!("{} (from the Hugo config)", parts.join(", "))
}
