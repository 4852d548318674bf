//! Glyph templates rendered from the fonts built into the binary: the
//! fonts figures are set in (DejaVu Sans: R's and matplotlib's default on
//! Linux; Liberation Sans: Arial's metrics, and close to Helvetica), at the
//! pixel size a figure's text has, so that a glyph is compared with what
//! that font looks like at that size.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ab_glyph::{point, Font, FontRef, PxScale};

/// Coverage at or above which a pixel is part of a glyph's box, for the
/// templates and the figure alike.
pub const INK: f32 = 0.35;

/// A font to read text in.
pub struct Face {
    /// Its name, for diagnostics.
    pub name: &'static str,
    font: FontRef<'static>,
    /// Height of the digit '0' in font units.
    digit_units: f32,
}

/// The fonts text is compared with.
pub fn faces() -> &'static [Face] {
    static FACES: OnceLock<Vec<Face>> = OnceLock::new();
    FACES.get_or_init(|| {
        let sources: [(&'static str, &'static [u8]); 4] = [
            (
                "DejaVu Sans",
                include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
            ),
            (
                "Liberation Sans",
                include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf"),
            ),
            (
                "TeX Gyre Heros",
                include_bytes!("../../assets/fonts/texgyreheros-regular.otf"),
            ),
            (
                "DejaVu Sans Bold",
                include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
            ),
        ];
        sources
            .into_iter()
            .filter_map(|(name, bytes)| {
                let font = FontRef::try_from_slice(bytes).ok()?;
                let b = font.outline(font.glyph_id('0'))?.bounds;
                Some(Face {
                    name,
                    digit_units: (b.max.y - b.min.y).abs(),
                    font,
                })
            })
            .collect()
    })
}

/// A glyph as coverage, cropped to its inked box.
#[derive(Clone, Debug)]
pub struct Template {
    /// The character.
    pub ch: char,
    /// Width of the box.
    pub w: usize,
    /// Height of the box.
    pub h: usize,
    /// Coverage, row-major.
    pub cov: Vec<f32>,
    /// The box's top relative to the baseline, in pixels (negative: above).
    pub top: f32,
    /// The box's bottom relative to the baseline.
    pub bottom: f32,
    /// Advance width in pixels.
    pub advance: f32,
}

/// Renders `ch` in `face` so that a digit is `digit_px` pixels tall.
pub fn render(face: &Face, ch: char, digit_px: f32) -> Option<Template> {
    render_at(face, ch, digit_px, (0.0, 0.0))
}

/// Renders `ch` at a sub-pixel offset.
pub fn render_at(face: &Face, ch: char, digit_px: f32, (dx, dy): (f32, f32)) -> Option<Template> {
    let upm = face.font.height_unscaled();
    let s = digit_px * upm / face.digit_units;
    let gid = face.font.glyph_id(ch);
    if gid.0 == 0 {
        return None;
    }
    let advance = face.font.h_advance_unscaled(gid) * s / upm;
    let glyph = gid.with_scale_and_position(PxScale::from(s), point(dx, dy));
    let og = face.font.outline_glyph(glyph)?;
    let b = og.px_bounds();
    let (w, h) = (b.width().ceil() as usize, b.height().ceil() as usize);
    if w == 0 || h == 0 {
        return None;
    }
    let mut buf = vec![0f32; w * h];
    og.draw(|x, y, c| {
        let (x, y) = (x as usize, y as usize);
        if x < w && y < h {
            buf[y * w + x] = c.min(1.0);
        }
    });
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if buf[y * w + x] >= INK {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y0 = y0.min(y);
                y1 = y1.max(y);
            }
        }
    }
    if x0 > x1 {
        return None;
    }
    let (cw, chh) = (x1 + 1 - x0, y1 + 1 - y0);
    let mut cov = Vec::with_capacity(cw * chh);
    for y in y0..=y1 {
        cov.extend_from_slice(&buf[y * w + x0..=y * w + x1]);
    }
    Some(Template {
        ch,
        w: cw,
        h: chh,
        cov,
        top: b.min.y + y0 as f32,
        bottom: b.min.y + y1 as f32 + 1.0,
        advance,
    })
}

/// Sub-pixel placements each template is rendered at: anti-aliasing of a
/// small glyph depends on where it falls on the pixel grid.
const OFFSETS: [(f32, f32); 6] = [
    (0.0, 0.0),
    (0.33, 0.0),
    (0.67, 0.0),
    (0.0, 0.5),
    (0.33, 0.5),
    (0.67, 0.5),
];

/// The templates of `chars` in every face at a digit height, rounded to a
/// quarter pixel and cached.
pub fn templates(chars: &'static str, digit_px: f32) -> std::sync::Arc<Vec<(usize, Template)>> {
    type Cache = HashMap<(&'static str, u32), std::sync::Arc<Vec<(usize, Template)>>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let key = (chars, (digit_px * 4.0).round() as u32);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(t) = cache.lock().map(|c| c.get(&key).cloned()).ok().flatten() {
        return t;
    }
    let px = key.1 as f32 / 4.0;
    let mut out = Vec::new();
    for (i, face) in faces().iter().enumerate() {
        for ch in chars.chars() {
            for off in OFFSETS {
                if let Some(t) = render_at(face, ch, px, off) {
                    out.push((i, t));
                }
            }
        }
    }
    let out = std::sync::Arc::new(out);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, out.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_loads_and_renders_digits_at_the_asked_height() {
        assert_eq!(faces().len(), 4);
        for face in faces() {
            let t = render(face, '0', 20.0).unwrap();
            assert!((t.h as f32 - 20.0).abs() <= 2.0, "{} {}", face.name, t.h);
            assert!(t.bottom > -1.0 && t.bottom < 2.0);
            let one = render(face, '1', 20.0).unwrap();
            assert!(one.w < t.w);
        }
    }
}
