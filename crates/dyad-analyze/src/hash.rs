//! Fast non-cryptographic hashing for feature keys.
//!
//! Features are identified by 64-bit keys built from a template id and the
//! hashes of the values it combines, so no strings are built per feature.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Combine two 64-bit values (FxHash step).
#[inline(always)]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(K)
}

/// Avalanche the bits so that the low and high bits are both usable as table
/// indices (murmur3 finaliser).
#[inline(always)]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    // 0 marks an empty slot in the weight tables.
    if h == 0 {
        1
    } else {
        h
    }
}

/// Hash a byte string.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = mix(
            h,
            u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
        );
    }
    for &b in chunks.remainder() {
        h = mix(h, b as u64);
    }
    finish(h)
}

#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Feature key from a template id and one value.
#[inline(always)]
pub fn f1(t: u64, a: u64) -> u64 {
    finish(mix(mix(K, t), a))
}

/// Feature key from a template id and two values.
#[inline(always)]
pub fn f2(t: u64, a: u64, b: u64) -> u64 {
    finish(mix(mix(mix(K, t), a), b))
}

/// Feature key from a template id and three values.
#[inline(always)]
pub fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(mix(mix(mix(K, t), a), b), c))
}

/// Checksum for model payloads (not cryptographic: it detects truncation and
/// corruption, not tampering).
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ v).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    finish(h ^ bytes.len() as u64)
}

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct PreHashed(u64);

impl Hasher for PreHashed {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by pre-hashed u64 values.
pub type HashMap64<V> = HashMap<u64, V, BuildHasherDefault<PreHashed>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_inputs_give_distinct_keys() {
        assert_ne!(hash_str("the"), hash_str("The"));
        assert_ne!(f2(1, 2, 3), f2(1, 3, 2));
        assert_ne!(f1(1, 5), f1(2, 5));
        assert_ne!(hash_str(""), 0);
    }

    #[test]
    fn checksum_detects_a_flipped_byte() {
        let mut v: Vec<u8> = (0..100u8).collect();
        let a = checksum(&v);
        v[50] ^= 1;
        assert_ne!(a, checksum(&v));
    }
}
