//! The axes: the row of x tick labels and the column of y tick labels,
//! each an arithmetic progression placed linearly, refined to the tick
//! marks, give the pixel ↔ data mapping; the axis lines and frame bound
//! the panel the curves are searched in.

use super::text::NumberWord;

/// A linear axis: pixel = a + b · value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Pixel of value 0.
    pub a: f64,
    /// Pixels per unit.
    pub b: f64,
}

impl Scale {
    /// The pixel of a value.
    pub fn px(&self, v: f64) -> f64 {
        self.a + self.b * v
    }
    /// The value at a pixel.
    pub fn value(&self, px: f64) -> f64 {
        (px - self.a) / self.b
    }
}

/// One axis read from its labels.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The mapping.
    pub scale: Scale,
    /// The labels, in order of value.
    pub labels: Vec<NumberWord>,
    /// Each label's position along the axis (pixel), refined to its tick
    /// mark where one was found.
    pub positions: Vec<f64>,
    /// Labels printed with a percent sign.
    pub percent: bool,
}

impl Axis {
    /// The first label's value.
    pub fn min(&self) -> f64 {
        self.labels.first().map_or(0.0, |l| l.value)
    }
    /// The last label's value.
    pub fn max(&self) -> f64 {
        self.labels.last().map_or(1.0, |l| l.value)
    }
    /// Distance between neighbouring labels, in pixels.
    pub fn spacing(&self) -> f64 {
        if self.positions.len() < 2 {
            return 0.0;
        }
        (self.positions[self.positions.len() - 1] - self.positions[0]).abs()
            / (self.positions.len() - 1) as f64
    }
}

/// Least squares of y on x: (intercept, slope, largest absolute residual).
pub fn fit(xs: &[f64], ys: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let a = my - b * mx;
    let worst = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (y - a - b * x).abs())
        .fold(0.0, f64::max);
    (a, b, worst)
}

/// Whether values form an arithmetic progression (to printing precision).
fn arithmetic(values: &[f64]) -> bool {
    if values.len() < 2 {
        return false;
    }
    let step = values[1] - values[0];
    if step <= 0.0 {
        return false;
    }
    values
        .windows(2)
        .all(|w| ((w[1] - w[0]) - step).abs() <= 1e-6 + 0.02 * step)
}

/// A candidate axis from labels: `pos` gives a label's position along the
/// axis. Labels sorted by position must increase (x) or decrease (y) in
/// value, in an arithmetic progression, evenly placed.
fn candidate(mut labels: Vec<NumberWord>, pos: impl Fn(&NumberWord) -> f64) -> Option<Axis> {
    if labels.len() < 2 {
        return None;
    }
    labels.sort_by(|a, b| a.value.total_cmp(&b.value));
    let values: Vec<f64> = labels.iter().map(|l| l.value).collect();
    if !arithmetic(&values) {
        return None;
    }
    let positions: Vec<f64> = labels.iter().map(&pos).collect();
    let (a, b, worst) = fit(&values, &positions);
    let spacing =
        (positions[positions.len() - 1] - positions[0]).abs() / (positions.len() - 1) as f64;
    if b.abs() < 1e-9 || spacing < 4.0 || worst > (0.06 * spacing).max(1.5) {
        return None;
    }
    let percent = labels.iter().any(|l| l.percent);
    Some(Axis {
        scale: Scale { a, b },
        labels,
        positions,
        percent,
    })
}

/// Splits `items` into runs whose key lies within `tol` of the run's first.
fn clusters<T: Clone>(
    items: &[T],
    key: impl Fn(&T) -> f64,
    tol: impl Fn(&T) -> f64,
) -> Vec<Vec<T>> {
    let mut sorted: Vec<T> = items.to_vec();
    sorted.sort_by(|a, b| key(a).total_cmp(&key(b)));
    let mut out: Vec<Vec<T>> = Vec::new();
    for it in sorted {
        match out.last_mut() {
            Some(c) if (key(&it) - key(&c[0])).abs() <= tol(&c[0]) => c.push(it),
            _ => out.push(vec![it]),
        }
    }
    out
}

/// Candidate x axes: rows of horizontal numbers whose values increase to
/// the right.
pub fn x_candidates(numbers: &[NumberWord]) -> Vec<Axis> {
    let horizontal: Vec<NumberWord> = numbers
        .iter()
        .filter(|n| !n.word.vertical)
        .cloned()
        .collect();
    let rows = clusters(
        &horizontal,
        |n| n.word.bbox.y1 as f64,
        |n| (0.3 * n.digit_px as f64).max(1.5),
    );
    let mut out = Vec::new();
    for row in rows {
        let mut row = row;
        row.sort_by(|a, b| a.word.bbox.cx().total_cmp(&b.word.bbox.cx()));
        // Values must rise left to right.
        if row.windows(2).any(|w| w[1].value <= w[0].value) {
            // Keep the longest rising stretch.
            row = longest_rising(&row);
        }
        if let Some(ax) = candidate(row, |n| n.word.bbox.cx()) {
            if ax.scale.b > 0.0 {
                out.push(ax);
            }
        }
    }
    out
}

fn longest_rising(row: &[NumberWord]) -> Vec<NumberWord> {
    let mut best: &[NumberWord] = &row[..0];
    let mut start = 0;
    for i in 1..=row.len() {
        if i == row.len() || row[i].value <= row[i - 1].value {
            if i - start > best.len() {
                best = &row[start..i];
            }
            start = i;
        }
    }
    best.to_vec()
}

/// Candidate y axes: columns of numbers (right-aligned horizontal ones, or
/// vertical ones sharing a centre) whose values increase upwards.
pub fn y_candidates(numbers: &[NumberWord]) -> Vec<Axis> {
    let mut out = Vec::new();
    for vertical in [false, true] {
        let words: Vec<NumberWord> = numbers
            .iter()
            .filter(|n| n.word.vertical == vertical)
            .cloned()
            .collect();
        let cols = if vertical {
            clusters(
                &words,
                |n| n.word.bbox.cx(),
                |n| (0.3 * n.digit_px as f64).max(1.5),
            )
        } else {
            clusters(
                &words,
                |n| n.word.bbox.x1 as f64,
                |n| (0.25 * n.digit_px as f64).max(1.5),
            )
        };
        for col in cols {
            let mut col = col;
            col.sort_by(|a, b| b.word.bbox.cy().total_cmp(&a.word.bbox.cy()));
            if col.windows(2).any(|w| w[1].value <= w[0].value) {
                col = longest_rising(&col);
            }
            if let Some(ax) = candidate(col, |n| n.word.bbox.cy()) {
                if ax.scale.b < 0.0 {
                    out.push(ax);
                }
            }
        }
    }
    out
}

/// The x and y axes of the main panel: the y column with the most labels
/// (ties: the leftmost), and the x row nearest below its lowest label with
/// labels to its right.
pub fn choose(xs: &[Axis], ys: &[Axis]) -> Option<(Axis, Axis)> {
    let y = ys
        .iter()
        .max_by(|a, b| {
            a.labels
                .len()
                .cmp(&b.labels.len())
                .then(b.labels[0].word.bbox.x0.cmp(&a.labels[0].word.bbox.x0))
        })?
        .clone();
    let right = y.labels.iter().map(|l| l.word.bbox.x1).max()? as f64;
    let lowest = y
        .labels
        .iter()
        .map(|l| l.word.bbox.cy())
        .fold(f64::MIN, f64::max);
    let digit = y.labels[0].digit_px as f64;
    let x = xs
        .iter()
        .filter(|x| {
            x.labels
                .iter()
                .all(|l| l.word.bbox.x1 as f64 > right - digit)
        })
        .filter(|x| x.labels[0].word.bbox.cy() > lowest - 0.5 * digit)
        .min_by(|a, b| {
            let da = a.labels[0].word.bbox.cy();
            let db = b.labels[0].word.bbox.cy();
            da.total_cmp(&db).then(b.labels.len().cmp(&a.labels.len()))
        })?
        .clone();
    Some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_progressions() {
        let (a, b, w) = fit(&[0.0, 1.0, 2.0], &[10.0, 20.0, 30.0]);
        assert!((a - 10.0).abs() < 1e-12 && (b - 10.0).abs() < 1e-12 && w < 1e-12);
        assert!(arithmetic(&[0.0, 0.25, 0.5, 0.75, 1.0]));
        assert!(!arithmetic(&[0.0, 0.25, 0.6]));
        assert!(!arithmetic(&[3.0, 2.0, 1.0]));
    }
}
