//! A table of patient rows → the vectors the survival engine takes: time,
//! event, group and stratum labels, covariates. Shared by `survlit km`,
//! `logrank` and `cox`. Rows with a missing value in a column the analysis
//! uses are dropped, as R's `na.omit` does, and listed; bad values are
//! errors naming file, line, column, value and the fix.

use crate::ingest::RawTable;

use crate::validate::parse_number;
use crate::workflow::design::Labels;

/// How the event column is coded.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCoding {
    /// The value meaning "event" ("1" unless a code is given).
    pub event: String,
    /// The value meaning "censored" ("0") when no code is given; `None`
    /// when a code is given: then any other value is censored, as R's
    /// `Surv(time, status == K)` reads it (pbc's 0/1/2 status with
    /// `--event-code 2`: 2 = death, 0 and 1 = transplant censored).
    pub censored: Option<String>,
}

impl EventCoding {
    /// Coding with `event` as the event code (anything else censored), or
    /// without one the default 1 = event, 0 = censored, any other value an
    /// error.
    pub fn new(event: Option<&str>) -> EventCoding {
        match event {
            Some(code) => EventCoding {
                event: code.trim().to_string(),
                censored: None,
            },
            None => EventCoding {
                event: "1".into(),
                censored: Some("0".into()),
            },
        }
    }

    /// Whether `value` is an event, or `None` when the coding has no place
    /// for it.
    pub fn is_event(&self, value: &str) -> Option<bool> {
        if value == self.event {
            Some(true)
        } else {
            match &self.censored {
                None => Some(false),
                Some(c) => (value == c).then_some(false),
            }
        }
    }
}

/// Which columns play which role.
#[derive(Debug, Clone, Default)]
pub struct PatientColumns {
    /// Time column.
    pub time: String,
    /// Event column.
    pub event: String,
    /// Group column (curves, or the groups a test compares).
    pub group: Option<String>,
    /// Stratum column.
    pub strata: Option<String>,
    /// Covariates (Cox).
    pub covariates: Vec<String>,
}

/// The rows kept, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Patients {
    /// Times.
    pub time: Vec<f64>,
    /// Events.
    pub event: Vec<bool>,
    /// Group labels ("all" without a group column).
    pub group: Labels,
    /// Stratum labels, when a stratum column was named.
    pub strata: Option<Labels>,
    /// Covariate columns as text (coded by [`crate::workflow::design`]).
    pub covariates: Vec<(String, Vec<String>)>,
    /// Lines dropped for a missing value, with the column.
    pub dropped: Vec<(usize, String)>,
}

/// One message for every named column the table lacks, each with its
/// option and the closest column the other options do not use.
fn missing_columns(
    table: &RawTable,
    need: &[String],
    flags: &[&str],
    idx: &[Option<usize>],
) -> String {
    let used: Vec<usize> = idx.iter().flatten().copied().collect();
    let unused: Vec<&str> = (table.header.iter().enumerate())
        .filter(|(i, h)| !h.is_empty() && !used.contains(i))
        .map(|(_, h)| h.as_str())
        .collect();
    let missing: Vec<String> = (need.iter().zip(flags).zip(idx))
        .filter(|(_, i)| i.is_none())
        .map(
            |((name, flag), _)| match crate::domain::closest(name, unused.iter().copied()) {
                Some(c) => format!(
                    "no column '{name}' ({flag}): did you mean '{c}'? (rename it, or {flag} {c})"
                ),
                None => format!("no column '{name}' ({flag}; name the column with {flag})"),
            },
        )
        .collect();
    format!(
        "{}: {}; the table has {}",
        table.source.display,
        missing.join("; "),
        table.header.join(", ")
    )
}

/// Reads the named columns; every bad cell is reported.
pub fn read_patients(
    table: &RawTable,
    cols: &PatientColumns,
    coding: &EventCoding,
) -> Result<Patients, Vec<String>> {
    let file = &table.source.display;
    let mut errors = Vec::new();
    let find = |name: &str| table.column(&name.to_ascii_lowercase());
    let mut need = vec![cols.time.clone(), cols.event.clone()];
    let mut flags = vec!["--time", "--event"];
    need.extend(cols.group.clone());
    flags.extend(cols.group.as_ref().map(|_| "--group"));
    need.extend(cols.strata.clone());
    flags.extend(cols.strata.as_ref().map(|_| "--strata"));
    need.extend(cols.covariates.iter().cloned());
    flags.extend(cols.covariates.iter().map(|_| "--covariates"));
    let idx: Vec<Option<usize>> = need.iter().map(|name| find(name)).collect();
    if idx.iter().any(Option::is_none) {
        return Err(vec![missing_columns(table, &need, &flags, &idx)]);
    }
    let idx: Vec<usize> = idx.into_iter().flatten().collect();
    let mut out = Patients {
        time: Vec::with_capacity(table.rows.len()),
        event: Vec::with_capacity(table.rows.len()),
        group: Labels::default(),
        strata: cols.strata.as_ref().map(|_| Labels::default()),
        covariates: cols
            .covariates
            .iter()
            .map(|c| (c.clone(), Vec::new()))
            .collect(),
        dropped: Vec::new(),
    };
    let n_fixed = 2 + usize::from(cols.group.is_some()) + usize::from(cols.strata.is_some());
    for row in &table.rows {
        let cells = table.cells(row);
        // Cells come trimmed from ingest.
        let cell = |k: usize| cells.get(idx[k]).unwrap_or("");
        if let Some(k) = (0..idx.len()).find(|&k| cell(k).is_empty()) {
            out.dropped.push((row.line, need[k].clone()));
            continue;
        }
        let at = |k: usize| {
            format!(
                "{file}, line {}, column '{}' (value '{}')",
                row.line,
                need[k],
                cell(k)
            )
        };
        let time = match parse_number(cell(0)) {
            Ok(t) if t >= 0.0 => t,
            Ok(_) => {
                errors.push(format!(
                    "{}: a time cannot be negative; fix the value or the time origin",
                    at(0)
                ));
                continue;
            }
            Err(fix) => {
                errors.push(format!("{}: not a number ({fix})", at(0)));
                continue;
            }
        };
        let e = cell(1);
        let Some(event) = coding.is_event(e) else {
            errors.push(format!(
                "{}: the event column must hold 1 (event) or 0 (censored); with other codes give the event's code with --event-code (any other value is then censored)",
                at(1),
            ));
            continue;
        };
        out.time.push(time);
        out.event.push(event);
        out.group
            .push(if cols.group.is_some() { cell(2) } else { "all" });
        if let Some(s) = out.strata.as_mut() {
            s.push(cell(2 + usize::from(cols.group.is_some())));
        }
        for (j, (_, v)) in out.covariates.iter_mut().enumerate() {
            v.push(cell(n_fixed + j).to_string());
        }
    }
    if out.time.is_empty() && errors.is_empty() {
        errors.push(format!(
            "{file}: no rows with every needed value (time, event{})",
            if need.len() > 2 { ", ..." } else { "" }
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With a code, the code is the event and anything else censored (R's
    /// `status == K`); without one, 1/0 and nothing else.
    #[test]
    fn an_event_code_censors_every_other_value() {
        let pbc = EventCoding::new(Some("2"));
        assert_eq!(pbc.is_event("2"), Some(true));
        assert_eq!(pbc.is_event("1"), Some(false), "transplant is censored");
        assert_eq!(pbc.is_event("0"), Some(false));
        let default = EventCoding::new(None);
        assert_eq!(default.is_event("1"), Some(true));
        assert_eq!(default.is_event("0"), Some(false));
        assert_eq!(default.is_event("2"), None, "an error, as before");
    }
}
