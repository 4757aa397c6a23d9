//! Finding and merging a Hugo site's config the way Hugo does: the first of its config file
//! names at the site root, then the `config/_default/` folder and the `config/production/`
//! folder (`hugo` builds for production) merged over it. In a folder, `hugo.*` and `config.*`
//! hold top-level keys, any other `<key>.*` file (`params.toml`, `permalinks.yaml`,
//! `languages.json` …) holds the table of that key, and `<key>.<lang>.*` (`menus.en.toml`)
//! that of `languages.<lang>.<key>`. Keys are case-insensitive in Hugo, so every key is
//! lowercased.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The config file names Hugo looks for at the site root, in its order of preference.
const FILE_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The config folders merged over the root file, in order.
const FOLDERS: &[&str] = &["config/_default", "config/production"];

/// Where a Hugo site keeps its config: the root file if any, else `config/_default/`.
/// `None` means `root` is not a Hugo site.
pub fn locate(root: &Path) -> Option<PathBuf> {
    let file = FILE_NAMES.iter().map(|name| root.join(name)).find(|p| p.is_file());
    file.or_else(|| Some(root.join(FOLDERS[0])).filter(|p| p.is_dir()))
}

/// The site's merged config as one lowercased JSON tree (an empty object for a site without
/// config), or an error naming the file that does not read or parse.
pub fn merged(root: &Path) -> Result<Value, String> {
    let mut tree = Value::Object(Map::new());
    if let Some(file) = FILE_NAMES.iter().map(|name| root.join(name)).find(|p| p.is_file()) {
        merge(&mut tree, read(&file)?);
    }
    for folder in FOLDERS.iter().map(|f| root.join(f)).filter(|p| p.is_dir()) {
        merge_folder(&mut tree, &folder)?;
    }
    Ok(tree)
}

fn merge_folder(tree: &mut Value, folder: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for file in files.iter().filter(|f| format_of(f).is_some() && f.is_file()) {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_lowercase();
        let value = read(file)?;
        let placed = match stem.split_once('.') {
            None if stem == "hugo" || stem == "config" => value,
            None => nest(&[&stem], value),
            Some((key, lang)) => nest(&["languages", lang, key], value),
        };
        merge(tree, placed);
    }
    Ok(())
}

/// `value` under the path of keys `keys`.
fn nest(keys: &[&str], value: Value) -> Value {
    keys.iter().rev().fold(value, |inner, key| Value::Object(Map::from_iter([(key.to_string(), inner)])))
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Toml,
    Yaml,
    Json,
}

fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "toml" => Some(Format::Toml),
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

fn read(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let format = format_of(path).unwrap_or(Format::Toml);
    parse(&text, format == Format::Toml, format == Format::Json)
        .map(lowercase_keys)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses config text: TOML, JSON, or else YAML.
pub fn parse(text: &str, is_toml: bool, is_json: bool) -> Result<Value, String> {
    if is_toml {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        serde_json::to_value(table).map_err(|e| e.to_string())
    } else if is_json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else if text.trim().is_empty() {
        Ok(Value::Object(Map::new()))
    } else {
        serde_saphyr::from_str(text).map_err(|e| e.to_string())
    }
}

/// Lowercases every object key, as Hugo does.
pub fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k.to_lowercase(), lowercase_keys(v))).collect())
        }
        other => other,
    }
}

/// Deep-merges `over` into `base`: tables merge key by key, anything else is replaced.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, name: &str, text: &str) {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_config_folder_is_merged_like_hugo_does() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        write(root, "config/_default/hugo.toml", "baseURL = 'https://dev.test/'\nTitle = 'Blog'\n");
        write(root, "config/_default/permalinks.yaml", "posts: /:year/:slug/\n");
        write(root, "config/_default/params.json", "{\"Author\": \"Ann\"}");
        write(root, "config/_default/menus.en.toml", "[[main]]\nname = 'Home'\n");
        write(root, "config/production/hugo.toml", "baseURL = 'https://prod.test/'\n");
        assert_eq!(locate(root), Some(root.join("config/_default")));
        let tree = merged(root).unwrap();
        assert_eq!(tree["baseurl"], "https://prod.test/");
        assert_eq!(tree["title"], "Blog");
        assert_eq!(tree["permalinks"]["posts"], "/:year/:slug/");
        assert_eq!(tree["params"]["author"], "Ann");
        assert_eq!(tree["languages"]["en"]["menus"]["main"][0]["name"], "Home");
    }

    #[test]
    fn the_root_file_follows_hugos_order_and_a_bad_file_is_named() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        assert_eq!(locate(root), None, "no config: not a Hugo site");
        write(root, "config.toml", "title = 'old'\n");
        write(root, "hugo.yaml", "title: new\n");
        assert_eq!(locate(root), Some(root.join("hugo.yaml")));
        assert_eq!(merged(root).unwrap()["title"], "new");
        write(root, "hugo.yaml", "title: [unclosed\n");
        let error = merged(root).unwrap_err();
        assert!(error.contains("hugo.yaml"), "{error}");
    }
}
