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
/// = 1 inch). Text is drawn as outlines of the bundled font: what journals
/// ask for, and byte-identical across runs (svg2pdf's embedded-font objects
/// come out in hash order, so embedding would make every PDF differ).
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, PlotError> {
    let tree = parse_svg(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions {
            embed_text: false,
            ..svg2pdf::ConversionOptions::default()
        },
        svg2pdf::PageOptions {
            dpi: SVG_UNITS_PER_INCH,
        },
    )
    .map(|pdf| canonical_resource_order(&pdf))
    .map_err(|e| PlotError::Encode(format!("PDF: {e}")))
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
