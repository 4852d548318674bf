//! Digitised curves + printed numbers at risk → reconstructed patient rows
//! per arm (Guyot 2012, [`crate::stats::survival::reconstruct`]), with the
//! cleaning notes and QA of each arm, and the `arm,time,event` table.

pub mod curves;

use crate::stats::survival::digitised::clean_curve;
use crate::stats::survival::reconstruct::{reconstruct, Reconstruction};

use crate::workflow::reconstruct::curves::Points;

/// One reconstructed arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// Arm name.
    pub name: String,
    /// The reconstruction.
    pub result: Reconstruction,
    /// What cleaning the digitised points changed.
    pub cleaning: Vec<String>,
}

/// Pairs curves with at-risk lists by arm name (a lone curve with a lone
/// list pair up whatever their names; `only` picks one arm) and reconstructs.
pub fn reconstruct_arms(
    curves: Vec<(String, Points)>,
    risks: Vec<(String, Vec<(f64, usize)>)>,
    events: Option<usize>,
    only: Option<&str>,
) -> Result<Vec<Arm>, Vec<String>> {
    let single = curves.len() == 1 && risks.len() == 1;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let wanted: Vec<(String, Points)> = curves
        .into_iter()
        .filter(|(n, _)| only.map_or(true, |w| single || w.eq_ignore_ascii_case(n)))
        .collect();
    if wanted.is_empty() {
        return Err(vec![format!("no curve named '{}'", only.unwrap_or(""))]);
    }
    if events.is_some() && wanted.len() > 1 {
        return Err(vec![
            "--events applies to one arm: pick it with --arm".into()
        ]);
    }
    for (name, pts) in wanted {
        // Names match whatever their case (a spreadsheet header is read
        // lower-cased); the at-risk file's spelling is kept.
        let found = if single {
            risks.first()
        } else {
            risks.iter().find(|(a, _)| a.eq_ignore_ascii_case(&name))
        };
        let Some((risk_name, risk)) = found.cloned() else {
            errors.push(format!("curve '{name}' has no numbers at risk (an at-risk row for arm '{name}' at time 0 at least)"));
            continue;
        };
        let (t, s, cleaning) = clean_curve(&pts);
        match reconstruct(&t, &s, &risk, events) {
            Ok(result) => out.push(Arm {
                name: match (only, single) {
                    (Some(w), _) => w.to_string(),
                    (None, true) if risk_name == "curve" => name,
                    _ => risk_name,
                },
                result,
                cleaning,
            }),
            Err(e) => errors.push(format!("curve '{name}': {e}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
