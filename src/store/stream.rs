//! Reading a project one document at a time, for work that looks at each document once (export):
//! memory stays near the size of the file instead of the file plus the whole loaded project.
//!
//! A file in Gloss's own layout is read by the fast reader ([`super::fast`]), document by document,
//! with the same code as a full load; each document is validated as it comes (against the schema,
//! and its id against those before it). A file in any other layout, or one the fast reader gives
//! up on part way, is loaded whole by [`super::parse`] and its remaining documents handed out from
//! there, so the documents and the errors are always those of [`super::load`].
//!
//! Once a document has a problem, no further document is handed out: the rest of the file is
//! still checked, and [`ProjectStream::next_document`] then fails with every problem, in the same
//! order and words as a full load.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::{Document, Problem, Schema, Status, document_problems};

use super::error::{LoadError, ParseError};
use super::fast;
use super::file::{FORMAT, VERSION};

/// A project file being read one document at a time. See the module docs.
pub struct ProjectStream {
    path: PathBuf,
    /// The whole file (without a byte order mark): the documents are read from it one by one.
    text: String,
    name: String,
    schema: Schema,
    state: State,
    /// Documents handed out so far.
    handed_out: usize,
    /// Problems found while building the schema and the documents (such as span texts that do
    /// not match their offsets), in file order.
    building: Vec<Problem>,
    /// Problems of the schema's own rules.
    schema_rules: Vec<Problem>,
    /// Problems of the model's rules in the documents, in file order.
    document_rules: Vec<Problem>,
    /// Ids of the documents read so far, to find one used twice.
    ids: HashSet<String>,
}

enum State {
    /// Reading with the fast reader.
    Fast(fast::Documents),
    /// The file was loaded whole; these are the documents not handed out yet.
    Loaded(std::vec::IntoIter<Document>),
    /// Every document was handed out, or an error was returned.
    Done,
}

/// Opens the project file at `path` for reading one document at a time. The file is read, and its
/// head (name, schema) checked; the documents are read by [`ProjectStream::next_document`].
pub fn stream(path: &Path) -> Result<ProjectStream, LoadError> {
    let text = super::read_project_text(path)?;
    ProjectStream::new(path, text)
}

impl ProjectStream {
    /// A stream over `text`, the content of the file at `path` (named in errors).
    pub fn new(path: &Path, mut text: String) -> Result<Self, LoadError> {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let mut stream = Self {
            path: path.to_owned(),
            name: String::new(),
            schema: Schema::default(),
            state: State::Done,
            handed_out: 0,
            building: Vec::new(),
            schema_rules: Vec::new(),
            document_rules: Vec::new(),
            ids: HashSet::new(),
            text: String::new(),
        };
        let head = fast::head(&text).filter(|(p, _)| p.format == FORMAT && p.version == VERSION);
        match head {
            Some((project, documents)) => {
                stream.name = project.name;
                stream.schema = project.schema.into_schema(&mut stream.building);
                stream.schema_rules = stream.schema.problems().into_iter().map(Problem::project).collect();
                stream.state = State::Fast(documents);
                stream.text = text;
            }
            None => {
                let project = super::parse(&text).map_err(|source| stream.error(source))?;
                stream.name = project.name;
                stream.schema = project.schema;
                stream.state = State::Loaded(project.documents.into_iter());
            }
        }
        Ok(stream)
    }

    /// The project's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The project's schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The next valid document; `Ok(None)` after the last. An error names every problem of the
    /// project (or the syntax error), as [`super::load`] would; no document follows it.
    pub fn next_document(&mut self) -> Result<Option<Document>, LoadError> {
        loop {
            match &mut self.state {
                State::Done => return Ok(None),
                State::Loaded(documents) => {
                    let next = documents.next();
                    if next.is_none() {
                        self.state = State::Done;
                    } else {
                        self.handed_out += 1;
                    }
                    return Ok(next);
                }
                State::Fast(documents) => match documents.next(&self.text) {
                    // Not our layout after all: let the full parser decide.
                    None => self.fall_back()?,
                    Some(None) => {
                        self.state = State::Done;
                        return self.finish().map(|()| None);
                    }
                    Some(Some(file)) => {
                        let doc = file.into_document(&mut self.building);
                        let before = self.document_rules.len();
                        if doc.id.trim().is_empty() {
                            self.document_rules.push(Problem::document(&doc.id, "document id is empty"));
                        }
                        if !self.ids.insert(doc.id.clone()) {
                            self.document_rules.push(Problem::document(&doc.id, "document id is used twice"));
                        }
                        document_problems(&self.schema, &doc, &mut self.document_rules);
                        // Once anything is wrong nothing more is handed out; checking goes on.
                        let clean = self.building.is_empty() && self.schema_rules.is_empty() && before == 0;
                        if clean && self.document_rules.len() == before {
                            self.handed_out += 1;
                            return Ok(Some(doc));
                        }
                    }
                },
            }
        }
    }

    /// Every document's id and status, in file order, without handing any out: what a split of
    /// the documents needs to know before the first is written.
    pub fn document_keys(&mut self) -> Result<Vec<(String, Status)>, LoadError> {
        loop {
            match &self.state {
                State::Fast(start) => {
                    let mut documents = *start;
                    let mut keys = Vec::new();
                    loop {
                        match documents.next(&self.text) {
                            Some(Some(file)) => keys.push((file.id, file.status)),
                            Some(None) => return Ok(keys),
                            None => break,
                        }
                    }
                    self.fall_back()?;
                }
                State::Loaded(documents) => {
                    return Ok(documents.as_slice().iter().map(|d| (d.id.clone(), d.status)).collect());
                }
                State::Done => return Ok(Vec::new()),
            }
        }
    }

    /// Loads the whole file with the full parser and goes on from the documents handed out.
    fn fall_back(&mut self) -> Result<(), LoadError> {
        self.state = State::Done;
        let project = super::parse(&self.text).map_err(|source| self.error(source))?;
        self.schema = project.schema;
        let mut rest = project.documents.into_iter();
        if let Some(last) = self.handed_out.checked_sub(1) {
            rest.nth(last);
        }
        self.state = State::Loaded(rest);
        self.text = String::new();
        Ok(())
    }

    /// After the last document: every problem found, as the full load reports them.
    fn finish(&mut self) -> Result<(), LoadError> {
        if self.building.is_empty() && self.schema_rules.is_empty() && self.document_rules.is_empty() {
            return Ok(());
        }
        let mut problems = std::mem::take(&mut self.building);
        problems.append(&mut self.schema_rules);
        problems.append(&mut self.document_rules);
        Err(self.error(ParseError::Invalid(problems)))
    }

    fn error(&self, source: ParseError) -> LoadError {
        LoadError::Parse { path: self.path.clone(), source }
    }
}
