//! `survlit medians` and `survlit convert` on small tables: values against
//! the references, and bad input rejected with file, line, column and study.

use crate::common::{csv_table, run_json, ROOT};
use assert_cmd::Command;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const PUBLISHED: &str = "study,n,min,q1,median,q3,max\nS1,20,2,,6,,14\nS2,20,,4,6,10,\nS3,20,2,4,6,10,14\nskewed,20,2,4,6,14,20\n";

#[test]
fn convert_reproduces_the_published_examples_and_flags_the_skewed_study() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "s.csv", PUBLISHED);
    let j = run_json("convert", &[&f, "--to", "mean-sd"]);
    let s = j["studies"].as_array().unwrap();
    let want = [
        (6.594468, 3.211576),
        (6.719500, 4.787076),
        (6.938841, 3.679435),
    ];
    for (row, (m, sd)) in s.iter().zip(want) {
        assert!((row["mean"].as_f64().unwrap() - m).abs() < 1e-6, "{row}");
        assert!((row["sd"].as_f64().unwrap() - sd).abs() < 1e-6, "{row}");
        assert_eq!(row["converted"], true);
    }
    assert!(s[3]["excluded"].as_str().unwrap().contains("skewed"));
    assert_eq!(j["k_converted"], 3);
    let j = run_json("convert", &[&f, "--to", "mean-sd", "--skewed", "lognormal"]);
    let d = &j["studies"][3];
    assert!((d["mean"].as_f64().unwrap() - 8.758702).abs() < 1e-6, "{d}");
    assert!((d["sd"].as_f64().unwrap() - 6.740320).abs() < 1e-6, "{d}");
}

#[test]
fn median_of_medians_matches_r() {
    let (h, rows) =
        csv_table(&std::path::Path::new(ROOT).join("tests/reference/medians/pool_med_r.csv"));
    let col =
        |r: &csv::StringRecord, k: &str| r[h.iter().position(|c| c == k).unwrap()].to_string();
    let dir = tempfile::tempdir().unwrap();
    for r in &rows {
        let y: Vec<String> = col(r, "y").split(';').map(str::to_string).collect();
        let w: Vec<String> = col(r, "w").split(';').map(str::to_string).collect();
        let mut text = String::from("study,n,median\n");
        for (i, (y, w)) in y.iter().zip(&w).enumerate() {
            text.push_str(&format!("s{i},{w},{y}\n"));
        }
        let f = write(&dir, "m.csv", &text);
        let method = if col(r, "weighted") == "TRUE" {
            "wmm"
        } else {
            "mm"
        };
        let j = run_json("medians", &[&f, "--method", method]);
        for key in ["estimate", "ci_lb", "ci_ub"] {
            let theirs: f64 = col(r, key).parse().unwrap();
            let ours = j[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1.0),
                "{} {method} {key}: {ours} vs R {theirs}",
                col(r, "case")
            );
        }
    }
}

#[test]
fn qe_pools_and_reports_each_route() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "q.csv",
        "study,n,q1,median,q3,mean,sd\na,50,4,6,8,,\nb,40,3,5,9,,\nc,60,,,,6.5,2.1\n",
    );
    let j = run_json("medians", &[&f, "--method", "qe"]);
    assert_eq!(j["k"], 3);
    let s = j["studies"].as_array().unwrap();
    assert_eq!(s[0]["route"], "QE, normal");
    assert_eq!(s[2]["route"], "mean/sd (normal: median = mean)");
    assert!(j["tau2"].as_f64().is_some());
}

#[test]
fn bad_cells_name_file_line_column_and_study() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "bad.csv",
        "study,n,q1,median,q3\nok,10,1,2,3\nnr,9,,NR,\nswapped,12,5,4,6\n",
    );
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .args(["medians", &f, "--method", "mm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3, column 'median' (value 'NR', study 'nr')"),
        "{err}"
    );
    assert!(err.contains("not reached"), "{err}");
    assert!(
        err.contains("line 4, column 'q1'")
            && err.contains("study 'swapped'")
            && err.contains("q1 5 is greater than median 4"),
        "{err}"
    );
}

#[test]
fn too_small_a_sample_is_left_out_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "n.csv",
        "study,n,min,median,max\ntiny,4,1,3,9\nfine,20,2,6,14\n",
    );
    let j = run_json("convert", &[&f, "--to", "mean-sd"]);
    assert!(
        j["studies"][0]["excluded"]
            .as_str()
            .unwrap()
            .contains("n = 4 is below the 5"),
        "{j}"
    );
    assert_eq!(j["k_converted"], 1);
}

#[test]
fn box_cox_methods_need_no_seed_and_repeat_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "s.csv", PUBLISHED);
    for method in ["bc", "mln"] {
        let a = run_json("convert", &[&f, "--to", "mean-sd", "--method", method]);
        let b = run_json("convert", &[&f, "--to", "mean-sd", "--method", method]);
        assert_eq!(a, b);
        assert!(
            a["studies"][0]["route"]
                .as_str()
                .unwrap()
                .contains("by integration"),
            "{a}"
        );
    }
}

/// metamedian's dat.age through the command line: the table in long form
/// (one row per study and group) and `--diff g1,g2` reproduce the published
/// QE difference of medians, 13.2238 (SE 0.9121), 95% CI 11.4361–15.0115.
#[test]
fn qe_difference_of_medians_from_a_long_table() {
    let (h, rows) =
        csv_table(&std::path::Path::new(ROOT).join("tests/reference/medians/dat_age_covid.csv"));
    let get = |r: &csv::StringRecord, k: &str| {
        let v = &r[h.iter().position(|c| c == k).unwrap()];
        if v == "NA" {
            String::new()
        } else {
            v.to_string()
        }
    };
    let mut text = String::from("study,group,n,q1,median,q3,mean,sd\n");
    for (i, r) in rows.iter().enumerate() {
        for g in ["g1", "g2"] {
            let c = |k: &str| get(r, &format!("{k}.{g}"));
            text.push_str(&format!(
                "s{i},{g},{},{},{},{},{},{}\n",
                c("n"),
                c("q1"),
                c("med"),
                c("q3"),
                c("mean"),
                c("sd")
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "age.csv", &text);
    let j = run_json("medians", &[&f, "--method", "qe", "--diff", "g1,g2"]);
    assert_eq!(j["k"], 51);
    for (key, want) in [
        ("estimate", 13.2238),
        ("ci_lb", 11.4361),
        ("ci_ub", 15.0115),
        ("tau2", 33.5585),
    ] {
        let got = j[key].as_f64().unwrap();
        assert!((got - want).abs() < 5e-5, "{key}: {got} vs {want}");
    }
    assert!(
        j["studies"][2]["route"].as_str().unwrap().contains(" − "),
        "{}",
        j["studies"][2]
    );
    // A study missing one group is named.
    let broken = text
        .lines()
        .filter(|l| *l != text.lines().nth(2).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let f = write(&dir, "broken.csv", &broken);
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .args(["medians", &f, "--method", "mm", "--diff", "g1,g2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("study 's0': needs one row for group 'g1' and one for 'g2' (found 1 and 0)"),
        "{err}"
    );
}
