//! dyad-code: CAMEO event coding over analysed documents.
//!
//! ```text
//! let dict = dyad_dict::Dictionaries::builtin()?;
//! let coder = Coder::new(&dict, CoderOptions::default());
//! let events: Vec<Event> = coder.code_document(&doc);   // doc: tokens with lemma, upos, head, deprel
//! ```
//! See `coder.rs` for the rules, `event.rs` for the output record, `timex.rs` for dates and
//! `locate.rs` for event locations (`locate_events`, given the geoparser's place mentions).

mod coder;
mod event;
mod locate;
mod timex;
mod tree;

pub use coder::{Coder, CoderOptions};
pub use event::{Actor, Attribution, Event, Evidence, Location, Modality, Plover};
pub use locate::{locate_events, PlaceMention};
pub use timex::{EventDate, TimeExpr};
