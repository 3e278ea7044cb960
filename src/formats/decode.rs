//! Bytes to text: finding the encoding (byte order mark, declaration, UTF-16 pattern, UTF-8
//! validity, statistical guess), decoding, and turning every line ending into `\n`.

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

use super::article::ArticleError;
use super::detect::{check_binary_bytes, check_binary_text};

/// How many bytes are looked at to recognise UTF-16 without a byte order mark.
const UTF16_SNIFF_BYTES: usize = 64 * 1024;

/// Text decoded from a file's bytes.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text, without byte order mark, with `\n` line endings.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: &'static Encoding,
    /// What the reader should know (replacement characters, a contradicted declaration...).
    pub warnings: Vec<String>,
}

/// Decodes `bytes` as text. `forced` is the encoding the user asked for; `declared` the one the
/// file names itself (an HTML `<meta charset>`), which a byte order mark overrides.
///
/// Without `forced`: a byte order mark wins; then UTF-16 recognised by its NUL bytes; then the
/// declaration; then UTF-8 if the bytes are valid UTF-8; then chardetng's guess.
pub(crate) fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, ArticleError> {
    let mut decoded = match forced {
        Some(encoding) => decode_forced(bytes, encoding)?,
        None => decode_detected(bytes, declared)?,
    };
    check_binary_text(&decoded.text)?;
    decoded.text = normalize_newlines(decoded.text);
    // The decoder took off one byte order mark; more of them (a file saved twice with one) would
    // start the text with invisible characters.
    if decoded.text.starts_with('\u{feff}') {
        decoded.text = decoded.text.trim_start_matches('\u{feff}').to_owned();
        decoded.warnings.push("more than one byte order mark at the start of the file; removed".to_owned());
    }
    // Say where: a warning about replaced bytes or a stray byte order mark is only useful if the
    // reader can find the place.
    if let Some(at) = decoded.text.find('\u{fffd}') {
        let place = place(&decoded.text, at);
        for warning in decoded.warnings.iter_mut().filter(|w| w.contains("U+FFFD")) {
            warning.push_str(&format!(" (the first at {place})"));
        }
    }
    if let Some(at) = decoded.text.find('\u{feff}') {
        decoded.warnings.push(format!(
            "a byte order mark (U+FEFF) in the middle of the text, at {}, was kept as an invisible \
             character (were two files joined together?)",
            place(&decoded.text, at)
        ));
    }
    Ok(decoded)
}

/// "line 3, column 17" (1-based, columns in characters) of byte `at` of `text`.
pub(crate) fn place(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    format!("line {line}, column {column}")
}

/// Decodes with the encoding the user chose; malformed bytes only give a warning.
fn decode_forced(bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded, ArticleError> {
    if encoding == REPLACEMENT {
        // The WHATWG "replacement" encoding (labels like iso-2022-kr) decodes everything to U+FFFD.
        return Err(ArticleError::Undecodable { encoding: encoding.name(), malformed: 1, chars: 1 });
    }
    check_binary_bytes(bytes, is_utf16(encoding))?;
    let mut warnings = Vec::new();
    let body = match Encoding::for_bom(bytes) {
        Some((bom_encoding, len)) if bom_encoding == encoding => bytes.get(len..).unwrap_or_default(),
        Some((bom_encoding, _)) => {
            warnings.push(format!(
                "the file starts with a {} byte order mark but was decoded as {} as asked",
                bom_encoding.name(),
                encoding.name()
            ));
            bytes
        }
        None => bytes,
    };
    let (text, malformed) = decode_with(encoding, body);
    if malformed > 0 {
        warnings.push(format!(
            "decoding as {} (as asked) replaced {malformed} malformed byte sequences with U+FFFD; \
             the file is probably in another encoding",
            encoding.name()
        ));
    }
    Ok(Decoded { text, encoding, warnings })
}

/// Finds the encoding, then decodes; refuses text that is mostly malformed.
fn decode_detected(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, ArticleError> {
    let mut warnings = Vec::new();
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(len..).unwrap_or_default();
        if is_utf16(encoding) && is_utf8_not_utf16(body) {
            warnings.push(format!(
                "the file starts with a {} byte order mark but holds UTF-8 text; the mark was ignored",
                encoding.name()
            ));
            check_binary_bytes(body, false)?;
            return decode_utf8(body, &Utf8Shape::of(body), warnings);
        }
        check_binary_bytes(body, is_utf16(encoding))?;
        return finish(encoding, body, warnings);
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        check_binary_bytes(bytes, true)?;
        let (text, malformed) = decode_with(encoding, bytes);
        if malformed == 0 {
            return Ok(Decoded { text, encoding, warnings });
        }
    }
    check_binary_bytes(bytes, false)?;
    let utf8 = Utf8Shape::of(bytes);
    if let Some(declared) = declared {
        let declared = if is_utf16(declared) { UTF_8 } else { declared };
        if declared == UTF_8 {
            if utf8.is_utf8() {
                return decode_utf8(bytes, &utf8, warnings);
            }
            let guess = guess_legacy(bytes);
            warnings.push(format!(
                "the file declares UTF-8 but is not valid UTF-8; decoded as {} (detected)",
                guess.name()
            ));
            return finish(guess, bytes, warnings);
        }
        if utf8.is_utf8() && utf8.non_ascii > 0 {
            // Non-ASCII text that is valid UTF-8 is almost never meaningful in a legacy
            // encoding: the declaration is stale (a page re-saved as UTF-8).
            warnings.push(format!("the file declares {} but is valid UTF-8; decoded as UTF-8", declared.name()));
            return decode_utf8(bytes, &utf8, warnings);
        }
        return finish(declared, bytes, warnings);
    }
    if utf8.is_utf8() {
        return decode_utf8(bytes, &utf8, warnings);
    }
    if utf8.is_mostly_utf8() {
        warnings
            .push(format!("the file is UTF-8 with {} malformed byte sequences, replaced with U+FFFD", utf8.invalid));
        let (text, _) = decode_with(UTF_8, bytes);
        return Ok(Decoded { text, encoding: UTF_8, warnings });
    }
    finish(guess_legacy(bytes), bytes, warnings)
}

/// Decodes valid (or truncated) UTF-8, dropping an incomplete last character with a warning.
fn decode_utf8(bytes: &[u8], shape: &Utf8Shape, mut warnings: Vec<String>) -> Result<Decoded, ArticleError> {
    let valid = bytes.get(..shape.valid_up_to).unwrap_or(bytes);
    if shape.valid_up_to < bytes.len() {
        warnings.push(format!(
            "the file ends in the middle of a UTF-8 character (truncated?); its last {} bytes were dropped",
            bytes.len() - shape.valid_up_to
        ));
    }
    // `valid` was checked by `Utf8Shape::of`; the lossy decoder is the fallback that cannot fail.
    let text = match std::str::from_utf8(valid) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(valid).into_owned(),
    };
    Ok(Decoded { text, encoding: UTF_8, warnings })
}

/// Decodes with a detected encoding: a few malformed sequences give a warning, many an error.
fn finish(encoding: &'static Encoding, bytes: &[u8], mut warnings: Vec<String>) -> Result<Decoded, ArticleError> {
    let (text, malformed) = decode_with(encoding, bytes);
    if malformed > 0 {
        let chars = text.chars().count();
        if malformed * 10 > chars {
            return Err(ArticleError::Undecodable { encoding: encoding.name(), malformed, chars });
        }
        warnings.push(format!(
            "{malformed} malformed byte sequences (not valid {}) were replaced with U+FFFD",
            encoding.name()
        ));
    }
    Ok(Decoded { text, encoding, warnings })
}

/// Decodes without byte order mark handling; returns the text and the number of replacement
/// characters the decoder had to insert.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let malformed = if had_errors { text.chars().filter(|&c| c == '\u{fffd}').count().max(1) } else { 0 };
    (text.into_owned(), malformed)
}

/// Bytes after a UTF-16 byte order mark that are UTF-8 instead (a mark left by an editor, or
/// pasted on): valid UTF-8 with no NUL byte. Real UTF-16 of Latin text is full of NULs (spaces,
/// punctuation), and real UTF-16 of CJK text is as good as never valid UTF-8 for long. Two cases
/// are kept UTF-16 all the same: a single word in an alphabetic script (Cyrillic, Arabic,
/// Devanagari...), whose every other byte is then a control byte such as U+0004, and a body of a
/// few characters, which can be both (`中` is the bytes of `-N`) unless its odd length rules UTF-16
/// out.
fn is_utf8_not_utf16(body: &[u8]) -> bool {
    const LONG_ENOUGH: usize = 16;
    let few_controls = || body.iter().filter(|&&b| b < 0x20).count() * 4 < body.len();
    (body.len() >= LONG_ENOUGH || body.len() % 2 == 1)
        && memchr::memchr(0, body).is_none()
        && std::str::from_utf8(body).is_ok()
        && few_controls()
}

fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// chardetng's guess for bytes that are not UTF-8 (Windows-1252, ISO-8859-x, Shift_JIS...).
/// Only the first megabyte after the first non-ASCII byte is looked at: more text does not
/// change the guess, and a 50 MB file should not take seconds.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    const CHUNK: usize = 64 * 1024;
    const ENOUGH: usize = 1024 * 1024;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let mut non_ascii_from = None;
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        let offset = i * CHUNK;
        if non_ascii_from.is_some_and(|from| offset - from >= ENOUGH) {
            break;
        }
        if detector.feed(chunk, false) && non_ascii_from.is_none() {
            non_ascii_from = Some(offset);
        }
    }
    detector.feed(&[], true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// UTF-16 without a byte order mark, recognised by its NUL bytes: text with ASCII in it (spaces,
/// digits, punctuation) has a NUL in one byte of each such code unit, always the same one of
/// the pair, while the other byte of the pair is almost never NUL.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = bytes.get(..UTF16_SNIFF_BYTES).unwrap_or(bytes);
    let pairs = sample.len() / 2;
    let (mut zero_even, mut zero_odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if let [even, odd] = pair {
            zero_even += usize::from(*even == 0);
            zero_odd += usize::from(*odd == 0);
        }
    }
    // Many NULs on one side (at least one unit in ten), next to none on the other.
    let looks = |many: usize, few: usize| many * 10 >= pairs && few * 100 <= pairs;
    if looks(zero_odd, zero_even) {
        Some(UTF_16LE)
    } else if looks(zero_even, zero_odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// What a pass over the bytes tells about them as UTF-8.
struct Utf8Shape {
    /// Length of the longest valid prefix that ends on a character boundary.
    valid_up_to: usize,
    /// Whether the only fault is an incomplete character at the very end.
    truncated_only: bool,
    /// How much non-ASCII text the valid stretches hold, in UTF-8 continuation bytes (just 1
    /// for any amount when all the bytes are valid).
    non_ascii: usize,
    /// Malformed sequences.
    invalid: usize,
}

impl Utf8Shape {
    fn of(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self {
                valid_up_to: bytes.len(),
                truncated_only: false,
                // Whether there is any is all that matters when everything is valid.
                non_ascii: usize::from(!text.is_ascii()),
                invalid: 0,
            },
            Err(error) => {
                let (mut non_ascii, mut invalid) = (0, 0);
                for chunk in bytes.utf8_chunks() {
                    // Continuation bytes: a measure of non-ASCII text that counts fast.
                    non_ascii += chunk.valid().len() - chunk.valid().chars().count();
                    invalid += usize::from(!chunk.invalid().is_empty());
                }
                Self {
                    valid_up_to: error.valid_up_to(),
                    truncated_only: error.error_len().is_none(),
                    non_ascii,
                    invalid,
                }
            }
        }
    }

    /// Valid UTF-8, or UTF-8 cut in its last character after some non-ASCII text (a legacy
    /// text of ASCII ending in, say, "é" looks truncated too, but has no UTF-8 evidence).
    fn is_utf8(&self) -> bool {
        self.invalid == 0 || (self.truncated_only && self.non_ascii > 0)
    }

    /// UTF-8 with a few corrupt bytes: valid multi-byte characters far outnumber the faults,
    /// which a legacy encoding would not produce by chance.
    fn is_mostly_utf8(&self) -> bool {
        self.non_ascii >= 8 && self.non_ascii >= self.invalid * 20
    }
}

/// Turns CRLF and lone CR into LF, in one pass.
pub(crate) fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some((before, after)) = rest.split_once('\r') {
        out.push_str(before);
        out.push('\n');
        rest = after;
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn auto(bytes: &[u8]) -> Result<Decoded, ArticleError> {
        decode(bytes, None, None)
    }

    #[test]
    fn newlines() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n\r\nd\r".into()), "a\nb\nc\n\nd\n");
        assert_eq!(normalize_newlines("\r\r\n".into()), "\n\n");
        assert_eq!(normalize_newlines("none".into()), "none");
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = auto("Müller said “no” — 🙂\r\n".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Müller said “no” — 🙂\n", "UTF-8"));
        assert!(d.warnings.is_empty());
        let d = auto("\u{feff}Gdańsk".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Gdańsk", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xff, 0xfe];
        le.extend(utf16le("Ñuñoa 🙂\r\n"));
        let d = auto(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Ñuñoa 🙂\n", "UTF-16LE"));
        let mut be = vec![0xfe, 0xff];
        be.extend(utf16be("Ñuñoa 🙂"));
        let d = auto(&be).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Ñuñoa 🙂", "UTF-16BE"));
    }

    #[test]
    fn a_utf16_bom_on_utf8_text_is_ignored_with_a_warning() {
        let text = "Hello world. Alice met Bob in Paris, Zoë in Köln.\n".repeat(50);
        for (bom, name) in [([0xff, 0xfe], "UTF-16LE"), ([0xfe, 0xff], "UTF-16BE")] {
            let mut bytes = bom.to_vec();
            bytes.extend(text.as_bytes());
            let d = auto(&bytes).unwrap();
            assert_eq!((d.text.as_str(), d.encoding.name()), (text.as_str(), "UTF-8"));
            assert_eq!(
                d.warnings,
                [format!("the file starts with a {name} byte order mark but holds UTF-8 text; the mark was ignored")]
            );
            // Asked for UTF-16, it is decoded as asked.
            let forced = if name == "UTF-16LE" { UTF_16LE } else { UTF_16BE };
            assert_eq!(decode(&bytes, Some(forced), None).unwrap().encoding.name(), name);
        }
        // A short odd-length body cannot be UTF-16.
        let d = auto(b"\xff\xfeHi Bob\n").unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name(), d.warnings.len()), ("Hi Bob\n", "UTF-8", 1));
        // Genuine UTF-16 after its mark, Latin or not, still reads as UTF-16; so does a character
        // or two whose bytes happen to be ASCII.
        for text in ["Harbour talks", "港口会谈破裂", "बातचीत", "中", "प्रधानमंत्री", "Здравствуйте", "والمستشفيات"]
        {
            let mut le = vec![0xff, 0xfe];
            le.extend(utf16le(text));
            assert_eq!(auto(&le).unwrap().text, text);
            let mut be = vec![0xfe, 0xff];
            be.extend(utf16be(text));
            assert_eq!(auto(&be).unwrap().text, text);
        }
    }

    #[test]
    fn utf16_without_bom() {
        let text = "The mayor of Gdańsk said “yes”.";
        let d = auto(&utf16le(text)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), (text, "UTF-16LE"));
        let d = auto(&utf16be(text)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), (text, "UTF-16BE"));
        // Hindi has NULs only in the spaces and the full stop.
        let hindi = "मंत्री ने कहा कि बातचीत जारी रहेगी।";
        let d = auto(&utf16le(hindi)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), (hindi, "UTF-16LE"));
    }

    #[test]
    fn legacy_single_byte_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("Der Bürgermeister sagte, die Straße bleibe geschlossen; Müller widersprach – „nie“.");
        let d = auto(&bytes).unwrap();
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_eq!(d.text, "Der Bürgermeister sagte, die Straße bleibe geschlossen; Müller widersprach – „nie“.");
        // ASCII that ends in a legacy "é" is not truncated UTF-8.
        let d = auto(b"Le caf\xe9").unwrap();
        assert_eq!(d.text, "Le café");
    }

    #[test]
    fn forced_encoding() {
        let d = decode("Müller".as_bytes(), Some(encoding_rs::WINDOWS_1252), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("MÃ¼ller", "windows-1252"));
        assert!(d.warnings.is_empty());
        let d = decode(b"caf\xe9 ok", Some(UTF_8), None).unwrap();
        assert_eq!(d.text, "caf\u{fffd} ok");
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("replaced 1 malformed byte sequences"), "{:?}", d.warnings);
        // A BOM of the forced encoding is removed; another one is kept and reported.
        let d = decode("\u{feff}x".as_bytes(), Some(UTF_8), None).unwrap();
        assert_eq!(d.text, "x");
        let d = decode(&[0xff, 0xfe, b'h', 0], Some(UTF_16BE), None).unwrap();
        assert_eq!(d.warnings.len(), 1);
        assert!(decode(b"x", Some(REPLACEMENT), None).is_err());
        assert!(decode(b"a\0b", Some(encoding_rs::WINDOWS_1252), None).is_err());
    }

    #[test]
    fn declared_charset() {
        let w1252 = encoding_rs::WINDOWS_1252;
        let d = decode(b"M\xfcller", None, Some(w1252)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Müller", "windows-1252"));
        // A stale declaration on UTF-8 bytes.
        let d = decode("Müller".as_bytes(), None, Some(w1252)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name(), d.warnings.len()), ("Müller", "UTF-8", 1));
        // A wrong UTF-8 declaration falls back to detection.
        let d = decode(b"Die Stra\xdfe in M\xfcnchen ist gesperrt", None, Some(UTF_8)).unwrap();
        assert_eq!(d.text, "Die Straße in München ist gesperrt");
        assert_eq!(d.warnings.len(), 1);
        // A BOM beats the declaration.
        let d = decode("\u{feff}Müller".as_bytes(), None, Some(w1252)).unwrap();
        assert_eq!(d.text, "Müller");
    }

    #[test]
    fn truncated_and_corrupt_utf8() {
        let mut bytes = "Gdańsk ".as_bytes().to_vec();
        bytes.extend(&"🙂".as_bytes()[..2]);
        let d = auto(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.name()), ("Gdańsk ", "UTF-8"));
        assert_eq!(d.warnings.len(), 1);
        let mut bytes = "żółć ".repeat(10).into_bytes();
        bytes.push(0xff);
        bytes.extend("ok".as_bytes());
        let d = auto(&bytes).unwrap();
        assert_eq!(d.encoding.name(), "UTF-8");
        assert!(d.text.ends_with(" \u{fffd}ok"));
    }

    #[test]
    fn hostile_utf16() {
        // Lone surrogates and a truncated code unit after a BOM: replaced, never a panic.
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(utf16le("Hello, world. "));
        bytes.extend([0x00, 0xd8]); // lone high surrogate
        bytes.extend(utf16le(" again"));
        bytes.push(b'x'); // half a code unit
        let d = auto(&bytes).unwrap();
        assert_eq!(d.text, "Hello, world. \u{fffd} again\u{fffd}");
        assert_eq!(d.warnings.len(), 1);
        // Mostly broken: refused.
        let bytes = [0xff, 0xfe, 0x00, 0xdc, 0x00, 0xdc, 0x41, 0x00];
        assert!(matches!(auto(&bytes), Err(ArticleError::Undecodable { encoding: "UTF-16LE", malformed: 2, .. })));
        // BOM-less bytes with lone surrogates are not taken for UTF-16 and are refused as binary.
        let bytes = [b'a', 0, 0x00, 0xd8, b'b', 0, b'c', 0];
        assert!(matches!(auto(&bytes), Err(ArticleError::Binary { .. })));
    }

    #[test]
    fn only_a_bom_is_empty_text() {
        assert_eq!(auto(&[0xef, 0xbb, 0xbf]).unwrap().text, "");
        assert_eq!(auto(&[0xff, 0xfe]).unwrap().text, "");
        assert_eq!(auto(b"").unwrap().text, "");
    }

    #[test]
    fn every_leading_bom_goes() {
        let d = auto("\u{feff}\u{feff}\u{feff}Gdańsk".as_bytes()).unwrap();
        assert_eq!(d.text, "Gdańsk");
        assert_eq!(d.warnings, ["more than one byte order mark at the start of the file; removed"]);
    }
}
