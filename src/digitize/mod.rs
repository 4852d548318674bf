//! Reading a Kaplan–Meier figure with no clicks: the axes from their tick
//! labels, each arm's curve as step corners, its censor marks, the numbers
//! at risk under the plot. Pure computation on pixels (or a PDF's drawing
//! operations): reading the file is the caller's.
//!
//! The pipeline for a raster (`read_raster`): background and ink
//! ([`raster`]); glyph-sized components grouped into words ([`text`]) and
//! read against templates of the built-in fonts ([`ocr`], [`glyphs`]); the
//! x row and y column of tick labels that are evenly spaced arithmetic
//! progressions give the pixel ↔ data mapping ([`axes`]), refined to the
//! tick marks; the axis lines and frame bound the panel ([`panel`]); the
//! panel's ink, text and grid removed, is clustered by colour
//! ([`colours`]), tints of a line colour (CI bands, anti-aliasing) set
//! aside; each colour is traced as a connected, never-rising path whose
//! plateaus, drops and marks become the arm's steps ([`trace`]); rows of
//! numbers under the axis that fall from left to right are the numbers at
//! risk ([`at_risk`]).

pub mod arms;
pub mod at_risk;
pub mod axes;
pub mod colours;
pub mod components;
pub mod figure;
pub mod glyphs;
pub mod ocr;
pub mod panel;
pub mod raster;
pub mod score;
pub mod text;
pub mod trace;

use serde::Serialize;

pub use figure::read_raster;
pub use raster::Raster;

/// The x axis as its first and last tick labels read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct XAxis {
    /// First tick label.
    pub min: f64,
    /// Last tick label.
    pub max: f64,
}

/// The y axis: first and last tick labels, in the figure's units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YAxis {
    /// First tick label.
    pub min: f64,
    /// Last tick label.
    pub max: f64,
    /// "proportion" (0–1) or "percent" (0–100).
    pub scale: &'static str,
}

/// A point of a curve: time in the x axis' units, survival as a
/// proportion.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// Time.
    pub time: f64,
    /// Survival, 0–1.
    pub surv: f64,
}

/// One arm as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Arm {
    /// Its name (the legend's, or "Arm k" with a warning).
    pub name: String,
    /// Step corners, left to right.
    pub points: Vec<Point>,
    /// Times of its censor marks.
    pub censor_times: Vec<f64>,
    /// Colour it is drawn in.
    #[serde(skip)]
    pub colour: [u8; 3],
}

/// A number at risk under the plot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtRisk {
    /// The arm's name.
    pub arm: String,
    /// The tick time it is printed under.
    pub time: f64,
    /// The number.
    pub n: u64,
}

/// Where things were found, in pixels, for the overlay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geometry {
    /// The panel searched: (x0, y0, x1, y1).
    pub panel: (usize, usize, usize, usize),
    /// x pixel = a + b · time.
    pub x_scale: (f64, f64),
    /// y pixel = a + b · value in the y axis' units.
    pub y_scale: (f64, f64),
    /// Tick labels read: box (x0, y0, x1, y1) and text.
    pub labels: Vec<((usize, usize, usize, usize), String)>,
    /// Numbers at risk read: box and text.
    pub at_risk: Vec<((usize, usize, usize, usize), String)>,
}

/// A figure read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Digitized {
    /// The x axis.
    pub x_axis: XAxis,
    /// The y axis.
    pub y_axis: YAxis,
    /// The arms.
    pub arms: Vec<Arm>,
    /// The numbers at risk.
    pub at_risk: Vec<AtRisk>,
    /// What could not be read, or looks wrong.
    pub warnings: Vec<String>,
    /// Pixel positions, for drawing the overlay.
    #[serde(skip)]
    pub geometry: Geometry,
}

/// Why a figure could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DigitizeError {
    /// No row and column of tick labels.
    #[error("no axes could be read: {0}")]
    NoAxes(String),
    /// Axes but no curve.
    #[error("no curve was found in the plot area")]
    NoCurves,
}
