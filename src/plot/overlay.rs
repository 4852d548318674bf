//! The digitiser's overlay: the original figure, faded, with each arm's
//! digitised steps, its censor marks and every number read (tick labels
//! and numbers at risk, boxed with the reading beside them) drawn over
//! it, so a person can check the reading in seconds.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};

use crate::digitize::{Digitized, Raster};

use super::{encode_png, PlotError};

/// Colours the arms' overlays are drawn in: strong, and unlike the usual
/// curve palettes so the trace stands out from the curve under it.
const TRACE: [[u8; 3]; 6] = [
    [230, 0, 126],
    [0, 170, 60],
    [255, 140, 0],
    [120, 0, 220],
    [0, 150, 200],
    [140, 90, 0],
];
const READ: [u8; 3] = [200, 0, 0];

struct Canvas {
    w: usize,
    h: usize,
    px: Vec<[u8; 3]>,
}

impl Canvas {
    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], a: f32) {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
            return;
        }
        let p = &mut self.px[y as usize * self.w + x as usize];
        for k in 0..3 {
            p[k] = (p[k] as f32 * (1.0 - a) + c[k] as f32 * a).round() as u8;
        }
    }

    /// A line of the given width (axis-aligned or not).
    fn line(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), width: f64, c: [u8; 3]) {
        let n = ((x1 - x0).abs().max((y1 - y0).abs()) * 2.0).ceil().max(1.0) as usize;
        let r = (width / 2.0).max(0.5);
        for i in 0..=n {
            let t = i as f64 / n as f64;
            let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            let (lo_x, hi_x) = ((x - r).round() as i64, (x + r).round() as i64);
            let (lo_y, hi_y) = ((y - r).round() as i64, (y + r).round() as i64);
            for yy in lo_y..=hi_y.max(lo_y) {
                for xx in lo_x..=hi_x.max(lo_x) {
                    self.blend(xx, yy, c, 1.0);
                }
            }
        }
    }

    fn rect(&mut self, (x0, y0, x1, y1): (usize, usize, usize, usize), c: [u8; 3]) {
        let (a, b, cc, d) = (
            x0 as f64 - 1.0,
            y0 as f64 - 1.0,
            x1 as f64 + 1.0,
            y1 as f64 + 1.0,
        );
        self.line((a, b), (cc, b), 1.0, c);
        self.line((a, d), (cc, d), 1.0, c);
        self.line((a, b), (a, d), 1.0, c);
        self.line((cc, b), (cc, d), 1.0, c);
    }

    fn circle(&mut self, (cx, cy): (f64, f64), r: f64, c: [u8; 3]) {
        let n = (r * 8.0).ceil() as usize + 8;
        for i in 0..n {
            let a0 = i as f64 / n as f64 * std::f64::consts::TAU;
            let a1 = (i + 1) as f64 / n as f64 * std::f64::consts::TAU;
            self.line(
                (cx + r * a0.cos(), cy + r * a0.sin()),
                (cx + r * a1.cos(), cy + r * a1.sin()),
                1.2,
                c,
            );
        }
    }

    fn text(&mut self, font: &FontRef<'_>, (x, y): (f64, f64), px: f32, s: &str, c: [u8; 3]) {
        let scaled = font.as_scaled(PxScale::from(px));
        let mut caret = x as f32;
        for ch in s.chars() {
            let g = scaled
                .glyph_id(ch)
                .with_scale_and_position(PxScale::from(px), point(caret, y as f32));
            caret += scaled.h_advance(g.id);
            if let Some(og) = font.outline_glyph(g) {
                let b = og.px_bounds();
                og.draw(|gx, gy, cov| {
                    self.blend(
                        b.min.x as i64 + gx as i64,
                        b.min.y as i64 + gy as i64,
                        c,
                        cov.min(1.0),
                    );
                });
            }
        }
    }
}

/// The overlay as PNG.
pub fn overlay_png(fig: &Raster, d: &Digitized) -> Result<Vec<u8>, PlotError> {
    let font = FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf"))
        .map_err(|e| PlotError::Encode(e.to_string()))?;
    // Fade the original so the trace stands out.
    let mut c = Canvas {
        w: fig.width,
        h: fig.height,
        px: fig
            .rgb
            .iter()
            .map(|p| p.map(|v| (v as f32 * 0.45 + 255.0 * 0.55).round() as u8))
            .collect(),
    };
    let g = &d.geometry;
    let x_px = |t: f64| g.x_scale.0 + g.x_scale.1 * t;
    let y_div = if d.y_axis.scale == "percent" {
        100.0
    } else {
        1.0
    };
    let y_px = |s: f64| g.y_scale.0 + g.y_scale.1 * s * y_div;
    let (px0, py0, px1, py1) = g.panel;
    c.rect((px0, py0, px1, py1), [160, 160, 160]);
    let size = (fig.height as f32 / 60.0).clamp(9.0, 28.0);
    let width = (fig.height as f64 / 400.0).clamp(1.0, 3.0);
    for (k, arm) in d.arms.iter().enumerate() {
        let col = TRACE[k % TRACE.len()];
        for w in arm.points.windows(2) {
            c.line(
                (x_px(w[0].time), y_px(w[0].surv)),
                (x_px(w[1].time), y_px(w[1].surv)),
                width,
                col,
            );
        }
        for &t in &arm.censor_times {
            let s = surv_at(&arm.points, t);
            c.circle((x_px(t), y_px(s)), width * 2.5 + 2.0, col);
        }
        if let Some(last) = arm.points.last() {
            c.text(
                &font,
                (x_px(last.time) + 4.0, y_px(last.surv) - 4.0),
                size,
                &arm.name,
                col,
            );
        }
    }
    for (b, text) in g.labels.iter().chain(&g.at_risk) {
        c.rect(*b, READ);
        c.text(
            &font,
            (b.0 as f64, b.1 as f64 - 2.0),
            size * 0.8,
            text,
            READ,
        );
    }
    let rgb: Vec<u8> = c.px.iter().flatten().copied().collect();
    encode_png(&rgb, fig.width as u32, fig.height as u32, 96)
}

/// Survival of a step curve at time t (the value after any drop at t).
fn surv_at(points: &[crate::digitize::Point], t: f64) -> f64 {
    let mut s = points.first().map_or(1.0, |p| p.surv);
    for p in points {
        if p.time <= t {
            s = p.surv;
        }
    }
    s
}
