//! The integration tests, compiled as one binary (as ripgrep does): each
//! module below is one file of `tests/`, driving the real `survlit` binary or
//! the library. One binary links polars once instead of once per file, which
//! keeps a cold `cargo test` within CI's disk and time.

mod common;

mod audit;
mod case_checks;
mod cli;
mod cox_kind;
mod digitize;
mod figure_snapshots;
mod fuzz_corpus;
mod gate;
mod gate_survival;
mod golden_bias;
mod golden_effects;
mod golden_influence;
mod golden_pool;
mod golden_predict;
mod golden_sensitivity;
mod golden_survival;
mod golden_survival_effects;
mod golden_trimfill;
mod incremental;
mod layering;
mod lifelines_differences;
mod lms_figures;
mod lms_project;
mod medians;
mod medians_cli;
mod medians_kind;
mod metafor_export;
mod metafor_scripts;
mod never_panics;
mod number_style;
mod overlap;
mod pool_cli;
mod prop_pool;
mod provenance;
mod reconstruct;
mod reconstruct_kind;
mod reconstruction_accuracy;
mod reference_arm;
mod report_browser;
mod report_html;
mod report_tables;
mod survival_cli;
mod survival_conventions;
mod validation_rules;
