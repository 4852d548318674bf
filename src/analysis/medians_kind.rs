//! `medians`: reported median survival figures, each with the route its
//! numbers allow (McGrath et al. 2025 and the a–d):
//!
//! - (a) a median with a CI → Wald SE from the CI;
//! - (b) a median with the number of events, no CI → SE under an
//!   exponential model, SE(log median) = 1/√d (model-based, flagged);
//! - (c) a median with n only → usable by median-of-medians methods only;
//! - (d) "not reached" → never a number: listed, never pooled.
//!
//! Figures that share a `cohort_*` tag count the same patients: the kind
//! refuses to pool them together and says which to drop. A pooled estimate
//! is given only for what is left — inverse-variance on the median scale
//! (`wald`, REML by default), or the (weighted) median of medians (`mm`,
//! `wmm`) — and with fewer than two figures the report says why nothing was
//! pooled. Writes `medians.csv` (every figure, its route and status, with
//! provenance), a figure, and the report section.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{Evidence, Figure, Statistic, StudySource, ValueStatus};
use crate::export::{escape_markdown, to_csv, Table};
use crate::plot::{
    render_compare_png, render_compare_svg, CompareGroup, ComparePlot, CompareRow, IntervalKind,
    PlotInterval, Scale,
};
use crate::project::AnalysisSpec;
use crate::stats::effect::{median, wald_ci, Effect};
use crate::stats::medians::pool_med::pool_med;
use crate::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

use super::columns::{self, Sourced};
use super::evidence_table::selected;
use super::format::{estimate_with_unit, n_text, num};
use super::{export_err, figure_files, title, AnalysisError, AnalysisOutput, OutputFile};

/// Options of `medians`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// wald (default), mm or wmm.
    method: Option<String>,
    /// τ² estimator for wald (default REML).
    tau2: Option<String>,
    /// z (default) or knha, for wald.
    test: Option<String>,
    /// Figures the analysis leaves out, "study_id/group" → reason.
    #[serde(default)]
    exclude: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Wald,
    Mm,
    Wmm,
}

/// The route a figure's numbers allow.
#[derive(Debug, Clone)]
enum Route {
    /// (a) or (b): a median with an SE.
    Se(Effect, &'static str),
    /// (c) a median and n, nothing for an SE.
    NOnly,
    /// A median with neither n nor CI nor events.
    ValueOnly,
    /// (d) not reached (or not reported).
    NoValue(String),
}

impl Route {
    fn label(&self) -> String {
        match self {
            Route::Se(_, r) => (*r).to_string(),
            Route::NOnly => "c: median and n only: median-of-medians methods only".into(),
            Route::ValueOnly => "median without n, CI or events: listed only".into(),
            Route::NoValue(s) => format!("d: {s}: not a number, never pooled"),
        }
    }
}

fn route(f: &Figure) -> Route {
    if f.value_status != ValueStatus::Reported {
        return Route::NoValue(f.value_status.to_string().replace('_', " "));
    }
    let Some(v) = f.value else {
        return Route::NoValue("no value".into());
    };
    if let Some(c) = f.ci {
        if let Ok(e) = median::med(median::ReportedMedian {
            median: Some(v),
            lower: c.bounds.lower,
            upper: c.bounds.upper,
            level: c.level,
        }) {
            return Route::Se(e, "a: CI → Wald SE = (upper − lower)/(2z) (McGrath 2025)");
        }
    }
    if let Some(d) = f.events {
        if let Ok(e) = median::med_from_events(v, d) {
            return Route::Se(
                e,
                "b: events, no CI → SE(log median) = 1/√d, exponential model (model-based)",
            );
        }
    }
    if f.n.is_some() {
        Route::NOnly
    } else {
        Route::ValueOnly
    }
}

/// One figure's place in the analysis.
struct Row<'a> {
    figure: &'a Figure,
    route: Route,
    /// Why it is not pooled (None: pooled).
    status: Option<String>,
    weight: Option<f64>,
}

fn key(f: &Figure) -> String {
    format!("{}/{}", f.study_id, f.group)
}

pub(super) fn run(
    spec: &AnalysisSpec,
    evidence: &Evidence,
) -> Result<AnalysisOutput, AnalysisError> {
    let o: Options = spec.options()?;
    let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
    let method = match o.method.as_deref().unwrap_or("wald") {
        "wald" => Method::Wald,
        "mm" => Method::Mm,
        "wmm" => Method::Wmm,
        other => {
            return Err(bad(
                format!("options.method: unknown method '{other}'"),
                "use wald, mm or wmm",
            ))
        }
    };
    let tau2: Tau2Method = o
        .tau2
        .as_deref()
        .unwrap_or("REML")
        .parse()
        .map_err(|e: String| {
            bad(
                format!("options.tau2: {e}"),
                "use FE, DL, HE, HS, SJ, ML, REML, EB or PM",
            )
        })?;
    let test = match o.test.as_deref().unwrap_or("z") {
        "z" => TestKind::Z,
        "knha" => TestKind::Knha,
        other => {
            return Err(bad(
                format!("options.test: unknown test '{other}'"),
                "use z or knha",
            ))
        }
    };
    let figures: Vec<&Figure> = selected(spec, evidence)?
        .into_iter()
        .filter(|f| f.statistic == Statistic::Median)
        .collect();
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
    let heading = title(spec, "Median survival");

    let mut rows: Vec<Row<'_>> = figures
        .iter()
        .map(|&f| {
            let route = route(f);
            let status = if let Some(why) = o.exclude.get(&key(f)) {
                Some(format!("left out by the analysis: {why}"))
            } else {
                match (&route, method) {
                    (Route::NoValue(s), _) => Some(format!("{s}: cannot be pooled as a number")),
                    (Route::Se(..), _) => None,
                    (Route::NOnly, Method::Mm | Method::Wmm) => None,
                    (Route::ValueOnly, Method::Mm) => None,
                    (Route::NOnly, Method::Wald) => {
                        Some("no CI and no events: no SE for inverse-variance pooling".into())
                    }
                    (Route::ValueOnly, Method::Wald) => Some("no CI, events or n: no SE".into()),
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

    // Figures that count the same patients (a shared cohort_* tag).
    let mut by_cohort: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        for t in r.figure.tags.iter().filter(|t| t.starts_with("cohort_")) {
            by_cohort.entry(t).or_default().push(i);
        }
    }
    let label = |f: &Figure| {
        format!(
            "{} ({})",
            source(&f.study_id).short_label(&f.study_id),
            f.group
        )
    };
    let mut overlap_notes = Vec::new();
    let mut blocked = Vec::new();
    for (tag, idx) in &by_cohort {
        // Subgroups of one study (e.g. primary and metastatic cases) are
        // disjoint parts of its pool, not a second count of it.
        let studies: std::collections::BTreeSet<&str> = idx
            .iter()
            .map(|&i| rows[i].figure.study_id.as_str())
            .collect();
        if studies.len() < 2 {
            continue;
        }
        let mut per_study: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &i in idx {
            let f = rows[i].figure;
            per_study
                .entry(f.study_id.as_str())
                .or_default()
                .push(f.group.as_str());
        }
        let names: Vec<String> = per_study
            .iter()
            .map(|(id, groups)| format!("{} ({})", source(id).short_label(id), groups.join("; ")))
            .collect();
        overlap_notes.push(format!(
            "{} draw on the same patients ({tag}): never pool figures of different studies in this group",
            names.join(" and ")
        ));
        let pooled_here: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| rows[i].status.is_none())
            .collect();
        let pooled_studies: std::collections::BTreeSet<&str> = pooled_here
            .iter()
            .map(|&i| rows[i].figure.study_id.as_str())
            .collect();
        if pooled_studies.len() > 1 {
            blocked.push(format!(
                "{} would be pooled together but share {tag}; keep one (list the others in options.exclude)",
                pooled_here.iter().map(|&i| label(rows[i].figure)).collect::<Vec<_>>().join(" and ")
            ));
        }
    }

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
            Method::Wald => {
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
                let het = format!(
                    "{} model ({tau2}), {} inference; tau² = {}, I² = {}%, Q({}) = {}",
                    if tau2 == Tau2Method::FE {
                        "Equal-effects"
                    } else {
                        "Random-effects"
                    },
                    if test == TestKind::Knha {
                        "Knapp–Hartung"
                    } else {
                        "z"
                    },
                    num(fit.tau2, 3),
                    num(fit.i2, 1),
                    fit.q_df,
                    num(fit.q, 2)
                );
                let mut t = Table::default();
                t.text("method", vec![Some("wald".into())])
                    .text("tau2_method", vec![Some(tau2.to_string())])
                    .text("test", vec![Some(test.to_string())])
                    .integer("k", vec![Some(fit.k as u64)])
                    .number("estimate_months", vec![Some(fit.beta[0])])
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
                .number("estimate_months", vec![Some(p.estimate)])
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
    let plot = medians_plot(&heading, &rows, pooled.as_ref(), method, &source);
    files.extend(figure_files(
        spec,
        "medians",
        render_compare_svg(&plot),
        render_compare_png(&plot, 192),
    )?);

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
                escape_markdown(&r.status.clone().unwrap_or_else(|| match r.weight {
                    Some(w) => format!("pooled ({}%)", num(w, 1)),
                    None => "eligible".into(),
                }))
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
            "**Pooled** ({}, k = {}): {} months ({}–{}); {}.\n\nMethods: {}\n",
            method_name(method),
            used.len(),
            num(*e, 1),
            num(*l, 1),
            num(*u, 1),
            escape_markdown(het),
            escape_markdown(&methods_text(method))
        ),
        (None, Some(why)) => format!("**{}**\n", escape_markdown(why)),
        (None, None) => String::new(),
    };
    let report = format!(
        "![{alt}]({name}/medians.png)\n\n| Study · group | Population | n | Median | Route | Status |\n|---|---|---|---|---|---|\n{md_rows}\n{result}\n{}{}[medians.csv]({name}/medians.csv) · [SVG]({name}/medians.svg)\n",
        if notes.is_empty() { String::new() } else { format!("Notes:\n\n{notes}\n") },
        if pooled_table.is_some() { format!("[pooled.csv]({}/pooled.csv) · ", spec.name) } else { String::new() },
        alt = escape_markdown(&heading),
        name = spec.name,
    );
    let summary = match &pooled {
        Some((e, l, u, _)) => format!(
            "k = {}: {} ({}–{}) months",
            used.len(),
            num(*e, 1),
            num(*l, 1),
            num(*u, 1)
        ),
        None => format!("{} medians, not pooled", rows.len()),
    };
    Ok(AnalysisOutput {
        name: spec.name.clone(),
        kind: spec.kind,
        title: heading,
        files,
        summary,
        report,
        studies: columns::study_ids(rows.iter().map(|r| r.figure.study_id.as_str())),
    })
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Wald => "inverse-variance (Wald SEs)",
        Method::Mm => "median of medians",
        Method::Wmm => "weighted median of medians",
    }
}

fn methods_text(m: Method) -> String {
    match m {
        Method::Wald => format!(
            "median survival times were pooled on the median scale with inverse-variance weights; each SE came from the reported CI assuming a Wald interval (McGrath et al. 2025) or, without a CI, from the number of events under an exponential model (flagged). survlit {}.",
            env!("CARGO_PKG_VERSION")
        ),
        Method::Mm | Method::Wmm => format!(
            "the {} of the reported medians, with a 95% CI from inverting the sign test (McGrath et al. 2019). survlit {}.",
            if m == Method::Wmm { "median, weighted by sample size," } else { "median" },
            env!("CARGO_PKG_VERSION")
        ),
    }
}

fn medians_table<'a>(rows: &[Row<'a>], source: &dyn Fn(&str) -> &'a StudySource) -> Table {
    let sourced: Vec<Sourced<'_>> = rows
        .iter()
        .map(|r| Sourced {
            study_id: &r.figure.study_id,
            provenance: &r.figure.provenance,
            study: source(&r.figure.study_id),
            origin: &r.figure.origin,
        })
        .collect();
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    let text = |g: &dyn Fn(&Row<'_>) -> Option<String>| rows.iter().map(g).collect::<Vec<_>>();
    let se = |r: &Row<'_>| match &r.route {
        Route::Se(e, _) => Some(e.vi.sqrt()),
        _ => None,
    };
    t.text("group", text(&|r| Some(r.figure.group.clone())))
        .text("population", text(&|r| Some(r.figure.population.clone())))
        .text(
            "value_status",
            text(&|r| Some(r.figure.value_status.to_string())),
        )
        .number(
            "median_months",
            rows.iter().map(|r| r.figure.value).collect(),
        )
        .integer("n", rows.iter().map(|r| r.figure.n).collect())
        .integer("events", rows.iter().map(|r| r.figure.events).collect())
        .number(
            "ci_lower",
            rows.iter()
                .map(|r| r.figure.ci.and_then(|c| c.bounds.lower))
                .collect(),
        )
        .number(
            "ci_upper",
            rows.iter()
                .map(|r| r.figure.ci.and_then(|c| c.bounds.upper))
                .collect(),
        )
        .text("route", text(&|r| Some(r.route.label())))
        .number("se", rows.iter().map(se).collect())
        .text(
            "derivation",
            text(&|r| match &r.route {
                Route::Se(e, _) => Some(e.derivation.clone()),
                _ => None,
            }),
        )
        .text(
            "status",
            text(&|r| {
                Some(
                    if r.status.is_none() {
                        "pooled or eligible"
                    } else {
                        "not pooled"
                    }
                    .to_string(),
                )
            }),
        )
        .text("reason", text(&|r| r.status.clone()))
        .number("weight_percent", rows.iter().map(|r| r.weight).collect())
        .text(
            "cohort",
            text(&|r| {
                let c: Vec<&str> = r
                    .figure
                    .tags
                    .iter()
                    .filter(|t| t.starts_with("cohort_"))
                    .map(String::as_str)
                    .collect();
                (!c.is_empty()).then(|| c.join(";"))
            }),
        );
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}

fn medians_plot<'a>(
    heading: &str,
    rows: &[Row<'a>],
    pooled: Option<&(f64, f64, f64, String)>,
    method: Method,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> ComparePlot {
    let mut plot_rows: Vec<CompareRow> = rows
        .iter()
        .map(|r| {
            let f = r.figure;
            let interval = match &r.route {
                Route::Se(e, _) => {
                    let (a, b) = match f.ci.and_then(|c| Some((c.bounds.lower?, c.bounds.upper?))) {
                        Some(ci) => ci,
                        None => wald_ci(e.yi, e.vi, 0.95),
                    };
                    Some(PlotInterval {
                        kind: IntervalKind::Ci,
                        lower: Some(a),
                        upper: Some(b),
                    })
                }
                _ => None,
            };
            CompareRow {
                summary: false,
                pi: None,
                label: source(&f.study_id).short_label(&f.study_id),
                detail: if f.group == "all" {
                    String::new()
                } else {
                    f.group.clone()
                },
                n_text: n_text(f),
                value: f.value,
                value_text: format!(
                    "{}{}",
                    estimate_with_unit(f),
                    match (&r.status, r.weight) {
                        (None, Some(w)) => format!("  {}%", num(w, 1)),
                        (Some(_), _) => "  not pooled".into(),
                        _ => String::new(),
                    }
                ),
                interval,
            }
        })
        .collect();
    if let Some((e, l, u, _)) = pooled {
        plot_rows.push(CompareRow {
            summary: true,
            pi: None,
            label: super::format::capitalise(method_name(method)),
            detail: String::new(),
            n_text: String::new(),
            value: Some(*e),
            value_text: format!("{} ({}–{})", num(*e, 1), num(*l, 1), num(*u, 1)),
            interval: Some(PlotInterval {
                kind: IntervalKind::Ci,
                lower: Some(*l),
                upper: Some(*u),
            }),
        });
    }
    ComparePlot {
        title: heading.to_string(),
        subtitle: Some(if pooled.is_some() {
            "Reported medians with 95% CIs (or model-based intervals); diamond: pooled estimate."
                .into()
        } else {
            "Reported medians with 95% CIs where reported; not pooled (see the report).".into()
        }),
        x_label: "Median survival (months)".into(),
        value_header: "Median (months)".into(),
        label_header: "Study · group".into(),
        estimate_name: "median".into(),
        scale: Scale::Linear,
        groups: vec![CompareGroup {
            heading: None,
            rows: plot_rows,
        }],
        reference: None,
        footnote: pooled.map(|p| p.3.clone()),
    }
}
