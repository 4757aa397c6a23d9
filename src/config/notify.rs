//! One `[[notify]]` entry: where events go (a webhook, an ntfy topic or a local command) and
//! which events and channels it wants. The webhook secret is read from the environment
//! variable the entry names, at load time, and never printed.

use std::fmt;

use serde::Deserialize;

use super::values::{Bounded, ChannelId, SourceUrl};
use crate::notify::EventKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyKind {
    Webhook,
    Ntfy,
    Command,
}

impl NotifyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyKind::Webhook => "webhook",
            NotifyKind::Ntfy => "ntfy",
            NotifyKind::Command => "command",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    pub kind: toml::Spanned<NotifyKind>,
    /// The webhook URL or the ntfy topic URL (http or https).
    pub url: Option<SourceUrl>,
    /// The environment variable holding the webhook's HMAC-SHA256 key.
    pub secret_env: Option<String>,
    /// The events wanted; empty means all.
    #[serde(default)]
    pub events: Vec<EventKind>,
    /// The channels wanted; empty means all.
    #[serde(default)]
    pub channels: Vec<ChannelId>,
    /// `kind = "command"`: the program and its arguments, run without a shell.
    #[serde(default)]
    pub command: Vec<String>,
    /// How long a command may run, or a webhook/ntfy request may take, before it counts as
    /// failed (the command's process group is killed).
    #[serde(default = "default_timeout")]
    pub timeout_secs: Bounded<1, 3600>,
    /// The key read from `secret_env` by [`Notify::check`].
    #[serde(skip)]
    pub secret: Option<Secret>,
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(pub Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl Notify {
    pub fn kind(&self) -> NotifyKind {
        *self.kind.get_ref()
    }

    /// Where events go, as shown by `check` and in logs: the URL or the program.
    pub fn target(&self) -> String {
        match (&self.url, self.command.first()) {
            (Some(url), _) => url.to_string(),
            (None, Some(program)) => program.clone(),
            (None, None) => String::new(),
        }
    }

    /// Whether this entry wants `event` of `channel`.
    pub fn wants(&self, event: EventKind, channel: &str) -> bool {
        (self.events.is_empty() || self.events.contains(&event))
            && (self.channels.is_empty() || self.channels.iter().any(|c| c.as_str() == channel))
    }

    /// Checks what serde cannot (which keys go with which kind, known channels) and reads the
    /// secret; `line` names the entry in errors.
    pub fn check(&mut self, line: usize, known: &dyn Fn(&str) -> bool) -> Result<(), String> {
        let kind = self.kind().as_str();
        let at = format!("[[notify]] kind = \"{kind}\" at line {line}");
        match (self.kind(), &self.url, self.command.is_empty()) {
            (NotifyKind::Command, None, false) => {}
            (NotifyKind::Command, _, _) => {
                return Err(format!("{at}: set command = [\"program\", \"arg\", …] and no url"));
            }
            (_, Some(url), true) if matches!(url.url().scheme(), "http" | "https") => {}
            (_, _, _) => return Err(format!("{at}: set url = \"https://…\" (http or https) and no command")),
        }
        if let Some(unknown) = self.channels.iter().find(|c| !known(c.as_str())) {
            return Err(format!(
                "{at}: channels names \"{}\", which is not a configured channel",
                unknown.as_str()
            ));
        }
        if let Some(name) = &self.secret_env {
            if self.kind() != NotifyKind::Webhook {
                return Err(format!("{at}: secret_env is only for kind = \"webhook\""));
            }
            let value = std::env::var_os(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                format!("{at}: secret_env names the environment variable {name}, which is not set")
            })?;
            self.secret = Some(Secret(value.into_encoded_bytes()));
        }
        Ok(())
    }
}

fn default_timeout() -> Bounded<1, 3600> {
    Bounded(30)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Config;

    fn parse(notify: &str) -> Result<Config, String> {
        let text = format!(
            "[site]\nroot = \"site\"\ntitle = \"T\"\nbase_url = \"https://blog.example.com/\"\n\n\
             [[channels]]\nid = \"mlst\"\nname = \"MLST\"\nyoutube = \"https://example.com/y.xml\"\n\n{notify}"
        );
        Config::parse(&text, Path::new("test.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn entries_parse_with_their_defaults() {
        let config = parse(
            "[[notify]]\nkind = \"webhook\"\nurl = \"https://hooks.example/s\"\n\n\
             [[notify]]\nkind = \"command\"\ncommand = [\"on-stub\", \"--flag\"]\nevents = [\"stub.written\"]\nchannels = [\"mlst\"]\n",
        )
        .unwrap();
        let [webhook, command] = &config.notify[..] else { panic!("two entries") };
        assert!(webhook.wants(crate::notify::EventKind::SourceFailing, "other"), "all by default");
        assert_eq!(command.timeout_secs.get(), 30);
        assert!(command.wants(crate::notify::EventKind::StubWritten, "mlst"));
        assert!(!command.wants(crate::notify::EventKind::StubUpdated, "mlst"));
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let cases = [
            ("[[notify]]\nkind = \"webhook\"\n", "set url", "line 12"),
            ("[[notify]]\nkind = \"ntfy\"\nurl = \"file:x\"\n", "http or https", "line 12"),
            ("[[notify]]\nkind = \"command\"\ncommand = []\n", "set command", "line 12"),
            (
                "[[notify]]\nkind = \"command\"\ncommand = [\"x\"]\nurl = \"https://a.example/\"\n",
                "no url",
                "line 12",
            ),
            (
                "[[notify]]\nkind = \"webhook\"\nurl = \"https://a.example/\"\nchannels = [\"nope\"]\n",
                "\"nope\"",
                "line 12",
            ),
            (
                "[[notify]]\nkind = \"webhook\"\nurl = \"https://a.example/\"\nevents = [\"stub.eaten\"]\n",
                "stub.eaten",
                "line 14",
            ),
            ("[[notify]]\nkind = \"pigeon\"\n", "pigeon", "line 12"),
            (
                "[[notify]]\nkind = \"ntfy\"\nurl = \"https://a.example/\"\nsecret_env = \"HOME\"\n",
                "only for",
                "line 12",
            ),
            (
                "[[notify]]\nkind = \"webhook\"\nurl = \"https://a.example/\"\nsecret_env = \"SYNDICATOR_NO_SUCH_VARIABLE\"\n",
                "SYNDICATOR_NO_SUCH_VARIABLE",
                "line 12",
            ),
        ];
        for (entry, needle, line) in cases {
            let error = parse(entry).expect_err(entry);
            assert!(error.contains(needle) && error.contains(line), "{entry}: {error}");
        }
    }

    #[test]
    fn the_secret_is_never_shown_by_debug() {
        let secret = super::Secret(b"hunter2".to_vec());
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
