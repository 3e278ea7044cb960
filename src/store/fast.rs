//! A fast reader for project files in the exact layout Gloss writes.
//!
//! Nearly every project file on disk was written by [`super::write_project`]: fields in a fixed
//! order, strings with a handful of escapes. This reader takes that layout only, several times
//! faster than a general RON parser and without a second copy of each span's text. Anything else
//! (comments, fields in another order, raw strings, a hand-written short form, a syntax error)
//! makes it return `None`, and the caller parses with `ron`, which also gives the error messages.
//! Both paths produce the same [`ProjectFile`], so validation is shared.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::Status;

use super::file::{
    DocLabelFile, DocumentFile, LabelFile, ProjectFile, RelationFile, RelationTypeFile, SchemaFile, SpanFile,
};

/// Reads `text` if it is in Gloss's own layout; `None` means "use the general parser".
pub(crate) fn parse(text: &str) -> Option<ProjectFile<'_>> {
    let (mut project, mut documents) = head(text)?;
    while let Some(doc) = documents.next(text)? {
        project.documents.push(doc);
    }
    Some(project)
}

/// Reads the project's fields before its documents (`documents` left empty), and returns where the
/// documents start: [`Documents::next`] then reads them one at a time. `None`: not our layout.
pub(crate) fn head(text: &str) -> Option<(ProjectFile<'_>, Documents)> {
    let mut c = Cursor { s: text.as_bytes(), text, at: 0 };
    let project = c.project_head()?;
    c.lit(b"[")?;
    let closed = c.eat(b"]")?;
    Some((project, Documents { at: c.at, closed }))
}

/// A position in the `documents` list of a file, for reading it one document at a time: full
/// loads and streaming exports ([`super::stream`]) read each document with the same code.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Documents {
    /// Byte offset of the next document (or of what follows the list once `closed`).
    at: usize,
    /// The list's `]` has been read.
    closed: bool,
}

impl Documents {
    /// The next document of `text` (the text [`head`] read), `Some(None)` after the last one when
    /// the file ends as it should, `None` when this is not our layout.
    pub(crate) fn next<'a>(&mut self, text: &'a str) -> Option<Option<DocumentFile<'a>>> {
        let mut c = Cursor { s: text.as_bytes(), text, at: self.at };
        if self.closed {
            c.close()?;
            c.ws()?;
            return (c.at == c.s.len()).then_some(None);
        }
        let doc = c.document()?;
        self.closed = c.next_or_close(b']')?;
        self.at = c.at;
        Some(Some(doc))
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Skips whitespace; a comment is not our layout.
    fn ws(&mut self) -> Option<()> {
        while let Some(&b) = self.s.get(self.at) {
            match b {
                b' ' | b'\n' | b'\r' | b'\t' => self.at += 1,
                b'/' => return None,
                _ => break,
            }
        }
        Some(())
    }

    /// Expects `token` (after whitespace).
    fn lit(&mut self, token: &[u8]) -> Option<()> {
        self.ws()?;
        if self.s.get(self.at..self.at + token.len())? == token {
            self.at += token.len();
            Some(())
        } else {
            None
        }
    }

    /// Consumes `token` if it comes next.
    fn eat(&mut self, token: &[u8]) -> Option<bool> {
        self.ws()?;
        if self.s.get(self.at..self.at + token.len()) == Some(token) {
            self.at += token.len();
            Some(true)
        } else {
            Some(false)
        }
    }

    /// `name:`
    fn field(&mut self, name: &[u8]) -> Option<()> {
        self.lit(name)?;
        self.lit(b":")
    }

    /// A field that may be absent: true when `name:` was consumed.
    fn maybe_field(&mut self, name: &[u8]) -> Option<bool> {
        self.ws()?;
        let end = self.at + name.len();
        if self.s.get(self.at..end) == Some(name) {
            let mut after = end;
            while matches!(self.s.get(after), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                after += 1;
            }
            if self.s.get(after) == Some(&b':') {
                self.at = after + 1;
                return Some(true);
            }
        }
        Some(false)
    }

    /// After a list item: `true` when the list closed (with or without a trailing comma),
    /// `false` after a comma with more to come; `None` for anything else.
    fn next_or_close(&mut self, close: u8) -> Option<bool> {
        if self.eat(b",")? { self.eat(&[close]) } else { self.lit(&[close]).map(|()| true) }
    }

    fn number(&mut self) -> Option<u64> {
        self.ws()?;
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(&b) = self.s.get(self.at) {
            if !b.is_ascii_digit() {
                break;
            }
            n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.at += 1;
        }
        // A number must end at a delimiter: `12abc`, `1_000` or `1.5` are left to ron.
        let delimited = matches!(self.s.get(self.at), Some(b',' | b')' | b']' | b' ' | b'\n' | b'\r' | b'\t'));
        (self.at > start && delimited).then_some(n)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.ws()?;
        if self.s.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let start = self.at;
        // Fast scan for the closing quote; escapes switch to building an owned string.
        self.at = self.skip_plain(start)?;
        match self.s.get(self.at)? {
            b'"' => {
                let piece = self.text.get(start..self.at)?;
                self.at += 1;
                Some(Cow::Borrowed(piece))
            }
            _ => self.escaped_string(start),
        }
    }

    /// The position of the next `"` or `\\` at or after `from`; `None` at the end of the file or
    /// when a raw control character comes first (not our layout: the writer escapes them).
    fn skip_plain(&self, from: usize) -> Option<usize> {
        let rest = self.s.get(from..)?;
        let stop = memchr::memchr2(b'"', b'\\', rest)?;
        // Without an early exit, the compiler turns this into wide compares.
        if rest.iter().take(stop).fold(false, |found, &b| found | (b < 0x20)) {
            return None;
        }
        Some(from + stop)
    }

    fn escaped_string(&mut self, start: usize) -> Option<Cow<'a, str>> {
        let mut out = String::with_capacity(self.at - start + 64);
        let mut clean = start;
        while let Some(&b) = self.s.get(self.at) {
            match b {
                b'"' => {
                    out.push_str(self.text.get(clean..self.at)?);
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    out.push_str(self.text.get(clean..self.at)?);
                    let kind = *self.s.get(self.at + 1)?;
                    self.at += 2;
                    match kind {
                        b'\\' => out.push('\\'),
                        b'"' => out.push('"'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'0' => out.push('\0'),
                        b'u' => {
                            if self.s.get(self.at) != Some(&b'{') {
                                return None;
                            }
                            let close = self.at + 1 + self.s.get(self.at + 1..)?.iter().position(|&b| b == b'}')?;
                            let hex = self.text.get(self.at + 1..close)?;
                            if hex.is_empty() || hex.len() > 6 {
                                return None;
                            }
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                            self.at = close + 1;
                        }
                        _ => return None,
                    }
                    clean = self.at;
                }
                _ => self.at = self.skip_plain(self.at)?,
            }
        }
        None
    }

    fn owned_string(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    /// `Some("...")`, as the writer writes optional strings.
    fn some_string(&mut self) -> Option<String> {
        self.lit(b"Some(")?;
        let s = self.owned_string()?;
        self.lit(b")")?;
        Some(s)
    }

    fn string_list(&mut self) -> Option<Vec<String>> {
        self.lit(b"[")?;
        let mut out = Vec::new();
        if self.eat(b"]")? {
            return Some(out);
        }
        loop {
            out.push(self.owned_string()?);
            if self.next_or_close(b']')? {
                return Some(out);
            }
        }
    }

    /// `[ item, item, ]` with `item` read by `read`.
    fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.lit(b"[")?;
        let mut out = Vec::new();
        if self.eat(b"]")? {
            return Some(out);
        }
        loop {
            out.push(read(self)?);
            if self.next_or_close(b']')? {
                return Some(out);
            }
        }
    }

    /// `,` between fields; a trailing one before `)` is allowed by `close`.
    fn comma(&mut self) -> Option<()> {
        self.lit(b",")
    }

    fn close(&mut self) -> Option<()> {
        self.eat(b",")?;
        self.lit(b")")
    }

    /// The project up to `documents:`, with no documents yet.
    fn project_head(&mut self) -> Option<ProjectFile<'a>> {
        self.lit(b"(")?;
        self.field(b"format")?;
        let format = self.owned_string()?;
        self.comma()?;
        self.field(b"version")?;
        let version = self.number()?;
        self.comma()?;
        self.field(b"name")?;
        let name = self.owned_string()?;
        self.comma()?;
        self.field(b"schema")?;
        let schema = self.schema()?;
        self.comma()?;
        self.field(b"documents")?;
        Some(ProjectFile { format, version, name, schema, documents: Vec::new() })
    }

    fn schema(&mut self) -> Option<SchemaFile> {
        self.lit(b"(")?;
        self.field(b"labels")?;
        let labels = self.list(|c| {
            c.lit(b"(")?;
            c.field(b"name")?;
            let name = c.owned_string()?;
            c.comma()?;
            c.field(b"color")?;
            let color = c.owned_string()?;
            c.comma()?;
            let key = if c.maybe_field(b"key")? {
                let key = c.owned_string()?;
                c.comma()?;
                Some(key)
            } else {
                None
            };
            c.field(b"description")?;
            let description = c.owned_string()?;
            c.close()?;
            Some(LabelFile { name, color, key, description })
        })?;
        self.comma()?;
        self.field(b"relations")?;
        let relations = self.list(|c| {
            c.lit(b"(")?;
            c.field(b"name")?;
            let name = c.owned_string()?;
            c.comma()?;
            c.field(b"from")?;
            let from = c.string_list()?;
            c.comma()?;
            c.field(b"to")?;
            let to = c.string_list()?;
            c.close()?;
            Some(RelationTypeFile { name, from, to })
        })?;
        let mut doc_labels = Vec::new();
        // Optional, and only after a comma; a second comma before `)` is not our layout.
        let more = self.eat(b",")?;
        if more && self.maybe_field(b"doc_labels")? {
            doc_labels = self.list(|c| {
                c.lit(b"(")?;
                c.field(b"name")?;
                let name = c.owned_string()?;
                c.comma()?;
                c.field(b"values")?;
                let values = c.string_list()?;
                c.comma()?;
                let key = if c.maybe_field(b"key")? {
                    let key = c.owned_string()?;
                    c.comma()?;
                    Some(key)
                } else {
                    None
                };
                c.field(b"description")?;
                let description = c.owned_string()?;
                c.close()?;
                Some(DocLabelFile { name, values, key, description })
            })?;
            self.close()?;
        } else {
            self.lit(b")")?;
        }
        Some(SchemaFile { labels, relations, doc_labels })
    }

    /// `{"key": "value", ...}`; a repeated key is left to ron, which decides what it means.
    fn string_map(&mut self) -> Option<BTreeMap<String, String>> {
        let mut map = BTreeMap::new();
        self.lit(b"{")?;
        if !self.eat(b"}")? {
            loop {
                let key = self.owned_string()?;
                self.lit(b":")?;
                let value = self.owned_string()?;
                if map.insert(key, value).is_some() {
                    return None;
                }
                if self.next_or_close(b'}')? {
                    break;
                }
            }
        }
        Some(map)
    }

    fn document(&mut self) -> Option<DocumentFile<'a>> {
        self.lit(b"(")?;
        self.field(b"id")?;
        let id = self.owned_string()?;
        self.comma()?;
        self.field(b"title")?;
        let title = self.owned_string()?;
        self.comma()?;
        let source = if self.maybe_field(b"source")? {
            let s = self.some_string()?;
            self.comma()?;
            Some(s)
        } else {
            None
        };
        self.field(b"status")?;
        let status = self.status()?;
        self.comma()?;
        let note = if self.maybe_field(b"note")? {
            let s = self.some_string()?;
            self.comma()?;
            Some(s)
        } else {
            None
        };
        let mut meta = BTreeMap::new();
        if self.maybe_field(b"meta")? {
            self.lit(b"{")?;
            if !self.eat(b"}")? {
                loop {
                    let key = self.owned_string()?;
                    self.lit(b":")?;
                    let value = self.owned_string()?;
                    // A repeated key is left to ron, which decides what it means.
                    if meta.insert(key, value).is_some() {
                        return None;
                    }
                    if self.next_or_close(b'}')? {
                        break;
                    }
                }
            }
            self.comma()?;
        }
        let mut doc_labels = BTreeMap::new();
        if self.maybe_field(b"doc_labels")? {
            doc_labels = self.string_map()?;
            self.comma()?;
        }
        self.field(b"text")?;
        let text = self.owned_string()?;
        self.comma()?;
        self.field(b"spans")?;
        let spans = self.list(Self::span)?;
        self.comma()?;
        self.field(b"relations")?;
        let relations = self.list(|c| {
            c.lit(b"(")?;
            c.field(b"id")?;
            let id = c.number()?;
            c.comma()?;
            c.field(b"label")?;
            let label = c.owned_string()?;
            c.comma()?;
            c.field(b"from")?;
            let from = c.number()?;
            c.comma()?;
            c.field(b"to")?;
            let to = c.number()?;
            c.close()?;
            Some(RelationFile { id, label, from, to })
        })?;
        // After relations: optional `suggestions` and `rejected` fields, then `)`, with at most one
        // comma between each (a doubled comma is left to ron, which refuses it).
        let mut suggestions = Vec::new();
        let mut rejected = Vec::new();
        let mut more = self.eat(b",")?;
        if more && self.maybe_field(b"suggestions")? {
            suggestions = self.list(Self::span)?;
            more = self.eat(b",")?;
        }
        if more && self.maybe_field(b"rejected")? {
            rejected = self.list(|c| {
                c.lit(b"(")?;
                let start = c.number()?;
                c.comma()?;
                let end = c.number()?;
                c.comma()?;
                let label = c.owned_string()?;
                c.close()?;
                Some((start, end, label))
            })?;
            self.eat(b",")?;
        }
        self.lit(b")")?;
        Some(DocumentFile {
            id,
            title,
            source,
            status,
            note,
            meta,
            doc_labels,
            text,
            spans,
            relations,
            suggestions,
            rejected,
        })
    }

    fn span(&mut self) -> Option<SpanFile<'a>> {
        self.lit(b"(")?;
        self.field(b"id")?;
        let id = self.number()?;
        self.comma()?;
        self.field(b"start")?;
        let start = self.number()?;
        self.comma()?;
        self.field(b"end")?;
        let end = self.number()?;
        self.comma()?;
        self.field(b"label")?;
        let label = self.owned_string()?;
        let mut text = None;
        let mut note = None;
        let mut annotator = None;
        // Optional fields in the writer's order, each after a comma.
        let mut more = self.eat(b",")?;
        if more && self.maybe_field(b"text")? {
            text = Some(self.string()?);
            more = self.eat(b",")?;
        }
        if more && self.maybe_field(b"note")? {
            note = Some(self.some_string()?);
            more = self.eat(b",")?;
        }
        if more && self.maybe_field(b"annotator")? {
            annotator = Some(self.some_string()?);
            self.eat(b",")?;
        }
        self.lit(b")")?;
        Some(SpanFile { id, start, end, label, text, note, annotator })
    }

    fn status(&mut self) -> Option<Status> {
        self.ws()?;
        for (name, status) in [
            (&b"InProgress"[..], Status::InProgress),
            (b"Todo", Status::Todo),
            (b"Done", Status::Done),
            (b"Skipped", Status::Skipped),
        ] {
            if self.s.get(self.at..self.at + name.len()) == Some(name)
                && !self.s.get(self.at + name.len()).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                self.at += name.len();
                return Some(status);
            }
        }
        None
    }
}
