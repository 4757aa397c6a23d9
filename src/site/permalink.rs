//! The path Hugo gives a page (its permalink without the base URL), following Hugo 0.111:
//! front-matter `url` wins; else the section's `[permalinks]` pattern; else
//! `/<directories>/<slug or file or bundle name>/`. Paths are sanitised like Hugo's
//! `MakePathSanitized` (spaces → `-`, odd characters dropped, lowercased unless
//! `disablePathToLower`), a directory path becomes `<path>.html` under `uglyURLs`, and
//! non-ASCII is percent-encoded. Pure.

use std::fmt::Write as _;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use regex::Regex;

use super::front_matter::FrontMatter;
use super::hugo_config::HugoConfig;

/// A permalink token such as `:year` or `:slug`.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":([a-zA-Z]+)").expect("token pattern"));

/// Where a page sits under `content/`, with `/` separators: `posts/2025/x.md`,
/// `posts/bundle/index.md`, `about.md`.
#[derive(Debug, Clone, Copy)]
pub struct PagePath<'a>(pub &'a str);

impl<'a> PagePath<'a> {
    /// The folders above the page (above the bundle folder for a bundle).
    fn dirs(self) -> Vec<&'a str> {
        let mut parts: Vec<&str> = self.0.split('/').collect();
        parts.pop();
        if self.is_bundle() {
            parts.pop();
        }
        parts
    }

    fn is_bundle(self) -> bool {
        self.0.rsplit('/').next().is_some_and(|f| stem(f) == "index")
    }

    /// Hugo's top-level section: the first folder, or "" for a page at the content root.
    pub fn section(self) -> &'a str {
        match self.0.split_once('/') {
            Some((first, _)) => first,
            None => "",
        }
    }

    /// The file's name without extension, or the bundle folder's name for `index.md`.
    fn file_name(self) -> &'a str {
        let parts: Vec<&str> = self.0.split('/').collect();
        let file = stem(parts[parts.len() - 1]);
        match (file, parts.len()) {
            ("index", n) if n >= 2 => parts[n - 2],
            _ => file,
        }
    }
}

/// The file name without its extension and without a language suffix (`post.zh-tw.md` →
/// `post`); other dots stay (`release-v1.2.md` → `release-v1.2`), as in Hugo.
fn stem(file: &str) -> &str {
    let name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    match name.rsplit_once('.') {
        Some((base, lang)) if is_language_code(lang) => base,
        _ => name,
    }
}

/// `en`, `zh`, `zh-tw`, `pt-br`: two or three letters, optionally a region.
fn is_language_code(text: &str) -> bool {
    let (language, region) = text.split_once('-').unwrap_or((text, "ab"));
    let letters = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    letters(language, 2..=3) && letters(region, 2..=4)
}

/// The page's path on the site, starting and (for directory URLs) ending with `/`.
pub fn permalink(page: PagePath, front: &FrontMatter, config: &HugoConfig) -> String {
    if let Some(url) = &front.url {
        let url = url.trim();
        return encode(&if url.starts_with('/') { url.to_owned() } else { format!("/{url}") });
    }
    let raw = match config.permalinks.get(page.section()) {
        Some(pattern) if !page.section().is_empty() => expand(pattern, page, front, config),
        _ => default_path(page, front),
    };
    let path = sanitize(&raw, config.disable_path_to_lower);
    encode(&if config.ugly_urls { uglify(&path) } else { path })
}

/// Hugo's `uglyURLs`: `/posts/x/` is published as `/posts/x.html`.
fn uglify(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(dir) if !dir.is_empty() => format!("{dir}.html"),
        _ => path.to_owned(),
    }
}

fn default_path(page: PagePath, front: &FrontMatter) -> String {
    let name = front.slug.as_deref().unwrap_or(page.file_name());
    let mut path = String::from("/");
    for dir in page.dirs() {
        path.push_str(dir);
        path.push('/');
    }
    path.push_str(name);
    path.push('/');
    path
}

/// A `[permalinks]` pattern with its tokens replaced; unknown tokens stay as written.
fn expand(pattern: &str, page: PagePath, front: &FrontMatter, config: &HugoConfig) -> String {
    let date = front.date.or(front.published()).or(front.lastmod).unwrap_or_default();
    let lower = config.disable_path_to_lower;
    let expanded = TOKEN.replace_all(pattern, |caps: &regex::Captures| {
        token(&caps[1], page, front, date, lower).unwrap_or_else(|| caps[0].to_owned())
    });
    let path = expanded.into_owned();
    if path.starts_with('/') { path } else { format!("/{path}") }
}

fn token(
    name: &str,
    page: PagePath,
    front: &FrontMatter,
    date: DateTime<FixedOffset>,
    lower: bool,
) -> Option<String> {
    let urlize = |s: &str| sanitize(s, lower);
    Some(match name {
        "year" => format!("{:04}", date.year()),
        "month" => format!("{:02}", date.month()),
        "monthname" => date.format("%B").to_string().to_lowercase(),
        "day" => format!("{:02}", date.day()),
        "weekday" => date.weekday().num_days_from_sunday().to_string(),
        "weekdayname" => date.format("%A").to_string().to_lowercase(),
        "yearday" => date.ordinal().to_string(),
        "hour" => format!("{:02}", date.hour()),
        "minute" => format!("{:02}", date.minute()),
        "second" => format!("{:02}", date.second()),
        "section" => page.section().to_owned(),
        "sections" => page.dirs().join("/"),
        "title" => urlize(&front.title),
        "slug" => urlize(front.slug.as_deref().unwrap_or(&front.title)),
        "filename" | "contentbasename" => urlize(page.file_name()),
        _ => return None,
    })
}

/// Hugo's path sanitising: letters, digits, marks and `./\_#+~-@` kept; a run of spaces or
/// hyphens between kept characters becomes one `-`; everything else dropped; lowercased
/// unless `keep_case`.
pub fn sanitize(s: &str, keep_case: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut hyphen = false;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let escape =
            c == '%' && chars.get(i + 1..i + 3).is_some_and(|h| h.iter().all(char::is_ascii_hexdigit));
        if c.is_alphanumeric() || "./\\_#+~-@".contains(c) || escape {
            if hyphen {
                out.push('-');
                hyphen = false;
            }
            out.push(c);
        } else if !out.is_empty() && c.is_whitespace() {
            hyphen = true;
        }
    }
    if keep_case { out } else { out.to_lowercase() }
}

/// Percent-encodes what may not stand in a URL path (non-ASCII, spaces, quotes, `<>`).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
