//! The compiled gazetteer: a LZ4-compressed binary image of GeoNames records, countries,
//! first-level divisions and a sorted name index, built by
//! `scripts/build-gazetteer.sh` and embedded in the binary.
//!
//! Layout (little endian, after decompressing): magic, counts, string blob, countries,
//! records, admin1 table, sorted keys with posting ranges, postings, demonyms.
//! Loading copies the fixed-size tables into vectors and builds an
//! open-addressing index over the sorted keys (about 15 ms): a lookup then
//! touches three cache lines rather than the twenty of a binary search.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use crate::normalize::{initialism_key, is_latin_key, normalize};
use crate::GeoError;

const MAGIC: &[u8; 8] = b"DYADGAZ1";
const FORMAT_VERSION: u32 = 1;
/// Refuse to decompress beyond this: a corrupt length must not exhaust memory.
const MAX_INFLATED: usize = 512 << 20;
pub(crate) const NONE_U32: u32 = u32::MAX;
pub(crate) const NONE_U16: u16 = u16::MAX;

/// The command that rebuilds the gazetteer, named in every load error.
pub const REBUILD_COMMAND: &str = "scripts/build-gazetteer.sh";

/// Feature codes the gazetteer distinguishes (GeoNames feature codes).
pub(crate) const FCODES: &[&str] = &["PPL", "PPLC", "ADM1", "ADM2", "PCLI", "CONT", "OTHER"];
pub(crate) const FC_PPL: u8 = 0;
pub(crate) const FC_PPLC: u8 = 1;
pub(crate) const FC_ADM1: u8 = 2;
pub(crate) const FC_ADM2: u8 = 3;
pub(crate) const FC_PCLI: u8 = 4;
pub(crate) const FC_CONT: u8 = 5;
pub(crate) const FC_OTHER: u8 = 6;

fn fcode_index(code: &str) -> u8 {
    FCODES
        .iter()
        .position(|c| *c == code)
        .map(|i| i as u8)
        .unwrap_or(FC_OTHER)
}

fn fclass_of(fcode: u8) -> &'static str {
    match fcode {
        FC_PPL | FC_PPLC => "P",
        FC_CONT => "L",
        _ => "A",
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Str {
    off: u32,
    pub(crate) len: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub geonameid: u32,
    pub name: Str,
    pub admin2: Str,
    pub lat: f32,
    pub lon: f32,
    pub population: u32,
    /// Index into the admin1 table, or `NONE_U32`.
    pub admin1: u32,
    /// Index into the country table, or `NONE_U16`.
    pub country: u16,
    pub fcode: u8,
}

#[derive(Debug, Clone)]
pub(crate) struct CountryRec {
    pub iso2: String,
    pub iso3: String,
    pub fips: String,
    pub name: String,
    pub geonameid: u32,
    /// The country's own record (PCLI), or `NONE_U32`.
    pub record: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Admin1Rec {
    pub country: u16,
    pub code: Str,
    pub record: u32,
}

/// One gazetteer entry a name may refer to. `record` indexes the gazetteer's
/// records; `alternate` is true when the name matched an alternate name rather
/// than the entry's main name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub record: u32,
    pub alternate: bool,
}

/// A resolved place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// GeoNames id; 0 for a US post-office town that GeoNames' cities500 lacks.
    pub geonameid: u32,
    pub name: String,
    pub feature_class: String,
    pub feature_code: String,
    pub country_iso2: String,
    pub country_iso3: String,
    /// FIPS 10-4 country code (used by GDELT's Geo fields).
    pub country_fips: String,
    pub admin1_code: String,
    pub admin1_name: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
}

/// A stored (f32) coordinate as f64 rounded to GeoNames' five decimals (about a metre), so
/// that output shows 39.9075, not the binary widening's 39.907501220703125.
fn degrees(x: f32) -> f64 {
    (x as f64 * 1e5).round() / 1e5
}

/// Country codes as GeoNames gives them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCodes {
    pub iso2: String,
    pub iso3: String,
    pub fips: String,
    pub name: String,
    pub geonameid: u32,
}

/// The offline GeoNames gazetteer.
pub struct Gazetteer {
    strings: String,
    countries: Vec<CountryRec>,
    records: Vec<Record>,
    admin1: Vec<Admin1Rec>,
    /// (key string, first posting); a key's postings end where the next key's begin.
    keys: Vec<(Str, u32)>,
    /// Open-addressing hash index over `keys` (key indices, `NONE_U32` for an
    /// empty slot; a power of two at least twice the keys): a lookup touches
    /// a slot, a key and its bytes instead of the twenty or so cache lines of
    /// a binary search over half a million keys.
    key_table: Vec<u32>,
    postings: Vec<Candidate>,
    demonyms: Vec<(Str, u16)>,
    country_by_iso: HashMap<String, u16>,
    admin1_by_code: HashMap<(u16, String), u32>,
    source: String,
    /// Keys that two or more divisions' names extend with a compass word
    /// ("darfur" of "north darfur", "south darfur"), built on first use.
    compass_stems: OnceLock<HashSet<String>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("source", &self.source)
            .field("records", &self.records.len())
            .field("keys", &self.keys.len())
            .finish()
    }
}

static EMBEDDED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/gazetteer.bin"
));

impl Gazetteer {
    /// The gazetteer embedded in the binary, or the file named by the
    /// `DYAD_GAZETTEER` environment variable when set.
    pub fn load_default() -> Result<Gazetteer, GeoError> {
        if let Some(path) = std::env::var_os("DYAD_GAZETTEER") {
            return Self::load_path(Path::new(&path));
        }
        Self::from_bytes(EMBEDDED, "embedded models/gazetteer.bin")
    }

    /// One process-wide copy of [`Gazetteer::load_default`], loaded on first use.
    pub fn shared() -> Result<&'static Gazetteer, GeoError> {
        static SHARED: std::sync::OnceLock<Result<Gazetteer, String>> = std::sync::OnceLock::new();
        match SHARED.get_or_init(|| Self::load_default().map_err(|e| e.to_string())) {
            Ok(g) => Ok(g),
            Err(msg) => Err(GeoError::Shared(msg.clone())),
        }
    }

    /// Load a compiled gazetteer file.
    pub fn load_path(path: &Path) -> Result<Gazetteer, GeoError> {
        let bytes = std::fs::read(path).map_err(|source| GeoError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Parse a compiled gazetteer image; `name` is used in error messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Gazetteer, GeoError> {
        let corrupt = |what: &str| GeoError::Corrupt {
            path: name.to_string(),
            what: what.to_string(),
        };
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(corrupt("not a dyad gazetteer (bad magic)"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(corrupt(&format!(
                "format version {version}, expected {FORMAT_VERSION}"
            )));
        }
        let inflated_len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes")) as usize;
        if inflated_len > MAX_INFLATED {
            return Err(corrupt("declared size too large"));
        }
        let body = lz4_flex::block::decompress(&bytes[20..], inflated_len)
            .map_err(|e| corrupt(&format!("cannot decompress: {e}")))?;
        if body.len() != inflated_len {
            return Err(corrupt("inflated size differs from header"));
        }
        Self::parse(&body)
            .map_err(|what| corrupt(&what))
            .map(|mut g| {
                g.source = name.to_string();
                g
            })
    }

    fn parse(body: &[u8]) -> Result<Gazetteer, String> {
        let mut r = Reader { buf: body, pos: 0 };
        let n_strings = r.u32()? as usize;
        let strings = std::str::from_utf8(r.bytes(n_strings)?)
            .map_err(|e| format!("string table is not UTF-8: {e}"))?
            .to_string();
        let n_countries = r.u32()? as usize;
        let mut countries = Vec::with_capacity(n_countries.min(1 << 12));
        for _ in 0..n_countries {
            let iso2 = r.small_str()?;
            let iso3 = r.small_str()?;
            let fips = r.small_str()?;
            let name = r.small_str()?;
            let geonameid = r.u32()?;
            let record = r.u32()?;
            countries.push(CountryRec {
                iso2,
                iso3,
                fips,
                name,
                geonameid,
                record,
            });
        }
        let n_records = r.u32()? as usize;
        let records: Vec<Record> = r
            .table(n_records, RECORD_SIZE)?
            .chunks_exact(RECORD_SIZE)
            .map(|c| Record {
                geonameid: le32(c, 0),
                name: Str {
                    off: le32(c, 4),
                    len: le32(c, 8),
                },
                admin2: Str {
                    off: le32(c, 12),
                    len: le32(c, 16),
                },
                lat: f32::from_bits(le32(c, 20)),
                lon: f32::from_bits(le32(c, 24)),
                population: le32(c, 28),
                admin1: le32(c, 32),
                country: u16::from_le_bytes([c[36], c[37]]),
                fcode: c[38],
            })
            .collect();
        let n_admin1 = r.u32()? as usize;
        let mut admin1 = Vec::with_capacity(n_admin1.min(1 << 16));
        for _ in 0..n_admin1 {
            admin1.push(Admin1Rec {
                country: r.u16()?,
                code: r.str_ref()?,
                record: r.u32()?,
            });
        }
        let n_keys = r.u32()? as usize;
        let keys: Vec<(Str, u32)> = r
            .table(n_keys, 12)?
            .chunks_exact(12)
            .map(|c| {
                (
                    Str {
                        off: le32(c, 0),
                        len: le32(c, 4),
                    },
                    le32(c, 8),
                )
            })
            .collect();
        let n_postings = r.u32()? as usize;
        let postings: Vec<Candidate> = r
            .table(n_postings, 4)?
            .chunks_exact(4)
            .map(|c| {
                let v = le32(c, 0);
                Candidate {
                    record: v & 0x7fff_ffff,
                    alternate: v & 0x8000_0000 != 0,
                }
            })
            .collect();
        let n_dem = r.u32()? as usize;
        let mut demonyms = Vec::with_capacity(n_dem.min(1 << 12));
        for _ in 0..n_dem {
            demonyms.push((r.str_ref()?, r.u16()?));
        }
        if r.pos != body.len() {
            return Err("trailing bytes after the last table".into());
        }
        let g = Gazetteer {
            strings,
            countries,
            records,
            admin1,
            keys,
            key_table: Vec::new(),
            postings,
            demonyms,
            country_by_iso: HashMap::new(),
            admin1_by_code: HashMap::new(),
            source: String::new(),
            compass_stems: OnceLock::new(),
        };
        g.validate()?;
        Ok(g.with_maps())
    }

    /// Check every cross-reference once, so later accessors can index freely.
    fn validate(&self) -> Result<(), String> {
        let slen = self.strings.len();
        let ok_str = |s: Str| {
            let end = s.off as usize + s.len as usize;
            end <= slen
                && self.strings.is_char_boundary(s.off as usize)
                && self.strings.is_char_boundary(end)
        };
        let nrec = self.records.len() as u32;
        let nc = self.countries.len() as u16;
        let na1 = self.admin1.len() as u32;
        for (i, rec) in self.records.iter().enumerate() {
            if !ok_str(rec.name) || !ok_str(rec.admin2) {
                return Err(format!("record {i} has a string out of range"));
            }
            if (rec.country != NONE_U16 && rec.country >= nc)
                || (rec.admin1 != NONE_U32 && rec.admin1 >= na1)
                || rec.fcode as usize >= FCODES.len()
            {
                return Err(format!("record {i} has a reference out of range"));
            }
        }
        for c in &self.countries {
            if c.record != NONE_U32 && c.record >= nrec {
                return Err(format!("country {} points past the records", c.iso2));
            }
        }
        for a in &self.admin1 {
            if a.country >= nc || a.record >= nrec || !ok_str(a.code) {
                return Err("admin1 entry out of range".into());
            }
        }
        let np = self.postings.len() as u32;
        let mut prev_start = 0;
        for (i, (k, start)) in self.keys.iter().enumerate() {
            if !ok_str(*k) || *start < prev_start || *start > np {
                return Err(format!("key {i} out of range"));
            }
            prev_start = *start;
        }
        for w in self.keys.windows(2) {
            if self.s(w[0].0) >= self.s(w[1].0) {
                return Err("keys are not sorted".into());
            }
        }
        if self.postings.iter().any(|p| p.record >= nrec) {
            return Err("posting points past the records".into());
        }
        if self.demonyms.iter().any(|(s, c)| !ok_str(*s) || *c >= nc) {
            return Err("demonym entry out of range".into());
        }
        Ok(())
    }

    fn with_maps(mut self) -> Self {
        let size = (self.keys.len() * 2).next_power_of_two().max(16);
        let mask = size - 1;
        let mut table = vec![NONE_U32; size];
        for (i, (k, _)) in self.keys.iter().enumerate() {
            let mut pos = key_hash(self.s(*k)) as usize & mask;
            while table[pos] != NONE_U32 {
                pos = (pos + 1) & mask;
            }
            table[pos] = i as u32;
        }
        self.key_table = table;
        self.country_by_iso = self
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso2.clone(), i as u16))
            .collect();
        self.admin1_by_code = self
            .admin1
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.country, self.s(a.code).to_string()), i as u32))
            .collect();
        self
    }

    pub(crate) fn s(&self, s: Str) -> &str {
        &self.strings[s.off as usize..(s.off + s.len) as usize]
    }

    /// Where the gazetteer came from (embedded image or file path).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of records (places) in the gazetteer.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Number of distinct normalised names.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Entries a name may refer to, most populous first. The name is normalised
    /// first (case, diacritics, punctuation).
    pub fn lookup(&self, name: &str) -> &[Candidate] {
        self.lookup_key(&normalize(name))
    }

    /// Compass words a division's name may start with ("North Darfur").
    pub(crate) const COMPASS: &'static [&'static str] = &[
        "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
    ];

    /// Whether two or more first- or second-level divisions are named `key`
    /// after different compass words ("darfur": North, South, West … Darfur).
    /// The set is built once, from the contiguous key ranges of each compass
    /// word, so the check costs one hash lookup.
    pub(crate) fn is_compass_stem(&self, key: &str) -> bool {
        self.compass_stems
            .get_or_init(|| {
                let mut dirs: HashMap<&str, usize> = HashMap::new();
                for dir in Self::COMPASS {
                    let prefix = format!("{dir} ");
                    let from = self
                        .keys
                        .partition_point(|(k, _)| self.s(*k) < prefix.as_str());
                    for (i, (k, _)) in self.keys.iter().enumerate().skip(from) {
                        let Some(stem) = self.s(*k).strip_prefix(prefix.as_str()) else {
                            break;
                        };
                        let end = self
                            .keys
                            .get(i + 1)
                            .map_or(self.postings.len(), |n| n.1 as usize);
                        let division = self.postings[self.keys[i].1 as usize..end]
                            .iter()
                            .any(|c| matches!(self.fcode(c.record), FC_ADM1 | FC_ADM2));
                        if division {
                            *dirs.entry(stem).or_default() += 1;
                        }
                    }
                }
                dirs.into_iter()
                    .filter(|(_, n)| *n >= 2)
                    .map(|(k, _)| k.to_string())
                    .collect()
            })
            .contains(key)
    }

    /// Like [`Gazetteer::lookup`] for an already normalised key.
    pub fn lookup_key(&self, key: &str) -> &[Candidate] {
        let mask = self.key_table.len().wrapping_sub(1);
        if self.key_table.is_empty() {
            return &[];
        }
        let mut pos = key_hash(key) as usize & mask;
        loop {
            let i = self.key_table[pos];
            if i == NONE_U32 {
                return &[];
            }
            let i = i as usize;
            if self.s(self.keys[i].0) == key {
                let start = self.keys[i].1 as usize;
                let end = self
                    .keys
                    .get(i + 1)
                    .map(|k| k.1 as usize)
                    .unwrap_or(self.postings.len());
                return &self.postings[start..end];
            }
            pos = (pos + 1) & mask;
        }
    }

    pub(crate) fn record(&self, i: u32) -> &Record {
        &self.records[i as usize]
    }

    pub(crate) fn country_rec(&self, i: u16) -> Option<&CountryRec> {
        self.countries.get(i as usize)
    }

    pub(crate) fn country_index(&self, iso2: &str) -> Option<u16> {
        self.country_by_iso.get(iso2).copied()
    }

    pub(crate) fn admin1_index(&self, country: u16, code: &str) -> Option<u32> {
        self.admin1_by_code
            .get(&(country, code.to_string()))
            .copied()
    }

    pub(crate) fn admin1_rec(&self, i: u32) -> Option<&Admin1Rec> {
        self.admin1.get(i as usize)
    }

    /// The feature code of a record ("PPL", "ADM1", …).
    pub fn feature_code(&self, c: Candidate) -> &'static str {
        FCODES[self.record(c.record).fcode as usize]
    }

    pub(crate) fn fcode(&self, i: u32) -> u8 {
        self.record(i).fcode
    }

    /// The full place for a candidate.
    pub fn place(&self, c: Candidate) -> Place {
        self.place_of(c.record)
    }

    pub(crate) fn place_of(&self, i: u32) -> Place {
        let r = self.record(i);
        let country = self.country_rec(r.country);
        let (a1_code, a1_name) = match self.admin1_rec(r.admin1) {
            Some(a) => (
                self.s(a.code).to_string(),
                self.s(self.record(a.record).name).to_string(),
            ),
            None => (String::new(), String::new()),
        };
        Place {
            geonameid: r.geonameid,
            name: self.s(r.name).to_string(),
            feature_class: fclass_of(r.fcode).to_string(),
            feature_code: FCODES[r.fcode as usize].to_string(),
            country_iso2: country.map(|c| c.iso2.clone()).unwrap_or_default(),
            country_iso3: country.map(|c| c.iso3.clone()).unwrap_or_default(),
            country_fips: country.map(|c| c.fips.clone()).unwrap_or_default(),
            admin1_code: a1_code,
            admin1_name: a1_name,
            lat: degrees(r.lat),
            lon: degrees(r.lon),
            population: r.population as u64,
        }
    }

    /// The second-level division (county) a record lies in, when known.
    pub fn admin2_name(&self, c: Candidate) -> &str {
        self.s(self.record(c.record).admin2)
    }

    /// Codes of a country by ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<CountryCodes> {
        let c = self.country_rec(self.country_index(&iso2.to_ascii_uppercase())?)?;
        Some(CountryCodes {
            iso2: c.iso2.clone(),
            iso3: c.iso3.clone(),
            fips: c.fips.clone(),
            name: c.name.clone(),
            geonameid: c.geonameid,
        })
    }

    /// FIPS 10-4 code of a country given its ISO alpha-2 or alpha-3 code.
    pub fn iso_to_fips(&self, iso: &str) -> Option<&str> {
        let iso = iso.to_ascii_uppercase();
        let c = match iso.len() {
            2 => self.country_rec(self.country_index(&iso)?)?,
            3 => self.countries.iter().find(|c| c.iso3 == iso)?,
            _ => return None,
        };
        (!c.fips.is_empty()).then_some(c.fips.as_str())
    }

    /// The country a demonym or adjective names ("Syrian" → SY), as its place.
    pub fn demonym(&self, word: &str) -> Option<Place> {
        let c = self.demonym_country(&normalize(word))?;
        let rec = self.country_rec(c)?.record;
        (rec != NONE_U32).then(|| self.place_of(rec))
    }

    /// The country index a normalised demonym key names ("syrians" → SY),
    /// without building a [`Place`].
    pub(crate) fn demonym_country(&self, key: &str) -> Option<u16> {
        let key = key
            .strip_suffix('s')
            .filter(|k| self.find_demonym(k).is_some() && self.find_demonym(key).is_none())
            .unwrap_or(key);
        self.find_demonym(key)
    }

    /// Whether a word is a country's demonym or adjective that names a
    /// country with a record (what [`Gazetteer::demonym`] resolves).
    pub(crate) fn is_demonym(&self, word: &str) -> bool {
        self.demonym_country(&normalize(word))
            .and_then(|c| self.country_rec(c))
            .is_some_and(|c| c.record != NONE_U32)
    }

    fn find_demonym(&self, key: &str) -> Option<u16> {
        self.demonyms
            .binary_search_by(|(s, _)| self.s(*s).cmp(key))
            .ok()
            .map(|i| self.demonyms[i].1)
    }
}

const RECORD_SIZE: usize = 39;

/// Hash of an index key for [`Gazetteer::lookup_key`]: eight bytes at a
/// time, multiply and shift (keys are trusted data; no DoS resistance needed).
fn key_hash(key: &str) -> u64 {
    const K: u64 = 0x5851_f42d_4c95_7f2d;
    let b = key.as_bytes();
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
        h ^= h >> 29;
    }
    h ^ (h >> 32)
}

fn le32(c: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([c[at], c[at + 1], c[at + 2], c[at + 3]])
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| format!("truncated at byte {}", self.pos))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn table(&mut self, n: usize, size: usize) -> Result<&'a [u8], String> {
        let len = n
            .checked_mul(size)
            .ok_or_else(|| "table size overflows".to_string())?;
        self.bytes(len)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.bytes(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.bytes(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.bytes(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn str_ref(&mut self) -> Result<Str, String> {
        Ok(Str {
            off: self.u32()?,
            len: self.u32()?,
        })
    }
    fn small_str(&mut self) -> Result<String, String> {
        let n = self.u8()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|e| format!("bad UTF-8 in a code: {e}"))
    }
}

// ---------------------------------------------------------------------------
// Builder: TSV from scripts/build-gazetteer.py → compiled image.

/// Statistics of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub countries: usize,
    pub records: usize,
    pub keys: usize,
    pub postings: usize,
    pub bytes_inflated: usize,
    pub bytes_written: usize,
}

struct BRecord {
    rec: Record,
    names: Vec<(String, bool)>,
}

#[derive(Default)]
struct StringTable {
    buf: String,
    index: HashMap<String, Str>,
}

impl StringTable {
    fn add(&mut self, s: &str) -> Str {
        if let Some(r) = self.index.get(s) {
            return *r;
        }
        let r = Str {
            off: self.buf.len() as u32,
            len: s.len() as u32,
        };
        self.buf.push_str(s);
        self.index.insert(s.to_string(), r);
        r
    }
}

/// Whether an alternate name is worth indexing for English text: GeoNames'
/// lowercase romanisations ("adlb", "yi de li bo") and long or numbered
/// variants only produce false matches.
fn keep_alternate(alt: &str) -> bool {
    alt.chars().any(|c| c.is_uppercase())
        && !alt.chars().any(|c| c.is_ascii_digit())
        && alt.len() <= 60
}

/// Compile the TSV written by `scripts/build-gazetteer.py` into a gazetteer image.
pub fn build_from_tsv(tsv: &str, source_name: &str) -> Result<(Vec<u8>, BuildStats), GeoError> {
    let bad = |line: usize, what: &str| GeoError::Tsv {
        path: source_name.to_string(),
        line,
        what: what.to_string(),
    };
    let mut st = StringTable::default();
    let mut countries: Vec<CountryRec> = Vec::new();
    let mut country_idx: HashMap<String, u16> = HashMap::new();
    let mut demonyms: Vec<(String, u16)> = Vec::new();
    let mut country_pop: Vec<u64> = Vec::new();
    let mut brecs: Vec<BRecord> = Vec::new();
    let mut admin1_codes: Vec<(usize, String)> = Vec::new();

    for (ln, line) in tsv.lines().enumerate() {
        let ln = ln + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "C" => {
                if f.len() != 8 {
                    return Err(bad(ln, "country line needs 8 fields"));
                }
                let i = countries.len() as u16;
                let gid: u32 = f[4].parse().map_err(|_| bad(ln, "bad geonameid"))?;
                countries.push(CountryRec {
                    iso2: f[1].to_string(),
                    iso3: f[2].to_string(),
                    fips: f[3].to_string(),
                    name: f[5].to_string(),
                    geonameid: gid,
                    record: NONE_U32,
                });
                country_idx.insert(f[1].to_string(), i);
                country_pop.push(f[6].parse().unwrap_or(0));
                for d in f[7].split('|').filter(|d| !d.is_empty()) {
                    demonyms.push((normalize(d), i));
                }
            }
            "R" => {
                if f.len() != 12 {
                    return Err(bad(ln, "record line needs 12 fields"));
                }
                let geonameid: u32 = f[1].parse().map_err(|_| bad(ln, "bad geonameid"))?;
                let fcode = fcode_index(f[3]);
                let country = if f[4].is_empty() {
                    NONE_U16
                } else {
                    *country_idx
                        .get(f[4])
                        .ok_or_else(|| bad(ln, &format!("unknown country {}", f[4])))?
                };
                let lat: f32 = f[7].parse().map_err(|_| bad(ln, "bad latitude"))?;
                let lon: f32 = f[8].parse().map_err(|_| bad(ln, "bad longitude"))?;
                let population: u32 = f[9]
                    .parse::<u64>()
                    .map_err(|_| bad(ln, "bad population"))?
                    .min(u32::MAX as u64) as u32;
                let mut names = vec![(f[10].to_string(), false)];
                let strict = !matches!(fcode, FC_PCLI | FC_ADM1 | FC_CONT);
                for a in f[11].split('|').filter(|a| !a.is_empty()) {
                    if !strict || keep_alternate(a) {
                        names.push((a.to_string(), true));
                    }
                }
                let rec = Record {
                    geonameid,
                    name: st.add(f[10]),
                    admin2: st.add(f[6]),
                    lat,
                    lon,
                    population,
                    admin1: NONE_U32,
                    country,
                    fcode,
                };
                if fcode == FC_PCLI && country != NONE_U16 {
                    countries[country as usize].record = brecs.len() as u32;
                }
                admin1_codes.push((brecs.len(), f[5].to_string()));
                brecs.push(BRecord { rec, names });
            }
            other => return Err(bad(ln, &format!("unknown line kind '{other}'"))),
        }
    }

    // Admin1 table from the ADM1 records, then link every record to its division.
    let mut admin1: Vec<Admin1Rec> = Vec::new();
    let mut a1_map: HashMap<(u16, String), u32> = HashMap::new();
    for (i, code) in &admin1_codes {
        let r = &brecs[*i].rec;
        if r.fcode == FC_ADM1 && r.country != NONE_U16 && !code.is_empty() {
            let key = (r.country, code.clone());
            if let std::collections::hash_map::Entry::Vacant(e) = a1_map.entry(key) {
                e.insert(admin1.len() as u32);
                admin1.push(Admin1Rec {
                    country: r.country,
                    code: st.add(code),
                    record: *i as u32,
                });
            }
        }
    }
    for (i, code) in &admin1_codes {
        let country = brecs[*i].rec.country;
        if let Some(a) = a1_map.get(&(country, code.clone())) {
            brecs[*i].rec.admin1 = *a;
        }
    }

    // Name index.
    let mut entries: Vec<(String, u32, bool)> = Vec::new();
    for (i, b) in brecs.iter().enumerate() {
        for (name, alt) in &b.names {
            let key = normalize(name);
            if !is_latin_key(&key) {
                continue;
            }
            // Two-letter keys ("us", "uk") are only safe for countries; a dotted
            // initialism ("L.A.") has a key of its own.
            if key.len() <= 2 && b.rec.fcode != FC_PCLI {
                if let Some(k) = initialism_key(name) {
                    entries.push((k, i as u32, *alt));
                }
                continue;
            }
            entries.push((key, i as u32, *alt));
        }
    }
    let importance = |i: u32| -> (u8, u32) {
        let r = &brecs[i as usize].rec;
        let rank = match r.fcode {
            FC_PCLI | FC_CONT => 0,
            FC_ADM1 => 1,
            FC_PPLC => 2,
            _ => 3,
        };
        (rank, u32::MAX - r.population)
    };
    entries.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(importance(a.1).cmp(&importance(b.1)))
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    entries.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    let mut keys: Vec<(Str, u32)> = Vec::new();
    let mut postings: Vec<u32> = Vec::new();
    let mut last: Option<String> = None;
    for (key, rec, alt) in &entries {
        if last.as_deref() != Some(key.as_str()) {
            keys.push((st.add(key), postings.len() as u32));
            last = Some(key.clone());
        }
        postings.push(rec | if *alt { 0x8000_0000 } else { 0 });
    }
    // A demonym shared by several countries ("American") names the most populous.
    demonyms.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(country_pop[b.1 as usize].cmp(&country_pop[a.1 as usize]))
    });
    demonyms.dedup_by(|b, a| a.0 == b.0);
    let demonyms: Vec<(Str, u16)> = demonyms
        .iter()
        .filter(|(d, _)| is_latin_key(d))
        .map(|(d, c)| (st.add(d), *c))
        .collect();

    // Serialise.
    let mut w: Vec<u8> = Vec::with_capacity(st.buf.len() * 2);
    let put32 = |w: &mut Vec<u8>, v: u32| w.extend_from_slice(&v.to_le_bytes());
    let put_str = |w: &mut Vec<u8>, s: Str| {
        w.extend_from_slice(&s.off.to_le_bytes());
        w.extend_from_slice(&s.len.to_le_bytes());
    };
    let put_small = |w: &mut Vec<u8>, s: &str| {
        let b = &s.as_bytes()[..s.len().min(255)];
        w.push(b.len() as u8);
        w.extend_from_slice(b);
    };
    put32(&mut w, st.buf.len() as u32);
    w.extend_from_slice(st.buf.as_bytes());
    put32(&mut w, countries.len() as u32);
    for c in &countries {
        put_small(&mut w, &c.iso2);
        put_small(&mut w, &c.iso3);
        put_small(&mut w, &c.fips);
        put_small(&mut w, &c.name);
        put32(&mut w, c.geonameid);
        put32(&mut w, c.record);
    }
    put32(&mut w, brecs.len() as u32);
    for b in &brecs {
        let r = &b.rec;
        put32(&mut w, r.geonameid);
        put_str(&mut w, r.name);
        put_str(&mut w, r.admin2);
        w.extend_from_slice(&r.lat.to_le_bytes());
        w.extend_from_slice(&r.lon.to_le_bytes());
        put32(&mut w, r.population);
        put32(&mut w, r.admin1);
        w.extend_from_slice(&r.country.to_le_bytes());
        w.push(r.fcode);
    }
    put32(&mut w, admin1.len() as u32);
    for a in &admin1 {
        w.extend_from_slice(&a.country.to_le_bytes());
        put_str(&mut w, a.code);
        put32(&mut w, a.record);
    }
    put32(&mut w, keys.len() as u32);
    for (k, p) in &keys {
        put_str(&mut w, *k);
        put32(&mut w, *p);
    }
    put32(&mut w, postings.len() as u32);
    for p in &postings {
        put32(&mut w, *p);
    }
    put32(&mut w, demonyms.len() as u32);
    for (d, c) in &demonyms {
        put_str(&mut w, *d);
        w.extend_from_slice(&c.to_le_bytes());
    }
    let packed = lz4_flex::block::compress(&w);
    let mut out = Vec::with_capacity(packed.len() + 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(w.len() as u64).to_le_bytes());
    out.extend_from_slice(&packed);
    let stats = BuildStats {
        countries: countries.len(),
        records: brecs.len(),
        keys: keys.len(),
        postings: postings.len(),
        bytes_inflated: w.len(),
        bytes_written: out.len(),
    };
    Ok((out, stats))
}
