//! CoNLL token files: one token per line, the token in the first column and its tag in the last
//! (other columns are ignored), a blank line between sentences, `-DOCSTART-` lines between
//! documents. Tags in IOB1, IOB2 (BIO), BILOU or BIOES are all read: a span starts at `B-`, `U-`,
//! `S-`, or at an `I-`/`L-`/`E-` that does not continue a span of the same label, and ends at
//! `L-`, `E-`, `U-`, `S-`, `O`, another label or the end of the sentence.
//!
//! CoNLL does not keep the text, so it is **rebuilt**: tokens joined by one space, sentences by a
//! line break. Span offsets refer to that rebuilt text.

use super::incoming::{Incoming, IncomingSpan, check_span_count_within};

/// Reads the documents of a CoNLL file (the file `name`); refuses it once it has more spans than
/// a project can hold.
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    read_within(name, text, crate::store::MAX_PROJECT_SPANS)
}

/// [`read`], refusing the file past `max_spans` spans.
fn read_within(name: &str, text: &str, max_spans: usize) -> Result<Vec<Incoming>, String> {
    let mut docs = Vec::new();
    let mut doc = Builder::default();
    // Spans of the documents already finished.
    let mut earlier = 0usize;
    for (n, line) in text.lines().enumerate() {
        let place = || format!("{name}:{}", n + 1);
        let line = line.trim();
        if line.starts_with("-DOCSTART-") {
            doc.end_sentence();
            if let Some(d) = doc.finish(name, docs.len() + 1) {
                earlier += d.spans.len();
                docs.push(d);
            }
            // A document that follows a -DOCSTART- line exists even if it has no tokens.
            doc = Builder { started: true, ..Builder::default() };
            continue;
        }
        if line.is_empty() {
            doc.end_sentence();
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(token), Some(tag)) = (cols.next(), cols.next_back()) else {
            return Err(format!("{}: expected a token and a tag separated by a space or tab, found {line:?}", place()));
        };
        let (prefix, label) = match tag {
            "O" | "o" | "_" => ('O', ""),
            _ => match tag.split_once(['-', '_']) {
                Some((p, l)) if p.len() == 1 && !l.is_empty() && "BILUESbiluesM".contains(p) => {
                    (p.chars().next().unwrap_or('O').to_ascii_uppercase(), l)
                }
                _ => return Err(format!("{}: {tag:?} is not a tag (O, B-x, I-x, L-x, U-x, E-x or S-x)", place())),
            },
        };
        doc.token(token, prefix, label);
        if earlier + doc.spans.len() > max_spans {
            check_span_count_within(earlier + doc.spans.len(), max_spans, &place())?;
        }
    }
    doc.end_sentence();
    // The last span closes at the end of the file.
    if earlier + doc.spans.len() > max_spans {
        let lines = text.lines().count().max(1);
        check_span_count_within(earlier + doc.spans.len(), max_spans, &format!("{name}:{lines}"))?;
    }
    if let Some(d) = doc.finish(name, docs.len() + 1) {
        docs.push(d);
    }
    Ok(docs)
}

#[derive(Default)]
struct Builder {
    started: bool,
    text: String,
    chars: usize,
    sentence_has_tokens: bool,
    spans: Vec<IncomingSpan>,
    open: Option<(String, usize, usize)>,
}

impl Builder {
    fn token(&mut self, token: &str, prefix: char, label: &str) {
        if self.sentence_has_tokens {
            self.text.push(' ');
            self.chars += 1;
        } else if !self.text.is_empty() {
            self.text.push('\n');
            self.chars += 1;
        }
        self.sentence_has_tokens = true;
        let start = self.chars;
        self.text.push_str(token);
        self.chars += token.chars().count();
        let end = self.chars;
        let continues =
            matches!(prefix, 'I' | 'L' | 'E' | 'M') && self.open.as_ref().is_some_and(|(l, _, _)| l == label);
        if continues {
            if let Some(open) = &mut self.open {
                open.2 = end;
            }
        } else {
            self.close();
            if prefix != 'O' {
                self.open = Some((label.to_owned(), start, end));
            }
        }
        if matches!(prefix, 'L' | 'E' | 'U' | 'S') {
            self.close();
        }
    }

    fn close(&mut self) {
        if let Some((label, start, end)) = self.open.take() {
            self.spans.push(IncomingSpan { start, end, label, ..IncomingSpan::default() });
        }
    }

    fn end_sentence(&mut self) {
        self.close();
        self.sentence_has_tokens = false;
    }

    fn finish(self, name: &str, n: usize) -> Option<Incoming> {
        if self.text.is_empty() && !self.started {
            return None;
        }
        Some(Incoming {
            place: format!("{name}, document {n}"),
            title: Some(format!("{name} #{n}")),
            text: self.text,
            spans: self.spans,
            ..Incoming::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(docs: &[Incoming]) -> Vec<(usize, usize, String)> {
        docs[0].spans.iter().map(|s| (s.start, s.end, s.label.clone())).collect()
    }

    #[test]
    fn iob1_iob2_and_bilou_give_the_same_spans() {
        let iob2 = "-DOCSTART- -X- -X- O\n\nZoë B-per\nMüller I-per\nsaw O\nکراچی B-loc\nLahore B-loc\n\nOk O\n";
        let iob1 = "Zoë I-per\nMüller I-per\nsaw O\nکراچی I-loc\nLahore B-loc\n\nOk O\n";
        let bilou = "Zoë B-per\nMüller L-per\nsaw O\nکراچی U-loc\nLahore U-loc\n\nOk O\n";
        for input in [iob2, iob1, bilou] {
            let docs = read("x", input).unwrap();
            assert_eq!(docs.len(), 1);
            assert_eq!(docs[0].text, "Zoë Müller saw کراچی Lahore\nOk");
            assert_eq!(
                spans(&docs),
                [(0, 10, "per".into()), (15, 20, "loc".into()), (21, 27, "loc".into())],
                "{input}"
            );
        }
    }

    #[test]
    fn a_file_with_more_spans_than_a_project_holds_is_refused_where_it_passes_the_limit() {
        // Spans closed by the next one, by a sentence end and by a new document all count.
        let text = "a B-x\nb B-x\n\n-DOCSTART-\nc U-y\nd O\ne B-x\nf I-x\ng B-y\nh O\n";
        let count = |docs: Vec<Incoming>| docs.iter().map(|d| d.spans.len()).sum::<usize>();
        assert_eq!(read_within("f.conll", text, 5).map(count), Ok(5));
        let err = read_within("f.conll", text, 3).unwrap_err();
        assert!(err.starts_with("f.conll:9: more than 3 spans so far"), "{err}");
        assert!(err.contains("split the file"), "{err}");
        assert!(read_within("f.conll", text, 4).unwrap_err().starts_with("f.conll:10: more than 4"));
        // A span still open at the end of the file counts too.
        assert!(read_within("f.conll", "a O\nb B-x", 0).unwrap_err().starts_with("f.conll:2: more than 0"));
    }

    #[test]
    fn bad_lines_name_the_line() {
        assert_eq!(
            read("f.conll", "a O\nb\n").unwrap_err(),
            "f.conll:2: expected a token and a tag separated by a space or tab, found \"b\""
        );
        assert!(read("f.conll", "a Q-x\n").unwrap_err().starts_with("f.conll:1:"));
    }
}
