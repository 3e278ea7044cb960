//! Tests of matching and planning. Expected offsets are computed here from `str::find` and
//! character counts, independently of the model's offset index.

use super::*;
use crate::model::{Document, Edit, Project, Schema, Span, Status, Text};

/// Code point range of the `nth` (0-based) occurrence of `needle` in `hay`, like Python's
/// `hay.index(needle)`.
fn at(hay: &str, needle: &str, nth: usize) -> (usize, usize) {
    let mut from = 0;
    let mut byte = 0;
    for _ in 0..=nth {
        byte = from + hay[from..].find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
        from = byte + needle.len();
    }
    let start = hay[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn gazetteer(lines: &str) -> Gazetteer {
    Gazetteer::parse("g.tsv", lines).expect("valid gazetteer")
}

fn find(text: &str, gaz: &str, options: MatchOptions) -> Vec<(usize, usize, String)> {
    let m = Matcher::new(&[gazetteer(gaz)], &[], options).expect("compiles");
    m.find(&Text::from(text)).into_iter().map(|f| (f.start, f.end, f.label)).collect()
}

fn ranges(found: &[(usize, usize, String)]) -> Vec<(usize, usize)> {
    found.iter().map(|(s, e, _)| (*s, *e)).collect()
}

const CI: MatchOptions = MatchOptions { ignore_case: true, whole_word: false };
const WW: MatchOptions = MatchOptions { ignore_case: false, whole_word: true };
const BOTH: MatchOptions = MatchOptions { ignore_case: true, whole_word: true };

#[test]
fn offsets_are_code_points_after_emoji_quotes_and_urdu() {
    let text = "😀 “Karachi” — کراچی میں Karachi’s port; naïve Zoë.";
    let found = find(text, "Karachi\tlocation\nکراچی\tlocation\nZoë\tspeaker", MatchOptions::default());
    let expected = vec![
        (at(text, "Karachi", 0).0, at(text, "Karachi", 0).1, "location".to_owned()),
        (at(text, "کراچی", 0).0, at(text, "کراچی", 0).1, "location".to_owned()),
        (at(text, "Karachi", 1).0, at(text, "Karachi", 1).1, "location".to_owned()),
        (at(text, "Zoë", 0).0, at(text, "Zoë", 0).1, "speaker".to_owned()),
    ];
    assert_eq!(found, expected);
}

#[test]
fn case_is_ignored_only_when_asked() {
    let text = "KARACHI, karachi and Karachi.";
    assert_eq!(find(text, "Karachi\tlocation", MatchOptions::default()).len(), 1);
    let found = find(text, "Karachi\tlocation", CI);
    assert_eq!(ranges(&found), vec![at(text, "KARACHI", 0), at(text, "karachi", 0), at(text, "Karachi", 0)]);
}

#[test]
fn ignoring_case_keeps_exact_offsets_when_folding_changes_lengths() {
    // ß folds to "ss", İ to "i", final ς to σ: the fold is longer or shorter than the original,
    // and the offsets must still be those of the original text.
    let text = "İstanbul'da Straße 😀 ΚΌΣΜΟΣ and κόσμος; Greifswald STRASSE.";
    let found = find(text, "istanbul\tlocation\nSTRASSE\tlocation\nκόσμος\tclaim", CI);
    let expected = vec![
        at(text, "İstanbul", 0),
        at(text, "Straße", 0),
        at(text, "ΚΌΣΜΟΣ", 0),
        at(text, "κόσμος", 0),
        at(text, "STRASSE", 0),
    ];
    assert_eq!(ranges(&found), expected);
    let t = Text::from(text);
    assert_eq!(t.slice(found[1].0..found[1].1), Some("Straße"));
}

#[test]
fn a_fold_is_never_split() {
    // "s" alone must not match half of the "ss" that "ß" folds to.
    let text = "Maß";
    assert!(find(text, "s\tclaim", CI).is_empty());
    assert_eq!(ranges(&find(text, "ss\tclaim", CI)), vec![(2, 3)]);
}

#[test]
fn whole_word_never_matches_inside_a_word() {
    let text = "Lee met Leeds' Lee-Anne and Ashlee. Lee.";
    let found = find(text, "Lee\tspeaker", WW);
    // "Lee" at 0, in "Lee-Anne" (a hyphen is a word boundary), and before the final period.
    let expected = vec![at(text, "Lee", 0), at(text, "Lee-", 0), at(text, "Lee.", 0)];
    let expected: Vec<(usize, usize)> = expected.into_iter().map(|(s, _)| (s, s + 3)).collect();
    assert_eq!(ranges(&found), expected);
    assert_eq!(find(text, "Lee\tspeaker", MatchOptions::default()).len(), 4, "without whole-word, Leeds too");
}

#[test]
fn whole_word_allows_a_possessive_but_not_other_endings() {
    let text = "Karachi’s port, Karachi's mayor, Karachiite, KARACHI'S";
    let found = find(text, "Karachi\tlocation", BOTH);
    let expected = vec![at(text, "Karachi’s", 0), at(text, "Karachi's", 0), at(text, "KARACHI'S", 0)];
    let expected: Vec<(usize, usize)> = expected.into_iter().map(|(s, _)| (s, s + 7)).collect();
    assert_eq!(ranges(&found), expected);
}

#[test]
fn whole_word_splits_at_an_apostrophe_in_turkish_french_and_italian() {
    // UAX #29 keeps each of these one word: a Turkish case suffix, a French or Italian article.
    let text = "İstanbul'da, Şanlıurfa’dan; à l'Élysée, dell'Italia. İstanbullu";
    let gazetteer = "İstanbul\tlocation\nŞanlıurfa\tlocation\nÉlysée\tlocation\nItalia\tlocation";
    let found = find(text, gazetteer, WW);
    let names = ["İstanbul", "Şanlıurfa", "Élysée", "Italia"];
    let expected: Vec<(usize, usize)> = names.iter().map(|name| at(text, name, 0)).collect();
    assert_eq!(ranges(&found), expected, "İstanbullu (one word, no apostrophe) is not a match");
    // The apostrophe is neither part of the name nor of the suffix: "da" alone is a word.
    assert_eq!(ranges(&find(text, "da\tclaim", WW)), vec![(at(text, "da,", 0).0, at(text, "da,", 0).0 + 2)]);
    // An apostrophe at a word's edge (a closing quotation) changes nothing.
    let quoted = "'Lee' and Lee's";
    assert_eq!(ranges(&find(quoted, "Lee\tspeaker", WW)), vec![(1, 4), (10, 13)]);
}

#[test]
fn whole_word_in_urdu_and_hindi() {
    // "کراچی" inside "کراچیوں" (an inflected form) is not a whole word; Devanagari vowel signs
    // belong to their word.
    let text = "کراچی اور کراچیوں میں; दिल्ली और दिल्लीवाले";
    let found = find(text, "کراچی\tlocation\nदिल्ली\tlocation", WW);
    assert_eq!(ranges(&found), vec![at(text, "کراچی", 0), at(text, "दिल्ली", 0)]);
}

#[test]
fn a_longer_phrase_wins_and_a_shorter_one_stays_where_the_longer_fails() {
    let text = "New York and New Yorkers and New Jersey";
    let found = find(text, "New\tlocation\nNew York\tlocation", WW);
    assert_eq!(
        ranges(&found),
        vec![at(text, "New York", 0), (at(text, "New", 1).0, at(text, "New", 1).1), at(text, "New", 2)]
    );
    // Without whole-word, "New York" wins inside "New Yorkers" too.
    let found = find(text, "New\tlocation\nNew York\tlocation", MatchOptions::default());
    assert_eq!(ranges(&found), vec![at(text, "New York", 0), at(text, "New York", 1), at(text, "New", 2)]);
}

#[test]
fn matches_never_split_a_grapheme() {
    // "e" followed by a combining acute, and a ZWJ family emoji.
    let text = "cafe\u{301} 👨\u{200d}👩\u{200d}👧";
    assert!(find(text, "cafe\tclaim", MatchOptions::default()).is_empty());
    assert!(find(text, "👨\tclaim", MatchOptions::default()).is_empty());
    assert_eq!(find(text, "cafe\u{301}\tclaim", MatchOptions::default()).len(), 1);
}

#[test]
fn a_phrase_with_two_labels_gives_two_suggestions() {
    let found = find("Jordan said", "Jordan\tlocation\nJordan\tspeaker\nJordan\tspeaker", BOTH);
    assert_eq!(found, vec![(0, 6, "location".to_owned()), (0, 6, "speaker".to_owned())]);
}

#[test]
fn regex_rules_report_code_points() {
    let text = "😀 Über 1999 — am 3.5.2024 in کراچی, 2025.";
    let rules =
        vec![RegexRule::parse_arg(r"date=\b\d{4}\b").expect("rule"), RegexRule::parse_arg(r"word=über").expect("rule")];
    let m = Matcher::new(&[], &rules, MatchOptions { ignore_case: true, whole_word: false }).expect("compiles");
    let found: Vec<(usize, usize, String)> =
        m.find(&Text::from(text)).into_iter().map(|f| (f.start, f.end, f.label)).collect();
    let (s, e) = at(text, "Über", 0);
    let mut expected = vec![
        (s, e, "word".to_owned()),
        (at(text, "1999", 0).0, at(text, "1999", 0).1, "date".to_owned()),
        (at(text, "2024", 0).0, at(text, "2024", 0).1, "date".to_owned()),
        (at(text, "2025", 0).0, at(text, "2025", 0).1, "date".to_owned()),
    ];
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(m.find(&Text::from(text))[0].origin, "regex:über");
}

#[test]
fn a_bad_pattern_names_its_place() {
    let rules = RegexRule::parse_file_text("rules.tsv", "# r\ndate\t(\\d+\n").expect("parses");
    let err = Matcher::new(&[], &rules, MatchOptions::default()).err().expect("bad pattern");
    assert!(err.to_string().starts_with("rules.tsv line 2: bad pattern"), "{err}");
}

#[test]
fn empty_regex_matches_are_ignored() {
    let rules = vec![RegexRule::parse_arg("x=a*").expect("rule")];
    let m = Matcher::new(&[], &rules, MatchOptions::default()).expect("compiles");
    assert_eq!(m.find(&Text::from("bab")).len(), 1);
}

fn project() -> Project {
    let mut d1 = Document::new("d1", "one", "Lee flew to Karachi. Karachi is hot.");
    d1.spans.push(Span::new(1, 12, 19, "location"));
    let mut d2 = Document::new("d2", "two", "Lee in Lahore.");
    d2.status = Status::Done;
    d2.suggestions.push(Span::new(4, 7, 13, "location"));
    Project { name: "p".into(), schema: Schema::default_news(), documents: vec![d1, d2] }
}

#[test]
fn plan_skips_duplicates_adds_unknown_labels_and_undoes() {
    let mut p = project();
    let before = p.clone();
    let g = gazetteer("Karachi\tlocation\nLahore\tlocation\nLee\tperson\n");
    let m = Matcher::new(&[g], &[], WW).expect("compiles");
    let plan = plan(&p, &m, &PlanOptions::default());
    assert_eq!(plan.new_labels, vec!["person".to_owned()]);
    assert_eq!(plan.duplicates(), 2, "span 1 in d1, suggestion 4 in d2");
    assert_eq!(plan.added(), 3);
    assert_eq!(plan.documents[0].labels.get("location"), Some(&1));
    let undo = plan.edit.expect("an edit").apply(&mut p).expect("applies");
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    let d1 = &p.documents[0];
    let got: Vec<(usize, usize, &str)> = d1.suggestions.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
    assert_eq!(got, vec![(0, 3, "person"), (21, 28, "location")]);
    assert_eq!(d1.suggestions[1].annotator.as_deref(), Some("gazetteer:g.tsv"));
    assert_eq!(d1.spans.len(), 1, "suggestions are not spans");
    assert_eq!(p.documents[1].suggestions.len(), 2, "the old suggestion kept, Lee added");
    undo.apply(&mut p).expect("undo");
    assert_eq!(p, before);
}

#[test]
fn plan_maps_labels_and_respects_only_todo() {
    let p = project();
    let g = gazetteer("Lee\tPER\n");
    let m = Matcher::new(&[g], &[], WW).expect("compiles");
    let options = PlanOptions {
        only_todo: true,
        map: [("PER".to_owned(), "speaker".to_owned())].into_iter().collect(),
        ..PlanOptions::default()
    };
    let plan = plan(&p, &m, &options);
    assert!(plan.new_labels.is_empty());
    assert_eq!(plan.documents.len(), 1, "d2 is done");
    assert_eq!(plan.labels().get("speaker"), Some(&1));
}

#[test]
fn running_twice_adds_nothing_new() {
    let mut p = project();
    let m = Matcher::new(&[gazetteer("Karachi\tlocation\nLee\tspeaker")], &[], WW).expect("compiles");
    plan(&p, &m, &PlanOptions::default()).edit.expect("edit").apply(&mut p).expect("applies");
    let again = plan(&p, &m, &PlanOptions::default());
    assert!(again.edit.is_none());
    assert_eq!(again.added(), 0);
}

#[test]
fn accepting_all_suggestions_after_a_run_gives_valid_spans() {
    let mut p = project();
    let m = Matcher::new(&[gazetteer("Karachi\tlocation\nLee\tspeaker")], &[], WW).expect("compiles");
    plan(&p, &m, &PlanOptions::default()).edit.expect("edit").apply(&mut p).expect("applies");
    Edit::accept_all_suggestions(&p, 0).expect("some").apply(&mut p).expect("applies");
    assert!(p.problems().is_empty());
    assert!(p.documents[0].suggestions.is_empty());
    let texts: Vec<&str> = p.documents[0].spans.iter().filter_map(|s| p.documents[0].covered_text(s)).collect();
    assert_eq!(texts, vec!["Lee", "Karachi", "Karachi"]);
}

#[test]
fn matches_found_elsewhere_are_planned_by_document_id() {
    let mut p = project();
    let m = Matcher::new(&[gazetteer("Lee\tspeaker")], &[], WW).expect("compiles");
    let found: Vec<DocumentMatches> = chosen_documents(&p, &PlanOptions::default())
        .into_iter()
        .map(|doc| DocumentMatches { id: p.documents[doc].id.clone(), found: m.find(&p.documents[doc].text) })
        .collect();
    // Meanwhile the first document was removed: the second's matches still land on it.
    p.documents.remove(0);
    let plan = plan_found(&p, found, &Default::default());
    assert_eq!(plan.documents.len(), 1);
    assert_eq!((plan.documents[0].doc, plan.documents[0].id.as_str()), (0, "d2"));
    plan.edit.expect("edit").apply(&mut p).expect("applies");
    assert_eq!(p.documents[0].suggestions.iter().filter(|s| s.label == "speaker").count(), 1);
    let only_todo = PlanOptions { only_todo: true, ..PlanOptions::default() };
    assert!(chosen_documents(&p, &only_todo).is_empty(), "d2 is done");
}
