//! Assigning a project's documents to annotators, with a shared overlap for measuring agreement.
//!
//! The documents are shuffled with a seeded generator (SplitMix64, Fisher–Yates), so the same
//! seed gives the same assignment on every machine. The first `round(overlap × documents)` of the
//! shuffled order go to every annotator; the rest are dealt round-robin, one annotator each. Each
//! annotator's project keeps the documents in the original order, with their spans as they are.

use crate::model::Project;

/// A small seeded generator (SplitMix64): reproducible, no dependency.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0); the modulo bias is negligible for document counts.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Which documents (indices into the project, ascending) each annotator gets.
pub fn assign(documents: usize, annotators: usize, overlap: f64, seed: u64) -> Vec<Vec<usize>> {
    if annotators == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..documents).collect();
    let mut rng = SplitMix64(seed);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let shared = ((overlap.clamp(0.0, 1.0) * documents as f64).round() as usize).min(documents);
    let (together, alone) = order.split_at(shared);
    let mut out = vec![together.to_vec(); annotators];
    for (i, &doc) in alone.iter().enumerate() {
        if let Some(docs) = out.get_mut(i % annotators) {
            docs.push(doc);
        }
    }
    for docs in &mut out {
        docs.sort_unstable();
    }
    out
}

/// One project per annotator (named "NAME (ANNOTATOR)"), with the documents [`assign`] gives.
pub fn split(project: &Project, annotators: &[&str], overlap: f64, seed: u64) -> Vec<Project> {
    assign(project.documents.len(), annotators.len(), overlap, seed)
        .into_iter()
        .zip(annotators)
        .map(|(docs, who)| Project {
            name: format!("{} ({who})", project.name),
            schema: project.schema.clone(),
            documents: docs.into_iter().filter_map(|i| project.documents.get(i).cloned()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_to_all_rest_round_robin() {
        let a = assign(10, 3, 0.2, 7);
        assert_eq!(a.iter().map(Vec::len).collect::<Vec<_>>(), vec![5, 5, 4]);
        let in_all: Vec<usize> = (0..10).filter(|d| a.iter().all(|docs| docs.contains(d))).collect();
        assert_eq!(in_all.len(), 2);
        for d in 0..10 {
            assert!(a.iter().any(|docs| docs.contains(&d)));
        }
        assert_eq!(a, assign(10, 3, 0.2, 7));
        assert_eq!(assign(3, 2, 1.0, 1), vec![vec![0, 1, 2], vec![0, 1, 2]]);
        assert_eq!(assign(0, 2, 0.5, 1), vec![Vec::<usize>::new(), Vec::new()]);
    }
}
