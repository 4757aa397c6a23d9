//! `[git]` as `status` and `/api/status` show it: the branch, the remote, how many commits
//! the remote branch lacks as of the last fetch (non-zero after a failed push: the next run
//! retries), and the last failure this process saw. Reads local refs only, no network.

use serde::Serialize;

use super::Repo;
use crate::config::Config;

#[derive(Debug, Serialize)]
pub struct GitStatus {
    pub branch: Option<String>,
    pub remote: Option<String>,
    pub push: bool,
    /// Commits on the branch that the remote branch lacks, as of the last fetch.
    pub unpushed: u64,
    /// A configuration problem, or the last commit/push failure of this process.
    pub problem: Option<String>,
}

impl GitStatus {
    /// The state of `[git]`, or `None` when it is disabled.
    pub fn collect(config: &Config) -> Option<GitStatus> {
        let repo = match Repo::open(config) {
            Ok(repo) => repo?,
            Err(e) => {
                let problem = Some(e.to_string());
                return Some(GitStatus { branch: None, remote: None, push: false, unpushed: 0, problem });
            }
        };
        let unpushed = if repo.push { repo.unpushed() } else { Ok(0) };
        let (unpushed, problem) = match unpushed {
            Ok(count) => (count, super::last_failure()),
            Err(e) => (0, Some(e.to_string())),
        };
        Some(GitStatus {
            branch: Some(repo.branch),
            remote: Some(repo.remote),
            push: repo.push,
            unpushed,
            problem,
        })
    }

    /// The lines `status` prints.
    pub fn describe(&self) -> String {
        let mut out = String::from("git\n");
        let name = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
        out.push_str(&format!("  branch:        {}\n", name(&self.branch)));
        if self.push {
            out.push_str(&format!("  pushes to:     {}\n", name(&self.remote)));
            out.push_str(&format!("  unpushed:      {} commit(s)", self.unpushed));
            out.push_str(if self.unpushed > 0 { " (the next run pushes them)\n" } else { "\n" });
        }
        out.push_str(&format!("  problem:       {}\n", self.problem.as_deref().unwrap_or("-")));
        out
    }
}
