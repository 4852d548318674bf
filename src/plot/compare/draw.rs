//! Drawing of the comparison plot on any plotters backend.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::ShapeStyle;

use super::layout::{font, text_w, tick_text, Layout, INDENT, M, ROW};
use super::{ComparePlot, IntervalKind, PlotInterval};
use crate::plot::Theme;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
) -> DrawResult<DB> {
    let s = t.scale;
    let px = |v: f64| v.round() as i32;
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Top);
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        p.title.clone(),
        (px(l.label_x), px(M * s + 9.0 * s)),
        font(t.font(15.0), true).color(&Theme::INK).pos(left),
    ))?;
    if let Some(sub) = &p.subtitle {
        root.draw(&Text::new(
            sub.clone(),
            (px(l.label_x), px(M * s + 28.0 * s)),
            font(t.font(11.0), false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    let hy = px(l.header_y + ROW * s / 2.0);
    let header = font(t.font(11.0), true).color(&Theme::INK);
    root.draw(&Text::new(
        p.label_header.clone(),
        (px(l.label_x), hy),
        header.pos(left),
    ))?;
    root.draw(&Text::new("n", (px(l.n_right), hy), header.pos(right)))?;
    root.draw(&Text::new(
        p.value_header.clone(),
        (px(l.value_x), hy),
        header.pos(left),
    ))?;
    root.draw(&PathElement::new(
        vec![
            (px(l.label_x), px(l.rows_y)),
            (l.width as i32 - px(M * s), px(l.rows_y)),
        ],
        Theme::INK.stroke_width(t.px(1.0) as u32),
    ))?;

    // Grid first, so rows draw over it.
    for &tick in &l.ticks {
        let x = px(l.x(tick, p.scale));
        root.draw(&PathElement::new(
            vec![(x, px(l.rows_y)), (x, px(l.axis_y))],
            Theme::GRID.stroke_width(t.px(1.0) as u32),
        ))?;
    }
    if let Some(reference) = p.reference {
        let x = px(l.x(reference, p.scale));
        root.draw(&DashedPathElement::new(
            vec![(x, px(l.rows_y)), (x, px(l.axis_y))],
            t.px(4.0) as u32,
            t.px(3.0) as u32,
            Theme::MUTED.stroke_width(t.px(1.0) as u32),
        ))?;
    }

    let mut y = l.rows_y;
    let mut band = false;
    for g in &p.groups {
        if let Some(h) = &g.heading {
            root.draw(&Text::new(
                h.clone(),
                (px(l.label_x), px(y + ROW * s / 2.0)),
                font(t.font(11.5), true).color(&Theme::INK).pos(left),
            ))?;
            y += ROW * s;
        }
        for r in &g.rows {
            let cy = y + ROW * s / 2.0;
            if band {
                root.draw(&Rectangle::new(
                    [
                        (px(l.label_x - 4.0 * s), px(y)),
                        (l.width as i32 - px(M * s) + px(4.0 * s), px(y + ROW * s)),
                    ],
                    Theme::BAND.filled(),
                ))?;
            }
            band = !band;
            let indent = if g.heading.is_some() { INDENT * s } else { 0.0 };
            let row_font = font(t.font(11.5), r.summary);
            root.draw(&Text::new(
                r.label.clone(),
                (px(l.label_x + indent), px(cy)),
                row_font.color(&Theme::INK).pos(left),
            ))?;
            if !r.detail.is_empty() {
                let dx = text_w(&r.label, t.font(11.5), false);
                root.draw(&Text::new(
                    format!(" · {}", r.detail),
                    (px(l.label_x + indent + dx), px(cy)),
                    row_font.color(&Theme::MUTED).pos(left),
                ))?;
            }
            root.draw(&Text::new(
                r.n_text.clone(),
                (px(l.n_right), px(cy)),
                font(t.font(11.0), false).color(&Theme::INK).pos(right),
            ))?;
            root.draw(&Text::new(
                r.value_text.clone(),
                (px(l.value_x), px(cy)),
                font(t.font(11.0), false).color(&Theme::INK).pos(left),
            ))?;
            if r.summary {
                draw_summary(root, p, t, l, r, cy)?;
                y += ROW * s;
                continue;
            }
            if let Some(i) = r.interval {
                draw_interval(root, p, t, l, i, cy)?;
            }
            if let Some(v) = r.value {
                root.draw(&Circle::new(
                    (px(l.x(v, p.scale)), px(cy)),
                    t.px(4.5),
                    Theme::MARK.filled(),
                ))?;
            }
            y += ROW * s;
        }
    }

    // Axis.
    let ay = px(l.axis_y);
    root.draw(&PathElement::new(
        vec![(px(l.plot_x0), ay), (px(l.plot_x1), ay)],
        Theme::INK.stroke_width(t.px(1.0) as u32),
    ))?;
    for &tick in &l.ticks {
        let x = px(l.x(tick, p.scale));
        root.draw(&PathElement::new(
            vec![(x, ay), (x, ay + t.px(5.0))],
            Theme::INK.stroke_width(t.px(1.0) as u32),
        ))?;
        root.draw(&Text::new(
            tick_text(tick),
            (x, ay + t.px(7.0)),
            font(t.font(10.5), false).color(&Theme::INK).pos(center),
        ))?;
    }
    let mid = px((l.plot_x0 + l.plot_x1) / 2.0);
    root.draw(&Text::new(
        p.x_label.clone(),
        (mid, ay + t.px(26.0)),
        font(t.font(11.0), false).color(&Theme::INK).pos(center),
    ))?;
    draw_legend(root, p, t, l)
}

/// The body of an interval (line, dashed line or box) between two x positions.
fn interval_body<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    kind: IntervalKind,
    x0: i32,
    x1: i32,
    y: i32,
) -> DrawResult<DB> {
    let style = interval_style(t, kind);
    match kind {
        IntervalKind::Ci => root.draw(&PathElement::new(vec![(x0, y), (x1, y)], style)),
        IntervalKind::Range => root.draw(&DashedPathElement::new(
            vec![(x0, y), (x1, y)],
            t.px(4.0) as u32,
            t.px(3.0) as u32,
            style,
        )),
        IntervalKind::Iqr => root.draw(&Rectangle::new(
            [(x0, y - t.px(5.0)), (x1, y + t.px(5.0))],
            style,
        )),
    }
}

fn interval_color(kind: IntervalKind) -> RGBColor {
    match kind {
        IntervalKind::Ci => Theme::MARK,
        IntervalKind::Iqr | IntervalKind::Range => Theme::SPREAD,
    }
}

fn interval_style(t: &Theme, kind: IntervalKind) -> ShapeStyle {
    let width = if kind == IntervalKind::Ci { 1.8 } else { 1.6 };
    interval_color(kind).stroke_width(t.px(width) as u32)
}

/// An arrowhead pointing along `dir` (+1 right, −1 left) with its tip at `tip`:
/// a bound that was not reached.
fn arrowhead<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    tip: i32,
    y: i32,
    dir: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    let back = tip - dir * t.px(7.0);
    root.draw(&Polygon::new(
        vec![(tip, y), (back, y - t.px(4.0)), (back, y + t.px(4.0))],
        color.filled(),
    ))
}

fn draw_interval<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
    i: PlotInterval,
    cy: f64,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let x0 = px(i.lower.map_or(l.plot_x0, |v| l.x(v, p.scale)));
    let x1 = px(i.upper.map_or(l.plot_x1, |v| l.x(v, p.scale)));
    let y = px(cy);
    interval_body(root, t, i.kind, x0, x1, y)?;
    let style = interval_style(t, i.kind);
    let cap = t.px(4.0);
    for (bound, x, dir) in [(i.lower, x0, -1), (i.upper, x1, 1)] {
        match bound {
            Some(_) if i.kind != IntervalKind::Iqr => {
                root.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], style))?
            }
            Some(_) => {}
            None => arrowhead(root, t, x, y, dir, interval_color(i.kind))?,
        }
    }
    Ok(())
}

/// A pooled estimate: a diamond over its CI, the prediction interval dashed.
fn draw_summary<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
    r: &super::CompareRow,
    cy: f64,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let y = px(cy);
    if let Some((a, b)) = r.pi {
        root.draw(&DashedPathElement::new(
            vec![(px(l.x(a, p.scale)), y), (px(l.x(b, p.scale)), y)],
            t.px(3.0) as u32,
            t.px(2.0) as u32,
            Theme::INK.stroke_width(t.px(1.2) as u32),
        ))?;
    }
    let (Some(v), Some(i)) = (r.value, r.interval) else {
        return Ok(());
    };
    let (x0, xm, x1) = (
        px(l.x(i.lower.unwrap_or(v), p.scale)),
        px(l.x(v, p.scale)),
        px(l.x(i.upper.unwrap_or(v), p.scale)),
    );
    let h = t.px(6.0);
    root.draw(&Polygon::new(
        vec![(x0, y), (xm, y - h), (x1, y), (xm, y + h)],
        Theme::INK.filled(),
    ))?;
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ComparePlot,
    t: &Theme,
    l: &Layout,
) -> DrawResult<DB> {
    let s = t.scale;
    let px = |v: f64| v.round() as i32;
    let rows = || p.groups.iter().flat_map(|g| &g.rows);
    let kinds: Vec<IntervalKind> = [IntervalKind::Ci, IntervalKind::Iqr, IntervalKind::Range]
        .into_iter()
        .filter(|k| rows().any(|r| r.interval.is_some_and(|i| i.kind == *k)))
        .collect();
    let open = rows().any(|r| {
        r.interval
            .is_some_and(|i| i.lower.is_none() || i.upper.is_none())
    });
    let y = px(l.legend_y + 9.0 * s);
    let style = font(t.font(10.5), false)
        .color(&Theme::INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = l.label_x;
    // Each item: a 26-px sample drawn at `x`, its label, then 18 px of space.
    let item = |x: &mut f64, label: &str| -> DrawResult<DB> {
        let start = *x + 26.0 * s;
        *x = start + text_w(label, t.font(10.5), false) + 18.0 * s;
        root.draw(&Text::new(label.to_string(), (px(start), y), style.clone()))
    };
    root.draw(&Circle::new(
        (px(x + 12.0 * s), y),
        t.px(4.5),
        Theme::MARK.filled(),
    ))?;
    item(&mut x, &p.estimate_name)?;
    for k in kinds {
        interval_body(root, t, k, px(x + 2.0 * s), px(x + 20.0 * s), y)?;
        let label = match k {
            IntervalKind::Ci => "confidence interval",
            IntervalKind::Iqr => "interquartile range",
            IntervalKind::Range => "range (min–max)",
        };
        item(&mut x, label)?;
    }
    if open {
        arrowhead(root, t, px(x + 18.0 * s), y, 1, Theme::MARK)?;
        item(&mut x, "bound not reached")?;
    }
    if let Some(note) = &p.footnote {
        root.draw(&Text::new(
            note.clone(),
            (px(l.label_x), px(l.legend_y + 30.0 * s)),
            font(t.font(10.5), false)
                .color(&Theme::MUTED)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
