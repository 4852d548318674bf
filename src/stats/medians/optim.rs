//! The optimisers the median methods need, each tuned to reproduce the
//! reference software: a projected Levenberg–Marquardt for box-constrained
//! least squares and the point where R's `optim` stops on it (QE); Brent's
//! method in one dimension and Nelder–Mead in two (BC, MLN).

/// R's `optim` (L-BFGS-B, no analytic gradient) differentiates S by
/// central differences with step `ndeps` = 10⁻³, shortened at a bound, and
/// stops where that gradient vanishes. Starting from the exact minimum,
/// Newton's method finds that point (for the parameters not held at a
/// bound), so fits reproduce estmeansd and metamedian digit for digit; it
/// lies within ~10⁻⁴ of the exact minimum (published S1 example: mean
/// 6.762910 vs 6.762808 at the exact minimum).
pub(super) fn where_r_stops(
    ssq: &impl Fn([f64; 2]) -> f64,
    exact: [f64; 2],
    lower: [f64; 2],
    upper: [f64; 2],
) -> [f64; 2] {
    const NDEPS: f64 = 1e-3;
    let grad = |t: [f64; 2], j: usize| {
        let (mut up, mut dn) = (t, t);
        up[j] = (t[j] + NDEPS).min(upper[j]);
        dn[j] = (t[j] - NDEPS).max(lower[j]);
        (ssq(up) - ssq(dn)) / (up[j] - dn[j])
    };
    let mut t = exact;
    let at_bound = |t: [f64; 2], j: usize| t[j] <= lower[j] || t[j] >= upper[j];
    let free: Vec<usize> = (0..2).filter(|&j| !at_bound(t, j)).collect();
    for _ in 0..50 {
        let g: Vec<f64> = free.iter().map(|&j| grad(t, j)).collect();
        // Jacobian of the difference gradient over the free parameters.
        let mut jac = [[0.0f64; 2]; 2];
        for (a, &ja) in free.iter().enumerate() {
            for (b, &jb) in free.iter().enumerate() {
                let d = 1e-6 * t[jb].abs().max(1e-3);
                let (mut up, mut dn) = (t, t);
                up[jb] += d;
                dn[jb] -= d;
                jac[a][b] = (grad(up, ja) - grad(dn, ja)) / (2.0 * d);
            }
        }
        let step: Vec<f64> = match free.len() {
            2 => {
                let det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
                vec![
                    -(jac[1][1] * g[0] - jac[0][1] * g[1]) / det,
                    -(jac[0][0] * g[1] - jac[1][0] * g[0]) / det,
                ]
            }
            1 => vec![-g[0] / jac[0][0]],
            _ => return t,
        };
        if step.iter().any(|s| !s.is_finite()) {
            return exact;
        }
        let mut next = t;
        for (&j, s) in free.iter().zip(&step) {
            next[j] = (t[j] + s).clamp(lower[j], upper[j]);
        }
        let moved = free
            .iter()
            .map(|&j| (next[j] - t[j]).abs() / t[j].abs().max(1e-3))
            .fold(0.0, f64::max);
        t = next;
        if moved < 1e-14 {
            break;
        }
    }
    // Stay with the exact minimum if the search wandered (it never should:
    // the two points differ by O(ndeps²)).
    let far = (0..2).any(|j| (t[j] - exact[j]).abs() > 1e-2 * exact[j].abs().max(1e-3));
    if far || !ssq(t).is_finite() {
        exact
    } else {
        t
    }
}

/// Minimises Σ rᵢ(θ)² over the box [lower, upper] by projected
/// Levenberg–Marquardt with a central-difference Jacobian. Returns `None`
/// when the residuals are not finite at the start.
pub(super) fn minimize_box(
    resid: impl Fn([f64; 2], &mut [f64]),
    m: usize,
    start: [f64; 2],
    lower: [f64; 2],
    upper: [f64; 2],
) -> Option<([f64; 2], f64)> {
    let clamp = |t: [f64; 2]| {
        [
            t[0].clamp(lower[0], upper[0]),
            t[1].clamp(lower[1], upper[1]),
        ]
    };
    let mut r = vec![0.0; m];
    let ssq_at = |t: [f64; 2], r: &mut [f64]| {
        resid(t, r);
        let s: f64 = r.iter().map(|v| v * v).sum();
        if s.is_finite() {
            s
        } else {
            f64::INFINITY
        }
    };
    let mut t = clamp(start);
    let mut f = ssq_at(t, &mut r);
    if !f.is_finite() {
        return None;
    }
    let mut lambda = 1e-3;
    let (mut rp, mut rm) = (vec![0.0; m], vec![0.0; m]);
    let mut jac = vec![[0.0f64; 2]; m];
    for _ in 0..2000 {
        resid(t, &mut r);
        // Central differences, one-sided at a bound.
        for j in 0..2 {
            let h = 1e-6 * t[j].abs().max(1e-3);
            let (mut up, mut dn) = (t, t);
            up[j] = (t[j] + h).min(upper[j]);
            dn[j] = (t[j] - h).max(lower[j]);
            resid(up, &mut rp);
            resid(dn, &mut rm);
            let d = up[j] - dn[j];
            for i in 0..m {
                jac[i][j] = (rp[i] - rm[i]) / d;
            }
        }
        let mut g = [0.0; 2];
        let mut h = [[0.0; 2]; 2];
        for i in 0..m {
            for a in 0..2 {
                g[a] += jac[i][a] * r[i];
                for b in 0..2 {
                    h[a][b] += jac[i][a] * jac[i][b];
                }
            }
        }
        if !(g[0].is_finite() && g[1].is_finite()) {
            break;
        }
        // A variable at a bound with the gradient pushing outwards stays there.
        let free =
            [0, 1].map(|j| !((t[j] <= lower[j] && g[j] > 0.0) || (t[j] >= upper[j] && g[j] < 0.0)));
        if !free[0] && !free[1] {
            break;
        }
        let mut improved = false;
        while lambda < 1e20 {
            let a = [
                [h[0][0] * (1.0 + lambda), h[0][1]],
                [h[1][0], h[1][1] * (1.0 + lambda)],
            ];
            let step = match free {
                [true, true] => {
                    let det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
                    [
                        -(a[1][1] * g[0] - a[0][1] * g[1]) / det,
                        -(a[0][0] * g[1] - a[1][0] * g[0]) / det,
                    ]
                }
                [true, false] => [-g[0] / a[0][0], 0.0],
                _ => [0.0, -g[1] / a[1][1]],
            };
            if !(step[0].is_finite() && step[1].is_finite()) {
                lambda *= 10.0;
                continue;
            }
            let cand = clamp([t[0] + step[0], t[1] + step[1]]);
            let fc = ssq_at(cand, &mut rp);
            if fc < f {
                let moved = (cand[0] - t[0]).abs().max((cand[1] - t[1]).abs());
                let gain = f - fc;
                t = cand;
                f = fc;
                lambda = (lambda / 10.0).max(1e-12);
                improved =
                    gain > 1e-15 * f.max(1e-300) || moved > 1e-13 * t[0].abs().max(t[1].abs());
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    Some((t, f))
}

/// Brent's minimisation of a function of one variable on [a, b], to
/// near machine precision (R's `optimize` stops at ~1e-4 or 1e-3; the
/// difference is far inside the Monte Carlo noise of estmeansd's answers).
pub(super) fn brent_min(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let golden = 0.5 * (3.0 - 5f64.sqrt());
    let (mut a, mut b) = (a, b);
    let mut x = a + golden * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 0..500 {
        let m = 0.5 * (a + b);
        let tol = 1e-10 * x.abs() + 1e-12;
        if (x - m).abs() <= 2.0 * tol - 0.5 * (b - a) {
            break;
        }
        let mut golden_step = true;
        if e.abs() > tol {
            // Parabola through x, w, v.
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            if p.abs() < (0.5 * q * e).abs() && p > q * (a - x) && p < q * (b - x) {
                e = d;
                d = p / q;
                golden_step = false;
            }
        }
        if golden_step {
            e = if x < m { b - x } else { a - x };
            d = golden * e;
        }
        let u = if d.abs() >= tol {
            x + d
        } else {
            x + tol.copysign(d)
        };
        let fu = f(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    x
}

/// Nelder–Mead minimisation in two dimensions, run to a tight tolerance.
pub(super) fn nelder_mead(f: &dyn Fn([f64; 2]) -> f64, start: [f64; 2]) -> [f64; 2] {
    let step = |v: f64| if v.abs() > 1e-3 { 0.1 * v.abs() } else { 1e-3 };
    let mut s = [
        start,
        [start[0] + step(start[0]), start[1]],
        [start[0], start[1] + step(start[1])],
    ];
    let mut fs = s.map(f);
    for _ in 0..5000 {
        let mut idx = [0, 1, 2];
        idx.sort_by(|&a, &b| fs[a].total_cmp(&fs[b]));
        s = idx.map(|i| s[i]);
        fs = idx.map(|i| fs[i]);
        let spread = (fs[2] - fs[0]).abs();
        let size = (s[2][0] - s[0][0]).abs().max((s[2][1] - s[0][1]).abs());
        if spread <= 1e-14 * (1.0 + fs[0].abs())
            && size <= 1e-10 * (1.0 + s[0][0].abs().max(s[0][1].abs()))
        {
            break;
        }
        let c = [(s[0][0] + s[1][0]) / 2.0, (s[0][1] + s[1][1]) / 2.0];
        let along = |t: f64| [c[0] + t * (s[2][0] - c[0]), c[1] + t * (s[2][1] - c[1])];
        let r = along(-1.0);
        let fr = f(r);
        if fr < fs[0] {
            let e = along(-2.0);
            let fe = f(e);
            (s[2], fs[2]) = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < fs[1] {
            (s[2], fs[2]) = (r, fr);
        } else {
            let k = if fr < fs[2] { along(-0.5) } else { along(0.5) };
            let fk = f(k);
            if fk < fs[2].min(fr) {
                (s[2], fs[2]) = (k, fk);
            } else {
                for i in 1..3 {
                    s[i] = [(s[0][0] + s[i][0]) / 2.0, (s[0][1] + s[i][1]) / 2.0];
                    fs[i] = f(s[i]);
                }
            }
        }
    }
    let best = (0..3).min_by(|&a, &b| fs[a].total_cmp(&fs[b])).unwrap_or(0);
    s[best]
}
