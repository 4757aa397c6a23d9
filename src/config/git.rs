//! `[git]`: committing the stubs a run wrote (and the feeds, when they live in the repository)
//! to the blog's git repository, and optionally pushing them. Off by default. The values end
//! up as arguments and environment of the system `git`, so each is checked here: a name that
//! could be read as an option, or an author that would break the commit header, is refused.

use serde::{Deserialize, Deserializer, de::Error as _};

use super::values::Bounded;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "default_remote")]
    pub remote: GitName,
    /// The branch the commits go to; the checked-out branch when absent.
    pub branch: Option<GitName>,
    /// Push after committing; commit only when false.
    #[serde(default)]
    pub push: bool,
    #[serde(default = "default_author_name")]
    pub author_name: AuthorPart,
    #[serde(default = "default_author_email")]
    pub author_email: AuthorPart,
    /// How long one git command (a push above all) may run before it is killed: a remote
    /// that stops answering must not hang `sync` or the service's runs.
    #[serde(default = "default_timeout")]
    pub timeout_secs: Bounded<1, 3600>,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            enabled: false,
            remote: default_remote(),
            branch: None,
            push: false,
            author_name: default_author_name(),
            author_email: default_author_email(),
            timeout_secs: default_timeout(),
        }
    }
}

/// A remote or branch name: not empty, not starting with `-` (it would be read as an option),
/// no whitespace or control characters. `git` checks the rest of its rules itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitName(String);

impl GitName {
    pub fn parse(text: &str) -> Result<GitName, String> {
        let valid = !text.is_empty()
            && !text.starts_with('-')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        valid.then(|| GitName(text.to_owned())).ok_or_else(|| {
            format!("invalid git name \"{}\": not empty, no leading '-', no spaces", text.escape_debug())
        })
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for GitName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        GitName::parse(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

/// An author name or email: not empty, no `<`, `>` or control characters (they would break
/// the `Name <email>` line of a commit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorPart(String);

impl AuthorPart {
    pub fn parse(text: &str) -> Result<AuthorPart, String> {
        let text = text.trim();
        let valid = !text.is_empty() && !text.chars().any(|c| c == '<' || c == '>' || c.is_control());
        valid.then(|| AuthorPart(text.to_owned())).ok_or_else(|| {
            format!("invalid git author \"{}\": not empty, no '<', '>' or line breaks", text.escape_debug())
        })
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for AuthorPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AuthorPart::parse(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

fn default_remote() -> GitName {
    GitName("origin".to_owned())
}
fn default_author_name() -> AuthorPart {
    AuthorPart("syndicator".to_owned())
}
fn default_author_email() -> AuthorPart {
    AuthorPart("syndicator@localhost".to_owned())
}

fn default_timeout() -> Bounded<1, 3600> {
    Bounded(300)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    const SITE: &str = "[site]\nroot = \"site\"\ntitle = \"T\"\nbase_url = \"https://blog.example.com/\"\n";

    fn parse(git: &str) -> Result<Config, String> {
        Config::parse(&format!("{SITE}[git]\n{git}"), Path::new("t.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let git = parse("enabled = true\n").unwrap().git;
        assert!(git.enabled && !git.push && git.branch.is_none());
        assert_eq!((git.remote.as_str(), git.author_name.as_str()), ("origin", "syndicator"));
        assert_eq!(git.author_email.as_str(), "syndicator@localhost");
        assert!(!Config::parse(SITE, Path::new("t.toml")).unwrap().git.enabled, "off by default");
    }

    #[test]
    fn names_read_as_options_and_broken_authors_are_refused_with_their_line() {
        for (line, value) in [
            ("branch = \"--force\"", "--force"),
            ("remote = \"a b\"", "a b"),
            ("author_email = \"x> <y\"", "x> <y"),
            ("author_name = \"a\\nb\"", "a\\nb"),
        ] {
            let error = parse(line).expect_err(line);
            assert!(error.contains(value) && error.contains("line 6"), "{line}: {error}");
        }
    }
}
