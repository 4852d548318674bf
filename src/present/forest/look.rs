//! How a forest plot looks, as the analysis' options ask: preset, columns
//! each side of the axis, width, "favours" labels and axis limits.

use serde::Deserialize;

use crate::domain::Vocab;
use crate::plot::{ColumnKind, Preset, DOUBLE_COLUMN_MM, SINGLE_COLUMN_MM};

/// The order of a forest plot's study rows (within each subgroup).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForestSort {
    /// As the studies come in the data (the default).
    #[default]
    Entered,
    /// By estimate, smallest first.
    Estimate,
    /// By weight in the model, largest first.
    Weight,
    /// By year of publication, oldest first (studies without a year last).
    Year,
}

impl Vocab for ForestSort {
    const WHAT: &'static str = "forest sort order";
    const ALL: &'static [(&'static str, Self)] = &[
        ("entered", ForestSort::Entered),
        ("estimate", ForestSort::Estimate),
        ("weight", ForestSort::Weight),
        ("year", ForestSort::Year),
    ];
    const ALIASES: &'static [(&'static str, Self)] = &[
        ("as-entered", ForestSort::Entered),
        ("as_entered", ForestSort::Entered),
        ("data", ForestSort::Entered),
        ("effect", ForestSort::Estimate),
        ("precision", ForestSort::Weight),
    ];
}

crate::domain::parsed_as_vocab!(ForestSort);

/// A figure width: a journal column by name, or millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Width {
    /// "single" (85 mm) or "double" (175 mm).
    Named(String),
    /// Millimetres.
    Mm(f64),
}

impl Width {
    /// The width in mm.
    pub fn mm(&self) -> Result<f64, String> {
        match self {
            Width::Named(n) if n == "single" => Ok(SINGLE_COLUMN_MM),
            Width::Named(n) if n == "double" => Ok(DOUBLE_COLUMN_MM),
            Width::Named(n) => Err(format!(
                "unknown width {n:?}; use \"single\" (85 mm), \"double\" (175 mm) or a number of mm"
            )),
            Width::Mm(mm) if (40.0..=400.0).contains(mm) => Ok(*mm),
            Width::Mm(mm) => Err(format!("width {mm} mm is outside 40–400 mm")),
        }
    }
}

/// How the forest plots look (options of the analysis).
#[derive(Debug, Clone, Default)]
pub struct ForestLook {
    /// Preset.
    pub preset: Preset,
    /// Columns left of the axis (default: the preset's).
    pub left: Vec<ColumnKind>,
    /// Columns right of the axis.
    pub right: Vec<ColumnKind>,
    /// Width in mm (default: the preset's).
    pub width_mm: Option<f64>,
    /// "Favours …" labels under the axis.
    pub favours: Option<(String, String)>,
    /// Axis limits (display scale).
    pub xlim: Option<(f64, f64)>,
    /// The order of the study rows.
    pub sort: ForestSort,
}

impl ForestLook {
    /// From the analysis' option values (vocabularies already parsed); the
    /// messages of the values checked here name the option.
    pub fn parse(
        preset: Option<Preset>,
        left: Option<&[ColumnKind]>,
        right: Option<&[ColumnKind]>,
        width: Option<&Width>,
        favours: Option<&[String]>,
        xlim: Option<&[f64]>,
    ) -> Result<ForestLook, String> {
        let preset = preset.unwrap_or_default();
        let (dl, dr) = preset.default_columns();
        let pair = |v: &[f64]| match v {
            [a, b] if a.is_finite() && b.is_finite() && a < b => Ok((*a, *b)),
            _ => Err("xlim: give two increasing numbers, e.g. [0.1, 10]".to_string()),
        };
        Ok(ForestLook {
            preset,
            left: left.map_or(dl, <[ColumnKind]>::to_vec),
            right: right.map_or(dr, <[ColumnKind]>::to_vec),
            width_mm: width.map(Width::mm).transpose()?,
            favours: match favours {
                None => None,
                Some([a, b]) => Some((a.clone(), b.clone())),
                Some(_) => return Err("favours: give two labels, left and right".into()),
            },
            xlim: xlim.map(pair).transpose()?,
            sort: ForestSort::default(),
        })
    }
}
