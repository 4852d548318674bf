//! Effect sizes against metafor 3.8 (tests/reference/scripts/metafor_proportions.R):
//! every proportion measure on a set with zero- and all-event studies, and the
//! Freeman–Tukey back-transformation of Miller (1978) with the harmonic-mean n.
//! Closed forms: 1e-9 relative.

use crate::common::reference as rows;
use survlit::stats::effect::proportion::{from_counts, Scale};
use survlit::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12),
        "{what}: survlit {a:e} vs metafor {b:e}"
    );
}

#[test]
fn proportions_match_escalc_including_zero_and_all_events() {
    let recs = rows("proportions.csv");
    assert_eq!(recs.len(), 30);
    for r in recs {
        let scale = match &r[0] {
            "PR" => Scale::PR,
            "PLN" => Scale::PLN,
            "PLO" => Scale::PLO,
            "PAS" => Scale::PAS,
            _ => Scale::PFT,
        };
        let (x, n): (f64, f64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        let e = from_counts(x, n, scale).unwrap();
        close(
            e.yi,
            r[4].parse().unwrap(),
            &format!("{} {x}/{n} yi", &r[0]),
        );
        close(
            e.vi,
            r[5].parse().unwrap(),
            &format!("{} {x}/{n} vi", &r[0]),
        );
    }
}

/// Miller (1978), as in metafor's test_analysis_example_miller1978.r.
#[test]
fn freeman_tukey_back_transform_with_harmonic_mean_n() {
    let x = [3.0, 6.0, 10.0, 1.0];
    let n = [11.0, 17.0, 21.0, 6.0];
    let (y, v): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(&n)
        .map(|(x, n)| from_counts(*x, *n, Scale::PFT).unwrap())
        .map(|e| (e.yi, e.vi))
        .unzip();
    let fit = rma(
        &y,
        &v,
        None,
        survlit::stats::pool::NO_LABELS,
        RmaParams {
            method: Tau2Method::FE,
            test: TestKind::Z,
            level: 0.95,
        },
    )
    .unwrap();
    let hm = n.len() as f64 / n.iter().map(|n| 1.0 / n).sum::<f64>();
    let r = &rows("miller1978.csv")[0];
    close(fit.beta[0], r[0].parse().unwrap(), "FT estimate");
    close(
        Scale::PFT.back(fit.beta[0], hm),
        r[1].parse().unwrap(),
        "back-transformed estimate",
    );
    close(
        Scale::PFT.back(fit.ci_lb[0], hm),
        r[2].parse().unwrap(),
        "back-transformed ci_lb",
    );
    close(
        Scale::PFT.back(fit.ci_ub[0], hm),
        r[3].parse().unwrap(),
        "back-transformed ci_ub",
    );
}
