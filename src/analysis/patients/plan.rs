//! What `check` can tell about `km`, `cox` and `reconstruct` before they
//! run, found by the code their run uses (collecting the patients,
//! reconstructing the arms, choosing the reference, laying out the time
//! axis), so the two cannot disagree: sources that yield no patient, an
//! unknown `group`, a `reference` that names no group, time-axis options
//! the data leave no tick for, `total_events` of an arm not in the data —
//! and, as warnings at the option's line, settings that will not do what
//! they say (an `event_code` no case carries, a covariate no case has, an
//! `rmst` beyond the last follow-up, arms left out). `reconstruct`'s own
//! plan is `reconstruct/plan.rs`.

use std::collections::BTreeSet;

use crate::analysis::patients::compare::reference_group;
use crate::analysis::patients::pooled::{check_group, collect, Collected};
use crate::analysis::patients::{no_arms, Source};
use crate::analysis::plan::{self, Planned};
use crate::analysis::AnalysisError;
use crate::domain::{closest, Evidence, Reads};
use crate::present::format::num;
use crate::project::AnalysisSpec;

/// The options `km` and `cox` share that decide who enters.
pub(crate) struct PatientOptions<'o> {
    /// `group` (required by cox).
    pub group: Option<&'o str>,
    /// `sources` (as the kind reads them, defaults applied).
    pub sources: &'o [Source],
    /// `event_code`.
    pub event_code: Option<u32>,
    /// `reference`.
    pub reference: Option<&'o str>,
    /// Whether run refuses a `reference` that names no group (cox) or only
    /// reports the groups as not compared (km).
    pub reference_refused: bool,
}

/// The plan of `km` and `cox`: the common checks, then the patients as run
/// collects them; the collected patients when there are any to look at.
pub(crate) fn patients<'e>(
    spec: &AnalysisSpec,
    reads: Reads,
    o: &PatientOptions,
    evidence: &'e Evidence,
    data_ok: bool,
    p: &mut Planned,
) -> Option<Collected<'e>> {
    plan::common(spec, reads, evidence, data_ok, p);
    if let Some(Err((m, fix))) = o.group.map(|g| check_group(g, o.sources)) {
        p.error(spec, spec.option_line("group"), m, fix);
    }
    if !data_ok || !p.errors.is_empty() {
        return None;
    }
    let c = match collect(spec, evidence, o.group, o.sources, o.event_code) {
        Ok(c) => c,
        Err(AnalysisError::Spec(e)) => {
            let line = if spec.has_option("sources") {
                spec.option_line("sources")
            } else {
                e.line
            };
            p.errors.push(crate::project::ProjectError { line, ..e });
            return None;
        }
        Err(_) => return None,
    };
    sources(spec, o, &c, p);
    if o.sources.contains(&Source::Cases) {
        event_code(spec, o.event_code, &c, p);
        covariate(spec, o.group, &c, p);
    }
    reference(spec, o, &c, p);
    Some(c)
}

/// An error when the sources yield no patient row at all; warnings for
/// arms left out, a source that adds nobody and cases none of which enters.
fn sources(spec: &AnalysisSpec, o: &PatientOptions, c: &Collected, p: &mut Planned) {
    let line = spec.option_line("sources");
    let cases = o.sources.contains(&Source::Cases);
    if o.sources.contains(&Source::Reconstructed) && c.reconstructed_arms == 0 {
        let (m, fix) = no_arms(&c.reasons_extra);
        if !cases || c.rows.is_empty() {
            p.error(spec, line, m, fix);
            return;
        }
        p.warn(spec, line, format!("{m}: only case reports enter"), fix);
    } else {
        for why in &c.reasons_extra {
            p.warn(
                spec,
                line,
                format!("arm {why}; it is left out"),
                String::new(),
            );
        }
    }
    // Cox refuses a model without patients (an error of its own, below).
    let refused = o.reference_refused && c.pooled.rows.is_empty();
    if cases && !c.rows.is_empty() && c.entered.is_empty() && !refused {
        p.warn(
            spec,
            line,
            format!(
                "none of the {} selected cases has a follow-up time and a known vital status, so no case enters",
                c.rows.len()
            ),
            "report follow_up and status (or event) in data/cases".into(),
        );
    }
}

/// A warning when `event_code` is a code no selected case carries (every
/// case would be censored).
fn event_code(spec: &AnalysisSpec, code: Option<u32>, c: &Collected, p: &mut Planned) {
    let Some(k) = code else { return };
    let codes: BTreeSet<u32> = c.rows.iter().filter_map(|r| r.event_code).collect();
    if c.rows.is_empty() || codes.contains(&k) {
        return;
    }
    let present = if codes.is_empty() {
        "no selected case has a numeric event column".to_string()
    } else {
        format!(
            "the selected cases carry {}",
            codes
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    p.warn(
        spec,
        spec.option_line("event_code"),
        format!("options.event_code = {k}: no selected case has event {k} ({present}), so every case is censored or read by its vital status"),
        "set event_code to the code of the event in data/cases".into(),
    );
}

/// A warning when `group = "cov_<name>"` names a covariate no selected case
/// has (every case would be "not stated"), with the closest covariate.
fn covariate(spec: &AnalysisSpec, group: Option<&str>, c: &Collected, p: &mut Planned) {
    let Some(name) = group.and_then(|g| g.strip_prefix("cov_")) else {
        return;
    };
    if c.rows.is_empty() || c.rows.iter().any(|r| r.covariates.contains_key(name)) {
        return;
    }
    let names: BTreeSet<&str> = c
        .rows
        .iter()
        .flat_map(|r| r.covariates.keys().map(String::as_str))
        .collect();
    let fix = match closest(name, names.iter().copied()) {
        Some(n) => format!("did you mean 'cov_{n}'?"),
        None if names.is_empty() => "the cases have no cov_ columns".into(),
        None => format!(
            "covariates: {}",
            names
                .iter()
                .map(|n| format!("cov_{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    p.warn(
        spec,
        spec.option_line("group"),
        format!("options.group: no selected case has a column cov_{name}, so every case is in group 'not stated'"),
        fix,
    );
}

/// The reference group as run chooses it: for cox, whose run refuses
/// when there is none (no patient enters, or `reference` names no group),
/// an error; for km, whose run then leaves the groups uncompared, a
/// warning when `reference` names no group (ignored without a group).
fn reference(spec: &AnalysisSpec, o: &PatientOptions, c: &Collected, p: &mut Planned) {
    if o.group.is_none() {
        p.ignored(spec, "reference", "there is no group option, so one curve");
        return;
    }
    if o.reference_refused && c.pooled.rows.is_empty() {
        p.error(
            spec,
            spec.line,
            "no patient enters the model: no selected case has a follow-up time and a known vital status, and no digitised arm is reconstructed".into(),
            "report follow_up and status (or event) in data/cases, or add sources".into(),
        );
        return;
    }
    let Some(r) = o.reference else { return };
    if c.pooled.rows.is_empty() {
        return;
    }
    let groups = || c.pooled.rows.iter().map(|p| p.group.as_str());
    if let Err(m) = reference_group(groups(), Some(r)) {
        let fix = match closest(r, groups()) {
            Some(g) => format!("did you mean '{g}'?"),
            None => "name one of the groups".into(),
        };
        let line = spec.option_line("reference");
        if o.reference_refused {
            p.error(spec, line, m, fix);
        } else {
            p.warn(spec, line, format!("{m}; the groups are not compared"), fix);
        }
    }
}

/// A warning when the RMST horizon lies beyond the last follow-up.
pub(crate) fn rmst(spec: &AnalysisSpec, rmst: Option<f64>, last: f64, p: &mut Planned) {
    if let Some(h) = rmst.filter(|h| *h > last && last > 0.0) {
        p.warn(
            spec,
            spec.option_line("rmst"),
            format!(
                "options.rmst = {} months is beyond the last follow-up ({} months): the curve is extrapolated flat to it",
                num(h, 2),
                num(last, 2)
            ),
            "choose a horizon within the follow-up".into(),
        );
    }
}
