//! A labelled link between two spans of one document, such as "said": speaker → claim.

use super::span::SpanId;

/// Identifier of a relation, unique within its document.
pub type RelationId = u64;

/// A directed, labelled link from one span to another in the same document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// Stable identifier, unique in its document.
    pub id: RelationId,
    /// Name of a relation type in the schema.
    pub label: String,
    /// The span the relation starts from (e.g. the speaker).
    pub from: SpanId,
    /// The span the relation points to (e.g. the claim).
    pub to: SpanId,
}
