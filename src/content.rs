//! The Hugo content section on disk: finds the stubs syndicator wrote by their
//! `syndicator_id` front-matter key wherever the author moved them (renamed, in a subfolder,
//! turned into a page bundle; see [`walk`]), creates new ones atomically without ever
//! overwriting a file, and tells whether a stub still holds the bytes we wrote.
//!
//! A new stub is written to a temporary file in the same folder, fsynced, then hard-linked
//! to its final name (which fails if the name exists, so nothing is ever overwritten), and the
//! folder is fsynced. A crash can leave a `.syndicator-*.tmp` file behind; Hugo ignores it and
//! the next sync removes it. Page bundles are written and added to in [`bundle`].

mod bundle;
mod walk;

pub use bundle::{INDEX, ResourceOutcome, StagedBundle, bundle_folder};
pub use walk::syndicator_id;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::files;
use crate::hash::hash_hex;

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

    /// Removes temporary files a crashed run left behind, anywhere in the section (a stub
    /// the author moved is rewritten in its own folder), and unfinished bundles' staging
    /// folders; returns how many.
    pub fn remove_stale_temp_files(&self) -> io::Result<usize> {
        let mut removed = self.remove_stale_staging()?;
        walk::files(&self.dir, &mut |relative, path| {
            let name = relative.rsplit('/').next().unwrap_or(relative);
            if files::is_temp_name(name) {
                fs::remove_file(path)?;
                removed += 1;
            }
            Ok(())
        })?;
        Ok(removed)
    }

    /// Every page in the section that carries a `syndicator_id`, by id, with its path
    /// relative to the section (`name.md`, `2025/name.md`, `bundle/index.md` …).
    pub fn stub_ids(&self) -> io::Result<HashMap<String, String>> {
        walk::stub_ids(&self.dir)
    }

    /// The `syndicator_id` of the page at `relative`, if it has one.
    pub fn id_at(&self, relative: &str) -> io::Result<Option<String>> {
        walk::syndicator_id(&self.dir.join(relative))
    }

    /// Writes `text` as a new file named `file_name` (or `<stem>-2.md`, `-3` … if taken),
    /// durably, never replacing anything. Returns the name used.
    pub fn create(&self, file_name: &str, text: &str) -> io::Result<String> {
        fs::create_dir_all(&self.dir)?;
        let temp = files::write_temp(&self.dir, text.as_bytes())?;
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
        let result = self.claim_free_name(stem, |candidate| {
            if self.dir.join(candidate).is_dir() {
                return Ok(false);
            }
            match fs::hard_link(&temp, self.dir.join(format!("{candidate}.md"))) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e),
            }
        });
        let _ = fs::remove_file(&temp);
        let name = result?;
        files::sync_dir(&self.dir)?;
        Ok(format!("{name}.md"))
    }

    /// Tries `stem`, `<stem>-2`, `-3` … with `claim` (true: taken for us; false: in use)
    /// until one is ours, and returns it. A single-file stub and a bundle never share a name,
    /// as Hugo would publish both at one URL.
    fn claim_free_name(
        &self,
        stem: &str,
        mut claim: impl FnMut(&str) -> io::Result<bool>,
    ) -> io::Result<String> {
        for n in 1..10_000 {
            let name = if n == 1 { stem.to_owned() } else { format!("{stem}-{n}") };
            if claim(&name)? {
                return Ok(name);
            }
        }
        Err(io::Error::other(format!("no free name for {stem} in {}", self.dir.display())))
    }

    /// Atomically replaces the stub at `relative` with `text` if its bytes still hash to
    /// `expected` right before the rename (an author's save in between wins). Returns whether
    /// it replaced.
    pub fn replace_untouched(&self, relative: &str, expected: &str, text: &str) -> io::Result<bool> {
        let still_ours = || self.current_hash(relative).ok().flatten().as_deref() == Some(expected);
        files::replace_if(&self.dir.join(relative), text.as_bytes(), still_ours)
    }

    /// Of the shortcode `lines`, those the stub at `relative` does not contain (all of them
    /// when it cannot be read as text).
    pub fn lines_missing_from(&self, relative: &str, lines: &[String]) -> Vec<String> {
        let text = fs::read_to_string(self.dir.join(relative)).unwrap_or_default();
        lines.iter().filter(|line| !text.contains(line.as_str())).cloned().collect()
    }

    /// The hash of a stub's current bytes; `None` when the author deleted it.
    pub fn current_hash(&self, relative: &str) -> io::Result<Option<String>> {
        match fs::read(self.dir.join(relative)) {
            Ok(bytes) => Ok(Some(hash_hex(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The stubs of a section by id, read from disk once, on first need, and kept up to date
/// with the stubs a run writes: one walk per channel commit at most.
pub struct Stubs<'a> {
    section: &'a SectionDir,
    ids: Option<HashMap<String, String>>,
}

impl<'a> Stubs<'a> {
    pub fn new(section: &'a SectionDir) -> Stubs<'a> {
        Stubs { section, ids: None }
    }

    /// Every stub by id (see [`SectionDir::stub_ids`]).
    pub fn ids(&mut self) -> io::Result<&mut HashMap<String, String>> {
        if self.ids.is_none() {
            self.ids = Some(self.section.stub_ids()?);
        }
        Ok(self.ids.get_or_insert_default())
    }

    /// Where the stub `id`, last seen at `recorded`, is now: `recorded` if that file still
    /// carries the id, else any page in the section that does, else `recorded` if a file
    /// without any id is still there (the author removed the id: still their edited stub);
    /// `None` when no file is left, so the stub counts as deleted.
    pub fn locate(&mut self, id: &str, recorded: &str) -> io::Result<Option<String>> {
        let at_recorded = self.section.id_at(recorded)?;
        if at_recorded.as_deref() == Some(id) {
            return Ok(Some(recorded.to_owned()));
        }
        if let Some(moved) = self.ids()?.get(id) {
            return Ok(Some(moved.clone()));
        }
        let still_there =
            at_recorded.is_none() && fs::symlink_metadata(self.section.path().join(recorded)).is_ok();
        Ok(still_there.then(|| recorded.to_owned()))
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
    fn lines_missing_from_a_stub_are_those_it_does_not_contain() {
        let (_temp, section) = section();
        let name = section.create("a.md", "text\n{{< youtube abcdefg >}}\n").unwrap();
        let lines = ["{{< youtube abcdefg >}}".to_owned(), "{{< spotify \"episode/x\" >}}".to_owned()];
        assert_eq!(section.lines_missing_from(&name, &lines), [lines[1].clone()]);
        assert_eq!(section.lines_missing_from("gone.md", &lines), lines, "an unreadable stub lacks all");
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

    fn write(section: &SectionDir, relative: &str, text: &str) {
        let path = section.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_stubs_by_syndicator_id_wherever_they_sit_and_however_they_are_written() {
        let (_temp, section) = section();
        section.create("a.md", "---\ntitle: \"A\"\nsyndicator_id: \"c:youtube:yaml\"\n---\nbody").unwrap();
        write(&section, "bundle/index.md", "---\nsyndicator_id: \"c:podcast:bundle\"\n---\n");
        write(&section, "2025/11/deep/renamed.md", "---\nsyndicator_id: 'c:feed:nested'\n---\n");
        write(
            &section,
            "crlf.md",
            "---\r\ntitle: \"x\"\r\nsyndicator_id: \"c:feed:crlf\"\r\n---\r\nbody\r\n",
        );
        write(&section, "bom.md", "\u{feff}---\nsyndicator_id: \"c:feed:bom\"\n---\n");
        write(&section, "toml.md", "+++\ntitle = \"T\"\nsyndicator_id = \"c:feed:toml\"\n+++\nbody");
        write(&section, "flow.markdown", "---\n{syndicator_id: \"c:feed:flow\", draft: true}\n---\n");
        write(&section, "hand-written.md", "---\ntitle: mine\n---\nsyndicator_id: \"c:feed:in-the-body\"\n");
        write(&section, ".hidden/x.md", "---\nsyndicator_id: \"c:feed:hidden\"\n---\n");
        write(&section, "notes.txt", "---\nsyndicator_id: \"c:feed:text\"\n---\n");
        let ids = section.stub_ids().unwrap();
        let mut found: Vec<_> = ids.iter().map(|(id, path)| (id.as_str(), path.as_str())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("c:feed:bom", "bom.md"),
                ("c:feed:crlf", "crlf.md"),
                ("c:feed:flow", "flow.markdown"),
                ("c:feed:nested", "2025/11/deep/renamed.md"),
                ("c:feed:toml", "toml.md"),
                ("c:podcast:bundle", "bundle/index.md"),
                ("c:youtube:yaml", "a.md"),
            ]
        );
    }

    #[test]
    fn the_walk_is_bounded_in_depth_and_never_follows_links() {
        let (_temp, section) = section();
        let deep: String = (0..=walk::MAX_DEPTH).map(|i| format!("d{i}/")).collect();
        write(&section, &format!("{deep}too-deep.md"), "---\nsyndicator_id: \"c:feed:deep\"\n---\n");
        let shallow: String = (0..walk::MAX_DEPTH).map(|i| format!("d{i}/")).collect();
        write(&section, &format!("{shallow}deepest.md"), "---\nsyndicator_id: \"c:feed:ok\"\n---\n");
        std::os::unix::fs::symlink(section.path(), section.path().join("loop")).unwrap();
        let ids = section.stub_ids().unwrap();
        assert_eq!(ids.len(), 1, "{ids:?}");
        assert_eq!(ids["c:feed:ok"], format!("{shallow}deepest.md"));
    }

    #[test]
    fn only_the_front_matter_region_is_read() {
        let (_temp, section) = section();
        let padding = "x".repeat(walk::FRONT_MATTER_LIMIT as usize);
        write(
            &section,
            "late.md",
            &format!("---\ntitle: \"{padding}\"\nsyndicator_id: \"c:feed:late\"\n---\n"),
        );
        write(
            &section,
            "long-body.md",
            &format!("---\nsyndicator_id: \"c:feed:body\"\n---\n{padding}{padding}"),
        );
        let ids = section.stub_ids().unwrap();
        assert_eq!(ids.keys().collect::<Vec<_>>(), ["c:feed:body"]);
    }

    #[test]
    fn a_stub_is_located_where_it_was_moved_and_is_gone_only_when_no_file_carries_its_id() {
        let (_temp, section) = section();
        let stub = "---\nsyndicator_id: \"c:feed:1\"\n---\n";
        write(&section, "a.md", stub);
        assert_eq!(Stubs::new(&section).locate("c:feed:1", "a.md").unwrap().as_deref(), Some("a.md"));
        fs::create_dir_all(section.path().join("moved")).unwrap();
        fs::rename(section.path().join("a.md"), section.path().join("moved/index.md")).unwrap();
        let moved = Stubs::new(&section).locate("c:feed:1", "a.md").unwrap();
        assert_eq!(moved.as_deref(), Some("moved/index.md"));
        write(&section, "moved/index.md", "my own words, no front matter\n");
        let kept = Stubs::new(&section).locate("c:feed:1", "moved/index.md").unwrap();
        assert_eq!(kept.as_deref(), Some("moved/index.md"), "a file still there is the author's");
        write(&section, "moved/index.md", "---\nsyndicator_id: \"c:feed:2\"\n---\n");
        let other = Stubs::new(&section).locate("c:feed:1", "moved/index.md").unwrap();
        assert_eq!(other, None, "a file carrying another stub's id is not this stub");
        fs::remove_file(section.path().join("moved/index.md")).unwrap();
        assert_eq!(Stubs::new(&section).locate("c:feed:1", "moved/index.md").unwrap(), None);
    }

    #[test]
    fn stale_temp_files_are_removed() {
        let (_temp, section) = section();
        write(&section, ".syndicator-1-0.tmp", "half");
        write(&section, "moved/.syndicator-1-1.tmp", "half");
        write(&section, "keep.md", "post");
        assert_eq!(section.remove_stale_temp_files().unwrap(), 2);
        assert!(section.path().join("keep.md").exists());
        assert!(!section.path().join("moved/.syndicator-1-1.tmp").exists());
    }

    #[test]
    fn a_missing_folder_has_no_stubs() {
        let (_temp, section) = section();
        assert!(section.stub_ids().unwrap().is_empty());
        assert_eq!(section.remove_stale_temp_files().unwrap(), 0);
    }
}
