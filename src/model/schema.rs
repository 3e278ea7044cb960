//! The label schema: span labels (name, colour, hotkey, description) and relation types.

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
        let digit = |i: usize, w: usize| u8::from_str_radix(&hex[i..i + w], 16).map_err(|_| bad());
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

/// The labels and relation types of a project.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Schema {
    /// Span labels, in display order.
    pub labels: Vec<LabelDef>,
    /// Relation types.
    pub relations: Vec<RelationType>,
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
            color: PALETTE[i],
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
            .unwrap_or(PALETTE[self.labels.len() % PALETTE.len()])
    }

    /// A free hotkey among 1–9 for a new label, if any is left.
    pub fn next_key(&self) -> Option<char> {
        ('1'..='9').find(|k| self.labels.iter().all(|l| l.key != Some(*k)))
    }

    /// Problems of the schema on its own: empty or duplicate names, duplicate hotkeys, relation
    /// types that name unknown labels.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, label) in self.labels.iter().enumerate() {
            if label.name.trim().is_empty() {
                out.push(format!("label #{} has an empty name", i + 1));
            }
            if self.labels[..i].iter().any(|l| l.name == label.name) {
                out.push(format!("label {:?} is defined twice", label.name));
            }
            if let Some(key) = label.key {
                if let Some(other) = self.labels[..i].iter().find(|l| l.key == Some(key)) {
                    out.push(format!("labels {:?} and {:?} share the hotkey {key:?}", other.name, label.name));
                }
            }
        }
        for (i, rel) in self.relations.iter().enumerate() {
            if rel.name.trim().is_empty() {
                out.push(format!("relation type #{} has an empty name", i + 1));
            }
            if self.relations[..i].iter().any(|r| r.name == rel.name) {
                out.push(format!("relation type {:?} is defined twice", rel.name));
            }
            for end in rel.from.iter().chain(&rel.to) {
                if self.label(end).is_none() {
                    out.push(format!("relation type {:?} names unknown label {end:?}", rel.name));
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
}
