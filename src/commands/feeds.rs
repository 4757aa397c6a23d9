//! `syndicator feeds`: rebuild the six feeds without polling.

use super::{open_store, shown};
use crate::config::Config;

pub fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let (files, written) = crate::feeds::rebuild(config, &store)?;
    let public = config.public_dir();
    for (name, _) in &files {
        println!("{}", shown(&public.join(name)));
    }
    eprintln!("{written} of {} feed file(s) changed", files.len());
    Ok(())
}
