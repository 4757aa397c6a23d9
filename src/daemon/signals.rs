//! The signals `serve` acts on: SIGTERM and SIGINT stop it, SIGHUP reloads the config. The
//! handlers are installed once, at start, so no signal is lost between two waits.

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};

/// A signal the daemon acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Stop,
    Reload,
}

pub struct Signals {
    term: Stream,
    interrupt: Stream,
    hangup: Stream,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for the next SIGTERM, SIGINT or SIGHUP.
    pub async fn next(&mut self) -> Signal {
        tokio::select! {
            _ = self.term.recv() => Signal::Stop,
            _ = self.interrupt.recv() => Signal::Stop,
            _ = self.hangup.recv() => Signal::Reload,
        }
    }
}
