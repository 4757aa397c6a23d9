//! Running the system `git` in one folder: never interactive (no terminal prompt, no editor,
//! stdin closed unless we feed it), every commit authored and committed by the configured
//! identity, bounded in time (`[git] timeout_secs`: a push to a remote that stops answering
//! or an SSH prompt no one sees kills git and what it started, and fails the command), and a
//! failure returned as data naming the command, the folder and git's stderr with any
//! credentials in URLs masked.

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use super::GitError;
use crate::child::kill_group;

/// At most this much of git's stderr is kept in an error.
const MAX_STDERR: usize = 2000;

/// `git` run in `dir` as `author` (name, email).
#[derive(Debug, Clone)]
pub struct Git {
    pub dir: PathBuf,
    pub author: (String, String),
    /// How long one git command may run before it is killed.
    pub timeout: Duration,
}

/// What a git command that ran printed, and whether it succeeded.
pub struct Ran {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Git {
    pub fn new(dir: &Path, author: (String, String), timeout: Duration) -> Git {
        Git { dir: dir.to_owned(), author, timeout }
    }

    /// The same identity and timeout in another folder.
    pub fn at(&self, dir: &Path) -> Git {
        Git::new(dir, self.author.clone(), self.timeout)
    }

    /// Runs `git <args>`; its stdout (trimmed) on success, else [`GitError::Failed`].
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let ran = self.ran(args, None)?;
        match ran.success {
            true => Ok(ran.stdout.trim().to_owned()),
            false => Err(self.failed(args, &ran.stderr)),
        }
    }

    /// Runs `git <args>` with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Result<String, GitError> {
        let ran = self.ran(args, Some(input))?;
        match ran.success {
            true => Ok(ran.stdout.trim().to_owned()),
            false => Err(self.failed(args, &ran.stderr)),
        }
    }

    /// Runs `git <args>` where a non-zero exit is an answer (`merge-base --is-ancestor`,
    /// `diff --quiet`, `check-ignore`), not a failure.
    pub fn ran(&self, args: &[&str], input: Option<&str>) -> Result<Ran, GitError> {
        let (name, email) = &self.author;
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(&self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_EDITOR", "true")
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_COMMITTER_NAME", name)
            .env("GIT_COMMITTER_EMAIL", email)
            .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let spawn_error = |source| GitError::Spawn { dir: self.dir.clone(), source };
        let (output, timed_out) = self.within_timeout(command.spawn().map_err(spawn_error)?, input);
        if timed_out {
            return Err(GitError::TimedOut {
                command: format!("git {}", args.join(" ")),
                dir: self.dir.clone(),
                secs: self.timeout.as_secs(),
            });
        }
        let output = output.map_err(spawn_error)?;
        Ok(Ran {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    /// Feeds `input` to `child` and collects its output; past [`Git::timeout`] a watchdog
    /// kills its process group (git and the ssh or helper it started), which closes the pipes
    /// and ends the wait. Returns the output and whether the watchdog fired.
    fn within_timeout(&self, mut child: Child, input: Option<&str>) -> (std::io::Result<Output>, bool) {
        let (finished, watched) = mpsc::channel::<()>();
        let (group, timeout) = (child.id(), self.timeout);
        let watchdog = std::thread::spawn(move || {
            let fired = matches!(watched.recv_timeout(timeout), Err(RecvTimeoutError::Timeout));
            if fired {
                kill_group(group);
            }
            fired
        });
        let fed = match (input, child.stdin.take()) {
            (Some(input), Some(mut stdin)) => stdin.write_all(input.as_bytes()),
            _ => Ok(()),
        };
        let output = child.wait_with_output().and_then(|output| fed.map(|()| output));
        drop(finished);
        (output, watchdog.join().unwrap_or(false))
    }

    pub fn failed(&self, args: &[&str], stderr: &str) -> GitError {
        GitError::Failed {
            command: format!("git {}", args.join(" ")),
            dir: self.dir.clone(),
            stderr: masked(stderr),
        }
    }
}

/// `stderr`, trimmed to its last [`MAX_STDERR`] bytes, with `user:password@` in URLs masked.
pub fn masked(stderr: &str) -> String {
    static CREDENTIALS: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"://[^/@\s]+@").expect("the pattern is valid"));
    let text = stderr.trim();
    let start = text.len().saturating_sub(MAX_STDERR);
    let start = (start..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
    CREDENTIALS.replace_all(&text[start..], "://***@").into_owned()
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn credentials_in_urls_are_masked_and_stderr_is_bounded() {
        let text = "fatal: unable to access 'https://bot:s3cr3t@git.example/blog.git/': 403";
        assert_eq!(masked(text), "fatal: unable to access 'https://***@git.example/blog.git/': 403");
        let long = "é".repeat(5000);
        assert!(masked(&long).len() <= 2000 && masked(&long).chars().all(|c| c == 'é'));
    }
}
