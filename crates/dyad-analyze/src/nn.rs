//! The neural-network pieces the accurate pipeline's models share: int8
//! matrices read from a safetensors payload, a BiLSTM encoder over batches of
//! sentences, and the AVX2 + FMA kernels (chosen at run time, with a portable
//! fallback) they run on.

use std::collections::HashMap;

use safetensors::tensor::{Dtype, SafeTensors};

use crate::biaffine::BIAFFINE_KIND;
use crate::model_io::{self, ModelError};

/// A row-major f32 matrix.
#[derive(Clone, Debug)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f32>,
}

impl Matrix {
    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
}

/// A row-major int8 matrix with one scale per row.
#[derive(Clone, Debug)]
pub struct QMatrix {
    pub rows: usize,
    pub cols: usize,
    pub q: Vec<i8>,
    pub scale: Vec<f32>,
}

/// One direction of one BiLSTM layer (PyTorch's gate order: input, forget,
/// cell, output).
#[derive(Clone, Debug)]
pub(crate) struct LstmDirection {
    /// 4·hidden × input.
    pub(crate) w_ih: QMatrix,
    /// 4·hidden × hidden, kept as int8: the recurrence reads all of it at
    /// every word, and a quarter of the bytes keeps it in the L2 cache.
    pub(crate) w_hh: QMatrix,
    /// b_ih + b_hh, 4·hidden.
    pub(crate) bias: Vec<f32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Dense {
    /// out × in.
    pub(crate) w: QMatrix,
    pub(crate) b: Vec<f32>,
}

pub(crate) fn corrupt(file: &str, detail: impl Into<String>) -> ModelError {
    ModelError::Corrupt {
        file: file.to_string(),
        detail: detail.into(),
        rebuild: model_io::rebuild_command(BIAFFINE_KIND),
    }
}

/// Reads named tensors out of the safetensors payload, checking shapes.
pub(crate) struct Reader<'a> {
    pub(crate) file: &'a str,
    pub(crate) st: SafeTensors<'a>,
}

impl Reader<'_> {
    pub(crate) fn f32s(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), ModelError> {
        let t = self
            .st
            .tensor(name)
            .map_err(|e| corrupt(self.file, format!("tensor {name}: {e}")))?;
        if t.dtype() != Dtype::F32 {
            return Err(corrupt(self.file, format!("tensor {name} is not f32")));
        }
        let v = t
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok((t.shape().to_vec(), v))
    }

    pub(crate) fn vector(&self, name: &str, len: usize) -> Result<Vec<f32>, ModelError> {
        let (shape, v) = self.f32s(name)?;
        if shape != [len] {
            return Err(corrupt(
                self.file,
                format!("tensor {name} has shape {shape:?}, expected [{len}]"),
            ));
        }
        Ok(v)
    }

    /// An int8 tensor with one scale per row of its last dimension; `shape`
    /// is checked (`None` = any size in that position).
    pub(crate) fn quantised_raw(
        &self,
        name: &str,
        shape: &[Option<usize>],
    ) -> Result<QMatrix, ModelError> {
        let t = self
            .st
            .tensor(name)
            .map_err(|e| corrupt(self.file, format!("tensor {name}: {e}")))?;
        let got = t.shape();
        let fits = got.len() == shape.len()
            && got
                .iter()
                .zip(shape)
                .all(|(g, s)| s.is_none() || *s == Some(*g));
        if t.dtype() != Dtype::I8 || !fits || got.contains(&0) {
            return Err(corrupt(
                self.file,
                format!(
                    "tensor {name} is {:?} {got:?}, expected int8 {shape:?}",
                    t.dtype()
                ),
            ));
        }
        let cols = *got.last().unwrap_or(&1);
        let rows = t.data().len() / cols;
        Ok(QMatrix {
            rows,
            cols,
            q: t.data().iter().map(|&b| b as i8).collect(),
            scale: self.vector(&format!("{name}.scale"), rows)?,
        })
    }

    /// [`Reader::quantised_raw`] as f32.
    pub(crate) fn quantised(
        &self,
        name: &str,
        shape: &[Option<usize>],
    ) -> Result<Matrix, ModelError> {
        let m = self.quantised_raw(name, shape)?;
        let data =
            m.q.chunks_exact(m.cols)
                .zip(&m.scale)
                .flat_map(|(row, &s)| row.iter().map(move |&q| q as f32 * s))
                .collect();
        Ok(Matrix {
            rows: m.rows,
            cols: m.cols,
            data,
        })
    }

    pub(crate) fn dense(&self, name: &str, out: usize, inp: usize) -> Result<Dense, ModelError> {
        Ok(Dense {
            w: self.quantised_raw(&format!("{name}.weight"), &[Some(out), Some(inp)])?,
            b: self.vector(&format!("{name}.bias"), out)?,
        })
    }
}

/// The metadata and tensors of a sealed model file of the accurate pipeline.
pub(crate) fn open_weights<'a>(
    file: &'a str,
    bytes: &'a [u8],
) -> Result<(HashMap<String, String>, Reader<'a>), ModelError> {
    let payload = model_io::unseal(file, BIAFFINE_KIND, bytes)?;
    let (_, header) =
        SafeTensors::read_metadata(payload).map_err(|e| corrupt(file, format!("weights: {e}")))?;
    let meta = header.metadata().clone().unwrap_or_default();
    let st =
        SafeTensors::deserialize(payload).map_err(|e| corrupt(file, format!("weights: {e}")))?;
    Ok((meta, Reader { file, st }))
}

// Rows of the word and GloVe tables: 1 unknown, 2 root (the parser's), then
// the vocabulary.
pub(crate) const WORD_UNK: u32 = 1;
pub(crate) const WORD_ROOT: u32 = 2;
pub(crate) const FIRST_WORD: u32 = 3;

/// The word lookups both accurate models share, read once per file: the
/// trained-word vocabulary (each model has its own vectors for it) and the
/// GloVe vocabulary with its vectors.
#[derive(Debug)]
pub(crate) struct WordVectors {
    words: HashMap<String, u32>,
    /// Rows a model's table for the trained words must have.
    pub(crate) word_rows: usize,
    glove_words: HashMap<String, u32>,
    pub(crate) glove: Matrix,
}

impl WordVectors {
    pub(crate) fn read(
        meta: &HashMap<String, String>,
        r: &Reader,
    ) -> Result<WordVectors, ModelError> {
        let (word_list, words) = vocabulary(r.file, meta, "words", FIRST_WORD)?;
        let (glove_list, glove_words) = vocabulary(r.file, meta, "glove_words", FIRST_WORD)?;
        let glove = r.quantised(
            "gemb.weight",
            &[Some(glove_list.len() + FIRST_WORD as usize), None],
        )?;
        Ok(WordVectors {
            words,
            word_rows: word_list.len() + FIRST_WORD as usize,
            glove_words,
            glove,
        })
    }

    /// The rows of a lowercased word in the trained-word and GloVe tables.
    pub(crate) fn rows(&self, lower: &str) -> (u32, u32) {
        (
            self.words.get(lower).copied().unwrap_or(WORD_UNK),
            self.glove_words.get(lower).copied().unwrap_or(WORD_UNK),
        )
    }
}

pub(crate) fn vocabulary(
    file: &str,
    meta: &HashMap<String, String>,
    key: &str,
    first: u32,
) -> Result<(Vec<String>, HashMap<String, u32>), ModelError> {
    let text = meta
        .get(key)
        .ok_or_else(|| corrupt(file, format!("metadata lacks {key:?}")))?;
    let list: Vec<String> = text.split('\n').map(str::to_string).collect();
    let index = list
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i as u32 + first))
        .collect();
    Ok((list, index))
}

pub(crate) fn meta_usize(
    file: &str,
    meta: &HashMap<String, String>,
    key: &str,
) -> Result<usize, ModelError> {
    meta.get(key)
        .and_then(|v| v.parse().ok())
        .filter(|&v: &usize| v > 0 && v < 100_000)
        .ok_or_else(|| corrupt(file, format!("metadata {key:?} is missing or not a size")))
}

/// A stack of bidirectional LSTM layers (PyTorch's `nn.LSTM` with
/// `bidirectional=True`, biases summed).
#[derive(Clone, Debug)]
pub(crate) struct BiLstm {
    /// Per layer: forward, backward.
    layers: Vec<[LstmDirection; 2]>,
    pub(crate) hidden: usize,
    /// Zero biases for the recurrent products.
    zeros: Vec<f32>,
}

/// Reusable buffers for [`BiLstm::encode`].
#[derive(Default)]
pub(crate) struct LstmScratch {
    gates: Vec<f32>,
    layer_out: Vec<f32>,
    h: Vec<f32>,
    c: Vec<f32>,
    rec: Vec<f32>,
    /// Sentence indices, longest first.
    order: Vec<usize>,
    /// Per sentence, longest first: rows (root or not) and first row.
    lens: Vec<usize>,
    starts: Vec<usize>,
}

impl BiLstm {
    /// Read `{prefix}weight_ih_l{k}`, `{prefix}weight_hh_l{k}` and
    /// `{prefix}bias_l{k}` (and their `_reverse`) for `layers` layers whose
    /// first takes rows of `input`.
    pub(crate) fn read(
        r: &Reader,
        prefix: &str,
        layers: usize,
        hidden: usize,
        mut input: usize,
    ) -> Result<BiLstm, ModelError> {
        let mut out = Vec::with_capacity(layers);
        for l in 0..layers {
            let dir = |sfx: &str| -> Result<LstmDirection, ModelError> {
                Ok(LstmDirection {
                    w_ih: r.quantised_raw(
                        &format!("{prefix}weight_ih_l{l}{sfx}"),
                        &[Some(4 * hidden), Some(input)],
                    )?,
                    w_hh: r.quantised_raw(
                        &format!("{prefix}weight_hh_l{l}{sfx}"),
                        &[Some(4 * hidden), Some(hidden)],
                    )?,
                    bias: r.vector(&format!("{prefix}bias_l{l}{sfx}"), 4 * hidden)?,
                })
            };
            out.push([dir("")?, dir("_reverse")?]);
            input = 2 * hidden;
        }
        Ok(BiLstm {
            layers: out,
            hidden,
            zeros: vec![0.0; 4 * hidden],
        })
    }

    /// Run every layer over a batch of sentences whose input rows (of
    /// `width`) are stacked in `x`: sentence b is rows `spans[b].0 ..
    /// spans[b].0 + spans[b].1`. On return `x` holds the last layer's output,
    /// rows of 2·hidden (forward, then backward).
    pub(crate) fn encode(
        &self,
        x: &mut Vec<f32>,
        mut width: usize,
        spans: &[(usize, usize)],
        sc: &mut LstmScratch,
    ) {
        let total: usize = spans.iter().map(|s| s.1).sum();
        debug_assert!(x.len() >= total * width);
        // The recurrence runs longest sentence first, so that the sentences
        // still running at any step are a prefix of this order.
        sc.order.clear();
        sc.order.extend(0..spans.len());
        sc.order.sort_by_key(|&b| std::cmp::Reverse(spans[b].1));
        sc.lens.clear();
        sc.lens.extend(sc.order.iter().map(|&b| spans[b].1));
        sc.starts.clear();
        sc.starts.extend(sc.order.iter().map(|&b| spans[b].0));
        let h = self.hidden;
        for layer in &self.layers {
            sc.layer_out.clear();
            sc.layer_out.resize(total * 2 * h, 0.0);
            for (d, dir) in layer.iter().enumerate() {
                self.run_direction(dir, x, width, total, d == 1, sc, d * h);
            }
            // This layer's output is the next one's input; x's buffer is reused.
            std::mem::swap(x, &mut sc.layer_out);
            width = 2 * h;
        }
    }

    /// One LSTM direction over all sentences of the batch (`total` rows of
    /// `x`, of `width`), writing hidden states into `sc.layer_out` at column
    /// `offset` of rows of 2·hidden.
    #[allow(clippy::too_many_arguments)]
    fn run_direction(
        &self,
        dir: &LstmDirection,
        x: &[f32],
        width: usize,
        total: usize,
        backward: bool,
        sc: &mut LstmScratch,
        offset: usize,
    ) {
        let h = self.hidden;
        let g4 = 4 * h;
        // Input projections for every row of the batch at once.
        sc.gates.clear();
        sc.gates.resize(total * g4, 0.0);
        gemm_q(x, total, width, &dir.w_ih, &dir.bias, &mut sc.gates);
        let n_sent = sc.lens.len();
        for v in [&mut sc.h, &mut sc.c] {
            v.clear();
            v.resize(n_sent * h, 0.0);
        }
        sc.rec.clear();
        sc.rec.resize(n_sent * g4, 0.0);
        let longest = sc.lens.first().copied().unwrap_or(0);
        for step in 0..longest {
            let active = sc.lens.iter().take_while(|&&n| n > step).count();
            gemm_q(
                &sc.h[..active * h],
                active,
                h,
                &dir.w_hh,
                &self.zeros[..g4],
                &mut sc.rec[..active * g4],
            );
            for s in 0..active {
                let n = sc.lens[s];
                let t = sc.starts[s] + if backward { n - 1 - step } else { step };
                let g = &sc.gates[t * g4..(t + 1) * g4];
                let rec = &sc.rec[s * g4..(s + 1) * g4];
                let (hs, cs) = (&mut sc.h[s * h..(s + 1) * h], &mut sc.c[s * h..(s + 1) * h]);
                let row = &mut sc.layer_out[t * 2 * h + offset..t * 2 * h + offset + h];
                for k in 0..h {
                    let i = sigmoid(g[k] + rec[k]);
                    let f = sigmoid(g[h + k] + rec[h + k]);
                    let c = tanh(g[2 * h + k] + rec[2 * h + k]);
                    let o = sigmoid(g[3 * h + k] + rec[3 * h + k]);
                    cs[k] = f * cs[k] + i * c;
                    hs[k] = o * tanh(cs[k]);
                    row[k] = hs[k];
                }
            }
        }
    }
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + fast_exp(-x))
}

pub(crate) fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

/// e^x to about 1e-6 relative error, without a libm call (libm's exp and tanh
/// took a fifth of the parser's time): e^x = 2^i · 2^f with i the nearest
/// integer to x·log2(e), f in [-0.5, 0.5], and 2^f from its Taylor series.
#[inline]
pub(crate) fn fast_exp(x: f32) -> f32 {
    let t = x.clamp(-86.0, 88.0) * std::f32::consts::LOG2_E;
    let u = t + 0.5;
    // floor(u) by truncation, one lower for negatives.
    let i = u as i32 - (u < 0.0) as i32;
    let f = t - i as f32;
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_129 + f * 0.001_333_355))));
    f32::from_bits(((i + 127) as u32) << 23) * p
}

/// Leaky-ReLU(0.1) of a dense layer over `n` rows.
pub(crate) fn mlp(layer: &Dense, x: &[f32], n: usize, out: &mut Vec<f32>) {
    out.clear();
    out.resize(n * layer.w.rows, 0.0);
    gemm_q(x, n, layer.w.cols, &layer.w, &layer.b, out);
    for v in out.iter_mut() {
        if *v < 0.0 {
            *v *= 0.1;
        }
    }
}

/// out[i][j] = bias[j] + x[i] · w[j], for `n` rows of x and `m` rows of w
/// (both row-major, of width `k`).
pub(crate) fn gemm_bt(
    x: &[f32],
    n: usize,
    k: usize,
    w: &[f32],
    m: usize,
    bias: &[f32],
    out: &mut [f32],
) {
    debug_assert!(w.len() >= m * k && x.len() >= n * k && out.len() >= n * m);
    #[cfg(target_arch = "x86_64")]
    if simd::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked above).
        unsafe { simd::gemm_bt(x, n, k, w, m, bias, out) };
        return;
    }
    for j in 0..m {
        let wr = &w[j * k..(j + 1) * k];
        for i in 0..n {
            out[i * m + j] = bias[j] + dot_plain(&x[i * k..(i + 1) * k], wr);
        }
    }
}

/// [`gemm_bt`] for an int8 matrix.
pub(crate) fn gemm_q(x: &[f32], n: usize, k: usize, w: &QMatrix, bias: &[f32], out: &mut [f32]) {
    debug_assert!(w.cols == k && x.len() >= n * k && out.len() >= n * w.rows);
    #[cfg(target_arch = "x86_64")]
    if simd::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked above).
        unsafe { simd::gemm_bt_i8(x, n, k, &w.q, &w.scale, w.rows, bias, out) };
        return;
    }
    let m = w.rows;
    for j in 0..m {
        let row = &w.q[j * k..(j + 1) * k];
        for i in 0..n {
            let xi = &x[i * k..(i + 1) * k];
            let s: f32 = row.iter().zip(xi).map(|(&q, &v)| q as f32 * v).sum();
            out[i * m + j] = bias[j] + w.scale[j] * s;
        }
    }
}

/// out[r] = w[r] · x for an int8 matrix.
pub(crate) fn matvec_q(w: &QMatrix, x: &[f32], out: &mut [f32]) {
    debug_assert!(w.cols == x.len() && out.len() >= w.rows);
    #[cfg(target_arch = "x86_64")]
    if simd::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked above).
        unsafe { simd::matvec_i8(&w.q, &w.scale, w.rows, x, out) };
        return;
    }
    for (r, o) in out.iter_mut().enumerate().take(w.rows) {
        let row = &w.q[r * w.cols..(r + 1) * w.cols];
        *o = w.scale[r] * row.iter().zip(x).map(|(&q, &v)| q as f32 * v).sum::<f32>();
    }
}

pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if simd::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked above).
        return unsafe { simd::dot(a, b) };
    }
    dot_plain(a, b)
}

/// Dot product with eight independent sums (the portable path).
fn dot_plain(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// AVX2 + FMA kernels, chosen at run time: the default x86-64 target has
/// neither.
#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    pub fn available() -> bool {
        is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn hsum(v: __m256) -> f32 {
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }

    /// # Safety
    /// Needs AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut i = 0;
        // SAFETY (every load): i + 8 <= n, and n is within both slices.
        while i + 16 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            acc1 = _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i + 8)),
                _mm256_loadu_ps(pb.add(i + 8)),
                acc1,
            );
            i += 16;
        }
        if i + 8 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            i += 8;
        }
        let mut s = hsum(_mm256_add_ps(acc0, acc1));
        while i < n {
            s += a[i] * b[i];
            i += 1;
        }
        s
    }

    /// `scale[r]` · (q[r] · x) for an int8 matrix of `rows` × x.len().
    ///
    /// # Safety
    /// Needs AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn matvec_i8(q: &[i8], scale: &[f32], rows: usize, x: &[f32], out: &mut [f32]) {
        let k = x.len();
        let k8 = k / 8 * 8;
        let px = x.as_ptr();
        for (r, o) in out.iter_mut().enumerate().take(rows) {
            let row = &q[r * k..(r + 1) * k];
            let p = row.as_ptr();
            let mut acc0 = _mm256_setzero_ps();
            let mut acc1 = _mm256_setzero_ps();
            let mut c = 0;
            // SAFETY: every load ends at c + 16 or c + 8 <= k8 <= k, within
            // the row and x.
            while c + 16 <= k8 {
                let v = _mm_loadu_si128(p.add(c) as *const __m128i);
                let lo = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(v));
                let hi = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(v, 8)));
                acc0 = _mm256_fmadd_ps(lo, _mm256_loadu_ps(px.add(c)), acc0);
                acc1 = _mm256_fmadd_ps(hi, _mm256_loadu_ps(px.add(c + 8)), acc1);
                c += 16;
            }
            if c < k8 {
                let v = _mm_loadl_epi64(p.add(c) as *const __m128i);
                let lo = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(v));
                acc0 = _mm256_fmadd_ps(lo, _mm256_loadu_ps(px.add(c)), acc0);
                c += 8;
            }
            let mut s = hsum(_mm256_add_ps(acc0, acc1));
            while c < k {
                s += row[c] as f32 * x[c];
                c += 1;
            }
            *o = s * scale[r];
        }
    }

    /// Eight int8 weights as f32.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn load_i8x8(p: *const i8) -> __m256 {
        _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(p as *const __m128i)))
    }

    /// Dot products of one int8 weight row with the `R` rows of x starting
    /// at row `i`: each group of eight weights is widened once for all `R`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn i8_row_dots<const R: usize>(x: &[f32], k: usize, i: usize, wr: &[i8]) -> [f32; R] {
        let k8 = k / 8 * 8;
        let px = x[i * k..(i + R) * k].as_ptr();
        let pw = wr.as_ptr();
        let mut acc = [_mm256_setzero_ps(); R];
        let mut c = 0;
        // SAFETY: c + 8 <= k8 <= k: within the weight row and within each of
        // the R rows of x (checked by the slice above).
        while c < k8 {
            let wv = load_i8x8(pw.add(c));
            for (r, a) in acc.iter_mut().enumerate() {
                *a = _mm256_fmadd_ps(_mm256_loadu_ps(px.add(r * k + c)), wv, *a);
            }
            c += 8;
        }
        let mut out = [0.0f32; R];
        for (r, (o, a)) in out.iter_mut().zip(&acc).enumerate() {
            *o = hsum(*a);
            for t in k8..k {
                *o += x[(i + r) * k + t] * wr[t] as f32;
            }
        }
        out
    }

    /// [`gemm_bt`] with int8 weight rows scaled by `scale`.
    ///
    /// # Safety
    /// Needs AVX2 and FMA.
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn gemm_bt_i8(
        x: &[f32],
        n: usize,
        k: usize,
        q: &[i8],
        scale: &[f32],
        m: usize,
        bias: &[f32],
        out: &mut [f32],
    ) {
        for j in 0..m {
            let wr = &q[j * k..(j + 1) * k];
            let (b, s) = (bias[j], scale[j]);
            let mut i = 0;
            while i + 8 <= n {
                for (r, d) in i8_row_dots::<8>(x, k, i, wr).into_iter().enumerate() {
                    out[(i + r) * m + j] = b + s * d;
                }
                i += 8;
            }
            if i + 4 <= n {
                for (r, d) in i8_row_dots::<4>(x, k, i, wr).into_iter().enumerate() {
                    out[(i + r) * m + j] = b + s * d;
                }
                i += 4;
            }
            while i < n {
                out[i * m + j] = b + s * i8_row_dots::<1>(x, k, i, wr)[0];
                i += 1;
            }
        }
    }

    /// out[i][j] = bias[j] + x[i] · w[j]: four rows of x share each load of a
    /// weight row.
    ///
    /// # Safety
    /// Needs AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn gemm_bt(
        x: &[f32],
        n: usize,
        k: usize,
        w: &[f32],
        m: usize,
        bias: &[f32],
        out: &mut [f32],
    ) {
        let k8 = k / 8 * 8;
        for j in 0..m {
            let wr = &w[j * k..(j + 1) * k];
            let pw = wr.as_ptr();
            let mut i = 0;
            while i + 4 <= n {
                let rows = [
                    &x[i * k..(i + 1) * k],
                    &x[(i + 1) * k..(i + 2) * k],
                    &x[(i + 2) * k..(i + 3) * k],
                    &x[(i + 3) * k..(i + 4) * k],
                ];
                let mut acc = [_mm256_setzero_ps(); 4];
                let mut c = 0;
                // SAFETY: c + 8 <= k8 <= k, the length of every row.
                while c < k8 {
                    let wv = _mm256_loadu_ps(pw.add(c));
                    for (a, row) in acc.iter_mut().zip(&rows) {
                        *a = _mm256_fmadd_ps(_mm256_loadu_ps(row.as_ptr().add(c)), wv, *a);
                    }
                    c += 8;
                }
                for (q, (a, row)) in acc.iter().zip(&rows).enumerate() {
                    let mut s = hsum(*a);
                    for t in k8..k {
                        s += row[t] * wr[t];
                    }
                    out[(i + q) * m + j] = bias[j] + s;
                }
                i += 4;
            }
            while i < n {
                out[i * m + j] = bias[j] + dot(&x[i * k..(i + 1) * k], wr);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exp_tracks_exp() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.04;
            let (got, want) = (fast_exp(x), x.exp());
            assert!(
                (got - want).abs() <= want * 1e-5,
                "exp({x}): {got} vs {want}"
            );
            assert!((tanh(x) - x.tanh()).abs() < 1e-5, "tanh({x})");
        }
        assert!(fast_exp(-1000.0) >= 0.0 && fast_exp(1000.0).is_finite());
    }

    #[test]
    fn int8_matvec_matches_the_dequantised_product() {
        let (rows, cols) = (5, 37);
        let q: Vec<i8> = (0..rows * cols)
            .map(|i| ((i * 37) % 255) as i32 as i8)
            .collect();
        let scale: Vec<f32> = (0..rows).map(|r| 0.01 * (r + 1) as f32).collect();
        let x: Vec<f32> = (0..cols).map(|i| (i as f32 * 0.3).sin()).collect();
        let w = QMatrix {
            rows,
            cols,
            q: q.clone(),
            scale: scale.clone(),
        };
        let mut out = vec![0.0; rows];
        matvec_q(&w, &x, &mut out);
        for r in 0..rows {
            let want: f32 = (0..cols)
                .map(|c| q[r * cols + c] as f32 * scale[r] * x[c])
                .sum();
            assert!(
                (out[r] - want).abs() < 1e-3,
                "row {r}: {} vs {want}",
                out[r]
            );
        }
    }

    #[test]
    fn dot_matches_a_plain_sum() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.25).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-3);
    }
}
