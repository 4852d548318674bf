//! Cox proportional hazards regression as R's `coxph` fits it: partial
//! likelihood with Efron (R's default) or Breslow handling of tied event
//! times, optional strata (separate baseline hazards, shared coefficients),
//! Newton–Raphson from β = 0 with step-halving, covariates centred.
//!
//! # Formulas
//! At an event time with d deaths D in risk set R, wᵢ = exp(xᵢβ):
//! S0 = Σ_R w, S1 = Σ_R w·x, S2 = Σ_R w·xxᵀ and a0, a1, a2 the same sums over
//! D. Efron: for k = 0..d−1 with f = k/d, s· = S· − f·a·; Breslow: f = 0.
//! log L += Σ_D xβ − Σ_k log s0; U += Σ_D x − Σ_k s1/s0;
//! I += Σ_k (s2/s0 − s1s1ᵀ/s0²).
//! Tests: likelihood ratio 2(log L(β̂) − log L(0)); Wald β̂ᵀI(β̂)β̂; score
//! U(0)ᵀI(0)⁻¹U(0). Concordance (Harrell's C as R's `concordance`): over
//! pairs in a stratum where the earlier time is an event (a censoring at the
//! same time counts as later; two events at one time are not compared),
//! (concordant + tied/2)/(concordant + discordant + tied) on the linear
//! predictor.

use super::{check_input, SurvError};
use crate::domain::{parsed_as_vocab, Vocab};
use crate::stats::dist;
use crate::stats::linalg::Matrix;

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    /// Efron's approximation (R's default).
    Efron,
    /// Breslow's approximation.
    Breslow,
}

impl Vocab for Ties {
    const WHAT: &'static str = "ties method";
    const ALL: &'static [(&'static str, Self)] =
        &[("efron", Self::Efron), ("breslow", Self::Breslow)];
}

parsed_as_vocab!(Ties);

impl std::fmt::Display for Ties {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Efron => "efron",
            Self::Breslow => "breslow",
        })
    }
}

/// A fitted Cox model.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxFit {
    /// Subjects.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Coefficients (log hazard ratios).
    pub coef: Vec<f64>,
    /// Their standard errors.
    pub se: Vec<f64>,
    /// Variance matrix I(β̂)⁻¹.
    pub var: Matrix,
    /// Log partial likelihood at β = 0.
    pub loglik0: f64,
    /// Log partial likelihood at β̂.
    pub loglik: f64,
    /// Likelihood-ratio χ² on p df.
    pub lr_chisq: f64,
    /// Wald χ².
    pub wald_chisq: f64,
    /// Score (log-rank) χ².
    pub score_chisq: f64,
    /// Harrell's concordance.
    pub concordance: f64,
    /// Newton–Raphson iterations.
    pub iterations: usize,
    /// Ties method.
    pub ties: Ties,
}

impl CoxFit {
    /// Number of coefficients.
    pub fn p(&self) -> usize {
        self.coef.len()
    }

    /// z statistic of coefficient j.
    pub fn z(&self, j: usize) -> f64 {
        self.coef[j] / self.se[j]
    }

    /// Two-sided p-value of coefficient j.
    pub fn pval(&self, j: usize) -> f64 {
        dist::p_two_sided_z(self.z(j))
    }

    /// Hazard ratio of coefficient j with its Wald CI at `level`.
    pub fn hazard_ratio(&self, j: usize, level: f64) -> (f64, f64, f64) {
        let z = dist::qnorm(1.0 - (1.0 - level) / 2.0);
        (
            self.coef[j].exp(),
            (self.coef[j] - z * self.se[j]).exp(),
            (self.coef[j] + z * self.se[j]).exp(),
        )
    }

    /// p-value of a model χ² on p degrees of freedom.
    pub fn chisq_pval(&self, chisq: f64) -> f64 {
        dist::pchisq_upper(chisq, self.p() as f64)
    }
}

/// Subjects of one stratum, sorted by descending time.
pub(super) struct Stratum {
    pub(super) order: Vec<usize>,
}

/// Log partial likelihood, score and information at β.
pub(super) struct Derivatives {
    pub(super) loglik: f64,
    pub(super) score: Vec<f64>,
    pub(super) info: Matrix,
    /// With a time function g: the score of the added covariates x·g(t)
    /// and the information blocks I(x, x·g) and I(x·g, x·g) (cox.zph).
    pub(super) zph: Option<(Vec<f64>, Matrix, Matrix)>,
}

const MAX_ITER: usize = 100;

/// Fits the model. `x` is n×p (categorical covariates already coded as
/// dummies); `strata` gives each subject's stratum index, or `None`.
pub fn cox(
    time: &[f64],
    event: &[bool],
    x: &Matrix,
    strata: Option<&[usize]>,
    ties: Ties,
) -> Result<CoxFit, SurvError> {
    check_input(time, event)?;
    let (n, p) = (x.rows, x.cols);
    let events = event.iter().filter(|e| **e).count();
    if events == 0 {
        return Err(SurvError::NoEvents);
    }
    // Centre the covariates (as R): the likelihood is unchanged, exp() safer.
    let mut xc = x.clone();
    for j in 0..p {
        let mean = (0..n).map(|i| x.at(i, j)).sum::<f64>() / n as f64;
        for i in 0..n {
            *xc.at_mut(i, j) -= mean;
        }
    }
    let n_strata = strata.map_or(1, |s| s.iter().max().map_or(0, |m| m + 1));
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for i in 0..n {
        groups[strata.map_or(0, |s| s[i])].push(i);
    }
    let strata_sorted: Vec<Stratum> = groups
        .into_iter()
        .map(|mut order| {
            order.sort_unstable_by(|&a, &b| time[b].total_cmp(&time[a]));
            Stratum { order }
        })
        .collect();

    // A covariate constant within every stratum has no information (its
    // coefficient is absorbed by the baseline hazards).
    for j in 0..p {
        let varies = strata_sorted.iter().any(|st| {
            st.order
                .first()
                .is_some_and(|&f| st.order.iter().any(|&i| x.at(i, j) != x.at(f, j)))
        });
        if !varies {
            return Err(SurvError::ConstantInStrata(j + 1));
        }
    }
    let mut beta = vec![0.0; p];
    let d0 = derivatives(time, event, &xc, &strata_sorted, &beta, ties, None);
    let inv0 = d0.info.inverse().ok_or(SurvError::Singular)?;
    let score_chisq = quad(&d0.score, &inv0);
    let loglik0 = d0.loglik;
    let mut cur = d0;
    let mut iterations = 0;
    let mut converged = false;
    for it in 1..=MAX_ITER {
        iterations = it;
        let inv = cur.info.inverse().ok_or(SurvError::Singular)?;
        let step = inv.mul_vec(&cur.score);
        let mut trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
        let mut next = derivatives(time, event, &xc, &strata_sorted, &trial, ties, None);
        // Step-halving while the likelihood got worse (R's coxph does the
        // same). At the maximum a step's change is rounding noise in a sum
        // over all subjects, so a loss within that noise is not "worse":
        // halving then would only repeat full passes over the data.
        let noise = 1e-13 * cur.loglik.abs().max(1.0) * (time.len() as f64).sqrt();
        let mut halvings = 0;
        while !(next.loglik >= cur.loglik - noise) && halvings < 60 {
            trial = beta
                .iter()
                .zip(&trial)
                .map(|(b, t)| (b + t) / 2.0)
                .collect();
            next = derivatives(time, event, &xc, &strata_sorted, &trial, ties, None);
            halvings += 1;
        }
        let change = beta
            .iter()
            .zip(&trial)
            .map(|(a, b)| (a - b).abs() / (1.0 + b.abs()))
            .fold(0.0, f64::max);
        let ll_change = (next.loglik - cur.loglik).abs() / (1.0 + next.loglik.abs());
        beta = trial;
        cur = next;
        if change < 1e-12 || ll_change < 1e-15 {
            converged = true;
            break;
        }
    }
    if !converged || beta.iter().any(|b| !b.is_finite()) {
        return Err(SurvError::DidNotConverge(iterations));
    }
    let var = cur.info.inverse().ok_or(SurvError::Singular)?;
    let se = (0..p).map(|j| var.at(j, j).sqrt()).collect();
    let wald_chisq = {
        let ib = cur.info.mul_vec(&beta);
        beta.iter().zip(&ib).map(|(a, b)| a * b).sum()
    };
    let lp: Vec<f64> = (0..n)
        .map(|i| xc.row(i).iter().zip(&beta).map(|(a, b)| a * b).sum())
        .collect();
    Ok(CoxFit {
        n,
        events,
        concordance: concordance(time, event, &lp, &strata_sorted),
        coef: beta,
        se,
        var,
        loglik0,
        loglik: cur.loglik,
        lr_chisq: 2.0 * (cur.loglik - loglik0),
        wald_chisq,
        score_chisq,
        iterations,
        ties,
    })
}

pub(super) fn quad(u: &[f64], inv: &Matrix) -> f64 {
    let x = inv.mul_vec(u);
    u.iter().zip(&x).map(|(a, b)| a * b).sum()
}

pub(super) fn derivatives(
    time: &[f64],
    event: &[bool],
    x: &Matrix,
    strata: &[Stratum],
    beta: &[f64],
    ties: Ties,
    g: Option<&[f64]>,
) -> Derivatives {
    let p = x.cols;
    let mut loglik = 0.0;
    let mut score = vec![0.0; p];
    let mut info = Matrix::zeros(p, p);
    let mut zscore = vec![0.0; p];
    let mut zcross = Matrix::zeros(p, p);
    let mut zinfo = Matrix::zeros(p, p);
    let (mut s1, mut a1, mut xsum) = (vec![0.0; p], vec![0.0; p], vec![0.0; p]);
    let (mut s2, mut a2) = (vec![0.0; p * p], vec![0.0; p * p]);
    for st in strata {
        let order = &st.order;
        let mut s0 = 0.0;
        s1.iter_mut().for_each(|v| *v = 0.0);
        s2.iter_mut().for_each(|v| *v = 0.0);
        let mut i = 0;
        while i < order.len() {
            let t = time[order[i]];
            let mut j = i;
            let (mut a0, mut d) = (0.0, 0usize);
            a1.iter_mut().for_each(|v| *v = 0.0);
            a2.iter_mut().for_each(|v| *v = 0.0);
            xsum.iter_mut().for_each(|v| *v = 0.0);
            let mut eta_sum = 0.0;
            let gt = g.map_or(0.0, |g| g[order[i]]);
            while j < order.len() && time[order[j]] == t {
                let k = order[j];
                let xr = x.row(k);
                let eta: f64 = xr.iter().zip(beta).map(|(a, b)| a * b).sum();
                let w = eta.exp();
                s0 += w;
                for a in 0..p {
                    s1[a] += w * xr[a];
                    for b in a..p {
                        s2[a * p + b] += w * xr[a] * xr[b];
                    }
                }
                if event[k] {
                    d += 1;
                    a0 += w;
                    eta_sum += eta;
                    for a in 0..p {
                        a1[a] += w * xr[a];
                        xsum[a] += xr[a];
                        for b in a..p {
                            a2[a * p + b] += w * xr[a] * xr[b];
                        }
                    }
                }
                j += 1;
            }
            if d > 0 {
                loglik += eta_sum;
                for a in 0..p {
                    score[a] += xsum[a];
                    zscore[a] += gt * xsum[a];
                }
                for k in 0..d {
                    let f = match ties {
                        Ties::Efron => k as f64 / d as f64,
                        Ties::Breslow => 0.0,
                    };
                    let r0 = s0 - f * a0;
                    loglik -= r0.ln();
                    for a in 0..p {
                        let ra = s1[a] - f * a1[a];
                        score[a] -= ra / r0;
                        zscore[a] -= gt * ra / r0;
                        for b in a..p {
                            let rb = s1[b] - f * a1[b];
                            let r2 = s2[a * p + b] - f * a2[a * p + b];
                            let v = r2 / r0 - ra * rb / (r0 * r0);
                            *info.at_mut(a, b) += v;
                            *zcross.at_mut(a, b) += gt * v;
                            *zinfo.at_mut(a, b) += gt * gt * v;
                        }
                    }
                }
            }
            i = j;
        }
    }
    for a in 0..p {
        for b in 0..a {
            *info.at_mut(a, b) = info.at(b, a);
            *zcross.at_mut(a, b) = zcross.at(b, a);
            *zinfo.at_mut(a, b) = zinfo.at(b, a);
        }
    }
    Derivatives {
        loglik,
        score,
        info,
        zph: g.map(|_| (zscore, zcross, zinfo)),
    }
}

/// Harrell's C on the linear predictor, within strata, in O(n log n) with
/// a Fenwick tree over the ranks of the predictor.
fn concordance(time: &[f64], event: &[bool], lp: &[f64], strata: &[Stratum]) -> f64 {
    let mut sorted: Vec<f64> = lp.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let rank = |v: f64| sorted.partition_point(|s| *s < v);
    let m = sorted.len();
    let (mut conc, mut disc, mut tied) = (0.0f64, 0.0f64, 0.0f64);
    for st in strata {
        let mut tree = vec![0u64; m + 1];
        let add = |tree: &mut Vec<u64>, r: usize| {
            let mut i = r + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        };
        // Count of inserted ranks < r.
        let below = |tree: &Vec<u64>, r: usize| -> u64 {
            let mut i = r;
            let mut s = 0;
            while i > 0 {
                s += tree[i];
                i -= i & i.wrapping_neg();
            }
            s
        };
        let mut total = 0u64;
        let order = &st.order; // descending time
        let mut i = 0;
        while i < order.len() {
            let t = time[order[i]];
            let mut j = i;
            while j < order.len() && time[order[j]] == t {
                j += 1;
            }
            for &k in &order[i..j] {
                if !event[k] {
                    add(&mut tree, rank(lp[k]));
                    total += 1;
                }
            }
            for &k in &order[i..j] {
                if event[k] {
                    let r = rank(lp[k]);
                    let less = below(&tree, r);
                    let less_eq = below(&tree, r + 1);
                    conc += less as f64;
                    tied += (less_eq - less) as f64;
                    disc += (total - less_eq) as f64;
                }
            }
            for &k in &order[i..j] {
                if event[k] {
                    add(&mut tree, rank(lp[k]));
                    total += 1;
                }
            }
            i = j;
        }
    }
    (conc + tied / 2.0) / (conc + disc + tied)
}
