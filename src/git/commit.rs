//! Committing exactly the files a run wrote: `git add -- <paths>` then
//! `git commit -- <paths>` (only those paths, whatever else is staged), in the site's work
//! tree or in syndicator's own work tree of the branch (created on first use, our files
//! copied in). Feed files outside the repository, or ignored by it, are left out; so are
//! shortcode templates the repository already tracks (they are the author's to change).

use std::path::Path;

use super::files::{Entry, Kind, message};
use super::{GitError, Repo, RunFiles};

impl Repo {
    /// Commits the run's files that are inside the repository and differ from the branch; a
    /// run that changed nothing there makes no commit.
    pub fn commit(&self, files: &RunFiles) -> Result<(), GitError> {
        let mut entries: Vec<(&Entry, String)> =
            files.0.iter().filter_map(|entry| Some((entry, self.in_repo(&entry.path)?))).collect();
        let feeds: Vec<&str> =
            entries.iter().filter(|(e, _)| e.kind == Kind::Feed).map(|(_, path)| path.as_str()).collect();
        let ignored = self.ignored(&feeds)?;
        let shortcodes: Vec<&str> = entries
            .iter()
            .filter(|(e, _)| e.kind == Kind::Shortcode)
            .map(|(_, path)| path.as_str())
            .collect();
        let tracked = self.tracked(&shortcodes)?;
        entries.retain(|(entry, path)| match entry.kind {
            Kind::Feed => !ignored.contains(path),
            Kind::Shortcode => !tracked.contains(path),
            Kind::NewStub | Kind::UpdatedStub | Kind::Resource => true,
        });
        if entries.is_empty() {
            return Ok(());
        }
        if self.own_tree() {
            entries.iter().try_for_each(|(_, path)| self.copy_into_own_tree(path))?;
        }
        let paths: Vec<&str> = entries.iter().map(|(_, path)| path.as_str()).collect();
        self.work.run(&[&["--literal-pathspecs", "add", "--"][..], &paths].concat())?;
        let staged = self.work.ran(
            &[&["--literal-pathspecs", "diff", "--cached", "--quiet", "--"][..], &paths].concat(),
            None,
        )?;
        if staged.success {
            return Ok(());
        }
        self.work.run_with_input(
            &[&["--literal-pathspecs", "commit", "--quiet", "--file=-", "--"][..], &paths].concat(),
            &message(&entries),
        )?;
        tracing::info!(branch = %self.branch, files = paths.len(), "git: committed the run's files");
        Ok(())
    }

    /// `path` relative to the repository's top level with `/` separators, if it is inside.
    fn in_repo(&self, path: &Path) -> Option<String> {
        let absolute = std::fs::canonicalize(path).ok()?;
        let relative = absolute.strip_prefix(&self.site.dir).ok()?;
        let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
        parts.map(|parts| parts.join("/")).filter(|p| !p.is_empty())
    }

    /// Which of `paths` the repository ignores (and does not track).
    fn ignored(&self, paths: &[&str]) -> Result<Vec<String>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let ran = self.site.ran(&[&["check-ignore", "--"][..], paths].concat(), None)?;
        Ok(ran.stdout.lines().map(str::to_owned).collect())
    }

    /// Which of `paths` the repository tracks.
    fn tracked(&self, paths: &[&str]) -> Result<Vec<String>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let listed = self.site.run(&[&["--literal-pathspecs", "ls-files", "--"][..], paths].concat())?;
        Ok(listed.lines().map(str::to_owned).collect())
    }

    /// Copies the site's file at `path` to the same place in syndicator's own work tree.
    fn copy_into_own_tree(&self, path: &str) -> Result<(), GitError> {
        let to = self.work.dir.join(path);
        let copy = || -> std::io::Result<()> {
            let bytes = std::fs::read(self.site.dir.join(path))?;
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            crate::files::replace(&to, &bytes)
        };
        copy().map_err(|source| GitError::Copy { path: to.clone(), source })
    }

    /// Creates syndicator's own work tree of the branch when commits go there and it is
    /// missing: the branch starts from the remote's, else from the checked-out commit.
    pub fn ensure_own_tree(&self) -> Result<(), GitError> {
        if !self.own_tree() || self.work.dir.join(".git").exists() {
            return Ok(());
        }
        self.site.run(&["worktree", "prune"])?;
        if !self.has_ref(&self.local_ref()) {
            let remote = self.remote_ref();
            let start = if self.has_ref(&remote) { remote.as_str() } else { "HEAD" };
            self.site.run(&["branch", "--no-track", &self.branch, start])?;
        }
        let dir = self.work.dir.to_string_lossy();
        self.site.run(&["worktree", "add", "--quiet", &dir, &self.branch])?;
        tracing::info!("git: made a work tree of {} at {dir} for syndicator's commits", self.branch);
        Ok(())
    }

    /// Whether `reference` names a commit.
    pub fn has_ref(&self, reference: &str) -> bool {
        let commit = format!("{reference}^{{commit}}");
        self.site.ran(&["rev-parse", "--verify", "--quiet", &commit], None).is_ok_and(|ran| ran.success)
    }
}
