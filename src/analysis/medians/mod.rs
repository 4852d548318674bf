//! `medians`: reported median survival figures, each with the route its
//! numbers allow (McGrath et al. 2025 and the a–d):
//!
//! - (a) a median with a CI → Wald SE from the CI;
//! - (b) a median with the number of events, no CI → SE under an
//!   exponential model, SE(log median) = 1/√d (model-based, flagged);
//! - (c) a median with n only → usable by median-of-medians methods only;
//! - (d) "not reached" → never a number: listed, never pooled.
//!
//! Figures that declare the same `cohort` count the same patients: the kind
//! refuses to pool them together and says which to drop. A pooled estimate
//! is given only for what is left — inverse-variance on the median scale
//! (`wald`, REML by default), or the (weighted) median of medians (`mm`,
//! `wmm`) — and with fewer than two figures the report says why nothing was
//! pooled. Writes `medians.csv` (every figure, its route and status, with
//! provenance), a figure, and the report section.

use crate::analysis::Kind;
use crate::domain::Reads;
use crate::domain::{Evidence, Figure, Statistic, StudySource};
use crate::export::{escape_markdown, to_csv, Table};
use crate::plot::render_compare_svg;
use crate::project::AnalysisSpec;
use crate::stats::medians::pool_med::pool_med;
use crate::stats::pool::{rma, RmaParams};

use super::evidence_table::selected;
use super::{export_err, figure_files, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::analysis::medians::tables::{medians_plot, medians_table};
use crate::present::columns;
use crate::present::format::{estimate_with_unit, n_text, num};
use crate::workflow::medians::routes::{route, route_mean, Route};

pub mod cohorts;
pub mod contrast;
pub mod methods;
pub mod options;
pub mod tables;

pub(crate) use methods::method_name;
use methods::methods;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Wald,
    Mm,
    Wmm,
    /// Means of a continuous outcome, medians converted to mean/SD.
    Mean,
}

/// One figure's place in the analysis.
pub(crate) struct Row<'a> {
    /// The figure.
    pub(crate) figure: &'a Figure,
    /// The route its numbers allow.
    pub(crate) route: Route,
    /// Why it is not pooled (None: pooled).
    pub(crate) status: Option<String>,
    /// Weight in percent, when pooled.
    pub(crate) weight: Option<f64>,
}

fn key(f: &Figure) -> String {
    format!("{}/{}", f.study_id, f.group)
}

/// Reported medians: routes, overlaps, pooled where defensible.
pub(crate) struct Medians;

impl Kind for Medians {
    type Options = options::Options;
    const READS: Reads = Reads::FIGURES;

    fn run(
        spec: &AnalysisSpec,
        o: options::Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
        let (method, conversion, skewed) = options::parse(spec, &o)?;
        let (tau2, test) = crate::analysis::options::model_options(
            spec,
            "tau2",
            o.tau2.as_deref(),
            o.test.as_deref(),
        )?;
        let figures: Vec<&Figure> = selected(spec, evidence)?
            .into_iter()
            .filter(|f| {
                f.statistic == Statistic::Median
                    || (method == Method::Mean && f.statistic == Statistic::Mean)
            })
            .collect();
        let empty_source = StudySource::default();
        if let Some(groups) = &o.contrast {
            let [g1, g2] = groups.as_slice() else {
                return Err(bad(
                    format!("options.contrast: {} group(s) given", groups.len()),
                    "name two groups, e.g. contrast = [\"experimental\", \"control\"]",
                ));
            };
            if method != Method::Wald {
                return Err(bad(
                    "options.contrast pools by inverse variance".into(),
                    "use method = \"wald\" (the default) with contrast",
                ));
            }
            let contrast = match o.effect.as_deref().unwrap_or("difference") {
                "difference" => contrast::Contrast::Difference,
                "ratio" => contrast::Contrast::Ratio,
                other => {
                    return Err(bad(
                        format!("options.effect: unknown effect '{other}'"),
                        "use difference or ratio",
                    ))
                }
            };
            let c = contrast::ContrastSpec {
                groups: [g1.as_str(), g2.as_str()],
                contrast,
                tau2,
                test,
                exclude: &o.exclude,
                note: o.note.as_deref(),
            };
            let arm = |f: &Figure| match route(f) {
                Route::Se(e, _) => Ok(e),
                other => Err(other.label()),
            };
            let source = |id: &str| evidence.studies.get(id).unwrap_or(&empty_source);
            return contrast::run(
                spec,
                title(spec, "Difference of medians"),
                &figures,
                &c,
                &arm,
                &source,
            );
        }
        let keys: Vec<String> = figures.iter().map(|f| key(f)).collect();
        if let Some(k) = o.exclude.keys().find(|k| !keys.contains(k)) {
            return Err(bad(
                format!("options.exclude: '{k}' is not among the selected medians"),
                &format!(
                    "name a selected figure as study_id/group: {}",
                    keys.join(", ")
                ),
            ));
        }
        let empty = StudySource::default();
        let source = |id: &str| evidence.studies.get(id).unwrap_or(&empty);
        let heading = title(
            spec,
            if method == Method::Mean {
                "Pooled mean"
            } else {
                "Median survival"
            },
        );

        let mut rows: Vec<Row<'_>> = figures
            .iter()
            .map(|&f| {
                let route = if method == Method::Mean {
                    route_mean(f, conversion, skewed)
                } else {
                    route(f)
                };
                let status = if let Some(why) = o.exclude.get(&key(f)) {
                    Some(format!("left out by the analysis: {why}"))
                } else {
                    match (&route, method) {
                        (Route::NoValue(s), _) => {
                            Some(format!("{s}: cannot be pooled as a number"))
                        }
                        (Route::Se(e, _), _) if o.exclude_derived && e.derived => Some(
                            "converted or model-based value left out by exclude_derived".into(),
                        ),
                        (Route::Se(..), _) => None,
                        (Route::Listed(s), _) => Some(s.clone()),
                        (_, Method::Mean) => Some("no mean and SD".into()),
                        (Route::NOnly, Method::Mm | Method::Wmm) => None,
                        (Route::ValueOnly, Method::Mm) => None,
                        (Route::NOnly, Method::Wald) => {
                            Some("no CI and no events: no SE for inverse-variance pooling".into())
                        }
                        (Route::ValueOnly, Method::Wald) => {
                            Some("no CI, events or n: no SE".into())
                        }
                        (Route::ValueOnly, Method::Wmm) => Some("no n to weight by".into()),
                    }
                };
                Row {
                    figure: f,
                    route,
                    status,
                    weight: None,
                }
            })
            .collect();

        let unit = rows
            .first()
            .map_or_else(|| "months".to_string(), |r| r.figure.unit.to_string());
        let label = |f: &Figure| {
            format!(
                "{} ({})",
                source(&f.study_id).short_label(&f.study_id),
                f.group
            )
        };
        let (overlap_notes, blocked) = cohorts::shared_cohorts(&rows, &source);

        let used: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].status.is_none())
            .collect();
        let mut pooled: Option<(f64, f64, f64, String)> = None;
        let mut pooled_table: Option<Table> = None;
        let mut not_pooled = None;
        if !blocked.is_empty() {
            not_pooled = Some(format!("Not pooled: {}.", blocked.join("; ")));
        } else if used.len() < 2 {
            not_pooled = Some(format!(
                "Not pooled: only {} of the {} figures can enter a pool by {} (k < 2); each figure's status says why.",
                used.len(),
                rows.len(),
                method_name(method)
            ));
        } else {
            match method {
                Method::Wald | Method::Mean => {
                    let (y, v): (Vec<f64>, Vec<f64>) = used
                        .iter()
                        .map(|&i| match &rows[i].route {
                            Route::Se(e, _) => (e.yi, e.vi),
                            _ => unreachable!("wald pools only figures with an SE"),
                        })
                        .unzip();
                    let labels: Vec<String> = used.iter().map(|&i| key(rows[i].figure)).collect();
                    let fit = rma(
                        &y,
                        &v,
                        None,
                        &labels,
                        RmaParams {
                            method: tau2,
                            test,
                            level: 0.95,
                        },
                    )
                    .map_err(|e| bad(e.to_string(), "check the selected figures"))?;
                    for (j, &i) in used.iter().enumerate() {
                        rows[i].weight = Some(fit.weights[j]);
                    }
                    let het = crate::present::pool_models::model_line(&fit, 3);
                    let mut t = Table::default();
                    t.text(
                        "method",
                        vec![Some(
                            if method == Method::Mean {
                                "mean"
                            } else {
                                "wald"
                            }
                            .into(),
                        )],
                    )
                    .text("tau2_method", vec![Some(tau2.to_string())])
                    .text("test", vec![Some(test.to_string())])
                    .integer("k", vec![Some(fit.k as u64)])
                    .number("estimate", vec![Some(fit.beta[0])])
                    .text("unit", vec![Some(unit.clone())])
                    .number("se", vec![Some(fit.se[0])])
                    .number("ci_lower", vec![Some(fit.ci_lb[0])])
                    .number("ci_upper", vec![Some(fit.ci_ub[0])])
                    .number("tau2", vec![Some(fit.tau2)])
                    .number("i2_percent", vec![Some(fit.i2)])
                    .number("q", vec![Some(fit.q)])
                    .number("q_pval", vec![Some(fit.q_pval)]);
                    pooled_table = Some(t);
                    pooled = Some((fit.beta[0], fit.ci_lb[0], fit.ci_ub[0], het));
                }
                Method::Mm | Method::Wmm => {
                    let y: Vec<f64> = used
                        .iter()
                        .map(|&i| rows[i].figure.value.unwrap_or(f64::NAN))
                        .collect();
                    let w: Vec<f64> = used
                        .iter()
                        .map(|&i| rows[i].figure.n.map_or(f64::NAN, |n| n as f64))
                        .collect();
                    let p = pool_med(&y, (method == Method::Wmm).then_some(&w[..]))
                        .map_err(|e| bad(e.to_string(), "check the selected figures"))?;
                    let total: f64 = w.iter().sum();
                    for (j, &i) in used.iter().enumerate() {
                        rows[i].weight = Some(if method == Method::Wmm {
                            100.0 * w[j] / total
                        } else {
                            100.0 / used.len() as f64
                        });
                    }
                    let mut t = Table::default();
                    t.text(
                        "method",
                        vec![Some(
                            if method == Method::Wmm { "wmm" } else { "mm" }.into(),
                        )],
                    )
                    .integer("k", vec![Some(p.k as u64)])
                    .number("estimate", vec![Some(p.estimate)])
                    .text("unit", vec![Some(unit.clone())])
                    .number("ci_lower", vec![Some(p.ci_lb)])
                    .number("ci_upper", vec![Some(p.ci_ub)]);
                    pooled_table = Some(t);
                    pooled = Some((
                        p.estimate,
                        p.ci_lb,
                        p.ci_ub,
                        "95% CI by inverting the sign test (normal approximation)".into(),
                    ));
                }
            }
        }

        let table = medians_table(&rows, &source);
        let mut files = vec![OutputFile {
            name: "medians.csv".into(),
            bytes: to_csv(&table).map_err(export_err(spec))?,
        }];
        if let Some(t) = &pooled_table {
            files.push(OutputFile {
                name: "pooled.csv".into(),
                bytes: to_csv(t).map_err(export_err(spec))?,
            });
        }
        let plot = medians_plot(&heading, &rows, pooled.as_ref(), method, &unit, &source);
        files.extend(figure_files(spec, "medians", render_compare_svg(&plot))?);

        let md_rows: String = rows
            .iter()
            .map(|r| {
                let f = r.figure;
                format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    escape_markdown(&label(f)),
                    escape_markdown(&f.population),
                    n_text(f),
                    escape_markdown(&estimate_with_unit(f)),
                    escape_markdown(&r.route.label()),
                    escape_markdown(
                        &r.status
                            .clone()
                            .map(|s| if s == r.route.label() {
                                "not pooled".to_string()
                            } else {
                                s
                            })
                            .unwrap_or_else(|| match r.weight {
                                Some(w) => format!("pooled ({}%)", num(w, 1)),
                                None => "eligible".into(),
                            })
                    )
                )
            })
            .collect();
        let flags: Vec<String> = rows
            .iter()
            .filter(|r| r.status.is_none())
            .flat_map(|r| match &r.route {
                Route::Se(e, _) => e
                    .flags
                    .iter()
                    .map(|fl| format!("{}: {fl}", label(r.figure)))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let notes: String = overlap_notes
            .iter()
            .chain(&flags)
            .map(|n| format!("- {}\n", escape_markdown(n)))
            .collect();
        let result = match (&pooled, &not_pooled) {
            (Some((e, l, u, het)), _) => format!(
                "**Pooled** ({}, k = {}): {} {unit} ({}–{}); {}.\n",
                method_name(method),
                used.len(),
                num(*e, 1),
                num(*l, 1),
                num(*u, 1),
                escape_markdown(het),
            ),
            (None, Some(why)) => format!("**{}**\n", escape_markdown(why)),
            (None, None) => String::new(),
        };
        let rationale = o.note.as_ref().map_or(String::new(), |n| {
            format!("Rationale: {}\n\n", escape_markdown(n))
        });
        let report = format!(
            "![{alt}]({name}/medians.png)\n\n| Study · group | Population | n | Reported | Route | Status |\n|---|---|---|---|---|---|\n{md_rows}\n{rationale}{result}\n{}{}[medians.csv]({name}/medians.csv) · [SVG]({name}/medians.svg)\n",
            if notes.is_empty() { String::new() } else { format!("Notes:\n\n{notes}\n") },
            if pooled_table.is_some() { format!("[pooled.csv]({}/pooled.csv) · ", spec.name) } else { String::new() },
            alt = escape_markdown(&heading),
            name = spec.name,
        );
        let summary = match &pooled {
            Some((e, l, u, _)) => format!(
                "k = {}: {} ({}–{}) {unit}",
                used.len(),
                num(*e, 1),
                num(*l, 1),
                num(*u, 1)
            ),
            None => format!(
                "{} {}, not pooled",
                rows.len(),
                if method == Method::Mean {
                    "figures"
                } else {
                    "medians"
                }
            ),
        };
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary,
            report,
            studies: columns::study_ids(rows.iter().map(|r| r.figure.study_id.as_str())),
            methods: methods(method, conversion.text(), pooled.is_some()),
        })
    }
}
