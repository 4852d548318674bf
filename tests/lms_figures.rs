//! Structure of every figure in the LMS project's report, on the real
//! data: each figure type is there, no two texts overlap or leave the
//! canvas, figures are a journal column wide, and the marks match the
//! data (one weighted square per pooled study, one bar per patient with a
//! follow-up time, the KMunicate rows under the KM curve).

use crate::common;

use std::path::Path;

use survlit::plot::check::layout_problems;
use survlit::plot::mm_to_px;

fn svg_width(svg: &str) -> f64 {
    let head = &svg[svg.find("<svg").unwrap()..];
    let i = head.find("width=\"").unwrap() + 7;
    head[i..i + head[i..].find('"').unwrap()].parse().unwrap()
}

#[test]
fn every_lms_figure_is_clean_and_complete() {
    let dir = common::copy_lms_project();
    common::run_project(dir.path());
    let reports = dir.path().join("reports");
    let read = |rel: &str| {
        std::fs::read_to_string(reports.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let mut svgs = Vec::new();
    for entry in std::fs::read_dir(&reports).unwrap() {
        let d = entry.unwrap().path();
        if d.is_dir() {
            for f in std::fs::read_dir(&d).unwrap() {
                let p = f.unwrap().path();
                if p.extension().is_some_and(|e| e == "svg") {
                    svgs.push(p);
                }
            }
        }
    }
    assert!(svgs.len() >= 15, "{} figures", svgs.len());
    let journal = [mm_to_px(85.0).ceil(), mm_to_px(175.0).ceil()];
    for p in &svgs {
        let svg = std::fs::read_to_string(p).unwrap();
        let name = p
            .strip_prefix(&reports)
            .unwrap_or(Path::new("?"))
            .display()
            .to_string();
        let problems = layout_problems(&svg);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        let w = svg_width(&svg);
        assert!(
            journal.contains(&w),
            "{name} is {w} px wide, not a journal column"
        );
    }
    // Every figure type of the review is in the report.
    for rel in [
        "sbrt-local-control-pooled/forest.svg",
        "sbrt-local-control-pooled/cumulative.svg",
        "sbrt-local-control-pooled/leave_one_out.svg",
        "sbrt-local-control-pooled/funnel.svg",
        "sbrt-local-control-subgroups/forest.svg",
        "sbrt-local-control-size/bubble.svg",
        "cases-km/km.svg",
        "cases/swimmer.svg",
        "os-medians/compare.svg",
    ] {
        assert!(reports.join(rel).exists(), "missing {rel}");
    }
    // Forest: the five pooled studies, each a weighted square; the overall
    // diamond and the prediction interval.
    let forest = read("sbrt-local-control-pooled/forest.svg");
    for s in [
        "Bishop 2017",
        "Folkert (MSKCC)",
        "Miller (CCF)",
        "PMID 38311030",
        "Stanford cohort",
    ] {
        assert!(forest.contains(s), "forest lacks {s}");
    }
    assert!(forest.contains("Prediction interval") && forest.contains("Test for overall effect"));
    // Local control is counted as controlled lesions (Bishop: 18 failures
    // of 66, so 48 controlled), beside the Total column, not as failures
    // next to the control rate and not repeating the total ("48/66").
    assert!(forest.contains("\nControlled\n"), "events header");
    assert!(
        forest.contains("\n48\n") && !forest.contains("\n18\n"),
        "controlled count"
    );
    assert!(!forest.contains("48/66"), "the total is its own column");
    // Folkert's published CI differs from the one re-derived from its SE:
    // drawn, marked, and explained once under the plot.
    assert!(forest.contains("94.5]†"), "published CI marked");
    assert!(forest.contains("† Folkert (MSKCC): the published 95% CI is shown"));
    // Background, five squares, the prediction bar.
    assert_eq!(forest.matches("<rect").count(), 7);
    // Subgroups: three headings and the test for subgroup differences.
    let sub = read("sbrt-local-control-subgroups/forest.svg");
    assert_eq!(sub.matches("Subtotal").count(), 3);
    assert!(sub.contains("Test for subgroup differences"));
    // Swimmer: one bar per patient with a follow-up time (5 in cases.csv).
    let swim = read("cases/swimmer.svg");
    assert_eq!(
        swim.matches("mo\n").count(),
        5,
        "one follow-up note per drawn patient"
    );
    // KM: the KMunicate rows and the median line.
    let km = read("cases-km/km.svg");
    for s in [
        "At risk",
        "Censored",
        "Events",
        "median",
        "Survival probability",
    ] {
        assert!(km.contains(s), "KM lacks {s}");
    }
}
