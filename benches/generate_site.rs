//! Writes the generated big blog (`common::blog`) for the end-to-end runs of
//! `benches/bigblog/run.sh`: `cargo bench --bench generate_site -- <folder> [posts]`. With no
//! folder (a plain `cargo bench`) it only says how to use it. Prints the newest published
//! page's file, which the run edits.

mod common;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let Some(folder) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench generate_site -- <folder> [posts, default 10000]");
        return Ok(());
    };
    let posts = args.get(1).map_or(Ok(10_000), |n| n.parse()).expect("posts is a number");
    let newest = common::blog::generate(&folder, posts)?;
    eprintln!("wrote a Hugo site of {posts} posts to {}", folder.display());
    println!("{}", newest.display());
    Ok(())
}
