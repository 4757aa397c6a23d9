//! Stub templates: the built-in one per [`Language`] and user templates, all minijinja
//! sources rendered through one code path with auto-escaping off.

use std::borrow::Cow;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::StubError;
use super::vars::StubVars;
use super::yaml::quote_yaml;
use crate::model::Language;

/// A stub template: minijinja source text, rendered with auto-escaping off, undefined
/// variables an error, `trim_blocks` on (a block tag eats its own newline) and the trailing
/// newline kept.
///
/// Variables (plain ones are body-safe: `{{`, `<` and entity-like `&` are neutralised;
/// `*_yaml` ones are raw values as YAML double-quoted scalars for the front matter):
///
/// | variable | value |
/// |---|---|
/// | `title`, `title_yaml` | the episode title |
/// | `date` | earliest publish time, RFC 3339 in the site time zone, seconds precision |
/// | `year`, `month`, `month_name` | of `date`: `2025`, `11`, `November` |
/// | `description`, `description_yaml` | plain-text description, one line, ≤ 160 chars |
/// | `tags_yaml`, `categories_yaml` | YAML flow sequences (`["a", "b"]`, `[]`) |
/// | `source_url`, `source_url_yaml` | YouTube watch URL, else the podcast link (http(s) only), else `""` |
/// | `source_name`, `source_name_yaml` | the channel name |
/// | `syndicator_id`, `syndicator_id_yaml` | the episode id |
/// | `kind` | `article` (only plain `feed` items, no enclosure), else `episode` |
/// | `embeds` | the shortcode lines, blank-line separated; `""` when none |
/// | `body` | the whole description as plain text, paragraphs kept |
/// | `guests`, `guests_yaml` | the episode's guests (list; YAML flow sequence), never a host |
/// | `chapters` | list of `{start, time, title, link, url}`: start in seconds, `mm:ss`/`h:mm:ss`, the title, a link to the moment (`""` if none), the show's link for the chapter (`""` if none) |
/// | `cover`, `cover_yaml` | a page bundle's cover file (`cover.jpg`), a single file's artwork URL, else `""` |
/// | `transcript_path` | where the show's transcript was written, relative to the site root (`content/<section>/<bundle>/transcript.md`, `_raw/<section>/<stub>/transcript.md`), once it is there, else `""` |
/// | `images`, `images_yaml`, `images_toml` | a single file's artwork URL as a list; a YAML flow sequence; a TOML array; empty in a bundle (Hugo finds its cover) |
///
/// `tags_yaml` starts with the guests when `[site] guest_tags` is on.
/// The `yaml` filter quotes any string as a YAML double-quoted scalar; applied to a plain
/// variable it quotes the neutralised text, so front matter should use the `*_yaml` ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: Cow<'static, str>,
}

impl Template {
    /// The built-in template of `lang`.
    pub fn builtin(lang: Language) -> Template {
        let source = match lang {
            Language::ZhTw => include_str!("templates/zh-TW.md.j2"),
            Language::En => include_str!("templates/en.md.j2"),
        };
        Template { source: Cow::Borrowed(source) }
    }

    /// A user template; fails when the source does not compile.
    pub fn user(source: String) -> Result<Template, StubError> {
        environment().template_from_str(&source).map_err(StubError::InvalidTemplate)?;
        Ok(Template { source: Cow::Owned(source) })
    }

    pub(super) fn render(&self, vars: &StubVars) -> Result<String, StubError> {
        let env = environment();
        let template = env.template_from_str(&self.source).map_err(StubError::InvalidTemplate)?;
        template.render(vars).map_err(StubError::Render)
    }
}

fn environment<'source>() -> Environment<'source> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("yaml", |s: String| quote_yaml(&s));
    env
}
