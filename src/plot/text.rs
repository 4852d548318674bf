//! Text measurement and wrapping with the bundled font, shared by every
//! figure's layout. Sizes are plotters font sizes: the SVG `font-size` is
//! the size divided by 1.24, and measurement uses the same scale.

use plotters::style::{FontDesc, FontStyle, IntoFont};

use super::FONT_FAMILY;

/// Plotters font sizes per SVG pixel of `font-size`.
pub(crate) const PLOTTERS_PER_SVG_PX: f64 = 1.24;

/// The bundled font at a plotters size.
pub(crate) fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    (FONT_FAMILY, size, style).into_font()
}

/// Width of `text` at a plotters font size. Layouts measure the same
/// strings many times (wrapping tries every prefix), so widths are
/// remembered per thread.
pub(crate) fn text_w(text: &str, size: f64, bold: bool) -> f64 {
    type Key = (String, u64, bool);
    thread_local! {
        static WIDTHS: std::cell::RefCell<std::collections::HashMap<Key, f64>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    let key = (text.to_string(), size.to_bits(), bold);
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&key).copied()) {
        return w;
    }
    super::register_fonts();
    let w = font(size, bold)
        .box_size(text)
        .map_or(text.len() as f64 * size * 0.6, |(w, _)| f64::from(w));
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, w);
    });
    w
}

/// Width in SVG units of `text` drawn with `font-size="svg_font_size"`, as
/// the figures' layouts measure it (for checks on the written SVG).
pub fn text_width(text: &str, svg_font_size: f64, bold: bool) -> f64 {
    text_w(text, svg_font_size * PLOTTERS_PER_SVG_PX, bold)
}

/// Items flowed into lines no wider than `inner`, in order, as a legend is
/// set: a line takes items while they fit, and every line holds at least one.
pub(crate) fn flow<T>(
    items: impl IntoIterator<Item = T>,
    inner: f64,
    width: impl Fn(&T) -> f64,
) -> Vec<Vec<T>> {
    let mut lines: Vec<Vec<T>> = Vec::new();
    let mut used = 0.0;
    for it in items {
        let w = width(&it);
        if lines.is_empty() || used + w > inner {
            lines.push(Vec::new());
            used = 0.0;
        }
        used += w;
        if let Some(line) = lines.last_mut() {
            line.push(it);
        }
    }
    lines
}

/// Breaks `text` into lines no wider than `max_w` at spaces; a word longer
/// than a line is broken between characters. Always at least one line.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_w(&candidate, size, bold) <= max_w {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: break it after a hyphen if that fits, else
        // between characters.
        let mut word = word.to_string();
        while text_w(&word, size, bold) > max_w {
            let cut = word
                .char_indices()
                .filter(|(_, c)| *c == '-')
                .map(|(i, _)| i + 1)
                .rfind(|&i| i < word.len() && text_w(&word[..i], size, bold) <= max_w);
            match cut {
                Some(i) => {
                    lines.push(word[..i].to_string());
                    word = word[i..].to_string();
                }
                None => break,
            }
        }
        let mut piece = String::new();
        for ch in word.chars() {
            piece.push(ch);
            if text_w(&piece, size, bold) > max_w && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(ch);
            }
        }
        line = piece;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

/// A tick value as text: at most three decimals, no trailing zeros.
pub(crate) fn tick_text(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Millimetres to SVG units (96 per inch).
pub fn mm_to_px(mm: f64) -> f64 {
    mm / 25.4 * 96.0
}

/// Points (1/72 inch) to a plotters font size.
pub(crate) fn pt(points: f64) -> f64 {
    points / 72.0 * 96.0 * PLOTTERS_PER_SVG_PX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_fills_lines_in_order_and_never_leaves_one_empty() {
        let lines = flow([3.0, 3.0, 3.0, 9.0, 1.0], 7.0, |w| *w);
        assert_eq!(lines, vec![vec![3.0, 3.0], vec![3.0], vec![9.0], vec![1.0]]);
        assert!(flow(Vec::<f64>::new(), 7.0, |w| *w).is_empty());
    }

    #[test]
    fn wrap_respects_width_and_keeps_words() {
        let size = pt(8.0);
        let text = "Heterogeneity: tau² = 0.1234; I² = 56.7%; Q(4) = 9.21, p = 0.0561";
        for max in [40.0, 90.0, 160.0, 1000.0] {
            let lines = wrap(text, size, false, max);
            for l in &lines {
                assert!(
                    text_w(l, size, false) <= max || l.chars().count() == 1,
                    "{l}"
                );
            }
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        }
        assert_eq!(wrap("", size, false, 10.0), vec![String::new()]);
        assert_eq!(wrap(text, size, false, 1000.0).len(), 1);
    }

    #[test]
    fn sizes_convert() {
        assert!((mm_to_px(25.4) - 96.0).abs() < 1e-12);
        assert!((pt(72.0) / PLOTTERS_PER_SVG_PX - 96.0).abs() < 1e-12);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(tick_text(-0.0001), "0");
        assert_eq!(tick_text(0.25), "0.25");
    }
}
