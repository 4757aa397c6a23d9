//! `[git]`: the stubs a run wrote or rewrote (and the feed files the rebuild changed, when
//! they live inside the repository) become one commit in the blog's repository, optionally
//! pushed. The system `git` does the work, so the user's credentials, SSH config, signing
//! and hooks apply.
//!
//! A run goes: [`before_run`] (fetch, fast-forward the branch when possible), the pipeline
//! writes stubs, the feeds are rebuilt, [`after_run`] (commit exactly our paths, push; a
//! rejected push is fetched, our commits rebased onto the remote branch and pushed again).
//! `sync` and `serve` call the same two functions; git work runs on a blocking thread and
//! one operation at a time in the process.
//!
//! Where the commit is made: in the site's own work tree when `[git] branch` is the
//! checked-out branch (with `git add -- <paths>` and `git commit -- <paths>`, so nothing
//! else the author staged or changed is included); otherwise in a work tree of that branch
//! that syndicator keeps beside its store (`git worktree add`), into which our files are
//! copied, so the author's checkout is never switched. A rebase always happens in a
//! temporary detached work tree beside the store; the branch then moves with
//! `git reset --keep`, which refuses rather than touch a file the author changed.

mod command;
mod commit;
mod files;
mod remote;
mod repo;
mod status;

use std::path::PathBuf;
use std::sync::Mutex;

use thiserror::Error;

use crate::pipeline::{ChannelReport, Ctx};

pub use command::Git;
pub use files::RunFiles;
pub use repo::Repo;
pub use status::GitStatus;

/// One git operation at a time in this process (the daemon's channels run concurrently).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The last failure of [`after_run`] in this process, for `/api/status`; cleared by a success.
static LAST_FAILURE: Mutex<Option<String>> = Mutex::new(None);

#[derive(Debug, Error)]
pub enum GitError {
    #[error("cannot run `git` in {dir} (is git installed and on PATH?): {source}")]
    Spawn { dir: PathBuf, source: std::io::Error },
    #[error("`{command}` in {dir} failed: {stderr}")]
    Failed { command: String, dir: PathBuf, stderr: String },
    #[error(
        "the push to {remote}/{branch} was rejected and our commits do not rebase cleanly onto it \
         ({stderr}); the rebase was aborted, nothing was lost: resolve the conflict on {remote}/{branch} \
         (for example move the file at our stub's path), the next run retries"
    )]
    Conflict { remote: String, branch: String, stderr: String },
    #[error(
        "{branch} has commits not on {remote}/{branch} that {author} did not make; syndicator \
         rebases only its own commits: push or merge them by hand"
    )]
    NotOurs { remote: String, branch: String, author: String },
    #[error(
        "`{command}` in {dir} did not finish within {secs} s and was killed: check that the remote \
         answers and needs no password or host-key prompt, or raise [git] timeout_secs"
    )]
    TimedOut { command: String, dir: PathBuf, secs: u64 },
    #[error("cannot copy {path} into the git work tree: {source}")]
    Copy { path: PathBuf, source: std::io::Error },
}

/// Before a run writes stubs: fetch and fast-forward the branch when that is possible. Never
/// fails the run: a problem is logged, and the commit and push after the run report theirs.
pub async fn before_run(ctx: &Ctx) {
    let Some(repo) = ctx.git.clone() else { return };
    let prepared = tokio::task::spawn_blocking(move || {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        repo.prepare()
    })
    .await;
    match prepared {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("git: cannot bring the work tree up to date: {e}"),
        Err(e) => tracing::error!("git: the update task failed: {e}"),
    }
}

/// After the feed rebuild: commits the stubs of `reports` and the feeds and shortcodes that
/// changed, and pushes. A failure is logged and remembered for `/api/status`, and returns
/// false (`sync` exits 2); it is retried next run.
pub async fn after_run(ctx: &Ctx, reports: &[ChannelReport]) -> bool {
    let Some(repo) = ctx.git.clone() else { return true };
    let (root, public) = (&ctx.config.site.root, ctx.config.public_dir());
    let files = RunFiles::of_run(root, ctx.section.path(), reports, &public);
    let delivered = tokio::task::spawn_blocking(move || {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        repo.deliver(&files)
    })
    .await;
    let failure = match delivered {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(format!("the git task failed: {e}")),
    };
    if let Some(message) = &failure {
        tracing::error!("git: {message}");
    }
    let ok = failure.is_none();
    *LAST_FAILURE.lock().unwrap_or_else(|e| e.into_inner()) = failure;
    ok
}

/// The last failure of [`after_run`] in this process, if the latest run failed.
pub fn last_failure() -> Option<String> {
    LAST_FAILURE.lock().unwrap_or_else(|e| e.into_inner()).clone()
}
