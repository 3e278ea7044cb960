//! Names for the annotators of several projects, as reports (CLI and GUI) show them.

use std::collections::BTreeSet;
use std::path::Path;

use crate::store;

/// A name per project: its file stem (`a.gloss.ron` → `a`); when stems repeat, the project
/// name; when that repeats too, the stem with `#N` (N = position in `paths`).
pub fn annotator_names<'p>(
    paths: &[impl AsRef<Path>],
    project_names: impl IntoIterator<Item = &'p str>,
) -> Vec<String> {
    let stems: Vec<String> = paths.iter().map(|p| file_stem(p.as_ref())).collect();
    if all_distinct(&stems) {
        return stems;
    }
    let names: Vec<String> = project_names.into_iter().map(|n| n.trim().to_owned()).collect();
    if all_distinct(&names) && names.iter().all(|n| !n.is_empty()) {
        return names;
    }
    stems.into_iter().enumerate().map(|(i, s)| format!("{s}#{}", i + 1)).collect()
}

/// `dir/a.gloss.ron` → `a`; `b.ron` → `b`.
pub fn file_stem(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let name = name.strip_suffix(store::PROJECT_SUFFIX).or_else(|| name.strip_suffix(".ron")).unwrap_or(&name);
    name.to_owned()
}

fn all_distinct(names: &[String]) -> bool {
    let set: BTreeSet<&String> = names.iter().collect();
    set.len() == names.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_then_project_names_then_numbers() {
        let names = annotator_names(&["x/a.gloss.ron", "y/b.ron"], ["A", "B"]);
        assert_eq!(names, ["a", "b"]);
        let names = annotator_names(&["x/a.gloss.ron", "y/a.gloss.ron"], ["Ann", "Bo"]);
        assert_eq!(names, ["Ann", "Bo"]);
        let names = annotator_names(&["x/a.gloss.ron", "y/a.gloss.ron"], ["same", " same"]);
        assert_eq!(names, ["a#1", "a#2"]);
    }
}
