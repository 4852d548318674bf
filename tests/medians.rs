//! Medians: conversions to mean/SD against the published worked examples
//! (metafor's `conv.fivenum` reference page, peers.md §4.4), the skewness
//! test, QE fits, and properties every conversion must have.

use crate::common::{csv_table, ROOT};
use proptest::prelude::*;
use survlit::stats::medians::boxcox::{bc_mean_sd, mln_mean_sd};
use survlit::stats::medians::fivenum::{convert, skew_test, ClosedForm, Scale};
use survlit::stats::medians::pool_med::pool_med;
use survlit::stats::medians::qe::{qe_fit, Convention};
use survlit::stats::medians::FiveNum;

fn medians_reference(file: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    csv_table(
        &std::path::Path::new(ROOT)
            .join("tests/reference/medians")
            .join(file),
    )
}

fn opt(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().unwrap())
}

fn five(h: &csv::StringRecord, r: &csv::StringRecord) -> FiveNum {
    let get = |k: &str| &r[h.iter().position(|c| c == k).unwrap()];
    FiveNum {
        n: get("n").parse().unwrap(),
        min: opt(get("min")),
        q1: opt(get("q1")),
        median: get("median").parse().unwrap(),
        q3: opt(get("q3")),
        max: opt(get("max")),
    }
}

/// Published values are printed to 6 decimals: absolute tolerance.
fn close(failures: &mut Vec<String>, what: String, ours: f64, theirs: &str, tol: f64) {
    if let Some(t) = opt(theirs) {
        if (ours - t).abs() > tol {
            failures.push(format!(
                "{what}: survlit {ours:.9} vs published {t} (tolerance {tol})"
            ));
        }
    }
}

#[test]
fn conversions_match_the_published_examples() {
    let (h, rows) = medians_reference("conv_fivenum_published.csv");
    let col =
        |r: &csv::StringRecord, k: &str| r[h.iter().position(|c| c == k).unwrap()].to_string();
    let mut failures = Vec::new();
    for r in &rows {
        let f = five(&h, r);
        let method = col(r, "method");
        let tol: f64 = col(r, "tolerance").parse().unwrap();
        let scale = if col(r, "scale") == "lognormal" {
            Scale::LogNormal
        } else {
            Scale::Normal
        };
        let (mean, sd) = match method.as_str() {
            "qe" => qe_fit(&f, Convention::MeanSd).unwrap().mean_sd(),
            "bc" => {
                let b = bc_mean_sd(&f).unwrap();
                (b.mean, b.sd)
            }
            "mln" => {
                let b = mln_mean_sd(&f).unwrap();
                (b.mean, b.sd)
            }
            m => {
                let cf = match m {
                    "luo-shi" => ClosedForm::LuoShi,
                    "luo-wan" => ClosedForm::LuoWan,
                    _ => ClosedForm::Hozo,
                };
                let c = convert(&f, cf, scale).unwrap();
                (c.mean, c.sd)
            }
        };
        let what = format!("{} {method} {}", col(r, "case"), col(r, "scale"));
        close(
            &mut failures,
            format!("{what} mean"),
            mean,
            &col(r, "mean"),
            tol,
        );
        close(&mut failures, format!("{what} sd"), sd, &col(r, "sd"), tol);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn skewness_test_matches_the_published_examples() {
    let (h, rows) = medians_reference("skew_test_published.csv");
    let col =
        |r: &csv::StringRecord, k: &str| r[h.iter().position(|c| c == k).unwrap()].to_string();
    let mut failures = Vec::new();
    for r in &rows {
        let f = five(&h, r);
        let scale = if col(r, "scale") == "lognormal" {
            Scale::LogNormal
        } else {
            Scale::Normal
        };
        let c = convert(&f, ClosedForm::LuoShi, scale).unwrap();
        let what = format!("{} {}", col(r, "case"), col(r, "scale"));
        // Printed to 3 decimals.
        close(
            &mut failures,
            format!("{what} statistic"),
            c.skew.statistic,
            &col(r, "statistic"),
            5e-4,
        );
        close(
            &mut failures,
            format!("{what} critical"),
            c.skew.critical,
            &col(r, "critical"),
            5e-4,
        );
        if c.skew.skewed() != (col(r, "skewed") == "true") {
            failures.push(format!("{what}: skewed = {}", c.skew.skewed()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn arb_sample() -> impl Strategy<Value = (f64, [f64; 5])> {
    (5.0f64..500.0, prop::array::uniform5(0.1f64..100.0)).prop_map(|(n, mut v)| {
        v.sort_by(f64::total_cmp);
        (n.round(), v)
    })
}

proptest! {
    /// A symmetric summary converts to a mean equal to its median, whatever
    /// the method.
    #[test]
    fn symmetric_summaries_give_the_median_as_mean(n in 5.0f64..1000.0, m in -50.0f64..50.0, a in 0.1f64..20.0, b in 0.1f64..20.0) {
        let (lo, hi) = (a.min(b), a.max(b));
        let n = n.round();
        for f in [
            FiveNum { n, min: Some(m - hi), median: m, max: Some(m + hi), ..FiveNum::default() },
            FiveNum { n, q1: Some(m - lo), median: m, q3: Some(m + lo), ..FiveNum::default() },
            FiveNum { n, min: Some(m - hi), q1: Some(m - lo), median: m, q3: Some(m + lo), max: Some(m + hi) },
        ] {
            for cf in [ClosedForm::LuoShi, ClosedForm::LuoWan, ClosedForm::Hozo] {
                let c = convert(&f, cf, Scale::Normal).unwrap();
                prop_assert!((c.mean - m).abs() < 1e-9 * (1.0 + m.abs()), "{:?} {:?}: {}", cf, f, c.mean);
                prop_assert!(c.skew.statistic.abs() < 1e-9);
            }
        }
    }

    /// Scaling every value by c > 0 scales the mean and SD by c; shifting
    /// shifts the mean only.
    #[test]
    fn conversions_are_location_scale_equivariant((n, v) in arb_sample(), c in 0.1f64..10.0, d in -100.0f64..100.0) {
        prop_assume!(v[0] < v[4] && v[1] < v[3]);
        let f = FiveNum { n, min: Some(v[0]), q1: Some(v[1]), median: v[2], q3: Some(v[3]), max: Some(v[4]) };
        let g = FiveNum { n, min: Some(c * v[0] + d), q1: Some(c * v[1] + d), median: c * v[2] + d, q3: Some(c * v[3] + d), max: Some(c * v[4] + d) };
        for cf in [ClosedForm::LuoShi, ClosedForm::LuoWan, ClosedForm::Hozo] {
            let (a, b) = (convert(&f, cf, Scale::Normal).unwrap(), convert(&g, cf, Scale::Normal).unwrap());
            prop_assert!((b.mean - (c * a.mean + d)).abs() < 1e-9 * (1.0 + b.mean.abs()));
            prop_assert!((b.sd - c * a.sd).abs() < 1e-9 * (1.0 + b.sd));
        }
        // The skewness test is scale-free.
        let (a, b) = (convert(&f, ClosedForm::LuoShi, Scale::Normal).unwrap(), convert(&g, ClosedForm::LuoShi, Scale::Normal).unwrap());
        prop_assert!((a.skew.statistic - b.skew.statistic).abs() < 1e-9);
    }

    /// Box–Cox: scaling every value by c > 0 scales the mean and SD by c
    /// (the transform of cx is affine in that of x, so λ is unchanged).
    #[test]
    fn box_cox_is_scale_equivariant((n, v) in arb_sample(), c in 0.2f64..5.0) {
        prop_assume!(v[0] < v[2] && v[2] < v[4] && v[1] < v[2] && v[2] < v[3]);
        let f = FiveNum { n, min: Some(v[0]), q1: Some(v[1]), median: v[2], q3: Some(v[3]), max: Some(v[4]) };
        let g = FiveNum { n, min: Some(c * v[0]), q1: Some(c * v[1]), median: c * v[2], q3: Some(c * v[3]), max: Some(c * v[4]) };
        let (a, b) = (bc_mean_sd(&f).unwrap(), bc_mean_sd(&g).unwrap());
        // λ itself can be poorly determined when the values are tightly
        // clustered (the asymmetry barely depends on it: 0.006452 vs
        // 0.006456 for 60–92 at n = 5), but then the mean and SD barely
        // depend on λ either.
        prop_assert!((b.mean - c * a.mean).abs() < 1e-5 * b.mean, "{} vs {}", b.mean, c * a.mean);
        prop_assert!((b.sd - c * a.sd).abs() < 1e-4 * b.sd, "{} vs {}", b.sd, c * a.sd);
    }

    /// The median of medians lies between the smallest and largest study
    /// median, and inside its own CI.
    #[test]
    fn median_of_medians_lies_between_the_medians(y in prop::collection::vec(-100.0f64..100.0, 1..40), w in prop::collection::vec(1.0f64..500.0, 40)) {
        let lo = y.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for r in [pool_med(&y, None).unwrap(), pool_med(&y, Some(&w[..y.len()])).unwrap()] {
            // One rounding of slack: Hmisc interpolates even between equal values.
            let eps = 1e-12 * (1.0 + lo.abs().max(hi.abs()));
            prop_assert!(lo - eps <= r.estimate && r.estimate <= hi + eps);
            prop_assert!(r.ci_lb <= r.estimate + eps && r.estimate <= r.ci_ub + eps);
            prop_assert!(lo - eps <= r.ci_lb && r.ci_ub <= hi + eps);
        }
    }
}

/// The case proptest found where λ is poorly determined: the mean and SD
/// still scale.
#[test]
fn box_cox_scales_even_when_lambda_is_flat() {
    let v = [
        60.415285196763485,
        73.67445994757308,
        76.97142858345103,
        82.14898664408777,
        92.33960043784654,
    ];
    let f = FiveNum {
        n: 5.0,
        min: Some(v[0]),
        q1: Some(v[1]),
        median: v[2],
        q3: Some(v[3]),
        max: Some(v[4]),
    };
    let g = FiveNum {
        n: 5.0,
        min: Some(0.2 * v[0]),
        q1: Some(0.2 * v[1]),
        median: 0.2 * v[2],
        q3: Some(0.2 * v[3]),
        max: Some(0.2 * v[4]),
    };
    let (a, b) = (bc_mean_sd(&f).unwrap(), bc_mean_sd(&g).unwrap());
    assert!(
        (b.mean - 0.2 * a.mean).abs() < 1e-5 * b.mean,
        "{} vs {}",
        b.mean,
        0.2 * a.mean
    );
    assert!(
        (b.sd - 0.2 * a.sd).abs() < 1e-4 * b.sd,
        "{} vs {}",
        b.sd,
        0.2 * a.sd
    );
}

#[test]
fn skew_test_formulas_by_hand() {
    // S1, n = 20: |2 + 14 − 12| / 12 = 1/3; critical 1/ln 29 + 2.5/21.
    let t = skew_test(
        &survlit::stats::medians::Scenario::S1 {
            min: 2.0,
            max: 14.0,
        },
        6.0,
        20.0,
    );
    assert!((t.statistic - 1.0 / 3.0).abs() < 1e-15);
    assert!((t.critical - (1.0 / 29f64.ln() + 2.5 / 21.0)).abs() < 1e-15);
}

/// metamedian's README: `metamedian(dat.age, median_method = "qe")` on the
/// 51 studies of age in COVID-19 non-survivors vs survivors (29 report
/// quartiles, 22 a mean and SD), pooled by REML (peers.md §4.5, published
/// to 4 decimals).
#[test]
fn qe_difference_of_medians_matches_metamedian_dat_age() {
    use survlit::stats::medians::qe::{qe_study, GroupSummary};
    use survlit::stats::pool::{rma, RmaParams, Tau2Method, TestKind};
    let (h, rows) = medians_reference("dat_age_covid.csv");
    let get = |r: &csv::StringRecord, k: &str| -> Option<f64> {
        let v = &r[h.iter().position(|c| c == k).unwrap()];
        (v != "NA").then(|| v.parse().unwrap())
    };
    let group = |r: &csv::StringRecord, g: &str| {
        let n = get(r, &format!("n.{g}")).unwrap();
        match get(r, &format!("med.{g}")) {
            Some(median) => GroupSummary::Quantiles(FiveNum {
                n,
                q1: get(r, &format!("q1.{g}")),
                median,
                q3: get(r, &format!("q3.{g}")),
                ..FiveNum::default()
            }),
            None => GroupSummary::MeanSd {
                mean: get(r, &format!("mean.{g}")).unwrap(),
                sd: get(r, &format!("sd.{g}")).unwrap(),
                n,
            },
        }
    };
    let (mut y, mut v) = (Vec::new(), Vec::new());
    for r in &rows {
        let s = qe_study(&group(r, "g1"), Some(&group(r, "g2"))).unwrap();
        y.push(s.yi);
        v.push(s.vi);
    }
    assert_eq!(y.len(), 51);
    let fit = rma(
        &y,
        &v,
        None,
        survlit::stats::pool::NO_LABELS,
        RmaParams {
            method: Tau2Method::REML,
            test: TestKind::Z,
            level: 0.95,
        },
    )
    .unwrap();
    let mut failures = Vec::new();
    let published = [
        ("estimate", fit.beta[0], 13.2238, 5e-5),
        ("se", fit.se[0], 0.9121, 5e-5),
        ("ci_lb", fit.ci_lb[0], 11.4361, 5e-5),
        ("ci_ub", fit.ci_ub[0], 15.0115, 5e-5),
        ("tau2", fit.tau2, 33.5585, 5e-5),
        ("tau2_se", fit.tau2_se, 8.3883, 5e-5),
        // Q sums 51 squared standardised residuals: the slack in where R's
        // optimiser stops (factr 1e7) shows here first, at 1e-6 relative.
        ("Q", fit.q, 373.6841, 5e-4),
        ("I2", fit.i2, 86.95, 5e-3),
    ];
    for (what, ours, theirs, tol) in published {
        close(
            &mut failures,
            what.to_string(),
            ours,
            &theirs.to_string(),
            tol,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
