//! `syndicator feeds`: rebuild the six feeds without polling. While a `serve` holds the store,
//! it asks that service to rebuild (`POST /api/feeds`), which also serves the new set.

use super::remote::{self, Admin};
use super::{open_store, shown};
use crate::config::Config;
use crate::output::Outputs;

pub fn run(config: &Config) -> anyhow::Result<()> {
    config.require_hugo_site()?;
    let store = match open_store(config) {
        Ok(store) => store,
        Err(e) if remote::store_is_locked(&e) => return rebuild_remotely(config),
        Err(e) => return Err(e),
    };
    let feeds = crate::feeds::build(config, &store, chrono::Utc::now())?;
    let outputs = Outputs::from_config(config, &store)?;
    let delivery = outputs.deliver(&feeds);
    outputs.settle();
    let public = config.public_dir();
    for feed in &feeds {
        println!("{}", shown(&public.join(feed.path)));
    }
    eprintln!("{} of {} feed file(s) changed", delivery.changed.len(), feeds.len());
    match delivery.failures.first() {
        Some(failure) => anyhow::bail!("cannot deliver the feeds: {failure}"),
        None => Ok(()),
    }
}

/// Asks the running `serve` to rebuild and prints the paths it wrote, as a local run does.
fn rebuild_remotely(config: &Config) -> anyhow::Result<()> {
    let answer = Admin::from_env(config)?.rebuild_feeds()?;
    let files: Vec<String> = serde_json::from_value(answer["files"].clone())
        .map_err(|e| anyhow::anyhow!("the running serve's /api/feeds answer is not as expected: {e}"))?;
    for file in &files {
        println!("{file}");
    }
    eprintln!("{} of {} feed file(s) changed (rebuilt by the running serve)", answer["changed"], files.len());
    Ok(())
}
