//! Drawing the Kaplan–Meier figure into a laid-out area: axes, bands,
//! steps, censor marks, median lines, points, legend and risk table.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::layout::{legend_text, legend_width, lh, table_rows, Layout, Legend};
use super::{KmPlot, PALETTE};
use crate::plot::text::{font, pt, tick_text};
use crate::plot::Theme;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &KmPlot,
    l: &Layout,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let tmax = p
        .x_max
        .max(p.ticks.last().copied().unwrap_or(0.0))
        .max(f64::MIN_POSITIVE);
    let x = |time: f64| l.x0 + (time.min(tmax) / tmax) * (l.x1 - l.x0);
    let y = |surv: f64| l.y1 - surv.clamp(0.0, 1.0) * (l.y1 - l.y0);
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Center);
    let small_h = lh(l.small);
    root.fill(&WHITE)?;
    let mut ty = l.margin;
    for line in &l.title {
        let h = lh(pt(8.5));
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(ty + h / 2.0)),
            font(pt(8.5), true).color(&Theme::INK).pos(left),
        ))?;
        ty += h;
    }
    for line in &l.subtitle {
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(ty + small_h / 2.0)),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
        ty += small_h;
    }
    // Legend above the plot, so it never covers a curve.
    let sample = l.body * 1.6;
    for (row, items) in l.legend.iter().enumerate() {
        let ly = l.legend_y + row as f64 * small_h + small_h / 2.0;
        let mut lx = l.margin;
        for it in items {
            match it {
                Legend::Curve(i, _) => root.draw(&PathElement::new(
                    vec![(px(lx), px(ly)), (px(lx + sample), px(ly))],
                    PALETTE[i % PALETTE.len()].stroke_width(2),
                ))?,
                Legend::Median => root.draw(&DashedPathElement::new(
                    vec![(px(lx), px(ly)), (px(lx + sample), px(ly))],
                    3,
                    2,
                    Theme::MUTED.stroke_width(1),
                ))?,
                Legend::Points => root.draw(&Circle::new(
                    (px(lx + sample / 2.0), px(ly)),
                    3,
                    Theme::INK.stroke_width(1),
                ))?,
            }
            root.draw(&Text::new(
                legend_text(it).to_string(),
                (px(lx + sample + l.small * 0.4), px(ly)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
            lx += legend_width(it, l.small, l.body);
        }
    }

    // Grid and axes.
    for i in 0..=4 {
        let v = f64::from(i) * 0.25;
        root.draw(&PathElement::new(
            vec![(px(l.x0), px(y(v))), (px(l.x1), px(y(v)))],
            Theme::GRID.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("{v:.2}"),
            (px(l.x0 - l.small * 0.5), px(y(v))),
            font(l.small, false).color(&Theme::INK).pos(right),
        ))?;
    }
    root.draw(&Text::new(
        "Survival probability",
        (px(l.margin + lh(l.body) / 2.0), px((l.y0 + l.y1) / 2.0)),
        font(l.body, false)
            .transform(FontTransform::Rotate270)
            .color(&Theme::INK)
            .pos(center),
    ))?;
    let axis = Theme::INK.stroke_width(1);
    root.draw(&PathElement::new(
        vec![
            (px(l.x0), px(l.y0)),
            (px(l.x0), px(l.y1)),
            (px(l.x1), px(l.y1)),
        ],
        axis,
    ))?;
    for &tk in &p.ticks {
        root.draw(&PathElement::new(
            vec![(px(x(tk)), px(l.y1)), (px(x(tk)), px(l.y1 + l.small * 0.3))],
            axis,
        ))?;
        root.draw(&Text::new(
            tick_text(tk),
            (px(x(tk)), px(l.y1 + l.small * 0.4 + small_h / 2.0)),
            font(l.small, false).color(&Theme::INK).pos(center),
        ))?;
    }
    root.draw(&Text::new(
        p.x_label.clone(),
        (px((l.x0 + l.x1) / 2.0), px(l.x_label_y + lh(l.body) / 2.0)),
        font(l.body, false).color(&Theme::INK).pos(center),
    ))?;
    // Curves: bands first, then steps, medians, points and censor marks.
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        if let Some(band) = &c.band {
            // One rectangle per step, from its time to the next, where the
            // band is defined (it is not once S reaches 0).
            for w in band.windows(2) {
                let (t0, lo, hi) = w[0];
                if lo.is_finite() && hi.is_finite() && w[1].0 > t0 {
                    root.draw(&Rectangle::new(
                        [(px(x(t0)), px(y(hi))), (px(x(w[1].0)), px(y(lo)))],
                        col.mix(0.15).filled(),
                    ))?;
                }
            }
        }
    }
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        if let Some(m) = c.median.filter(|m| *m <= tmax) {
            root.draw(&DashedPathElement::new(
                vec![
                    (px(l.x0), px(y(0.5))),
                    (px(x(m)), px(y(0.5))),
                    (px(x(m)), px(l.y1)),
                ],
                3,
                2,
                Theme::MUTED.stroke_width(1),
            ))?;
        }
        let mut path = Vec::with_capacity(c.steps.len() * 2);
        for (k, &(tm, sv)) in c.steps.iter().enumerate() {
            if k > 0 {
                path.push((px(x(tm)), px(y(c.steps[k - 1].1))));
            }
            path.push((px(x(tm)), px(y(sv))));
        }
        root.draw(&PathElement::new(path, col.stroke_width(2)))?;
        for &(tm, sv) in &c.points {
            root.draw(&Circle::new(
                (px(x(tm)), px(y(sv))),
                3,
                Theme::INK.stroke_width(1),
            ))?;
        }
        for &(tm, sv) in &c.censored {
            let (cx, cy) = (px(x(tm)), px(y(sv)));
            root.draw(&PathElement::new(
                vec![(cx, cy - 4), (cx, cy + 4)],
                col.stroke_width(1),
            ))?;
        }
    }
    // Risk table, columns under the ticks.
    root.draw(&Text::new(
        "Number at risk",
        (px(l.margin), px(l.risk_y + small_h / 2.0)),
        font(l.small, true).color(&Theme::INK).pos(left),
    ))?;
    let mut ry = l.risk_y + small_h;
    for (i, c) in p.curves.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        root.draw(&Text::new(
            c.label.clone(),
            (px(l.margin), px(ry + small_h / 2.0)),
            font(l.small, true).color(&col).pos(left),
        ))?;
        ry += small_h;
        for (name, counts) in table_rows(p, c) {
            root.draw(&Text::new(
                name.to_string(),
                (px(l.margin + l.small), px(ry + small_h / 2.0)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
            for (tk, n) in p.ticks.iter().zip(&counts) {
                root.draw(&Text::new(
                    n.to_string(),
                    (px(x(*tk)), px(ry + small_h / 2.0)),
                    font(l.small, false).color(&Theme::INK).pos(center),
                ))?;
            }
            ry += small_h;
        }
    }
    for (i, line) in l.foot.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (
                px(l.margin),
                px(l.foot_y + i as f64 * small_h + small_h / 2.0),
            ),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    Ok(())
}
