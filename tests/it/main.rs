//! Integration tests: the real `syndicator` binary against a real HTTP server on 127.0.0.1,
//! a real sled store and a real content folder in a temp dir. No test touches the internet.

mod add;
mod app;
mod authors;
mod beside_serve;
mod bundles;
mod cli;
mod commands;
mod covers;
mod demo;
mod faults;
mod feeds;
mod fixes;
mod git;
mod hostile;
mod hostile_feeds;
mod hostile_input;
mod hostile_output;
mod hostile_server;
mod hub;
mod limits;
mod logs;
mod matching;
mod notify;
mod object_storage;
mod opml;
mod platforms;
mod raw_material;
mod recovery;
mod serve;
mod site;
mod sources;
mod status_browser;
mod status_page;
mod sync;
#[path = "../common/tools.rs"]
mod tools;
mod transcripts;
mod upstream;
mod webdriver;
mod websub;
mod websub_publish;
