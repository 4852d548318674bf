//! The frame of an x–y figure (funnel and bubble plots): title, plot area,
//! axes with readable ticks, legend and footnotes, laid out for a journal
//! column from text measurements.

use plotters::coord::Shift;
use plotters::element::{PathElement, Rectangle, Text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::text::{
    flow, font, mm_to_px, nice_step, pt, text_w, tick_text, wrap, PLOTTERS_PER_SVG_PX,
};
use super::Theme;

pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Ticks of a linear axis from `lo` to `hi` whose labels fit `len` pixels.
pub(crate) fn linear_ticks(
    lo: f64,
    hi: f64,
    size: f64,
    len: f64,
    vertical: bool,
) -> Vec<(f64, String)> {
    let mut step = nice_step(((hi - lo) / 8.0).max(1e-12));
    for _ in 0..8 {
        let first = (lo / step - 1e-9).ceil() * step;
        let ticks: Vec<f64> = (0..)
            .map(|i| first + f64::from(i) * step)
            .take_while(|v| *v <= hi + step * 1e-9)
            .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
            .collect();
        let gap = step / (hi - lo) * len;
        let need = if vertical {
            size / PLOTTERS_PER_SVG_PX * 1.6
        } else {
            ticks
                .iter()
                .map(|v| text_w(&tick_text(*v), size, false))
                .fold(0.0, f64::max)
                + size * 0.6
        };
        if gap >= need && ticks.len() >= 2 {
            return ticks.into_iter().map(|v| (v, tick_text(v))).collect();
        }
        step = nice_step(step * 1.5);
    }
    vec![(lo, tick_text(lo)), (hi, tick_text(hi))]
}

/// Limits covering `values` with a little room, rounded to a nice step.
pub(crate) fn nice_limits(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (mut a, mut b) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !a.is_finite() {
        return (0.0, 1.0);
    }
    if b - a < 1e-12 {
        a -= 0.5_f64.max(a.abs() * 0.1);
        b += 0.5_f64.max(b.abs() * 0.1);
    }
    let w = b - a;
    let step = nice_step(w / 5.0);
    (
        ((a - pad * w) / step).floor() * step,
        ((b + pad * w) / step).ceil() * step,
    )
}

/// A legend entry: what is drawn as the sample, and its label.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A filled square.
    Fill(RGBColor),
    /// A short line.
    Line(RGBColor, bool),
    /// A filled circle.
    Dot(RGBColor),
}

/// Positions of a framed figure.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub width: u32,
    pub height: u32,
    pub margin: f64,
    pub body: f64,
    pub small: f64,
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
    /// y grows downwards (funnel plots put SE 0 at the top).
    pub y_down: bool,
    pub xticks: Vec<(f64, String)>,
    pub yticks: Vec<(f64, String)>,
    pub x_label: Vec<String>,
    pub y_label: String,
    pub legend: Vec<Vec<(Swatch, String)>>,
    pub legend_y: f64,
    pub footnotes: Vec<String>,
    pub footnotes_y: f64,
}

/// What a framed figure shows around its marks.
pub(crate) struct FrameSpec<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub width_mm: f64,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
    pub y_down: bool,
    /// Ticks given by the caller (e.g. back-transformed labels), else linear.
    pub xticks: Option<Vec<(f64, String)>>,
    pub legend: Vec<(Swatch, String)>,
    pub footnotes: &'a [String],
}

impl Frame {
    pub fn new(s: &FrameSpec<'_>) -> Frame {
        let width = mm_to_px(s.width_mm);
        let body = pt(7.5);
        let small = pt(7.0);
        let lh = |size: f64| size / PLOTTERS_PER_SVG_PX * 1.3;
        let margin = mm_to_px(2.5);
        let inner = width - 2.0 * margin;
        let title = wrap(s.title, pt(8.5), true, inner);
        let subtitle = s
            .subtitle
            .map_or(Vec::new(), |t| wrap(t, small, false, inner));
        let y0 = margin
            + title.len() as f64 * lh(pt(8.5))
            + subtitle.len() as f64 * lh(small)
            + lh(body) * 0.8;
        // Room for the rotated y label and the widest y tick label.
        let probe_y = linear_ticks(s.yr.0, s.yr.1, small, 200.0, true);
        let ytick_w = probe_y
            .iter()
            .map(|(_, t)| text_w(t, small, false))
            .fold(0.0, f64::max);
        let x0 = margin + lh(body) + small * 0.4 + ytick_w + small * 0.5;
        let x1 = width - margin - text_w("0.000", small, false) / 2.0;
        let plot_h = (x1 - x0) * 0.72;
        let y1 = y0 + plot_h;
        let yticks = linear_ticks(s.yr.0, s.yr.1, small, plot_h, true);
        let xticks = s
            .xticks
            .clone()
            .unwrap_or_else(|| linear_ticks(s.xr.0, s.xr.1, small, x1 - x0, false));
        let x_label = wrap(s.x_label, body, false, inner);
        let mut y = y1 + small * 0.3 + lh(small) + lh(body) * 0.3;
        y += x_label.len() as f64 * lh(body) + lh(body) * 0.3;
        // Legend entries flow into lines that fit the width.
        let sample = body * 1.2;
        let legend: Vec<Vec<(Swatch, String)>> =
            flow(s.legend.iter().cloned(), inner, |(_, label)| {
                sample + text_w(label, small, false) + small
            });
        let legend_y = y;
        y += legend.len() as f64 * lh(small);
        let footnotes: Vec<String> = s
            .footnotes
            .iter()
            .flat_map(|f| wrap(f, small, false, inner))
            .collect();
        let footnotes_y = y + lh(small) * 0.3;
        y = footnotes_y + footnotes.len() as f64 * lh(small);
        Frame {
            width: width.ceil() as u32,
            height: (y + margin).ceil() as u32,
            margin,
            body,
            small,
            title,
            subtitle,
            x0,
            x1,
            y0,
            y1,
            xr: s.xr,
            yr: s.yr,
            y_down: s.y_down,
            xticks,
            yticks,
            x_label,
            y_label: s.y_label.to_string(),
            legend,
            legend_y,
            footnotes,
            footnotes_y,
        }
    }

    pub fn x(&self, v: f64) -> f64 {
        self.x0 + (v - self.xr.0) / (self.xr.1 - self.xr.0) * (self.x1 - self.x0)
    }

    pub fn y(&self, v: f64) -> f64 {
        let f = (v - self.yr.0) / (self.yr.1 - self.yr.0);
        if self.y_down {
            self.y0 + f * (self.y1 - self.y0)
        } else {
            self.y1 - f * (self.y1 - self.y0)
        }
    }

    fn lh(&self, size: f64) -> f64 {
        size / PLOTTERS_PER_SVG_PX * 1.3
    }

    /// Title, subtitle, axes, ticks and labels (drawn before the marks).
    pub fn draw_back<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let px = |v: f64| v.round() as i32;
        root.fill(&WHITE)?;
        let left = Pos::new(HPos::Left, VPos::Center);
        let mut y = self.margin;
        for line in &self.title {
            let h = self.lh(pt(8.5));
            root.draw(&Text::new(
                line.clone(),
                (px(self.margin), px(y + h / 2.0)),
                font(pt(8.5), true).color(&Theme::INK).pos(left),
            ))?;
            y += h;
        }
        for line in &self.subtitle {
            let h = self.lh(self.small);
            root.draw(&Text::new(
                line.clone(),
                (px(self.margin), px(y + h / 2.0)),
                font(self.small, false).color(&Theme::MUTED).pos(left),
            ))?;
            y += h;
        }
        root.draw(&Rectangle::new(
            [(px(self.x0), px(self.y0)), (px(self.x1), px(self.y1))],
            Theme::INK.stroke_width(1),
        ))?;
        let tick = self.small * 0.3;
        for (v, label) in &self.xticks {
            let x = px(self.x(*v));
            root.draw(&PathElement::new(
                vec![(x, px(self.y1)), (x, px(self.y1 + tick))],
                Theme::INK.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                (x, px(self.y1 + tick + self.lh(self.small) / 2.0)),
                font(self.small, false)
                    .color(&Theme::INK)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        for (v, label) in &self.yticks {
            let y = px(self.y(*v));
            root.draw(&PathElement::new(
                vec![(px(self.x0 - tick), y), (px(self.x0), y)],
                Theme::INK.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                (px(self.x0 - tick - self.small * 0.2), y),
                font(self.small, false)
                    .color(&Theme::INK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        let mut y = self.y1 + tick + self.lh(self.small) + self.lh(self.body) * 0.3;
        for line in &self.x_label {
            root.draw(&Text::new(
                line.clone(),
                (
                    px((self.x0 + self.x1) / 2.0),
                    px(y + self.lh(self.body) / 2.0),
                ),
                font(self.body, false)
                    .color(&Theme::INK)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
            y += self.lh(self.body);
        }
        root.draw(&Text::new(
            self.y_label.clone(),
            (
                px(self.margin + self.lh(self.body) / 2.0),
                px((self.y0 + self.y1) / 2.0),
            ),
            font(self.body, false)
                .transform(FontTransform::Rotate270)
                .color(&Theme::INK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        Ok(())
    }

    /// Legend and footnotes (drawn after the marks).
    pub fn draw_front<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let px = |v: f64| v.round() as i32;
        let lh = self.lh(self.small);
        let sample = self.body * 1.2;
        for (i, line) in self.legend.iter().enumerate() {
            let cy = self.legend_y + i as f64 * lh + lh / 2.0;
            let mut x = self.margin;
            for (sw, label) in line {
                let (a, b) = (px(x), px(x + sample * 0.8));
                match sw {
                    Swatch::Fill(c) => {
                        let r = [(a, px(cy - lh * 0.3)), (b, px(cy + lh * 0.3))];
                        root.draw(&Rectangle::new(r, c.filled()))?;
                        root.draw(&Rectangle::new(r, Theme::MUTED.stroke_width(1)))?;
                    }
                    Swatch::Line(c, dashed) => {
                        if *dashed {
                            root.draw(&plotters::element::DashedPathElement::new(
                                vec![(a, px(cy)), (b, px(cy))],
                                2,
                                2,
                                c.stroke_width(1),
                            ))?
                        } else {
                            root.draw(&PathElement::new(
                                vec![(a, px(cy)), (b, px(cy))],
                                c.stroke_width(1),
                            ))?
                        }
                    }
                    Swatch::Dot(c) => root.draw(&Circle::new(
                        (px(x + sample * 0.4), px(cy)),
                        px(lh * 0.22).max(2),
                        c.filled(),
                    ))?,
                }
                root.draw(&Text::new(
                    label.clone(),
                    (px(x + sample), px(cy)),
                    font(self.small, false)
                        .color(&Theme::INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                x += sample + text_w(label, self.small, false) + self.small;
            }
        }
        for (i, line) in self.footnotes.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (
                    px(self.margin),
                    px(self.footnotes_y + i as f64 * lh + lh / 2.0),
                ),
                font(self.small, false)
                    .color(&Theme::MUTED)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}
