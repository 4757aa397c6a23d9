//! The parts of a Hugo site's own config that decide permalinks: `[permalinks]` and
//! `disablePathToLower`. Read from the first of `hugo.toml`, `hugo.yaml`, `hugo.yml`,
//! `config.toml`, `config.yaml`, `config.yml` at the site root (Hugo's order); a
//! `config/_default/` directory is not read. Parsing is pure; `load` does the IO.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The config file names Hugo looks for, in its order of preference.
const FILE_NAMES: &[&str] =
    &["hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml"];

/// Permalink settings of a Hugo site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoConfig {
    /// Section name → permalink pattern, e.g. `posts` → `/:year/:month/:slug/`.
    pub permalinks: BTreeMap<String, String>,
    /// Hugo lowercases paths unless this is set.
    pub disable_path_to_lower: bool,
}

impl HugoConfig {
    /// Reads the site's config file; a site without one gets Hugo's defaults.
    pub fn load(root: &Path) -> Result<HugoConfig, String> {
        for name in FILE_NAMES {
            let path = root.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    return HugoConfig::parse(&text, name.ends_with(".toml"))
                        .map_err(|e| format!("{}: {e}", path.display()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        Ok(HugoConfig::default())
    }

    /// Parses config text, TOML or YAML.
    pub fn parse(text: &str, is_toml: bool) -> Result<HugoConfig, String> {
        let value: Value = if is_toml {
            let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
            serde_json::to_value(table).map_err(|e| e.to_string())?
        } else {
            serde_saphyr::from_str(text).map_err(|e| e.to_string())?
        };
        Ok(from_value(&value))
    }
}

fn from_value(value: &Value) -> HugoConfig {
    let get = |key: &str| {
        value.as_object().and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))).map(|(_, v)| v)
    };
    HugoConfig {
        permalinks: get("permalinks").map(patterns).unwrap_or_default(),
        disable_path_to_lower: get("disablePathToLower").and_then(Value::as_bool).unwrap_or(false),
    }
}

/// Section patterns, from either `[permalinks] posts = …` or newer Hugo's
/// `[permalinks.page] posts = …` (which wins).
fn patterns(value: &Value) -> BTreeMap<String, String> {
    let Some(map) = value.as_object() else { return BTreeMap::new() };
    let mut out: BTreeMap<String, String> =
        map.iter().filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_owned()))).collect();
    if let Some(page) = map.get("page").and_then(Value::as_object) {
        out.extend(page.iter().filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_owned()))));
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
    }

    #[test]
    fn reads_yaml_and_page_table() {
        let config = HugoConfig::parse(
            "disablePathToLower: true\npermalinks:\n  page:\n    notes: /n/:slug/\n",
            false,
        )
        .unwrap();
        assert_eq!(config.permalinks.get("notes").map(String::as_str), Some("/n/:slug/"));
        assert!(config.disable_path_to_lower);
    }

    #[test]
    fn no_config_is_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(HugoConfig::load(dir.path()).unwrap(), HugoConfig::default());
    }
}
