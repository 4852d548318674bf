//! The `medians` kind with `contrast = ["G1", "G2"]`: within each study,
//! the median of group G1 against that of G2 — their difference (months)
//! or the log of their ratio (McGrath et al. 2025) — pooled by inverse
//! variance. Each arm's SE comes from its CI (Wald) or, without one, from
//! its events under an exponential model (flagged). Writes `contrasts.csv`,
//! `pooled.csv` and a forest plot.

use std::collections::BTreeMap;

use crate::domain::{Figure, StudySource};
use crate::export::{escape_markdown, to_csv, Table};
use crate::plot::{
    render_compare_svg, CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale,
};
use crate::project::AnalysisSpec;
use crate::stats::effect::{median, wald_ci, Effect};
use crate::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

use crate::analysis::{export_err, figure_files, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns::{self, Sourced};
use crate::present::format::num;

/// Difference or ratio of medians.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contrast {
    /// m₁ − m₂ (months).
    Difference,
    /// ln(m₁/m₂), shown as the ratio.
    Ratio,
}

/// One study's pair of arms and what became of it.
struct Pair<'a> {
    study_id: &'a str,
    first: Option<&'a Figure>,
    second: Option<&'a Figure>,
    effect: Option<Effect>,
    why_not: Option<String>,
    weight: Option<f64>,
}

/// Everything the contrast needs from the kind.
pub(crate) struct ContrastSpec<'s> {
    pub groups: [&'s str; 2],
    pub contrast: Contrast,
    pub tau2: Tau2Method,
    pub test: TestKind,
    pub exclude: &'s BTreeMap<String, String>,
    pub note: Option<&'s str>,
}

/// Runs the contrast over the selected median figures; `arm` gives an
/// arm's median and its variance, or why it has none.
pub(crate) fn run<'a>(
    spec: &AnalysisSpec,
    heading: String,
    figures: &[&'a Figure],
    c: &ContrastSpec<'_>,
    arm: &dyn Fn(&Figure) -> Result<Effect, String>,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Result<AnalysisOutput, AnalysisError> {
    let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
    let mut by_study: BTreeMap<&str, [Vec<&Figure>; 2]> = BTreeMap::new();
    for &f in figures {
        if let Some(k) = c.groups.iter().position(|g| *g == f.group) {
            by_study.entry(f.study_id.as_str()).or_default()[k].push(f);
        }
    }
    if let Some(k) = c
        .exclude
        .keys()
        .find(|k| !by_study.contains_key(k.as_str()))
    {
        return Err(bad(
            format!("options.exclude: '{k}' is not a study with the contrasted groups"),
            "with contrast, exclude names a study_id",
        ));
    }
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    for (study_id, [a, b]) in &by_study {
        let mut p = Pair {
            study_id,
            first: a.first().copied(),
            second: b.first().copied(),
            effect: None,
            why_not: None,
            weight: None,
        };
        p.why_not = if let Some(why) = c.exclude.get(*study_id) {
            Some(format!("left out by the analysis: {why}"))
        } else if a.len() > 1 || b.len() > 1 {
            Some(format!(
                "{} figures for '{}' and {} for '{}': make each group unique (population or group)",
                a.len(),
                c.groups[0],
                b.len(),
                c.groups[1]
            ))
        } else if let (Some(fa), Some(fb)) = (p.first, p.second) {
            match (arm(fa), arm(fb)) {
                (Ok(ea), Ok(eb)) => {
                    match median::contrast(&ea, &eb, c.contrast == Contrast::Ratio) {
                        Ok(e) => {
                            p.effect = Some(e);
                            None
                        }
                        Err(e) => Some(e.to_string()),
                    }
                }
                (Err(e), _) => Some(format!("{}: {e}", c.groups[0])),
                (_, Err(e)) => Some(format!("{}: {e}", c.groups[1])),
            }
        } else {
            Some(format!(
                "no '{}' figure in this study",
                if p.first.is_none() {
                    c.groups[0]
                } else {
                    c.groups[1]
                }
            ))
        };
        pairs.push(p);
    }
    let used: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].effect.is_some())
        .collect();
    let label = |id: &str| source(id).short_label(id);
    let display = |y: f64| {
        if c.contrast == Contrast::Ratio {
            y.exp()
        } else {
            y
        }
    };
    let unit = if c.contrast == Contrast::Ratio {
        "ratio of medians"
    } else {
        "months (difference of medians)"
    };
    let mut files = Vec::new();
    let mut summary = format!("{} studies, not pooled", pairs.len());
    let mut result = format!(
        "**Not pooled: only {} of {} studies give both arms' SEs (k < 2).**\n",
        used.len(),
        pairs.len()
    );
    let mut footnote = None;
    let mut methods_text = format!(
        "Each arm's median survival SE would come from its reported CI (Wald interval) or its events; fewer than two studies had both arms, so nothing was pooled. {}",
        crate::present::methods::software("")
    );
    let mut pooled_row = None;
    if used.len() >= 2 {
        let y: Vec<f64> = used
            .iter()
            .map(|&i| pairs[i].effect.as_ref().map_or(f64::NAN, |e| e.yi))
            .collect();
        let v: Vec<f64> = used
            .iter()
            .map(|&i| pairs[i].effect.as_ref().map_or(f64::NAN, |e| e.vi))
            .collect();
        let labels: Vec<&str> = used.iter().map(|&i| pairs[i].study_id).collect();
        let fit = rma(
            &y,
            &v,
            None,
            &labels,
            RmaParams {
                method: c.tau2,
                test: c.test,
                level: 0.95,
            },
        )
        .map_err(|e| bad(e.to_string(), "check the selected figures"))?;
        for (j, &i) in used.iter().enumerate() {
            pairs[i].weight = Some(fit.weights[j]);
        }
        let mut t = Table::default();
        t.text(
            "contrast",
            vec![Some(format!("{} vs {}", c.groups[0], c.groups[1]))],
        )
        .text(
            "scale",
            vec![Some(
                if c.contrast == Contrast::Ratio {
                    "log ratio of medians"
                } else {
                    "difference of medians (months)"
                }
                .into(),
            )],
        )
        .text("tau2_method", vec![Some(c.tau2.to_string())])
        .text("test", vec![Some(c.test.to_string())])
        .integer("k", vec![Some(fit.k as u64)])
        .number("estimate", vec![Some(fit.beta[0])])
        .number("se", vec![Some(fit.se[0])])
        .number("ci_lower", vec![Some(fit.ci_lb[0])])
        .number("ci_upper", vec![Some(fit.ci_ub[0])])
        .number("pval", vec![Some(fit.pval[0])])
        .number("tau2", vec![Some(fit.tau2)])
        .number("i2_percent", vec![Some(fit.i2)])
        .number("q", vec![Some(fit.q)])
        .number("display_estimate", vec![Some(display(fit.beta[0]))])
        .number("display_ci_lower", vec![Some(display(fit.ci_lb[0]))])
        .number("display_ci_upper", vec![Some(display(fit.ci_ub[0]))]);
        files.push(OutputFile {
            name: "pooled.csv".into(),
            bytes: to_csv(&t).map_err(export_err(spec))?,
        });
        let (e, l, u) = (
            display(fit.beta[0]),
            display(fit.ci_lb[0]),
            display(fit.ci_ub[0]),
        );
        let het = crate::present::pool_models::model_line(&fit, 4);
        summary = format!(
            "k = {}: {} ({}–{}) {unit}",
            fit.k,
            num(e, 3),
            num(l, 3),
            num(u, 3)
        );
        result = format!(
            "**Pooled** {} vs {} (k = {}): {} ({}–{}), {unit}; {}.\n",
            escape_markdown(c.groups[0]),
            escape_markdown(c.groups[1]),
            fit.k,
            num(e, 3),
            num(l, 3),
            num(u, 3),
            escape_markdown(&het),
        );
        methods_text = format!(
            "Each arm's median survival SE came from its reported CI assuming a Wald interval (McGrath et al. 2025) or, without a CI, from its number of events under an exponential model (flagged); the {} per study was pooled with inverse-variance weights in {}. {}",
            if c.contrast == Contrast::Ratio { "log ratio of medians (delta method)" } else { "difference of medians" },
            crate::present::methods::model_words(&fit),
            crate::present::methods::software("metamedian's metamedian_survival and metafor 3.8")
        );
        footnote = Some(het);
        pooled_row = Some((e, l, u));
    }

    // Per-study table with both arms' provenance (the first arm's columns).
    let listed: Vec<&Pair<'_>> = pairs.iter().collect();
    let firsts: Vec<&Figure> = listed.iter().filter_map(|p| p.first.or(p.second)).collect();
    let sourced: Vec<Sourced<'_>> = Sourced::of(&firsts, &|f| source(&f.study_id));
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    let arm_value = |f: Option<&Figure>| f.and_then(|f| f.value);
    t.number(
        "median_1",
        listed.iter().map(|p| arm_value(p.first)).collect(),
    )
    .number(
        "median_2",
        listed.iter().map(|p| arm_value(p.second)).collect(),
    )
    .number(
        "effect",
        listed
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.yi))
            .collect(),
    )
    .number(
        "se",
        listed
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.vi.sqrt()))
            .collect(),
    )
    .text(
        "derivation",
        listed
            .iter()
            .map(|p| p.effect.as_ref().map(|e| e.derivation.clone()))
            .collect(),
    )
    .text("reason", listed.iter().map(|p| p.why_not.clone()).collect())
    .number("weight_percent", listed.iter().map(|p| p.weight).collect());
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    files.insert(
        0,
        OutputFile {
            name: "contrasts.csv".into(),
            bytes: to_csv(&t).map_err(export_err(spec))?,
        },
    );

    let mut rows: Vec<CompareRow> = pairs
        .iter()
        .map(|p| {
            let (value, interval, text) = match &p.effect {
                Some(e) => {
                    let (a, b) = wald_ci(e.yi, e.vi, 0.95);
                    (
                        Some(display(e.yi)),
                        Some(PlotInterval {
                            kind: IntervalKind::Ci,
                            lower: Some(display(a)),
                            upper: Some(display(b)),
                        }),
                        format!(
                            "{} [{}, {}]{}",
                            num(display(e.yi), 2),
                            num(display(a), 2),
                            num(display(b), 2),
                            p.weight
                                .map_or(String::new(), |w| format!("  {}%", num(w, 1)))
                        ),
                    )
                }
                None => (None, None, "not pooled".to_string()),
            };
            CompareRow {
                summary: false,
                pi: None,
                label: label(p.study_id),
                detail: String::new(),
                n_text: format!(
                    "{}/{}",
                    p.first
                        .and_then(|f| f.n)
                        .map_or("—".into(), |n| n.to_string()),
                    p.second
                        .and_then(|f| f.n)
                        .map_or("—".into(), |n| n.to_string())
                ),
                value,
                value_text: text,
                interval,
            }
        })
        .collect();
    if let Some((e, l, u)) = pooled_row {
        rows.push(CompareRow {
            summary: true,
            pi: None,
            label: "Random-effects model".into(),
            detail: String::new(),
            n_text: String::new(),
            value: Some(e),
            value_text: format!("{} [{}, {}]", num(e, 2), num(l, 2), num(u, 2)),
            interval: Some(PlotInterval {
                kind: IntervalKind::Ci,
                lower: Some(l),
                upper: Some(u),
            }),
        });
    }
    let plot = ComparePlot {
        title: heading.clone(),
        subtitle: Some(format!(
            "{} vs {}: {} per study with 95% CI; diamond: pooled.",
            c.groups[0],
            c.groups[1],
            if c.contrast == Contrast::Ratio {
                "ratio of medians"
            } else {
                "difference of medians"
            }
        )),
        x_label: if c.contrast == Contrast::Ratio {
            "Ratio of median survival (log scale)".into()
        } else {
            "Difference in median survival (months)".into()
        },
        value_header: "Estimate [95% CI]  weight".into(),
        label_header: "Study".into(),
        estimate_name: if c.contrast == Contrast::Ratio {
            "ratio"
        } else {
            "difference"
        }
        .into(),
        scale: if c.contrast == Contrast::Ratio {
            Scale::Log
        } else {
            Scale::Linear
        },
        groups: vec![CompareGroup {
            heading: None,
            rows,
        }],
        reference: Some(if c.contrast == Contrast::Ratio {
            1.0
        } else {
            0.0
        }),
        footnote,
    };
    files.extend(figure_files(spec, "forest", render_compare_svg(&plot))?);

    let md_rows: String = pairs
        .iter()
        .map(|p| {
            let show = |f: Option<&Figure>| {
                f.map_or("—".to_string(), crate::present::format::estimate_with_unit)
            };
            format!(
                "| {} | {} | {} | {} |\n",
                escape_markdown(&label(p.study_id)),
                escape_markdown(&show(p.first)),
                escape_markdown(&show(p.second)),
                escape_markdown(&match (&p.why_not, p.weight) {
                    (Some(w), _) => w.clone(),
                    (None, Some(w)) => format!("pooled ({}%)", num(w, 1)),
                    (None, None) => "eligible".into(),
                })
            )
        })
        .collect();
    let flags: String = pairs
        .iter()
        .filter_map(|p| p.effect.as_ref().map(|e| (p.study_id, e)))
        .flat_map(|(id, e)| {
            e.flags.iter().map(move |f| {
                format!(
                    "- {}: {}\n",
                    escape_markdown(&label(id)),
                    escape_markdown(f)
                )
            })
        })
        .collect();
    let report = format!(
        "![{alt}]({name}/forest.png)\n\n| Study | {} | {} | Status |\n|---|---|---|---|\n{md_rows}\n{}{result}\n{}{}[contrasts.csv]({name}/contrasts.csv) · [SVG]({name}/forest.svg)\n",
        escape_markdown(c.groups[0]),
        escape_markdown(c.groups[1]),
        c.note.map_or(String::new(), |n| format!("Rationale: {}\n\n", escape_markdown(n))),
        if flags.is_empty() { String::new() } else { format!("Notes:\n\n{flags}\n") },
        if pooled_row.is_some() { format!("[pooled.csv]({}/pooled.csv) · ", spec.name) } else { String::new() },
        alt = escape_markdown(&heading),
        name = spec.name,
    );
    Ok(AnalysisOutput {
        name: spec.name.clone(),
        kind: spec.kind,
        title: heading,
        files,
        summary,
        report,
        studies: columns::study_ids(pairs.iter().map(|p| p.study_id)),
        methods: crate::analysis::Methods::new(
            methods_text,
            &[
                crate::analysis::Ref::McGrath2025,
                crate::analysis::Ref::BrookmeyerCrowley1982,
                crate::analysis::Ref::Viechtbauer2005,
                crate::analysis::Ref::KnappHartung2003,
                crate::analysis::Ref::HigginsThompson2002,
                crate::analysis::Ref::Viechtbauer2010,
            ],
        ),
    })
}
