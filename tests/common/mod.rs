//! Shared helpers: scratch projects in temp dirs and the real binary.
#![allow(dead_code)]

pub mod sim;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Header of the figures fixtures.
pub const FIG_HEADER: &str = "study_id,citation,year,doi,pmid,outcome,population,group,statistic,value_status,value,unit,time_point,time_point_unit,n,n_unit,events,ci_lower,ci_upper,ci_level,range_min,range_max,source_location,quote";

const FIG_DEFAULTS: &[(&str, &str)] = &[
    ("study_id", "smith2020"),
    (
        "citation",
        "Smith A. Survival after spine surgery. J Spine 2020;1:1-2.",
    ),
    ("year", "2020"),
    ("doi", "10.1000/smith.2020"),
    ("pmid", "11111111"),
    ("outcome", "overall_survival"),
    ("population", "spinal LMS"),
    ("group", "all"),
    ("statistic", "median"),
    ("value_status", ""),
    ("value", "46"),
    ("unit", "months"),
    ("time_point", ""),
    ("time_point_unit", ""),
    ("n", "9"),
    ("n_unit", "patients"),
    ("events", ""),
    ("ci_lower", ""),
    ("ci_upper", ""),
    ("ci_level", ""),
    ("range_min", ""),
    ("range_max", ""),
    ("source_location", "Abstract"),
    ("quote", "median survival was 46 months"),
];

/// One figures row: the defaults with some fields replaced.
pub fn fig(over: &[(&str, &str)]) -> String {
    FIG_DEFAULTS
        .iter()
        .map(|(k, v)| {
            let v = over.iter().find(|(ok, _)| ok == k).map_or(*v, |(_, ov)| ov);
            if v.contains(',') {
                format!("\"{v}\"")
            } else {
                v.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A figures CSV from rows (the header is line 1, rows start at line 2).
pub fn figures_csv(rows: &[String]) -> String {
    let mut s = String::from(FIG_HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// Header of the cases fixtures.
pub const CASE_HEADER: &str =
    "study_id,case_id,citation,year,age,sex,follow_up,follow_up_unit,status,event";

/// A scratch project in a temp dir.
pub struct TestProject {
    dir: tempfile::TempDir,
}

impl TestProject {
    /// A project with the given files (paths relative to the root).
    pub fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = TestProject { dir };
        for (rel, content) in files {
            p.write(rel, content);
        }
        p
    }

    /// A project whose survlit.toml names every table given and one evidence table analysis.
    pub fn with_tables(tables: &[(&str, &str)]) -> Self {
        let mut toml = String::from("title = \"test\"\n\n[data]\n");
        let mut files = Vec::new();
        for (table, content) in tables {
            let path = format!("data/{table}.csv");
            toml.push_str(&format!("{table} = \"{path}\"\n"));
            files.push((path, content.to_string()));
        }
        if tables.iter().any(|(t, _)| *t == "figures") {
            toml.push_str("\n[[analysis]]\nname = \"evidence\"\nkind = \"evidence-table\"\n");
        }
        let p = TestProject::new(&[("survlit.toml", &toml)]);
        for (rel, c) in &files {
            p.write(rel, c);
        }
        p
    }

    /// Writes a file.
    pub fn write(&self, rel: &str, content: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// Root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Path under the root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `survlit <sub> <root>`.
    pub fn survlit(&self, sub: &str) -> Command {
        let mut c = Command::cargo_bin("survlit").unwrap();
        c.arg(sub).arg(self.root());
        c
    }
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// The repository root.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Header and records of a committed reference file under
/// `tests/reference/metafor/` (its leading `# tool, version` line skipped).
pub fn reference_table(file: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    csv_table(
        &std::path::Path::new(ROOT)
            .join("tests/reference/metafor")
            .join(file),
    )
}

/// Header and records of any CSV, leading `#` comment lines skipped.
pub fn csv_table(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let header = rdr.headers().unwrap().clone();
    (header, rdr.records().map(Result::unwrap).collect())
}

/// Records of a committed reference file.
pub fn reference(file: &str) -> Vec<csv::StringRecord> {
    reference_table(file).1
}

/// Two numeric columns (effects and variances) of a fixture under `tests/fixtures/`.
pub fn fixture_yv(file: &str, yi: usize, vi: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rdr = csv::Reader::from_path(format!("{ROOT}/tests/fixtures/{file}")).unwrap();
    rdr.records()
        .map(Result::unwrap)
        .map(|r| (r[yi].parse::<f64>().unwrap(), r[vi].parse::<f64>().unwrap()))
        .unzip()
}

/// Compares a survlit value with a reference value printed by R (relative
/// tolerance, with a floor for values near zero; "NA" is skipped) and records
/// a readable mismatch.
pub fn check(failures: &mut Vec<String>, what: &str, ours: f64, theirs: &str, tol: f64) {
    if theirs == "NA" {
        return;
    }
    let r: f64 = theirs
        .parse()
        .unwrap_or_else(|_| panic!("{what}: reference value '{theirs}' is not a number"));
    if ours != r && (ours - r).abs() > tol * r.abs().max(1e-12) {
        failures.push(format!(
            "{what}: survlit {ours:.15e} vs reference {r:.15e} (rel {:.2e})",
            ((ours - r) / r).abs()
        ));
    }
}

/// The stdout of a process that must have succeeded (else its stderr is
/// the failure message).
pub fn ok_stdout(out: std::process::Output) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `survlit <cmd> <args> --json`, asserting success; the parsed output.
pub fn run_json(cmd: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .arg(cmd)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    serde_json::from_slice(&ok_stdout(out)).unwrap()
}

/// A copy of the bundled LMS project (survlit.toml and data/) in a temp dir.
pub fn copy_lms_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("survlit.toml"),
        dir.path().join("survlit.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    for entry in std::fs::read_dir(Path::new(ROOT).join("data")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join("data").join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// `survlit run DIR`, asserting success.
pub fn run_project(dir: &Path) {
    Command::cargo_bin("survlit")
        .unwrap()
        .arg("run")
        .arg(dir)
        .assert()
        .success();
}

/// `reports/DICTIONARY.md` documents every column of every CSV under
/// `reports/`: each file has its section, no column is undocumented.
#[allow(dead_code)]
pub fn assert_dictionary_complete(reports: &Path) {
    let dictionary = std::fs::read_to_string(reports.join("DICTIONARY.md")).unwrap();
    assert!(
        !dictionary.contains("(undocumented)"),
        "undocumented columns:\n{}",
        dictionary
            .lines()
            .filter(|l| l.starts_with("## ") || l.contains("(undocumented)"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (path, bytes) in snapshot(reports) {
        if path.ends_with(".csv") {
            let section = format!("## `{path}`");
            assert!(dictionary.contains(&section), "{section} missing");
            let header = String::from_utf8_lossy(&bytes);
            let header = header.lines().next().unwrap_or("");
            for column in header.split(',') {
                let row = format!("| {} |", column.replace('_', "\\_"));
                assert!(dictionary.contains(&row), "{path}: column {column} missing");
            }
        }
    }
}
