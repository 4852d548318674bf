//! `survlit digitize` on committed figures with known truth
//! (tests/fixtures/digitize/, made by
//! tests/reference/scripts/digitize/make_corpus.sh): the JSON shape, the
//! files the command writes (read back by `survlit reconstruct`), and the
//! accuracy floor on the figures it reads today. The full corpus figures
//! are in bench/digitize.md.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use survlit::digitize::score::{iae, match_arms};
use survlit::digitize::{self, Point};
use survlit::ingest::figure::{self, FigureBytes};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/digitize")
}

fn truth(name: &str) -> Value {
    let p = fixtures().join(format!("{name}.truth.json"));
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn points(v: &Value) -> Vec<Point> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| Point {
            time: p["time"].as_f64().unwrap(),
            surv: p["surv"].as_f64().unwrap(),
        })
        .collect()
}

fn read(name: &str) -> digitize::Digitized {
    let f = figure::read(&fixtures().join(name)).unwrap();
    let FigureBytes::Raster(r) = f.content else {
        panic!("{name} is not a raster")
    };
    digitize::read_raster(&r).unwrap()
}

/// Axes, arm count, each arm within `max_iae` of the truth, every number
/// at risk exact.
fn reads_right(name: &str, max_iae: f64) {
    let t = truth(name);
    let d = read(name);
    assert_eq!(d.x_axis.min, t["x_axis"]["min"].as_f64().unwrap(), "{name}");
    assert_eq!(d.x_axis.max, t["x_axis"]["max"].as_f64().unwrap(), "{name}");
    assert_eq!(d.y_axis.min, t["y_axis"]["min"].as_f64().unwrap(), "{name}");
    assert_eq!(d.y_axis.max, t["y_axis"]["max"].as_f64().unwrap(), "{name}");
    assert_eq!(
        d.y_axis.scale,
        t["y_axis"]["scale"].as_str().unwrap(),
        "{name}"
    );
    let arms: Vec<Vec<Point>> = t["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| points(&a["points"]))
        .collect();
    assert_eq!(d.arms.len(), arms.len(), "{name}: arm count");
    let m: Vec<Vec<f64>> = arms
        .iter()
        .map(|tp| d.arms.iter().map(|a| iae(&a.points, tp)).collect())
        .collect();
    let pairs = match_arms(&m);
    for (i, p) in pairs.iter().enumerate() {
        let j = p.expect("every true arm matched");
        assert!(m[i][j] <= max_iae, "{name}: arm {i} IAE {}", m[i][j]);
        assert!(d.arms[j]
            .points
            .windows(2)
            .all(|w| w[1].surv <= w[0].surv + 1e-12));
    }
    let names: Vec<&str> = t["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    for c in t["at_risk"].as_array().unwrap() {
        let i = names
            .iter()
            .position(|n| *n == c["arm"].as_str().unwrap())
            .unwrap();
        let arm = &d.arms[pairs[i].unwrap()].name;
        let (time, n) = (c["time"].as_f64().unwrap(), c["n"].as_u64().unwrap());
        assert!(
            d.at_risk
                .iter()
                .any(|r| &r.arm == arm && r.time == time && r.n == n),
            "{name}: {n} at risk at {time} in {arm} not read: {:?}",
            d.at_risk
        );
    }
}

#[test]
fn a_one_arm_matplotlib_figure_with_its_at_risk_row() {
    reads_right("fig0010.png", 0.004);
    reads_right("fig0040.png", 0.004);
}

#[test]
fn base_r_black_curves_told_apart_with_both_at_risk_rows() {
    // Two black curves (solid and dashed) with '+' marks, 72 dpi, Helvetica.
    reads_right("fig0002.png", 0.03);
}

#[test]
fn the_json_has_exactly_the_documented_shape() {
    let out = Command::cargo_bin("survlit")
        .unwrap()
        .args(["digitize", "--json"])
        .arg(fixtures().join("fig0010.png"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        ["arms", "at_risk", "warnings", "x_axis", "y_axis"]
    );
    assert_eq!(keys(&v["x_axis"]), ["max", "min"]);
    assert_eq!(keys(&v["y_axis"]), ["max", "min", "scale"]);
    let arm = &v["arms"][0];
    assert_eq!(keys(arm), ["censor_times", "name", "points"]);
    assert_eq!(keys(&arm["points"][0]), ["surv", "time"]);
    assert_eq!(keys(&v["at_risk"][0]), ["arm", "n", "time"]);
    for p in arm["points"].as_array().unwrap() {
        let s = p["surv"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s));
    }
}

#[test]
fn the_files_it_writes_are_what_reconstruct_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fig");
    Command::cargo_bin("survlit")
        .unwrap()
        .args(["digitize", "--out"])
        .arg(&out)
        .arg(fixtures().join("fig0002.png"))
        .assert()
        .success()
        .stdout(predicates::str::contains("check the overlay"));
    let curves = std::fs::read_to_string(out.join("curves.csv")).unwrap();
    assert!(curves.starts_with(
        "study_id,arm,time,time_unit,survival,survival_scale,source_location,notes\n"
    ));
    assert!(curves.contains("fig0002.png (auto-digitised, blake3 "));
    let png = std::fs::read(out.join("overlay.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // The reconstruction reads both files as they are.
    Command::cargo_bin("survlit")
        .unwrap()
        .args(["reconstruct", "--curve"])
        .arg(out.join("curves.csv"))
        .arg("--at-risk")
        .arg(out.join("at_risk.csv"))
        .assert()
        .success();
}

#[test]
fn a_figure_without_axes_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.png");
    let img = image::RgbImage::from_pixel(200, 150, image::Rgb([255, 255, 255]));
    img.save(&blank).unwrap();
    Command::cargo_bin("survlit")
        .unwrap()
        .args(["digitize", "--json"])
        .arg(&blank)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no axes could be read"));
}
