//! The conflicts a merge leaves to decide, and the edit for each decision (the review mode).
//!
//! After [`super::merge`], a document's disputed spans are suggestions whose `annotator` names who
//! made them ("a", "a+c"). Suggestions that overlap, directly or through others, form one
//! **conflict**. For each annotator of the document, the set of suggestions they proposed in that
//! place is their **version** (possibly empty: "b: nothing"); annotators with the same set share
//! one version. A decision accepts one version, all of them (every distinct span of the
//! conflict), or none; each decision is one undoable [`Edit`].
//!
//! Suggestions from elsewhere (a gazetteer, a rule: an origin that is not the document's
//! annotators) are not conflicts and are left alone.
//!
//! ```text
//! text:      Mayor Jane Doe said …
//! a:         [speaker......]            version a: speaker 0..14
//! b:               [speaker]            version b: speaker 6..14
//! c:         (nothing)                  version c: nothing
//! ```

use crate::model::{Edit, Project, Span, SpanId};

use super::merge::{merged_annotators, origin_annotators};

/// One annotator's (or several annotators') proposal for a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The annotators whose proposal this is, in merge order.
    pub annotators: Vec<String>,
    /// The suggestions they proposed there, in text order (empty: they proposed nothing).
    pub suggestions: Vec<SpanId>,
}

/// Overlapping annotator suggestions of one document, and each annotator's version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Position of the document in the project.
    pub doc: usize,
    /// First code point any of the suggestions covers.
    pub start: usize,
    /// Code point just past the last one any of them covers.
    pub end: usize,
    /// Every suggestion of the conflict, in text order.
    pub suggestions: Vec<SpanId>,
    /// The distinct versions, in the order of their first annotator.
    pub versions: Vec<Version>,
}

/// What the reviewer decided for a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep this version (index into [`Conflict::versions`]) and drop the others.
    Accept(usize),
    /// Keep every distinct span of the conflict.
    All,
    /// Keep none of them.
    Neither,
}

/// The conflicts of document `doc` of `project`, in text order. Empty when the document was not
/// merged from several annotators.
pub fn document_conflicts(project: &Project, doc: usize) -> Vec<Conflict> {
    let Some(d) = project.documents.get(doc) else { return Vec::new() };
    let annotators = merged_annotators(d);
    if annotators.len() < 2 {
        return Vec::new();
    }
    // Annotator suggestions, with who made them; they are sorted by start already.
    let ours: Vec<(&Span, Vec<&str>)> = d
        .suggestions
        .iter()
        .filter_map(|s| Some((s, origin_annotators(s.annotator.as_deref()?, &annotators)?)))
        .collect();
    let mut out: Vec<Conflict> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut group_end = 0;
    for (i, (s, _)) in ours.iter().enumerate() {
        if !group.is_empty() && s.start >= group_end {
            out.push(conflict(doc, &ours, &group, &annotators));
            group.clear();
        }
        if group.is_empty() {
            group_end = s.end;
        }
        group.push(i);
        group_end = group_end.max(s.end);
    }
    if !group.is_empty() {
        out.push(conflict(doc, &ours, &group, &annotators));
    }
    out
}

fn conflict(doc: usize, ours: &[(&Span, Vec<&str>)], group: &[usize], annotators: &[&str]) -> Conflict {
    let members: Vec<&(&Span, Vec<&str>)> = group.iter().filter_map(|&i| ours.get(i)).collect();
    let start = members.iter().map(|(s, _)| s.start).min().unwrap_or(0);
    let end = members.iter().map(|(s, _)| s.end).max().unwrap_or(start);
    let mut versions: Vec<Version> = Vec::new();
    for name in annotators {
        let proposed: Vec<SpanId> = members.iter().filter(|(_, who)| who.contains(name)).map(|(s, _)| s.id).collect();
        match versions.iter_mut().find(|v| v.suggestions == proposed) {
            Some(v) => v.annotators.push((*name).to_owned()),
            None => versions.push(Version { annotators: vec![(*name).to_owned()], suggestions: proposed }),
        }
    }
    Conflict { doc, start, end, suggestions: members.iter().map(|(s, _)| s.id).collect(), versions }
}

/// Every conflict of the project, document by document, in text order.
pub fn project_conflicts(project: &Project) -> Vec<Conflict> {
    (0..project.documents.len()).flat_map(|doc| document_conflicts(project, doc)).collect()
}

/// The edit that carries out `decision` on `conflict`: one edit (accepting and rejecting
/// together), so one undo step. `None` when the conflict's suggestions are gone (decided already)
/// or the version does not exist.
pub fn decision_edit(project: &Project, conflict: &Conflict, decision: Decision) -> Option<Edit> {
    let keep: Vec<SpanId> = match decision {
        Decision::Accept(v) => conflict.versions.get(v)?.suggestions.clone(),
        Decision::All => conflict.suggestions.clone(),
        Decision::Neither => Vec::new(),
    };
    let drop: Vec<SpanId> = conflict.suggestions.iter().copied().filter(|id| !keep.contains(id)).collect();
    let edits: Vec<Edit> = [
        Edit::accept_suggestions(project, conflict.doc, &keep),
        Edit::reject_suggestions(project, conflict.doc, &drop),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::merge::{ANNOTATORS_META, merge};
    use crate::model::{Document, Status};

    const TEXT: &str = "Mayor Jane Doe said the bridge will close in Lagos today. Rebels threatened Kabul.";

    fn annotator(name: &str, spans: &[(usize, usize, &str)]) -> Project {
        let mut p = Project::new(name);
        p.documents.push(Document::new("d1", "Bridge", TEXT));
        for (i, &(s, e, l)) in spans.iter().enumerate() {
            Edit::AddSpan { doc: 0, span: Span::new(i as u64 + 1, s, e, l) }.apply(&mut p).unwrap();
        }
        p
    }

    /// a, b and c: the claim agreed; a speaker dispute (a, b; c nothing); a location only c
    /// made; a threat a and c labelled one way, b another.
    fn gold() -> Project {
        let a = annotator("a", &[(0, 14, "speaker"), (20, 56, "claim"), (58, 81, "threat")]);
        let b = annotator("b", &[(6, 14, "speaker"), (20, 56, "claim"), (58, 81, "claim")]);
        let c = annotator("c", &[(20, 56, "claim"), (45, 50, "location"), (58, 81, "threat")]);
        merge(&[("a", &a), ("b", &b), ("c", &c)]).0
    }

    fn ranges(p: &Project, ids: &[SpanId]) -> Vec<(usize, usize, String)> {
        let d = &p.documents[0];
        ids.iter().filter_map(|&id| d.suggestion(id)).map(|s| (s.start, s.end, s.label.clone())).collect()
    }

    #[test]
    fn overlapping_suggestions_group_with_every_annotators_version() {
        let p = gold();
        let conflicts = document_conflicts(&p, 0);
        let summary: Vec<(usize, usize, usize)> =
            conflicts.iter().map(|c| (c.start, c.end, c.versions.len())).collect();
        assert_eq!(summary, [(0, 14, 3), (45, 50, 2), (58, 81, 2)]);
        let speaker = &conflicts[0];
        let names: Vec<&[String]> = speaker.versions.iter().map(|v| v.annotators.as_slice()).collect();
        assert_eq!(names, [&["a".to_owned()][..], &["b".to_owned()], &["c".to_owned()]]);
        assert_eq!(ranges(&p, &speaker.versions[0].suggestions), [(0, 14, "speaker".into())]);
        assert_eq!(ranges(&p, &speaker.versions[1].suggestions), [(6, 14, "speaker".into())]);
        assert!(speaker.versions[2].suggestions.is_empty(), "c proposed nothing there");
        // The location: c's, and a and b share "nothing".
        assert_eq!(conflicts[1].versions[0].annotators, ["a", "b"]);
        assert!(conflicts[1].versions[0].suggestions.is_empty());
        // The threat: a and c share a version.
        assert_eq!(conflicts[2].versions[0].annotators, ["a", "c"]);
        assert_eq!(ranges(&p, &conflicts[2].versions[0].suggestions), [(58, 81, "threat".into())]);
        assert_eq!(project_conflicts(&p).len(), 3);
    }

    #[test]
    fn grouping_is_transitive_and_ignores_other_origins() {
        let mut p = gold();
        let d = &mut p.documents[0];
        d.suggestions.clear();
        let mut add = |id, start, end, who: &str| {
            let mut s = Span::new(id, start, end, "claim");
            s.annotator = Some(who.to_owned());
            d.suggestions.push(s);
        };
        add(1, 0, 5, "a"); // 0..5 and 10..19 do not overlap, but 4..12 joins them.
        add(2, 4, 12, "b");
        add(3, 10, 19, "a");
        add(4, 19, 23, "b"); // touches 10..19 without overlapping: its own conflict.
        add(5, 30, 35, "gazetteer:places.tsv");
        d.suggestions.sort_by_key(Span::sort_key);
        let conflicts = document_conflicts(&p, 0);
        let groups: Vec<&[SpanId]> = conflicts.iter().map(|c| c.suggestions.as_slice()).collect();
        assert_eq!(groups, [&[1, 2, 3][..], &[4]]);
        assert_eq!(conflicts[0].versions[0].suggestions, [1, 3]);
        assert_eq!((conflicts[0].start, conflicts[0].end), (0, 19));
    }

    #[test]
    fn a_document_not_merged_has_no_conflicts() {
        let mut p = gold();
        p.documents[0].meta.remove(ANNOTATORS_META);
        assert!(document_conflicts(&p, 0).is_empty());
        assert!(document_conflicts(&p, 7).is_empty());
    }

    #[test]
    fn each_decision_is_one_undoable_edit() {
        let base = gold();
        let conflicts = document_conflicts(&base, 0);
        let spans = |p: &Project| -> Vec<(usize, usize, String)> {
            p.documents[0].spans.iter().map(|s| (s.start, s.end, s.label.clone())).collect()
        };
        let agreed = spans(&base);
        let cases = [
            (Decision::Accept(1), vec![(6, 14, "speaker")]),
            (Decision::Accept(2), vec![]),
            (Decision::All, vec![(0, 14, "speaker"), (6, 14, "speaker")]),
            (Decision::Neither, vec![]),
        ];
        for (decision, added) in cases {
            let mut p = base.clone();
            let edit = decision_edit(&p, &conflicts[0], decision).expect("something to do");
            let undo = edit.apply(&mut p).expect("applies");
            let mut expected = agreed.clone();
            expected.extend(added.iter().map(|&(s, e, l)| (s, e, l.to_owned())));
            expected.sort();
            assert_eq!(spans(&p), expected, "{decision:?}");
            assert!(document_conflicts(&p, 0).iter().all(|c| c.start != 0), "{decision:?}: decided");
            assert_eq!(document_conflicts(&p, 0).len(), 2, "{decision:?}: the others are left");
            assert!(decision_edit(&p, &conflicts[0], decision).is_none(), "deciding twice does nothing");
            undo.apply(&mut p).expect("undo applies");
            assert_eq!(p, base, "{decision:?}: one undo step");
        }
        assert!(decision_edit(&base, &conflicts[0], Decision::Accept(9)).is_none());
    }

    #[test]
    fn accepting_keeps_origin_and_note_and_a_fully_decided_document_exports_clean() {
        let mut p = gold();
        for decision in [Decision::Accept(0), Decision::All, Decision::Neither] {
            let first = document_conflicts(&p, 0).remove(0);
            decision_edit(&p, &first, decision).expect("edit").apply(&mut p).expect("applies");
        }
        let d = &p.documents[0];
        assert!(d.suggestions.is_empty());
        assert_eq!(d.find_exact(0, 14, "speaker").and_then(|s| s.annotator.as_deref()), Some("a"));
        assert!(d.find_exact(45, 50, "location").is_some());
        assert!(d.find_exact(58, 81, "threat").is_none() && d.find_exact(58, 81, "claim").is_none());
        assert_eq!(d.status, Status::InProgress, "the reviewer marks it done");
        assert!(p.problems().is_empty(), "{:?}", p.problems());
    }
}
