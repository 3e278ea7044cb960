//! The annotation model: pure data and rules, no I/O and no GUI.
//!
//! Every invariant lives here, once: a span is non-empty and inside its text, its label exists in
//! the schema, no two spans share start, end and label, and relation ends exist.

mod bulk;
mod document;
mod edit;
pub mod hashing;
mod history;
mod problem;
mod project;
mod rejection;
mod relation;
mod schema;
mod snapshot;
mod span;
mod suggestion;
pub mod text;

pub use document::{Document, Status};
pub use edit::{Edit, EditError, check_new_span, check_new_suggestion};
pub use history::History;
pub use problem::{Place, Problem};
pub use project::{DocumentChecks, Project, document_problems};
pub use rejection::Rejection;
pub use relation::{Relation, RelationId};
pub use schema::{
    BadColor, CONTROL_CHARACTER, Color, DocLabelDef, LabelDef, PALETTE, RelationType, Schema, name_fault,
};
pub use snapshot::Snapshot;
pub use span::{Span, SpanId};
pub use text::Text;
