//! Outside tools the consumer tests drive (hugo, feedparser's Python, jing): a missing tool
//! fails the test under `CI=true` and otherwise skips it with a loud notice.

use std::process::Command;

/// Whether `program` runs (and, with `probe` arguments, succeeds). When it does not: panics
/// under `CI=true` (CI must not skip), else prints a SKIPPED notice and returns false.
pub fn require_tool(program: &str, probe: &[&str]) -> bool {
    let out = Command::new(program).args(probe).output();
    if out.is_ok_and(|o| probe.is_empty() || o.status.success()) {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("`{program}` {probe:?} does not run but CI=true: install it (see .ci/run); CI must not skip");
    }
    skip_notice(&format!("`{program}` {probe:?} does not run; install it to run this check"));
    false
}

/// A loud notice on the real stderr: `eprintln!` is captured and hidden for passing tests.
pub fn skip_notice(why: &str) {
    let notice = format!("\n!!!!!!!!!! SKIPPED: {why} !!!!!!!!!!\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
}
