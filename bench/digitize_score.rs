//! Scores `survlit digitize` on a corpus of figures with known truth
//! (`<figure>.truth.json` beside each figure, as
//! `tests/reference/scripts/digitize/make_corpus.sh` writes them).
//!
//! cargo run --release --example digitize_score -- DIR [--list]
//!
//! Per figure: IAE of each true arm against the read arm matched to it
//! (least total IAE), whether the arm count, the axis ranges and each
//! printed number at risk were read exactly, and the time taken. The
//! summary gives the medians and 97.5th percentiles the targets are
//! stated in.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;
use survlit::digitize::score::{iae, match_arms};
use survlit::digitize::{self, Digitized, Point};
use survlit::ingest::figure::{self, FigureBytes};

struct Outcome {
    name: String,
    style: String,
    iaes: Vec<f64>,
    arms_right: bool,
    axes_right: bool,
    risk_exact: usize,
    risk_total: usize,
    seconds: f64,
    error: Option<String>,
}

fn points(v: &Value) -> Vec<Point> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| Point {
                    time: p["time"].as_f64().unwrap_or(f64::NAN),
                    surv: p["surv"].as_f64().unwrap_or(f64::NAN),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

fn score(fig: &Path, truth: &Value) -> Outcome {
    let t0 = Instant::now();
    let read = figure::read(fig)
        .map_err(|e| e.to_string())
        .and_then(|f| match f.content {
            FigureBytes::Raster(r) => Ok(r),
            FigureBytes::Pdf(b) => figure::pdf_page(&b, 1),
        });
    let d: Result<Digitized, String> =
        read.and_then(|r| digitize::read_raster(&r).map_err(|e| e.to_string()));
    let seconds = t0.elapsed().as_secs_f64();
    let true_arms: Vec<(String, Vec<Point>)> = truth["arms"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|arm| {
                    (
                        arm["name"].as_str().unwrap_or("").to_string(),
                        points(&arm["points"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let risk_total = truth["at_risk"].as_array().map_or(0, |a| a.len());
    let mut out = Outcome {
        name: fig.file_name().unwrap().to_string_lossy().into_owned(),
        style: truth["style"].as_str().unwrap_or("?").to_string(),
        iaes: vec![],
        arms_right: false,
        axes_right: false,
        risk_exact: 0,
        risk_total,
        seconds,
        error: None,
    };
    let d = match d {
        Ok(d) => d,
        Err(e) => {
            out.iaes = vec![1.0; true_arms.len()];
            out.error = Some(e);
            return out;
        }
    };
    let m: Vec<Vec<f64>> = true_arms
        .iter()
        .map(|(_, tp)| d.arms.iter().map(|a| iae(&a.points, tp)).collect())
        .collect();
    let pairs = match_arms(&m);
    out.iaes = pairs
        .iter()
        .enumerate()
        .map(|(i, p)| p.map_or(1.0, |j| m[i][j]))
        .collect();
    out.arms_right = d.arms.len() == true_arms.len();
    let (tx, ty) = (&truth["x_axis"], &truth["y_axis"]);
    out.axes_right = close(d.x_axis.min, tx["min"].as_f64().unwrap_or(f64::NAN))
        && close(d.x_axis.max, tx["max"].as_f64().unwrap_or(f64::NAN))
        && close(d.y_axis.min, ty["min"].as_f64().unwrap_or(f64::NAN))
        && close(d.y_axis.max, ty["max"].as_f64().unwrap_or(f64::NAN))
        && d.y_axis.scale == ty["scale"].as_str().unwrap_or("");
    if let Some(cells) = truth["at_risk"].as_array() {
        for c in cells {
            let arm = c["arm"].as_str().unwrap_or("");
            let Some(i) = true_arms.iter().position(|(n, _)| n == arm) else {
                continue;
            };
            let Some(j) = pairs[i] else { continue };
            let name = &d.arms[j].name;
            let t = c["time"].as_f64().unwrap_or(f64::NAN);
            let n = c["n"].as_u64();
            if d.at_risk
                .iter()
                .any(|r| &r.arm == name && close(r.time, t) && Some(r.n) == n)
            {
                out.risk_exact += 1;
            }
        }
    }
    out
}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("usage: digitize_score DIR [--list]"));
    let list = args.iter().any(|a| a == "--list");
    let only: Option<&String> = args.iter().find(|a| a.starts_with("--style=")).map(|s| s);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    files.sort();
    let mut outs = Vec::new();
    for tf in files {
        let truth: Value = serde_json::from_slice(&std::fs::read(&tf).unwrap()).unwrap();
        if let Some(s) = only {
            if truth["style"].as_str() != Some(&s["--style=".len()..]) {
                continue;
            }
        }
        let fig = dir.join(truth["image"].as_str().unwrap());
        let o = score(&fig, &truth);
        if list {
            println!(
                "{:<16} {:<10} arms {} axes {} risk {}/{} iae {} {:.2}s {}",
                o.name,
                o.style,
                if o.arms_right { "ok" } else { "WRONG" },
                if o.axes_right { "ok" } else { "WRONG" },
                o.risk_exact,
                o.risk_total,
                o.iaes
                    .iter()
                    .map(|v| format!("{v:.4}"))
                    .collect::<Vec<_>>()
                    .join(","),
                o.seconds,
                o.error.as_deref().unwrap_or("")
            );
        }
        outs.push(o);
    }
    let mut styles: Vec<String> = outs.iter().map(|o| o.style.clone()).collect();
    styles.sort();
    styles.dedup();
    styles.insert(0, "all".into());
    println!("| set | figures | median IAE | 97.5% IAE | arm count right | axes right | at-risk exact | refused | median s | max s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in styles {
        let sel: Vec<&Outcome> = outs.iter().filter(|o| s == "all" || o.style == s).collect();
        let mut iaes: Vec<f64> = sel.iter().flat_map(|o| o.iaes.iter().copied()).collect();
        let mut secs: Vec<f64> = sel.iter().map(|o| o.seconds).collect();
        let n = sel.len() as f64;
        let rt: usize = sel.iter().map(|o| o.risk_total).sum();
        let re: usize = sel.iter().map(|o| o.risk_exact).sum();
        println!(
            "| {s} | {} | {:.4} | {:.4} | {:.1}% | {:.1}% | {} | {} | {:.2} | {:.2} |",
            sel.len(),
            quantile(&mut iaes, 0.5),
            quantile(&mut iaes, 0.975),
            100.0 * sel.iter().filter(|o| o.arms_right).count() as f64 / n,
            100.0 * sel.iter().filter(|o| o.axes_right).count() as f64 / n,
            if rt == 0 {
                "—".to_string()
            } else {
                format!("{:.1}% ({re}/{rt})", 100.0 * re as f64 / rt as f64)
            },
            sel.iter().filter(|o| o.error.is_some()).count(),
            quantile(&mut secs, 0.5),
            secs.iter().cloned().fold(0.0, f64::max),
        );
    }
}
