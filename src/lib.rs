//! survlit turns the survival figures scattered through the medical
//! literature into validated evidence tables, pooled estimates, patient data
//! reconstructed from curves, publication-grade figures and a report that
//! says what changed since the last run.
//!
//! Data flows one way (see ARCHITECTURE.md):
//! [`project`] + [`ingest`] → [`validate`] → [`workflow`] (→ [`stats`]) →
//! [`present`] → [`plot`] / [`export`], assembled by the kinds of
//! [`analysis`] into a [`report`], orchestrated by [`pipeline`]. Only the
//! binary's [`cli`] prints.

#![warn(missing_docs)]

pub mod analysis;
pub mod audit;
pub mod cli;
pub mod digitize;
pub mod domain;
pub mod export;
#[doc(hidden)]
pub mod fuzz_harness;
pub mod ingest;
pub mod number;
pub mod pipeline;
pub mod plot;
pub mod present;
pub mod project;
pub mod report;
pub mod stats;
pub mod validate;
pub mod workflow;
