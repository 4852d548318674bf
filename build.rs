//! Records a fingerprint of the source tree (src/, assets/ and Cargo.lock, FNV-1a over
//! sorted paths and contents) as `SURVLIT_SOURCE_HASH`, so incremental runs
//! rerun every analysis after any change to the code, and a fresh clone of
//! the same commit reproduces the committed `reports/manifest.json`.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut all = Vec::new();
    for dir in ["src", "assets"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut all);
    }
    // Dependency versions change output too (fonts, rasteriser, PDF writer).
    println!("cargo:rerun-if-changed=Cargo.lock");
    all.push(PathBuf::from("Cargo.lock"));
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for p in &all {
        eat(p.to_string_lossy().replace('\\', "/").as_bytes());
        eat(&std::fs::read(p).unwrap_or_default());
    }
    println!("cargo:rustc-env=SURVLIT_SOURCE_HASH={h:016x}");
}
