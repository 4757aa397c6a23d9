//! What `check` warns about: things that load fine but break the blog or a source later.

use super::super::container;
use crate::config::Config;
use crate::discover::pasted_page;
use crate::model::Platform;
use crate::pipeline::{CLIENT_ID_VAR, CLIENT_SECRET_VAR};
use crate::shortcodes;

/// Every warning for `config`, one sentence each with the fix.
pub fn collect(config: &Config, in_container: bool) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(pasted_pages(config));
    out.extend(spotify_without_credentials(config));
    out.extend(missing_shortcodes(config));
    out.extend(config.site.disagreements_with_hugo());
    out.extend(year_fields(config));
    out.extend(container::loopback_problem(config.server.listen.as_str(), in_container));
    out
}

/// Browser URLs pasted where a feed or API URL belongs, each with the `add` command that puts
/// the source it stands for in its place.
fn pasted_pages(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for channel in &config.channels {
        for (key, url) in channel.sources() {
            let Some(page) = pasted_page(url.url()) else { continue };
            let id = channel.id();
            let add = format!("`syndicator add --channel {id} '{url}'`");
            let fix = match page == key {
                true => format!("{add} puts the {page} source it stands for in its place"),
                false => format!("remove that line, then {add} adds the {page} source it stands for"),
            };
            out.push(format!(
                "channel \"{id}\": {key} = \"{url}\" is a {page} web page, which `sync` cannot poll; {fix}"
            ));
        }
    }
    out
}

fn spotify_without_credentials(config: &Config) -> Vec<String> {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    if set(CLIENT_ID_VAR) && set(CLIENT_SECRET_VAR) {
        return Vec::new();
    }
    let uses_spotify = |c: &&crate::config::Channel| c.sources().any(|(p, _)| p == Platform::Spotify);
    config
        .channels
        .iter()
        .filter(uses_spotify)
        .map(|c| {
            format!(
                "channel \"{}\" has a spotify source but {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} are \
                 not both set: that source will fail; set both in the environment",
                c.id()
            )
        })
        .collect()
}

fn missing_shortcodes(config: &Config) -> Vec<String> {
    let dir = shortcodes::dir(&config.site.root);
    shortcodes::missing(&config.site.root)
        .into_iter()
        .map(|name| {
            format!(
                "the shortcode {name} is missing from {}: stubs embed it and `hugo` fails without \
                 it; `syndicator sync` (or `init`) installs it",
                super::shown(&dir)
            )
        })
        .collect()
}

/// Cron expressions with a seventh (year) field, which the README does not promise.
fn year_fields(config: &Config) -> Vec<String> {
    let default = ("[schedule] default".to_owned(), &config.schedule.default);
    let channels = config
        .channels
        .iter()
        .filter_map(|c| Some((format!("channel \"{}\" schedule", c.id()), c.schedule.as_ref()?)));
    std::iter::once(default)
        .chain(channels)
        .filter(|(_, cron)| cron.expression.split_whitespace().count() == 7)
        .map(|(key, cron)| {
            format!(
                "{key} \"{}\" has a seventh (year) field: only the 5-field and the 6-field forms \
                 are supported; drop the year",
                cron.expression
            )
        })
        .collect()
}
