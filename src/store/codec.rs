//! The compact binary encoding of an [`Episode`] record (schema version 2).
//!
//! A record starts with a format byte: [`FORMAT_V1`] for this encoding, or `{` for the JSON
//! that schema version 1 wrote, which still loads (a store is never rewritten just to be
//! re-encoded; each record is re-encoded when it is next saved). After the format byte come
//! the fields in declaration order: strings as a LEB128 length and UTF-8 bytes, integers as
//! LEB128 (signed ones zigzagged), options and enums as one tag byte, lists as a count and
//! their elements. Times are seconds and nanoseconds, so they round-trip exactly. The writer
//! takes every struct apart without `..`, so a field added to the model does not compile
//! until it is encoded; a field added after records of this format exist on disk gets a new
//! format byte, and the old one keeps decoding as it does now.
//!
//! Decoding never trusts a length: every read is bounds-checked, a count larger than the bytes
//! left is refused before anything is allocated, and any mistake is a [`StoreError::Corrupt`].

use chrono::{DateTime, Utc};
use serde::Deserialize as _;
use serde::de::IntoDeserializer as _;

use super::StoreError;
use crate::model::{DatePrecision, Enclosure, Episode, EpisodeId, Item, Platform, StubState};

/// The first byte of a record in this encoding (JSON records start with `{`).
const FORMAT_V1: u8 = 1;

/// `episode` as a record.
pub(super) fn encode(episode: &Episode) -> Vec<u8> {
    let Episode { id, channel, copies, stub } = episode;
    let mut out = Writer(Vec::with_capacity(256));
    out.byte(FORMAT_V1);
    out.str(id.as_str());
    out.str(channel);
    out.list(copies, Writer::item);
    out.stub(stub);
    out.0
}

/// The episode in a record of either encoding.
pub(super) fn decode(raw: &[u8]) -> Result<Episode, StoreError> {
    match raw.first() {
        Some(&FORMAT_V1) => Reader { raw, at: 1 }.episode(),
        _ => super::decode(raw),
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, byte: u8) {
        self.0.push(byte);
    }

    fn unsigned(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn count(&mut self, count: usize) {
        self.unsigned(count as u64);
    }

    fn str(&mut self, text: &str) {
        self.count(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn option<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match value {
            None => self.byte(0),
            Some(value) => {
                self.byte(1);
                write(self, value);
            }
        }
    }

    fn time(&mut self, time: DateTime<Utc>) {
        let seconds = time.timestamp();
        self.unsigned(((seconds << 1) ^ (seconds >> 63)) as u64);
        self.unsigned(time.timestamp_subsec_nanos().into());
    }

    fn item(&mut self, item: &Item) {
        let Item {
            platform,
            platform_id,
            title,
            link,
            published,
            precision,
            description_html,
            thumbnail,
            enclosure,
            duration_secs,
            is_short,
            podcast_guid,
            podcasting,
        } = item;
        self.byte(platform_tag(*platform));
        self.str(platform_id);
        self.str(title);
        self.option(link.as_deref(), Self::str);
        self.option(*published, Self::time);
        self.byte(match precision {
            DatePrecision::Exact => 0,
            DatePrecision::Day => 1,
        });
        self.str(description_html);
        self.option(thumbnail.as_deref(), Self::str);
        self.option(enclosure.as_ref(), |out, Enclosure { url, mime_type, length }| {
            out.str(url);
            out.str(mime_type);
            out.option(*length, Self::unsigned);
        });
        self.option(*duration_secs, Self::unsigned);
        self.byte((*is_short).into());
        self.option(podcast_guid.as_deref(), Self::str);
        self.podcasting(podcasting);
    }

    fn list<T>(&mut self, list: &[T], write: impl Fn(&mut Self, &T)) {
        self.count(list.len());
        list.iter().for_each(|element| write(self, element));
    }

    fn stub(&mut self, stub: &StubState) {
        match stub {
            StubState::Skipped => self.byte(0),
            StubState::Written { path, hash } => {
                self.byte(1);
                self.str(path);
                self.str(hash);
            }
            StubState::Edited { path, pending } => {
                self.byte(2);
                self.str(path);
                self.list(pending, |out, line| out.str(line));
            }
            StubState::Deleted { path } => {
                self.byte(3);
                self.str(path);
            }
        }
    }
}

fn platform_tag(platform: Platform) -> u8 {
    match platform {
        Platform::Youtube => 0,
        Platform::Spotify => 1,
        Platform::Apple => 2,
        Platform::Podcast => 3,
        Platform::Feed => 4,
    }
}

struct Reader<'a> {
    raw: &'a [u8],
    at: usize,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("undecodable episode record: {what}"))
}

impl Reader<'_> {
    fn episode(mut self) -> Result<Episode, StoreError> {
        // Read as JSON would (any text), so both encodings load the same records.
        let id = EpisodeId::deserialize(self.string()?.into_deserializer())
            .map_err(|_: serde::de::value::Error| corrupt("episode id"))?;
        let channel = self.string()?;
        let copies = self.list(Self::item)?;
        let stub = self.stub()?;
        match self.at == self.raw.len() {
            true => Ok(Episode { id, channel, copies, stub }),
            false => Err(corrupt("bytes after the end")),
        }
    }

    fn byte(&mut self) -> Result<u8, StoreError> {
        let byte = *self.raw.get(self.at).ok_or_else(|| corrupt("cut short"))?;
        self.at += 1;
        Ok(byte)
    }

    fn unsigned(&mut self) -> Result<u64, StoreError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).checked_shl(shift).ok_or_else(|| corrupt("integer"))?;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(corrupt("integer too long"))
    }

    /// A count of things that each take at least one byte: never more than the bytes left.
    fn count(&mut self) -> Result<usize, StoreError> {
        let count = usize::try_from(self.unsigned()?).map_err(|_| corrupt("count"))?;
        match count <= self.raw.len() - self.at {
            true => Ok(count),
            false => Err(corrupt("count past the end")),
        }
    }

    fn list<T>(&mut self, read: impl Fn(&mut Self) -> Result<T, StoreError>) -> Result<Vec<T>, StoreError> {
        (0..self.count()?).map(|_| read(self)).collect()
    }

    fn string(&mut self) -> Result<String, StoreError> {
        let len = self.count()?;
        let bytes = &self.raw[self.at..self.at + len];
        self.at += len;
        String::from_utf8(bytes.to_vec()).map_err(|_| corrupt("text is not UTF-8"))
    }

    fn flag(&mut self) -> Result<bool, StoreError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(corrupt("flag")),
        }
    }

    fn option<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        match self.flag()? {
            false => Ok(None),
            true => read(self).map(Some),
        }
    }

    fn time(&mut self) -> Result<DateTime<Utc>, StoreError> {
        let zigzag = self.unsigned()?;
        let seconds = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let nanos = u32::try_from(self.unsigned()?).map_err(|_| corrupt("time"))?;
        DateTime::from_timestamp(seconds, nanos).ok_or_else(|| corrupt("time out of range"))
    }

    fn platform(&mut self) -> Result<Platform, StoreError> {
        let tag = self.byte()?;
        Platform::ALL.into_iter().find(|p| platform_tag(*p) == tag).ok_or_else(|| corrupt("platform"))
    }

    fn item(&mut self) -> Result<Item, StoreError> {
        Ok(Item {
            platform: self.platform()?,
            platform_id: self.string()?,
            title: self.string()?,
            link: self.option(Self::string)?,
            published: self.option(Self::time)?,
            precision: match self.byte()? {
                0 => DatePrecision::Exact,
                1 => DatePrecision::Day,
                _ => return Err(corrupt("date precision")),
            },
            description_html: self.string()?,
            thumbnail: self.option(Self::string)?,
            enclosure: self.option(|r| {
                Ok(Enclosure { url: r.string()?, mime_type: r.string()?, length: r.option(Self::unsigned)? })
            })?,
            duration_secs: self.option(Self::unsigned)?,
            is_short: self.flag()?,
            podcast_guid: self.option(Self::string)?,
            podcasting: self.podcasting()?,
        })
    }

    fn stub(&mut self) -> Result<StubState, StoreError> {
        Ok(match self.byte()? {
            0 => StubState::Skipped,
            1 => StubState::Written { path: self.string()?, hash: self.string()? },
            2 => StubState::Edited { path: self.string()?, pending: self.list(Self::string)? },
            3 => StubState::Deleted { path: self.string()? },
            _ => return Err(corrupt("stub state")),
        })
    }
}

mod podcasting;
#[cfg(test)]
mod tests;
