//! Leave-one-out and cumulative meta-analysis against metafor's leave1out()
//! and cumul(order = year) on dat.bcg (tests/reference/scripts/
//! metafor_bcg_sensitivity.R); REML, z and Knapp–Hartung; 1e-6 relative.

use crate::common;

use survlit::stats::pool::sensitivity::{cumulative, leave_one_out};
use survlit::stats::pool::{RmaParams, Tau2Method, TestKind};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn leave_one_out_and_cumulative_match_metafor() {
    let mut rdr = csv::Reader::from_path(format!("{ROOT}/tests/fixtures/dat_bcg.csv")).unwrap();
    let (mut labels, mut years, mut y, mut v) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rdr.records().map(Result::unwrap) {
        labels.push(r[0].to_string());
        years.push(r[1].parse::<i32>().unwrap());
        y.push(r[4].parse::<f64>().unwrap());
        v.push(r[5].parse::<f64>().unwrap());
    }
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_by_key(|&i| years[i]); // stable, as R's order()
    let refs = common::reference("bcg_sensitivity.csv");
    let mut failures = Vec::new();
    for test in [TestKind::Z, TestKind::Knha] {
        let params = RmaParams {
            method: Tau2Method::REML,
            test,
            level: 0.95,
        };
        for (kind, fits) in [
            ("leave1out", leave_one_out(&y, &v, &labels, params).unwrap()),
            (
                "cumul",
                cumulative(&y, &v, &labels, &order, params).unwrap(),
            ),
        ] {
            let rows: Vec<_> = refs
                .iter()
                .filter(|r| &r[0] == kind && r[1] == test.to_string())
                .collect();
            assert_eq!(rows.len(), fits.len());
            for (f, r) in fits.iter().zip(rows) {
                assert_eq!(f.study, &r[2]);
                // One study (first cumulative step): both tools fall back to z with tau² = 0.
                for (name, ours, col) in [
                    ("estimate", f.fit.beta[0], 3),
                    ("se", f.fit.se[0], 4),
                    ("ci_lb", f.fit.ci_lb[0], 5),
                    ("ci_ub", f.fit.ci_ub[0], 6),
                    ("pval", f.fit.pval[0], 7),
                    ("q", f.fit.q, 8),
                    ("tau2", f.fit.tau2, 9),
                    ("i2", f.fit.i2, 10),
                ] {
                    common::check(
                        &mut failures,
                        &format!("{kind} {test} {} {name}", &r[2]),
                        ours,
                        &r[col],
                        1e-6,
                    );
                }
            }
            if kind == "cumul" {
                assert!((fits[0].fit.beta[0] - y[order[0]]).abs() < 1e-15);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
