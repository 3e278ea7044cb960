//! The label schema: span labels (name, colour, hotkey, description), relation types, and
//! document-level labels (a name with a closed set of values, set once per document).

use std::fmt;
use std::str::FromStr;

/// An sRGB colour, written `#rrggbb` in project files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub [u8; 3]);

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// A colour string that is not `#rrggbb` (or `#rgb`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a colour; write it as #rrggbb, e.g. #4e79a7")]
pub struct BadColor(pub String);

impl FromStr for Color {
    type Err = BadColor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadColor(s.to_owned());
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if !hex.is_ascii() {
            return Err(bad());
        }
        let digit = |i: usize, w: usize| u8::from_str_radix(hex.get(i..i + w).ok_or_else(bad)?, 16).map_err(|_| bad());
        match hex.len() {
            6 => Ok(Color([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?])),
            3 => Ok(Color([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17])),
            _ => Err(bad()),
        }
    }
}

/// A span label of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelDef {
    /// Unique name, as written on spans ("claim").
    pub name: String,
    /// Highlight colour.
    pub color: Color,
    /// Hotkey that applies the label: one character, such as `1`.
    pub key: Option<char>,
    /// What the label means, for annotators.
    pub description: String,
}

/// A relation type of the schema, with the labels allowed at each end (empty: any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationType {
    /// Unique name ("said").
    pub name: String,
    /// Labels allowed on the `from` span; empty allows any.
    pub from: Vec<String>,
    /// Labels allowed on the `to` span; empty allows any.
    pub to: Vec<String>,
}

impl RelationType {
    /// True when a relation of this type may go from a span labelled `from` to one labelled `to`.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        (self.from.is_empty() || self.from.iter().any(|l| l == from))
            && (self.to.is_empty() || self.to.iter().any(|l| l == to))
    }
}

/// A document-level label: a question asked once per document ("escalation"), with the answers
/// allowed ("yes", "no"). A document holds at most one value per doc label, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocLabelDef {
    /// Unique name among doc labels ("escalation").
    pub name: String,
    /// The values a document may take, in display (and hotkey cycling) order.
    pub values: Vec<String>,
    /// Hotkey that cycles the document through the values, then back to unset.
    pub key: Option<char>,
    /// What the label means, for annotators.
    pub description: String,
}

impl DocLabelDef {
    /// True when `value` is one of the def's values.
    pub fn allows(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    /// The value after `current` when cycling with the hotkey: unset → first → ... → last → unset.
    pub fn next_value(&self, current: Option<&str>) -> Option<&str> {
        match current.and_then(|c| self.values.iter().position(|v| v == c)) {
            None => self.values.first().map(String::as_str),
            Some(i) => self.values.get(i + 1).map(String::as_str),
        }
    }
}

/// What a name may not hold: a control character (a tab, a line break, an escape code...).
/// Exports write label names as they are into CoNLL columns, brat configuration files and CSV
/// cells, where one would break the file.
pub const CONTROL_CHARACTER: &str =
    "has a control character (such as a tab, a line break or an escape code), which exported files cannot hold";

/// Why `name` cannot name a span label, relation type or document label (or be a document
/// label's value), if it cannot: it is empty or only whitespace, or holds a control character.
pub fn name_fault(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("is empty")
    } else if name.chars().any(char::is_control) {
        Some(CONTROL_CHARACTER)
    } else {
        None
    }
}

/// A problem of the schema's `what` number `i` called `name`, if its name breaks a rule.
fn name_problem(what: &str, i: usize, name: &str) -> Option<String> {
    match name_fault(name) {
        None => None,
        Some(_) if name.trim().is_empty() => Some(format!("{what} #{} has an empty name", i + 1)),
        Some(fault) => Some(format!("{what} {name:?} {fault}")),
    }
}

/// The labels, relation types and document-level labels of a project.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Schema {
    /// Span labels, in display order.
    pub labels: Vec<LabelDef>,
    /// Relation types.
    pub relations: Vec<RelationType>,
    /// Document-level labels, in display order.
    pub doc_labels: Vec<DocLabelDef>,
}

/// A palette of distinct, readable colours (Tableau 10) for new labels.
pub const PALETTE: [Color; 10] = [
    Color([0x4e, 0x79, 0xa7]),
    Color([0xe1, 0x57, 0x59]),
    Color([0x59, 0xa1, 0x4f]),
    Color([0xf2, 0x8e, 0x2b]),
    Color([0x76, 0xb7, 0xb2]),
    Color([0xed, 0xc9, 0x48]),
    Color([0xb0, 0x7a, 0xa1]),
    Color([0xff, 0x9d, 0xa7]),
    Color([0x9c, 0x75, 0x5f]),
    Color([0xba, 0xb0, 0xac]),
];

impl Schema {
    /// The default schema: claim, threat, speaker, location on keys 1–4, and "said"
    /// (speaker → claim, threat).
    pub fn default_news() -> Self {
        let label = |name: &str, i: usize, description: &str| LabelDef {
            name: name.to_owned(),
            color: PALETTE.get(i).copied().unwrap_or(Color([0x80, 0x80, 0x80])),
            key: char::from_digit(i as u32 + 1, 10),
            description: description.to_owned(),
        };
        Self {
            labels: vec![
                label("claim", 0, "An assertion presented as fact"),
                label("threat", 1, "A statement of intended harm"),
                label("speaker", 2, "Who says it"),
                label("location", 3, "A named place"),
            ],
            relations: vec![RelationType {
                name: "said".to_owned(),
                from: vec!["speaker".to_owned()],
                to: vec!["claim".to_owned(), "threat".to_owned()],
            }],
            doc_labels: Vec::new(),
        }
    }

    /// The label called `name`.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// The label bound to hotkey `key`.
    pub fn label_for_key(&self, key: char) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.key == Some(key))
    }

    /// The document-level label called `name`.
    pub fn doc_label(&self, name: &str) -> Option<&DocLabelDef> {
        self.doc_labels.iter().find(|l| l.name == name)
    }

    /// The document-level label bound to hotkey `key`.
    pub fn doc_label_for_key(&self, key: char) -> Option<&DocLabelDef> {
        self.doc_labels.iter().find(|l| l.key == Some(key))
    }

    /// The relation type called `name`.
    pub fn relation_type(&self, name: &str) -> Option<&RelationType> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// A colour for a new label: the first palette colour not yet used.
    pub fn next_color(&self) -> Color {
        PALETTE
            .iter()
            .copied()
            .find(|c| self.labels.iter().all(|l| l.color != *c))
            .or_else(|| PALETTE.iter().copied().cycle().nth(self.labels.len()))
            .unwrap_or(Color([0x80, 0x80, 0x80]))
    }

    /// A free hotkey among 1–9 for a new label, if any is left.
    pub fn next_key(&self) -> Option<char> {
        ('1'..='9').find(|k| self.key_is_free(*k))
    }

    /// A free letter hotkey for a new doc label, if any is left. `r` is skipped: the document
    /// view uses it to start a link.
    pub fn next_doc_label_key(&self) -> Option<char> {
        "qwetyuiopasdfghjklzxcvbnm".chars().find(|k| self.key_is_free(*k))
    }

    /// True when no span label or doc label uses hotkey `key`.
    pub fn key_is_free(&self, key: char) -> bool {
        self.labels.iter().all(|l| l.key != Some(key)) && self.doc_labels.iter().all(|l| l.key != Some(key))
    }

    /// Problems of the schema on its own: empty or duplicate names, names with a control
    /// character, duplicate hotkeys, relation types that name unknown labels, doc labels with no,
    /// empty, duplicate or control-character values.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, label) in self.labels.iter().enumerate() {
            out.extend(name_problem("label", i, &label.name));
            if self.labels.iter().take(i).any(|l| l.name == label.name) {
                out.push(format!("label {:?} is defined twice", label.name));
            }
            if let Some(key) = label.key {
                if let Some(other) = self.labels.iter().take(i).find(|l| l.key == Some(key)) {
                    out.push(format!("labels {:?} and {:?} share the hotkey {key:?}", other.name, label.name));
                }
            }
        }
        for (i, rel) in self.relations.iter().enumerate() {
            out.extend(name_problem("relation type", i, &rel.name));
            if self.relations.iter().take(i).any(|r| r.name == rel.name) {
                out.push(format!("relation type {:?} is defined twice", rel.name));
            }
            for end in rel.from.iter().chain(&rel.to) {
                if self.label(end).is_none() {
                    out.push(format!("relation type {:?} names unknown label {end:?}", rel.name));
                }
            }
        }
        for (i, def) in self.doc_labels.iter().enumerate() {
            out.extend(name_problem("document label", i, &def.name));
            if self.doc_labels.iter().take(i).any(|d| d.name == def.name) {
                out.push(format!("document label {:?} is defined twice", def.name));
            }
            if def.values.is_empty() {
                out.push(format!("document label {:?} has no values", def.name));
            }
            for (j, value) in def.values.iter().enumerate() {
                if value.trim().is_empty() {
                    out.push(format!("document label {:?} has an empty value", def.name));
                } else if name_fault(value).is_some() {
                    out.push(format!("document label {:?}: the value {value:?} {CONTROL_CHARACTER}", def.name));
                }
                if def.values.iter().take(j).any(|v| v == value) {
                    out.push(format!("document label {:?} lists the value {value:?} twice", def.name));
                }
            }
            if let Some(key) = def.key {
                if let Some(label) = self.label_for_key(key) {
                    out.push(format!(
                        "document label {:?} and span label {:?} share the hotkey {key:?}",
                        def.name, label.name
                    ));
                }
                if let Some(other) = self.doc_labels.iter().take(i).find(|d| d.key == Some(key)) {
                    out.push(format!("document labels {:?} and {:?} share the hotkey {key:?}", other.name, def.name));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_print() {
        assert_eq!("#4e79a7".parse::<Color>(), Ok(Color([0x4e, 0x79, 0xa7])));
        assert_eq!("#fff".parse::<Color>(), Ok(Color([255, 255, 255])));
        assert_eq!(Color([1, 2, 255]).to_string(), "#0102ff");
        for bad in ["", "#", "4e79a7", "#4e79a", "#gggggg", "#ééé", "#4e79a7ff"] {
            assert!(bad.parse::<Color>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn default_schema_is_valid_with_keys_one_to_four() {
        let s = Schema::default_news();
        assert!(s.problems().is_empty());
        assert_eq!(s.label_for_key('3').map(|l| l.name.as_str()), Some("speaker"));
        assert!(s.relation_type("said").unwrap().allows("speaker", "threat"));
        assert!(!s.relation_type("said").unwrap().allows("claim", "speaker"));
        assert_eq!(s.next_key(), Some('5'));
    }

    #[test]
    fn duplicate_names_and_keys_are_problems() {
        let mut s = Schema::default_news();
        s.labels[1].name = "claim".into();
        s.labels[2].key = Some('1');
        let p = s.problems();
        assert!(p.iter().any(|m| m.contains("defined twice")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("share the hotkey")), "{p:?}");
    }

    #[test]
    fn names_with_control_characters_are_problems() {
        assert_eq!(name_fault("place name"), None, "a space is fine");
        assert_eq!(name_fault(" \t"), Some("is empty"));
        for bad in ["a\u{0}\n\u{1b}[31m", "tab\there", "line\n", "del\u{7f}", "c1\u{85}"] {
            assert_eq!(name_fault(bad), Some(CONTROL_CHARACTER), "{bad:?}");
        }
        let mut s = Schema::default_news();
        s.labels[0].name = "a\u{0}\n\u{1b}[31m".into();
        s.relations[0].name = "said\t".into();
        s.relations[0].from.clear();
        s.relations[0].to.clear();
        s.doc_labels.push(DocLabelDef { name: "tone\r".into(), values: vec!["calm\u{7}".into()], ..escalation() });
        s.labels[3].name = "  ".into();
        assert_eq!(
            s.problems(),
            [
                format!("label \"a\\0\\n\\u{{1b}}[31m\" {CONTROL_CHARACTER}"),
                "label #4 has an empty name".to_owned(),
                format!("relation type \"said\\t\" {CONTROL_CHARACTER}"),
                format!("document label \"tone\\r\" {CONTROL_CHARACTER}"),
                format!("document label \"tone\\r\": the value \"calm\\u{{7}}\" {CONTROL_CHARACTER}"),
            ]
        );
    }

    fn escalation() -> DocLabelDef {
        DocLabelDef {
            name: "escalation".into(),
            values: vec!["yes".into(), "no".into()],
            key: Some('e'),
            description: String::new(),
        }
    }

    #[test]
    fn doc_label_values_cycle_then_unset() {
        let def = escalation();
        assert_eq!(def.next_value(None), Some("yes"));
        assert_eq!(def.next_value(Some("yes")), Some("no"));
        assert_eq!(def.next_value(Some("no")), None);
        // A value no longer in the def restarts the cycle rather than getting stuck.
        assert_eq!(def.next_value(Some("maybe")), Some("yes"));
        assert!(def.allows("no") && !def.allows("No"));
    }

    #[test]
    fn doc_label_problems_are_found() {
        let mut s = Schema::default_news();
        s.doc_labels.push(escalation());
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        assert_eq!(s.doc_label_for_key('e').map(|d| d.name.as_str()), Some("escalation"));
        assert!(!s.key_is_free('e') && !s.key_is_free('1') && s.key_is_free('x'));
        assert_eq!(s.next_doc_label_key(), Some('q'));
        s.doc_labels.push(DocLabelDef {
            key: Some('1'),
            values: vec!["a".into(), "a".into(), " ".into()],
            ..escalation()
        });
        s.doc_labels.push(DocLabelDef {
            name: " ".into(),
            values: Vec::new(),
            key: Some('e'),
            description: String::new(),
        });
        let p = s.problems();
        for needle in [
            "document label \"escalation\" is defined twice",
            "lists the value \"a\" twice",
            "has an empty value",
            "share the hotkey '1'",
            "document labels \"escalation\" and \" \" share the hotkey 'e'",
            "has an empty name",
            "has no values",
        ] {
            assert!(p.iter().any(|m| m.contains(needle)), "{needle}: {p:?}");
        }
    }
}
