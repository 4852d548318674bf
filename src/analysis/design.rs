//! Model matrices from text columns, as R codes a data frame read from CSV:
//! numeric columns as they are; any other column as a factor with levels in
//! sorted order, treatment-coded against the first level (one 0/1 column per
//! other level, named column + level, e.g. `celltypesmallcell`).

use crate::stats::linalg::Matrix;
use crate::validate::parse_number;

/// Builds the n×p matrix (with a leading intercept column when asked) and
/// the term names. Cells must be non-empty; the caller drops or reports
/// missing values first.
pub fn model_matrix(columns: &[(String, Vec<String>)], intercept: bool) -> (Matrix, Vec<String>) {
    let n = columns.first().map_or(0, |(_, c)| c.len());
    let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
    if intercept {
        cols.push(("intrcpt".into(), vec![1.0; n]));
    }
    for (name, raw) in columns {
        let nums: Vec<Option<f64>> = raw.iter().map(|t| parse_number(t).ok()).collect();
        if nums.iter().all(Option::is_some) {
            cols.push((name.clone(), nums.into_iter().flatten().collect()));
        } else {
            for level in levels(raw).iter().skip(1) {
                cols.push((
                    format!("{name}{level}"),
                    raw.iter()
                        .map(|t| f64::from(u8::from(t == level)))
                        .collect(),
                ));
            }
        }
    }
    let mut x = Matrix::zeros(n, cols.len());
    for i in 0..n {
        for (j, (_, c)) in cols.iter().enumerate() {
            *x.at_mut(i, j) = c[i];
        }
    }
    (x, cols.into_iter().map(|(n, _)| n).collect())
}

/// Distinct values in R's factor order: numerically when every value is a
/// number, else as text.
pub fn levels(values: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut l: Vec<String> = values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .cloned()
        .collect();
    l.sort();
    let nums: Option<Vec<f64>> = l.iter().map(|v| parse_number(v).ok()).collect();
    if let Some(nums) = nums {
        let mut pairs: Vec<(f64, String)> = nums.into_iter().zip(l).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        l = pairs.into_iter().map(|(_, v)| v).collect();
    }
    l
}

/// Each value's index in [`levels`].
pub fn level_index(values: &[String]) -> (Vec<String>, Vec<usize>) {
    let lv = levels(values);
    let pos: std::collections::HashMap<&str, usize> = lv
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let idx = values
        .iter()
        .map(|v| pos.get(v.as_str()).copied().unwrap_or(0))
        .collect();
    (lv, idx)
}
