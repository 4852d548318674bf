//! Drawing of the forest plot from its layout.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{legend_entry_w, Layout, LegendMark, RowBox};
use super::{Align, ForestPlot, RowKind};
use crate::plot::text::{font, tick_text, PLOTTERS_PER_SVG_PX};
use crate::plot::Theme;

use super::marks::{arrowhead, draw_mark, interval_body, px, DrawResult};

fn pos(align: Align) -> Pos {
    match align {
        Align::Left => Pos::new(HPos::Left, VPos::Center),
        Align::Right => Pos::new(HPos::Right, VPos::Center),
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ForestPlot,
    l: &Layout,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let left = Pos::new(HPos::Left, VPos::Center);
    let lh = l.line_h;
    let lh_of = |size: f64| size / PLOTTERS_PER_SVG_PX * 1.3;
    let mut y = l.margin;
    for line in &l.title {
        let h = lh_of(l.title_size);
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(y + h / 2.0)),
            font(l.title_size, true).color(&Theme::INK).pos(left),
        ))?;
        y += h;
    }
    for line in &l.subtitle {
        let h = lh_of(l.small);
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(y + h / 2.0)),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
        y += h;
    }

    // Column headers, bottom-aligned, and the axis header.
    let header_n = l
        .header_lines
        .iter()
        .map(Vec::len)
        .chain([l.plot_header.len()])
        .max()
        .unwrap_or(1);
    let bold = font(l.body, true).color(&Theme::INK);
    for (c, lines) in l.columns.iter().zip(&l.header_lines) {
        let skip = header_n - lines.len();
        for (i, line) in lines.iter().enumerate() {
            let cy = l.header_top + (skip + i) as f64 * lh + lh / 2.0;
            root.draw(&Text::new(
                line.clone(),
                (px(c.anchor()), px(cy)),
                bold.pos(pos(c.align)),
            ))?;
        }
    }
    let skip = header_n - l.plot_header.len();
    for (i, line) in l.plot_header.iter().enumerate() {
        let cy = l.header_top + (skip + i) as f64 * lh + lh / 2.0;
        root.draw(&Text::new(
            line.clone(),
            (px((l.plot_x0 + l.plot_x1) / 2.0), px(cy)),
            bold.pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    let rule = |y: f64| {
        PathElement::new(
            vec![
                (px(l.margin), px(y)),
                (px(f64::from(l.width) - l.margin), px(y)),
            ],
            Theme::INK.stroke_width(1),
        )
    };
    root.draw(&rule(l.rows_top))?;

    // Shading behind alternate data rows (compact preset).
    if l.stripes {
        let mut band = false;
        for (r, b) in p.rows.iter().zip(&l.rows) {
            if r.kind != RowKind::Data {
                continue;
            }
            if band {
                root.draw(&Rectangle::new(
                    [
                        (px(l.margin), px(b.top)),
                        (px(f64::from(l.width) - l.margin), px(b.top + b.height)),
                    ],
                    Theme::BAND.filled(),
                ))?;
            }
            band = !band;
        }
    }

    // The null line, and a dotted line at the overall estimate.
    let rows_bottom = l.rows.last().map_or(l.rows_top, |r| r.top + r.height);
    if let Some(r) = p.reference.filter(|r| l.side(*r, p.scale) == 0) {
        let x = l.x(r, p.scale);
        for (a, b) in vertical_segments(l, x, l.axis_y) {
            root.draw(&PathElement::new(
                vec![(px(x), px(a)), (px(x), px(b))],
                Theme::INK.stroke_width(1),
            ))?;
        }
    }
    if let Some(v) = p.overall_line.filter(|v| l.side(*v, p.scale) == 0) {
        let x = l.x(v, p.scale);
        for (a, b) in vertical_segments(l, x, rows_bottom) {
            root.draw(&DashedPathElement::new(
                vec![(px(x), px(a)), (px(x), px(b))],
                2,
                3,
                Theme::MUTED.stroke_width(1),
            ))?;
        }
    }

    for (r, b) in p.rows.iter().zip(&l.rows) {
        draw_row_text(root, l, r.kind, r.bold, b)?;
        draw_mark(root, p, l, r.mark, l.first_line_y(b))?;
    }
    root.draw(&rule(rows_bottom + lh * 0.15))?;

    // Axis.
    let ay = px(l.axis_y);
    root.draw(&PathElement::new(
        vec![(px(l.plot_x0), ay), (px(l.plot_x1), ay)],
        Theme::INK.stroke_width(1),
    ))?;
    let tick_font = font(l.small, false)
        .color(&Theme::INK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let small_h = lh_of(l.small);
    for &t in &l.ticks {
        let x = px(l.x(t, p.scale));
        root.draw(&PathElement::new(
            vec![(x, ay), (x, ay + px(lh * 0.3))],
            Theme::INK.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            tick_text(t),
            (x, px(l.axis_y + lh * 0.4 + small_h / 2.0)),
            tick_font.clone(),
        ))?;
    }
    let mut y = l.axis_y + lh * 0.4 + small_h + lh * 0.2;
    for line in &l.x_label {
        root.draw(&Text::new(
            line.clone(),
            (px((l.plot_x0 + l.plot_x1) / 2.0), px(y + lh / 2.0)),
            font(l.body, false)
                .color(&Theme::INK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        y += lh;
    }
    if let Some((a, b)) = &l.favours {
        let split = p
            .reference
            .filter(|r| l.side(*r, p.scale) == 0)
            .map_or((l.plot_x0 + l.plot_x1) / 2.0, |r| l.x(r, p.scale));
        let gap = l.body * 0.45;
        for (lines, x, h) in [(a, split - gap, HPos::Right), (b, split + gap, HPos::Left)] {
            for (i, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (px(x), px(l.favours_y + i as f64 * small_h + small_h / 2.0)),
                    font(l.small, false)
                        .color(&Theme::MUTED)
                        .pos(Pos::new(h, VPos::Center)),
                ))?;
            }
        }
    }
    draw_legend(root, l)?;
    for (i, line) in l.footnotes.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (
                px(l.margin),
                px(l.footnotes_y + i as f64 * small_h + small_h / 2.0),
            ),
            font(l.small, false).color(&Theme::INK).pos(left),
        ))?;
    }
    Ok(())
}

/// A vertical line at `x` from the top of the rows to `bottom`, broken
/// where a heading's or note's text runs across it.
fn vertical_segments(l: &Layout, x: f64, bottom: f64) -> Vec<(f64, f64)> {
    let pad = l.body * 0.3;
    let mut out = Vec::new();
    let mut start = l.rows_top;
    for r in &l.rows {
        if r.text_right + pad > x {
            if r.top > start {
                out.push((start, r.top));
            }
            start = r.top + r.height;
        }
    }
    if bottom > start {
        out.push((start, bottom));
    }
    out
}

fn draw_row_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    l: &Layout,
    kind: RowKind,
    bold: bool,
    b: &RowBox,
) -> DrawResult<DB> {
    let first = l.first_line_y(b);
    match kind {
        RowKind::Data => {
            for (c, lines) in l.columns.iter().zip(&b.lines) {
                for (i, line) in lines.iter().enumerate() {
                    root.draw(&Text::new(
                        line.clone(),
                        (px(c.anchor()), px(first + i as f64 * l.line_h)),
                        font(l.body, bold).color(&Theme::INK).pos(pos(c.align)),
                    ))?;
                }
            }
        }
        RowKind::Heading | RowKind::Note => {
            let (size, bold, color, lh) = if kind == RowKind::Heading {
                (l.body, true, Theme::INK, l.line_h)
            } else {
                (
                    l.small,
                    false,
                    Theme::MUTED,
                    l.small / PLOTTERS_PER_SVG_PX * 1.3,
                )
            };
            let y0 = b.top + l.line_h * 0.25 + lh / 2.0;
            for (i, line) in b.lines.iter().flatten().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (px(l.margin), px(y0 + i as f64 * lh)),
                    font(size, bold).color(&color).pos(pos(Align::Left)),
                ))?;
            }
        }
    }
    Ok(())
}

/// The legend of the marks (reported estimates and their intervals).
fn draw_legend<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, l: &Layout) -> DrawResult<DB> {
    let sh = l.small / PLOTTERS_PER_SVG_PX * 1.3;
    for (i, items) in l.legend.iter().enumerate() {
        let y = l.legend_y + i as f64 * sh + sh / 2.0;
        let mut x = l.margin;
        for (m, label) in items {
            let (a, b) = (x + l.small * 0.2, x + l.small * 2.2);
            match m {
                LegendMark::Estimate => root.draw(&Circle::new(
                    (px((a + b) / 2.0), px(y)),
                    px(l.line_h * 0.2).max(2),
                    Theme::MARK.filled(),
                ))?,
                LegendMark::Interval(k) => {
                    interval_body(root, *k, (px(a), px(b)), px(y), px(l.line_h * 0.22))?
                }
                LegendMark::Open => arrowhead(root, (b, y), 1.0, l.line_h * 0.22, Theme::MARK)?,
            }
            root.draw(&Text::new(
                label.clone(),
                (px(x + l.small * 2.6), px(y)),
                font(l.small, false)
                    .color(&Theme::INK)
                    .pos(pos(Align::Left)),
            ))?;
            x += legend_entry_w(label, l.small);
        }
    }
    Ok(())
}
