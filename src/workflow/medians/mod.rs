//! Tables of per-study medians and spreads (`study, n, min, q1, median, q3,
//! max` and optionally `mean, sd`) → conversions to mean/SD and pooled
//! medians. Shared by `survlit convert` and `survlit medians`. Every bad
//! cell is an error naming file, line, column, value and the fix; every
//! converted value is flagged as such.

pub mod convert;
pub mod pool;
pub mod routes;

pub use convert::{convert_all, ConvertMethod, ConvertedRow, SkewedPolicy};
pub use pool::{pair_groups, pool_medians, MedianMethod, MedianRow, PooledMedians};

use crate::domain::{parsed_as_vocab, Vocab};
use crate::ingest::RawTable;
use crate::stats::medians::FiveNum;

/// `skewed = "…"` in a `medians` analysis' options.
impl Vocab for SkewedPolicy {
    const WHAT: &'static str = "skewness policy";
    const ALL: &'static [(&'static str, Self)] = &[
        ("exclude", SkewedPolicy::Exclude),
        ("lognormal", SkewedPolicy::LogNormal),
        ("keep", SkewedPolicy::Keep),
    ];
}

parsed_as_vocab!(SkewedPolicy);

/// One study's row.
#[derive(Debug, Clone, PartialEq)]
pub struct StudySummary {
    /// Study label.
    pub study: String,
    /// Line in the file.
    pub line: usize,
    /// Sample size.
    pub n: f64,
    /// Minimum, quartiles, median, maximum (any may be missing).
    pub five: [Option<f64>; 5],
    /// Mean and SD, when reported instead of (or besides) quantiles.
    pub mean_sd: Option<(f64, f64)>,
    /// The `group` column, when there is one (two-group differences).
    pub group: Option<String>,
}

impl StudySummary {
    fn five_num(&self) -> Option<FiveNum> {
        Some(FiveNum {
            n: self.n,
            min: self.five[0],
            q1: self.five[1],
            median: self.five[2]?,
            q3: self.five[3],
            max: self.five[4],
        })
    }
}

const COLUMNS: [&str; 5] = ["min", "q1", "median", "q3", "max"];

/// Reads the rows: `study` and `n` required; quantile columns any subset.
pub fn read_summaries(table: &RawTable) -> Result<Vec<StudySummary>, Vec<String>> {
    let file = &table.source.display;
    let col = |name: &str| table.column(name);
    let mut errors = Vec::new();
    let (Some(study), Some(n)) = (col("study"), col("n")) else {
        return Err(vec![format!(
            "{file}: needs columns 'study' and 'n' (and any of min, q1, median, q3, max, mean, sd); found: {}",
            table.header.join(", ")
        )]);
    };
    let five_cols = COLUMNS.map(col);
    let (mean_col, sd_col, group_col) = (col("mean"), col("sd"), col("group"));
    let mut out = Vec::new();
    for row in &table.rows {
        let cells = table.cells(row);
        let text = |c: Option<usize>| c.and_then(|i| cells.get(i)).unwrap_or("");
        let label = text(Some(study)).to_string();
        let at = |name: &str, value: &str| {
            format!(
                "{file}, line {}, column '{name}' (value '{value}', study '{label}')",
                row.line
            )
        };
        let mut number = |name: &str, c: Option<usize>| -> Option<f64> {
            let v = text(c);
            if v.is_empty() {
                return None;
            }
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    let fix = if matches!(
                        v.to_ascii_lowercase().as_str(),
                        "nr" | "not reached" | "n.r."
                    ) {
                        "a median not reached is not a number: leave the cell empty and say so in the study's notes (it cannot be pooled as a value)"
                    } else {
                        "write a plain number (decimal point, no units or qualifiers)"
                    };
                    errors.push(format!("{}: not a number; {fix}", at(name, v)));
                    None
                }
            }
        };
        if label.is_empty() {
            errors.push(format!(
                "{file}, line {}: column 'study' is empty; name the study",
                row.line
            ));
            continue;
        }
        let Some(nv) = number("n", Some(n)) else {
            if text(Some(n)).is_empty() {
                errors.push(format!(
                    "{}: n is missing; give the number of patients",
                    at("n", "")
                ));
            }
            continue;
        };
        if nv < 1.0 {
            errors.push(format!("{}: n must be at least 1", at("n", text(Some(n)))));
            continue;
        }
        let five: Vec<Option<f64>> = COLUMNS
            .iter()
            .zip(five_cols)
            .map(|(name, c)| number(name, c))
            .collect();
        let mean = number("mean", mean_col);
        let sd = number("sd", sd_col);
        let present: Vec<(&str, f64)> = COLUMNS
            .iter()
            .zip(&five)
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        if let Some(w) = present.windows(2).find(|w| w[0].1 > w[1].1) {
            errors.push(format!(
                "{}: {} {} is greater than {} {}; the values must satisfy min ≤ q1 ≤ median ≤ q3 ≤ max (a swapped pair?)",
                at(w[0].0, &w[0].1.to_string()),
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            ));
            continue;
        }
        out.push(StudySummary {
            study: label.clone(),
            line: row.line,
            n: nv,
            five: [five[0], five[1], five[2], five[3], five[4]],
            mean_sd: mean.zip(sd),
            group: group_col
                .and_then(|i| cells.get(i))
                .filter(|g| !g.is_empty())
                .map(str::to_string),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
