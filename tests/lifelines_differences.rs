//! Where Python lifelines and R survival differ, checked on lung against
//! committed lifelines output (tests/reference/scripts/lifelines_compare.py).
//! survlit follows R by default; these tests pin down the one documented
//! difference (lifelines' default KM interval is R's log-log, not R's log)
//! and the agreements (log-rank, Cox Efron, concordance, median here).

use crate::common::{csv_table, ROOT};
use survlit::stats::linalg::Matrix;
use survlit::stats::survival::cox::{cox, Ties};
use survlit::stats::survival::km::{kaplan_meier, ConfType};
use survlit::stats::survival::logrank::log_rank;

fn lifelines(q: &str) -> f64 {
    let (_, rows) =
        csv_table(&std::path::Path::new(ROOT).join("tests/reference/lifelines/lung.csv"));
    rows.iter()
        .find(|r| &r[0] == q)
        .unwrap_or_else(|| panic!("no {q}"))[1]
        .parse()
        .unwrap()
}

fn lung() -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let (h, rows) = csv_table(&std::path::Path::new(ROOT).join("tests/fixtures/lung.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    (
        rows.iter().map(|r| r[c("time")].parse().unwrap()).collect(),
        rows.iter().map(|r| &r[c("status")] == "2").collect(),
        rows.iter().map(|r| r[c("sex")].parse().unwrap()).collect(),
    )
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol * b.abs().max(1e-12),
        "{what}: survlit {a} vs lifelines {b}"
    );
}

#[test]
fn lifelines_km_interval_is_rs_log_log_not_rs_default() {
    let (t, e, _) = lung();
    let loglog = kaplan_meier(&t, &e, ConfType::LogLog, 0.95).unwrap();
    let log = kaplan_meier(&t, &e, ConfType::Log, 0.95).unwrap();
    for time in [5.0, 310.0, 765.0] {
        let a = loglog.surv_at(time);
        close(a.surv, lifelines(&format!("km_surv_{time}")), 1e-12, "S");
        close(
            a.ci_lb,
            lifelines(&format!("km_ci_lb_{time}")),
            1e-9,
            "log-log lower",
        );
        close(
            a.ci_ub,
            lifelines(&format!("km_ci_ub_{time}")),
            1e-9,
            "log-log upper",
        );
        let b = log.surv_at(time);
        assert!(
            (b.ci_lb - lifelines(&format!("km_ci_lb_{time}"))).abs() > 1e-4,
            "R's default (log) differs from lifelines"
        );
    }
    assert_eq!(log.quantile(0.5).estimate, Some(lifelines("km_median")));
}

#[test]
fn log_rank_cox_and_concordance_agree() {
    let (t, e, sex) = lung();
    let g: Vec<usize> = sex.iter().map(|s| usize::from(*s == 2.0)).collect();
    close(
        log_rank(&t, &e, &g, None, 0.0).unwrap().chisq,
        lifelines("logrank_chisq"),
        1e-9,
        "log-rank",
    );
    let x = Matrix {
        rows: sex.len(),
        cols: 1,
        data: sex,
    };
    let f = cox(&t, &e, &x, None, Ties::Efron).unwrap();
    close(f.coef[0], lifelines("cox_coef_sex"), 1e-5, "Cox coef");
    close(f.se[0], lifelines("cox_se_sex"), 1e-5, "Cox se");
    close(
        f.concordance,
        lifelines("cox_concordance"),
        1e-9,
        "concordance",
    );
}
