//! Pre-annotation: suggestions from gazetteers (phrase lists) and regex rules.
//!
//! A run reads its sources ([`Gazetteer`], [`RegexRule`]), compiles them into a [`Matcher`],
//! finds matches in each document's text and [`plan`]s them as suggestions: proposed spans kept
//! in [`crate::model::Document::suggestions`] until someone accepts them. They are never exported.
//!
//! ```text
//! places.tsv:  Karachi<TAB>location        text: "Rain in Karachi."
//!                                          suggestion 8..15 location (gazetteer:places.tsv)
//! ```

mod fold;
mod matcher;
mod plan;
mod source;

pub use fold::fold;
pub use matcher::{Found, MatchOptions, Matcher, MatcherError};
pub use plan::{DocumentMatches, DocumentPlan, PlanOptions, SuggestPlan, chosen_documents, plan, plan_found};
pub use source::{Gazetteer, GazetteerEntry, RegexRule, SourceError};

#[cfg(test)]
mod tests;
