//! How close a digitised curve is to the truth: the integrated absolute
//! error (IAE) over the true curve's time range divided by that range, as
//! KM-GPT reports it but on the common (un-normalised) time axis, and the
//! arms of a reading matched to the true arms.

use super::Point;

/// Survival of a step curve at `t`: the value of the last corner at or
/// before `t` (right-continuous); before the first corner, the first value.
pub fn surv_at(points: &[Point], t: f64) -> f64 {
    let mut s = points.first().map_or(1.0, |p| p.surv);
    for p in points {
        if p.time <= t {
            s = p.surv;
        } else {
            break;
        }
    }
    s
}

/// ∫|Ŝ − S| dt over the true curve's time range, divided by the range.
pub fn iae(est: &[Point], truth: &[Point]) -> f64 {
    let (Some(a), Some(b)) = (truth.first(), truth.last()) else {
        return f64::NAN;
    };
    let (t0, t1) = (a.time, b.time);
    if t1 <= t0 {
        return f64::NAN;
    }
    let mut cuts: Vec<f64> = est
        .iter()
        .chain(truth)
        .map(|p| p.time)
        .filter(|&t| t > t0 && t < t1)
        .collect();
    cuts.push(t0);
    cuts.push(t1);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut total = 0.0;
    for w in cuts.windows(2) {
        // Both curves are constant inside (w0, w1): take the midpoint.
        let m = (w[0] + w[1]) / 2.0;
        total += (surv_at(est, m) - surv_at(truth, m)).abs() * (w[1] - w[0]);
    }
    total / (t1 - t0)
}

/// Pairs each true arm with a read arm (or none), minimising the total
/// IAE; `iae[i][j]` is true arm i against read arm j.
pub fn match_arms(iae: &[Vec<f64>]) -> Vec<Option<usize>> {
    let n = iae.len();
    let m = iae.first().map_or(0, |r| r.len());
    let mut best: (f64, Vec<Option<usize>>) = (f64::INFINITY, vec![None; n]);
    let mut cur = vec![None; n];
    let mut used = vec![false; m];
    fn go(
        i: usize,
        iae: &[Vec<f64>],
        cur: &mut Vec<Option<usize>>,
        used: &mut Vec<bool>,
        cost: f64,
        best: &mut (f64, Vec<Option<usize>>),
    ) {
        if i == iae.len() {
            if cost < best.0 {
                *best = (cost, cur.clone());
            }
            return;
        }
        for j in 0..used.len() {
            if !used[j] {
                used[j] = true;
                cur[i] = Some(j);
                go(i + 1, iae, cur, used, cost + iae[i][j], best);
                used[j] = false;
            }
        }
        cur[i] = None;
        // An unmatched true arm costs as much as a flat wrong curve.
        go(i + 1, iae, cur, used, cost + 1.0, best);
    }
    go(0, iae, &mut cur, &mut used, 0.0, &mut best);
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(time: f64, surv: f64) -> Point {
        Point { time, surv }
    }

    #[test]
    fn iae_of_a_shifted_step() {
        let truth = vec![p(0.0, 1.0), p(5.0, 1.0), p(5.0, 0.5), p(10.0, 0.5)];
        let est = vec![p(0.0, 1.0), p(6.0, 1.0), p(6.0, 0.5), p(10.0, 0.5)];
        // Off by 0.5 over one unit of ten.
        assert!((iae(&est, &truth) - 0.05).abs() < 1e-12);
        assert_eq!(iae(&truth, &truth), 0.0);
    }

    #[test]
    fn arms_are_matched_by_least_error() {
        let m = vec![vec![0.3, 0.01], vec![0.02, 0.4]];
        assert_eq!(match_arms(&m), vec![Some(1), Some(0)]);
        let m = vec![vec![0.01], vec![0.02]];
        assert_eq!(match_arms(&m), vec![Some(0), None]);
    }
}
