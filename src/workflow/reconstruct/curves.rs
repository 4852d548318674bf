//! Digitised curves and printed numbers at risk, as reviewers have them:
//! a plain `time,surv` CSV (any of time/t/x and surv/survival/s/y as
//! headers), a headerless two-column export, or WebPlotDigitizer's CSV
//! export with several datasets side by side (a row of dataset names over
//! a row of X,Y). Numbers at risk: `time` and `n_risk` (or `at_risk`, `n`).

use crate::ingest::RawTable;
use crate::validate::parse_number;

/// Points of one curve: (time, surv) as digitised, before cleaning.
pub type Points = Vec<(f64, f64)>;

fn is_number(s: &str) -> bool {
    parse_number(s).is_ok()
}

/// The curves in a digitiser table, by name ("curve" for a single one).
pub fn read_curves(table: &RawTable) -> Result<Vec<(String, Points)>, Vec<String>> {
    let file = &table.source.display;
    let number = |line: usize, col: usize, text: &str| -> Result<f64, String> {
        parse_number(text).map_err(|fix| {
            format!(
                "{file}, line {line}, column {} (value '{text}'): not a number ({fix})",
                col + 1
            )
        })
    };
    let mut errors = Vec::new();
    // Headerless: the "header" is itself a data row.
    if table.header.len() >= 2 && table.header.iter().take(2).all(|h| is_number(h)) {
        let mut pts = Vec::new();
        let first = (table.header[0].clone(), table.header[1].clone(), 1usize);
        let rows = std::iter::once(first).chain(table.rows.iter().map(|r| {
            (
                table.cells(r).first().unwrap_or_default().to_string(),
                table.cells(r).get(1).unwrap_or_default().to_string(),
                r.line,
            )
        }));
        for (a, b, line) in rows {
            match (number(line, 0, &a), number(line, 1, &b)) {
                (Ok(t), Ok(s)) => pts.push((t, s)),
                (Err(e), _) | (_, Err(e)) => errors.push(e),
            }
        }
        return if errors.is_empty() {
            Ok(vec![("curve".into(), pts)])
        } else {
            Err(errors)
        };
    }
    // WebPlotDigitizer's multi-dataset export: names over X,Y pairs.
    if let Some(second) = table.rows.first().map(|r| table.cells(r)) {
        let xy = second
            .iter()
            .step_by(2)
            .all(|c| c.eq_ignore_ascii_case("x"))
            && second
                .iter()
                .skip(1)
                .step_by(2)
                .all(|c| c.eq_ignore_ascii_case("y") || c.is_empty());
        if xy && second.first().is_some_and(|c| c.eq_ignore_ascii_case("x")) {
            let mut curves = Vec::new();
            for j in (0..table.header.len()).step_by(2) {
                let name = if table.header[j].is_empty() {
                    format!("dataset {}", j / 2 + 1)
                } else {
                    table.header[j].clone()
                };
                let mut pts = Vec::new();
                for r in table.rows.iter().skip(1) {
                    let (a, b) = (
                        table.cells(r).get(j).unwrap_or(""),
                        table.cells(r).get(j + 1).unwrap_or(""),
                    );
                    if a.is_empty() && b.is_empty() {
                        continue;
                    }
                    match (number(r.line, j, a), number(r.line, j + 1, b)) {
                        (Ok(t), Ok(s)) => pts.push((t, s)),
                        (Err(e), _) | (_, Err(e)) => errors.push(e),
                    }
                }
                curves.push((name, pts));
            }
            return if errors.is_empty() {
                Ok(curves)
            } else {
                Err(errors)
            };
        }
    }
    // Headed two-column CSV.
    let find = |names: &[&str]| names.iter().find_map(|n| table.column(n));
    let (Some(tc), Some(sc)) = (
        find(&["time", "t", "x"]),
        find(&["surv", "survival", "s", "y", "prob"]),
    ) else {
        return Err(vec![format!(
            "{file}: expected columns time,surv (or t/x and survival/s/y), a headerless two-column file, or a WebPlotDigitizer export; found {}",
            table.header.join(", ")
        )]);
    };
    let arm = table.column("arm");
    let mut curves: Vec<(String, Points)> = Vec::new();
    for r in &table.rows {
        let cells = table.cells(r);
        let cell = |c: usize| cells.get(c).unwrap_or("");
        let name = arm.map_or_else(|| "curve".to_string(), |a| cell(a).to_string());
        match (number(r.line, tc, cell(tc)), number(r.line, sc, cell(sc))) {
            (Ok(t), Ok(s)) => match curves.iter_mut().find(|(n, _)| *n == name) {
                Some((_, p)) => p.push((t, s)),
                None => curves.push((name, vec![(t, s)])),
            },
            (Err(e), _) | (_, Err(e)) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(curves)
    } else {
        Err(errors)
    }
}

/// Printed numbers at risk: (time, n), by arm when an `arm` column exists.
pub fn read_at_risk(table: &RawTable) -> Result<Vec<(String, Vec<(f64, usize)>)>, Vec<String>> {
    let file = &table.source.display;
    let find = |names: &[&str]| names.iter().find_map(|n| table.column(n));
    let (Some(tc), Some(nc)) = (
        find(&["time", "t"]),
        find(&["n_risk", "at_risk", "nrisk", "n"]),
    ) else {
        return Err(vec![format!(
            "{file}: expected columns time and n_risk (or at_risk, n); found {}",
            table.header.join(", ")
        )]);
    };
    let arm = table.column("arm");
    let mut out: Vec<(String, Vec<(f64, usize)>)> = Vec::new();
    let mut errors = Vec::new();
    for r in &table.rows {
        let cells = table.cells(r);
        let cell = |c: usize| cells.get(c).unwrap_or("");
        let name = arm.map_or_else(|| "curve".to_string(), |a| cell(a).to_string());
        let t = parse_number(cell(tc));
        let n = parse_number(cell(nc));
        match (t, n) {
            (Ok(t), Ok(n)) if t >= 0.0 && n >= 0.0 && n.fract() == 0.0 => {
                let list = match out.iter_mut().find(|(a, _)| *a == name) {
                    Some((_, l)) => l,
                    None => {
                        out.push((name, Vec::new()));
                        &mut out.last_mut().expect("just pushed").1
                    }
                };
                if let Some(&(pt, pn)) = list.last() {
                    if t <= pt {
                        errors.push(format!("{file}, line {}: time {t} is not after {pt}; list at-risk times in increasing order", r.line));
                    } else if n as usize > pn {
                        errors.push(format!("{file}, line {}: {n} at risk at {t} is more than the {pn} at {pt}; numbers at risk cannot rise", r.line));
                    }
                }
                list.push((t, n as usize));
            }
            _ => errors.push(format!(
                "{file}, line {}: time '{}' and n_risk '{}' must be a time >= 0 and a whole number >= 0",
                r.line,
                cell(tc),
                cell(nc)
            )),
        }
    }
    for (a, l) in &out {
        if l.first().is_some_and(|p| p.0 > 0.0) {
            errors.push(format!("{file}: arm '{a}' has no number at risk at time 0 (the number of patients); add it"));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
