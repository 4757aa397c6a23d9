//! Running a `kind = "command"` hook: the program (no shell) in its own process group, the
//! event JSON on stdin and as `SYNDICATOR_*` environment variables, its output on our stderr;
//! at the timeout the whole group is killed. Its exit status is logged.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt as _;

use super::Event;
use crate::child::kill_group;
use crate::config::Notify;

/// Runs the hook; `Ok` when it exits with status 0 within `timeout`.
pub async fn run(entry: &Notify, event: &Event, raw: &[u8], timeout: Duration) -> Result<(), String> {
    let Some((program, args)) = entry.command.split_first() else { return Err("no command".into()) };
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .envs(environment(event))
        .stdin(Stdio::piped())
        .stdout(our_stderr())
        .stderr(Stdio::inherit())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| format!("cannot run {program}: {e}"))?;
    let group = child.id();
    let mut stdin = child.stdin.take();
    let exchange = async {
        if let Some(stdin) = stdin.as_mut() {
            // A hook that does not read its stdin is fine.
            let _ = stdin.write_all(raw).await;
        }
        drop(stdin);
        child.wait().await
    };
    let status = match tokio::time::timeout(timeout, exchange).await {
        Ok(status) => status.map_err(|e| format!("{program}: {e}"))?,
        Err(_) => {
            if let Some(group) = group {
                kill_group(group);
            }
            let _ = child.wait().await;
            return Err(format!(
                "{program} ran longer than {} s (timeout_secs) and was killed",
                timeout.as_secs()
            ));
        }
    };
    tracing::info!(command = %program, id = %event.id, status = %status, "notification hook finished");
    status.success().then_some(()).ok_or_else(|| format!("{program} exited with {status}"))
}

/// The event as environment variables (NUL bytes, which no variable can hold, dropped).
fn environment(event: &Event) -> Vec<(&'static str, String)> {
    let clean = |text: &str| text.replace('\0', "");
    let optional = |text: &Option<String>| text.as_deref().map(clean).unwrap_or_default();
    vec![
        ("SYNDICATOR_EVENT", event.event.as_str().to_owned()),
        ("SYNDICATOR_EVENT_ID", event.id.clone()),
        ("SYNDICATOR_CHANNEL", clean(&event.channel)),
        ("SYNDICATOR_TITLE", clean(&event.title)),
        ("SYNDICATOR_PATH", optional(&event.path)),
        ("SYNDICATOR_PERMALINK", optional(&event.permalink)),
        ("SYNDICATOR_TIME", event.time.to_rfc3339()),
    ]
}

/// The hook's stdout goes to our stderr: our stdout is for command results.
fn our_stderr() -> Stdio {
    use std::os::fd::AsFd as _;
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::null(),
    }
}
