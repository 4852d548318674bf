//! Invariants of the pooling engine that hold for any data (proptest).

use proptest::prelude::*;
use survlit::stats::pool::{confint, rma, RmaParams, Tau2Method, TestKind, NO_LABELS};

fn params(method: Tau2Method, level: f64) -> RmaParams {
    RmaParams {
        method,
        test: TestKind::Z,
        level,
    }
}

fn studies() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..25).prop_flat_map(|k| {
        (
            prop::collection::vec(-3.0f64..3.0, k),
            prop::collection::vec(0.01f64..1.0, k),
        )
    })
}

fn method() -> impl Strategy<Value = Tau2Method> {
    prop::sample::select(Tau2Method::ALL.to_vec())
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Study order does not matter.
    #[test]
    fn order_does_not_matter((y, v) in studies(), m in method(), seed in 0u64..1000) {
        let a = rma(&y, &v, None, NO_LABELS, params(m, 0.95)).unwrap();
        let mut idx: Vec<usize> = (0..y.len()).collect();
        let k = idx.len();
        for i in 0..k { idx.swap(i, (seed as usize * 7 + i * 13) % k); }
        let (y2, v2): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (y[i], v[i])).unzip();
        let b = rma(&y2, &v2, None, NO_LABELS, params(m, 0.95)).unwrap();
        prop_assert!(close(a.beta[0], b.beta[0], 1e-7) && close(a.tau2, b.tau2, 1e-7), "{m}: {} vs {}", a.beta[0], b.beta[0]);
    }

    /// Adding c to every yi shifts the estimate by c and leaves tau² unchanged.
    #[test]
    fn shift_equivariance((y, v) in studies(), m in method(), c in -5.0f64..5.0) {
        let a = rma(&y, &v, None, NO_LABELS, params(m, 0.95)).unwrap();
        let ys: Vec<f64> = y.iter().map(|y| y + c).collect();
        let b = rma(&ys, &v, None, NO_LABELS, params(m, 0.95)).unwrap();
        prop_assert!(close(b.beta[0], a.beta[0] + c, 1e-7), "{m}: {} + {c} vs {}", a.beta[0], b.beta[0]);
        prop_assert!(close(a.tau2, b.tau2, 1e-7));
    }

    /// tau² ≥ 0, I² in [0, 100], the CI contains the estimate, weights sum to 100.
    #[test]
    fn ranges((y, v) in studies(), m in method()) {
        let f = rma(&y, &v, None, NO_LABELS, params(m, 0.95)).unwrap();
        prop_assert!(f.tau2 >= 0.0);
        prop_assert!((0.0..=100.0).contains(&f.i2));
        prop_assert!(f.ci_lb[0] <= f.beta[0] && f.beta[0] <= f.ci_ub[0]);
        prop_assert!((f.weights.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        if let Some(ci) = confint::q_profile(&f, &y, &v, None).unwrap() {
            prop_assert!(ci.tau2.0 <= ci.tau2.1 && ci.tau2.0 >= 0.0);
        }
    }

    /// A wider level gives a wider CI.
    #[test]
    fn wider_level_wider_ci((y, v) in studies(), m in method()) {
        let a = rma(&y, &v, None, NO_LABELS, params(m, 0.90)).unwrap();
        let b = rma(&y, &v, None, NO_LABELS, params(m, 0.99)).unwrap();
        prop_assert!(b.ci_ub[0] - b.ci_lb[0] > a.ci_ub[0] - a.ci_lb[0]);
    }

    /// The equal-effects estimate lies within [min yi, max yi].
    #[test]
    fn fixed_effect_within_range((y, v) in studies()) {
        let f = rma(&y, &v, None, NO_LABELS, params(Tau2Method::FE, 0.95)).unwrap();
        let (lo, hi) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(*y), b.max(*y)));
        prop_assert!(f.beta[0] >= lo - 1e-12 && f.beta[0] <= hi + 1e-12);
    }

    /// One study: the pooled estimate is the study itself.
    #[test]
    fn one_study_is_itself(y in -3.0f64..3.0, v in 0.01f64..1.0, m in method()) {
        let f = rma(&[y], &[v], None, NO_LABELS, params(m, 0.95)).unwrap();
        prop_assert!(close(f.beta[0], y, 1e-12) && close(f.se[0], v.sqrt(), 1e-12) && f.tau2 == 0.0);
    }

    /// Equal variances and identical effects: estimate = mean, tau² = 0.
    #[test]
    fn homogeneous_equal_variances(k in 2usize..20, y in -3.0f64..3.0, v in 0.01f64..1.0, m in method()) {
        let f = rma(&vec![y; k], &vec![v; k], None, NO_LABELS, params(m, 0.95)).unwrap();
        prop_assert!(close(f.beta[0], y, 1e-9) && f.tau2.abs() < 1e-9, "{m}: tau2 {}", f.tau2);
    }
}
