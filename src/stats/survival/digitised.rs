//! Digitised Kaplan–Meier points as a person clicks them, made into a curve
//! the reconstruction can take.

/// Digitised points as a person clicks them → input the algorithm can use:
/// percentages become proportions, points are sorted by time, clipped to
/// [0, 1], made non-increasing (a click above the previous one takes its
/// value), points at one time collapse to the lowest, and (0, 1) is added
/// when the curve does not start there. Returns the points and what was
/// changed.
pub fn clean_curve(points: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>, Vec<String>) {
    let mut notes = Vec::new();
    let mut pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, s)| t.is_finite() && s.is_finite())
        .collect();
    if pts.len() < points.len() {
        notes.push(format!(
            "{} with a missing or non-numeric value dropped",
            crate::number::count(points.len() - pts.len(), "point", "points")
        ));
    }
    if pts.iter().any(|p| p.1 > 1.5) {
        notes.push("survival read as percentages (values above 1); divided by 100".into());
        pts.iter_mut().for_each(|p| p.1 /= 100.0);
    }
    if pts.windows(2).any(|w| w[1].0 < w[0].0) {
        notes.push("points sorted by time".into());
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let mut clipped = 0;
    for p in &mut pts {
        if p.0 < 0.0 {
            p.0 = 0.0;
            clipped += 1;
        }
        if !(0.0..=1.0).contains(&p.1) {
            p.1 = p.1.clamp(0.0, 1.0);
            clipped += 1;
        }
    }
    if clipped > 0 {
        notes.push(format!(
            "{} clipped to time >= 0 and S in [0, 1]",
            crate::number::count(clipped, "value", "values")
        ));
    }
    let mut raised = 0;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len() + 1);
    if pts.first().map_or(true, |p| p.0 > 0.0) {
        out.push((0.0, 1.0));
    }
    for (t, s) in pts {
        let floor = out.last().map_or(1.0, |p| p.1);
        let s = if s > floor {
            raised += 1;
            floor
        } else {
            s
        };
        match out.last_mut() {
            Some(prev) if prev.0 == t => prev.1 = prev.1.min(s),
            _ => out.push((t, s)),
        }
    }
    if raised > 0 {
        notes.push(format!(
            "{} above an earlier one lowered to keep the curve non-increasing",
            crate::number::count(raised, "point", "points")
        ));
    }
    if out[0].1 < 1.0 {
        notes.push(format!(
            "the curve starts at S = {} at time 0, not 1: check the digitisation (or the axis)",
            out[0].1
        ));
    }
    (
        out.iter().map(|p| p.0).collect(),
        out.iter().map(|p| p.1).collect(),
        notes,
    )
}
