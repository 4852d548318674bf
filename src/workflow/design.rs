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
    let (x, names, _) = model_matrix_terms(columns, intercept);
    (x, names)
}

/// A model matrix, its column names, and for each input column (term) the
/// matrix columns it became.
pub type ModelMatrix = (Matrix, Vec<String>, Vec<(String, Vec<usize>)>);

/// [`model_matrix`] with, for each input column (term), the matrix columns
/// it became (one for a number, one per non-reference level for a factor).
pub fn model_matrix_terms(columns: &[(String, Vec<String>)], intercept: bool) -> ModelMatrix {
    model_matrix_ref(columns, intercept, &[])
}

/// [`model_matrix_terms`] with chosen reference levels: a factor named in
/// `references` (column, level) is coded against that level (R's
/// `relevel`), the others against their first sorted level.
pub fn model_matrix_ref(
    columns: &[(String, Vec<String>)],
    intercept: bool,
    references: &[(String, String)],
) -> ModelMatrix {
    let n = columns.first().map_or(0, |(_, c)| c.len());
    let mut cols: Vec<(String, Vec<f64>)> = Vec::new();
    let mut terms = Vec::with_capacity(columns.len());
    if intercept {
        cols.push(("intrcpt".into(), vec![1.0; n]));
    }
    for (name, raw) in columns {
        let first = cols.len();
        let nums: Vec<Option<f64>> = raw.iter().map(|t| parse_number(t).ok()).collect();
        if nums.iter().all(Option::is_some) {
            cols.push((name.clone(), nums.into_iter().flatten().collect()));
        } else {
            let mut lv = levels(raw);
            let chosen = references.iter().find(|(c, _)| c == name);
            if let Some(i) = chosen.and_then(|(_, r)| lv.iter().position(|l| l == r)) {
                let reference = lv.remove(i);
                lv.insert(0, reference);
            }
            for level in lv.iter().skip(1) {
                cols.push((
                    format!("{name}{level}"),
                    raw.iter()
                        .map(|t| f64::from(u8::from(t == level)))
                        .collect(),
                ));
            }
        }
        terms.push((name.clone(), (first..cols.len()).collect()));
    }
    let mut x = Matrix::zeros(n, cols.len());
    for i in 0..n {
        for (j, (_, c)) in cols.iter().enumerate() {
            *x.at_mut(i, j) = c[i];
        }
    }
    (x, cols.into_iter().map(|(n, _)| n).collect(), terms)
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

/// A text column stored as its distinct values and each row's index into
/// them (a million rows of "1"/"2" are two strings, not a million).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels {
    names: Vec<String>,
    lookup: std::collections::HashMap<String, u32>,
    index: Vec<u32>,
}

impl Labels {
    /// Appends a row's label.
    pub fn push(&mut self, label: &str) {
        // A handful of distinct labels (arms, sexes) is the usual case: a
        // linear scan beats hashing every row.
        if self.names.len() <= 8 {
            if let Some(i) = self.names.iter().position(|n| n == label) {
                self.index.push(i as u32);
                return;
            }
        }
        let i = match self.lookup.get(label) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
                self.names.push(label.to_string());
                self.lookup.insert(label.to_string(), i);
                i
            }
        };
        self.index.push(i);
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Row i's label.
    pub fn get(&self, i: usize) -> &str {
        &self.names[self.index[i] as usize]
    }

    /// Levels in R's factor order and each row's level index.
    pub fn levels(&self) -> (Vec<String>, Vec<usize>) {
        let (lv, order) = level_index(&self.names);
        (lv, self.index.iter().map(|&i| order[i as usize]).collect())
    }
}

impl<'a> FromIterator<&'a str> for Labels {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut l = Labels::default();
        for s in iter {
            l.push(s);
        }
        l
    }
}
