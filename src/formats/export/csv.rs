//! CSV: one row per span, with a header:
//! `document_id,title,span_id,start,end,label,text,note` (RFC 4180: fields with a comma, quote or
//! line break are quoted, quotes doubled; rows end with CRLF as the RFC says).
//!
//! When the schema defines document-level labels, each row ends with one more column per doc
//! label, headed `doc.NAME`, holding the value of the span's document (empty when unset).

use std::io::{self, Write};

use super::offsets::OffsetWriter;
use super::options::ExportOptions;
use crate::model::{DocLabelDef, Document};

/// The header row, without the doc label columns.
pub const HEADER: &str = "document_id,title,span_id,start,end,label,text,note\r\n";

/// Writes the header row, with a `doc.NAME` column per doc label of `defs`.
pub fn write_header(w: &mut impl Write, defs: &[DocLabelDef]) -> io::Result<()> {
    w.write_all(HEADER.trim_end().as_bytes())?;
    for def in defs {
        w.write_all(b",")?;
        field(w, &format!("doc.{}", def.name))?;
    }
    w.write_all(b"\r\n")
}

/// Writes the rows of one document's spans, each with the document's values of `defs`; returns
/// how many.
pub fn write_document(
    w: &mut impl Write,
    doc: &Document,
    defs: &[DocLabelDef],
    opts: &ExportOptions,
) -> io::Result<usize> {
    let offsets = OffsetWriter::new(opts.offsets, &doc.text);
    let mut n = 0;
    for span in opts.spans(doc) {
        field(w, &doc.id)?;
        w.write_all(b",")?;
        field(w, &doc.title)?;
        write!(w, ",{},{},{},", span.id, offsets.convert(span.start), offsets.convert(span.end))?;
        field(w, &span.label)?;
        w.write_all(b",")?;
        field(w, doc.covered_text(span).unwrap_or_default())?;
        w.write_all(b",")?;
        field(w, span.note.as_deref().unwrap_or_default())?;
        for def in defs {
            w.write_all(b",")?;
            field(w, doc.doc_label(&def.name).unwrap_or_default())?;
        }
        w.write_all(b"\r\n")?;
        n += 1;
    }
    Ok(n)
}

/// Writes one row of any table with the same quoting rules (a field with a comma, quote or line
/// break is quoted, quotes doubled; the row ends with CRLF).
pub fn write_record<S: AsRef<str>>(w: &mut impl Write, fields: &[S]) -> io::Result<()> {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        field(w, value.as_ref())?;
    }
    w.write_all(b"\r\n")
}

fn field(w: &mut impl Write, value: &str) -> io::Result<()> {
    if value.contains([',', '"', '\n', '\r']) {
        w.write_all(b"\"")?;
        w.write_all(value.replace('"', "\"\"").as_bytes())?;
        w.write_all(b"\"")
    } else {
        w.write_all(value.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn quoting_by_hand() {
        let mut doc = Document::new("d1", "Talks, \"again\"", "Zoë said “no”\nthen left");
        doc.spans =
            vec![Span { note: Some("a, b".into()), ..Span::new(1, 0, 3, "speaker") }, Span::new(2, 9, 18, "claim")];
        let mut out = Vec::new();
        write_document(&mut out, &doc, &[], &ExportOptions::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "d1,\"Talks, \"\"again\"\"\",1,0,3,speaker,Zoë,\"a, b\"\r\n\
             d1,\"Talks, \"\"again\"\"\",2,9,18,claim,\"“no”\nthen\",\r\n"
        );
    }

    #[test]
    fn doc_label_columns_by_hand() {
        let def = |name: &str| DocLabelDef { name: name.into(), values: vec![], key: None, description: String::new() };
        let defs = [def("escalation"), def("stance, overall")];
        let mut doc = Document::new("d1", "T", "Calm");
        doc.spans = vec![Span::new(1, 0, 4, "claim")];
        doc.doc_labels.insert("stance, overall".into(), "pro".into());
        let mut out = Vec::new();
        write_header(&mut out, &defs).unwrap();
        write_document(&mut out, &doc, &defs, &ExportOptions::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "document_id,title,span_id,start,end,label,text,note,doc.escalation,\"doc.stance, overall\"\r\n\
             d1,T,1,0,4,claim,Calm,,,pro\r\n"
        );
        let mut out = Vec::new();
        write_header(&mut out, &[]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), HEADER);
    }
}
