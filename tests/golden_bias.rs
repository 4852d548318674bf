//! Egger's regression test (mixed-effects and classical) and Begg's rank
//! correlation against metafor's regtest() and ranktest()
//! (tests/reference/scripts/metafor_bias.R): dat.bcg (exact Kendall
//! distribution) and a simulated k = 60 set (still exact: metafor uses the
//! exact distribution whenever there are no ties).

use crate::common;

use crate::common::{fixture_yv as load, reference};
use survlit::stats::pool::bias::{begg, egger};
use survlit::stats::pool::{RmaParams, Tau2Method, TestKind};

#[test]
fn egger_and_begg_match_metafor() {
    let mut failures = Vec::new();
    let mut n = 0;
    for r in reference("bias.csv") {
        let (y, v) = if &r[0] == "bcg" {
            load("dat_bcg.csv", 4, 5)
        } else {
            load("sim60.csv", 1, 2)
        };
        let test = if &r[1] == "knha" {
            TestKind::Knha
        } else {
            TestKind::Z
        };
        let params = RmaParams {
            method: Tau2Method::REML,
            test,
            level: 0.95,
        };
        let e = egger(&y, &v, params, false).unwrap();
        let lm = egger(&y, &v, params, true).unwrap();
        let b = begg(&y, &v).unwrap();
        assert!(b.exact, "no ties: the exact distribution, as metafor");
        for (name, ours, col, tol) in [
            ("egger stat", e.stat, 2, 1e-6),
            ("egger pval", e.pval, 3, 1e-6),
            ("egger limit", e.limit, 4, 1e-6),
            ("egger limit lb", e.limit_ci.0, 5, 1e-6),
            ("egger limit ub", e.limit_ci.1, 6, 1e-6),
            ("lm stat", lm.stat, 7, 1e-9),
            ("lm df", lm.df.unwrap(), 8, 1e-12),
            ("lm pval", lm.pval, 9, 1e-9),
            ("lm limit", lm.limit, 10, 1e-9),
            ("rank tau", b.tau, 11, 1e-12),
            ("rank pval", b.pval, 12, 1e-9),
        ] {
            n += 1;
            common::check(
                &mut failures,
                &format!("{} {} {name}", &r[0], &r[1]),
                ours,
                &r[col],
                tol,
            );
        }
    }
    assert_eq!(n, 44);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
