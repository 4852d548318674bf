//! The G-ρ family of tests for differences between survival curves, as R's
//! `survdiff` computes it: ρ = 0 is the log-rank test, ρ = 1 the
//! Peto–Peto modification of the Gehan–Wilcoxon test. Two or more groups,
//! optionally stratified.
//!
//! # Formulas
//! At each event time of a stratum, with nᵍ at risk and dᵍ events in group g
//! (n, d in total) and weight w = Ŝ(t−)^ρ (Ŝ the Kaplan–Meier estimate of
//! the stratum's pooled data, left-continuous):
//! Oᵍ += w·dᵍ, Eᵍ += w·d·nᵍ/n,
//! V_gh += w²·d·(n − d)/(n − 1)·(nᵍ/n)·(δ_gh − nʰ/n).
//! O, E and V are summed over strata; χ² = (O − E)ᵀ V⁻¹ (O − E) over all
//! groups but the first, on G − 1 degrees of freedom.

use super::{check_input, SurvError};
use crate::stats::dist;
use crate::stats::linalg::Matrix;

/// One group's counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupCounts {
    /// Subjects.
    pub n: usize,
    /// (Weighted) observed events.
    pub observed: f64,
    /// (Weighted) expected events.
    pub expected: f64,
}

/// The test.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRank {
    /// ρ of the weights Ŝ(t−)^ρ.
    pub rho: f64,
    /// Per group, in the order of the group indices.
    pub groups: Vec<GroupCounts>,
    /// χ² statistic.
    pub chisq: f64,
    /// Degrees of freedom (groups − 1).
    pub df: usize,
    /// Upper-tail p-value.
    pub pval: f64,
}

/// Tests `groups` (indices 0..G) for equal survival, within `strata`
/// (indices, or `None` for one stratum).
pub fn log_rank(
    time: &[f64],
    event: &[bool],
    group: &[usize],
    strata: Option<&[usize]>,
    rho: f64,
) -> Result<LogRank, SurvError> {
    check_input(time, event)?;
    let g = group.iter().max().map_or(0, |m| m + 1);
    if g < 2 {
        return Err(SurvError::OneGroup(g));
    }
    let n_strata = strata.map_or(1, |s| s.iter().max().map_or(0, |m| m + 1));
    let mut o = vec![0.0; g];
    let mut e = vec![0.0; g];
    let mut v = Matrix::zeros(g, g);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for i in 0..time.len() {
        members[strata.map_or(0, |s| s[i])].push(i);
    }
    let mut at_risk = vec![0usize; g];
    let mut deaths = vec![0usize; g];
    // Tag: group · 2 + event.
    let tag = |k: usize| (group[k] as u32) << 1 | u32::from(event[k]);
    for idx in members {
        let sorted = super::sorted_by_time(time, tag, idx.into_iter());
        // Ascending time: everyone in the stratum is at risk at first; a
        // block of equal times leaves the risk set after it is counted.
        at_risk.iter_mut().for_each(|x| *x = 0);
        for &(_, t) in &sorted {
            at_risk[(t >> 1) as usize] += 1;
        }
        let mut km = 1.0f64;
        let mut i = 0;
        while i < sorted.len() {
            let key = sorted[i].0;
            let mut j = i;
            deaths.iter_mut().for_each(|x| *x = 0);
            while j < sorted.len() && sorted[j].0 == key {
                let t = sorted[j].1;
                if t & 1 == 1 {
                    deaths[(t >> 1) as usize] += 1;
                }
                j += 1;
            }
            let d: usize = deaths.iter().sum();
            if d > 0 {
                let n: usize = at_risk.iter().sum();
                let w = if rho == 0.0 { 1.0 } else { km.powf(rho) };
                let (nf, df) = (n as f64, d as f64);
                for a in 0..g {
                    o[a] += w * deaths[a] as f64;
                    e[a] += w * df * at_risk[a] as f64 / nf;
                }
                if n > 1 {
                    let c = w * w * df * (nf - df) / (nf * (nf - 1.0));
                    for a in 0..g {
                        let pa = at_risk[a] as f64;
                        for b in 0..g {
                            let delta = if a == b { nf } else { 0.0 };
                            *v.at_mut(a, b) += c * pa * (delta - at_risk[b] as f64) / nf;
                        }
                    }
                }
                km *= (nf - df) / nf;
            }
            for &(_, t) in &sorted[i..j] {
                at_risk[(t >> 1) as usize] -= 1;
            }
            i = j;
        }
    }
    // χ² on groups 2..G (V is singular: its rows sum to zero).
    let m = g - 1;
    let mut sub = Matrix::zeros(m, m);
    for a in 0..m {
        for b in 0..m {
            *sub.at_mut(a, b) = v.at(a + 1, b + 1);
        }
    }
    let diff: Vec<f64> = (1..g).map(|a| o[a] - e[a]).collect();
    let chisq: f64 = match sub.inverse() {
        Some(inv) if (0..m).all(|a| sub.at(a, a) > 0.0) => {
            let x = inv.mul_vec(&diff);
            diff.iter().zip(&x).map(|(a, b)| a * b).sum()
        }
        _ => return Err(SurvError::NoInformation),
    };
    let mut counts = vec![0usize; g];
    for &k in group {
        counts[k] += 1;
    }
    Ok(LogRank {
        rho,
        groups: (0..g)
            .map(|a| GroupCounts {
                n: counts[a],
                observed: o[a],
                expected: e[a],
            })
            .collect(),
        chisq,
        df: m,
        pval: dist::pchisq_upper(chisq, m as f64),
    })
}
