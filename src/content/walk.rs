//! Walking the content section: every regular file under it, at any depth up to
//! [`MAX_DEPTH`], without following symbolic links (so a link loop cannot trap the walk) and
//! without entering hidden folders; and reading a page's `syndicator_id` from its front
//! matter alone, with the blog feed's own parser ([`crate::site::split`]: YAML or TOML, CRLF,
//! a BOM).

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// How deep below the section folder files are looked for. Deeper files are not stubs.
pub const MAX_DEPTH: usize = 16;
/// How much of a page is read to find its front matter. A page whose front matter does not
/// close within this many bytes carries no id we can see.
pub const FRONT_MATTER_LIMIT: u64 = 64 * 1024;

/// Calls `visit(relative, path)` for every regular file under `dir`, in name order;
/// `relative` is `/`-separated. A missing `dir` has no files.
pub fn files(dir: &Path, visit: &mut dyn FnMut(&str, &Path) -> io::Result<()>) -> io::Result<()> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(_) => walk(dir, "", 0, visit),
    }
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    visit: &mut dyn FnMut(&str, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        let kind = entry.file_type()?;
        if kind.is_file() {
            visit(&relative, &entry.path())?;
        } else if kind.is_dir() && !name.starts_with('.') && depth < MAX_DEPTH {
            walk(&entry.path(), &format!("{relative}/"), depth + 1, visit)?;
        }
    }
    Ok(())
}

/// Every Markdown page under `dir` that carries a `syndicator_id`: id → relative path. When
/// two pages carry one id (an author's copy), the first in path order is the stub.
pub fn stub_ids(dir: &Path) -> io::Result<HashMap<String, String>> {
    let mut ids = HashMap::new();
    files(dir, &mut |relative, path| {
        if is_page(relative) {
            if let Some(id) = syndicator_id(path)? {
                ids.entry(id).or_insert_with(|| relative.to_owned());
            }
        }
        Ok(())
    })?;
    Ok(ids)
}

/// Whether a relative path names a Markdown page (not hidden, not a temporary file).
fn is_page(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    !name.starts_with('.') && (name.ends_with(".md") || name.ends_with(".markdown"))
}

/// The `syndicator_id` in the front matter of the page at `path`; `None` for a page without
/// one, a missing file, or front matter that does not parse. Reads at most
/// [`FRONT_MATTER_LIMIT`] bytes.
pub fn syndicator_id(path: &Path) -> io::Result<Option<String>> {
    let mut head = Vec::new();
    match fs::File::open(path) {
        Ok(file) => file.take(FRONT_MATTER_LIMIT).read_to_end(&mut head)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let text = String::from_utf8_lossy(&head);
    Ok(crate::site::split(&text).ok().and_then(|(front, _)| front.syndicator_id))
}
