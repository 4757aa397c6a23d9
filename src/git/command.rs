//! Running the system `git` in one folder: never interactive (no terminal prompt, no editor,
//! stdin closed unless we feed it), every commit authored and committed by the configured
//! identity, and a failure returned as data naming the command, the folder and git's stderr
//! with any credentials in URLs masked.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::GitError;

/// At most this much of git's stderr is kept in an error.
const MAX_STDERR: usize = 2000;

/// `git` run in `dir` as `author` (name, email).
#[derive(Debug, Clone)]
pub struct Git {
    pub dir: PathBuf,
    pub author: (String, String),
}

/// What a git command that ran printed, and whether it succeeded.
pub struct Ran {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Git {
    pub fn new(dir: &Path, author: (String, String)) -> Git {
        Git { dir: dir.to_owned(), author }
    }

    /// The same identity in another folder.
    pub fn at(&self, dir: &Path) -> Git {
        Git::new(dir, self.author.clone())
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
            .stderr(Stdio::piped());
        let spawn_error = |source| GitError::Spawn { dir: self.dir.clone(), source };
        let mut child = command.spawn().map_err(spawn_error)?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin.write_all(input.as_bytes()).map_err(spawn_error)?;
        }
        let output = child.wait_with_output().map_err(spawn_error)?;
        Ok(Ran {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
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
