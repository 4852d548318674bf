//! The panel: the rectangle the curves are drawn in, inside the axis lines
//! and frame, found from the tick labels' positions.

use super::axes::Axis;

/// A rectangle of pixels, inclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Panel {
    /// Left column.
    pub x0: usize,
    /// Right column.
    pub x1: usize,
    /// Top row.
    pub y0: usize,
    /// Bottom row.
    pub y1: usize,
}

/// Where the lines of the axes and frame are, when drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lines {
    /// Row of the x axis line.
    pub bottom: Option<usize>,
    /// Column of the y axis line.
    pub left: Option<usize>,
    /// Row of the frame's top.
    pub top: Option<usize>,
    /// Column of the frame's right side.
    pub right: Option<usize>,
}

/// Longest run of `line` pixels along row `y` (columns a..=b), or along
/// a column when `at` swaps the coordinates.
fn longest(
    line: &[bool],
    width: usize,
    a: usize,
    b: usize,
    at: impl Fn(usize) -> (usize, usize),
) -> usize {
    let (mut best, mut run) = (0, 0);
    for i in a..=b {
        let (x, y) = at(i);
        if line[y * width + x] {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn row_run(line: &[bool], width: usize, y: usize, a: usize, b: usize) -> usize {
    longest(line, width, a, b, |x| (x, y))
}

fn col_run(line: &[bool], width: usize, x: usize, a: usize, b: usize) -> usize {
    longest(line, width, a, b, |y| (x, y))
}

/// The panel of a figure with axes `x` and `y`; `line` marks dark neutral
/// pixels (axis lines, frames, black curves).
pub fn find(line: &[bool], width: usize, height: usize, x: &Axis, y: &Axis) -> (Panel, Lines) {
    let clamp_x = |v: f64| v.round().clamp(0.0, (width - 1) as f64) as usize;
    let clamp_y = |v: f64| v.round().clamp(0.0, (height - 1) as f64) as usize;
    let (xa, xb) = (x.scale.px(x.min()), x.scale.px(x.max()));
    let (ya, yb) = (y.scale.px(y.max()), y.scale.px(y.min())); // top, bottom pixel
    let xspan = (xb - xa).max(1.0);
    let yspan = (yb - ya).max(1.0);
    let label_top = x
        .labels
        .iter()
        .map(|l| l.word.bbox.y0)
        .min()
        .unwrap_or(height - 1);
    let label_right = y.labels.iter().map(|l| l.word.bbox.x1).max().unwrap_or(0);
    let mut lines = Lines::default();

    // x axis line: from the labels' top upwards, a row with a run over
    // half the labelled span.
    let (ca, cb) = (clamp_x(xa), clamp_x(xb));
    let need = ((cb - ca) as f64 * 0.5) as usize;
    let lowest = label_top.saturating_sub(1);
    let highest = clamp_y(yb - 0.15 * yspan).min(lowest);
    for r in (highest..=lowest).rev() {
        if row_run(line, width, r, ca, cb) >= need.max(3) {
            // The line may be thicker than one row: take its top row.
            let mut top = r;
            while top > 0 && row_run(line, width, top - 1, ca, cb) >= need.max(3) {
                top -= 1;
            }
            lines.bottom = Some(top);
            break;
        }
    }
    // y axis line: from the labels' right edge rightwards.
    let (ra, rb) = (clamp_y(ya), clamp_y(yb));
    let need_y = ((rb - ra) as f64 * 0.5) as usize;
    let first = (label_right + 1).min(width - 1);
    let last = clamp_x(xa + 0.15 * xspan).max(first);
    for c in first..=last {
        if col_run(line, width, c, ra, rb) >= need_y.max(3) {
            let mut right = c;
            while right + 1 < width && col_run(line, width, right + 1, ra, rb) >= need_y.max(3) {
                right += 1;
            }
            lines.left = Some(right);
            break;
        }
    }
    // Frame top: above the highest label, a long run.
    let top_from = clamp_y(ya - 0.2 * yspan);
    for r in (top_from..clamp_y(ya)).rev() {
        if row_run(line, width, r, ca, cb) as f64 >= 0.9 * (cb - ca) as f64 {
            lines.top = Some(r);
            break;
        }
    }
    // Frame right: right of the last label.
    let right_to = clamp_x(xb + 0.25 * xspan);
    for c in clamp_x(xb + 1.0)..=right_to {
        if col_run(line, width, c, ra, rb) as f64 >= 0.9 * (rb - ra) as f64 {
            lines.right = Some(c);
            break;
        }
    }
    let x0 = match lines.left {
        Some(l) => l + 1,
        None => clamp_x(xa - 0.03 * xspan).max(label_right + 2),
    };
    let x1 = match lines.right {
        Some(r) => r.saturating_sub(1),
        None => clamp_x(xb + x.spacing().max(0.05 * xspan)),
    };
    let y1 = match lines.bottom {
        Some(b) => b.saturating_sub(1),
        None => clamp_y(yb + 0.05 * yspan).min(label_top.saturating_sub(2)),
    };
    let y0 = match lines.top {
        Some(t) => t + 1,
        None => clamp_y(ya - 0.08 * yspan),
    };
    let panel = Panel {
        x0: x0.min(x1),
        x1,
        y0: y0.min(y1),
        y1,
    };
    (panel, lines)
}
