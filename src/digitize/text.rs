//! Finding the figure's text: glyph-sized components grouped into words,
//! horizontal or set along a vertical axis, and the numbers among them.

use super::components::{label, BBox, Component};
use super::glyphs::INK;
use super::ocr::{read_number, Crop};

/// A word: glyph components in a line.
#[derive(Clone, Debug)]
pub struct Word {
    /// Its box in the figure.
    pub bbox: BBox,
    /// Boxes of its components, in reading order.
    pub parts: Vec<BBox>,
    /// Indices of its components in `Text::comps`.
    pub ids: Vec<usize>,
    /// Set bottom-to-top (a y label along the axis).
    pub vertical: bool,
}

/// A word that reads as a number.
#[derive(Clone, Debug)]
pub struct NumberWord {
    /// The word.
    pub word: Word,
    /// As printed.
    pub text: String,
    /// Its value.
    pub value: f64,
    /// Printed with a percent sign.
    pub percent: bool,
    /// Height of its digits in pixels.
    pub digit_px: f32,
    /// Worst glyph distance from its template.
    pub worst: f32,
}

/// The ink map's components, the candidate glyphs among them and the words
/// they form.
pub struct Text {
    /// Component label of each pixel (0 = none).
    pub labels: Vec<u32>,
    /// All components.
    pub comps: Vec<Component>,
    /// Horizontal words.
    pub words: Vec<Word>,
    /// Vertical words.
    pub vertical: Vec<Word>,
}

/// Whether a component is glyph-sized for a figure of this height.
fn glyph_like(c: &Component, fig_h: usize) -> bool {
    let b = c.bbox;
    let max = (fig_h / 12).clamp(12, 80);
    b.h() <= max && b.w() <= 4 * max && b.w() <= 5 * b.h().max(2) && c.area >= 2
}

/// Groups components into words along a direction: `along` gives a box's
/// (start, end) along the line and `across` its (start, end) across it.
fn group(
    comps: &[(usize, BBox)],
    along: impl Fn(&BBox) -> (usize, usize),
    across: impl Fn(&BBox) -> (usize, usize),
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..comps.len()).collect();
    order.sort_by_key(|&i| (along(&comps[i].1).0, across(&comps[i].1).0));
    let mut words: Vec<(Vec<usize>, BBox, usize)> = Vec::new(); // members, box, size across
    for i in order {
        let b = comps[i].1;
        let (a0, _) = along(&b);
        let (c0, c1) = across(&b);
        let size = c1 + 1 - c0;
        let mut joined = false;
        for (members, wb, wsize) in words.iter_mut().rev() {
            let (_, wa1) = along(wb);
            let (wc0, wc1) = across(wb);
            let gap = a0 as isize - wa1 as isize - 1;
            let tall = (*wsize).max(size) as f64;
            let ov = c1.min(wc1) as isize - c0.max(wc0) as isize + 1;
            let small = size.min(*wsize) as f64;
            let inside = c0 + 1 >= wc0 && c1 <= wc1 + 1 + (0.35 * tall) as usize;
            let aligned =
                ov as f64 >= 0.5 * small || (size as f64) < 0.6 * (*wsize as f64) && inside;
            if gap <= (0.45 * tall).ceil() as isize && gap >= -(0.5 * tall) as isize && aligned {
                members.push(i);
                *wb = wb.union(&b);
                *wsize = (*wsize).max(size);
                joined = true;
                break;
            }
            if a0 as isize - wa1 as isize > (4.0 * tall) as isize {
                continue;
            }
        }
        if !joined {
            words.push((vec![i], b, size));
        }
    }
    words.into_iter().map(|(m, _, _)| m).collect()
}

/// The text of a figure, from its ink map.
pub fn find(ink: &[f32], width: usize, height: usize) -> Text {
    let mask: Vec<bool> = ink.iter().map(|&v| v >= INK).collect();
    let (labels, comps) = label(&mask, width, height);
    let glyphs: Vec<(usize, BBox)> = comps
        .iter()
        .enumerate()
        .filter(|(_, c)| glyph_like(c, height))
        .map(|(i, c)| (i, c.bbox))
        .collect();
    let make = |groups: Vec<Vec<usize>>, vertical: bool| -> Vec<Word> {
        groups
            .into_iter()
            .map(|g| {
                let mut members: Vec<(usize, BBox)> = g.iter().map(|&i| glyphs[i]).collect();
                if vertical {
                    members.sort_by_key(|(_, b)| std::cmp::Reverse(b.y1));
                } else {
                    members.sort_by_key(|(_, b)| b.x0);
                }
                let parts: Vec<BBox> = members.iter().map(|m| m.1).collect();
                let bbox = parts.iter().skip(1).fold(parts[0], |a, b| a.union(b));
                Word {
                    bbox,
                    parts,
                    ids: members.iter().map(|m| m.0).collect(),
                    vertical,
                }
            })
            .collect()
    };
    let horizontal = group(&glyphs, |b| (b.x0, b.x1), |b| (b.y0, b.y1));
    // Along a vertical line read bottom to top: "along" runs upwards.
    let vertical = group(
        &glyphs,
        |b| (height - 1 - b.y1, height - 1 - b.y0),
        |b| (b.x0, b.x1),
    );
    Text {
        labels,
        comps,
        words: make(horizontal, false),
        vertical: make(vertical, true),
    }
}

/// Reads a word as a number; None when it is not one.
pub fn read(ink: &[f32], width: usize, word: &Word) -> Option<NumberWord> {
    let pad = BBox {
        x0: word.bbox.x0,
        y0: word.bbox.y0,
        x1: word.bbox.x1,
        y1: word.bbox.y1,
    };
    let mut crop = Crop::of(ink, width, &pad);
    if word.vertical {
        crop = crop.rotate_cw();
    }
    let r = read_number(&crop)?;
    let (value, percent) = parse_printed(&r.text)?;
    Some(NumberWord {
        word: word.clone(),
        text: r.text,
        value,
        percent,
        digit_px: r.digit_px,
        worst: r.worst,
    })
}

/// A number as printed: "0.25", "100", "1,000", "50%"; the value and
/// whether it carried a percent sign.
pub fn parse_printed(text: &str) -> Option<(f64, bool)> {
    let percent = text.ends_with('%');
    let t = text.trim_end_matches('%');
    let t = if t.contains(',') && !t.contains('.') {
        // "1,000" (thousands) or "0,5" (decimal comma).
        let parts: Vec<&str> = t.split(',').collect();
        if parts[1..].iter().all(|p| p.len() == 3) && !parts[0].is_empty() && parts[0] != "0" {
            t.replace(',', "")
        } else if parts.len() == 2 {
            t.replace(',', ".")
        } else {
            return None;
        }
    } else {
        t.to_string()
    };
    if t.is_empty() || t.starts_with('.') || t.ends_with('.') || t.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = t.parse().ok()?;
    Some((v, percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_numbers() {
        assert_eq!(parse_printed("1,000"), Some((1000.0, false)));
        assert_eq!(parse_printed("0,5"), Some((0.5, false)));
        assert_eq!(parse_printed("50%"), Some((50.0, true)));
        assert_eq!(parse_printed("0.25"), Some((0.25, false)));
        assert_eq!(parse_printed("1."), None);
    }
}
