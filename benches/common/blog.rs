//! A generated Hugo blog of `posts` pages, for the big-blog benches (issue 17): sections
//! `posts` (by year folders, a tenth as leaf bundles with a cover image), `notes` and `talks`
//! (syndicator stubs with an embed), three in five pages with YAML front matter and the rest
//! with TOML, list pages, a few drafts and future posts, and Markdown bodies of 300–1,500
//! words (headings, lists, links, images, code, quotes, the odd table) over a Zipf
//! vocabulary. Deterministic: the same `posts` gives the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use super::rng::Rng;
use super::words::{capitalised, draw, phrase, word};

/// Words the prose draws from.
const VOCABULARY: usize = 20_000;
const HUGO_TOML: &str = "baseURL = \"https://big.example.org/\"\ntitle = \"A Big Blog\"\n\
languageCode = \"en\"\n\n[permalinks]\nposts = \"/:year/:month/:slug/\"\nnotes = \"/notes/:year/:filename/\"\n";

/// Writes the site under `root` (which must be empty or missing); returns the file of the
/// newest published page (the top entry of the blog feed).
pub fn generate(root: &Path, posts: usize) -> std::io::Result<PathBuf> {
    let content = root.join("content");
    for section in ["posts", "notes", "talks"] {
        std::fs::create_dir_all(content.join(section))?;
        let list = format!("---\ntitle: \"{}\"\n---\n", capitalised(section));
        std::fs::write(content.join(section).join("_index.md"), list)?;
    }
    std::fs::write(root.join("hugo.toml"), HUGO_TOML)?;
    std::fs::write(content.join("_index.md"), "---\ntitle: Home\n---\n")?;
    std::fs::write(content.join("about.md"), "---\ntitle: About\ndate: 2011-01-01\n---\nWho writes here.\n")?;
    let mut rng = Rng::new(10_000);
    let mut newest = content.join("about.md");
    for n in 0..posts {
        let page = Page::draw(&mut rng, n, posts);
        let path = content.join(&page.file);
        std::fs::create_dir_all(path.parent().expect("a page has a folder"))?;
        let (text, published) = page.text(&mut rng);
        std::fs::write(&path, text)?;
        if page.bundle {
            std::fs::write(path.with_file_name("cover.jpg"), [0xFF, 0xD8, 0xFF, 0xD9])?;
        }
        if published {
            newest = path;
        }
    }
    Ok(newest)
}

/// The date of page `n` of `count`: spread evenly from 2011 to the end of 2025.
fn date_of(n: usize, count: usize, rng: &mut Rng) -> DateTime<Utc> {
    let start: DateTime<Utc> = "2011-01-01T08:00:00Z".parse().expect("a date");
    let span = Duration::days(15 * 365).num_minutes() as usize;
    start + Duration::minutes((span * n / count.max(1) + rng.below(600)) as i64)
}

struct Page {
    file: String,
    bundle: bool,
    title: String,
    date: DateTime<Utc>,
    section: &'static str,
    n: usize,
    /// Dated decades ahead: not published yet.
    future: bool,
}

impl Page {
    fn draw(rng: &mut Rng, n: usize, count: usize) -> Page {
        let words = rng.within(3..9);
        let title: Vec<String> = phrase(rng, words, 3_000).iter().map(|w| capitalised(w)).collect();
        let title = title.join(" ");
        let mut date = date_of(n, count, rng);
        let future = rng.chance(1);
        if future {
            date += Duration::days(365 * 80);
        }
        let slug = format!("{}-{n}", title.to_lowercase().replace(' ', "-"));
        let section = match rng.below(20) {
            0..=14 => "posts",
            15..=17 => "notes",
            _ => "talks",
        };
        let bundle = section == "posts" && rng.chance(10);
        let file = match (section, bundle) {
            ("posts", true) => format!("posts/{}/{slug}/index.md", date.format("%Y")),
            ("posts", false) => format!("posts/{}/{slug}.md", date.format("%Y")),
            _ => format!("{section}/{slug}.md"),
        };
        Page { file, bundle, title, date, section, n, future }
    }

    /// The file's text, and whether the page is published (neither a draft nor future).
    fn text(&self, rng: &mut Rng) -> (String, bool) {
        let fields = self.fields(rng);
        let front = match rng.chance(60) {
            true => front_matter(&fields, "---", ": "),
            false => front_matter(&fields, "+++", " = "),
        };
        let draft = fields.iter().any(|(key, _)| *key == "draft");
        (front + &body(rng, self.section == "talks", self.n), !draft && !self.future)
    }

    /// The front matter as `(key, value)` with values already quoted or listed.
    fn fields(&self, rng: &mut Rng) -> Vec<(&'static str, Value)> {
        let mut fields = vec![("title", Value::Text(self.title.clone()))];
        fields.push(("date", Value::Date(self.date.format("%Y-%m-%dT%H:%M:%S+02:00").to_string())));
        if rng.chance(30) {
            let lastmod = self.date + Duration::days(rng.within(1..400) as i64);
            fields.push(("lastmod", Value::Date(lastmod.format("%Y-%m-%dT%H:%M:%SZ").to_string())));
        }
        if rng.chance(1) {
            fields.push(("draft", Value::Bool(true)));
        }
        if rng.chance(50) {
            let length = rng.within(8..20);
            let words = phrase(rng, length, VOCABULARY).join(" ");
            fields.push(("description", Value::Text(capitalised(&words) + ".")));
        }
        let tags = (0..rng.within(1..6)).map(|_| word(rng.zipf(400))).collect();
        fields.push(("tags", Value::List(tags)));
        fields.push(("categories", Value::List(vec![capitalised(&word(rng.below(12)))])));
        if rng.chance(20) {
            fields.push(("slug", Value::Text(format!("{}-{}", word(rng.zipf(3_000)), self.n))));
        }
        if self.section == "talks" {
            fields.push(("syndicator_id", Value::Text(format!("talks:{:016x}", rng.next_u64()))));
        }
        fields
    }
}

enum Value {
    Text(String),
    Date(String),
    Bool(bool),
    List(Vec<String>),
}

/// Front matter between `fence` lines, each field as `key<assign>value` (YAML `: `, TOML ` = `).
fn front_matter(fields: &[(&str, Value)], fence: &str, assign: &str) -> String {
    let mut out = format!("{fence}\n");
    for (key, value) in fields {
        let _ = match value {
            Value::Text(text) => writeln!(out, "{key}{assign}\"{text}\""),
            Value::Date(date) => writeln!(out, "{key}{assign}{date}"),
            Value::Bool(b) => writeln!(out, "{key}{assign}{b}"),
            Value::List(items) => writeln!(out, "{key}{assign}[{}]", quoted(items)),
        };
    }
    out + fence + "\n\n"
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

/// A Markdown body of 300–1,500 words; a talk starts with its embed, as a stub does.
fn body(rng: &mut Rng, talk: bool, n: usize) -> String {
    let mut out = String::new();
    if talk {
        let _ = writeln!(out, "{{{{< youtube v{n:010} >}}}}\n");
    }
    let target = rng.within(300..1_500);
    let mut written = 0;
    while written < target {
        written += block(rng, &mut out);
    }
    out
}

/// Appends one Markdown block; returns about how many words it holds.
fn block(rng: &mut Rng, out: &mut String) -> usize {
    match rng.below(20) {
        0..=1 => {
            let _ = writeln!(out, "## {}\n", capitalised(&phrase(rng, 4, VOCABULARY).join(" ")));
            4
        }
        2..=3 => {
            for _ in 0..rng.within(2..6) {
                let _ = writeln!(out, "- {}", sentence(rng, 6));
            }
            out.push('\n');
            20
        }
        4 => {
            let _ = writeln!(
                out,
                "```rust\nfn {}() -> u32 {{\n    {}\n}}\n```\n",
                draw(rng, 500),
                rng.below(100)
            );
            6
        }
        5 => {
            let _ = writeln!(out, "> {}\n", sentence(rng, 20));
            20
        }
        6 => {
            let image = draw(rng, VOCABULARY);
            let _ = writeln!(out, "![{image}](/images/{image}.png \"{image}\")\n");
            1
        }
        7 => {
            let _ = writeln!(out, "| a | b |\n|---|---|\n| {} | {} |\n", draw(rng, 100), rng.below(1000));
            4
        }
        _ => paragraph(rng, out),
    }
}

fn paragraph(rng: &mut Rng, out: &mut String) -> usize {
    let mut words = 0;
    for _ in 0..rng.within(2..7) {
        let length = rng.within(8..25);
        out.push_str(&sentence(rng, length));
        out.push(' ');
        words += length;
    }
    out.push_str("\n\n");
    words
}

/// A sentence of `length` words, one in five with a link, the odd word in *emphasis*.
fn sentence(rng: &mut Rng, length: usize) -> String {
    let mut words: Vec<String> = (0..length).map(|_| draw(rng, VOCABULARY)).collect();
    if rng.chance(20) {
        let linked = rng.below(length);
        words[linked] = format!("[{}](https://example.com/{})", words[linked], draw(rng, 2_000));
    }
    if rng.chance(15) {
        let stressed = rng.below(length);
        words[stressed] = format!("*{}*", words[stressed]);
    }
    capitalised(&words.join(" ")) + "."
}
