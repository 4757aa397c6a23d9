//! The Hugo content section on disk: finds the stubs syndicator wrote (by their
//! `syndicator_id` front-matter key), creates new ones atomically without ever overwriting a
//! file, and tells whether a stub still holds the bytes we wrote.
//!
//! A new stub is written to a temporary file in the same folder, fsynced, then hard-linked
//! to its final name (which fails if the name exists, so nothing is ever overwritten), and the
//! folder is fsynced. A crash can leave a `.syndicator-*.tmp` file behind; Hugo ignores it and
//! the next sync removes it.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::fetch::hash_hex;
use crate::files::{self, TEMP_PREFIX, TEMP_SUFFIX};

/// The folder `<root>/content/<section>` that stubs go to.
#[derive(Debug, Clone)]
pub struct SectionDir {
    dir: PathBuf,
}

impl SectionDir {
    pub fn new(dir: PathBuf) -> SectionDir {
        SectionDir { dir }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Removes temporary files a crashed run left behind; returns how many.
    pub fn remove_stale_temp_files(&self) -> io::Result<usize> {
        let mut removed = 0;
        for entry in read_dir_if_exists(&self.dir)? {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Every stub in the folder that carries a `syndicator_id`, by id, with its file name
    /// (`<name>.md` or `<bundle>/index.md`).
    pub fn stub_ids(&self) -> io::Result<HashMap<String, String>> {
        let mut ids = HashMap::new();
        for entry in read_dir_if_exists(&self.dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if entry.file_type()?.is_dir() {
                format!("{name}/index.md")
            } else if name.ends_with(".md") {
                name
            } else {
                continue;
            };
            let Ok(text) = fs::read_to_string(self.dir.join(&relative)) else { continue };
            if let Some(id) = syndicator_id(&text) {
                ids.insert(id, relative);
            }
        }
        Ok(ids)
    }

    /// Writes `text` as a new file named `file_name` (or `<stem>-2.md`, `-3` … if taken),
    /// durably, never replacing anything. Returns the name used.
    pub fn create(&self, file_name: &str, text: &str) -> io::Result<String> {
        fs::create_dir_all(&self.dir)?;
        let temp = files::write_temp(&self.dir, text.as_bytes())?;
        let result = self.link_free_name(&temp, file_name);
        let _ = fs::remove_file(&temp);
        let name = result?;
        files::sync_dir(&self.dir)?;
        Ok(name)
    }

    /// Atomically replaces the stub at `relative` with `text` if its bytes still hash to
    /// `expected` right before the rename (an author's save in between wins). Returns whether
    /// it replaced.
    pub fn replace_untouched(&self, relative: &str, expected: &str, text: &str) -> io::Result<bool> {
        let still_ours = || self.current_hash(relative).ok().flatten().as_deref() == Some(expected);
        files::replace_if(&self.dir.join(relative), text.as_bytes(), still_ours)
    }

    /// The hash of a stub's current bytes; `None` when the author deleted it.
    pub fn current_hash(&self, relative: &str) -> io::Result<Option<String>> {
        match fs::read(self.dir.join(relative)) {
            Ok(bytes) => Ok(Some(hash_hex(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn link_free_name(&self, temp: &Path, file_name: &str) -> io::Result<String> {
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
        for n in 1..10_000 {
            let name = if n == 1 { format!("{stem}.md") } else { format!("{stem}-{n}.md") };
            let target = self.dir.join(&name);
            if target.with_extension("").is_dir() {
                continue;
            }
            match fs::hard_link(temp, &target) {
                Ok(()) => return Ok(name),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(format!("no free file name for {file_name}")))
    }
}

/// The `syndicator_id` value of a stub's YAML front matter, if it has one.
pub fn syndicator_id(text: &str) -> Option<String> {
    let front = text.strip_prefix("---\n")?;
    let front = &front[..front.find("\n---")?];
    let line = front.lines().find_map(|l| l.strip_prefix("syndicator_id:"))?;
    serde_saphyr::from_str::<String>(line.trim()).ok()
}

fn read_dir_if_exists(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    match fs::read_dir(dir) {
        Ok(entries) => entries.collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> (tempfile::TempDir, SectionDir) {
        let temp = tempfile::tempdir().unwrap();
        let section = SectionDir::new(temp.path().join("content/posts"));
        (temp, section)
    }

    #[test]
    fn create_never_overwrites_and_picks_a_free_name() {
        let (_temp, section) = section();
        assert_eq!(section.create("2025-11-24-a.md", "one").unwrap(), "2025-11-24-a.md");
        assert_eq!(section.create("2025-11-24-a.md", "two").unwrap(), "2025-11-24-a-2.md");
        let first = fs::read_to_string(section.path().join("2025-11-24-a.md")).unwrap();
        assert_eq!(first, "one");
        let names: Vec<_> = fs::read_dir(section.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    fn current_hash_follows_edits_and_deletion() {
        let (_temp, section) = section();
        let name = section.create("a.md", "text").unwrap();
        assert_eq!(section.current_hash(&name).unwrap(), Some(hash_hex(b"text")));
        fs::write(section.path().join(&name), "edited").unwrap();
        assert_eq!(section.current_hash(&name).unwrap(), Some(hash_hex(b"edited")));
        fs::remove_file(section.path().join(&name)).unwrap();
        assert_eq!(section.current_hash(&name).unwrap(), None);
    }

    #[test]
    fn an_untouched_stub_is_replaced_and_an_edited_one_is_not() {
        let (_temp, section) = section();
        let name = section.create("a.md", "ours").unwrap();
        assert!(section.replace_untouched(&name, &hash_hex(b"ours"), "ours, with embeds").unwrap());
        assert_eq!(fs::read_to_string(section.path().join(&name)).unwrap(), "ours, with embeds");
        fs::write(section.path().join(&name), "the author's").unwrap();
        assert!(!section.replace_untouched(&name, &hash_hex(b"ours, with embeds"), "ours again").unwrap());
        assert_eq!(fs::read_to_string(section.path().join(&name)).unwrap(), "the author's");
        assert_eq!(fs::read_dir(section.path()).unwrap().count(), 1, "no temporary file is left");
    }

    #[test]
    fn finds_stubs_by_syndicator_id_in_files_and_bundles() {
        let (_temp, section) = section();
        section.create("a.md", "---\ntitle: \"A\"\nsyndicator_id: \"mlst:youtube:abc\"\n---\nbody").unwrap();
        fs::create_dir_all(section.path().join("bundle")).unwrap();
        fs::write(section.path().join("bundle/index.md"), "---\nsyndicator_id: \"x:podcast:g\"\n---\n")
            .unwrap();
        fs::write(section.path().join("hand-written.md"), "---\ntitle: mine\n---\n").unwrap();
        let ids = section.stub_ids().unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids["mlst:youtube:abc"], "a.md");
        assert_eq!(ids["x:podcast:g"], "bundle/index.md");
    }

    #[test]
    fn stale_temp_files_are_removed() {
        let (_temp, section) = section();
        fs::create_dir_all(section.path()).unwrap();
        fs::write(section.path().join(".syndicator-1-0.tmp"), "half").unwrap();
        fs::write(section.path().join("keep.md"), "post").unwrap();
        assert_eq!(section.remove_stale_temp_files().unwrap(), 1);
        assert!(section.path().join("keep.md").exists());
    }

    #[test]
    fn a_missing_folder_has_no_stubs() {
        let (_temp, section) = section();
        assert!(section.stub_ids().unwrap().is_empty());
        assert_eq!(section.remove_stale_temp_files().unwrap(), 0);
    }
}
