//! The accurate parser: a BiLSTM over word, GloVe and XPOS embeddings, with
//! biaffine arc and label scorers (Dozat & Manning 2017) and projective
//! decoding (Eisner's algorithm with one root).
//!
//! It is trained with PyTorch by `scripts/train-biaffine.py` and run here with
//! hand-written kernels (int8 weights, AVX2 + FMA when the CPU has them). On
//! EWT test it scores about 5 UAS and 5 LAS points above the greedy parser, at
//! a fiftieth of its speed, so it is opt-in ([`crate::ParserChoice::Accurate`]).
//!
//! Model file (kind "biaffine"): a safetensors payload holding the PyTorch
//! weights (matrices as int8 rows with one f32 scale each, vectors as f32) and,
//! in its metadata, the vocabularies and sizes.

use std::collections::HashMap;

use safetensors::tensor::{Dtype, SafeTensors};

use crate::model_io::{self, ModelError};

pub const BIAFFINE_FILE: &str = "biaffine.bin";
pub const BIAFFINE_KIND: &str = "biaffine";

/// Sentences longer than this many words are left to the greedy parser:
/// decoding is cubic in sentence length and the score matrix quadratic.
pub const MAX_WORDS: usize = 200;

// Rows of the word and GloVe tables: 1 unknown, 2 root, then the vocabulary.
const UNK: u32 = 1;
const ROOT: u32 = 2;
const FIRST_WORD: u32 = 3;
// Rows of the tag table: 0 unknown tag, 1 root, then the tags.
const TAG_UNKNOWN: u32 = 0;
const TAG_ROOT: u32 = 1;
const FIRST_TAG: u32 = 2;

/// A row-major f32 matrix.
#[derive(Clone, Debug)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f32>,
}

impl Matrix {
    fn row(&self, i: usize) -> &[f32] {
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
struct LstmDirection {
    /// 4·hidden × input.
    w_ih: QMatrix,
    /// 4·hidden × hidden, kept as int8: the recurrence reads all of it at
    /// every word, and a quarter of the bytes keeps it in the L2 cache.
    w_hh: QMatrix,
    /// b_ih + b_hh, 4·hidden.
    bias: Vec<f32>,
}

#[derive(Clone, Debug)]
struct Dense {
    /// out × in.
    w: QMatrix,
    b: Vec<f32>,
}

/// The trained accurate parser.
#[derive(Clone, Debug)]
pub struct Biaffine {
    words: HashMap<String, u32>,
    glove_words: HashMap<String, u32>,
    tags: HashMap<String, u32>,
    /// Dependency relations, by label index.
    pub labels: Vec<String>,
    hidden: usize,
    word_emb: Matrix,
    glove_emb: Matrix,
    tag_emb: Matrix,
    /// Per layer: forward, backward.
    lstm: Vec<[LstmDirection; 2]>,
    arc_head: Dense,
    arc_dep: Dense,
    label_head: Dense,
    label_dep: Dense,
    /// W_arc transposed: arc × (arc + 1), the dependent side carries the bias.
    w_arc_t: Matrix,
    /// All labels' (label + 1) × (label + 1) matrices, stacked.
    w_label: QMatrix,
    /// Zero biases, as long as the longest row count needs.
    zeros: Vec<f32>,
}

/// Reusable buffers for [`Biaffine::parse`].
#[derive(Default)]
pub struct BiaffineScratch {
    x: Vec<f32>,
    gates: Vec<f32>,
    layer_out: Vec<f32>,
    h: Vec<f32>,
    c: Vec<f32>,
    rec: Vec<f32>,
    arc_h: Vec<f32>,
    arc_d: Vec<f32>,
    lab_h: Vec<f32>,
    lab_d: Vec<f32>,
    arc_t: Vec<f32>,
    offsets: Vec<usize>,
    order: Vec<usize>,
    lens: Vec<usize>,
    starts: Vec<usize>,
    ones: Vec<f32>,
    head_u: Vec<f32>,
    head_done: Vec<bool>,
    scores: Vec<f32>,
    eisner: Eisner,
    lower: String,
}

fn corrupt(file: &str, detail: impl Into<String>) -> ModelError {
    ModelError::Corrupt {
        file: file.to_string(),
        detail: detail.into(),
        rebuild: model_io::rebuild_command(BIAFFINE_KIND),
    }
}

/// Reads named tensors out of the safetensors payload, checking shapes.
struct Reader<'a> {
    file: &'a str,
    st: SafeTensors<'a>,
}

impl Reader<'_> {
    fn f32s(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), ModelError> {
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

    fn vector(&self, name: &str, len: usize) -> Result<Vec<f32>, ModelError> {
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
    fn quantised_raw(&self, name: &str, shape: &[Option<usize>]) -> Result<QMatrix, ModelError> {
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
    fn quantised(&self, name: &str, shape: &[Option<usize>]) -> Result<Matrix, ModelError> {
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

    fn dense(&self, name: &str, out: usize, inp: usize) -> Result<Dense, ModelError> {
        Ok(Dense {
            w: self.quantised_raw(&format!("{name}.weight"), &[Some(out), Some(inp)])?,
            b: self.vector(&format!("{name}.bias"), out)?,
        })
    }
}

fn vocabulary(
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

fn meta_usize(file: &str, meta: &HashMap<String, String>, key: &str) -> Result<usize, ModelError> {
    meta.get(key)
        .and_then(|v| v.parse().ok())
        .filter(|&v: &usize| v > 0 && v < 100_000)
        .ok_or_else(|| corrupt(file, format!("metadata {key:?} is missing or not a size")))
}

impl Biaffine {
    /// Decode a sealed model file; `file` names it in errors.
    pub fn decode(file: &str, bytes: &[u8]) -> Result<Biaffine, ModelError> {
        let payload = model_io::unseal(file, BIAFFINE_KIND, bytes)?;
        let (_, header) = SafeTensors::read_metadata(payload)
            .map_err(|e| corrupt(file, format!("weights: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        if meta.get("format").map(String::as_str) != Some("dyad-biaffine-1") {
            return Err(corrupt(file, "not a dyad-biaffine-1 weight set"));
        }
        let st = SafeTensors::deserialize(payload)
            .map_err(|e| corrupt(file, format!("weights: {e}")))?;
        let r = Reader { file, st };
        let layers = meta_usize(file, &meta, "layers")?;
        let hidden = meta_usize(file, &meta, "hidden")?;
        let (word_list, words) = vocabulary(file, &meta, "words", FIRST_WORD)?;
        let (glove_list, glove_words) = vocabulary(file, &meta, "glove_words", FIRST_WORD)?;
        let (tag_list, tags) = vocabulary(file, &meta, "tags", FIRST_TAG)?;
        let (labels, _) = vocabulary(file, &meta, "labels", 0)?;
        let word_emb = r.quantised(
            "wemb.weight",
            &[Some(word_list.len() + FIRST_WORD as usize), None],
        )?;
        let glove_emb = r.quantised(
            "gemb.weight",
            &[Some(glove_list.len() + FIRST_WORD as usize), None],
        )?;
        let tag_emb = r.quantised(
            "temb.weight",
            &[Some(tag_list.len() + FIRST_TAG as usize), None],
        )?;
        let mut input = word_emb.cols + glove_emb.cols + tag_emb.cols;
        let mut lstm = Vec::with_capacity(layers);
        for l in 0..layers {
            let dir = |sfx: &str| -> Result<LstmDirection, ModelError> {
                Ok(LstmDirection {
                    w_ih: r.quantised_raw(
                        &format!("lstm.weight_ih_l{l}{sfx}"),
                        &[Some(4 * hidden), Some(input)],
                    )?,
                    w_hh: r.quantised_raw(
                        &format!("lstm.weight_hh_l{l}{sfx}"),
                        &[Some(4 * hidden), Some(hidden)],
                    )?,
                    bias: r.vector(&format!("lstm.bias_l{l}{sfx}"), 4 * hidden)?,
                })
            };
            lstm.push([dir("")?, dir("_reverse")?]);
            input = 2 * hidden;
        }
        let w_arc = r.quantised("W_arc", &[None, None])?;
        let arc = w_arc.cols;
        if w_arc.rows != arc + 1 {
            return Err(corrupt(file, "W_arc is not (arc + 1) × arc"));
        }
        let w_lab = r.quantised_raw("W_lab", &[Some(labels.len()), None, None])?;
        let lab = w_lab.cols - 1;
        if w_lab.rows != labels.len() * (lab + 1) {
            return Err(corrupt(file, "W_lab is not labels × (l + 1) × (l + 1)"));
        }
        let mut w_arc_t = Matrix {
            rows: arc,
            cols: arc + 1,
            data: vec![0.0; arc * (arc + 1)],
        };
        for r in 0..=arc {
            for c in 0..arc {
                w_arc_t.data[c * (arc + 1) + r] = w_arc.data[r * arc + c];
            }
        }
        Ok(Biaffine {
            words,
            glove_words,
            tags,
            labels,
            hidden,
            word_emb,
            glove_emb,
            tag_emb,
            lstm,
            arc_head: r.dense("arc_h", arc, 2 * hidden)?,
            arc_dep: r.dense("arc_d", arc, 2 * hidden)?,
            label_head: r.dense("lab_h", lab, 2 * hidden)?,
            label_dep: r.dense("lab_d", lab, 2 * hidden)?,
            w_arc_t,
            w_label: w_lab,
            zeros: vec![0.0; arc.max(MAX_WORDS + 1).max(4 * hidden)],
        })
    }

    fn input_width(&self) -> usize {
        self.word_emb.cols + self.glove_emb.cols + self.tag_emb.cols
    }

    /// Heads (0 = root, else 1-based) and label indices for a sentence of at
    /// most [`MAX_WORDS`] words with their XPOS tags.
    pub fn parse(
        &self,
        forms: &[&str],
        xpos: &[&str],
        sc: &mut BiaffineScratch,
        out: &mut Vec<(u32, u16)>,
    ) {
        let mut outs = [std::mem::take(out)];
        self.parse_batch(&[(forms, xpos)], sc, &mut outs);
        *out = std::mem::take(&mut outs[0]);
    }

    /// [`Biaffine::parse`] for several sentences at once, `out[i]` for
    /// `batch[i]`. The results are the same; the batch is faster because each
    /// LSTM weight row is read once per step for all sentences instead of once
    /// per sentence.
    pub fn parse_batch(
        &self,
        batch: &[(&[&str], &[&str])],
        sc: &mut BiaffineScratch,
        out: &mut [Vec<(u32, u16)>],
    ) {
        debug_assert_eq!(batch.len(), out.len());
        // Sentence b's rows (root + words) start at row offsets[b].
        sc.offsets.clear();
        let mut total = 0;
        sc.x.clear();
        for &(forms, xpos) in batch {
            debug_assert!(forms.len() <= MAX_WORDS && xpos.len() == forms.len());
            sc.offsets.push(total);
            total += forms.len() + 1;
            self.embed(forms, xpos, &mut sc.x, &mut sc.lower);
        }
        // The recurrence runs longest sentence first, so that the sentences
        // still running at any step are a prefix of this order.
        sc.order.clear();
        sc.order.extend(0..batch.len());
        sc.order
            .sort_by_key(|&b| std::cmp::Reverse(batch[b].0.len()));
        sc.lens.clear();
        sc.lens
            .extend(sc.order.iter().map(|&b| batch[b].0.len() + 1));
        sc.starts.clear();
        sc.starts.extend(sc.order.iter().map(|&b| sc.offsets[b]));
        let h = self.hidden;
        let mut width = self.input_width();
        for layer in &self.lstm {
            let x = std::mem::take(&mut sc.x);
            sc.layer_out.clear();
            sc.layer_out.resize(total * 2 * h, 0.0);
            for (d, dir) in layer.iter().enumerate() {
                self.run_direction(dir, &x, width, total, d == 1, sc, d * h);
            }
            // This layer's output is the next one's input; x's buffer is reused.
            sc.x = std::mem::replace(&mut sc.layer_out, x);
            width = 2 * h;
        }
        let enc = &sc.x;
        mlp(&self.arc_head, enc, total, &mut sc.arc_h);
        mlp(&self.arc_dep, enc, total, &mut sc.arc_d);
        mlp(&self.label_head, enc, total, &mut sc.lab_h);
        mlp(&self.label_dep, enc, total, &mut sc.lab_d);
        for (b, o) in out.iter_mut().enumerate() {
            let (start, n) = (sc.offsets[b], batch[b].0.len() + 1);
            self.decode_sentence(start, n, sc, o);
        }
    }

    /// Arc scores, the best tree and its labels for the sentence at rows
    /// `start..start + n` of the MLP outputs.
    fn decode_sentence(
        &self,
        start: usize,
        n: usize,
        sc: &mut BiaffineScratch,
        out: &mut Vec<(u32, u16)>,
    ) {
        out.clear();
        // t_d = [arc_dep_d, 1] · W_arc; score(d ← h) = t_d · arc_head_h.
        let a = self.w_arc_t.rows;
        sc.ones.clear();
        for d in start..start + n {
            sc.ones.extend_from_slice(&sc.arc_d[d * a..(d + 1) * a]);
            sc.ones.push(1.0);
        }
        sc.arc_t.clear();
        sc.arc_t.resize(n * a, 0.0);
        gemm_bt(
            &sc.ones,
            n,
            a + 1,
            &self.w_arc_t.data,
            a,
            &self.zeros[..a],
            &mut sc.arc_t,
        );
        sc.scores.clear();
        sc.scores.resize(n * n, 0.0);
        gemm_bt(
            &sc.arc_t,
            n,
            a,
            &sc.arc_h[start * a..(start + n) * a],
            n,
            &self.zeros[..n],
            &mut sc.scores,
        );
        let heads = sc.eisner.decode(&sc.scores, n);
        // Labels for the chosen arcs: u = W_lab · [head, 1] for all labels at
        // once (once per head word), then score_l = [dep, 1] · u_l.
        let l = self.w_label.cols;
        let n_labels = self.labels.len();
        let width = n_labels * l;
        sc.head_u.clear();
        sc.head_u.resize(n * width, 0.0);
        sc.head_done.clear();
        sc.head_done.resize(n, false);
        for (i, &head) in heads.iter().enumerate() {
            let (d, h) = (start + i + 1, head as usize);
            if !sc.head_done[h] {
                let hr = start + h;
                sc.ones.clear();
                sc.ones
                    .extend_from_slice(&sc.lab_h[hr * (l - 1)..(hr + 1) * (l - 1)]);
                sc.ones.push(1.0);
                matvec_q(
                    &self.w_label,
                    &sc.ones,
                    &mut sc.head_u[h * width..(h + 1) * width],
                );
                sc.head_done[h] = true;
            }
            let dep = &sc.lab_d[d * (l - 1)..(d + 1) * (l - 1)];
            let mut best = (f32::NEG_INFINITY, 0u16);
            for li in 0..n_labels {
                let u = &sc.head_u[h * width + li * l..h * width + (li + 1) * l];
                let s = dot(dep, &u[..l - 1]) + u[l - 1];
                if s > best.0 {
                    best = (s, li as u16);
                }
            }
            out.push((head, best.1));
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
        sc: &mut BiaffineScratch,
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

    fn embed(&self, forms: &[&str], xpos: &[&str], x: &mut Vec<f32>, lower: &mut String) {
        self.push_input(ROOT, ROOT, TAG_ROOT, x);
        for (f, tag) in forms.iter().zip(xpos) {
            lower.clear();
            lower.extend(f.chars().flat_map(char::to_lowercase));
            let w = self.words.get(lower.as_str()).copied().unwrap_or(UNK);
            let g = self.glove_words.get(lower.as_str()).copied().unwrap_or(UNK);
            let t = self.tags.get(*tag).copied().unwrap_or(TAG_UNKNOWN);
            self.push_input(w, g, t, x);
        }
    }

    fn push_input(&self, w: u32, g: u32, t: u32, x: &mut Vec<f32>) {
        x.extend_from_slice(self.word_emb.row(w as usize));
        x.extend_from_slice(self.glove_emb.row(g as usize));
        x.extend_from_slice(self.tag_emb.row(t as usize));
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + fast_exp(-x))
}

fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

/// e^x to about 1e-6 relative error, without a libm call (libm's exp and tanh
/// took a fifth of the parser's time): e^x = 2^i · 2^f with i the nearest
/// integer to x·log2(e), f in [-0.5, 0.5], and 2^f from its Taylor series.
#[inline]
fn fast_exp(x: f32) -> f32 {
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
fn mlp(layer: &Dense, x: &[f32], n: usize, out: &mut Vec<f32>) {
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
fn gemm_bt(x: &[f32], n: usize, k: usize, w: &[f32], m: usize, bias: &[f32], out: &mut [f32]) {
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
fn gemm_q(x: &[f32], n: usize, k: usize, w: &QMatrix, bias: &[f32], out: &mut [f32]) {
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
fn matvec_q(w: &QMatrix, x: &[f32], out: &mut [f32]) {
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

fn dot(a: &[f32], b: &[f32]) -> f32 {
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

/// Eisner's projective decoder with exactly one word attached to the root.
#[derive(Default)]
struct Eisner {
    /// Complete spans, [s][t][dir]: dir 0 = head at t, 1 = head at s.
    complete: Vec<f32>,
    incomplete: Vec<f32>,
    complete_split: Vec<u32>,
    incomplete_split: Vec<u32>,
    heads: Vec<u32>,
}

impl Eisner {
    /// `scores[d * n + h]`: score of h heading d, over nodes 0 (root) ..n.
    /// Returns the head of each word 1..n.
    fn decode(&mut self, scores: &[f32], n: usize) -> &[u32] {
        // Spans over the words only (indices 0..m are words 1..n); the root
        // then takes the best single child.
        let m = n - 1;
        self.heads.clear();
        if m == 0 {
            return &self.heads;
        }
        let idx = |s: usize, t: usize, d: usize| (s * m + t) * 2 + d;
        for v in [&mut self.complete, &mut self.incomplete] {
            v.clear();
            v.resize(m * m * 2, f32::NEG_INFINITY);
        }
        for v in [&mut self.complete_split, &mut self.incomplete_split] {
            v.clear();
            v.resize(m * m * 2, 0);
        }
        for s in 0..m {
            self.complete[idx(s, s, 0)] = 0.0;
            self.complete[idx(s, s, 1)] = 0.0;
        }
        let arc = |h: usize, d: usize| scores[(d + 1) * n + h + 1];
        for len in 1..m {
            for s in 0..m - len {
                let t = s + len;
                let mut best = (f32::NEG_INFINITY, s);
                for r in s..t {
                    let v = self.complete[idx(s, r, 1)] + self.complete[idx(r + 1, t, 0)];
                    if v > best.0 {
                        best = (v, r);
                    }
                }
                self.incomplete[idx(s, t, 0)] = best.0 + arc(t, s);
                self.incomplete[idx(s, t, 1)] = best.0 + arc(s, t);
                self.incomplete_split[idx(s, t, 0)] = best.1 as u32;
                self.incomplete_split[idx(s, t, 1)] = best.1 as u32;
                let mut left = (f32::NEG_INFINITY, s);
                for r in s..t {
                    let v = self.complete[idx(s, r, 0)] + self.incomplete[idx(r, t, 0)];
                    if v > left.0 {
                        left = (v, r);
                    }
                }
                self.complete[idx(s, t, 0)] = left.0;
                self.complete_split[idx(s, t, 0)] = left.1 as u32;
                let mut right = (f32::NEG_INFINITY, t);
                for r in s + 1..=t {
                    let v = self.incomplete[idx(s, r, 1)] + self.complete[idx(r, t, 1)];
                    if v > right.0 {
                        right = (v, r);
                    }
                }
                self.complete[idx(s, t, 1)] = right.0;
                self.complete_split[idx(s, t, 1)] = right.1 as u32;
            }
        }
        let mut root = (f32::NEG_INFINITY, 0);
        for r in 0..m {
            let v =
                scores[(r + 1) * n] + self.complete[idx(0, r, 0)] + self.complete[idx(r, m - 1, 1)];
            if v > root.0 {
                root = (v, r);
            }
        }
        self.heads.resize(m, 0);
        let r = root.1;
        self.heads[r] = 0;
        let mut stack = vec![(0, r, 0, false), (r, m - 1, 1, false)];
        while let Some((s, t, d, incomplete)) = stack.pop() {
            if s == t {
                continue;
            }
            if incomplete {
                let k = self.incomplete_split[idx(s, t, d)] as usize;
                // Word indices are 0-based here; heads are 1-based node ids.
                if d == 0 {
                    self.heads[s] = t as u32 + 1;
                } else {
                    self.heads[t] = s as u32 + 1;
                }
                stack.push((s, k, 1, false));
                stack.push((k + 1, t, 0, false));
            } else if d == 0 {
                let k = self.complete_split[idx(s, t, 0)] as usize;
                stack.push((s, k, 0, false));
                stack.push((k, t, 0, true));
            } else {
                let k = self.complete_split[idx(s, t, 1)] as usize;
                stack.push((s, k, 1, true));
                stack.push((k, t, 1, false));
            }
        }
        &self.heads
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every word gets one head, exactly one word hangs from the root, and
    /// the arcs form a tree without crossing arcs.
    fn is_projective_tree(heads: &[u32]) -> bool {
        let n = heads.len();
        if heads.iter().filter(|&&h| h == 0).count() != 1 {
            return false;
        }
        // Every word reaches the root within n steps: no cycles.
        let rooted = (1..=n).all(|d| {
            let mut x = d;
            for _ in 0..=n {
                if x == 0 {
                    break;
                }
                x = heads[x - 1] as usize;
            }
            x == 0
        });
        let span = |d: usize| {
            let h = heads[d - 1] as usize;
            (d.min(h), d.max(h))
        };
        let crossing = (1..=n).any(|a| {
            (1..=n).any(|b| {
                let ((a0, a1), (b0, b1)) = (span(a), span(b));
                a0 < b0 && b0 < a1 && a1 < b1
            })
        });
        rooted && !crossing
    }

    fn check_tree(heads: &[u32]) {
        assert!(
            is_projective_tree(heads),
            "not a projective tree: {heads:?}"
        );
    }

    /// Deterministic pseudo-random numbers in [-1, 1).
    fn noise(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    pub(crate) const TINY_LABELS: [&str; 6] = ["case", "nsubj", "obj", "obl", "punct", "root"];

    /// A sealed model of the real layout with tiny random weights, written the
    /// way scripts/train-biaffine.py writes one.
    pub(crate) fn tiny_model_bytes(skip: Option<&str>) -> Vec<u8> {
        use safetensors::tensor::TensorView;
        let (hidden, wdim, gdim, tdim, arc, lab) = (4usize, 3, 2, 2, 3, 2);
        let words = ["envoy", "met", "rebels"];
        let glove = ["cairo", "envoy", "in"];
        let tags = [".", "IN", "NN", "NNP", "NNS", "VBD"];
        let mut seed = 11u64;
        let mut shapes: Vec<(String, Vec<usize>)> = vec![
            ("wemb.weight".into(), vec![words.len() + 3, wdim]),
            ("gemb.weight".into(), vec![glove.len() + 3, gdim]),
            ("temb.weight".into(), vec![tags.len() + 2, tdim]),
            (
                "lstm.weight_ih_l0".into(),
                vec![4 * hidden, wdim + gdim + tdim],
            ),
            ("lstm.weight_hh_l0".into(), vec![4 * hidden, hidden]),
            (
                "lstm.weight_ih_l0_reverse".into(),
                vec![4 * hidden, wdim + gdim + tdim],
            ),
            ("lstm.weight_hh_l0_reverse".into(), vec![4 * hidden, hidden]),
            ("lstm.bias_l0".into(), vec![4 * hidden]),
            ("lstm.bias_l0_reverse".into(), vec![4 * hidden]),
            ("W_arc".into(), vec![arc + 1, arc]),
            ("W_lab".into(), vec![TINY_LABELS.len(), lab + 1, lab + 1]),
        ];
        for (name, out) in [
            ("arc_h", arc),
            ("arc_d", arc),
            ("lab_h", lab),
            ("lab_d", lab),
        ] {
            shapes.push((format!("{name}.weight"), vec![out, 2 * hidden]));
            shapes.push((format!("{name}.bias"), vec![out]));
        }
        shapes.retain(|(n, _)| Some(n.as_str()) != skip);
        let mut blobs: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
        for (name, shape) in shapes {
            let len: usize = shape.iter().product();
            if shape.len() == 1 {
                let v: Vec<u8> = (0..len)
                    .flat_map(|_| noise(&mut seed).to_le_bytes())
                    .collect();
                blobs.push((name, Dtype::F32, shape, v));
            } else {
                let rows = len / shape[shape.len() - 1];
                let q: Vec<u8> = (0..len)
                    .map(|_| (noise(&mut seed) * 127.0) as i8 as u8)
                    .collect();
                let scale: Vec<u8> = (0..rows).flat_map(|_| 0.02f32.to_le_bytes()).collect();
                blobs.push((format!("{name}.scale"), Dtype::F32, vec![rows], scale));
                blobs.push((name, Dtype::I8, shape, q));
            }
        }
        let views: Vec<(String, TensorView)> = blobs
            .iter()
            .map(|(n, d, s, b)| {
                let v = TensorView::new(*d, s.clone(), b).expect("consistent tensor");
                (n.clone(), v)
            })
            .collect();
        let meta: HashMap<String, String> = [
            ("format", "dyad-biaffine-1".to_string()),
            ("layers", "1".into()),
            ("hidden", hidden.to_string()),
            ("words", words.join("\n")),
            ("glove_words", glove.join("\n")),
            ("tags", tags.join("\n")),
            ("labels", TINY_LABELS.join("\n")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let payload = safetensors::serialize(views, Some(meta)).expect("serialises");
        model_io::seal(BIAFFINE_KIND, &payload)
    }

    #[test]
    fn a_model_file_decodes_and_parses_into_a_tree() {
        let b = Biaffine::decode("tiny.bin", &tiny_model_bytes(None)).expect("decodes");
        assert_eq!(b.labels, TINY_LABELS);
        let forms = ["The", "envoy", "met", "rebels", "in", "Cairo", "."];
        let tags = ["DT", "NN", "VBD", "NNS", "IN", "NNP", "."];
        let mut sc = BiaffineScratch::default();
        let mut out = Vec::new();
        b.parse(&forms, &tags, &mut sc, &mut out);
        assert_eq!(out.len(), forms.len());
        let heads: Vec<u32> = out.iter().map(|&(h, _)| h).collect();
        check_tree(&heads);
        assert!(out.iter().all(|&(_, l)| (l as usize) < TINY_LABELS.len()));
        // The scratch is reused: the same sentence gives the same parse.
        let mut again = Vec::new();
        b.parse(&forms, &tags, &mut sc, &mut again);
        assert_eq!(out, again);
        // One word: it hangs from the root.
        b.parse(&["Yes"], &["UH"], &mut sc, &mut again);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].0, 0);
    }

    #[test]
    fn a_batch_parses_like_its_sentences_one_by_one() {
        let b = Biaffine::decode("tiny.bin", &tiny_model_bytes(None)).expect("decodes");
        let sents: [(&[&str], &[&str]); 4] = [
            (
                &["The", "envoy", "met", "rebels", "in", "Cairo", "."],
                &["DT", "NN", "VBD", "NNS", "IN", "NNP", "."],
            ),
            (&["Yes"], &["UH"]),
            (
                &["Rebels", "met", "envoys", "."],
                &["NNS", "VBD", "NNS", "."],
            ),
            (&["Cairo", "."], &["NNP", "."]),
        ];
        let mut sc = BiaffineScratch::default();
        let mut outs = vec![Vec::new(); sents.len()];
        b.parse_batch(&sents, &mut sc, &mut outs);
        for (i, (forms, tags)) in sents.iter().enumerate() {
            let mut one = Vec::new();
            b.parse(forms, tags, &mut BiaffineScratch::default(), &mut one);
            assert_eq!(outs[i], one, "sentence {i}");
        }
    }

    #[test]
    fn broken_model_files_are_named_with_the_rebuild_command() {
        let mut bytes = tiny_model_bytes(None);
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        let e = Biaffine::decode("models/biaffine.bin", &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("models/biaffine.bin") && e.contains("checksum"),
            "{e}"
        );
        assert!(e.contains("scripts/train-biaffine.py"), "{e}");
        let e = Biaffine::decode("b.bin", &tiny_model_bytes(Some("lstm.weight_hh_l0")))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.bin") && e.contains("lstm.weight_hh_l0"),
            "{e}"
        );
        let parser = model_io::seal("parser", b"weights");
        let e = Biaffine::decode("p.bin", &parser).unwrap_err().to_string();
        assert!(e.contains("expected biaffine"), "{e}");
    }

    /// Exhaustive search over all heads assignments of a short sentence.
    fn brute_force_best(scores: &[f32], n: usize) -> f32 {
        let m = n - 1;
        let mut heads = vec![0u32; m];
        let mut best = f32::NEG_INFINITY;
        loop {
            if is_projective_tree(&heads) {
                let s: f32 = heads
                    .iter()
                    .enumerate()
                    .map(|(d, &h)| scores[(d + 1) * n + h as usize])
                    .sum();
                best = best.max(s);
            }
            let mut i = 0;
            while i < m {
                heads[i] += 1;
                if heads[i] as usize <= m {
                    break;
                }
                heads[i] = 0;
                i += 1;
            }
            if i == m {
                return best;
            }
        }
    }

    #[test]
    fn eisner_matches_exhaustive_search() {
        let mut seed = 3u64;
        let mut e = Eisner::default();
        for n in 2..=6 {
            for _ in 0..20 {
                let scores: Vec<f32> = (0..n * n).map(|_| noise(&mut seed) * 5.0).collect();
                let heads = e.decode(&scores, n).to_vec();
                let got: f32 = heads
                    .iter()
                    .enumerate()
                    .map(|(d, &h)| scores[(d + 1) * n + h as usize])
                    .sum();
                let want = brute_force_best(&scores, n);
                assert!((got - want).abs() < 1e-4, "n={n}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn eisner_finds_the_best_projective_tree() {
        // "envoys met rebels in Cairo": met heads envoys, rebels and Cairo; in
        // attaches to Cairo; the root takes met.
        let gold = [2u32, 0, 2, 5, 2];
        let n = gold.len() + 1;
        let mut scores = vec![0.0f32; n * n];
        for (d, &h) in gold.iter().enumerate() {
            scores[(d + 1) * n + h as usize] = 5.0;
        }
        // A tempting second root, weaker than the tree as a whole.
        scores[3 * n] = 4.0;
        let mut e = Eisner::default();
        assert_eq!(e.decode(&scores, n), gold);
    }

    #[test]
    fn eisner_always_returns_one_rooted_projective_tree() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 40) as f32 / (1u64 << 24) as f32
        };
        let mut e = Eisner::default();
        for n in 2..40 {
            let scores: Vec<f32> = (0..n * n).map(|_| next() * 10.0 - 5.0).collect();
            let heads = e.decode(&scores, n).to_vec();
            assert_eq!(heads.len(), n - 1);
            check_tree(&heads);
        }
    }

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
