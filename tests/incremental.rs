//! Incremental and atomic runs on the LMS project: a rerun with no change
//! writes nothing; one edited figure reruns only the analyses that select
//! it, and the result is byte-identical to a full run; a run killed with
//! SIGKILL at any moment leaves `reports/` whole (the old or the new one,
//! never a mixture).

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{copy_lms_project, ok_stdout, snapshot};
use assert_cmd::assert::OutputAssertExt;

fn run(dir: &Path) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin("survlit"))
        .arg("run")
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8(ok_stdout(out)).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

#[test]
fn unchanged_rerun_writes_nothing() {
    let dir = copy_lms_project();
    let first = run(dir.path());
    assert!(first.contains("15 analyses rerun, 0 unchanged"), "{first}");
    let reports = dir.path().join("reports");
    let inode = std::fs::metadata(&reports).unwrap().ino();
    let before = snapshot(&reports);
    let second = run(dir.path());
    assert!(
        second.contains("nothing changed since the last run"),
        "{second}"
    );
    assert!(second.contains("(pool, unchanged)"), "{second}");
    // Not even swapped: the same folder, the same bytes.
    assert_eq!(std::fs::metadata(&reports).unwrap().ino(), inode);
    assert_eq!(before, snapshot(&reports));
}

#[test]
fn one_edited_row_reruns_only_its_analyses() {
    let dir = copy_lms_project();
    run(dir.path());
    // Bishop 2017's 1-year local control: 81% -> 80%.
    let figures = dir.path().join("data/figures.csv");
    let text = std::fs::read_to_string(&figures).unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("bishop2017,") && l.contains(",local_control,") && l.contains(",81,")
        })
        .expect("Bishop local-control row")
        .to_string();
    std::fs::write(
        &figures,
        text.replace(&line, &line.replacen(",81,", ",80,", 1)),
    )
    .unwrap();
    let out = run(dir.path());
    for rerun in [
        "sbrt-local-control (compare)",
        "sbrt-local-control-pooled (pool)",
        "sbrt-local-control-subgroups (pool)",
        "evidence (evidence-table)",
    ] {
        assert!(out.contains(rerun), "{rerun} should rerun:\n{out}");
    }
    for same in [
        "os-medians (compare, unchanged)",
        "latency-pooled (medians, unchanged)",
        "cases-km (km, unchanged)",
        "seed-evidence (evidence-table, unchanged)",
    ] {
        assert!(out.contains(same), "{same} should be reused:\n{out}");
    }
    // CHANGES.md names the row, the field and the result before → after.
    let changes = std::fs::read_to_string(dir.path().join("reports/CHANGES.md")).unwrap();
    assert!(
        changes.contains("edited: figures:bishop2017/local\\_control/")
            && changes.contains("value: '81' → '80'"),
        "{changes}"
    );
    assert!(
        out.contains("rerun sbrt-local-control-pooled: k = 5: 77.6 [51.7, 91.8] % -> k = 5: "),
        "{out}"
    );
    assert!(
        !changes.contains("(`os-medians`)"),
        "unaffected analyses are not listed"
    );
    // The incremental result is exactly a full run's (CHANGES.md aside).
    let without_changes = |mut s: Vec<(String, Vec<u8>)>| {
        s.retain(|(p, _)| p != "CHANGES.md");
        s
    };
    let incremental = without_changes(snapshot(&dir.path().join("reports")));
    std::fs::remove_dir_all(dir.path().join("reports")).unwrap();
    let full = run(dir.path());
    assert!(full.contains("0 unchanged"), "{full}");
    let full_files = without_changes(snapshot(&dir.path().join("reports")));
    let differing: Vec<&String> = incremental
        .iter()
        .zip(&full_files)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        incremental.len() == full_files.len() && differing.is_empty(),
        "incremental and full runs differ: {differing:?}"
    );
}

#[test]
fn removing_and_restoring_a_study_says_what_moved() {
    let dir = copy_lms_project();
    run(dir.path());
    let figures = dir.path().join("data/figures.csv");
    let original = std::fs::read_to_string(&figures).unwrap();
    let without: String = original
        .lines()
        .filter(|l| !l.starts_with("serrato2025,"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(original.lines().count() - without.lines().count(), 8);
    std::fs::write(&figures, &without).unwrap();
    // A study named in a selection but gone from the data is a warning,
    // not an error: the living review runs without it.
    let out = run(dir.path());
    assert!(
        out.contains("rerun os-medians: 17 figures from 9 studies -> 15 figures from 8 studies"),
        "{out}"
    );
    assert!(
        out.contains("rerun os-medians-routes: 7 medians, not pooled -> 5 medians, not pooled"),
        "{out}"
    );
    let changes = std::fs::read_to_string(dir.path().join("reports/CHANGES.md")).unwrap();
    assert!(
        changes.contains("removed: figures:serrato2025/overall\\_survival/spinal LMS, published cases/metastatic spinal LMS/median/"),
        "{changes}"
    );
    let index = std::fs::read_to_string(dir.path().join("reports/index.md")).unwrap();
    assert!(
        index.contains("select.study: 'serrato2025' is not in the data"),
        "the report's Data quality names the missing study"
    );
    std::fs::write(&figures, &original).unwrap();
    let out = run(dir.path());
    assert!(
        out.contains("rerun os-medians: 15 figures from 8 studies -> 17 figures from 9 studies"),
        "{out}"
    );
    let changes = std::fs::read_to_string(dir.path().join("reports/CHANGES.md")).unwrap();
    assert!(changes.contains("added: figures:serrato2025/"), "{changes}");
    // A typo of a present study is still an error.
    let toml = dir.path().join("survlit.toml");
    let spec = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, spec.replacen("\"serrato2025\"", "\"serato2025\"", 1)).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("survlit"))
        .arg("run")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'serrato2025'?"));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    ok_stdout(out);
}

#[test]
fn since_compares_with_the_reports_of_a_revision() {
    let dir = copy_lms_project();
    let root = dir.path();
    git(root, &["init", "-q"]);
    run(root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "v1"]);
    // Two separate edits, each run and committed.
    let figures = root.join("data/figures.csv");
    let text = std::fs::read_to_string(&figures).unwrap();
    let bishop = text
        .lines()
        .find(|l| {
            l.starts_with("bishop2017,") && l.contains(",local_control,") && l.contains(",81,")
        })
        .unwrap()
        .to_string();
    let text = text.replace(&bishop, &bishop.replacen(",81,", ",80,", 1));
    std::fs::write(&figures, &text).unwrap();
    run(root);
    git(root, &["commit", "-q", "-am", "v2"]);
    let without_serrato: String = text
        .lines()
        .filter(|l| !l.starts_with("serrato2025,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&figures, without_serrato).unwrap();
    let out = run(root);
    // Against the previous run: only the Serrato removal.
    let changes = std::fs::read_to_string(root.join("reports/CHANGES.md")).unwrap();
    assert!(changes.starts_with("# Changes since the previous run"));
    assert!(!changes.contains("value: '81' → '80'"), "{changes}");
    assert!(
        out.contains("rerun os-medians: 17 figures from 9 studies -> 15 figures from 8 studies"),
        "{out}"
    );
    // Against v1: both edits.
    let out = Command::new(assert_cmd::cargo::cargo_bin("survlit"))
        .args(["run", "--since", "HEAD~1"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("compared with the reports at HEAD~1"),
        "{stdout}"
    );
    let changes = std::fs::read_to_string(root.join("reports/CHANGES.md")).unwrap();
    assert!(changes.starts_with("# Changes since HEAD~1"), "{changes}");
    assert!(changes.contains("value: '81' → '80'"), "{changes}");
    assert!(
        changes.contains("removed: figures:serrato2025/"),
        "{changes}"
    );
    assert!(
        changes.contains("Result: 17 figures from 9 studies → **15 figures from 8 studies**"),
        "{changes}"
    );
    // A revision git does not know is an error naming it.
    Command::new(assert_cmd::cargo::cargo_bin("survlit"))
        .args(["run", "--since", "nosuchrev"])
        .arg(root)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--since nosuchrev:"));
}

#[test]
fn killed_run_leaves_reports_whole() {
    let base = copy_lms_project();
    run(base.path());
    let old = snapshot(&base.path().join("reports"));
    // The same project with a new title and no manifest: every analysis
    // reruns (the longest run) and every file of the report differs.
    let edit = |dir: &Path| {
        let toml = dir.join("survlit.toml");
        let t = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, t.replacen("title = \"", "title = \"Revised: ", 1)).unwrap();
        let _ = std::fs::remove_file(dir.join("reports/manifest.json"));
    };
    let done = tempfile::tempdir().unwrap();
    copy_dir(base.path(), done.path());
    edit(done.path());
    run(done.path());
    let new = snapshot(&done.path().join("reports"));
    assert_ne!(old, new);
    let mut outcomes = (0, 0);
    for (i, delay_ms) in [10u64, 400, 1500, 4000].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(base.path(), dir.path());
        edit(dir.path());
        let old_here = {
            let mut s = old.clone();
            s.retain(|(p, _)| p != "manifest.json");
            s
        };
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("survlit"))
            .arg("run")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&dir.path().join("reports"));
        if now == new {
            outcomes.1 += 1;
        } else {
            assert!(
                now == old_here,
                "killed after {delay_ms} ms: reports/ is neither the old nor the new report"
            );
            outcomes.0 += 1;
        }
        if i > 0 {
            continue;
        }
        // The next run cleans up and completes.
        run(dir.path());
        assert!(snapshot(&dir.path().join("reports")) == new);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".reports"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    assert!(
        outcomes.0 > 0,
        "no run was killed before finishing: {outcomes:?}"
    );
}
