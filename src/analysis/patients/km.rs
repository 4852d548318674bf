//! `km`: Kaplan–Meier analysis of the selected case-report patients — who
//! enters (follow-up and vital status known) and why others do not, the
//! curve(s) with CI and the number-at-risk table, median (or "not
//! reached"), survival at chosen times, and the caveats a case series
//! carries (small n, mixed time origins, selective reporting).

use crate::analysis::Kind;
use crate::domain::Reads;
use serde::Deserialize;

use crate::domain::{Case, Evidence, StudySource};
use crate::export::{escape_markdown, markdown_table, to_csv};
use crate::plot::{render_km_svg, time_ticks, KmPlot};
use crate::project::AnalysisSpec;
use crate::stats::survival::km::ConfType;

use crate::analysis::patients::pooled::{collect, compare_groups, Collected};
use crate::analysis::patients::tables::{patient_table, steps_table};
use crate::analysis::{export_err, figure_files, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;
use crate::present::format::num;
use crate::present::km::plot_curve;
use crate::workflow::survival::patients::Patients;
use crate::workflow::survival::{km_curves, summarise};

/// Options of `km`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// Case column defining curves: "treatment", "sex", "follow_up_origin" or a
    /// covariate ("cov_<name>"); one curve when absent.
    group: Option<String>,
    /// log (default), log-log or plain.
    conf_type: Option<String>,
    /// Times (months) at which to report S(t); default 12, 24, 60.
    times: Option<Vec<f64>>,
    /// RMST horizon in months.
    rmst: Option<f64>,
    /// Fewest patients for which a curve is drawn (default 2).
    min_n: Option<usize>,
    /// Where patients come from: "cases" (default) and/or "reconstructed"
    /// (every selected digitised arm, rebuilt as the `reconstruct` kind does).
    sources: Option<Vec<String>>,
    /// Censored and events rows under the numbers at risk (KMunicate; default true).
    kmunicate: Option<bool>,
}

/// Kaplan–Meier curves of case-report and reconstructed patients.
pub(crate) struct Km;

impl Kind for Km {
    type Options = Options;
    const READS: Reads = Reads::CASES.and_digitised();

    fn run(
        spec: &AnalysisSpec,
        o: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
        let conf: ConfType =
            o.conf_type
                .as_deref()
                .unwrap_or("log")
                .parse()
                .map_err(|e: String| {
                    bad(
                        format!("options.conf_type: {e}"),
                        "use log, log-log or plain",
                    )
                })?;
        let times = o.times.clone().unwrap_or_else(|| vec![12.0, 24.0, 60.0]);
        let sources = o.sources.clone().unwrap_or_else(|| vec!["cases".into()]);
        let Collected {
            rows,
            entered,
            groups,
            reasons,
            reasons_extra,
            pooled,
            reconstructed_arms,
        } = collect(spec, evidence, o.group.as_deref(), &sources)?;
        let empty = StudySource::default();
        let source = |c: &Case| evidence.studies.get(&c.study_id).unwrap_or(&empty);
        let heading = title(spec, "Kaplan–Meier analysis of case reports");
        let patients = Patients {
            time: pooled.time.clone(),
            event: pooled.event.clone(),
            group: pooled.group.iter().map(String::as_str).collect(),
            strata: None,
            covariates: Vec::new(),
            dropped: Vec::new(),
        };
        let min_n = o.min_n.unwrap_or(2);
        let mut files = vec![OutputFile {
            name: "patients.csv".into(),
            bytes: to_csv(&patient_table(&rows, &entered, &groups, &reasons, &source))
                .map_err(export_err(spec))?,
        }];
        let mut exclusions: String = reasons
            .iter()
            .map(|(c, r)| {
                format!(
                    "- {} ({}): {}\n",
                    escape_markdown(&c.case_id),
                    escape_markdown(&source(c).short_label(&c.study_id)),
                    escape_markdown(r)
                )
            })
            .collect();
        for r in &reasons_extra {
            exclusions.push_str(&format!("- {}\n", escape_markdown(r)));
        }
        if patients.time.len() < min_n {
            let report = format!(
                "**Not estimated**: {} of {} selected patients have a follow-up time and a known vital status (fewer than {min_n}).\n\n{}[patients.csv]({}/patients.csv)\n",
                entered.len(),
                rows.len(),
                if exclusions.is_empty() { String::new() } else { format!("Left out:\n\n{exclusions}\n") },
                spec.name
            );
            return Ok(AnalysisOutput {
                name: spec.name.clone(),
                kind: spec.kind,
                title: heading,
                files,
                summary: format!("not estimated (n = {})", patients.time.len()),
                report,
                studies: columns::study_ids(rows.iter().map(|c| c.study_id.as_str())),
                methods: crate::analysis::Methods::new(
                    format!(
                        "Kaplan–Meier estimation needs at least {min_n} patients with a follow-up time and a known vital status; none was estimated. {}",
                        crate::present::methods::software("")
                    ),
                    &[],
                ),
            });
        }
        let curves =
            km_curves(&patients, conf, 0.95).map_err(|e| bad(e, "check the selected cases"))?;
        let curves = summarise(curves, &times, o.rmst);
        let comparison = if curves.len() > 1 {
            match compare_groups(&pooled) {
                Ok(c) => format!("{c}\n\n"),
                Err(e) => format!("Groups not compared: {e}.\n\n"),
            }
        } else {
            String::new()
        };
        if reconstructed_arms > 0 {
            files.push(OutputFile {
                name: "pooled_patients.csv".into(),
                bytes: to_csv(&pooled.table(evidence)).map_err(export_err(spec))?,
            });
        }
        files.push(OutputFile {
            name: "km.csv".into(),
            bytes: to_csv(&steps_table(&curves)).map_err(export_err(spec))?,
        });
        let origins: std::collections::BTreeSet<String> = entered
            .iter()
            .map(|c| {
                c.follow_up_origin
                    .clone()
                    .unwrap_or_else(|| "not stated".into())
            })
            .collect();
        let mut caveats = vec![format!(
            "{} patients, {} events: a case series, selected by what was published; the curve describes these patients, not a population.",
            patients.time.len(),
            patients.event.iter().filter(|e| **e).count()
        )];
        if reconstructed_arms > 0 {
            caveats.push(format!(
                "{} patients were reconstructed from {reconstructed_arms} published curve(s) (Guyot 2012): approximate event and censoring times, not observed ones.",
                pooled.source.iter().filter(|s| **s == "reconstructed").count()
            ));
        }
        if origins.len() > 1 {
            caveats.push(format!(
                "Follow-up is measured from different origins ({}); times are not strictly comparable.",
                origins.iter().cloned().collect::<Vec<_>>().join("; ")
            ));
        }
        let tmax = patients.time.iter().copied().fold(0.0, f64::max);
        let ticks = time_ticks(tmax);
        let plot = KmPlot {
            title: heading.clone(),
            subtitle: Some(format!(
                "Kaplan–Meier estimate with 95% CI ({conf}); ticks mark censored patients; dashed: median where reached"
            )),
            x_label: "Months from the time origin each report uses".into(),
            curves: curves.iter().map(|c| plot_curve(c, &ticks)).collect(),
            ticks,
            kmunicate: o.kmunicate.unwrap_or(true),
            width_mm: crate::plot::DOUBLE_COLUMN_MM,
            footnote: Some(format!(
                "n = {}; see patients.csv for who entered and from which origin.",
                patients.time.len()
            )),
        };
        files.extend(figure_files(spec, "km", render_km_svg(&plot))?);

        let nr = |v: Option<f64>| v.map_or_else(|| "not reached".to_string(), |x| num(x, 1));
        let mut header = vec![
            "Group".to_string(),
            "n".into(),
            "events".into(),
            "median (95% CI), months".into(),
        ];
        header.extend(times.iter().map(|t| format!("S({}) (95% CI)", num(*t, 1))));
        if let Some(t) = o.rmst {
            header.push(format!("RMST to {} (SE)", num(t, 1)));
        }
        let md_rows: Vec<Vec<String>> = curves
            .iter()
            .map(|c| {
                let mut r = vec![
                    c.label.clone(),
                    c.fit.n.to_string(),
                    c.fit.events.to_string(),
                    format!(
                        "{} ({}–{})",
                        nr(c.median.estimate),
                        nr(c.median.ci_lb),
                        nr(c.median.ci_ub)
                    ),
                ];
                r.extend(c.at.iter().map(|a| {
                    if a.n_risk == 0 && a.time > c.fit.steps.last().map_or(0.0, |s| s.time) {
                        "beyond follow-up".to_string()
                    } else {
                        format!(
                            "{} ({}–{})",
                            num(100.0 * a.surv, 0),
                            fmt_pct(a.ci_lb),
                            fmt_pct(a.ci_ub)
                        )
                    }
                }));
                if let Some((_, m, se)) = c.rmst {
                    r.push(format!("{} ({})", num(m, 1), num(se, 1)));
                }
                r
            })
            .collect();
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let report = format!(
            "![{alt}]({name}/km.png)\n\n{}\n{}\n\n{comparison}{}\n\n{}[patients.csv]({name}/patients.csv) · [km.csv]({name}/km.csv) · [SVG]({name}/km.svg)\n",
            markdown_table(&header_refs, &md_rows),
            "S(t) in percent.",
            caveats.iter().map(|c| escape_markdown(c)).collect::<Vec<_>>().join(" "),
            if exclusions.is_empty() { String::new() } else { format!("Left out:\n\n{exclusions}\n") },
            alt = escape_markdown(&heading),
            name = spec.name
        );
        let summary = curves
            .iter()
            .map(|c| {
                format!(
                    "{}: n = {}, median {}",
                    c.label,
                    c.fit.n,
                    nr(c.median.estimate)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let methods = crate::analysis::Methods::new(
            format!(
                "Survival of the patient rows was estimated by the Kaplan–Meier method with Greenwood's variance and {conf}-transformed pointwise 95% CIs; the median and its CI follow R's survfit (Brookmeyer–Crowley inversion; \"not reached\" when the curve or bound stays above 0.5). The figure marks censoring times, draws the median where it is reached, and tabulates the numbers at risk, censored and with events under the time axis (KMunicate style).{} {}",
                if comparison.is_empty() { "" } else { " Groups were compared with the log-rank test." },
                crate::present::methods::software("R survival 3.5 (survfit, survdiff)")
            ),
            &[
                crate::analysis::Ref::KaplanMeier1958,
                crate::analysis::Ref::Greenwood1926,
                crate::analysis::Ref::BrookmeyerCrowley1982,
                crate::analysis::Ref::Morris2019,
                crate::analysis::Ref::TherneauSurvival,
            ],
        );
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary,
            report,
            studies: columns::study_ids(rows.iter().map(|c| c.study_id.as_str())),
            methods,
        })
    }
}

fn fmt_pct(v: f64) -> String {
    if v.is_finite() {
        num(100.0 * v, 0)
    } else {
        "—".into()
    }
}
