//! Page bundles: a stub written as `<section>/<folder>/index.md` with its resources (the cover
//! image, a transcript …) beside it.
//!
//! A new bundle is put together in a hidden staging folder of the section
//! (`.syndicator-<pid>-<n>.tmp/`, which Hugo and the content walk both skip): resources first,
//! `index.md` last, each durable; then the whole folder is renamed to its free final name
//! without ever replacing anything, and the section is fsynced. That rename is the commit
//! point: a crash before it leaves only a staging folder (removed by the next run, whose
//! episode is still new and is written again), after it a complete bundle whose `index.md`
//! carries the `syndicator_id` (adopted by the next run). Hugo never sees a bundle without its
//! `index.md`, so a resource that is itself Markdown (`transcript.md`) is never published as a
//! page of its own.
//!
//! Resources that arrive later go into an existing bundle through
//! [`SectionDir::add_resource`]: atomically, never over an existing file.
//!
//! ```no_run
//! # fn demo(section: &syndicator::content::SectionDir) -> std::io::Result<()> {
//! // A new stub: stage, add resources, commit with the index text.
//! let mut staged = section.stage_bundle()?;
//! staged.add("cover.jpg", b"\xff\xd8\xff...")?;
//! let stub = section.commit_bundle(staged, "2025-11-24-llion-jones", "---\ntitle: …\n---\n")?;
//! assert_eq!(stub, "2025-11-24-llion-jones/index.md");
//! // Later, into the bundle of a known stub (wherever the author moved it):
//! section.add_resource(&stub, "transcript.md", b"the transcript")?;
//! # Ok(()) }
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::SectionDir;
use crate::files;

/// The page file of a leaf bundle written by syndicator.
pub const INDEX: &str = "index.md";

/// A bundle being put together in a staging folder; removed on drop unless committed.
#[derive(Debug)]
pub struct StagedBundle {
    /// The hidden staging folder inside the section.
    dir: PathBuf,
    /// The resource names added so far, in order (reported to git with the bundle).
    resources: Vec<String>,
}

/// What became of a resource meant for an existing bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceOutcome {
    /// Written, at this path relative to the section.
    Written(String),
    /// A file of that name is already there (the author's, or an earlier run's): untouched.
    Exists,
    /// The stub is not a bundle's `index.*` any more (the author made it a single file).
    NotABundle,
}

impl StagedBundle {
    /// Writes `bytes` as the resource `name`, durably. `name` must be a plain file name (not
    /// hidden, no folder) other than `index.*`, not added before.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        check_resource_name(name)?;
        if !files::create_new(&self.dir.join(name), bytes)? {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{name} was added twice")));
        }
        self.resources.push(name.to_owned());
        Ok(())
    }

    /// The resource names added so far.
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
}

impl Drop for StagedBundle {
    fn drop(&mut self) {
        // Gone already when committed; a leftover is removed by the next run otherwise.
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl SectionDir {
    /// Starts a new bundle in a fresh staging folder of the section.
    pub fn stage_bundle(&self) -> io::Result<StagedBundle> {
        fs::create_dir_all(self.path())?;
        let dir = files::temp_path(self.path());
        fs::create_dir(&dir)?;
        Ok(StagedBundle { dir, resources: Vec::new() })
    }

    /// Writes `index` as the staged bundle's `index.md`, then moves the bundle to the folder
    /// `name` (or `<name>-2`, `-3` … when that folder, or a single-file stub `<name>.md`,
    /// exists), never replacing anything. Returns the stub's path relative to the section
    /// (`<folder>/index.md`).
    pub fn commit_bundle(&self, staged: StagedBundle, name: &str, index: &str) -> io::Result<String> {
        if !files::create_new(&staged.dir.join(INDEX), index.as_bytes())? {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, "index.md was staged twice"));
        }
        let folder = self.claim_free_name(name, |candidate| {
            if self.path().join(format!("{candidate}.md")).exists() {
                return Ok(false);
            }
            files::rename_no_replace(&staged.dir, &self.path().join(candidate))
        })?;
        files::sync_dir(self.path())?;
        Ok(format!("{folder}/{INDEX}"))
    }

    /// Writes `bytes` as `name` into the bundle of the stub at `stub` (its `index.md`, relative
    /// to the section, wherever the author moved it), atomically, never over an existing file.
    pub fn add_resource(&self, stub: &str, name: &str, bytes: &[u8]) -> io::Result<ResourceOutcome> {
        check_resource_name(name)?;
        let Some(folder) = bundle_folder(stub) else { return Ok(ResourceOutcome::NotABundle) };
        let dir = self.path().join(folder);
        if !dir.is_dir() {
            return Ok(ResourceOutcome::NotABundle);
        }
        Ok(match files::create_new(&dir.join(name), bytes)? {
            true => ResourceOutcome::Written(format!("{folder}/{name}")),
            false => ResourceOutcome::Exists,
        })
    }

    /// The names of the files in the bundle of the stub at `stub`, sorted; empty when it is
    /// not a bundle (or is gone).
    pub fn bundle_files(&self, stub: &str) -> Vec<String> {
        let Some(folder) = bundle_folder(stub) else { return Vec::new() };
        let Ok(entries) = fs::read_dir(self.path().join(folder)) else { return Vec::new() };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Removes the staging folders a crashed run left at the top of the section; how many.
    pub(super) fn remove_stale_staging(&self) -> io::Result<usize> {
        files::remove_matching(self.path(), |name, kind| kind.is_dir() && files::is_temp_name(name))
    }
}

/// The bundle folder of a stub path (`a/b/index.md` → `a/b`); `None` unless the file is a
/// leaf bundle's `index.*` inside a folder of the section.
pub fn bundle_folder(stub: &str) -> Option<&str> {
    let (folder, file) = stub.rsplit_once('/')?;
    let is_index = file.split_once('.').is_some_and(|(stem, _)| stem == "index");
    (is_index && !folder.is_empty()).then_some(folder)
}

fn check_resource_name(name: &str) -> io::Result<()> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.split_once('.').is_none_or(|(stem, _)| stem != "index")
        && Path::new(name).file_name().is_some_and(|n| n == name);
    if plain {
        Ok(())
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{name:?} is not a bundle resource name")))
    }
}

#[cfg(test)]
mod tests;
