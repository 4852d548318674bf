//! `km`: Kaplan–Meier analysis of the selected case-report and/or
//! reconstructed patients — who enters (follow-up and vital status known)
//! and why others do not, the curve(s) with CI and the number-at-risk table
//! on the time axis the options ask for, median (or "not reached"),
//! survival at chosen times, the comparison against the reference group,
//! and the caveats (a case series: small n, mixed time origins, selective
//! reporting; reconstructed times).

use crate::analysis::{Kind, OutputFile};
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::{Case, Evidence};
use crate::export::{escape_markdown, markdown_table};
use crate::plot::{render_km_svg, KmPlot};
use crate::project::AnalysisSpec;
use crate::stats::survival::km::ConfType;

use crate::analysis::patients::compare::compare_groups;
use crate::analysis::patients::km_text::{axis_title, caveats, default_title};
use crate::analysis::patients::plan::{self, PatientOptions};
use crate::analysis::patients::pooled::{collect, Collected, Pooled};
use crate::analysis::patients::tables::{patient_table, steps_table};
use crate::analysis::patients::{
    increasing_times, left_out_section, positive_time, study_source, time_axis, time_options,
    time_unit, Source, TimeOptions, DEFAULT_SOURCES,
};
use crate::analysis::plan::Planned;
use crate::analysis::{figure_files, title, AnalysisError, AnalysisOutput, Methods, Ref};
use crate::domain::Unit;
use crate::present::columns;
use crate::present::km::{km_figure, months_or_not_reached, summary_header, summary_row, TimeAxis};
use crate::workflow::survival::{km_curves, summarise, CurveSummary};

/// Options of `km`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// Case column defining curves: "treatment", "sex", "follow_up_origin" or a
    /// covariate ("cov_<name>"); one curve when absent.
    group: Option<String>,
    /// log (default), log-log or plain.
    conf_type: Option<ConfType>,
    /// Times (months) at which to report S(t); default 12, 24, 60.
    times: Option<Vec<f64>>,
    /// RMST horizon in months.
    rmst: Option<f64>,
    /// Fewest patients for which a curve is drawn (default 2).
    min_n: Option<usize>,
    /// Where patients come from: "cases" (default) and/or "reconstructed"
    /// (every selected digitised arm, rebuilt as the `reconstruct` kind does).
    sources: Option<Vec<Source>>,
    /// Censored and events rows under the numbers at risk (KMunicate; default true).
    kmunicate: Option<bool>,
    /// The group the Cox hazard ratios are against (default: the first
    /// group in the data).
    reference: Option<String>,
    /// Ticks of the figure's time axis, in `time_unit` (default automatic).
    #[serde(default, deserialize_with = "increasing_times")]
    time_breaks: Option<Vec<f64>>,
    /// Where the time axis ends, in `time_unit` (default the last follow-up).
    #[serde(default, deserialize_with = "positive_time")]
    time_max: Option<f64>,
    /// Title of the time axis (default from the data: "Time from surgery (months)").
    time_label: Option<String>,
    /// Unit the figure shows times in: days, weeks, months (default) or years.
    #[serde(default, deserialize_with = "time_unit")]
    time_unit: Option<Unit>,
    /// The value of the cases' `event` column that means an event (any
    /// other value censored); default 1 = event, 0 = censored.
    event_code: Option<u32>,
}

impl Options {
    /// The CI transform (log, R's default, unless set).
    fn conf(&self) -> ConfType {
        self.conf_type.unwrap_or(ConfType::Log)
    }

    /// The times of S(t) (12, 24 and 60 months unless set).
    fn times(&self) -> Vec<f64> {
        self.times.clone().unwrap_or_else(|| vec![12.0, 24.0, 60.0])
    }

    /// Fewest patients for which a curve is estimated (2 unless set).
    fn min_n(&self) -> usize {
        self.min_n.unwrap_or(2)
    }

    /// Where the patients come from (case reports by default).
    fn sources(&self) -> &[Source] {
        self.sources.as_deref().unwrap_or(DEFAULT_SOURCES)
    }

    /// Whether the figure counts censored patients and events under the
    /// numbers at risk (yes unless set).
    fn kmunicate(&self) -> bool {
        self.kmunicate.unwrap_or(true)
    }

    /// The time-axis options.
    fn time(&self) -> TimeOptions {
        TimeOptions {
            time_breaks: self.time_breaks.clone(),
            time_max: self.time_max,
            time_label: self.time_label.clone(),
            time_unit: self.time_unit,
        }
    }

    /// The figure's time axis; its title, unless set, from the data.
    fn axis(&self, c: &Collected) -> TimeAxis {
        let mut axis = time_axis(&self.time());
        if axis.label.is_none() {
            axis.label = Some(axis_title(c, &axis.unit));
        }
        axis
    }
}

/// Kaplan–Meier curves of case-report and reconstructed patients.
pub(crate) struct Km;

impl Kind for Km {
    type Options = Options;
    const READS: Reads = Reads::CASES.and_digitised();

    fn plan(spec: &AnalysisSpec, o: &Options, evidence: &Evidence, data_ok: bool, p: &mut Planned) {
        let who = PatientOptions {
            group: o.group.as_deref(),
            sources: o.sources(),
            event_code: o.event_code,
            reference: o.reference.as_deref(),
            reference_refused: false,
        };
        if let Some(c) = plan::patients(spec, Self::READS, &who, evidence, data_ok, p) {
            let last = c.pooled.rows.iter().map(|r| r.time).fold(0.0, f64::max);
            plan::rmst(spec, o.rmst, last, p);
            time_options(spec, &o.time(), last, p);
        }
    }

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let heading = title(spec, default_title(o.sources()));
        let c = collect(
            spec,
            evidence,
            o.group.as_deref(),
            o.sources(),
            o.event_code,
        )?;
        let source = |case: &Case| study_source(evidence, &case.study_id);
        let left_out = c.left_out_list(&|case| {
            let label = source(case).short_label(&case.study_id);
            format!(
                "{} ({})",
                escape_markdown(&case.case_id),
                escape_markdown(&label)
            )
        });
        let patients = c.pooled.patients(false, None);
        let table = patient_table(
            &c.rows,
            &c.entered,
            &c.groups,
            &c.reasons,
            &source,
            &|case| c.event(case),
        );
        let mut files = vec![OutputFile::csv(spec, "patients.csv", &table)?];
        let studies = columns::study_ids(
            c.rows
                .iter()
                .map(|case| case.study_id.as_str())
                .chain(c.pooled.rows.iter().map(|p| p.study.as_str())),
        );
        if patients.time.len() < o.min_n() {
            return Ok(AnalysisOutput {
                name: spec.name.clone(),
                kind: spec.kind,
                title: heading,
                files,
                summary: format!("not estimated (n = {})", patients.time.len()),
                report: not_estimated_report(spec, &c, &left_out, o.min_n()),
                studies,
                methods: not_estimated_methods(o.min_n()),
            });
        }
        let curves = km_curves(&patients, o.conf(), 0.95)
            .map_err(|e| spec.error(e, "check the selected cases".into()))?;
        let mut curves = summarise(curves, &o.times(), o.rmst);
        // In the order the data name the groups, as the reference is chosen.
        let first = |label: &str| c.pooled.rows.iter().position(|p| p.group == label);
        curves.sort_by_key(|curve| first(&curve.label));
        let comparison = comparison_paragraph(&curves, &c.pooled, o.reference.as_deref());
        if c.reconstructed_arms > 0 {
            let pooled = c.pooled.table(evidence);
            files.push(OutputFile::csv(spec, "pooled_patients.csv", &pooled)?);
        }
        files.push(OutputFile::csv(spec, "km.csv", &steps_table(&curves))?);
        let axis = o.axis(&c);
        let plot = km_plot(&heading, &curves, &c, o.conf(), o.kmunicate(), &axis)
            .map_err(|e| spec.error(format!("options.{e}"), "fix the time-axis options".into()))?;
        files.extend(figure_files(spec, "km", render_km_svg(&plot))?);
        let caveats = caveats(&c, &patients);
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            report: report(
                spec,
                &heading,
                &curves,
                &o,
                &comparison,
                &caveats,
                (&left_out, c.reconstructed_arms > 0),
            ),
            title: heading,
            files,
            summary: summary(&curves),
            studies,
            methods: methods_paragraph(o.conf(), !comparison.is_empty()).warn(c.unread_codes()),
        })
    }
}

/// The report when fewer than `min_n` patients enter: how many did, of how
/// many, and who was left out.
fn not_estimated_report(
    spec: &AnalysisSpec,
    c: &Collected,
    left_out: &str,
    min_n: usize,
) -> String {
    format!(
        "**Not estimated**: {} of {} selected patients have a follow-up time and a known vital status (fewer than {min_n}).\n\n{}[patients.csv]({}/patients.csv)\n",
        c.entered.len(),
        c.rows.len(),
        left_out_section(left_out),
        spec.name
    )
}

/// The methods when no curve was estimated.
fn not_estimated_methods(min_n: usize) -> Methods {
    Methods::new(
        format!(
            "Kaplan–Meier estimation needs at least {min_n} patients with a follow-up time and a known vital status; none was estimated. {}",
            crate::present::methods::software("")
        ),
        &[],
    )
}

/// The comparison of several curves, stratified by study, or why the groups
/// were not compared; nothing for one curve.
fn comparison_paragraph(
    curves: &[CurveSummary],
    pooled: &Pooled,
    reference: Option<&str>,
) -> String {
    if curves.len() < 2 {
        return String::new();
    }
    match compare_groups(pooled, reference) {
        Ok(c) => format!("{c}\n\n"),
        Err(e) => format!("Groups not compared: {e}.\n\n"),
    }
}

/// The figure: every curve with its band, censor marks, median and the
/// numbers at risk (with the KMunicate rows when asked) on `axis`.
fn km_plot(
    heading: &str,
    curves: &[CurveSummary],
    c: &Collected,
    conf: ConfType,
    kmunicate: bool,
    axis: &TimeAxis,
) -> Result<KmPlot, String> {
    let n = c.pooled.rows.len();
    let list = if c.reconstructed_arms > 0 {
        "pooled_patients.csv"
    } else {
        "patients.csv"
    };
    let base = KmPlot {
        title: heading.to_string(),
        subtitle: Some(format!(
            "Kaplan–Meier estimate with 95% CI ({conf}); ticks mark censored patients; dashed: median where reached"
        )),
        x_label: String::new(),
        curves: Vec::new(),
        ticks: Vec::new(),
        x_max: 0.0,
        kmunicate,
        width_mm: crate::plot::DOUBLE_COLUMN_MM,
        footnote: Some(format!(
            "n = {n}; see {list} for who entered{}.",
            if c.entered.is_empty() { "" } else { " and from which origin" }
        )),
    };
    km_figure(curves, axis, base)
}

/// The report section: the figure, the table of curves, the comparison, the
/// caveats, who was left out and the links (`pooled`: with the list of
/// pooled patients).
fn report(
    spec: &AnalysisSpec,
    heading: &str,
    curves: &[CurveSummary],
    o: &Options,
    comparison: &str,
    caveats: &[String],
    (left_out, pooled): (&str, bool),
) -> String {
    let header = summary_header(&o.times(), o.rmst);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = curves.iter().map(summary_row).collect();
    format!(
        "![{alt}]({name}/km.png)\n\n{}\n{}\n\n{comparison}{}\n\n{}[patients.csv]({name}/patients.csv) · {}[km.csv]({name}/km.csv) · [SVG]({name}/km.svg)\n",
        markdown_table(&header, &rows),
        "S(t) in percent.",
        caveats.iter().map(|c| escape_markdown(c)).collect::<Vec<_>>().join(" "),
        left_out_section(left_out),
        if pooled {
            format!("[pooled_patients.csv]({}/pooled_patients.csv) · ", spec.name)
        } else {
            String::new()
        },
        alt = escape_markdown(heading),
        name = spec.name
    )
}

/// The terminal line: each curve's n and median.
fn summary(curves: &[CurveSummary]) -> String {
    curves
        .iter()
        .map(|c| {
            format!(
                "{}: n = {}, median {}",
                c.label,
                c.fit.n,
                months_or_not_reached(c.median.estimate)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The methods paragraph: the estimator, its CI transform, the median's
/// rule, the figure, and the log-rank test when groups were compared.
fn methods_paragraph(conf: ConfType, compared: bool) -> Methods {
    Methods::new(
        format!(
            "Survival of the patient rows was estimated by the Kaplan–Meier method with Greenwood's variance and {conf}-transformed pointwise 95% CIs; the median and its CI follow R's survfit (Brookmeyer–Crowley inversion; \"not reached\" when the curve or bound stays above 0.5). The figure marks censoring times, draws the median where it is reached, and tabulates the numbers at risk, censored and with events under the time axis (KMunicate style).{} {}",
            if compared { " Groups were compared with the log-rank test." } else { "" },
            crate::present::methods::software("R survival 3.5 (survfit, survdiff)")
        ),
        &[
            Ref::KaplanMeier1958,
            Ref::Greenwood1926,
            Ref::BrookmeyerCrowley1982,
            Ref::Morris2019,
            Ref::TherneauSurvival,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Time-axis options are checked as they are read: a unit that is not
    /// one of time, breaks out of order and a non-positive end are errors
    /// naming the option.
    #[test]
    fn time_axis_options_are_checked_when_read() {
        let o: Options = toml::from_str(
            "time_breaks = [0, 1, 2]\ntime_max = 2.5\ntime_unit = \"years\"\ntime_label = \"Years\"",
        )
        .unwrap();
        assert_eq!(o.time_unit, Some(Unit::Years));
        let err = |t: &str| toml::from_str::<Options>(t).unwrap_err().to_string();
        assert!(
            err("time_unit = \"percent\"").contains("time_unit 'percent' is not a unit of time")
        );
        assert!(err("time_unit = \"fortnights\"").contains("unknown unit 'fortnights'"));
        assert!(err("time_breaks = [0, 24, 12]").contains("must be increasing"));
        assert!(err("time_max = 0").contains("time_max 0 must be a positive number"));
        assert!(err("event_code = \"two\"").contains("event_code"));
    }
}
