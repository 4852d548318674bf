//! `survlit init`: writes a small, commented example project that runs.

use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    ("survlit.toml", include_str!("template/survlit.toml")),
    ("data/figures.csv", include_str!("template/figures.csv")),
    ("data/cases.csv", include_str!("template/cases.csv")),
];

/// The example could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExampleError {
    /// The directory already holds a project.
    #[error("{0} already exists; fix: choose an empty or new directory")]
    Exists(PathBuf),
    /// Writing failed.
    #[error("writing {path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
}

/// Writes the example project into `dir` (created if needed) and returns the
/// files written. Refuses to overwrite an existing survlit.toml or data file.
pub fn write_example(dir: &Path) -> Result<Vec<PathBuf>, ExampleError> {
    for (rel, _) in FILES {
        let p = dir.join(rel);
        if p.exists() {
            return Err(ExampleError::Exists(p));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let io = |source| ExampleError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}
