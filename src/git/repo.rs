//! The repository the site lives in, as `[git]` configures it: found with
//! `git rev-parse --show-toplevel` from the site root, the branch resolved, and the folder
//! commits are made in chosen (the site's work tree, or syndicator's own work tree of the
//! branch beside the store).

use std::path::{Path, PathBuf};

use super::{Git, GitError, RunFiles};
use crate::config::{Config, ConfigError};

#[derive(Debug)]
pub struct Repo {
    /// `git` in the top level of the site's work tree.
    pub site: Git,
    /// `git` in the work tree commits are made in: `site`'s folder or [`Repo::own_tree`].
    pub work: Git,
    /// Where a temporary detached work tree for a rebase goes.
    pub scratch: PathBuf,
    pub remote: String,
    pub branch: String,
    pub push: bool,
    /// Whether `remote` is configured in the repository (fetch only then).
    pub has_remote: bool,
}

impl Repo {
    /// The repository of the site root when `[git] enabled`; `None` when disabled. Reads
    /// only: a root outside a work tree, a missing `git`, a detached HEAD without
    /// `[git] branch`, or `push` to an unknown remote are configuration errors.
    pub fn open(config: &Config) -> Result<Option<Repo>, ConfigError> {
        let git = &config.git;
        if !git.enabled {
            return Ok(None);
        }
        let root = &config.site.root;
        let invalid = |message: String| ConfigError::Invalid { path: root.clone(), message };
        let author = (git.author_name.as_str().to_owned(), git.author_email.as_str().to_owned());
        let timeout = std::time::Duration::from_secs(git.timeout_secs.get());
        let toplevel =
            Git::new(root, author.clone(), timeout).run(&["rev-parse", "--show-toplevel"]).map_err(|e| {
                invalid(match e {
                    GitError::Spawn { .. } => format!("[git] enabled = true, but {e}: install git"),
                    e => format!(
                        "[git] enabled = true, but the site root is not inside a git work tree ({e}); \
                     clone the blog's repository there or run `git init` in it, or set [git] enabled = false"
                    ),
                })
            })?;
        let site = Git::new(Path::new(&toplevel), author, timeout);
        let checked_out = site.run(&["symbolic-ref", "--quiet", "--short", "HEAD"]).ok();
        let branch = match (&git.branch, checked_out.as_deref()) {
            (Some(branch), _) => branch.as_str().to_owned(),
            (None, Some(current)) => current.to_owned(),
            (None, None) => {
                return Err(invalid(
                    "[git] the site's work tree has no branch checked out (detached HEAD): \
                     set [git] branch"
                        .to_owned(),
                ));
            }
        };
        let remote = git.remote.as_str().to_owned();
        let has_remote = site.run(&["remote", "get-url", "--", &remote]).is_ok();
        if git.push && !has_remote {
            return Err(invalid(format!(
                "[git] push = true, but the repository has no remote \"{remote}\": \
                 add it with `git remote add {remote} <url>` or set [git] remote"
            )));
        }
        let beside_store = store_folder(config);
        let work = match checked_out.as_deref() == Some(branch.as_str()) {
            true => site.clone(),
            false => site.at(&beside_store.join("git-worktree")),
        };
        Ok(Some(Repo {
            scratch: beside_store.join("git-rebase"),
            site,
            work,
            remote,
            branch,
            push: git.push,
            has_remote,
        }))
    }

    /// Whether commits go to a work tree of syndicator's own (the branch is not checked out).
    pub fn own_tree(&self) -> bool {
        self.work.dir != self.site.dir
    }

    /// `refs/heads/<branch>`.
    pub fn local_ref(&self) -> String {
        format!("refs/heads/{}", self.branch)
    }

    /// `refs/remotes/<remote>/<branch>`.
    pub fn remote_ref(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.branch)
    }

    /// Before a run: fetch, set up the own work tree if needed, fast-forward.
    pub fn prepare(&self) -> Result<(), GitError> {
        if self.has_remote {
            if let Err(e) = self.fetch() {
                tracing::warn!("git: cannot fetch {}/{}: {e}", self.remote, self.branch);
            }
        }
        self.ensure_own_tree()?;
        self.fast_forward()
    }

    /// After a run: commit what it wrote, then push whatever is not on the remote yet (also
    /// commits an earlier run could not push).
    pub fn deliver(&self, files: &RunFiles) -> Result<(), GitError> {
        self.ensure_own_tree()?;
        self.commit(files)?;
        if self.push { self.push_with_rebase() } else { Ok(()) }
    }
}

/// The folder the store lives in, absolute (syndicator's work trees go beside the store).
fn store_folder(config: &Config) -> PathBuf {
    let store = std::path::absolute(&config.store.path).unwrap_or_else(|_| config.store.path.clone());
    store.parent().map(Path::to_owned).unwrap_or_default()
}
