//! Writing `reports/` so that it is always whole: every file goes into a
//! fresh folder beside it, which is then swapped with `reports/` in one
//! atomic step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames).
//! A run killed at any moment — even with SIGKILL — leaves either the old
//! or the new reports, never a mixture; its leftover temporary folder is
//! removed by the next run.

use std::collections::BTreeMap;
use std::path::Path;

use super::{RunError, REPORTS_DIR};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RunError {
    let path = path.to_path_buf();
    move |source| RunError::Write { path, source }
}

/// Removes temporary folders left by runs that were killed.
fn remove_leftovers(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let prefixes = [
        format!(".{REPORTS_DIR}.tmp-"),
        format!(".{REPORTS_DIR}.old-"),
    ];
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Swaps two existing paths atomically. `Ok(false)` when the platform
/// cannot, so the caller falls back to renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Writes all files into a fresh temporary folder, then swaps it in for
/// `reports/`.
pub(super) fn write_reports(
    root: &Path,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(), RunError> {
    remove_leftovers(root);
    let pid = std::process::id();
    let tmp = root.join(format!(".{REPORTS_DIR}.tmp-{pid}"));
    let reports = root.join(REPORTS_DIR);
    for (rel, bytes) in files {
        let path = tmp.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    if reports.exists() {
        if exchange(&tmp, &reports).map_err(io(&reports))? {
            // `tmp` now holds the previous reports.
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
            return Ok(());
        }
        let old = root.join(format!(".{REPORTS_DIR}.old-{pid}"));
        std::fs::rename(&reports, &old).map_err(io(&reports))?;
        std::fs::rename(&tmp, &reports).map_err(io(&reports))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&tmp, &reports).map_err(io(&reports))?;
    }
    Ok(())
}
