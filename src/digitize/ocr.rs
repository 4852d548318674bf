//! Reading a word of a figure's text (a tick label, a number at risk) by
//! comparing each glyph with templates rendered from the built-in fonts at
//! the word's own size. Glyphs that touch (small text, JPEG) are split where
//! the split reads best.

use super::components::{label, BBox};
use super::glyphs::{templates, Template, INK};

/// Digits and the signs numbers carry.
pub const NUMERIC: &str = "0123456789%";

/// A patch of ink values in [0, 1] (1 = full ink), row-major.
#[derive(Clone, Debug)]
pub struct Crop {
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// Ink, row-major.
    pub ink: Vec<f32>,
}

impl Crop {
    /// The part of an ink map inside `b`.
    pub fn of(ink: &[f32], width: usize, b: &BBox) -> Crop {
        let mut out = Vec::with_capacity(b.w() * b.h());
        for y in b.y0..=b.y1 {
            out.extend_from_slice(&ink[y * width + b.x0..=y * width + b.x1]);
        }
        Crop {
            w: b.w(),
            h: b.h(),
            ink: out,
        }
    }

    #[inline]
    fn at(&self, x: usize, y: usize) -> f32 {
        self.ink[y * self.w + x]
    }

    /// Turned a quarter clockwise: text written bottom-to-top (a y-axis
    /// label set along the axis) becomes left-to-right.
    pub fn rotate_cw(&self) -> Crop {
        let (w, h) = (self.h, self.w);
        let mut ink = vec![0.0; w * h];
        for y in 0..h {
            for x in 0..w {
                // new (x, y) ← old (y, self.h - 1 - x)
                ink[y * w + x] = self.at(y, self.h - 1 - x);
            }
        }
        Crop { w, h, ink }
    }

    /// A sub-box of the crop.
    fn sub(&self, b: &BBox) -> Crop {
        Crop::of(&self.ink, self.w, b)
    }
}

/// What a word read as.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The text.
    pub text: String,
    /// The worst glyph's distance from its template (0 = identical).
    pub worst: f32,
    /// Height of the word's digits in pixels.
    pub digit_px: f32,
}

/// A glyph's place in its word: box (in the crop) and what it read as.
#[derive(Clone, Debug)]
struct Glyph {
    b: BBox,
}

/// Groups the crop's inked components into glyphs: components that share
/// most of their columns (the two dots and the bar of '%', a broken stroke)
/// are one glyph.
fn glyph_boxes(c: &Crop) -> Vec<Glyph> {
    let mask: Vec<bool> = c.ink.iter().map(|&v| v >= INK).collect();
    let (_, comps) = label(&mask, c.w, c.h);
    let mut boxes: Vec<BBox> = comps.iter().map(|k| k.bbox).collect();
    boxes.sort_by_key(|b| b.x0);
    let tall = boxes.iter().map(|b| b.h()).max().unwrap_or(0) as f64;
    let mut out: Vec<BBox> = Vec::new();
    for b in boxes {
        if let Some(last) = out.last_mut() {
            let ov = last.x_overlap(&b);
            // Part of a glyph ('%': rings and bar), not a point or comma.
            let lo = b.h().min(last.h()) as f64;
            let short = lo < 0.75 * tall && lo > 0.3 * tall;
            let tiny = lo <= 0.3 * tall;
            // A comma drawn as a point and a tail.
            let both_small = (b.h().max(last.h()) as f64) <= 0.5 * tall;
            if ov > 0
                && (both_small || !tiny && (short || ov as f64 >= 0.5 * b.w().min(last.w()) as f64))
            {
                *last = last.union(&b);
                continue;
            }
        }
        out.push(b);
    }
    out.into_iter().map(|b| Glyph { b }).collect()
}

/// Distance of a glyph from a template at their native size: the two
/// boxes laid over each other (bottoms aligned, centres within a pixel),
/// the squared difference of their ink over the ink both hold, at the best
/// of the small shifts.
fn distance(g: &Crop, t: &Template) -> f32 {
    let mass = g.ink.iter().sum::<f32>() + t.cov.iter().sum::<f32>();
    if mass <= 0.0 {
        return f32::INFINITY;
    }
    let w = g.w.max(t.w) + 2;
    let h = g.h.max(t.h) + 2;
    // Observed glyph at (gx0, gy0) in the canvas: centred, bottom at h - 1.
    let gx0 = (w - g.w) / 2;
    let gy0 = h - 1 - g.h;
    let mut best = f32::INFINITY;
    for dy in -1i32..=1 {
        for dx in -1i32..=1 {
            let tx0 = (w - t.w) as i32 / 2 + dx;
            let ty0 = (h - 1 - t.h) as i32 + dy;
            let mut ssd = 0.0f32;
            // Template pixels, against the glyph under them.
            for y in 0..t.h {
                for x in 0..t.w {
                    let (cx, cy) = (tx0 + x as i32, ty0 + y as i32);
                    let gv = glyph_at(g, cx - gx0 as i32, cy - gy0 as i32);
                    let d = t.cov[y * t.w + x] - gv;
                    ssd += d * d;
                }
            }
            // Glyph pixels outside the template's box.
            for y in 0..g.h {
                for x in 0..g.w {
                    let (cx, cy) = (gx0 as i32 + x as i32, gy0 as i32 + y as i32);
                    let (u, v) = (cx - tx0, cy - ty0);
                    if u < 0 || v < 0 || u >= t.w as i32 || v >= t.h as i32 {
                        let gv = g.ink[y * g.w + x];
                        ssd += gv * gv;
                    }
                }
            }
            best = best.min(ssd);
        }
    }
    best / mass
}

fn glyph_at(g: &Crop, x: i32, y: i32) -> f32 {
    if x < 0 || y < 0 || x >= g.w as i32 || y >= g.h as i32 {
        0.0
    } else {
        g.ink[y as usize * g.w + x as usize]
    }
}

/// The best reading of one glyph among the templates: (char, distance).
/// Templates whose box differs from the glyph's by more than a third in
/// width or height (plus two pixels) are not compared.
fn classify(c: &Crop, ts: &[(usize, Template)]) -> (char, f32) {
    let mut best = ('?', f32::INFINITY);
    let near = |a: usize, b: usize| (a as f32 - b as f32).abs() <= 2.0 + 0.34 * a.max(b) as f32;
    for (_, t) in ts {
        if !near(t.w, c.w) || !near(t.h, c.h) {
            continue;
        }
        let d = distance(c, t);
        if d < best.1 {
            best = (t.ch, d);
        }
    }
    best
}

/// Reads a glyph that may be several touching ones: the split into 1–4
/// parts whose worst part reads best.
fn read_glyph(c: &Crop, b: &BBox, digit_px: f32, ts: &[(usize, Template)]) -> (String, f32) {
    let whole = c.sub(b);
    let (ch, d) = classify(&whole, ts);
    let widest = ts
        .iter()
        .filter(|(_, t)| t.ch.is_ascii_digit())
        .map(|(_, t)| t.w)
        .max()
        .unwrap_or(1) as f32;
    if (b.w() as f32) < 1.3 * widest {
        return (ch.to_string(), d);
    }
    let w = b.w();
    if w as f32 > 4.5 * digit_px {
        // Not a few touching digits: a line or a blot.
        return (ch.to_string(), f32::INFINITY);
    }
    let mut best = (ch.to_string(), d);
    let min_w = (0.25 * digit_px).max(1.0) as usize;
    // Cut only at columns where the ink thins (touching glyphs meet at a
    // waist), and into two or three parts.
    let colsum: Vec<f32> = (b.x0..=b.x1)
        .map(|x| (b.y0..=b.y1).map(|y| c.at(x, y)).sum())
        .collect();
    let cuts: Vec<usize> = (min_w.max(1)..w.saturating_sub(min_w))
        .filter(|&k| {
            colsum[k] <= colsum[k - 1]
                && colsum[k] <= colsum.get(k + 1).copied().unwrap_or(f32::MAX)
        })
        .collect();
    let mut memo: std::collections::HashMap<(usize, usize), Option<(char, f32)>> =
        std::collections::HashMap::new();
    let mut cut = |x0: usize, x1: usize| -> Option<(char, f32)> {
        *memo.entry((x0, x1)).or_insert_with(|| {
            let sub = BBox {
                x0,
                y0: b.y0,
                x1,
                y1: b.y1,
            };
            let part = c.sub(&sub);
            let t = tighten(&part)?;
            let part = part.sub(&t);
            Some(classify(&part, ts))
        })
    };
    for (i, &k) in cuts.iter().enumerate() {
        let (Some(a), Some(z)) = (cut(b.x0, b.x0 + k - 1), cut(b.x0 + k, b.x1)) else {
            continue;
        };
        let worst = a.1.max(z.1);
        if worst < best.1 {
            best = (format!("{}{}", a.0, z.0), worst);
        }
        for &k2 in &cuts[i + 1..] {
            if k2 < k + min_w {
                continue;
            }
            let (Some(m), Some(z)) = (cut(b.x0 + k, b.x0 + k2 - 1), cut(b.x0 + k2, b.x1)) else {
                continue;
            };
            let worst = a.1.max(m.1).max(z.1);
            if worst < best.1 {
                best = (format!("{}{}{}", a.0, m.0, z.0), worst);
            }
        }
    }
    best
}

/// The inked box of a crop.
fn tighten(c: &Crop) -> Option<BBox> {
    let (mut x0, mut y0, mut x1, mut y1) = (c.w, c.h, 0, 0);
    for y in 0..c.h {
        for x in 0..c.w {
            if c.at(x, y) >= INK {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y0 = y0.min(y);
                y1 = y1.max(y);
            }
        }
    }
    (x0 <= x1).then_some(BBox { x0, y0, x1, y1 })
}

/// Reads a word of digits, decimal points, commas, minus signs and
/// percent signs. None when the crop holds no ink or a glyph fits no
/// template.
pub fn read_number(c: &Crop) -> Option<Reading> {
    let glyphs = glyph_boxes(c);
    if glyphs.is_empty() {
        return None;
    }
    let tall = glyphs.iter().map(|g| g.b.h()).max()?;
    let digit_px = tall as f32;
    if digit_px < 4.0 {
        return None;
    }
    let baseline = glyphs
        .iter()
        .filter(|g| g.b.h() as f32 >= 0.7 * digit_px)
        .map(|g| g.b.y1)
        .max()? as f32;
    let ts = templates(NUMERIC, digit_px);
    let mut text = String::new();
    let mut worst: f32 = 0.0;
    for g in &glyphs {
        let (h, w) = (g.b.h() as f32, g.b.w() as f32);
        let descends = g.b.y1 as f32 - baseline > (0.1 * digit_px).max(0.9);
        if h < 0.75 * digit_px && descends && w < 0.5 * digit_px {
            text.push(',');
            continue;
        }
        if h < 0.5 * digit_px {
            let below = g.b.y1 as f32 - baseline;
            let mid = g.b.cy() as f32;
            let centre = baseline - digit_px / 2.0;
            if w > 1.5 * h && (mid - centre).abs() < 0.25 * digit_px {
                text.push('-');
            } else if below > 0.12 * digit_px {
                text.push(',');
            } else if (g.b.y1 as f32) >= baseline - 0.2 * digit_px {
                text.push('.');
            } else {
                return None;
            }
            continue;
        }
        let (s, d) = read_glyph(c, &g.b, digit_px, &ts);
        worst = worst.max(d);
        text.push_str(&s);
    }
    Some(Reading {
        text,
        worst,
        digit_px,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::glyphs::{faces, render};
    use super::*;

    /// Sets `text` in a face at a digit height, as a crop with a margin.
    pub(crate) fn set(face: usize, text: &str, px: f32, gap: f32) -> Crop {
        let ts: Vec<Template> = text
            .chars()
            .map(|c| render(&faces()[face], c, px).unwrap())
            .collect();
        let w = ts.iter().map(|t| t.advance + gap).sum::<f32>().ceil() as usize + 6;
        let h = (px * 1.6).ceil() as usize + 6;
        let base = 3.0 + px * 1.2;
        let mut ink = vec![0f32; w * h];
        let mut x = 3.0f32;
        for t in &ts {
            let top = (base + t.top).round() as usize;
            let left = x.round() as usize;
            for yy in 0..t.h {
                for xx in 0..t.w {
                    let (px_, py) = (left + xx, top + yy);
                    if px_ < w && py < h {
                        ink[py * w + px_] = ink[py * w + px_].max(t.cov[yy * t.w + xx]);
                    }
                }
            }
            x += t.advance + gap;
        }
        Crop { w, h, ink }
    }

    #[test]
    fn reads_numbers_set_in_each_face_at_several_sizes() {
        for face in 0..faces().len() {
            for px in [6.0, 9.0, 14.0, 28.0] {
                for text in [
                    "0", "0.25", "100", "1.0", "36", "1,000", "75%", "47", "812", "9",
                ] {
                    if px < 8.0 && (text.contains(",") || text.contains("%")) {
                        continue;
                    }
                    let c = set(face, text, px, 0.3);
                    let r = read_number(&c).unwrap_or_else(|| panic!("{text} at {px}"));
                    assert_eq!(r.text, text, "face {face} at {px} px (worst {})", r.worst);
                }
            }
        }
    }

    #[test]
    fn touching_digits_are_split() {
        let c = set(0, "128", 10.0, -1.2);
        assert_eq!(read_number(&c).unwrap().text, "128");
    }

    #[test]
    fn rotated_words_read_after_turning() {
        let c = set(1, "0.8", 12.0, 0.0);
        // Turn it a quarter anticlockwise, as R sets y labels, and back.
        let ccw = c.rotate_cw().rotate_cw().rotate_cw();
        assert_eq!(read_number(&ccw.rotate_cw()).unwrap().text, "0.8");
    }
}
