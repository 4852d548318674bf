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
    /// The directory is a file, or a folder that is not empty.
    #[error(
        "{0} already exists and is not an empty folder; fix: choose an empty or new directory"
    )]
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
/// files written. All or nothing: the files are written into a temporary
/// folder beside `dir`, which is then renamed to `dir`; on any failure that
/// folder (and any parent folder this call created) is removed, so a failed
/// `init` leaves nothing behind. Refuses a `dir` that is a file or a folder
/// that is not empty.
pub fn write_example(dir: &Path) -> Result<Vec<PathBuf>, ExampleError> {
    if dir.exists() {
        let empty = dir.is_dir()
            && std::fs::read_dir(dir)
                .map_err(|source| ExampleError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?
                .next()
                .is_none();
        if !empty {
            return Err(ExampleError::Exists(dir.to_path_buf()));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let created_parent = first_missing(&parent);
    let result = write_beside(dir, &parent);
    if result.is_err() {
        if let Some(top) = &created_parent {
            let _ = std::fs::remove_dir_all(top);
        }
    }
    result
}

/// The outermost ancestor of `path` (itself included) that does not exist.
fn first_missing(path: &Path) -> Option<PathBuf> {
    let mut missing = None;
    for a in path.ancestors() {
        if a.as_os_str().is_empty() || a.exists() {
            break;
        }
        missing = Some(a.to_path_buf());
    }
    missing
}

/// Writes the files into `parent/.survlit-init-<pid>` and renames it to `dir`.
fn write_beside(dir: &Path, parent: &Path) -> Result<Vec<PathBuf>, ExampleError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExampleError::Io { path, source }
    };
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let tmp = parent.join(format!(".survlit-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(io(dir))?;
    let written = (|| {
        for (rel, text) in FILES {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(io(&dir.join(rel)))?;
            }
            std::fs::write(&path, text).map_err(io(&dir.join(rel)))?;
        }
        // Renaming onto an empty folder replaces it (POSIX rename).
        std::fs::rename(&tmp, dir).map_err(io(dir))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    Ok(FILES.iter().map(|(rel, _)| dir.join(rel)).collect())
}
