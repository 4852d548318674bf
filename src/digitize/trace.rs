//! Tracing one curve through its pixels: column by column along the line
//! that stays connected and never rises, from the top left; then the
//! plateaus (at sub-pixel height), the drops between them and the censor
//! marks (ink that leaves the line and comes back).

/// A vertical run of a curve's pixels in one column: rows y0..=y1, and the
/// ink-weighted centre.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Run {
    /// Top row.
    pub y0: usize,
    /// Bottom row.
    pub y1: usize,
    /// Ink-weighted centre row.
    pub centre: f64,
}

impl Run {
    fn len(&self) -> usize {
        self.y1 + 1 - self.y0
    }
}

/// A class's pixels as runs, column by column (panel coordinates).
pub fn runs(weight: &[f32], width: usize, height: usize) -> Vec<Vec<Run>> {
    let mut cols = vec![Vec::new(); width];
    for (x, col) in cols.iter_mut().enumerate() {
        let mut y = 0;
        while y < height {
            if weight[y * width + x] > 0.0 {
                let y0 = y;
                let (mut sw, mut swy) = (0.0f64, 0.0f64);
                while y < height && weight[y * width + x] > 0.0 {
                    let w = weight[y * width + x] as f64;
                    sw += w;
                    swy += w * y as f64;
                    y += 1;
                }
                col.push(Run {
                    y0,
                    y1: y - 1,
                    centre: if sw > 0.0 {
                        swy / sw
                    } else {
                        (y0 + y - 1) as f64 / 2.0
                    },
                });
            } else {
                y += 1;
            }
        }
    }
    cols
}

/// The line's thickness: the commonest run length (plateau cross-sections
/// outnumber drops).
pub fn thickness(cols: &[Vec<Run>]) -> f64 {
    let mut hist = [0usize; 16];
    for r in cols.iter().flatten() {
        let l = r.len();
        if l < 16 {
            hist[l] += 1;
        }
    }
    let mode = (1..16)
        .max_by_key(|&l| (hist[l], std::cmp::Reverse(l)))
        .unwrap_or(1);
    mode as f64
}

/// A traced curve: for each panel column from `start`, the run it passes
/// through (None where it is hidden or broken).
#[derive(Clone, Debug)]
pub struct Path {
    /// First column.
    pub start: usize,
    /// Runs by column from `start`.
    pub cols: Vec<Option<Run>>,
    /// Line thickness in pixels.
    pub t: f64,
}

/// Traces from the topmost run among the first columns that have any.
/// `max_gap` columns may be bridged (dashes, a curve hidden under
/// another); ink that leaves the line for at most `max_mark` columns and
/// comes back is a mark, not a drop.
pub fn trace(cols: &[Vec<Run>], t: f64, max_gap: usize, max_mark: usize) -> Option<Path> {
    let width = cols.len();
    let first = cols.iter().position(|c| !c.is_empty())?;
    // Among the first few columns with ink, the topmost run.
    let window = (first + (width / 40).max(3)).min(width);
    let (sx, start) = (first..window)
        .flat_map(|x| cols[x].iter().map(move |r| (x, *r)))
        .min_by(|a, b| a.1.y0.cmp(&b.1.y0).then(a.0.cmp(&b.0)))?;
    let half = (t - 1.0) / 2.0;
    let mut level = if start.len() as f64 <= t + 1.0 {
        start.centre
    } else {
        start.y1 as f64 - half
    };
    let mut out: Vec<Option<Run>> = vec![Some(start)];
    // The level before the last drop, for a few columns: ink that dips
    // and comes back (a censor mark) must not lose the line.
    let mut fallback: Option<(f64, usize)> = None;
    let touches = |r: &Run, level: f64| {
        r.y1 as f64 >= level - half - 1.0 && r.y0 as f64 <= level + half + 1.0
    };
    let mut x = sx + 1;
    while x < width {
        if fallback.is_some_and(|(_, until)| x > until) {
            fallback = None;
        }
        let best = |level: f64| {
            cols[x]
                .iter()
                .filter(|r| touches(r, level))
                .max_by(|a, b| overlap(a, level, half).total_cmp(&overlap(b, level, half)))
                .copied()
        };
        let mut touching = best(level);
        if touching.is_none() {
            if let Some((f, _)) = fallback {
                if let Some(r) = best(f) {
                    level = f;
                    fallback = None;
                    touching = Some(r);
                }
            }
        }
        if let Some(r) = touching {
            if r.y1 as f64 > level + half + 0.5 {
                fallback = Some((level, x + max_mark));
                level = r.y1 as f64 - half;
            }
            out.push(Some(r));
            x += 1;
            continue;
        }
        // Bridge a gap: the nearest column ahead with a run at or below
        // the line.
        let mut found = None;
        for gx in x + 1..(x + max_gap + 1).min(width) {
            if let Some(r) = cols[gx]
                .iter()
                .filter(|r| r.y1 as f64 >= level - half - 1.0)
                .min_by_key(|r| r.y0)
            {
                found = Some((gx, *r));
                break;
            }
        }
        let Some((gx, r)) = found else { break };
        out.extend(std::iter::repeat_n(None, gx - x));
        level = if r.len() as f64 <= t + 1.0 {
            r.centre.max(level)
        } else {
            r.y1 as f64 - half
        };
        out.push(Some(r));
        x = gx + 1;
    }
    // Drop trailing gaps.
    while matches!(out.last(), Some(None)) {
        out.pop();
    }
    Some(Path {
        start: sx,
        cols: out,
        t,
    })
}

fn overlap(r: &Run, level: f64, half: f64) -> f64 {
    let (a, b) = (level - half - 0.5, level + half + 0.5);
    (r.y1 as f64 + 0.5).min(b) - (r.y0 as f64 - 0.5).max(a)
}

/// A curve as steps in pixel coordinates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Steps {
    /// Plateaus: (first column, last column, centre row), left to right,
    /// rows non-decreasing (the curve never rises).
    pub plateaus: Vec<(f64, f64, f64)>,
    /// Censor marks' columns.
    pub marks: Vec<f64>,
}

/// Plateaus, drops and marks of a traced path. `mark_w` is the widest a
/// censor mark is expected to be, in columns.
pub fn steps(path: &Path, mark_w: usize) -> Steps {
    let t = path.t;
    let half = (t - 1.0) / 2.0;
    let n = path.cols.len();
    let first = match path.cols.first() {
        Some(Some(r)) => *r,
        _ => return Steps::default(),
    };
    let mut level = if first.len() as f64 <= t + 1.0 {
        first.centre
    } else {
        first.y1 as f64 - half
    };
    // Level by column, and where drops start.
    let mut levels = vec![f64::NAN; n];
    let mut drop_at: Vec<usize> = Vec::new();
    let mut marks: Vec<usize> = Vec::new();
    let mut last_drop: Option<usize> = None;
    let k = mark_w.max(2);
    for i in 0..n {
        let Some(r) = path.cols[i] else {
            levels[i] = level;
            continue;
        };
        let down = r.y1 as f64 - (level + half);
        let up = (level - half) - r.y0 as f64;
        let near_drop = last_drop.is_some_and(|d| i <= d + t.ceil() as usize + 1);
        if down > 0.75 {
            let c = r.y1 as f64 - half;
            // Persistent (a drop) or back within k columns (a mark)?
            let ahead: Vec<&Run> = path.cols[i + 1..(i + 1 + k + 1).min(n)]
                .iter()
                .flatten()
                .collect();
            let back = ahead
                .iter()
                .filter(|a| (a.y1 as f64) <= level + half + 1.0)
                .count();
            let stays = ahead.len() - back;
            if back > stays && back > 0 {
                if !near_drop {
                    marks.push(i);
                }
            } else {
                drop_at.push(i);
                last_drop = Some(i);
                level = c;
            }
        } else if up > 1.5 && !near_drop {
            marks.push(i);
        }
        levels[i] = level;
    }
    // Plateaus between drops: their height from the plain columns' centres.
    let mut bounds: Vec<usize> = vec![0];
    for &d in &drop_at {
        if d > *bounds.last().unwrap_or(&0) {
            bounds.push(d);
        }
    }
    bounds.push(n);
    let mut plateaus = Vec::new();
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let lvl = levels[b - 1];
        let skip = if a == 0 { 0 } else { t.ceil() as usize };
        let centres: Vec<f64> = ((a + skip).min(b)..b)
            .filter(|i| !marks.iter().any(|m| m.abs_diff(*i) <= k))
            .filter_map(|i| path.cols[i])
            .filter(|r| r.len() as f64 <= t + 1.0 && (r.centre - lvl).abs() <= 1.0)
            .map(|r| r.centre)
            .collect();
        let y = if centres.is_empty() {
            lvl
        } else {
            centres.iter().sum::<f64>() / centres.len() as f64
        };
        // A drop's vertical line is t columns wide: the event is at its middle.
        let x0 = if a == 0 { 0.0 } else { a as f64 + half };
        plateaus.push(((path.start as f64) + x0, (path.start + b - 1) as f64, y));
    }
    // Never rise: a plateau measured above its predecessor joins it.
    let mut merged: Vec<(f64, f64, f64)> = Vec::new();
    for p in plateaus {
        match merged.last_mut() {
            Some(last) if p.2 <= last.2 + 0.25 => last.1 = p.1,
            _ => merged.push(p),
        }
    }
    // Marks: one per cluster of columns.
    let mut mk: Vec<f64> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    for &m in &marks {
        if group.last().is_some_and(|&g| m > g + 1 + k / 2) {
            mk.push(path.start as f64 + group.iter().sum::<usize>() as f64 / group.len() as f64);
            group.clear();
        }
        group.push(m);
    }
    if !group.is_empty() {
        mk.push(path.start as f64 + group.iter().sum::<usize>() as f64 / group.len() as f64);
    }
    Steps {
        plateaus: merged,
        marks: mk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws a step curve 2 px thick with a '+'-like mark, then traces it.
    #[test]
    fn a_drawn_staircase_is_read_back() {
        let (w, h) = (100usize, 60usize);
        let mut px = vec![0f32; w * h];
        let mut put = |x: usize, y: usize| px[y * w + x] = 1.0;
        // Level 10 until x = 30, drop to 30 until x = 70, then 45.
        for x in 0..100 {
            let y = if x < 30 {
                10
            } else if x < 70 {
                30
            } else {
                45
            };
            put(x, y);
            put(x, y + 1);
        }
        for y in 10..=31 {
            put(30, y);
            put(31, y);
        }
        for y in 30..=46 {
            put(70, y);
            put(71, y);
        }
        // Censor mark at x = 50: a vertical stroke through the line.
        for y in 26..=35 {
            put(50, y);
        }
        let cols = runs(&px, w, h);
        let t = thickness(&cols);
        assert_eq!(t, 2.0);
        let path = trace(&cols, t, 10, 4).unwrap();
        let s = steps(&path, 4);
        let ys: Vec<f64> = s.plateaus.iter().map(|p| p.2).collect();
        assert_eq!(ys, vec![10.5, 30.5, 45.5]);
        let xs: Vec<f64> = s.plateaus.iter().map(|p| p.0).collect();
        assert_eq!(xs, vec![0.0, 30.5, 70.5]);
        assert_eq!(s.marks, vec![50.0]);
    }
}
