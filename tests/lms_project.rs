//! The bundled LMS project: a fresh run reproduces the committed reports'
//! CSV and Markdown byte for byte, a second run is byte-identical in every
//! file, and every exported row carries its source.

use crate::common;

use std::path::Path;

use crate::common::snapshot;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Copies survlit.toml and data/ of the repository into a temp dir.
fn copy_project() -> tempfile::TempDir {
    common::copy_lms_project()
}

fn run(dir: &Path) {
    common::run_project(dir);
}

#[test]
fn fresh_run_reproduces_committed_tables_and_report() {
    let dir = copy_project();
    run(dir.path());
    let fresh = snapshot(&dir.path().join("reports"));
    let committed = snapshot(&Path::new(ROOT).join("reports"));
    let text = |files: &[(String, Vec<u8>)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .filter(|(p, _)| p.ends_with(".csv") || p.ends_with(".md") || p.ends_with(".json"))
            .cloned()
            .collect()
    };
    let (fresh_text, committed_text) = (text(&fresh), text(&committed));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&fresh_text),
        names(&committed_text),
        "reports/ file list differs: run `cargo run --release -- run` and commit reports/"
    );
    for ((path, a), (_, b)) in fresh_text.iter().zip(&committed_text) {
        assert!(a == b, "reports/{path} differs from a fresh run: run `cargo run --release -- run` and commit reports/");
    }
    let figures: Vec<_> = fresh
        .iter()
        .filter(|(p, _)| p.ends_with(".svg") || p.ends_with(".png"))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(
        figures.contains(&"seed-os-medians/compare.png".to_string())
            && figures.contains(&"seed-os-medians/compare.svg".to_string()),
        "{figures:?}"
    );
}

#[test]
fn second_run_is_byte_identical() {
    let dir = copy_project();
    run(dir.path());
    let first = snapshot(&dir.path().join("reports"));
    run(dir.path());
    assert_eq!(first, snapshot(&dir.path().join("reports")));
}

#[test]
fn seed_figures_are_shown_as_their_sources_label_them() {
    let dir = copy_project();
    run(dir.path());
    let csv =
        std::fs::read_to_string(dir.path().join("reports/seed-os-medians/compare.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<(String, String, f64)> = rdr
        .records()
        .map(|r| r.unwrap())
        .map(|r| {
            (
                r[col("label")].to_string(),
                r[col("detail")].to_string(),
                r[col("plotted_value")].parse().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("Contartese 2022", "own case series", 46.0),
        (
            "Contartese 2022",
            "systematic review (pooled published cases)",
            102.0,
        ),
        ("Delisle 2022", "all metastasectomy sites", 59.6),
        ("Delisle 2022", "spine metastasectomy", 14.1),
    ];
    for e in expect {
        assert!(
            rows.iter()
                .any(|r| r.0 == e.0 && r.1 == e.1 && (r.2 - e.2).abs() < 1e-12),
            "missing {e:?} in {rows:?}"
        );
    }
    assert_eq!(rows.len(), 4);
    // The unsourced 76.4% never enters the data.
    let figures = std::fs::read_to_string(Path::new(ROOT).join("data/figures.csv")).unwrap();
    assert!(!figures.contains(",76.4,"));
}

#[test]
fn every_exported_row_carries_its_source() {
    let dir = copy_project();
    run(dir.path());
    // Identifiers each study has anywhere in data/ (first non-empty, as survlit gathers them).
    let mut known: std::collections::HashMap<String, (String, String)> =
        std::collections::HashMap::new();
    for table in ["figures.csv", "cases.csv"] {
        let mut rdr = csv::Reader::from_path(Path::new(ROOT).join("data").join(table)).unwrap();
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let (sid, doi, pmid) = (col("study_id"), col("doi"), col("pmid"));
        for r in rdr.records().map(Result::unwrap) {
            let e = known.entry(r[sid].to_string()).or_default();
            if e.0.is_empty() {
                e.0 = r[doi].to_string();
            }
            if e.1.is_empty() {
                e.1 = r[pmid].to_string();
            }
        }
    }
    for file in [
        "evidence/evidence.csv",
        "cases/cases.csv",
        "os-medians/compare.csv",
        "sbrt-local-control/compare.csv",
        "sbrt-local-control-pooled/leave_one_out.csv",
        "cases-km/patients.csv",
    ] {
        let text = std::fs::read_to_string(dir.path().join("reports").join(file)).unwrap();
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| {
            h.iter()
                .position(|c| c == n)
                .unwrap_or_else(|| panic!("{file} has no column {n}"))
        };
        let (sid, cit, loc, doi, pmid) = (
            col("study_id"),
            col("citation"),
            col("source_location"),
            col("doi"),
            col("pmid"),
        );
        let mut n = 0;
        for r in rdr.records() {
            let r = r.unwrap();
            n += 1;
            assert!(
                !r[sid].is_empty() && !r[cit].is_empty() && !r[loc].is_empty(),
                "{file}: row without source: {r:?}"
            );
            // Where the data knows an identifier, the export carries it.
            let (want_doi, want_pmid) = known.get(&r[sid]).cloned().unwrap_or_default();
            assert_eq!(
                (&r[doi], &r[pmid]),
                (want_doi.as_str(), want_pmid.as_str()),
                "{file}: study {} lost its identifiers",
                &r[sid]
            );
        }
        assert!(n > 0, "{file} is empty");
    }
    let ev = std::fs::read_to_string(dir.path().join("reports/evidence/evidence.csv")).unwrap();
    assert!(
        ev.contains("contartese2022")
            && ev.contains("10.3390/diagnostics13010015")
            && ev.contains("36611309")
    );
}

/// Leave-one-out of the pooled SBRT local control matches metafor's leave1out
/// (tests/reference/scripts/metafor_lms_sbrt.R), on the percent scale.
#[test]
fn pooled_sbrt_leave_one_out_matches_metafor() {
    let dir = copy_project();
    run(dir.path());
    let (h, ours) = common::csv_table(
        &dir.path()
            .join("reports/sbrt-local-control-pooled/leave_one_out.csv"),
    );
    let (rh, theirs) = common::reference_table("lms_sbrt_leave1out.csv");
    assert_eq!(ours.len(), theirs.len());
    let mut failures = Vec::new();
    let sid = h.iter().position(|x| x == "study_id").unwrap();
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(&o[sid], &t[0], "omitted study order");
        for key in ["estimate", "ci_lb", "ci_ub", "pval", "tau2", "i2", "q"] {
            let col = |hdr: &csv::StringRecord| hdr.iter().position(|x| x == key).unwrap();
            let ours: f64 = o[col(&h)].parse().unwrap();
            common::check(
                &mut failures,
                &format!("{} {key}", &o[sid]),
                ours,
                &t[col(&rh)],
                1e-6,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The pooled SBRT local control matches metafor on the same derivations
/// (tests/reference/scripts/metafor_lms_sbrt.R); pi bounds are on the natural scale there.
#[test]
fn pooled_sbrt_local_control_matches_metafor() {
    let dir = copy_project();
    run(dir.path());
    let read = |p: &Path| -> Vec<(String, String)> {
        let (h, rows) = common::csv_table(p);
        h.iter()
            .zip(rows[0].iter())
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let ours = read(
        &dir.path()
            .join("reports/sbrt-local-control-pooled/pooled.csv"),
    );
    let theirs = read(&Path::new(ROOT).join("tests/reference/metafor/lms_sbrt_pooled.csv"));
    let get = |v: &[(String, String)], k: &str| -> f64 {
        v.iter()
            .find(|(a, _)| a == k)
            .unwrap_or_else(|| panic!("no {k}"))
            .1
            .parse()
            .unwrap()
    };
    for key in [
        "estimate",
        "se",
        "ci_lb",
        "ci_ub",
        "tau2",
        "tau2_ci_lb",
        "tau2_ci_ub",
        "i2",
        "q",
        "q_pval",
    ] {
        let (a, b) = (get(&ours, key), get(&theirs, key));
        assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1e-9),
            "{key}: survlit {a} vs metafor {b}"
        );
    }
    for (key, scale) in [
        ("estimate_natural", 100.0),
        ("ci_lb_natural", 100.0),
        ("ci_ub_natural", 100.0),
        ("pi_lb_natural", 100.0),
        ("pi_ub_natural", 100.0),
    ] {
        let (a, b) = (
            get(&ours, key),
            scale
                * get(
                    &theirs,
                    &key.replace("pi_lb_natural", "pi_lb")
                        .replace("pi_ub_natural", "pi_ub"),
                ),
        );
        assert!(
            (a - b).abs() <= 1e-6 * b.abs(),
            "{key}: survlit {a} vs metafor {b}"
        );
    }
    assert_eq!(get(&ours, "k"), 5.0);
}

/// The case-report KM (analysis cases-km) matches R survfit on the same four
/// patients (tests/reference/scripts/survival_r.R), and says "not reached"
/// for the median's upper limit, as R's NA.
#[test]
fn case_report_km_matches_r() {
    let dir = copy_project();
    run(dir.path());
    let (_, r) =
        common::csv_table(&Path::new(ROOT).join("tests/reference/survival/lms_cases_km.csv"));
    let (h, steps) = common::csv_table(&dir.path().join("reports/cases-km/km.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    // S(120) is the step at 108.
    let at108 = steps
        .iter()
        .find(|s| &s[col("time_months")] == "108.0")
        .unwrap();
    let mut failures = Vec::new();
    for (ours, theirs) in [("surv", &r[2][2]), ("ci_lb", &r[2][3]), ("ci_ub", &r[2][4])] {
        common::check(
            &mut failures,
            ours,
            at108[col(ours)].parse().unwrap(),
            theirs,
            1e-9,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((&r[0][5], &r[0][6], &r[0][7]), ("132", "108", "NA"));
    let report = std::fs::read_to_string(dir.path().join("reports/index.md")).unwrap();
    assert!(
        report.contains("| All cases | 4 | 2 | 132 (108–not reached) |"),
        "median row missing"
    );
    assert!(
        report.contains("times are not strictly comparable"),
        "mixed-origin caveat missing"
    );
}

#[test]
fn dictionary_documents_every_exported_column() {
    common::assert_dictionary_complete(&Path::new(common::ROOT).join("reports"));
}

#[test]
fn every_csv_has_a_parquet_copy_with_the_same_table() {
    use polars::prelude::{ParquetReader, SerReader};
    let reports = Path::new(common::ROOT).join("reports");
    let mut checked = 0;
    for (path, bytes) in snapshot(&reports) {
        let Some(stem) = path.strip_suffix(".csv") else {
            continue;
        };
        let parquet = std::fs::read(reports.join(format!("{stem}.parquet")))
            .unwrap_or_else(|_| panic!("{stem}.parquet missing"));
        let df = ParquetReader::new(std::io::Cursor::new(parquet))
            .finish()
            .unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r.records().count();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(names, header, "{path}");
        assert_eq!(df.height(), rows, "{path}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked} CSVs");
}
