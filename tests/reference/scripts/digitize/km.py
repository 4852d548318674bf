"""Kaplan-Meier step corners as survival::survfit computes them.

S(t) = prod over event times u <= t of (1 - d(u)/n(u)), n(u) = number with
time >= u (ties: events and censorings at the same time both count as at risk,
censored after the events). Corners: (0, 1); at each event time t both
(t, S before) and (t, S after); the last point at the last time drawn.
"""


def km_table(times, events):
    """-> list of (t, n_risk, n_event, n_censor, surv) at each distinct time."""
    pairs = sorted(zip(times, events))
    n = len(pairs)
    out, s, i = [], 1.0, 0
    while i < n:
        t = pairs[i][0]
        d = c = 0
        while i < n and pairs[i][0] == t:
            if pairs[i][1]:
                d += 1
            else:
                c += 1
            i += 1
        at_risk = n - (i - d - c)
        if d:
            s = s * (1.0 - d / at_risk)
        out.append((t, at_risk, d, c, s))
    return out


def km_corners(times, events, draw_xmax=None):
    """Step corners of the KM curve, truncated at draw_xmax (the x where the
    figure stops drawing the curve) when that is before the last time."""
    tab = km_table(times, events)
    last = tab[-1][0] if tab else 0.0
    end = last if draw_xmax is None else min(last, draw_xmax)
    pts = [(0.0, 1.0)]
    s = 1.0
    for t, _n, d, _c, s_after in tab:
        if t > end:
            break
        if d:
            pts.append((t, s))
            pts.append((t, s_after))
            s = s_after
    if pts[-1][0] < end:
        pts.append((end, s))
    return pts


def surv_at(tab, t):
    s = 1.0
    for u, _n, _d, _c, su in tab:
        if u > t:
            break
        s = su
    return s


def censor_times(times, events, draw_xmax=None):
    """Distinct censoring times (one mark each), within the drawn range."""
    cs = sorted({t for t, e in zip(times, events) if not e})
    if draw_xmax is not None:
        cs = [t for t in cs if t <= draw_xmax]
    return cs


def n_at_risk_r(times, t):
    """survival's convention (summary(fit, times=)): patients with time >= t."""
    return sum(1 for x in times if x >= t)
