//! The remote side: fetch, fast-forward before a run, push after it. A rejected push is
//! fetched and our commits (only ours: checked by author) are rebased onto the remote branch
//! in a temporary detached work tree, then the branch moves with `git reset --keep` and the
//! push is tried once more. A conflict aborts the rebase and leaves every commit and file as
//! it was. Never a force-push.

use super::{GitError, Repo};

impl Repo {
    /// Fetches the remote branch into `refs/remotes/<remote>/<branch>`.
    pub fn fetch(&self) -> Result<(), GitError> {
        let refspec = format!("+{}:{}", self.local_ref(), self.remote_ref());
        self.site.run(&["fetch", "--quiet", "--no-tags", &self.remote, &refspec]).map(drop)
    }

    /// Fast-forwards the branch to the fetched remote branch when that is a fast-forward;
    /// otherwise leaves it (logged): the push after the run rebases.
    pub fn fast_forward(&self) -> Result<(), GitError> {
        let remote = self.remote_ref();
        let local = self.local_ref();
        if !self.has_ref(&remote) || self.is_ancestor(&remote, &local) {
            return Ok(());
        }
        if !self.is_ancestor(&local, &remote) {
            tracing::warn!(
                "git: {} and {}/{} have diverged; not fast-forwarded (the push after the run rebases our commits)",
                self.branch,
                self.remote,
                self.branch
            );
            return Ok(());
        }
        match self.work.run(&["merge", "--ff-only", "--quiet", &remote]) {
            Ok(_) => tracing::info!("git: fast-forwarded {} to {}/{}", self.branch, self.remote, self.branch),
            Err(e) => tracing::warn!("git: cannot fast-forward, left as is: {e}"),
        }
        Ok(())
    }

    /// Pushes the commits the remote branch lacks (this run's and any an earlier run could
    /// not push); a rejection is fetched, rebased and pushed once more.
    pub fn push_with_rebase(&self) -> Result<(), GitError> {
        if self.unpushed()? == 0 {
            return Ok(());
        }
        let Err(rejected) = self.push() else { return Ok(()) };
        self.fetch()?;
        if self.is_ancestor(&self.remote_ref(), &self.local_ref()) {
            return Err(rejected);
        }
        tracing::info!("git: {}/{} moved meanwhile; rebasing our commits onto it", self.remote, self.branch);
        self.rebase_onto_remote()?;
        self.push()
    }

    /// How many commits of the branch the remote branch (as last fetched) lacks.
    pub fn unpushed(&self) -> Result<u64, GitError> {
        let range = match self.has_ref(&self.remote_ref()) {
            true => format!("{}..{}", self.remote_ref(), self.local_ref()),
            false => self.local_ref(),
        };
        let count = self.site.run(&["rev-list", "--count", &range])?;
        Ok(count.parse().unwrap_or(0))
    }

    fn push(&self) -> Result<(), GitError> {
        let refspec = format!("{0}:{0}", self.local_ref());
        self.work.run(&["push", "--quiet", &self.remote, &refspec])?;
        self.site.run(&["update-ref", &self.remote_ref(), &self.local_ref()])?;
        tracing::info!("git: pushed {} to {}", self.branch, self.remote);
        Ok(())
    }

    fn rebase_onto_remote(&self) -> Result<(), GitError> {
        let (name, email) = &self.site.author;
        let range = format!("{}..{}", self.remote_ref(), self.local_ref());
        let authors = self.site.run(&["log", "--format=%an <%ae>", &range])?;
        if authors.lines().any(|line| line != format!("{name} <{email}>")) {
            let author = format!("{name} <{email}>");
            return Err(GitError::NotOurs {
                remote: self.remote.clone(),
                branch: self.branch.clone(),
                author,
            });
        }
        let before = self.site.run(&["rev-parse", &self.local_ref()])?;
        self.remove_scratch();
        let scratch = self.scratch.to_string_lossy();
        self.site.run(&["worktree", "add", "--quiet", "--detach", &scratch, &before])?;
        let rebased = self.rebase_in_scratch();
        self.remove_scratch();
        let rebased = rebased?;
        if self.site.run(&["rev-parse", &self.local_ref()])? != before {
            return Err(self
                .work
                .failed(&["reset", "--keep", &rebased], "the branch moved during the rebase"));
        }
        self.work.run(&["reset", "--quiet", "--keep", &rebased]).map(drop)
    }

    /// Rebases the scratch work tree's detached HEAD onto the remote branch; its new HEAD.
    fn rebase_in_scratch(&self) -> Result<String, GitError> {
        let git = self.site.at(&self.scratch);
        if let Err(e) = git.run(&["rebase", "--quiet", &self.remote_ref()]) {
            let _ = git.run(&["rebase", "--abort"]);
            let stderr = match e {
                GitError::Failed { stderr, .. } => stderr,
                other => other.to_string(),
            };
            return Err(GitError::Conflict {
                remote: self.remote.clone(),
                branch: self.branch.clone(),
                stderr,
            });
        }
        git.run(&["rev-parse", "HEAD"])
    }

    /// Removes the temporary rebase work tree, whatever state an earlier run left it in.
    fn remove_scratch(&self) {
        let scratch = self.scratch.to_string_lossy();
        let _ = self.site.run(&["worktree", "remove", "--force", &scratch]);
        let _ = std::fs::remove_dir_all(&self.scratch);
        let _ = self.site.run(&["worktree", "prune"]);
    }

    /// Whether commit `a` is an ancestor of (or equal to) `b`.
    fn is_ancestor(&self, a: &str, b: &str) -> bool {
        self.site.ran(&["merge-base", "--is-ancestor", a, b], None).is_ok_and(|ran| ran.success)
    }
}
