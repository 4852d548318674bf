//! The `medians` analysis kind on scratch projects: the route each figure
//! takes, overlap between studies blocking a pool, the analysis' own
//! exclusions, and the pooled median against metafor (metamedian's dat.lung,
//! experimental arms, REML: tests/reference/metafor/survival_effects_pooled.csv).

use crate::common;

use crate::common::{csv_table, fig, reference_table, TestProject, FIG_HEADER, ROOT};

/// A project with these figure rows (each with its tags) and one medians analysis.
fn project(rows: &[(String, &str)], options: &str) -> TestProject {
    // `cohort` may carry the extra columns' cells first: "iqr_lower,iqr_upper,sd,cohort".
    let mut csv = format!("{FIG_HEADER},iqr_lower,iqr_upper,sd,cohort\n");
    for (r, extra) in rows {
        let extra = if extra.matches(',').count() == 3 {
            extra.to_string()
        } else {
            format!(",,,{extra}")
        };
        csv.push_str(&format!("{r},{extra}\n"));
    }
    let toml = format!(
        "title = \"t\"\n\n[data]\nfigures = \"data/figures.csv\"\n\n[[analysis]]\nname = \"m\"\nkind = \"medians\"\nselect = {{ outcome = [\"overall_survival\", \"latency\"] }}\noptions = {options}\n"
    );
    TestProject::new(&[("survlit.toml", &toml), ("data/figures.csv", &csv)])
}

fn med(study: &str, value: &str, lo: &str, hi: &str, n: &str) -> String {
    let citation = format!("{study} A. A series. J 2020;1:1.");
    fig(&[
        ("study_id", study),
        ("citation", &citation),
        ("doi", ""),
        ("pmid", ""),
        ("value", value),
        ("ci_lower", lo),
        ("ci_upper", hi),
        ("ci_level", if lo.is_empty() { "" } else { "0.95" }),
        ("n", n),
    ])
}

/// The analysis' pooled.csv against metafor's REML/z fit of `set`
/// (tests/reference/metafor/survival_effects_pooled.csv), to 1e-6.
fn assert_pooled_matches_metafor(p: &TestProject, set: &str) {
    let (h, pooled) = csv_table(&p.path("reports/m/pooled.csv"));
    let got = |k: &str| -> f64 {
        pooled[0][h.iter().position(|c| c == k).unwrap()]
            .parse()
            .unwrap()
    };
    let (rh, refs) = reference_table("survival_effects_pooled.csv");
    let r = refs
        .iter()
        .find(|r| &r[0] == set && &r[1] == "REML" && &r[2] == "z")
        .unwrap_or_else(|| panic!("{set} REML z reference"));
    let want = |k: &str| -> f64 { r[rh.iter().position(|c| c == k).unwrap()].parse().unwrap() };
    assert_eq!(got("k") as usize, 30);
    for (ours, theirs) in [
        ("estimate", "estimate"),
        ("se", "se"),
        ("ci_lower", "ci_lb"),
        ("ci_upper", "ci_ub"),
        ("tau2", "tau2"),
        ("q", "q"),
    ] {
        let (a, b) = (got(ours), want(theirs));
        assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1.0),
            "{set} {ours}: survlit {a} vs metafor {b}"
        );
    }
}

fn report(p: &TestProject) -> String {
    std::fs::read_to_string(p.path("reports/index.md")).unwrap()
}

#[test]
fn pooled_median_matches_metafor_on_dat_lung() {
    let (_, lung) = csv_table(&std::path::Path::new(ROOT).join("tests/fixtures/dat_lung.csv"));
    let rows: Vec<(String, &str)> = lung
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // Two trials report two comparisons each: one row per comparison.
            let id = r[0].to_ascii_lowercase();
            let group = format!("comparison {}", i + 1);
            let row =
                med(&id, &r[2], &r[3], &r[4], &r[1]).replacen(",all,", &format!(",{group},"), 1);
            (row, "")
        })
        .collect();
    let p = project(&rows, "{ method = \"wald\" }");
    p.survlit("run").assert().success();
    assert_pooled_matches_metafor(&p, "MED1");
}

#[test]
fn every_route_is_named_and_not_reached_is_never_a_number() {
    let nr = fig(&[
        ("study_id", "nr2021"),
        ("citation", "Nr B. Cases. J 2021;1:1."),
        ("doi", ""),
        ("pmid", ""),
        ("value_status", "not_reached"),
        ("value", ""),
        ("n", "39"),
    ]);
    let events = fig(&[
        ("study_id", "ev2019"),
        ("citation", "Ev C. Series. J 2019;1:1."),
        ("doi", ""),
        ("pmid", ""),
        ("value", "20"),
        ("events", "25"),
        ("n", "40"),
    ]);
    let rows = vec![
        (med("ci2020", "46", "20", "72", "67"), ""),
        (events, ""),
        (med("nonly2022", "46", "", "", "9"), ""),
        (nr, ""),
    ];
    let p = project(&rows, "{ method = \"wald\" }");
    p.survlit("run").assert().success();
    let md = report(&p);
    assert!(md.contains("a: CI → Wald SE"), "{md}");
    assert!(
        md.contains("b: events, no CI → SE(log median) = 1/√d"),
        "{md}"
    );
    assert!(md.contains("model-based SE"), "{md}");
    assert!(md.contains("c: median and n only"), "{md}");
    assert!(
        md.contains("d: not reached: not a number, never pooled"),
        "{md}"
    );
    assert!(
        md.contains("**Pooled** (inverse-variance (Wald SEs), k = 2)"),
        "{md}"
    );
    // Median of medians takes the n-only figure too; the weighted one needs n.
    let p = project(&rows, "{ method = \"wmm\" }");
    p.survlit("run").assert().success();
    assert!(report(&p).contains("k = 3"), "{}", report(&p));
}

#[test]
fn studies_that_share_patients_are_not_pooled_together() {
    let rows = vec![
        (
            med("review2022", "102", "60", "140", "30"),
            "published_cases",
        ),
        (med("review2025", "46", "20", "72", "67"), "published_cases"),
        (med("series2020", "30", "20", "40", "25"), ""),
    ];
    let p = project(&rows, "{ method = \"wald\" }");
    p.survlit("run").assert().success();
    let md = report(&p);
    assert!(
        md.contains("Not pooled") && md.contains("share cohort 'published\\_cases'"),
        "{md}"
    );
    assert!(!p.path("reports/m/pooled.csv").exists());
    // Keeping one of them (the analysis says why) lets the rest pool.
    let p = project(
        &rows,
        "{ method = \"wald\", exclude = { \"review2022/all\" = \"older review, same cases\" } }",
    );
    p.survlit("run").assert().success();
    let md = report(&p);
    assert!(
        md.contains("left out by the analysis: older review, same cases"),
        "{md}"
    );
    assert!(md.contains("k = 2"), "{md}");
}

#[test]
fn an_exclusion_must_name_a_selected_figure() {
    let rows = vec![(med("a2020", "30", "20", "40", "25"), "")];
    let p = project(&rows, "{ exclude = { \"b2020/all\" = \"x\" } }");
    let out = p.survlit("run").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'b2020/all' is not among the selected medians") && err.contains("a2020/all"),
        "{err}"
    );
}

#[test]
fn means_pool_with_converted_medians_flagged_and_droppable() {
    use survlit::stats::medians::fivenum::{convert, ClosedForm, Scale};
    use survlit::stats::medians::FiveNum;
    let lat = |study: &str, stat: &str, value: &str, n: &str| {
        let citation = format!("{study} A. Latency. J 2020;1:1.");
        fig(&[
            ("study_id", study),
            ("citation", &citation),
            ("doi", ""),
            ("pmid", ""),
            ("outcome", "latency"),
            ("statistic", stat),
            ("value", value),
            ("n", n),
        ])
    };
    let rows = vec![
        (lat("iqr2022", "median", "32.7", "45"), "5.2,62.6,,"),
        (lat("sd2024", "mean", "33.3", "9"), ",,32.4,"),
        (lat("nosd2022", "mean", "62.4", "9"), ",,,"),
        (lat("skew2021", "median", "10", "30"), "9,40,,"),
    ];
    let p = project(&rows, "{ method = \"mean\" }");
    p.survlit("run").assert().success();
    let md = report(&p);
    assert!(
        md.contains("median with IQR → mean/SD") && md.contains("converted, flagged"),
        "{md}"
    );
    assert!(md.contains("mean without SD: no SE, listed only"), "{md}");
    assert!(md.contains("skewed by the Shi 2023 test"), "{md}");
    let (h, t) = csv_table(&p.path("reports/m/medians.csv"));
    let col = |k: &str| h.iter().position(|c| c == k).unwrap();
    let iqr = t.iter().find(|r| &r[0] == "iqr2022").unwrap();
    let want = convert(
        &FiveNum {
            n: 45.0,
            q1: Some(5.2),
            median: 32.7,
            q3: Some(62.6),
            ..FiveNum::default()
        },
        ClosedForm::LuoShi,
        Scale::Normal,
    )
    .unwrap();
    let got: f64 = iqr[col("pooled_value")].parse().unwrap();
    // The CSV carries 12 significant digits.
    assert!(
        (got - want.mean).abs() < 1e-10 * want.mean,
        "{got} vs {}",
        want.mean
    );
    let se: f64 = iqr[col("se")].parse().unwrap();
    assert!(
        (se - want.sd / 45f64.sqrt()).abs() < 1e-10 * se,
        "se {se} vs {}",
        want.sd / 45f64.sqrt()
    );
    let (ph, pooled) = csv_table(&p.path("reports/m/pooled.csv"));
    assert_eq!(&pooled[0][ph.iter().position(|c| c == "k").unwrap()], "2");
    // The sensitivity analysis drops the converted value: one left, not pooled.
    let p = project(&rows, "{ method = \"mean\", exclude_derived = true }");
    p.survlit("run").assert().success();
    let md = report(&p);
    assert!(
        md.contains("left out by exclude\\_derived") && md.contains("Not pooled"),
        "{md}"
    );
}

/// Two arms per study: the difference and the ratio of medians pooled by
/// the kind match metafor on dat.lung (DOM and ROM, REML, z) to 1e-6.
#[test]
fn contrast_of_arms_matches_metafor_dom_and_rom() {
    let (_, lung) = csv_table(&std::path::Path::new(ROOT).join("tests/fixtures/dat_lung.csv"));
    let mut rows: Vec<(String, &str)> = Vec::new();
    for (i, r) in lung.iter().enumerate() {
        // One study id per comparison (two trials report two comparisons).
        let id = format!("{}_{}", r[0].to_ascii_lowercase(), i + 1);
        for (group, m, lo, hi, n) in [
            ("experimental", &r[2], &r[3], &r[4], &r[1]),
            ("control", &r[6], &r[7], &r[8], &r[5]),
        ] {
            let row = med(&id, m, lo, hi, n).replacen(",all,", &format!(",{group},"), 1);
            rows.push((row, ""));
        }
    }
    for (effect, set) in [("difference", "DOM"), ("ratio", "ROM")] {
        let p = project(
            &rows,
            &format!("{{ contrast = [\"experimental\", \"control\"], effect = \"{effect}\" }}"),
        );
        p.survlit("run").assert().success();
        assert_pooled_matches_metafor(&p, set);
        common::assert_dictionary_complete(&p.path("reports"));
        assert!(p.path("reports/m/forest.png").exists());
    }
}
