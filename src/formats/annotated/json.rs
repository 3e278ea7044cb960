//! A compact JSON tree for the annotated readers, which keeps only the fields a reader uses.
//!
//! `serde_json::Value` costs about 16 times the file for small values (a `BTreeMap` node of some
//! 600 bytes for every `{"start": 0, "end": 1, "label": "x"}`, 32 bytes for every `0`), so a
//! 200 MB line of spans needed over 5 GB. [`Json`] stores an object as one exact-size slice of
//! its entries, names the keys a reader knows without allocating, and skips every other field
//! while parsing ([`Keep`]), so fields no reader looks at cost nothing however big they are.
//! Parsing is still `serde_json`'s, with its nesting limit of 128.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

/// A JSON value with only the kept fields of its objects.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string.
    String(Box<str>),
    /// A list.
    Array(Box<[Json]>),
    /// An object: its kept entries in file order. A key given twice keeps both entries;
    /// [`Json::get`] answers with the last, as `serde_json` does.
    Object(Box<[(Cow<'static, str>, Json)]>),
}

/// Which fields of objects a reader keeps.
#[derive(Clone, Copy, Debug)]
pub struct Keep {
    /// Keys kept at any depth; every other field is skipped while parsing.
    pub keys: &'static [&'static str],
    /// Keys whose values are kept whole, every field at every depth (metadata, whose keys are
    /// the file's own).
    pub whole: &'static [&'static str],
}

impl Keep {
    /// Keeps everything.
    pub const ALL: Keep = Keep { keys: &[], whole: &[] };

    /// Parses `text` as one JSON value, keeping what `self` says.
    pub fn parse(self, text: &str) -> Result<Json, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = Seed { keep: self, whole: self.is_all() }.deserialize(&mut de)?;
        de.end()?;
        Ok(value)
    }

    fn is_all(self) -> bool {
        self.keys.is_empty() && self.whole.is_empty()
    }

    /// The key as stored (borrowed when it is one of ours), and whether its value is kept whole;
    /// `None` when the field is skipped.
    fn key(self, key: &str, whole: bool) -> Option<(Cow<'static, str>, bool)> {
        if let Some(known) = self.whole.iter().find(|k| **k == key) {
            return Some((Cow::Borrowed(known), true));
        }
        if let Some(known) = self.keys.iter().find(|k| **k == key) {
            return Some((Cow::Borrowed(known), whole));
        }
        whole.then(|| (Cow::Owned(key.to_owned()), true))
    }
}

impl Json {
    /// The value of `key` in an object (the last entry, if the key is given twice).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of `key` in an object, to change (the last entry, if the key is given twice).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of an object, each key once (its last value), in file order.
    pub fn entries(&self) -> Vec<(&str, &Json)> {
        let Json::Object(entries) = self else { return Vec::new() };
        // Indexed, not searched: a hostile object can have millions of keys.
        let mut at: crate::model::hashing::HashMap<&str, usize> =
            crate::model::hashing::HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        let mut out: Vec<(&str, &Json)> = Vec::with_capacity(entries.len());
        for (k, v) in entries.iter() {
            match at.get(k.as_ref()).and_then(|&i| out.get_mut(i)) {
                Some(slot) => slot.1 = v,
                None => {
                    at.insert(k, out.len());
                    out.push((k, v));
                }
            }
        }
        out
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// JSON text of the value cut to about `max` characters (with `…`), for messages: a hostile
    /// file's values can be any size.
    pub fn brief(&self, max: usize) -> String {
        // Written until a little past `max` characters and stopped there: the value may be huge.
        let mut out = Bounded { bytes: Vec::new(), limit: 4 * max + 4 };
        let _ = serde_json::to_writer(&mut out, self);
        let full = String::from_utf8_lossy(&out.bytes);
        match full.char_indices().nth(max) {
            Some((cut, _)) => format!("{}…", full.get(..cut).unwrap_or_default()),
            None => full.into_owned(),
        }
    }
}

/// A writer that takes `limit` bytes and then refuses, which stops serde_json.
struct Bounded {
    bytes: Vec<u8>,
    limit: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.limit.saturating_sub(self.bytes.len());
        if room == 0 {
            return Err(std::io::Error::other("enough"));
        }
        let n = buf.len().min(room);
        self.bytes.extend_from_slice(buf.get(..n).unwrap_or_default());
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// JSON text, as `serde_json` writes it.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(_) => {
                let entries = self.entries();
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds a [`Json`]; `whole` keeps every field of the objects below.
#[derive(Clone, Copy)]
struct Seed {
    keep: Keep,
    whole: bool,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A map key, looked up without allocating; `None` for a field that is skipped.
struct KeySeed {
    keep: Keep,
    whole: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<(Cow<'static, str>, bool)>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<(Cow<'static, str>, bool)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.keep.key(key, self.whole))
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Json, E> {
        // serde_json gives finite numbers only; a non-finite one would have no JSON text.
        Number::from_f64(n).map(Json::Number).ok_or_else(|| E::custom("a number out of range"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Json::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed { keep: self.keep, whole: self.whole })? {
            match key {
                Some((key, whole)) => entries.push((key, map.next_value_seed(Seed { keep: self.keep, whole })?)),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Json::Object(entries.into_boxed_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPANS: Keep = Keep { keys: &["text", "spans", "start", "end", "label"], whole: &["meta"] };

    #[test]
    fn only_kept_fields_are_stored_and_meta_is_whole() {
        let line = r#"{"text": "Hi", "junk": [1, {"start": 2}], "spans": [{"start": 0, "end": 2, "label": "x",
            "extra": {"a": 1}}], "meta": {"source": "wire", "n": [1, 2], "deep": {"start": 1, "z": null}}}"#;
        let value = SPANS.parse(line).unwrap();
        assert_eq!(value.get("junk"), None);
        let span = match value.get("spans") {
            Some(Json::Array(items)) => &items[0],
            other => panic!("{other:?}"),
        };
        assert_eq!(span.entries().iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["start", "end", "label"]);
        assert_eq!(
            value.get("meta").unwrap().to_string(),
            r#"{"source":"wire","n":[1,2],"deep":{"start":1,"z":null}}"#
        );
        // Everything kept reads as serde_json reads it.
        let all = Keep::ALL.parse(line).unwrap();
        let reference: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&all.to_string()).unwrap(), reference);
    }

    #[test]
    fn escaped_keys_numbers_and_repeats_read_as_serde_json_does() {
        let line = r#"{"st\u0061rt": 1.5, "end": -3, "label": "a", "label": "b", "text": "\ud83d\ude00"}"#;
        let value = SPANS.parse(line).unwrap();
        assert_eq!(value.get("start"), Some(&Json::Number(Number::from_f64(1.5).unwrap())));
        assert_eq!(value.get("end").map(ToString::to_string).as_deref(), Some("-3"));
        assert_eq!(value.get("label").and_then(Json::as_str), Some("b"));
        assert_eq!(value.get("text").and_then(Json::as_str), Some("😀"));
        assert_eq!(value.to_string(), r#"{"start":1.5,"end":-3,"label":"b","text":"😀"}"#);
    }

    #[test]
    fn bad_json_is_an_error_with_a_place_and_deep_kept_nesting_is_refused() {
        let err = SPANS.parse(r#"{"text": "a", "spans": [1, }"#).unwrap_err();
        assert_eq!((err.line(), err.column()), (1, 28));
        assert!(SPANS.parse(r#"{"text": "a"} {"#).is_err(), "trailing text");
        // Skipped fields are parsed too: a broken one is still an error.
        assert!(SPANS.parse(r#"{"junk": [1, 2, "#).is_err());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = SPANS.parse(&deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        // serde_json skips a field without recursing, so a deep one that is not kept costs nothing.
        let deep_skipped = format!("{{\"junk\": {}{}, \"text\": \"a\"}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(SPANS.parse(&deep_skipped).unwrap().entries(), [("text", &Json::String("a".into()))]);
    }

    /// Any JSON value, with keys drawn from a few that `SPANS` keeps and a few it skips.
    fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            // Eighths: exact in binary and short in decimal, so no parser rounds them.
            any::<i32>().prop_map(|i| serde_json::Value::from(f64::from(i) / 8.0)),
            "\\PC{0,6}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            let key = prop_oneof![Just("text"), Just("spans"), Just("start"), Just("meta"), Just("junk"), Just("é\"")];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map(key.prop_map(str::to_owned), inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// What `SPANS` should keep of `value`, computed on serde_json's own tree.
    fn kept(value: &serde_json::Value, whole: bool) -> serde_json::Value {
        match value {
            serde_json::Value::Array(items) => items.iter().map(|v| kept(v, whole)).collect(),
            serde_json::Value::Object(map) => map
                .iter()
                .filter_map(|(k, v)| {
                    let whole_here = whole || SPANS.whole.contains(&k.as_str());
                    (whole_here || SPANS.keys.contains(&k.as_str())).then(|| (k.clone(), kept(v, whole_here)))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => other.clone(),
        }
    }

    proptest::proptest! {
        /// The compact tree reads what serde_json reads, and keeps exactly the fields it is told.
        #[test]
        fn the_tree_agrees_with_serde_json(value in any_json(), pretty in proptest::bool::ANY) {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
            let text = text.unwrap();
            let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
            let all = Keep::ALL.parse(&text).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&all.to_string()).unwrap(), reference.clone());
            let some = SPANS.parse(&text).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&some.to_string()).unwrap(), kept(&reference, false));
        }
    }

    #[test]
    fn brief_cuts_long_values() {
        let value = Keep::ALL.parse(&format!("[{}0]", "0,".repeat(1000))).unwrap();
        assert_eq!(value.brief(8), "[0,0,0,0…");
        assert_eq!(Json::String("é".into()).brief(8), "\"é\"");
    }
}
