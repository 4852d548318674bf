//! Influence diagnostics against metafor's influence() (tests/reference/
//! scripts/metafor_influence.R): dat.bcg and a six-study set with one
//! influential outlier; REML, z and Knapp–Hartung.

use crate::common;

use crate::common::{fixture_yv, reference};
use survlit::stats::pool::influence::influence;
use survlit::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

#[test]
fn influence_matches_metafor() {
    let bcg = fixture_yv("dat_bcg.csv", 4, 5);
    let outlier6 = (
        vec![0.1, 0.15, 0.2, 0.12, 0.18, 1.6],
        vec![0.02, 0.03, 0.025, 0.02, 0.03, 0.01],
    );
    let refs = reference("bcg_influence.csv");
    let mut failures = Vec::new();
    let mut flagged = 0;
    for (set, (y, v)) in [("bcg", &bcg), ("outlier6", &outlier6)] {
        for test in [TestKind::Z, TestKind::Knha] {
            let fit = rma(
                y,
                v,
                None,
                survlit::stats::pool::NO_LABELS,
                RmaParams {
                    method: Tau2Method::REML,
                    test,
                    level: 0.95,
                },
            )
            .unwrap();
            let inf = influence(&fit, y, v).unwrap();
            let rows: Vec<_> = refs
                .iter()
                .filter(|r| &r[0] == set && r[1] == test.to_string())
                .collect();
            assert_eq!(rows.len(), inf.len());
            for (d, r) in inf.iter().zip(rows) {
                for (name, ours, col) in [
                    ("rstudent", d.rstudent, 3),
                    ("dffits", d.dffits, 4),
                    ("cook_d", d.cook_d, 5),
                    ("cov_r", d.cov_r, 6),
                    ("tau2_del", d.tau2_del, 7),
                    ("qe_del", d.qe_del, 8),
                    ("hat", d.hat, 9),
                    ("weight", d.weight, 10),
                    ("dfbetas", d.dfbetas, 11),
                ] {
                    common::check(
                        &mut failures,
                        &format!("{set} {test} study {} {name}", &r[2]),
                        ours,
                        &r[col],
                        1e-6,
                    );
                }
                assert_eq!(
                    d.influential,
                    &r[12] == "TRUE",
                    "{set} {test} study {}",
                    &r[2]
                );
                flagged += usize::from(d.influential);
            }
        }
    }
    assert!(
        flagged >= 2,
        "the outlier set must exercise the influential flag"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
