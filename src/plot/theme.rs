//! Sizes and colours shared by the figures. Colours are from the Okabe–Ito
//! colour-blind-safe palette.

use plotters::style::RGBColor;

/// Visual constants, scaled for the output resolution.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Multiplier on every size (1 for SVG, 2 or more for PNG).
    pub scale: f64,
}

impl Theme {
    /// Text and axis colour.
    pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Secondary text.
    pub const MUTED: RGBColor = RGBColor(0x5a, 0x5a, 0x5a);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
    /// Alternate row band.
    pub const BAND: RGBColor = RGBColor(0xf3, 0xf5, 0xf8);
    /// Estimates and their intervals (Okabe–Ito blue).
    pub const MARK: RGBColor = RGBColor(0x00, 0x72, 0xb2);
    /// Ranges and IQRs (Okabe–Ito vermillion).
    pub const SPREAD: RGBColor = RGBColor(0xd5, 0x5e, 0x00);

    /// A size in pixels at this theme's scale.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A font size in pixels.
    pub fn font(&self, v: f64) -> f64 {
        v * self.scale
    }
}
