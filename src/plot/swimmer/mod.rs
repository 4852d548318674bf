//! The swimmer plot of case reports: one bar per patient from the time
//! origin to the last follow-up, coloured by a treatment group, ending in a
//! marker for the patient's status (death, alive without or with disease,
//! alive with status unknown, unknown). Labels wrap; rows grow with them.

use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::linear_ticks;
use super::text::{flow, font, mm_to_px, nice_step, pt, text_w, wrap, PLOTTERS_PER_SVG_PX};
use super::{register_fonts, render_svg, PlotError, Theme};

/// How a patient's follow-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneEnd {
    /// Died.
    Death,
    /// Alive, no evidence of disease.
    AliveNoDisease,
    /// Alive with disease.
    AliveWithDisease,
    /// Alive, disease status not given.
    Alive,
    /// Status not reported.
    Unknown,
}

impl LaneEnd {
    fn label(self) -> &'static str {
        match self {
            LaneEnd::Death => "died",
            LaneEnd::AliveNoDisease => "alive, no evidence of disease",
            LaneEnd::AliveWithDisease => "alive with disease",
            LaneEnd::Alive => "alive (disease status not given)",
            LaneEnd::Unknown => "status not reported",
        }
    }
}

/// One patient.
#[derive(Debug, Clone, PartialEq)]
pub struct SwimLane {
    /// Row label (study, age, sex, level).
    pub label: String,
    /// Follow-up time.
    pub length: f64,
    /// Status at the end.
    pub end: LaneEnd,
    /// Index into [`SwimmerPlot::groups`] (bar colour).
    pub group: usize,
    /// Text right of the plot (follow-up and status).
    pub note: String,
}

/// Everything the swimmer plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SwimmerPlot {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Time-axis label.
    pub x_label: String,
    /// Patients, top to bottom.
    pub lanes: Vec<SwimLane>,
    /// Names of the bar colours (treatment groups).
    pub groups: Vec<String>,
    /// Width in mm.
    pub width_mm: f64,
    /// Lines under the plot.
    pub footnotes: Vec<String>,
}

/// Bar colours: Okabe–Ito sky blue, orange, bluish green, reddish purple.
const GROUP_COLOURS: [RGBColor; 4] = [
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
];

fn lh(size: f64) -> f64 {
    size / PLOTTERS_PER_SVG_PX * 1.3
}

struct Row {
    top: f64,
    label: Vec<String>,
    note: Vec<String>,
}

struct Layout {
    width: u32,
    height: u32,
    margin: f64,
    small: f64,
    title: Vec<String>,
    subtitle: Vec<String>,
    x0: f64,
    x1: f64,
    note_x: f64,
    top: f64,
    rows: Vec<Row>,
    axis_y: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
    legend: Vec<Vec<Item>>,
    legend_y: f64,
    foot: Vec<String>,
    foot_y: f64,
}

#[derive(Clone)]
enum Item {
    Group(usize, String),
    End(LaneEnd),
}

fn item_text(it: &Item) -> &str {
    match it {
        Item::Group(_, g) => g,
        Item::End(e) => e.label(),
    }
}

fn layout(p: &SwimmerPlot) -> Layout {
    let width = mm_to_px(p.width_mm);
    let margin = mm_to_px(2.5);
    let body = pt(7.5);
    let small = pt(7.0);
    let inner = width - 2.0 * margin;
    let title = wrap(&p.title, pt(8.5), true, inner);
    let subtitle = p
        .subtitle
        .as_ref()
        .map_or(Vec::new(), |s| wrap(s, small, false, inner));
    let gap = small * 0.8;
    let label_w = p
        .lanes
        .iter()
        .map(|l| text_w(&l.label, small, false))
        .fold(0.0, f64::max)
        .min(inner * 0.34);
    let note_w = p
        .lanes
        .iter()
        .map(|l| text_w(&l.note, small, false))
        .fold(0.0, f64::max)
        .min(inner * 0.24);
    let x0 = margin + label_w + gap;
    let note_x = width - margin - note_w;
    let x1 = note_x - gap - small * 0.8;
    let mut y = margin
        + title.len() as f64 * lh(pt(8.5))
        + subtitle.len() as f64 * lh(small)
        + lh(small) * 0.5;
    let top = y;
    let mut rows = Vec::with_capacity(p.lanes.len());
    for l in &p.lanes {
        let label = wrap(&l.label, small, false, label_w);
        let note = wrap(&l.note, small, false, note_w);
        let n = label.len().max(note.len()).max(1);
        let height = n as f64 * lh(small) + lh(small) * 0.5;
        rows.push(Row {
            top: y,
            label,
            note,
        });
        y += height;
    }
    let axis_y = y + lh(small) * 0.2;
    let max = p
        .lanes
        .iter()
        .map(|l| l.length)
        .fold(0.0, f64::max)
        .max(1e-9);
    let step = nice_step(max / 5.0);
    let hi = (max / step).ceil() * step;
    let ticks = linear_ticks(0.0, hi, small, x1 - x0, false);
    y = axis_y + small * 0.4 + lh(small) + lh(body) * 1.2;
    let mut items: Vec<Item> = p
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| Item::Group(i, g.clone()))
        .collect();
    for e in [
        LaneEnd::Death,
        LaneEnd::AliveNoDisease,
        LaneEnd::AliveWithDisease,
        LaneEnd::Alive,
        LaneEnd::Unknown,
    ] {
        if p.lanes.iter().any(|l| l.end == e) {
            items.push(Item::End(e));
        }
    }
    let legend = flow(items, inner, |it| {
        small * 2.0 + text_w(item_text(it), small, false) + small
    });
    let legend_y = y;
    y += legend.len() as f64 * lh(small);
    let foot: Vec<String> = p
        .footnotes
        .iter()
        .flat_map(|f| wrap(f, small, false, inner))
        .collect();
    let foot_y = y + lh(small) * 0.3;
    y = foot_y + foot.len() as f64 * lh(small);
    Layout {
        width: width.ceil() as u32,
        height: (y + margin).ceil() as u32,
        margin,
        small,
        title,
        subtitle,
        x0,
        x1,
        note_x,
        top,
        rows,
        axis_y,
        hi,
        ticks,
        legend,
        legend_y,
        foot,
        foot_y,
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The end marker of a lane at (x, y), `r` its half-size.
fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    end: LaneEnd,
    x: i32,
    y: i32,
    r: i32,
) -> DrawResult<DB> {
    match end {
        LaneEnd::Death => root.draw(&Rectangle::new(
            [(x - r, y - r), (x + r, y + r)],
            Theme::INK.filled(),
        )),
        LaneEnd::AliveNoDisease | LaneEnd::AliveWithDisease | LaneEnd::Alive => {
            let c = match end {
                LaneEnd::AliveNoDisease => RGBColor(0x00, 0x9e, 0x73),
                LaneEnd::AliveWithDisease => RGBColor(0xd5, 0x5e, 0x00),
                _ => Theme::MUTED,
            };
            root.draw(&Polygon::new(
                vec![(x - r, y - r), (x + r + 2, y), (x - r, y + r)],
                c.filled(),
            ))
        }
        LaneEnd::Unknown => root.draw(&Circle::new((x, y), r, Theme::INK.stroke_width(1))),
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &SwimmerPlot,
    l: &Layout,
) -> DrawResult<DB> {
    let px = |v: f64| v.round() as i32;
    let left = Pos::new(HPos::Left, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Center);
    let sh = lh(l.small);
    let x = |t: f64| l.x0 + t.clamp(0.0, l.hi) / l.hi * (l.x1 - l.x0);
    root.fill(&WHITE)?;
    let mut y = l.margin;
    for line in &l.title {
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(y + lh(pt(8.5)) / 2.0)),
            font(pt(8.5), true).color(&Theme::INK).pos(left),
        ))?;
        y += lh(pt(8.5));
    }
    for line in &l.subtitle {
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(y + sh / 2.0)),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
        y += sh;
    }
    for (tk, _) in &l.ticks {
        root.draw(&PathElement::new(
            vec![(px(x(*tk)), px(l.top)), (px(x(*tk)), px(l.axis_y))],
            Theme::GRID.stroke_width(1),
        ))?;
    }
    let bar_h = sh * 0.55;
    let r = px(sh * 0.3).max(3);
    for (lane, row) in p.lanes.iter().zip(&l.rows) {
        let cy = row.top + sh * 0.25 + sh / 2.0;
        for (i, line) in row.label.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (px(l.margin), px(cy + i as f64 * sh)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
        }
        for (i, line) in row.note.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (px(l.note_x), px(cy + i as f64 * sh)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
        }
        let col = GROUP_COLOURS[lane.group % GROUP_COLOURS.len()];
        root.draw(&Rectangle::new(
            [
                (px(l.x0), px(cy - bar_h / 2.0)),
                (px(x(lane.length)), px(cy + bar_h / 2.0)),
            ],
            col.filled(),
        ))?;
        marker(root, lane.end, px(x(lane.length)), px(cy), r)?;
    }
    let ay = px(l.axis_y);
    root.draw(&PathElement::new(
        vec![(px(l.x0), ay), (px(l.x1), ay)],
        Theme::INK.stroke_width(1),
    ))?;
    for (tk, label) in &l.ticks {
        root.draw(&PathElement::new(
            vec![(px(x(*tk)), ay), (px(x(*tk)), ay + px(l.small * 0.3))],
            Theme::INK.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (px(x(*tk)), px(l.axis_y + l.small * 0.4 + sh / 2.0)),
            font(l.small, false).color(&Theme::INK).pos(center),
        ))?;
    }
    root.draw(&Text::new(
        p.x_label.clone(),
        (
            px((l.x0 + l.x1) / 2.0),
            px(l.axis_y + l.small * 0.4 + sh + lh(pt(7.5)) * 0.6),
        ),
        font(pt(7.5), false).color(&Theme::INK).pos(center),
    ))?;
    for (i, items) in l.legend.iter().enumerate() {
        let ly = l.legend_y + i as f64 * sh + sh / 2.0;
        let mut lx = l.margin;
        for it in items {
            match it {
                Item::Group(g, _) => root.draw(&Rectangle::new(
                    [
                        (px(lx), px(ly - bar_h / 2.0)),
                        (px(lx + l.small * 1.4), px(ly + bar_h / 2.0)),
                    ],
                    GROUP_COLOURS[g % GROUP_COLOURS.len()].filled(),
                ))?,
                Item::End(e) => marker(root, *e, px(lx + l.small * 0.7), px(ly), r)?,
            }
            root.draw(&Text::new(
                item_text(it).to_string(),
                (px(lx + l.small * 2.0), px(ly)),
                font(l.small, false).color(&Theme::INK).pos(left),
            ))?;
            lx += l.small * 2.0 + text_w(item_text(it), l.small, false) + l.small;
        }
    }
    for (i, line) in l.foot.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (px(l.margin), px(l.foot_y + i as f64 * sh + sh / 2.0)),
            font(l.small, false).color(&Theme::MUTED).pos(left),
        ))?;
    }
    Ok(())
}

/// Renders the plot as SVG text.
pub fn render_swimmer_svg(p: &SwimmerPlot) -> Result<String, PlotError> {
    register_fonts();
    let l = layout(p);
    render_svg((l.width, l.height), |root| {
        draw(root, p, &l).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests;
