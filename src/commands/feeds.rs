//! `syndicator feeds`: rebuild the six feeds without polling.

use super::{open_store, shown};
use crate::config::Config;
use crate::output::Outputs;

pub fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let feeds = crate::feeds::build(config, &store, chrono::Utc::now())?;
    let delivery = Outputs::from_config(config).deliver(&feeds);
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
