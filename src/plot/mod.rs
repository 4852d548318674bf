//! Figures: presentation only. Drawing functions take plot-ready structs built
//! by [`crate::analysis`] and never compute a statistic.
//!
//! Every figure is drawn once, by a function generic over plotters'
//! `DrawingBackend`, and rendered to SVG (text) and PNG (bytes) from that one
//! drawing. Text is measured and rasterised with the DejaVu Sans font bundled
//! in the binary, so layout is identical on every machine.

mod compare;
mod km;
mod theme;

pub use compare::{
    render_compare_png, render_compare_svg, CompareGroup, ComparePlot, CompareRow, IntervalKind,
    PlotInterval, Scale,
};
pub use km::{render_km_png, render_km_svg, time_ticks, KmCurve, KmPlot};
pub use theme::Theme;

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea, SVGBackend};
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

/// Draws a figure once onto an RGB canvas of `size` and encodes it as PNG.
pub(crate) fn render_png(
    size: (u32, u32),
    dpi: u32,
    draw: impl for<'a> FnOnce(&DrawingArea<BitMapBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, PlotError> {
    register_fonts();
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        draw(&root).map_err(PlotError::Draw)?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    encode_png(&buf, size.0, size.1, dpi)
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
