//! The marks of a forest plot: intervals (CI, IQR, range) with arrowheads
//! where they leave the axis, reported-bound ticks, squares and diamonds.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle};
use plotters::prelude::*;

use super::layout::Layout;
use super::{ForestMark, ForestPlot, IntervalKind};
use crate::plot::Theme;

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub(super) fn px(v: f64) -> i32 {
    v.round() as i32
}

/// A horizontal interval from `a` to `b` at `y`, ending in an arrow where it
/// leaves the axis.
pub(super) fn interval<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ForestPlot,
    l: &Layout,
    (a, b): (f64, f64),
    y: f64,
    color: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    let (x0, x1) = (l.x(a, p.scale), l.x(b, p.scale));
    let y = px(y);
    root.draw(&PathElement::new(
        vec![(px(x0), y), (px(x1), y)],
        color.stroke_width(width),
    ))?;
    let head = l.line_h * 0.22;
    for (v, x, dir) in [(a, x0, -1.0), (b, x1, 1.0)] {
        if l.side(v, p.scale) != 0 {
            let back = x - dir * head * 1.6;
            root.draw(&Polygon::new(
                vec![
                    (px(x), y),
                    (px(back), y - px(head)),
                    (px(back), y + px(head)),
                ],
                color.filled(),
            ))?;
        }
    }
    Ok(())
}

pub(super) fn interval_color(kind: IntervalKind) -> RGBColor {
    match kind {
        IntervalKind::Ci => Theme::MARK,
        IntervalKind::Iqr | IntervalKind::Range => Theme::SPREAD,
    }
}

/// The body of an interval between two x positions: a line (CI), a box
/// (IQR) or a dashed line (range).
pub(super) fn interval_body<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    kind: IntervalKind,
    (x0, x1): (i32, i32),
    y: i32,
    half: i32,
) -> DrawResult<DB> {
    let style = interval_color(kind).stroke_width(if kind == IntervalKind::Ci { 2 } else { 1 });
    match kind {
        IntervalKind::Ci => root.draw(&PathElement::new(vec![(x0, y), (x1, y)], style)),
        IntervalKind::Range => {
            root.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], 4, 3, style))
        }
        IntervalKind::Iqr => root.draw(&Rectangle::new([(x0, y - half), (x1, y + half)], style)),
    }
}

pub(super) fn arrowhead<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (tip, y): (f64, f64),
    dir: f64,
    size: f64,
    color: RGBColor,
) -> DrawResult<DB> {
    let back = tip - dir * size * 1.6;
    root.draw(&Polygon::new(
        vec![
            (px(tip), px(y)),
            (px(back), px(y - size)),
            (px(back), px(y + size)),
        ],
        color.filled(),
    ))
}

/// A reported interval; an open or clipped bound ends in an arrow at the
/// axis edge, a reached one (CI, range) in a cap.
pub(super) fn reported<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ForestPlot,
    l: &Layout,
    (lower, upper): (Option<f64>, Option<f64>),
    kind: IntervalKind,
    y: f64,
) -> DrawResult<DB> {
    if lower.is_none() && upper.is_none() {
        return Ok(());
    }
    let x0 = lower.map_or(l.plot_x0, |v| l.x(v, p.scale));
    let x1 = upper.map_or(l.plot_x1, |v| l.x(v, p.scale));
    let half = px(l.line_h * 0.22);
    interval_body(root, kind, (px(x0), px(x1)), px(y), half)?;
    let color = interval_color(kind);
    for (bound, x, dir) in [(lower, x0, -1.0), (upper, x1, 1.0)] {
        let open = bound.is_none_or(|v| l.side(v, p.scale) != 0);
        if open {
            arrowhead(root, (x, y), dir, l.line_h * 0.22, color)?;
        } else if kind != IntervalKind::Iqr {
            root.draw(&PathElement::new(
                vec![(px(x), px(y) - half), (px(x), px(y) + half)],
                color.stroke_width(1),
            ))?;
        }
    }
    Ok(())
}

pub(super) fn draw_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ForestPlot,
    l: &Layout,
    mark: ForestMark,
    y: f64,
) -> DrawResult<DB> {
    let lh = l.line_h;
    match mark {
        ForestMark::None => Ok(()),
        ForestMark::Study {
            estimate,
            ci,
            weight,
        } => {
            interval(root, p, l, ci, y, Theme::INK, 1)?;
            if l.side(estimate, p.scale) != 0 {
                return Ok(());
            }
            // Area proportional to the weight (RevMan), at least visible.
            let max_side = lh * 0.8;
            let side = match weight {
                Some(w) if l.max_weight > 0.0 => {
                    (max_side * (w / l.max_weight).sqrt()).max(lh * 0.22)
                }
                _ => lh * 0.35,
            };
            let x = l.x(estimate, p.scale);
            root.draw(&Rectangle::new(
                [
                    (px(x - side / 2.0), px(y - side / 2.0)),
                    (px(x + side / 2.0), px(y + side / 2.0)),
                ],
                Theme::MARK.filled(),
            ))
        }
        ForestMark::Summary { estimate, ci } => {
            let h = lh * 0.38;
            let (x0, xm, x1) = (
                l.x(ci.0, p.scale),
                l.x(estimate, p.scale),
                l.x(ci.1, p.scale),
            );
            root.draw(&Polygon::new(
                vec![
                    (px(x0), px(y)),
                    (px(xm), px(y - h)),
                    (px(x1), px(y)),
                    (px(xm), px(y + h)),
                ],
                Theme::INK.filled(),
            ))?;
            if l.side(ci.0, p.scale) != 0 || l.side(ci.1, p.scale) != 0 {
                interval(root, p, l, ci, y, Theme::INK, 1)?;
            }
            Ok(())
        }
        ForestMark::Interval {
            estimate,
            lower,
            upper,
            kind,
        } => {
            reported(root, p, l, (lower, upper), kind, y)?;
            if let Some(e) = estimate.filter(|e| l.side(*e, p.scale) == 0) {
                root.draw(&Circle::new(
                    (px(l.x(e, p.scale)), px(y)),
                    px(lh * 0.2).max(2),
                    Theme::MARK.filled(),
                ))?;
            }
            Ok(())
        }
        ForestMark::Prediction { pi } => {
            let h = lh * 0.14;
            let (x0, x1) = (l.x(pi.0, p.scale), l.x(pi.1, p.scale));
            root.draw(&Rectangle::new(
                [(px(x0), px(y - h)), (px(x1), px(y + h))],
                Theme::SPREAD.filled(),
            ))?;
            if l.side(pi.0, p.scale) != 0 || l.side(pi.1, p.scale) != 0 {
                interval(root, p, l, pi, y, Theme::SPREAD, 1)?;
            }
            Ok(())
        }
    }
}
