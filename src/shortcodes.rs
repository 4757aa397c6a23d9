//! Installing the Hugo shortcode templates for the embeds stubs emit that Hugo has no built-in
//! for (each platform's module ships its own, [`crate::platform::templates`]: `spotify`,
//! `apple-podcast`; `youtube` is built in) into the site's `layouts/shortcodes/`, only where
//! absent, so an author's customised template is never overwritten. A template Hugo would find
//! elsewhere (`layouts/_shortcodes/`, or a theme's) counts as present: installing ours would
//! override it.
//!
//! The templates put the shortcode's argument inside `src="…"` after a fixed `https://` prefix,
//! where Hugo's contextual (html/template) escaping percent-encodes quotes and spaces and
//! entity-escapes `&`, so even a hostile argument cannot leave the attribute.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder `<site_root>/layouts/shortcodes` the templates go to.
pub fn dir(site_root: &Path) -> PathBuf {
    site_root.join("layouts").join("shortcodes")
}

/// The shipped templates' file names that Hugo would not find for the site: in neither
/// `layouts/shortcodes/` nor `layouts/_shortcodes/`, of the site or of any theme under
/// `themes/`. Stubs embedding one of these break `hugo`.
pub fn missing(site_root: &Path) -> Vec<String> {
    let mut layouts = vec![site_root.join("layouts")];
    if let Ok(themes) = fs::read_dir(site_root.join("themes")) {
        layouts.extend(themes.filter_map(Result::ok).map(|theme| theme.path().join("layouts")));
    }
    let found = |name: &str| {
        layouts
            .iter()
            .any(|l| l.join("shortcodes").join(name).is_file() || l.join("_shortcodes").join(name).is_file())
    };
    crate::platform::templates().into_iter().map(|(name, _)| name).filter(|name| !found(name)).collect()
}

/// Writes each shipped template Hugo would not find (see [`missing`]); returns the paths it
/// wrote, in [`crate::platform::templates`] order. Existing files are left alone, whatever
/// they hold.
pub fn install(site_root: &Path) -> io::Result<Vec<PathBuf>> {
    let missing = missing(site_root);
    let dir = dir(site_root);
    let mut installed = Vec::new();
    for (name, contents) in
        crate::platform::templates().into_iter().filter(|(name, _)| missing.contains(name))
    {
        fs::create_dir_all(&dir)?;
        let path = dir.join(name);
        if create_new(&path, contents)? {
            installed.push(path);
        }
    }
    Ok(installed)
}

/// Creates `path` with `contents` unless it exists (then `false`). A failed write removes the
/// partial file so that the next install retries instead of keeping a truncated template.
fn create_new(path: &Path, contents: &str) -> io::Result<bool> {
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e),
    };
    file.write_all(contents.as_bytes()).and_then(|()| file.sync_all()).inspect_err(|_| {
        let _ = fs::remove_file(path);
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn installs_every_template_into_layouts_shortcodes() {
        let site = tempfile::tempdir().unwrap();
        let installed = install(site.path()).unwrap();
        assert_eq!(names(&installed), ["spotify.html", "apple-podcast.html"]);
        for (name, contents) in crate::platform::templates() {
            let path = site.path().join("layouts/shortcodes").join(name);
            assert_eq!(fs::read_to_string(path).unwrap(), contents);
        }
    }

    #[test]
    fn never_overwrites_and_returns_only_what_it_installed() {
        let site = tempfile::tempdir().unwrap();
        let spotify = dir(site.path()).join("spotify.html");
        fs::create_dir_all(dir(site.path())).unwrap();
        fs::write(&spotify, "mine").unwrap();
        assert_eq!(names(&install(site.path()).unwrap()), ["apple-podcast.html"]);
        assert_eq!(fs::read_to_string(&spotify).unwrap(), "mine");
        assert!(install(site.path()).unwrap().is_empty(), "a second install writes nothing");
    }

    #[test]
    fn a_theme_or_underscore_folder_template_counts_as_present() {
        let site = tempfile::tempdir().unwrap();
        assert_eq!(missing(site.path()), ["spotify.html", "apple-podcast.html"]);
        let theme = site.path().join("themes/paper/layouts/shortcodes");
        fs::create_dir_all(&theme).unwrap();
        fs::write(theme.join("spotify.html"), "theirs").unwrap();
        let underscore = site.path().join("layouts/_shortcodes");
        fs::create_dir_all(&underscore).unwrap();
        fs::write(underscore.join("apple-podcast.html"), "mine").unwrap();
        assert!(missing(site.path()).is_empty());
        assert!(install(site.path()).unwrap().is_empty(), "nothing overrides the found ones");
        assert!(!dir(site.path()).exists());
    }

    #[test]
    fn templates_embed_the_argument_in_a_lazy_titled_iframe() {
        for ((_, contents), url) in crate::platform::templates()
            .iter()
            .zip(["https://open.spotify.com/embed/", "https://embed.podcasts.apple.com/"])
        {
            assert!(contents.contains(&format!("src=\"{url}{{{{ $path }}}}\"")), "{contents}");
            assert!(contents.contains("loading=\"lazy\"") && contents.contains("title=\""), "{contents}");
            assert!(!contents.contains("| safeURL"), "the argument must stay escaped: {contents}");
        }
    }
}
