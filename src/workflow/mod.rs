//! Workflows: a method's inputs by role → [`crate::stats`] → a result.
//!
//! One workflow per method family, shared by the table commands
//! (`survlit pool`, `km`, `cox`, `reconstruct`, `medians`) and the analysis
//! kinds of [`crate::analysis`], so the two can never compute a method two
//! ways: [`pool`] (a table of study results or evidence figures → effects →
//! fitted models, subgroups, moderators, sensitivity), [`survival`]
//! (patients → curves, tests, Cox), [`reconstruct`] (digitised curves →
//! Guyot patients), [`medians`] (five-number summaries → means/SDs, pooled
//! medians), [`design`] (model matrices from text columns) and
//! [`overlap`] (which studies an analysis keeps when cohorts are shared).
//!
//! No file I/O, no printing, no formatting for a reader.

pub mod design;
pub mod medians;
pub mod overlap;
pub mod pool;
pub mod reconstruct;
pub mod survival;
