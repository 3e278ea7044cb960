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

use std::path::{Path, PathBuf};

use crate::model::{Document, DocumentChecks, Problem, Schema, Status};

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
    /// The per-document rules, with the ids of the documents read so far.
    checks: DocumentChecks,
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
        // One byte order mark, as `parse` takes off; the text is parsed without it from here on.
        if text.starts_with(super::BOM) {
            text.drain(..super::BOM.len_utf8());
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
            checks: DocumentChecks::default(),
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
                let project = super::parse_unmarked(&text).map_err(|source| stream.error(source))?;
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
                        self.checks.check(&self.schema, &doc, &mut self.document_rules);
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

    /// The id and status of every document not handed out yet, in file order, without handing
    /// them out: what a split of the documents needs to know before the first is written.
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
        let project = super::parse_unmarked(&self.text).map_err(|source| self.error(source))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::store::{parse, to_string};

    fn project(docs: usize) -> crate::model::Project {
        let mut p = crate::model::Project::new("streamed");
        for i in 0..docs {
            let mut d =
                Document::new(format!("d{i}"), format!("Title \"{i}\""), format!("Zoë said “no” in کراچی.\n{i}"));
            d.spans = vec![Span::new(1, 0, 3, "speaker"), Span::new(2, 10, 12, "claim")];
            d.status = if i % 2 == 0 { Status::Done } else { Status::Todo };
            p.documents.push(d);
        }
        p
    }

    fn all(text: &str) -> Result<Vec<Document>, LoadError> {
        let mut stream = ProjectStream::new(Path::new("p.gloss.ron"), text.to_owned())?;
        let mut out = Vec::new();
        while let Some(doc) = stream.next_document()? {
            out.push(doc);
        }
        Ok(out)
    }

    fn problems(result: Result<Vec<Document>, LoadError>) -> Vec<Problem> {
        match result {
            Err(LoadError::Parse { source: ParseError::Invalid(problems), .. }) => problems,
            other => panic!("expected problems, got {:?}", other.map(|d| d.len())),
        }
    }

    #[test]
    fn hands_out_the_documents_of_a_full_load() {
        let p = project(5);
        let text = to_string(&p);
        assert_eq!(all(&text).unwrap(), p.documents);
        let mut stream = ProjectStream::new(Path::new("p"), format!("\u{feff}{text}")).unwrap();
        assert_eq!(stream.name(), "streamed");
        assert_eq!(stream.schema(), &p.schema);
        let keys = stream.document_keys().unwrap();
        assert_eq!(keys[1], ("d1".to_owned(), Status::Todo));
        assert_eq!(keys.len(), 5);
        assert_eq!(stream.next_document().unwrap().as_ref(), p.documents.first());
        assert_eq!(all(&to_string(&project(0))).unwrap(), []);
    }

    #[test]
    fn a_second_byte_order_mark_is_refused_as_a_full_load_refuses_it() {
        let text = to_string(&project(2));
        for marked in [format!("\u{feff}\u{feff}{text}"), format!("\u{feff}\u{feff}( // by hand\n{}", &text[2..])] {
            let expected = parse(&marked).unwrap_err().to_string();
            assert!(expected.starts_with("1:1: "), "{expected}");
            match ProjectStream::new(Path::new("p"), marked) {
                Err(LoadError::Parse { source, .. }) => assert_eq!(source.to_string(), expected),
                Err(other) => panic!("{other}"),
                Ok(_) => panic!("a second byte order mark was read past"),
            }
        }
    }

    #[test]
    fn other_layouts_load_whole_and_give_the_same_documents() {
        let p = project(4);
        let text = to_string(&p);
        // From the start: a comment in the head.
        let commented = text.replacen("(\n", "( // hand-edited\n", 1);
        assert!(fast::head(&commented).is_none());
        assert_eq!(all(&commented).unwrap(), p.documents);
        // Part way: the third document is written by hand; the first two were already handed out.
        let third = text.find("id: \"d2\"").unwrap();
        let mut odd = text.clone();
        odd.insert_str(third, "/* by hand */ ");
        let mut stream = ProjectStream::new(Path::new("p"), odd.clone()).unwrap();
        assert_eq!(stream.next_document().unwrap().as_ref(), p.documents.first());
        assert_eq!(stream.document_keys().unwrap().len(), 3);
        assert_eq!(stream.next_document().unwrap().as_ref(), p.documents.get(1));
        assert_eq!(all(&odd).unwrap(), p.documents);
        // A syntax error part way is ron's error, with its line.
        let broken = text.replacen("status: Todo", "status: Someday", 1);
        match all(&broken) {
            Err(LoadError::Parse { source: ParseError::Syntax { message, .. }, .. }) => {
                assert!(message.contains("Someday"), "{message}")
            }
            other => panic!("{:?}", other.map(|d| d.len())),
        }
    }

    #[test]
    fn invalid_documents_fail_with_the_problems_of_a_full_load() {
        let mut p = project(6);
        p.documents[2].spans.push(Span::new(3, 0, 3, "weather"));
        p.documents[4].id = "d1".into();
        p.schema.labels[1].key = p.schema.labels[0].key;
        let text = to_string(&p).replacen("label: \"claim\", text: \"no\"", "label: \"claim\", text: \"nO\"", 1);
        let expected = match parse(&text) {
            Err(ParseError::Invalid(problems)) => problems,
            other => panic!("{:?}", other.map(|p| p.documents.len())),
        };
        assert!(expected.len() >= 4, "{expected:?}");
        assert_eq!(problems(all(&text)), expected);
        // Nothing is handed out after a problem, and the first problem stops the documents.
        let mut p = project(6);
        p.documents[3].spans.push(Span::new(3, 0, 99, "claim"));
        let mut stream = ProjectStream::new(Path::new("p"), to_string(&p)).unwrap();
        for _ in 0..3 {
            assert!(stream.next_document().unwrap().is_some());
        }
        let err = stream.next_document().unwrap_err().to_string();
        assert!(err.contains("document \"d3\", span 3: offsets 0..99 reach past the end"), "{err}");
        assert!(stream.next_document().unwrap().is_none());
    }
}
