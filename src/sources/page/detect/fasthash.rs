//! A small, fast hash for detection's maps, whose keys come from the page being read (group
//! numbers, tag names, class words): SipHash's defence against crafted keys cost a fifth of
//! detection's time, and a page can at worst slow its own detection, which is bounded anyway.
//! The mixing step is the one rustc uses (FxHash), kept here rather than added as a crate.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub(super) struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_a_page_find_their_values() {
        let mut map: FastMap<(Option<usize>, &str, Option<&str>), usize> = FastMap::default();
        let classes = [
            "card-0", "card-1", "card-2", "card-3", "card-4", "card-5", "card-6",
        ];
        for i in 0..500 {
            map.insert((Some(i), "div", None), i);
            map.entry((None, "li", Some(classes[i % 7]))).or_insert(i);
        }
        assert_eq!(map.len(), 507);
        assert_eq!(map.get(&(Some(42), "div", None)), Some(&42));
        assert_eq!(map.get(&(None, "li", Some("card-3"))), Some(&3));
        assert_eq!(map.get(&(None, "li", Some("card-7"))), None);
    }
}
