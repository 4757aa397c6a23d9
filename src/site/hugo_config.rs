//! The parts of a Hugo site's own config syndicator uses: permalinks (`[permalinks]`,
//! `disablePathToLower`, `uglyURLs`) and the site settings `[site]` may leave to Hugo
//! (`baseURL`, `title`, `languageCode`, `timeZone`). Read from the root config file and the
//! `config/_default/` and `config/production/` folders, merged as Hugo merges them (see
//! `files`); a value set for the default content language under `languages.<lang>` wins over
//! the top-level one, as in Hugo. Parsing is pure; `load` does the IO.

mod files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The settings syndicator reads from a Hugo site's config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoConfig {
    /// Section name → permalink pattern, e.g. `posts` → `/:year/:month/:slug/`.
    pub permalinks: BTreeMap<String, String>,
    /// Hugo lowercases paths unless this is set.
    pub disable_path_to_lower: bool,
    /// Pages are `/<path>.html` instead of `/<path>/`.
    pub ugly_urls: bool,
    pub base_url: Option<String>,
    pub title: Option<String>,
    pub language_code: Option<String>,
    pub time_zone: Option<String>,
    /// Where the config was read from (the root file, else `config/_default/`); `None` for a
    /// folder that is not a Hugo site.
    pub source: Option<PathBuf>,
}

impl HugoConfig {
    /// Where a Hugo site keeps its config; `None` means `root` is not a Hugo site.
    pub fn locate(root: &Path) -> Option<PathBuf> {
        files::locate(root)
    }

    /// Reads the site's config; a folder without one gets Hugo's defaults.
    pub fn load(root: &Path) -> Result<HugoConfig, String> {
        let tree = files::merged(root)?;
        Ok(HugoConfig { source: files::locate(root), ..from_value(&tree) })
    }

    /// Parses the text of one config file, TOML or YAML.
    pub fn parse(text: &str, is_toml: bool) -> Result<HugoConfig, String> {
        let value = files::parse(text, is_toml, false)?;
        Ok(from_value(&files::lowercase_keys(value)))
    }
}

/// The settings in a merged, lowercased config tree.
fn from_value(tree: &Value) -> HugoConfig {
    let language = tree.get("defaultcontentlanguage").and_then(Value::as_str).unwrap_or("en");
    let language_table = tree.get("languages").and_then(|l| l.get(language.to_lowercase()));
    let text = |key: &str| {
        let value = language_table.and_then(|t| t.get(key)).or_else(|| tree.get(key));
        value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
    };
    let flag = |key: &str| tree.get(key).and_then(Value::as_bool).unwrap_or(false);
    HugoConfig {
        permalinks: tree.get("permalinks").map(patterns).unwrap_or_default(),
        disable_path_to_lower: flag("disablepathtolower"),
        ugly_urls: flag("uglyurls"),
        base_url: text("baseurl"),
        title: text("title"),
        language_code: text("languagecode"),
        time_zone: text("timezone"),
        source: None,
    }
}

/// Section patterns, from either `[permalinks] posts = …` or newer Hugo's
/// `[permalinks.page] posts = …` (which wins).
fn patterns(value: &Value) -> BTreeMap<String, String> {
    let Some(map) = value.as_object() else { return BTreeMap::new() };
    let strings = |map: &serde_json::Map<String, Value>| {
        map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect::<Vec<_>>()
    };
    let mut out: BTreeMap<String, String> = strings(map).into_iter().collect();
    if let Some(page) = map.get("page").and_then(Value::as_object) {
        out.extend(strings(page));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_permalinks() {
        let config = HugoConfig::parse(
            "baseURL = 'https://x.test/'\n[permalinks]\nposts = '/:year/:month/:slug/'\n",
            true,
        )
        .unwrap();
        assert_eq!(config.permalinks.get("posts").map(String::as_str), Some("/:year/:month/:slug/"));
        assert!(!config.disable_path_to_lower);
        assert_eq!(config.base_url.as_deref(), Some("https://x.test/"));
    }

    #[test]
    fn reads_yaml_and_page_table() {
        let config = HugoConfig::parse(
            "disablePathToLower: true\nuglyURLs: true\npermalinks:\n  page:\n    notes: /n/:slug/\n",
            false,
        )
        .unwrap();
        assert_eq!(config.permalinks.get("notes").map(String::as_str), Some("/n/:slug/"));
        assert!(config.disable_path_to_lower && config.ugly_urls);
    }

    #[test]
    fn the_default_languages_settings_win_over_the_top_level_ones() {
        let config = HugoConfig::parse(
            "title = 'Top'\nlanguageCode = 'en-us'\ntimeZone = 'UTC'\ndefaultContentLanguage = 'zh'\n\
             [languages.zh]\ntitle = '中文'\nlanguageCode = 'zh-TW'\n[languages.en]\ntitle = 'English'\n",
            true,
        )
        .unwrap();
        assert_eq!(config.title.as_deref(), Some("中文"));
        assert_eq!(config.language_code.as_deref(), Some("zh-TW"));
        assert_eq!(config.time_zone.as_deref(), Some("UTC"));
    }

    #[test]
    fn no_config_is_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(HugoConfig::load(dir.path()).unwrap(), HugoConfig::default());
    }
}
