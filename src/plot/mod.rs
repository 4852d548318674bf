//! Figures: presentation only. Drawing functions take plot-ready structs built
//! by [`crate::analysis`] and never compute a statistic.
//!
//! Every figure is drawn once, as SVG, by plotters' SVG backend; the PNG
//! (resvg) and PDF (svg2pdf) are made from that SVG, so the three never
//! differ. Text is measured, rasterised and embedded with the DejaVu Sans
//! font bundled in the binary, so output is identical on every machine.

mod bubble;
pub mod check;
mod compare;
pub(crate) mod forest;
mod frame;
mod funnel;
mod km;
pub mod overlay;
mod swimmer;
mod text;
mod theme;

pub use bubble::{render_bubble_svg, BubblePlot, BubblePoint};
pub use compare::{
    render_compare_svg, CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale,
};
pub use forest::{
    render_forest_svg, Align, ColumnKind, ForestColumn, ForestMark, ForestPlot, ForestRow, Preset,
    RowKind, DOUBLE_COLUMN_MM, SINGLE_COLUMN_MM,
};
pub use funnel::{render_funnel_svg, FunnelPlot, FunnelPoint};
pub use km::{render_km_svg, time_ticks, KmCurve, KmPlot};
pub use swimmer::{render_swimmer_svg, LaneEnd, SwimLane, SwimmerPlot};
pub use text::{mm_to_px, text_width};
pub use theme::Theme;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::FontStyle;

/// Font family name the bundled font is registered under.
pub const FONT_FAMILY: &str = "DejaVu Sans";

static FONT_INIT: std::sync::Once = std::sync::Once::new();

/// Registers the bundled font with plotters (idempotent).
pub(crate) fn register_fonts() {
    FONT_INIT.call_once(|| {
        // Registration only fails on a malformed font file, which is bundled
        // and checked by the plot tests.
        let _ = plotters::style::register_font(
            FONT_FAMILY,
            FontStyle::Normal,
            include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        );
        let _ = plotters::style::register_font(
            FONT_FAMILY,
            FontStyle::Bold,
            include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
        );
    });
}

/// A figure could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The drawing backend failed.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// Draws a figure once onto an SVG canvas of `size` and returns the text.
pub(crate) fn render_svg(
    size: (u32, u32),
    draw: impl for<'a> FnOnce(&DrawingArea<SVGBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<String, PlotError> {
    register_fonts();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root).map_err(PlotError::Draw)?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    Ok(out)
}

/// The bundled fonts as a font database for SVG rendering, so PNG and PDF
/// text uses exactly the font the layout was measured with (no system
/// fonts are ever consulted).
fn font_db() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans.ttf").to_vec());
        db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf").to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        std::sync::Arc::new(db)
    })
    .clone()
}

/// SVG user units per inch (CSS pixels).
const SVG_UNITS_PER_INCH: f32 = 96.0;

fn parse_svg(svg: &str) -> Result<resvg::usvg::Tree, PlotError> {
    let opt = resvg::usvg::Options {
        font_family: FONT_FAMILY.into(),
        fontdb: font_db(),
        ..resvg::usvg::Options::default()
    };
    resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| PlotError::Draw(format!("SVG: {e}")))
}

/// Rasterises a figure's SVG at `dpi` (96 SVG units = 1 inch) on white.
pub fn svg_to_png(svg: &str, dpi: u32) -> Result<Vec<u8>, PlotError> {
    let tree = parse_svg(svg)?;
    let scale = dpi as f32 / SVG_UNITS_PER_INCH;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| PlotError::Draw(format!("cannot scale the figure to {dpi} dpi")))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| PlotError::Draw("empty figure".into()))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque white background: the premultiplied RGBA is plain RGB + 255.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode_png(&rgb, size.width(), size.height(), dpi)
}

/// Converts a figure's SVG to vector PDF at its physical size (96 SVG units
/// = 1 inch), with real text: the glyphs used are embedded as a subset of the
/// bundled font (with a ToUnicode map), so `pdffonts` lists the font, text can
/// be selected and searched, and `pdftotext` returns the labels.
///
/// Reruns stay byte-identical: svg2pdf writes its font objects in hash-map
/// order (a figure with regular and bold text comes out in either order, with
/// different object numbers), so the conversion is repeated until the fonts
/// come out in the order of their references — the one canonical order — and
/// the resource dictionaries are then sorted ([`canonical_resource_order`]).
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, PlotError> {
    let tree = parse_svg(svg)?;
    // Each attempt is canonical with probability 1/k! for k fonts (k ≤ 2 with
    // the two bundled faces), so 64 attempts fail with probability < 1e-19.
    for _ in 0..64 {
        let pdf = svg2pdf::to_pdf(
            &tree,
            svg2pdf::ConversionOptions {
                embed_text: true,
                ..svg2pdf::ConversionOptions::default()
            },
            svg2pdf::PageOptions {
                dpi: SVG_UNITS_PER_INCH,
            },
        )
        .map_err(|e| PlotError::Encode(format!("PDF: {e}")))?;
        if fonts_in_reference_order(&pdf) {
            return Ok(canonical_resource_order(&pdf));
        }
    }
    Err(PlotError::Encode(
        "PDF: the embedded fonts never came out in a canonical order".into(),
    ))
}

/// Whether the PDF's top-level (Type0) font objects appear in the file in
/// increasing object number. svg2pdf numbers them in drawing order (stable)
/// but writes them in hash order; the objects each one allocates while being
/// written follow it, so this order fixes every byte.
fn fonts_in_reference_order(pdf: &[u8]) -> bool {
    let mut numbers = Vec::new();
    let mut object: Option<u32> = None;
    for line in pdf.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if let Some(head) = line.strip_suffix(b" 0 obj") {
            object = std::str::from_utf8(head).ok().and_then(|t| t.parse().ok());
        } else if line == b"/Subtype /Type0" {
            numbers.extend(object.take());
        }
    }
    numbers.windows(2).all(|w| w[0] < w[1])
}

/// svg2pdf writes the entries of a page's resource dictionaries
/// (`/XObject`, `/ExtGState`, …) in hash-map order, so the same figure gives
/// differently ordered (equally valid) PDFs from run to run. This sorts the
/// `/name N 0 R` lines inside those dictionaries. Sorting lines of one block
/// keeps every byte offset, so the cross-reference table stays right;
/// stream data (skipped by its `/Length`) is never touched.
fn canonical_resource_order(pdf: &[u8]) -> Vec<u8> {
    const DICTS: [&[u8]; 6] = [
        b"/XObject <<",
        b"/ExtGState <<",
        b"/Pattern <<",
        b"/Shading <<",
        b"/Font <<",
        b"/ColorSpace <<",
    ];
    let line_end = |from: usize| {
        pdf[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(pdf.len(), |k| from + k)
    };
    let mut out = Vec::with_capacity(pdf.len());
    let mut i = 0;
    let mut length: Option<usize> = None;
    while i < pdf.len() {
        let end = line_end(i);
        let line = &pdf[i..end];
        let trimmed = line.trim_ascii();
        let next = (end + 1).min(pdf.len());
        if trimmed == b"stream" {
            if let Some(n) = length.take() {
                let stop = (next + n).min(pdf.len());
                out.extend_from_slice(&pdf[i..stop]);
                i = stop;
                continue;
            }
        }
        if let Some(rest) = trimmed.strip_prefix(b"/Length ") {
            length = std::str::from_utf8(rest).ok().and_then(|t| t.parse().ok());
        }
        out.extend_from_slice(&pdf[i..next]);
        i = next;
        if DICTS.contains(&trimmed) {
            // The block's entry lines, up to its closing `>>`.
            let mut entries: Vec<&[u8]> = Vec::new();
            let mut j = i;
            let mut closed = false;
            while j < pdf.len() {
                let e = line_end(j);
                let l = &pdf[j..e];
                if l.trim_ascii() == b">>" {
                    closed = true;
                    break;
                }
                entries.push(l);
                j = (e + 1).min(pdf.len());
            }
            let simple = entries.iter().all(|l| {
                let t = l.trim_ascii();
                t.starts_with(b"/") && t.ends_with(b" R") && !t.windows(2).any(|w| w == b"<<")
            });
            if closed && simple && !entries.is_empty() {
                entries.sort();
                for l in entries {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                }
                i = j;
            }
        }
    }
    out
}

/// Encodes an RGB buffer as PNG with a pHYs chunk for the given DPI.
pub(crate) fn encode_png(
    rgb: &[u8],
    width: u32,
    height: u32,
    dpi: u32,
) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut w = enc
            .write_header()
            .map_err(|e| PlotError::Encode(e.to_string()))?;
        w.write_image_data(rgb)
            .map_err(|e| PlotError::Encode(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="192" height="96" viewBox="0 0 192 96"><rect width="192" height="96" fill="white"/><text x="10" y="50" font-family="DejaVu Sans" font-size="12">Median 46</text></svg>"#;

    /// 96 SVG units are one inch: a 2 × 1 inch figure is 600 × 300 px at
    /// 300 dpi, with the resolution recorded, and 144 × 72 pt as PDF.
    #[test]
    fn png_and_pdf_have_the_physical_size() {
        let png = svg_to_png(SVG, 300).unwrap();
        let header = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let info = header.info();
        assert_eq!((info.width, info.height), (600, 300));
        let dims = info.pixel_dims.unwrap();
        assert_eq!(dims.xppu, (300.0f64 / 0.0254).round() as u32);
        let pdf = svg_to_pdf(SVG).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/MediaBox [0 0 144 72]"),
            "{}",
            &text[..text.len().min(600)]
        );
    }

    /// Text is drawn with the bundled font: the PNG has dark pixels where the
    /// text is, and conversion is repeatable byte for byte.
    #[test]
    fn text_is_rendered_and_output_repeats() {
        let png = svg_to_png(SVG, 96).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut buf).unwrap();
        assert!(buf.iter().any(|&b| b < 100), "no text pixels");
        assert_eq!(png, svg_to_png(SVG, 96).unwrap());
        assert_eq!(svg_to_pdf(SVG).unwrap(), svg_to_pdf(SVG).unwrap());
    }

    /// Regular and bold text: the PDF embeds both faces as subsets with a
    /// ToUnicode map (real, searchable text, not outlines), and twenty
    /// conversions in one process — each with fresh hash-map seeds — give
    /// the same bytes.
    #[test]
    fn pdf_embeds_subset_fonts_and_repeats_byte_for_byte() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="192" height="96" viewBox="0 0 192 96"><text x="10" y="30" font-family="DejaVu Sans" font-size="12">Median 46</text><text x="10" y="60" font-family="DejaVu Sans" font-weight="bold" font-size="12">Overall</text></svg>"#;
        let first = svg_to_pdf(svg).unwrap();
        let text = String::from_utf8_lossy(&first);
        assert_eq!(
            text.matches("/Subtype /Type0").count(),
            2,
            "two embedded faces"
        );
        assert!(text.contains("+DejaVuSans-Bold"), "bold subset named");
        assert!(text.contains("/ToUnicode"), "text maps back to Unicode");
        assert!(text.contains("/FontFile2"), "the font program is embedded");
        assert!(fonts_in_reference_order(&first));
        for _ in 0..20 {
            assert_eq!(svg_to_pdf(svg).unwrap(), first);
        }
    }

    #[test]
    fn font_order_is_read_from_object_headers() {
        let ordered = b"5 0 obj\n<<\n  /Type /Font\n  /Subtype /Type0\n>>\nendobj\n9 0 obj\n<<\n  /Subtype /Type0\n>>\nendobj\n";
        assert!(fonts_in_reference_order(ordered));
        let swapped = b"9 0 obj\n<<\n  /Subtype /Type0\n>>\nendobj\n5 0 obj\n<<\n  /Subtype /Type0\n>>\nendobj\n";
        assert!(!fonts_in_reference_order(swapped));
    }

    #[test]
    fn resource_entries_are_sorted_in_place() {
        let pdf = b"1 0 obj\n<<\n  /XObject <<\n    /xo1 9 0 R\n    /xo0 7 0 R\n  >>\n  /Length 12\n>>\nstream\n/Font <<\n/b\nendstream\nendobj\n";
        let out = canonical_resource_order(pdf);
        assert_eq!(out.len(), pdf.len());
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("    /xo0 7 0 R\n    /xo1 9 0 R\n"), "{text}");
        // Stream bytes are left alone even when they look like a dictionary.
        assert!(text.contains("stream\n/Font <<\n/b\nendstream"), "{text}");
    }
}
