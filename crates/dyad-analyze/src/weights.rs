//! Multi-class linear models over hashed features.
//!
//! [`Perceptron`] is the training-time averaged perceptron (dense float rows per
//! feature, created on first update). [`Weights`] is the frozen inference form:
//! averaged, pruned, quantised to i16 and stored sparsely (only the classes a
//! feature has a non-zero weight for), looked up in an open-addressing table.

use crate::hash::HashMap64;
use crate::model_io::{ByteReader, ByteWriter, ReadError};

/// Anything that can score classes for a feature set.
pub trait Scorer {
    fn n_classes(&self) -> usize;
    /// Add the scores of `feats` for every class into `out` (len = n_classes).
    fn score(&self, feats: &[u64], out: &mut [f32]);
}

/// Classes stored inline in the slot (one cache miss per feature) when a model
/// has at most this many classes (the parser's shift/left/right model).
const INLINE: usize = 3;

/// Table slot, 8 bytes so that eight share a cache line: a 16-bit
/// fingerprint of the key (the low bits of the key choose the slot, so the
/// effective key is wider; a false match needs both to collide, about one
/// lookup in 10^5 for an absent feature) and either the weights themselves
/// (inline models) or where the feature's entries start and how many.
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    key: u16,
    data: [i16; 3],
}

fn fingerprint(key: u64) -> u16 {
    // Never 0: 0 marks an empty slot.
    ((key >> 48) as u16).max(1)
}

/// Home slot of a key: its low 32 bits scaled to the table size
/// (multiply-shift; the fingerprint uses the high bits).
#[inline(always)]
fn home(key: u64, cap: usize) -> usize {
    ((key as u32 as u64 * cap as u64) >> 32) as usize
}

#[inline(always)]
fn next(i: usize, cap: usize) -> usize {
    if i + 1 == cap {
        0
    } else {
        i + 1
    }
}

/// Hint the CPU to start loading a cache line.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: prefetching is a hint; it never faults and reads nothing
        // observable, and SSE is part of the x86_64 baseline.
        #[allow(unused_unsafe)]
        unsafe {
            _mm_prefetch(x as *const T as *const i8, _MM_HINT_T0)
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Frozen, quantised sparse weights.
#[derive(Clone)]
pub struct Weights {
    n_classes: usize,
    /// Number of slots (any size: see [`home`]).
    cap: usize,
    slots: Vec<Slot>,
    /// (class, quantised weight) pairs, grouped by feature (sparse models).
    entries: Vec<(u16, i16)>,
    /// Full keys of the rows, kept for writing the model back out.
    keys: Vec<u64>,
    /// Real weight = quantised / scale.
    scale: f32,
}

impl Weights {
    /// Build from rows given as (key, range into `entries`).
    fn build(
        n_classes: usize,
        keys: Vec<u64>,
        ranges: Vec<(u32, u32)>,
        entries: Vec<(u16, i16)>,
        scale: f32,
    ) -> Weights {
        // At most half full: most lookups are of features the model never
        // saw, and linear probing for an absent key stays short only at low
        // load (measured: two-thirds full made the parser 1.5x slower,
        // a quarter full no faster than half).
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); cap];
        let inline = n_classes <= INLINE;
        for (&key, &(start, len)) in keys.iter().zip(&ranges) {
            let mut i = home(key, cap);
            while slots[i].key != 0 {
                i = next(i, cap);
            }
            let mut data = [0i16; 3];
            if inline {
                for &(c, w) in &entries[start as usize..(start + len) as usize] {
                    data[c as usize] = w;
                }
            } else {
                data[0] = (start & 0xffff) as u16 as i16;
                data[1] = (start >> 16) as u16 as i16;
                // At most 255 classes (checked on read), so the length fits.
                data[2] = len as u16 as i16;
            }
            slots[i] = Slot {
                key: fingerprint(key),
                data,
            };
        }
        Weights {
            n_classes,
            cap,
            slots,
            entries: if inline { Vec::new() } else { entries },
            keys,
            scale,
        }
    }

    #[inline(always)]
    fn find(&self, key: u64) -> Option<&Slot> {
        let fp = fingerprint(key);
        let mut i = home(key, self.cap);
        loop {
            let s = &self.slots[i];
            if s.key == fp {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = next(i, self.cap);
        }
    }

    #[inline(always)]
    fn row(&self, s: &Slot) -> &[(u16, i16)] {
        let start = (s.data[0] as u16 as usize) | ((s.data[1] as u16 as usize) << 16);
        let len = s.data[2] as u16 as usize;
        &self.entries[start..start + len]
    }

    /// Integer scores (quantised units) for speed at inference.
    ///
    /// Lookups are memory-bound, so they run in phases over chunks of
    /// features: prefetch every home slot, then resolve slots and prefetch
    /// their entries, then add. The cache misses of a chunk overlap instead of
    /// following one another.
    #[inline]
    pub fn score_i32(&self, feats: &[u64], out: &mut [i32]) {
        const CHUNK: usize = 64;
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(&self.slots[home(f, self.cap)]);
            }
            if self.n_classes <= INLINE {
                let mut acc = [0i32; INLINE];
                for &f in chunk {
                    if let Some(s) = self.find(f) {
                        for (a, &w) in acc.iter_mut().zip(&s.data) {
                            *a += w as i32;
                        }
                    }
                }
                for (o, a) in out.iter_mut().zip(acc) {
                    *o += a;
                }
                continue;
            }
            let mut found = [(0u32, 0u32); CHUNK];
            let mut n = 0;
            for &f in chunk {
                if let Some(s) = self.find(f) {
                    let start = (s.data[0] as u16 as u32) | ((s.data[1] as u16 as u32) << 16);
                    let len = s.data[2] as u16 as u32;
                    prefetch(&self.entries[start as usize]);
                    found[n] = (start, len);
                    n += 1;
                }
            }
            for &(start, len) in &found[..n] {
                for &(c, w) in &self.entries[start as usize..(start + len) as usize] {
                    out[c as usize] += w as i32;
                }
            }
        }
    }

    /// Quantised units per perceptron update unit.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    pub fn n_rows(&self) -> usize {
        self.keys.len()
    }

    /// The non-zero weights of a row, by full key (for writing).
    fn row_of(&self, key: u64) -> Vec<(u16, i16)> {
        match self.find(key) {
            None => Vec::new(),
            Some(s) if self.n_classes <= INLINE => (0..self.n_classes)
                .filter(|&c| s.data[c] != 0)
                .map(|c| (c as u16, s.data[c]))
                .collect(),
            Some(s) => self.row(s).to_vec(),
        }
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        let mut keys = self.keys.clone();
        keys.sort_unstable();
        w.u32(keys.len() as u32);
        for key in keys {
            let row = self.row_of(key);
            w.u64(key);
            w.u8(row.len() as u8);
            for (c, v) in row {
                w.u8(c as u8);
                w.i16(v);
            }
        }
    }

    pub fn read(r: &mut ByteReader) -> Result<Weights, ReadError> {
        let n_classes = r.u32()? as usize;
        if n_classes == 0 || n_classes > 255 {
            return Err(ReadError(format!("unsupported class count {n_classes}")));
        }
        let scale = r.f32()?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(ReadError(format!("invalid weight scale {scale}")));
        }
        let n = r.count(9)?;
        let mut keys = Vec::with_capacity(n);
        let mut ranges = Vec::with_capacity(n);
        let mut entries = Vec::with_capacity(r.remaining() / 3);
        for _ in 0..n {
            let key = r.u64()?;
            let len = r.u8()? as usize;
            if key == 0 {
                return Err(ReadError("zero feature key".into()));
            }
            let start = entries.len() as u32;
            let bytes = r.take(len * 3)?;
            for e in bytes.chunks_exact(3) {
                let c = e[0] as u16;
                if c as usize >= n_classes {
                    return Err(ReadError(format!(
                        "class {c} out of range ({n_classes} classes)"
                    )));
                }
                entries.push((c, i16::from_le_bytes([e[1], e[2]])));
            }
            keys.push(key);
            ranges.push((start, len as u32));
        }
        if entries.len() >= 1 << 32 {
            return Err(ReadError("too many weights".into()));
        }
        Ok(Weights::build(n_classes, keys, ranges, entries, scale))
    }
}

impl Scorer for Weights {
    fn n_classes(&self) -> usize {
        self.n_classes
    }
    fn score(&self, feats: &[u64], out: &mut [f32]) {
        let mut tmp = vec![0i32; self.n_classes];
        self.score_i32(feats, &mut tmp);
        let inv = 1.0 / self.scale;
        for (o, t) in out.iter_mut().zip(tmp) {
            *o += t as f32 * inv;
        }
    }
}

/// Averaged perceptron under training.
pub struct Perceptron {
    n: usize,
    index: HashMap64<u32>,
    w: Vec<f32>,
    /// Sum of (time × update) used for the averaging trick: avg = w − acc / t.
    acc: Vec<f64>,
    /// Number of training instances seen so far.
    pub t: u64,
}

impl Perceptron {
    pub fn new(n_classes: usize) -> Self {
        Perceptron {
            n: n_classes,
            index: HashMap64::default(),
            w: Vec::new(),
            acc: Vec::new(),
            t: 0,
        }
    }

    fn row(&mut self, key: u64) -> usize {
        let n = self.n;
        let next = self.index.len() as u32;
        let r = *self.index.entry(key).or_insert(next);
        if r == next {
            self.w.resize(self.w.len() + n, 0.0);
            self.acc.resize(self.acc.len() + n, 0.0);
        }
        r as usize * n
    }

    /// Move weight from `pred` to `gold` for every feature.
    pub fn update(&mut self, feats: &[u64], gold: usize, pred: usize) {
        if gold == pred {
            return;
        }
        let t = (self.t + 1) as f64;
        for &f in feats {
            let base = self.row(f);
            self.w[base + gold] += 1.0;
            self.acc[base + gold] += t;
            self.w[base + pred] -= 1.0;
            self.acc[base + pred] -= t;
        }
    }

    /// Advance the clock by one training instance.
    pub fn tick(&mut self) {
        self.t += 1;
    }

    /// Average, prune and quantise. Averaged weights below `prune` in
    /// magnitude (in perceptron update units) are dropped, as are those that
    /// quantise to 0.
    pub fn freeze(&self, prune: f32) -> Weights {
        let t = self.t.max(1) as f64;
        let avg: Vec<f32> = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| (w as f64 - a / t) as f32)
            .collect();
        // Scale on a high percentile rather than the maximum, so that a few
        // huge bias-like weights do not crush the precision of the rest.
        let mut mags: Vec<f32> = avg.iter().map(|v| v.abs()).filter(|&v| v > 0.0).collect();
        let cap = if mags.is_empty() {
            1.0
        } else {
            let k = ((mags.len() as f64) * 0.9999) as usize;
            let k = k.min(mags.len() - 1);
            mags.select_nth_unstable_by(k, |a, b| a.total_cmp(b));
            mags[k].max(1e-6)
        };
        let scale = 32000.0 / cap;
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        rows.sort_unstable();
        let mut keys = Vec::with_capacity(rows.len());
        let mut ranges = Vec::with_capacity(rows.len());
        let mut entries = Vec::new();
        for (key, r) in rows {
            let base = r as usize * self.n;
            let start = entries.len() as u32;
            for (c, &v) in avg[base..base + self.n].iter().enumerate() {
                if v.abs() < prune {
                    continue;
                }
                let q = (v * scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    entries.push((c as u16, q));
                }
            }
            let len = entries.len() as u32 - start;
            if len > 0 {
                keys.push(key);
                ranges.push((start, len));
            }
        }
        Weights::build(self.n, keys, ranges, entries, scale)
    }
}

impl Scorer for Perceptron {
    fn n_classes(&self) -> usize {
        self.n
    }
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32]) {
        for &f in feats {
            if let Some(&r) = self.index.get(&f) {
                let base = r as usize * self.n;
                for (o, w) in out.iter_mut().zip(&self.w[base..base + self.n]) {
                    *o += *w;
                }
            }
        }
    }
}

/// Index of the highest score among the allowed classes (ties: lowest index).
#[inline]
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    let mut bv = f32::NEG_INFINITY;
    for (i, &s) in scores.iter().enumerate() {
        if s > bv {
            bv = s;
            best = i;
        }
    }
    best
}

/// [`argmax`] for integer scores.
#[inline]
pub fn argmax_i32(scores: &[i32]) -> usize {
    let mut best = 0;
    let mut bv = i32::MIN;
    for (i, &s) in scores.iter().enumerate() {
        if s > bv {
            bv = s;
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perceptron_learns_a_separable_problem_and_freezes() {
        let mut p = Perceptron::new(3);
        // Feature keys are always hashed (the table takes its slot from the
        // low bits and its fingerprint from the high bits).
        let k = |x: u64| crate::hash::f1(7, x);
        let data = [
            (vec![k(11), k(99)], 0usize),
            (vec![k(12), k(99)], 1),
            (vec![k(13), k(99)], 2),
        ];
        for _ in 0..5 {
            for (f, g) in &data {
                let mut s = vec![0.0; 3];
                p.score(f, &mut s);
                let pred = argmax(&s);
                p.update(f, *g, pred);
                p.tick();
            }
        }
        let w = p.freeze(0.0);
        for (f, g) in &data {
            let mut s = vec![0.0; 3];
            w.score(f, &mut s);
            assert_eq!(argmax(&s), *g);
        }
        let mut buf = ByteWriter::default();
        w.write(&mut buf);
        let w2 = Weights::read(&mut ByteReader::new(&buf.buf)).unwrap();
        for (f, _) in &data {
            let (mut a, mut b) = (vec![0; 3], vec![0; 3]);
            w.score_i32(f, &mut a);
            w2.score_i32(f, &mut b);
            assert_eq!(a, b);
        }
    }
}
