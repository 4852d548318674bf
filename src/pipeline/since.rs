//! `survlit run --since REV`: the manifest the project's reports had at a
//! git revision, to say what changed since then.

use std::path::Path;
use std::process::Command;

use super::incremental::{Manifest, MANIFEST};
use super::{RunError, REPORTS_DIR};

/// `reports/manifest.json` of the project at `root` as committed at `rev`.
pub fn manifest_at(root: &Path, rev: &str) -> Result<Manifest, RunError> {
    let fail = |message: String| RunError::Since {
        rev: rev.to_string(),
        message,
    };
    let git = |args: &[&str]| -> Result<Vec<u8>, RunError> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| fail(format!("cannot run git: {e}")))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(fail(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ))
        }
    };
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let path = format!("{rev}:{prefix}{REPORTS_DIR}/{MANIFEST}");
    let bytes = git(&["show", &path])?;
    serde_json::from_slice(&bytes).map_err(|e| {
        fail(format!(
            "{path} is not a survlit manifest ({e}); was it written by survlit 0.1 or later?"
        ))
    })
}
