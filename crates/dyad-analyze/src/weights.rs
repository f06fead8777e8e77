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
/// (inline models), or for sparse models one or two (class, weight) entries
/// or where the feature's longer row starts in `entries` and its length
/// (see [`pack`]).
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

/// Huge-page size (x86_64 and aarch64 Linux with 4 KB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// A fixed-length array of `T` starting on a 2 MB boundary, whose pages the
/// kernel is asked to back with transparent huge pages. Weight lookups are
/// random reads over many megabytes; with 4 KB pages most of them also miss
/// the TLB, and a page walk costs about as much as the cache miss itself.
struct HugeArray<T> {
    buf: Vec<T>,
    /// Index of the first item on the 2 MB boundary.
    off: usize,
    len: usize,
}

impl<T: Copy + Default> HugeArray<T> {
    /// `len` default items.
    fn new(len: usize) -> HugeArray<T> {
        let size = std::mem::size_of::<T>().max(1);
        let bytes = len * size;
        // Small arrays (tests, tiny models) gain nothing from huge pages.
        if bytes < HUGE_PAGE / 2 || !HUGE_PAGE.is_multiple_of(size) {
            return HugeArray {
                buf: vec![T::default(); len],
                off: 0,
                len,
            };
        }
        // Room to move the start to a boundary and to round the end up to
        // one, so the advice covers only memory this buffer owns. The advice
        // must come before the pages are first written (faulted in).
        let rounded = bytes.div_ceil(HUGE_PAGE) * HUGE_PAGE;
        let mut buf: Vec<T> = Vec::with_capacity((rounded + HUGE_PAGE) / size);
        let addr = buf.as_ptr() as usize;
        let off = (addr.next_multiple_of(HUGE_PAGE) - addr) / size;
        advise_huge_pages(addr + off * size, rounded);
        buf.resize(off + len, T::default());
        HugeArray { buf, off, len }
    }

    fn from_slice(items: &[T]) -> HugeArray<T> {
        let mut a = HugeArray::new(items.len());
        a.as_mut_slice().copy_from_slice(items);
        a
    }

    #[inline(always)]
    fn as_slice(&self) -> &[T] {
        &self.buf[self.off..self.off + self.len]
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.buf[self.off..self.off + self.len]
    }
}

impl<T: Copy + Default> Clone for HugeArray<T> {
    fn clone(&self) -> Self {
        HugeArray::from_slice(self.as_slice())
    }
}

/// Ask Linux to back `[addr, addr + len)` (2 MB aligned) with huge pages;
/// a hint only, so failure (or another OS) just leaves small pages.
fn advise_huge_pages(addr: usize, len: usize) {
    #[cfg(target_os = "linux")]
    {
        extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        const MADV_HUGEPAGE: i32 = 14;
        // SAFETY: the range lies inside one live allocation owned by the
        // caller; MADV_HUGEPAGE changes only how its pages are backed, never
        // their contents, and an error return is harmless.
        unsafe {
            madvise(addr as *mut std::ffi::c_void, len, MADV_HUGEPAGE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (addr, len);
}

/// Kinds of sparse-model slot payloads (the low two bits of [`pack`]):
/// a row in `entries` (start in bits 2..34, length in bits 34..42), or one
/// or two entries held in the slot (see [`one`] and [`two`]).
const ROW_PTR: u64 = 0;
const ROW_ONE: u64 = 1;
const ROW_TWO: u64 = 2;

/// A slot's 48 payload bits as one number.
#[inline(always)]
fn pack(s: &Slot) -> u64 {
    (s.data[0] as u16 as u64) | (s.data[1] as u16 as u64) << 16 | (s.data[2] as u16 as u64) << 32
}

fn unpack(v: u64) -> [i16; 3] {
    [
        v as u16 as i16,
        (v >> 16) as u16 as i16,
        (v >> 32) as u16 as i16,
    ]
}

/// First inline entry: class in bits 2..9, weight in bits 16..32.
#[inline(always)]
fn one(v: u64) -> (u16, i16) {
    ((v >> 2) as u16 & 0x7f, (v >> 16) as u16 as i16)
}

/// Second inline entry: class in bits 9..16, weight in bits 32..48.
#[inline(always)]
fn two(v: u64) -> (u16, i16) {
    ((v >> 9) as u16 & 0x7f, (v >> 32) as u16 as i16)
}

/// (start, length) in `entries` of a longer row.
#[inline(always)]
fn long_row(v: u64) -> (usize, usize) {
    (
        ((v >> 2) & 0xffff_ffff) as usize,
        ((v >> 34) & 0xff) as usize,
    )
}

/// The slot of `key` in a table of `slots.len()` slots, if present.
#[inline(always)]
fn find(slots: &[Slot], key: u64) -> Option<&Slot> {
    let cap = slots.len();
    let fp = fingerprint(key);
    let mut i = home(key, cap);
    loop {
        let s = &slots[i];
        if s.key == fp {
            return Some(s);
        }
        if s.key == 0 {
            return None;
        }
        i = next(i, cap);
    }
}

/// Frozen, quantised sparse weights.
#[derive(Clone)]
pub struct Weights {
    n_classes: usize,
    /// Number of slots (any size: see [`home`]).
    cap: usize,
    slots: HugeArray<Slot>,
    /// (class, quantised weight) pairs, grouped by feature (sparse models).
    entries: HugeArray<(u16, i16)>,
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
        let mut table = HugeArray::<Slot>::new(cap);
        let slots = table.as_mut_slice();
        let inline = n_classes <= INLINE;
        // Rows of sparse models with one or two entries (most of them) go
        // in the slot itself when class ids fit in 7 bits, saving a second,
        // dependent cache miss; only longer rows stay in `entries`.
        let small = !inline && n_classes <= 128;
        let mut long_rows = Vec::new();
        for (&key, &(start, len)) in keys.iter().zip(&ranges) {
            let mut i = home(key, cap);
            while slots[i].key != 0 {
                i = next(i, cap);
            }
            let row = &entries[start as usize..(start + len) as usize];
            let data = if inline {
                let mut data = [0i16; 3];
                for &(c, w) in row {
                    data[c as usize] = w;
                }
                data
            } else {
                let w = |k: usize| row[k].1 as u16 as u64;
                let c = |k: usize| row[k].0 as u64;
                let v = match row.len() {
                    1 if small => ROW_ONE | c(0) << 2 | w(0) << 16,
                    2 if small => ROW_TWO | c(0) << 2 | c(1) << 9 | w(0) << 16 | w(1) << 32,
                    _ => {
                        let at = long_rows.len() as u64;
                        long_rows.extend_from_slice(row);
                        // At most 255 classes (checked on read), so the
                        // length fits in 8 bits; `read` keeps the start
                        // below 2^32.
                        ROW_PTR | at << 2 | (row.len() as u64) << 34
                    }
                };
                unpack(v)
            };
            slots[i] = Slot {
                key: fingerprint(key),
                data,
            };
        }
        Weights {
            n_classes,
            cap,
            slots: table,
            entries: HugeArray::from_slice(&long_rows),
            keys,
            scale,
        }
    }

    #[inline(always)]
    fn find(&self, key: u64) -> Option<&Slot> {
        find(self.slots.as_slice(), key)
    }

    /// The (class, weight) entries of a sparse model's slot.
    fn row(&self, s: &Slot) -> Vec<(u16, i16)> {
        let v = pack(s);
        match v & 3 {
            ROW_ONE => vec![one(v)],
            ROW_TWO => vec![one(v), two(v)],
            _ => {
                let (start, len) = long_row(v);
                self.entries.as_slice()[start..start + len].to_vec()
            }
        }
    }

    /// Integer scores (quantised units) for speed at inference.
    ///
    /// Lookups are memory-bound, so they run in phases over chunks of
    /// features: prefetch every home slot, then resolve slots and prefetch
    /// their entries, then add. The cache misses of a chunk overlap instead of
    /// following one another.
    #[inline]
    pub fn score_i32(&self, feats: &[u64], out: &mut [i32]) {
        const CHUNK: usize = 128;
        let (slots, entries) = (self.slots.as_slice(), self.entries.as_slice());
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(&slots[home(f, self.cap)]);
            }
            if self.n_classes <= INLINE {
                let mut acc = [0i32; INLINE];
                for &f in chunk {
                    if let Some(s) = find(slots, f) {
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
            let mut found = [(0usize, 0usize); CHUNK];
            let mut n = 0;
            for &f in chunk {
                if let Some(s) = find(slots, f) {
                    let v = pack(s);
                    match v & 3 {
                        ROW_ONE => {
                            let (c, w) = one(v);
                            out[c as usize] += w as i32;
                        }
                        ROW_TWO => {
                            let ((c1, w1), (c2, w2)) = (one(v), two(v));
                            out[c1 as usize] += w1 as i32;
                            out[c2 as usize] += w2 as i32;
                        }
                        _ => {
                            let (start, len) = long_row(v);
                            if len > 0 {
                                prefetch(&entries[start]);
                                found[n] = (start, len);
                                n += 1;
                            }
                        }
                    }
                }
            }
            for &(start, len) in &found[..n] {
                for &(c, w) in &entries[start..start + len] {
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
            Some(s) => self.row(s),
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

    /// Sparse rows of every length (inline in the slot or not) score and
    /// write back exactly as their entries say.
    #[test]
    fn sparse_rows_score_and_round_trip_exactly() {
        for n_classes in [7usize, 128, 200] {
            let mut keys = Vec::new();
            let mut ranges = Vec::new();
            let mut entries: Vec<(u16, i16)> = Vec::new();
            for r in 0..300u64 {
                let len = (r % 5) as usize;
                let start = entries.len() as u32;
                for k in 0..len {
                    let c = ((r as usize * 31 + k * 17) % n_classes) as u16;
                    if entries[start as usize..].iter().all(|e| e.0 != c) {
                        entries.push((c, (r as i16 * 97 - 9000) ^ k as i16));
                    }
                }
                keys.push(crate::hash::f1(5, r));
                ranges.push((start, entries.len() as u32 - start));
            }
            let extremes = [(0u16, i16::MIN), ((n_classes - 1) as u16, i16::MAX)];
            keys.push(crate::hash::f1(6, 0));
            ranges.push((entries.len() as u32, 2));
            entries.extend(extremes);
            let w = Weights::build(
                n_classes,
                keys.clone(),
                ranges.clone(),
                entries.clone(),
                1.0,
            );
            let mut buf = ByteWriter::default();
            w.write(&mut buf);
            let w2 = Weights::read(&mut ByteReader::new(&buf.buf)).unwrap();
            for (&key, &(start, len)) in keys.iter().zip(&ranges) {
                let row = &entries[start as usize..(start + len) as usize];
                assert_eq!(w.row_of(key), row);
                let mut want = vec![0i32; n_classes];
                for &(c, v) in row {
                    want[c as usize] += v as i32;
                }
                let (mut a, mut b) = (vec![0i32; n_classes], vec![0i32; n_classes]);
                // An absent key beside it adds nothing.
                w.score_i32(&[key, crate::hash::f1(7, key)], &mut a);
                w2.score_i32(&[key], &mut b);
                assert_eq!((&a, &b), (&want, &want), "{n_classes} classes, row {row:?}");
            }
        }
    }

    #[test]
    fn huge_arrays_are_aligned_and_clone_their_contents() {
        let n = HUGE_PAGE; // 8 MB of u32
        let mut a = HugeArray::<u32>::new(n);
        assert_eq!(a.as_slice().as_ptr() as usize % HUGE_PAGE, 0);
        assert!(a.as_slice().iter().all(|&x| x == 0));
        a.as_mut_slice()[n - 1] = 7;
        let b = a.clone();
        assert_eq!(b.as_slice().len(), n);
        assert_eq!(b.as_slice()[n - 1], 7);
        assert_eq!(b.as_slice().as_ptr() as usize % HUGE_PAGE, 0);
        let small = HugeArray::from_slice(&[1u8, 2, 3]);
        assert_eq!(small.as_slice(), &[1, 2, 3]);
    }

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
