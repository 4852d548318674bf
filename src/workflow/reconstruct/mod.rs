//! Digitised curves + printed numbers at risk → reconstructed patient rows
//! per arm (Guyot 2012, [`crate::stats::survival::reconstruct`]), with the
//! cleaning notes and QA of each arm, and the `arm,time,event` table.

pub mod curves;

use crate::stats::survival::cox::Ties;
use crate::stats::survival::digitised::clean_curve;
use crate::stats::survival::km::{kaplan_meier, ConfType};
use crate::stats::survival::reconstruct::{reconstruct, Reconstruction};
use crate::workflow::design::Labels;
use crate::workflow::survival::patients::Patients;
use crate::workflow::survival::{cox_model, summarise, summarise_cox, CoxTerm, CurveSummary};

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
    /// The cleaned digitised points (time, S).
    pub points: Vec<(f64, f64)>,
}

/// The Kaplan–Meier curve (log CI, 95%) of each arm's reconstructed
/// patients, for the figure of the reconstruction.
pub fn arm_curves(arms: &[Arm]) -> Result<Vec<CurveSummary>, String> {
    let fits = arms
        .iter()
        .map(|a| {
            let (t, e): (Vec<f64>, Vec<bool>) =
                a.result.patients.iter().map(|p| (p.time, p.event)).unzip();
            kaplan_meier(&t, &e, ConfType::Log, 0.95)
                .map(|f| (a.name.clone(), f))
                .map_err(|err| format!("arm '{}': {err}", a.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(summarise(fits, &[], None))
}

/// The Cox hazard ratios (Efron ties) of the arms against a reference arm.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmHazardRatios {
    /// The reference arm.
    pub reference: String,
    /// Chosen by the user (else the first arm).
    pub chosen: bool,
    /// One term per other arm, named by the arm.
    pub terms: Vec<CoxTerm>,
}

/// One Cox model of the reconstructed patients by arm, coded against
/// `reference` (else the first arm), as R's `coxph(Surv(time, event) ~
/// relevel(arm, ref))`; `None` for a single arm.
pub fn arm_hazard_ratios(
    arms: &[Arm],
    reference: Option<&str>,
) -> Result<Option<ArmHazardRatios>, String> {
    if arms.len() < 2 {
        return Ok(None);
    }
    let chosen = match reference {
        None => None,
        Some(r) => Some(
            arms.iter()
                .find(|a| a.name.eq_ignore_ascii_case(r.trim()))
                .ok_or_else(|| {
                    format!(
                        "--reference {r}: no such arm (arms: {})",
                        arms.iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?,
        ),
    };
    let reference = chosen.unwrap_or(&arms[0]).name.clone();
    let mut p = Patients {
        time: Vec::new(),
        event: Vec::new(),
        group: Labels::default(),
        strata: None,
        covariates: vec![("arm".into(), Vec::new())],
        dropped: Vec::new(),
    };
    for a in arms {
        for pt in &a.result.patients {
            p.time.push(pt.time);
            p.event.push(pt.event);
            p.group.push(&a.name);
            p.covariates[0].1.push(a.name.clone());
        }
    }
    let (names, fit) = cox_model(&p, Ties::Efron, Some(&format!("arm={reference}")))?;
    let mut summary = summarise_cox(names, fit, 0.95, Vec::new());
    for t in &mut summary.terms {
        t.term = t.term.trim_start_matches("arm").to_string();
    }
    Ok(Some(ArmHazardRatios {
        reference,
        chosen: chosen.is_some(),
        terms: summary.terms,
    }))
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
        let points: Vec<(f64, f64)> = t.iter().copied().zip(s.iter().copied()).collect();
        match reconstruct(&t, &s, &risk, events) {
            Ok(result) => out.push(Arm {
                points,
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
