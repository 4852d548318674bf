//! Checks on a written figure: where its texts sit, and whether any two
//! overlap. The figures' structural tests use these on every figure type,
//! and the analyses run them on what they write, so an overlap found on
//! real data becomes a warning in the report instead of a silent flaw.

use super::text::text_width;

/// A text element of an SVG figure and the box it covers (SVG units).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text, unescaped.
    pub text: String,
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl TextBox {
    /// Whether two boxes share area (touching edges do not count).
    pub fn overlaps(&self, o: &TextBox) -> bool {
        self.x0 < o.x1 - 0.5 && o.x0 < self.x1 - 0.5 && self.y0 < o.y1 - 0.5 && o.y0 < self.y1 - 0.5
    }
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')? + i;
    Some(&tag[i..j])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The boxes of all `<text>` elements written by the figures (plotters'
/// SVG: one line per element, `dy` of `0.76em`, `0.5ex` or `-0.5ex`).
/// The box spans the font's ascent (0.76 em above the baseline) to its
/// descent (0.24 em below); rotated text is turned about its anchor.
pub fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        let after = &rest[i..];
        let Some(close) = after.find('>') else { break };
        let tag = &after[..close];
        let Some(end) = after.find("</text>") else {
            break;
        };
        let text = unescape(after[close + 1..end].trim());
        rest = &after[end..];
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
        let (Some(x), Some(y), Some(fs)) = (num("x"), num("y"), num("font-size")) else {
            continue;
        };
        let bold = attr(tag, "font-weight") == Some("bold");
        let w = text_width(&text, fs, bold);
        let dy = match attr(tag, "dy") {
            Some("0.76em") => 0.76 * fs,
            Some("-0.5ex") => -0.27 * fs,
            _ => 0.27 * fs,
        };
        let (x0, x1) = match attr(tag, "text-anchor") {
            Some("end") => (x - w, x),
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            _ => (x, x + w),
        };
        let (y0, y1) = (y + dy - 0.76 * fs, y + dy + 0.24 * fs);
        let rotated = attr(tag, "transform")
            .is_some_and(|t| t.starts_with("rotate(90") || t.starts_with("rotate(270"));
        let b = if rotated {
            // A quarter turn about (x, y): width and height swap.
            TextBox {
                text,
                x0: x - (y1 - y),
                y0: y - (x1 - x),
                x1: x - (y0 - y),
                y1: y - (x0 - x),
            }
        } else {
            TextBox {
                text,
                x0,
                y0,
                x1,
                y1,
            }
        };
        if !b.text.is_empty() {
            out.push(b);
        }
    }
    out
}

/// Pairs of texts that overlap, by index into [`text_boxes`].
pub fn overlapping_texts(svg: &str) -> Vec<(TextBox, TextBox)> {
    let boxes = text_boxes(svg);
    let mut out = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.overlaps(b) {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

/// Texts that leave the canvas (`width`/`height` of the `<svg>` element).
pub fn texts_outside(svg: &str) -> Vec<TextBox> {
    let head = svg.find("<svg").map_or("", |i| &svg[i..]);
    let head = &head[..head.find('>').unwrap_or(0)];
    let w = attr(head, "width")
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::MAX);
    let h = attr(head, "height")
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::MAX);
    text_boxes(svg)
        .into_iter()
        .filter(|b| b.x0 < -0.5 || b.y0 < -0.5 || b.x1 > w + 0.5 || b.y1 > h + 0.5)
        .collect()
}

/// One line per problem: overlapping or clipped texts (empty when clean).
pub fn layout_problems(svg: &str) -> Vec<String> {
    let mut out: Vec<String> = overlapping_texts(svg)
        .into_iter()
        .map(|(a, b)| format!("labels overlap: {:?} and {:?}", a.text, b.text))
        .collect();
    out.extend(
        texts_outside(svg)
            .into_iter()
            .map(|b| format!("label leaves the figure: {:?}", b.text)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_follow_anchor_and_overlap_is_found() {
        let svg = r##"<svg width="200" height="100" viewBox="0 0 200 100">
<text x="100" y="50" dy="0.5ex" text-anchor="end" font-family="DejaVu Sans" font-size="10" opacity="1" fill="#222222">
A &amp; B
</text>
<text x="90" y="52" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="10" opacity="1" fill="#222222">
next
</text>
<text x="10" y="90" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="10" opacity="1" fill="#222222">
alone
</text>
</svg>"##;
        let b = text_boxes(svg);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].text, "A & B");
        assert!((b[0].x1 - 100.0).abs() < 1e-9 && b[0].x0 < 80.0);
        assert!(b[0].y0 < 50.0 && b[0].y1 > 50.0);
        let o = overlapping_texts(svg);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].1.text, "next");
        assert!(texts_outside(svg).is_empty());
        assert_eq!(layout_problems(svg).len(), 1);
    }
}
