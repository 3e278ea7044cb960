//! The hash maps and sets Gloss's library uses, one place to choose how they hash.
//!
//! In the program, keys are hashed as `std` does by default (SipHash with keys drawn at random
//! for each map), so that a hostile file cannot pick keys that all collide and make a reader
//! quadratic. Under `cfg(fuzzing)` (set by `cargo fuzz`) the keys are fixed instead: the same
//! input then takes the same path through the table code on every run, so a fuzzer's coverage
//! counts only what the input decides, and stops growing when the input space is exhausted rather
//! than drifting with random probe sequences.
//!
//! Build maps with `HashMap::default()` or `with_capacity_and_hasher(n, Default::default())`, or
//! by `collect()`; `HashMap::new()` is `std`'s random-keyed map, a different type.

/// How Gloss's maps and sets hash their keys (see the module's documentation).
#[cfg(not(fuzzing))]
pub type Hashing = std::collections::hash_map::RandomState;

/// How Gloss's maps and sets hash their keys: fixed keys, for repeatable fuzzing.
#[cfg(fuzzing)]
pub type Hashing = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

/// A hash map that hashes as [`Hashing`] says.
pub type HashMap<K, V> = std::collections::HashMap<K, V, Hashing>;

/// A hash set that hashes as [`Hashing`] says.
pub type HashSet<T> = std::collections::HashSet<T, Hashing>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_built_every_way_behave_alike() {
        let mut a: HashMap<&str, usize> = HashMap::default();
        a.insert("claim", 1);
        a.insert("claim", 2);
        let b: HashMap<&str, usize> = [("claim", 2)].into_iter().collect();
        assert_eq!(a, b);
        let mut set: HashSet<u64> = HashSet::with_capacity_and_hasher(4, Default::default());
        assert!(set.insert(7));
        assert!(!set.insert(7));
    }
}
