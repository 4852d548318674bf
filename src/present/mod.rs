//! Presentation: results → words, numbers as a reader sees them, the
//! provenance columns every export shares, methods prose with its
//! references, and figure data (forest rows, swimmer bars, KM curves) built
//! from fitted results.
//!
//! No statistic is computed here and nothing is read or written: a
//! function takes what [`crate::workflow`] or [`crate::stats`] returned and
//! gives back text, [`crate::export::Table`]s or [`crate::plot`] inputs.

pub mod columns;
pub mod forest;
pub mod format;
pub mod km;
pub mod methods;
pub mod pool_figures;
pub mod pool_models;
pub mod survival_figures;
pub mod swimmer;
pub mod table_figures;
