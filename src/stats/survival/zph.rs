//! The proportional-hazards check of a Cox model, as R's `cox.zph`
//! (survival 3.x, transform "km").

use super::cox::{derivatives, quad, CoxFit, Stratum};
use super::SurvError;
use crate::stats::dist;
use crate::stats::linalg::Matrix;

/// One proportional-hazards test (a term, or the global test).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZphTest {
    /// Score χ².
    pub chisq: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail p-value.
    pub pval: f64,
}

/// The proportional-hazards check of R's `cox.zph(fit, transform = "km")`:
/// a score test, at β̂, of adding x·g(t) for each term, with g(t) = 1 − Ŝ(t−)
/// (the Kaplan–Meier estimate of all subjects, left-continuous), centred on
/// its mean over events (Grambsch & Therneau 1994, as survival 3.x computes
/// it). `terms` lists the columns of each term (a factor's dummies together);
/// the last result is the global test.
pub fn cox_zph(
    time: &[f64],
    event: &[bool],
    x: &Matrix,
    strata: Option<&[usize]>,
    fit: &CoxFit,
    terms: &[Vec<usize>],
) -> Result<Vec<ZphTest>, SurvError> {
    let (n, p) = (x.rows, x.cols);
    let km = super::km::kaplan_meier(time, event, super::km::ConfType::Log, 0.95)?;
    let g_raw: Vec<f64> = time
        .iter()
        .map(|t| {
            let k = km.steps.partition_point(|s| s.time < *t);
            1.0 - if k == 0 { 1.0 } else { km.steps[k - 1].surv }
        })
        .collect();
    let n_events = event.iter().filter(|e| **e).count() as f64;
    let mean = g_raw
        .iter()
        .zip(event)
        .filter(|(_, e)| **e)
        .map(|(g, _)| g)
        .sum::<f64>()
        / n_events;
    let g: Vec<f64> = g_raw.iter().map(|v| v - mean).collect();
    let mut xc = x.clone();
    for j in 0..p {
        let m = (0..n).map(|i| x.at(i, j)).sum::<f64>() / n as f64;
        for i in 0..n {
            *xc.at_mut(i, j) -= m;
        }
    }
    let n_strata = strata.map_or(1, |s| s.iter().max().map_or(0, |m| m + 1));
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for i in 0..n {
        groups[strata.map_or(0, |s| s[i])].push(i);
    }
    let sorted: Vec<Stratum> = groups
        .into_iter()
        .map(|mut order| {
            order.sort_unstable_by(|&a, &b| time[b].total_cmp(&time[a]));
            Stratum { order }
        })
        .collect();
    let d = derivatives(time, event, &xc, &sorted, &fit.coef, fit.ties, Some(&g));
    let Some((zscore, zcross, zinfo)) = d.zph else {
        return Err(SurvError::Singular);
    };
    // The 2p x 2p information at (β̂, 0) and the score (0, u).
    let test = |cols: &[usize]| -> Result<ZphTest, SurvError> {
        let k = p + cols.len();
        let mut m = Matrix::zeros(k, k);
        for a in 0..p {
            for b in 0..p {
                *m.at_mut(a, b) = d.info.at(a, b);
            }
            for (jb, &b) in cols.iter().enumerate() {
                *m.at_mut(a, p + jb) = zcross.at(a, b);
                *m.at_mut(p + jb, a) = zcross.at(b, a);
            }
        }
        for (ja, &a) in cols.iter().enumerate() {
            for (jb, &b) in cols.iter().enumerate() {
                *m.at_mut(p + ja, p + jb) = zinfo.at(a, b);
            }
        }
        let mut u = vec![0.0; k];
        for (j, &c) in cols.iter().enumerate() {
            u[p + j] = zscore[c];
        }
        let inv = m.inverse().ok_or(SurvError::Singular)?;
        let chisq = quad(&u, &inv);
        Ok(ZphTest {
            chisq,
            df: cols.len(),
            pval: dist::pchisq_upper(chisq, cols.len() as f64),
        })
    };
    let mut out = terms
        .iter()
        .map(|t| test(t))
        .collect::<Result<Vec<_>, _>>()?;
    out.push(test(&(0..p).collect::<Vec<_>>())?);
    Ok(out)
}
