//! The kinds that analyse patients: `km` (case-report and reconstructed
//! patients → curves, group test), `cox` (proportional hazards) and
//! `reconstruct` (digitised curves → Guyot patients, QA). Each builds
//! [`crate::workflow::survival::patients::Patients`] and calls the same
//! survival workflow as `survlit km`/`cox`/`reconstruct`.

pub mod cox;
pub mod km;
pub mod pooled;
pub mod reconstruct;
pub mod tables;
