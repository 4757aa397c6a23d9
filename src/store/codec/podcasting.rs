//! The Podcasting 2.0 part of an item record ([`Podcasting`]): chapters, transcripts and
//! persons, in the encoding of [`super`].

use super::{Reader, Writer};
use crate::model::{Chapter, Person, Podcasting, TranscriptLink};
use crate::store::StoreError;

impl Writer {
    pub(super) fn podcasting(&mut self, podcasting: &Podcasting) {
        let Podcasting { chapters_url, chapters, transcripts, persons } = podcasting;
        self.option(chapters_url.as_deref(), Self::str);
        self.list(chapters, |out, Chapter { start_secs, title, url }| {
            out.unsigned(*start_secs);
            out.str(title);
            out.option(url.as_deref(), Self::str);
        });
        self.list(transcripts, |out, TranscriptLink { url, mime_type, language, rel }| {
            out.str(url);
            out.str(mime_type);
            out.option(language.as_deref(), Self::str);
            out.option(rel.as_deref(), Self::str);
        });
        self.list(persons, |out, Person { name, role, group, href, img }| {
            out.str(name);
            out.str(role);
            out.str(group);
            out.option(href.as_deref(), Self::str);
            out.option(img.as_deref(), Self::str);
        });
    }
}

impl Reader<'_> {
    pub(super) fn podcasting(&mut self) -> Result<Podcasting, StoreError> {
        Ok(Podcasting {
            chapters_url: self.option(Self::string)?,
            chapters: self.list(|r| {
                Ok(Chapter { start_secs: r.unsigned()?, title: r.string()?, url: r.option(Self::string)? })
            })?,
            transcripts: self.list(|r| {
                Ok(TranscriptLink {
                    url: r.string()?,
                    mime_type: r.string()?,
                    language: r.option(Self::string)?,
                    rel: r.option(Self::string)?,
                })
            })?,
            persons: self.list(|r| {
                Ok(Person {
                    name: r.string()?,
                    role: r.string()?,
                    group: r.string()?,
                    href: r.option(Self::string)?,
                    img: r.option(Self::string)?,
                })
            })?,
        })
    }
}
