//! CoNLL token files: one token per line, the token in the first column and its tag in the last
//! (other columns are ignored), a blank line between sentences, `-DOCSTART-` lines between
//! documents. Tags in IOB1, IOB2 (BIO), BILOU or BIOES are all read: a span starts at `B-`, `U-`,
//! `S-`, or at an `I-`/`L-`/`E-` that does not continue a span of the same label, and ends at
//! `L-`, `E-`, `U-`, `S-`, `O`, another label or the end of the sentence.
//!
//! CoNLL does not keep the text, so it is **rebuilt**: tokens joined by one space, sentences by a
//! line break. Span offsets refer to that rebuilt text.

use super::incoming::{Incoming, IncomingSpan};

/// Reads the documents of a CoNLL file (the file `name`).
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    let mut docs = Vec::new();
    let mut doc = Builder::default();
    for (n, line) in text.lines().enumerate() {
        let place = format!("{name}:{}", n + 1);
        let line = line.trim();
        if line.starts_with("-DOCSTART-") {
            doc.end_sentence();
            if let Some(d) = doc.finish(name, docs.len() + 1) {
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
            return Err(format!("{place}: expected a token and a tag separated by a space or tab, found {line:?}"));
        };
        let (prefix, label) = match tag {
            "O" | "o" | "_" => ('O', ""),
            _ => match tag.split_once(['-', '_']) {
                Some((p, l)) if p.len() == 1 && !l.is_empty() && "BILUESbiluesM".contains(p) => {
                    (p.chars().next().unwrap_or('O').to_ascii_uppercase(), l)
                }
                _ => return Err(format!("{place}: {tag:?} is not a tag (O, B-x, I-x, L-x, U-x, E-x or S-x)")),
            },
        };
        doc.token(token, prefix, label);
    }
    doc.end_sentence();
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
    fn bad_lines_name_the_line() {
        assert_eq!(
            read("f.conll", "a O\nb\n").unwrap_err(),
            "f.conll:2: expected a token and a tag separated by a space or tab, found \"b\""
        );
        assert!(read("f.conll", "a Q-x\n").unwrap_err().starts_with("f.conll:1:"));
    }
}
