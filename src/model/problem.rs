//! Problems found when validating a project, each with the place it was found.

use std::fmt;

use super::relation::RelationId;
use super::span::SpanId;

/// Where a problem is: a document, and within it a span or relation; or the schema; or the file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Place {
    /// `line:column` in the file, for syntax problems.
    pub position: Option<(usize, usize)>,
    /// Document id.
    pub document: Option<String>,
    /// Span id within the document.
    pub span: Option<SpanId>,
    /// Relation id within the document.
    pub relation: Option<RelationId>,
    /// Suggestion id within the document.
    pub suggestion: Option<SpanId>,
}

/// One thing wrong with a project, with where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub place: Place,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    /// A problem in the project as a whole (schema, header).
    pub fn project(message: impl Into<String>) -> Self {
        Self { place: Place::default(), message: message.into() }
    }

    /// A problem in a document.
    pub fn document(doc: &str, message: impl Into<String>) -> Self {
        Self { place: Place { document: Some(doc.to_owned()), ..Place::default() }, message: message.into() }
    }

    /// A problem with a span of a document.
    pub fn span(doc: &str, span: SpanId, message: impl Into<String>) -> Self {
        Self {
            place: Place { document: Some(doc.to_owned()), span: Some(span), ..Place::default() },
            message: message.into(),
        }
    }

    /// A problem with a relation of a document.
    pub fn relation(doc: &str, relation: RelationId, message: impl Into<String>) -> Self {
        Self {
            place: Place { document: Some(doc.to_owned()), relation: Some(relation), ..Place::default() },
            message: message.into(),
        }
    }
}

impl Problem {
    /// A problem with a suggestion of a document.
    pub fn suggestion(doc: &str, suggestion: SpanId, message: impl Into<String>) -> Self {
        Self {
            place: Place { document: Some(doc.to_owned()), suggestion: Some(suggestion), ..Place::default() },
            message: message.into(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some((line, col)) = self.position {
            parts.push(format!("{line}:{col}"));
        }
        if let Some(doc) = &self.document {
            parts.push(format!("document {doc:?}"));
        }
        if let Some(span) = self.span {
            parts.push(format!("span {span}"));
        }
        if let Some(rel) = self.relation {
            parts.push(format!("relation {rel}"));
        }
        if let Some(id) = self.suggestion {
            parts.push(format!("suggestion {id}"));
        }
        if parts.is_empty() {
            parts.push("project".to_owned());
        }
        f.write_str(&parts.join(", "))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}
