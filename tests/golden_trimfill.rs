//! Trim-and-fill against metafor's trimfill() (tests/reference/scripts/
//! metafor_trimfill.R): dat.hackshaw1998, dat.bcg and a simulated k = 60 set;
//! FE and REML; L0 and R0 — k0, its SE, the side, and the filled model.

use crate::common;

use crate::common::{fixture_yv as load, reference};
use survlit::stats::pool::trimfill::{trimfill, K0Estimator, Side};
use survlit::stats::pool::{RmaParams, Tau2Method, TestKind};

#[test]
fn trimfill_matches_metafor() {
    let mut failures = Vec::new();
    let mut n = 0;
    for r in reference("trimfill.csv") {
        let (y, v) = match &r[0] {
            "hackshaw1998" => load("hackshaw1998.csv", 1, 2),
            "bcg" => load("dat_bcg.csv", 4, 5),
            _ => load("sim60.csv", 1, 2),
        };
        let method: Tau2Method = r[1].parse().unwrap();
        let est = if &r[2] == "L0" {
            K0Estimator::L0
        } else {
            K0Estimator::R0
        };
        let tf = trimfill(
            &y,
            &v,
            RmaParams {
                method,
                test: TestKind::Z,
                level: 0.95,
            },
            est,
            None,
        )
        .unwrap();
        let tag = format!("{} {} {}", &r[0], &r[1], &r[2]);
        n += 1;
        if tf.k0.to_string() != r[3] || (tf.side == Side::Left) != (&r[5] == "left") {
            failures.push(format!(
                "{tag}: k0 {} side {:?} vs metafor k0 {} side {}",
                tf.k0, tf.side, &r[3], &r[5]
            ));
            continue;
        }
        for (name, ours, col) in [
            ("se_k0", tf.se_k0, 4),
            ("estimate", tf.fit.beta[0], 6),
            ("se", tf.fit.se[0], 7),
            ("ci_lb", tf.fit.ci_lb[0], 8),
            ("ci_ub", tf.fit.ci_ub[0], 9),
            ("tau2", tf.fit.tau2, 10),
        ] {
            common::check(&mut failures, &format!("{tag} {name}"), ours, &r[col], 1e-6);
        }
    }
    assert_eq!(n, 12);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
