//! Predictions of a meta-regression (the bubble plot's line, CI band and
//! prediction interval) against metafor's `predict.rma`
//! (tests/reference/scripts/metafor_bcg_predict.R): dat.bcg log RR on
//! absolute latitude, REML, z and Knapp–Hartung, to 1e-6.

use crate::common;

use survlit::stats::linalg::Matrix;
use survlit::stats::pool::predict::predict;
use survlit::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

#[test]
fn predictions_match_metafor() {
    let (y, v) = common::fixture_yv("dat_bcg.csv", 4, 5);
    let mut rdr =
        csv::Reader::from_path(format!("{}/tests/fixtures/dat_bcg.csv", common::ROOT)).unwrap();
    let ablat: Vec<f64> = rdr
        .records()
        .map(|r| r.unwrap()[2].parse().unwrap())
        .collect();
    let mut x = Matrix::zeros(y.len(), 2);
    for (i, a) in ablat.iter().enumerate() {
        *x.at_mut(i, 0) = 1.0;
        *x.at_mut(i, 1) = *a;
    }
    let mut failures = Vec::new();
    for test in ["z", "knha"] {
        let params = RmaParams {
            method: Tau2Method::REML,
            test: if test == "z" {
                TestKind::Z
            } else {
                TestKind::Knha
            },
            level: 0.95,
        };
        let fit = rma(&y, &v, Some(&x), survlit::stats::pool::NO_LABELS, params).unwrap();
        let rows: Vec<_> = common::reference("bcg_predict.csv")
            .into_iter()
            .filter(|r| &r[0] == test)
            .collect();
        assert_eq!(rows.len(), 5);
        let xs: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| vec![1.0, r[1].parse().unwrap()])
            .collect();
        for (p, r) in predict(&fit, &xs).iter().zip(&rows) {
            let p = p.expect("row has the model's length");
            for (what, ours, col) in [
                ("pred", p.pred, 2),
                ("se", p.se, 3),
                ("ci_lb", p.ci_lb, 4),
                ("ci_ub", p.ci_ub, 5),
                ("pi_lb", p.pi_lb, 6),
                ("pi_ub", p.pi_ub, 7),
            ] {
                common::check(
                    &mut failures,
                    &format!("{test} ablat={} {what}", &r[1]),
                    ours,
                    &r[col],
                    1e-6,
                );
            }
        }
        assert!(predict(&fit, &[vec![1.0]])[0].is_none());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
