//! File names made from document ids: safe on every system, and unique in one output folder.

use crate::model::hashing::HashSet;

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest stem, in characters, so that stem + extension stays well under file name limits.
const MAX_STEM: usize = 80;

/// Hands out file stems for one folder, each used once (compared without case, as on macOS and
/// Windows).
#[derive(Debug, Default)]
pub struct FileNames {
    used: HashSet<String>,
}

impl FileNames {
    /// A safe, unused stem for `id`: letters and digits of any script, `-`, `_` and `.` are kept,
    /// anything else (separators, `..`, control characters, spaces) becomes `_`; leading dots are
    /// dropped; reserved device names get a leading `_`; an empty result becomes `document`; a
    /// stem already handed out gets `-2`, `-3`...
    pub fn stem_for(&mut self, id: &str) -> String {
        let base = sanitize(id);
        let mut stem = base.clone();
        let mut n = 2;
        while !self.used.insert(stem.to_lowercase()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        stem
    }
}

/// The sanitised stem of `id`, not yet made unique.
pub fn sanitize(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .take(MAX_STEM)
        .collect();
    // No hidden files, no "." or "..", no trailing dots (Windows drops them).
    out = out.trim_start_matches('.').trim_end_matches('.').to_owned();
    if out.is_empty() {
        return "document".to_owned();
    }
    let device = out.split('.').next().unwrap_or_default();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_become_safe_unique_names() {
        let mut names = FileNames::default();
        assert_eq!(names.stem_for("d0001"), "d0001");
        assert_eq!(names.stem_for("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(names.stem_for("/abs/path"), "_abs_path");
        assert_eq!(names.stem_for("CON"), "_CON");
        assert_eq!(names.stem_for("nul.txt"), "_nul.txt");
        assert_eq!(names.stem_for(""), "document");
        assert_eq!(names.stem_for(".."), "document-2");
        assert_eq!(names.stem_for("D0001"), "D0001-2");
        assert_eq!(names.stem_for("کراچی 1"), "کراچی_1");
        assert_eq!(names.stem_for("a\u{0}b\\c:d"), "a_b_c_d");
    }
}
