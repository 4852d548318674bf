//! What `check` can tell about a `pool` analysis before it runs: a measure
//! the kind cannot pool from evidence figures, a measure that cannot use
//! any selected statistic (PLO on hazard ratios), forest options that do
//! not parse, and options the chosen settings ignore.

use crate::analysis::plan::{self, Planned};
use crate::analysis::Kind;
use crate::domain::{Evidence, Figure};
use crate::project::AnalysisSpec;
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::from_evidence;

use super::options::PoolOptions;
use super::Pool;

/// The measures that pool evidence-table figures.
const FIGURE_MEASURES: &str = "HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED";

pub(super) fn plan(
    spec: &AnalysisSpec,
    o: &PoolOptions,
    evidence: &Evidence,
    data_ok: bool,
    p: &mut Planned,
) {
    plan::common(spec, Pool::READS, evidence, data_ok, p);
    let measure_line = spec.option_line("measure");
    if matches!(o.measure, Measure::GEN | Measure::DOM | Measure::ROM) {
        p.error(
            spec,
            measure_line,
            format!("options.measure: {} pools a table of study effects (survlit pool FILE), not evidence-table figures", o.measure),
            format!("use {FIGURE_MEASURES}"),
        );
        return;
    }
    if let Err(m) = o.look() {
        let key = m
            .trim_start_matches("options.")
            .split(':')
            .next()
            .unwrap_or("");
        p.error(
            spec,
            spec.option_line(key),
            m.clone(),
            "see the pool options in the README".into(),
        );
    }
    if let Err(m) = crate::workflow::pool::funnel::funnel_null(o.measure, o.funnel_null) {
        p.error(
            spec,
            spec.option_line("funnel_null"),
            format!("options.funnel_null: {m}"),
            "leave funnel_null out for proportions and medians".into(),
        );
    }
    if o.subgroup.is_none() {
        p.ignored(spec, "subgroup_tau2", "there is no subgroup option");
    }
    if !o.sensitivity() {
        p.ignored(
            spec,
            "small_study_min_k",
            "leave_one_out = false turns the sensitivity and small-study analyses off",
        );
    }
    if data_ok && p.errors.is_empty() {
        measure_fits(spec, o.measure, evidence, measure_line, p);
    }
}

/// An error when the measure can use none of the selected figures' statistics.
fn measure_fits(
    spec: &AnalysisSpec,
    measure: Measure,
    evidence: &Evidence,
    line: usize,
    p: &mut Planned,
) {
    let rows: Vec<&Figure> = evidence
        .figures
        .iter()
        .filter(|f| spec.select.matches_figure(f))
        .collect();
    if rows.is_empty() {
        return;
    }
    let (entered, excluded) = from_evidence::effects(&rows, measure, false);
    if !entered.is_empty()
        || !excluded
            .iter()
            .all(|(_, why)| why.starts_with("statistic "))
    {
        return;
    }
    let mut statistics: Vec<String> = rows.iter().map(|f| f.statistic.to_string()).collect();
    statistics.sort_unstable();
    statistics.dedup();
    let wanted = match measure {
        Measure::HR => "hazard ratios (measure HR)",
        Measure::MED => "medians (measure MED)",
        _ => "proportions (measures PR, PLO, PLN, PAS, PFT, CLOGLOG)",
    };
    p.error(
        spec,
        line,
        format!(
            "options.measure = \"{measure}\" cannot use any of the {} selected figures ({}): it pools {wanted}",
            rows.len(),
            statistics.join(", ")
        ),
        "choose the measure of the selected statistic (HR for hazard ratios, PLO/PR/... for proportions, MED for medians), or select other figures".into(),
    );
}
