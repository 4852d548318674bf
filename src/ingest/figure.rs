//! Figure files for the digitiser: PNG and JPEG decoded to RGB (a
//! transparent background laid on white), with the file's BLAKE3 hash.

use std::path::Path;

use crate::digitize::Raster;

/// Why a figure could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// The file could not be read.
    #[error("cannot read '{path}': {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not an image survlit decodes.
    #[error("'{path}' is not a PNG, JPEG or PDF figure ({why})")]
    Format {
        /// The file.
        path: String,
        /// The decoder's reason.
        why: String,
    },
}

/// What a figure file holds.
pub enum FigureBytes {
    /// A raster image, decoded.
    Raster(Raster),
    /// A PDF document, undecoded.
    Pdf(Vec<u8>),
}

/// A figure file read.
pub struct Figure {
    /// Its content.
    pub content: FigureBytes,
    /// BLAKE3 of the file's bytes, hex.
    pub hash: String,
}

/// Decodes PNG or JPEG bytes to RGB on white.
pub fn decode(bytes: &[u8]) -> Result<Raster, String> {
    let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
    let rgba = img.to_rgba8();
    let (w, h) = (rgba.width() as usize, rgba.height() as usize);
    let rgb = rgba
        .pixels()
        .map(|p| {
            let a = p.0[3] as u32;
            let c = |v: u8| ((v as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
            [c(p.0[0]), c(p.0[1]), c(p.0[2])]
        })
        .collect();
    Ok(Raster {
        width: w,
        height: h,
        rgb,
    })
}

/// Reads a figure file: PNG/JPEG decoded, PDF kept as bytes.
pub fn read(path: &Path) -> Result<Figure, FigureError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| FigureError::Io {
        path: shown.clone(),
        source,
    })?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let content = if bytes.starts_with(b"%PDF") {
        FigureBytes::Pdf(bytes)
    } else {
        FigureBytes::Raster(decode(&bytes).map_err(|why| FigureError::Format { path: shown, why })?)
    };
    Ok(Figure { content, hash })
}

/// The longest side, in pixels, a raster PDF page is rendered at for the
/// digitiser.
const PDF_RENDER_PX: f32 = 2000.0;

/// Renders page `page` (1-based) of a PDF to RGB on white, its longer side
/// [`PDF_RENDER_PX`] pixels (hayro, pure Rust; the standard fonts are
/// built in).
pub fn pdf_page(bytes: &[u8], page: u32) -> Result<Raster, String> {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::hayro_syntax::Pdf;
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| format!("not a readable PDF ({e:?})"))?;
    let pages = pdf.pages();
    let n = pages.len();
    let Some(p) = pages.get(page as usize - 1) else {
        return Err(format!(
            "the PDF has {} page{}; --page {page} is not one of them",
            n,
            if n == 1 { "" } else { "s" }
        ));
    };
    let (w, h) = p.render_dimensions();
    let scale = (PDF_RENDER_PX / w.max(h).max(1.0)).clamp(1.0, 8.0);
    let cache = RenderCache::new();
    let pix = render(
        p,
        &cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    let (pw, ph) = (pix.width() as usize, pix.height() as usize);
    let rgb = pix
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    Ok(Raster {
        width: pw,
        height: ph,
        rgb,
    })
}
