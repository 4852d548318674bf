//! The fuzz corpus, replayed on stable: every input of `fuzz/corpus/<target>/`
//! (minimised by `cargo fuzz cmin` after ≥ 10⁷ executions per target, see
//! `fuzz/README.md`) and every crash found and fixed (`fuzz/regressions/
//! <target>/`) goes through the same library function the fuzz target calls,
//! and none may panic.

use std::path::Path;

use survlit::fuzz_harness::{fuzz_ingest_validate, fuzz_project_toml, fuzz_table_readers};

fn replay(target: &str, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        inputs.extend(entries.map(|e| e.unwrap().path()));
    }
    inputs.sort();
    assert!(
        inputs.len() >= 10,
        "fuzz/corpus/{target}/ holds {} inputs; the minimised corpus is committed",
        inputs.len()
    );
    let panicked: Vec<String> = inputs
        .iter()
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap();
            std::panic::catch_unwind(|| body(&bytes)).is_err()
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        panicked.is_empty(),
        "{target}: {} of {} inputs panicked:\n{}",
        panicked.len(),
        inputs.len(),
        panicked.join("\n")
    );
}

#[test]
fn ingest_validate_corpus_never_panics() {
    replay("ingest_validate", fuzz_ingest_validate);
}

#[test]
fn project_toml_corpus_never_panics() {
    replay("project_toml", fuzz_project_toml);
}

#[test]
fn table_readers_corpus_never_panics() {
    replay("table_readers", fuzz_table_readers);
}
