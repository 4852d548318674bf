//! Plain data types of the evidence base: no I/O, no polars, plotters or clap.
//!
//! Everything after validation works on these types; every record carries its
//! [`Provenance`] so any number in `reports/` traces back to a source.

mod claim;
mod evidence;
mod vocab;

pub use claim::*;
pub use evidence::*;
pub use vocab::*;
