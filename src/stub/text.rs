//! Text derived from upstream HTML (made plain by [`crate::html::plain_text`]): the ≤ 160-char
//! summary for front matter, and neutralising text bound for the Markdown body so that no upstream
//! string can become a Hugo shortcode, raw HTML or a Markdown link; link destinations built from
//! upstream URLs, and times as `mm:ss`.

use std::sync::LazyLock;

use regex::Regex;

use crate::html::collapse_whitespace;

/// The longest front-matter description, in characters.
const MAX_DESCRIPTION: usize = 160;
/// A sentence-end or whitespace cut must keep at least this many characters.
const MIN_CUT: usize = 80;
const SENTENCE_ENDS: &[char] = &['.', '!', '?', '。', '！', '？'];
/// Sentence ends that need a following space to count ("3.5" and "e.g." are not ends).
const ASCII_SENTENCE_ENDS: &[char] = &['.', '!', '?'];

/// An `&` that would start an HTML entity in Markdown.
static ENTITY_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&(#?[A-Za-z0-9]+;)").expect("entity pattern"));

/// The plain text squeezed onto one line and cut to at most 160 characters: at the last
/// sentence end if that keeps ≥ 80 characters, else at the last space (adding `…`) if that
/// keeps ≥ 80, else hard at 159 characters plus `…`.
pub fn summary(plain: &str) -> String {
    let chars: Vec<char> = collapse_whitespace(plain).chars().collect();
    if chars.len() <= MAX_DESCRIPTION {
        return chars.into_iter().collect();
    }
    if let Some(end) = last_sentence_end(&chars) {
        return chars[..end].iter().collect();
    }
    let cut = last_space(&chars).unwrap_or(MAX_DESCRIPTION - 1);
    let mut out: String = chars[..cut].iter().collect();
    out.push('…');
    out
}

/// The length of the longest prefix within the limit that ends a sentence, if ≥ 80 chars.
fn last_sentence_end(chars: &[char]) -> Option<usize> {
    (MIN_CUT..=MAX_DESCRIPTION).rev().find(|&len| {
        let c = chars[len - 1];
        let followed_by_space = chars.get(len).is_none_or(|n| n.is_whitespace());
        SENTENCE_ENDS.contains(&c) && (followed_by_space || !ASCII_SENTENCE_ENDS.contains(&c))
    })
}

/// The position of the last space that leaves room for `…` and keeps ≥ 80 chars.
fn last_space(chars: &[char]) -> Option<usize> {
    (MIN_CUT..MAX_DESCRIPTION).rev().find(|&i| chars[i] == ' ')
}

/// Text made safe for the Markdown body while reading the same once rendered: `&` that
/// starts an entity becomes `&amp;`, `<` becomes `&lt;`, `{{` becomes `{&#123;`, and `\`,
/// `[`, `]` are backslash-escaped. So Hugo sees no shortcode, browsers see no tag (no raw
/// HTML block, no `<javascript:…>` autolink), and Markdown makes no link or image
/// (`[x](javascript:…)`, `![x](data:…)`, reference definitions `[x]: vbscript:…`). Bare
/// http(s) URLs stay plain text, which Hugo may linkify; nothing else can become live.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in ENTITY_START.replace_all(text, "&amp;$1").replace("{{", "{&#123;").chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A moment as a reader writes it: `mm:ss`, or `h:mm:ss` from an hour on.
pub fn clock(secs: u64) -> String {
    let (hours, minutes, seconds) = (secs / 3600, secs / 60 % 60, secs % 60);
    match hours {
        0 => format!("{minutes:02}:{seconds:02}"),
        _ => format!("{hours}:{minutes:02}:{seconds:02}"),
    }
}

/// `url` as the destination of a Markdown link, when it is an absolute http(s) URL: every
/// character that could end the destination or start markup (`(`, `)`, `<`, `>`, `[`, `]`,
/// `{`, `}`, quotes, backslashes, spaces …) is percent-encoded, so upstream text can neither
/// break out of the link nor form a shortcode.
pub fn link_target(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
    let mut out = String::with_capacity(parsed.as_str().len());
    for byte in parsed.as_str().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(byte as char),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'@' | b'!' | b'$' | b'&' => {
                out.push(byte as char)
            }
            b'*' | b'+' | b',' | b';' | b'=' | b'%' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
