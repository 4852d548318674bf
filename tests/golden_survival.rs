//! The survival engine against R survival 3.5 (tests/reference/scripts/survival_r.R)
//! on lung, veteran, aml and Therneau's test1: every Kaplan–Meier step with
//! log, log-log and plain CIs; quartiles and their CIs; RMST; survival at
//! chosen times; log-rank and Peto–Peto tests, stratified too; Cox models
//! with Efron and Breslow ties, categorical covariates and strata.
//! Tolerances: 1e-9 relative on closed forms (KM, tests), 1e-6 on Cox.

use crate::common::{check, csv_table, ROOT};
use survlit::stats::linalg::Matrix;
use survlit::stats::survival::cox::{cox, Ties};
use survlit::stats::survival::km::{kaplan_meier, ConfType, KmFit};
use survlit::stats::survival::logrank::log_rank;

/// A committed R survival reference (tests/reference/survival/).
fn r_reference(file: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    csv_table(
        &std::path::Path::new(ROOT)
            .join("tests/reference/survival")
            .join(file),
    )
}

/// A fixture as columns of text.
struct Data {
    header: csv::StringRecord,
    rows: Vec<csv::StringRecord>,
}

impl Data {
    fn load(name: &str) -> Data {
        let (header, rows) =
            csv_table(&std::path::Path::new(ROOT).join("tests/fixtures").join(name));
        Data { header, rows }
    }
    fn col(&self, name: &str) -> Vec<String> {
        let j = self.header.iter().position(|h| h == name).unwrap();
        self.rows.iter().map(|r| r[j].to_string()).collect()
    }
    fn num(&self, name: &str) -> Vec<f64> {
        self.col(name)
            .iter()
            .map(|v| v.parse().unwrap_or(f64::NAN))
            .collect()
    }
    /// Time and event (lung codes death as 2; the others as 1).
    fn surv(&self) -> (Vec<f64>, Vec<bool>) {
        let code = if self.col("status").iter().any(|s| s == "2") {
            1.5
        } else {
            0.5
        };
        (
            self.num("time"),
            self.num("status").iter().map(|s| *s > code).collect(),
        )
    }
}

fn dataset(name: &str) -> Data {
    Data::load(&format!("{name}.csv"))
}

/// Group labels sorted as R orders factor levels of numbers or strings.
fn levels(values: &[String]) -> Vec<String> {
    let mut l: Vec<String> = values.to_vec();
    l.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    l.dedup();
    l
}

fn conf(name: &str) -> ConfType {
    name.parse().unwrap()
}

/// KM fits per group of `by` ("all" for one curve).
fn km_fits(ds: &str, by: &str, ct: ConfType) -> Vec<(String, KmFit)> {
    let d = dataset(ds);
    let (t, e) = d.surv();
    if by == "all" {
        return vec![("all".into(), kaplan_meier(&t, &e, ct, 0.95).unwrap())];
    }
    let g = d.col(by);
    levels(&g)
        .into_iter()
        .map(|l| {
            let idx: Vec<usize> = (0..t.len()).filter(|&i| g[i] == l).collect();
            let tt: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
            let ee: Vec<bool> = idx.iter().map(|&i| e[i]).collect();
            (l, kaplan_meier(&tt, &ee, ct, 0.95).unwrap())
        })
        .collect()
}

#[test]
fn kaplan_meier_steps_match_survfit() {
    let (h, rows) = r_reference("km_steps.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect();
    keys.dedup();
    for (ds, by, ct) in keys {
        let fits = km_fits(&ds, &by, conf(&ct));
        let mine: Vec<&csv::StringRecord> = rows
            .iter()
            .filter(|r| r[0] == *ds && r[1] == *by && r[2] == *ct)
            .collect();
        let ours: Vec<(String, survlit::stats::survival::km::KmStep)> = fits
            .iter()
            .flat_map(|(g, f)| f.steps.iter().map(move |s| (g.clone(), *s)))
            .collect();
        assert_eq!(ours.len(), mine.len(), "{ds} {by} {ct}: number of steps");
        for ((g, s), r) in ours.iter().zip(&mine) {
            let what = format!("{ds} {by} {ct} group {g} t={}", s.time);
            assert_eq!(g, &r[c("group")], "{what}: group");
            check(
                &mut failures,
                &format!("{what} time"),
                s.time,
                &r[c("time")],
                1e-12,
            );
            assert_eq!(s.n_risk.to_string(), r[c("n_risk")], "{what} n_risk");
            assert_eq!(s.n_event.to_string(), r[c("n_event")], "{what} n_event");
            assert_eq!(s.n_censor.to_string(), r[c("n_censor")], "{what} n_censor");
            check(
                &mut failures,
                &format!("{what} surv"),
                s.surv,
                &r[c("surv")],
                1e-9,
            );
            for (ours, col) in [
                (s.se_surv(), "se_surv"),
                (s.ci_lb, "ci_lb"),
                (s.ci_ub, "ci_ub"),
            ] {
                if &r[c(col)] == "NA" {
                    assert!(ours.is_nan(), "{what} {col}: R gives NA, survlit {ours}");
                } else {
                    check(
                        &mut failures,
                        &format!("{what} {col}"),
                        ours,
                        &r[c(col)],
                        1e-9,
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 1500, "only {checked} steps compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quartiles_and_rmst_match_r() {
    let (h, rows) = r_reference("km_summary.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    for r in &rows {
        let fits = km_fits(&r[c("dataset")], &r[c("by")], conf(&r[c("conf_type")]));
        let (_, f) = fits.iter().find(|(g, _)| g == &r[c("group")]).unwrap();
        let what = format!(
            "{} {} {} {}",
            &r[c("dataset")],
            &r[c("by")],
            &r[c("conf_type")],
            &r[c("group")]
        );
        assert_eq!(f.n.to_string(), r[c("n")], "{what} n");
        assert_eq!(f.events.to_string(), r[c("events")], "{what} events");
        let tau: f64 = r[c("tau")].parse().unwrap();
        let (rmst, se) = f.rmst(tau);
        check(
            &mut failures,
            &format!("{what} rmst"),
            rmst,
            &r[c("rmst")],
            1e-9,
        );
        check(
            &mut failures,
            &format!("{what} rmst_se"),
            se,
            &r[c("rmst_se")],
            1e-9,
        );
        for (p, name) in [(0.25, "q25"), (0.5, "median"), (0.75, "q75")] {
            let q = f.quantile(p);
            for (ours, col) in [
                (q.estimate, name.to_string()),
                (q.ci_lb, format!("{name}_ci_lb")),
                (q.ci_ub, format!("{name}_ci_ub")),
            ] {
                match ours {
                    None => assert_eq!(&r[c(&col)], "NA", "{what} {col}: survlit says not reached"),
                    Some(v) => check(
                        &mut failures,
                        &format!("{what} {col}"),
                        v,
                        &r[c(&col)],
                        1e-12,
                    ),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn survival_at_chosen_times_matches_summary() {
    let (h, rows) = r_reference("km_at_times.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    for r in &rows {
        let fits = km_fits(&r[c("dataset")], &r[c("by")], conf(&r[c("conf_type")]));
        let (_, f) = fits.iter().find(|(g, _)| g == &r[c("group")]).unwrap();
        let t: f64 = r[c("time")].parse().unwrap();
        let s = f.surv_at(t);
        let what = format!(
            "{} {} group {} t={t}",
            &r[c("by")],
            &r[c("conf_type")],
            &r[c("group")]
        );
        assert_eq!(s.n_risk.to_string(), r[c("n_risk")], "{what} n_risk");
        for (ours, col) in [
            (s.surv, "surv"),
            (s.se_surv, "se_surv"),
            (s.ci_lb, "ci_lb"),
            (s.ci_ub, "ci_ub"),
        ] {
            check(
                &mut failures,
                &format!("{what} {col}"),
                ours,
                &r[c(col)],
                1e-9,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn log_rank_and_g_rho_match_survdiff() {
    let (h, rows) = r_reference("logrank.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    let mut keys: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].to_string(),
                r[3].to_string(),
            )
        })
        .collect();
    keys.dedup();
    for (ds, by, strata, rho) in keys {
        let d = dataset(&ds);
        let (t, e) = d.surv();
        let g = d.col(&by);
        let lv = levels(&g);
        let gi: Vec<usize> = g
            .iter()
            .map(|v| lv.iter().position(|l| l == v).unwrap())
            .collect();
        let si: Option<Vec<usize>> = (!strata.is_empty()).then(|| {
            let s = d.col(&strata);
            let sl = levels(&s);
            s.iter()
                .map(|v| sl.iter().position(|l| l == v).unwrap())
                .collect()
        });
        let res = log_rank(&t, &e, &gi, si.as_deref(), rho.parse().unwrap()).unwrap();
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r[0] == *ds && r[1] == *by && r[2] == *strata && r[3] == *rho)
            .collect();
        let what = format!("{ds} ~ {by} strata({strata}) rho={rho}");
        check(
            &mut failures,
            &format!("{what} chisq"),
            res.chisq,
            &mine[0][c("chisq")],
            1e-9,
        );
        check(
            &mut failures,
            &format!("{what} pval"),
            res.pval,
            &mine[0][c("pval")],
            1e-9,
        );
        assert_eq!(res.df.to_string(), mine[0][c("df")], "{what} df");
        for r in &mine {
            // R orders veteran's celltype by its factor levels; match by name.
            let gc = &res.groups[lv.iter().position(|l| *l == r[c("group")]).unwrap()];
            assert_eq!(gc.n.to_string(), r[c("n")], "{what} n");
            check(
                &mut failures,
                &format!("{what} {} observed", &r[c("group")]),
                gc.observed,
                &r[c("observed")],
                1e-9,
            );
            check(
                &mut failures,
                &format!("{what} {} expected", &r[c("group")]),
                gc.expected,
                &r[c("expected")],
                1e-9,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The design matrix of each reference model, with R's coding (veteran's
/// celltype keeps its factor levels: squamous is the reference).
fn model(ds: &str, m: &str) -> (Vec<f64>, Vec<bool>, Matrix, Option<Vec<usize>>, Vec<String>) {
    let d = dataset(ds);
    let (t, e) = d.surv();
    let (formula, strata) = m
        .split_once("|strata(")
        .map_or((m, None), |(a, b)| (a, Some(b.trim_end_matches(')'))));
    let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
    for term in formula.split('+') {
        if ds == "veteran" && term == "celltype" {
            let ct = d.col("celltype");
            for level in ["smallcell", "adeno", "large"] {
                cols.push((
                    format!("celltype{level}"),
                    ct.iter().map(|v| f64::from(u8::from(v == level))).collect(),
                ));
            }
        } else if ds == "aml" && term == "x" {
            cols.push((
                "xNonmaintained".into(),
                d.col("x")
                    .iter()
                    .map(|v| f64::from(u8::from(v == "Nonmaintained")))
                    .collect(),
            ));
        } else {
            cols.push((term.to_string(), d.num(term)));
        }
    }
    // R drops rows with a missing covariate.
    let keep: Vec<usize> = (0..t.len())
        .filter(|&i| cols.iter().all(|(_, c)| c[i].is_finite()))
        .collect();
    let mut x = Matrix::zeros(keep.len(), cols.len());
    for (r, &i) in keep.iter().enumerate() {
        for (j, (_, c)) in cols.iter().enumerate() {
            *x.at_mut(r, j) = c[i];
        }
    }
    let st = strata.map(|s| {
        let v = d.col(s);
        let l = levels(&v);
        keep.iter()
            .map(|&i| l.iter().position(|x| *x == v[i]).unwrap())
            .collect()
    });
    (
        keep.iter().map(|&i| t[i]).collect(),
        keep.iter().map(|&i| e[i]).collect(),
        x,
        st,
        cols.into_iter().map(|(n, _)| n).collect(),
    )
}

#[test]
fn cox_models_match_coxph() {
    let (h, rows) = r_reference("cox_models.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (hc, coefs) = r_reference("cox_coefficients.csv");
    let cc = |n: &str| hc.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    for r in &rows {
        let (ds, m, ties) = (&r[c("dataset")], &r[c("model")], &r[c("ties")]);
        let (t, e, x, st, names) = model(ds, m);
        let ties: Ties = ties.parse().unwrap();
        let fit = cox(&t, &e, &x, st.as_deref(), ties).unwrap();
        let what = format!("{ds} {m} {ties}");
        assert_eq!(fit.n.to_string(), r[c("n")], "{what} n");
        assert_eq!(fit.events.to_string(), r[c("events")], "{what} events");
        for (ours, col) in [
            (fit.loglik0, "loglik0"),
            (fit.loglik, "loglik"),
            (fit.lr_chisq, "lr_chisq"),
            (fit.chisq_pval(fit.lr_chisq), "lr_pval"),
            (fit.wald_chisq, "wald_chisq"),
            (fit.chisq_pval(fit.wald_chisq), "wald_pval"),
            (fit.score_chisq, "score_chisq"),
            (fit.chisq_pval(fit.score_chisq), "score_pval"),
            (fit.concordance, "concordance"),
        ] {
            check(
                &mut failures,
                &format!("{what} {col}"),
                ours,
                &r[c(col)],
                1e-6,
            );
        }
        let mine: Vec<_> = coefs
            .iter()
            .filter(|k| &k[0] == ds && &k[1] == m && &k[2] == &r[c("ties")])
            .collect();
        assert_eq!(mine.len(), names.len(), "{what}: number of terms");
        for (j, k) in mine.iter().enumerate() {
            assert_eq!(names[j], k[cc("term")], "{what}: term order");
            let (hr, lo, hi) = fit.hazard_ratio(j, 0.95);
            for (ours, col) in [
                (fit.coef[j], "coef"),
                (fit.se[j], "se"),
                (hr, "hr"),
                (fit.z(j), "z"),
                (fit.pval(j), "pval"),
                (lo, "hr_ci_lb"),
                (hi, "hr_ci_ub"),
            ] {
                check(
                    &mut failures,
                    &format!("{what} {} {col}", names[j]),
                    ours,
                    &k[cc(col)],
                    1e-6,
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn proportional_hazards_test_matches_cox_zph() {
    use survlit::stats::survival::zph::cox_zph;
    let (h, rows) = r_reference("cox_zph.csv");
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut failures = Vec::new();
    let mut keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect();
    keys.dedup();
    for (ds, m, ties) in keys {
        let (t, e, x, st, names) = model(&ds, &m);
        let tie: Ties = ties.parse().unwrap();
        let fit = cox(&t, &e, &x, st.as_deref(), tie).unwrap();
        // Columns of each term: a factor's dummies form one term.
        let mut terms: Vec<(String, Vec<usize>)> = Vec::new();
        for (j, n) in names.iter().enumerate() {
            let term = if n.starts_with("celltype") {
                "celltype".to_string()
            } else {
                n.clone()
            };
            match terms.iter_mut().find(|(t, _)| *t == term) {
                Some((_, cols)) => cols.push(j),
                None => terms.push((term, vec![j])),
            }
        }
        let cols: Vec<Vec<usize>> = terms.iter().map(|(_, c)| c.clone()).collect();
        let res = cox_zph(&t, &e, &x, st.as_deref(), &fit, &cols).unwrap();
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r[0] == *ds && r[1] == *m && r[2] == *ties)
            .collect();
        assert_eq!(mine.len(), res.len(), "{ds} {m} {ties}: number of tests");
        for (z, r) in res.iter().zip(&mine) {
            let what = format!("{ds} {m} {ties} {}", &r[c("term")]);
            assert_eq!(z.df.to_string(), r[c("df")], "{what} df");
            check(
                &mut failures,
                &format!("{what} chisq"),
                z.chisq,
                &r[c("chisq")],
                1e-6,
            );
            check(
                &mut failures,
                &format!("{what} pval"),
                z.pval,
                &r[c("pval")],
                1e-6,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
