//! `pool`: pools the selected figures (hazard ratios, proportions at a time
//! point, or median survival) with the metafor-validated engine, and writes
//! `pooled.csv`, `effects.csv` (every figure's derivation, or why it was
//! excluded) and a forest plot. With fewer than two usable studies nothing is
//! pooled and the report says why.

use serde::Deserialize;

use crate::domain::{Evidence, StudySource};
use crate::export::{escape_markdown, to_csv};
use crate::plot::Scale;
use crate::project::AnalysisSpec;
use crate::stats::pool::{confint, rma, RmaParams, TestKind};

use super::columns;
use super::effects::Measure;
use super::evidence_table::selected;
use super::figure_effects::{self, Entered};
use super::forest::{ForestAxis, ForestLook, ForestStudy, Width};
use super::format::{n_text, num};
use super::pool_design;
use super::pool_figures::{self, PoolFigures};
use super::pool_sensitivity;
use super::pool_tables;
use super::pooling::natural;
use super::{export_err, title, AnalysisError, AnalysisOutput, OutputFile};

/// Options of `pool`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED.
    measure: String,
    /// τ² estimator (default REML).
    method: Option<String>,
    /// z (default) or knha.
    test: Option<String>,
    /// Confidence level in percent (default 95).
    level: Option<f64>,
    /// Leave out effects whose SE was back-calculated or approximated.
    #[serde(default)]
    exclude_derived: bool,
    /// Refit without each study in turn (default true; needs k ≥ 3).
    leave_one_out: Option<bool>,
    /// Fewest studies for the small-study tests (default 10).
    small_study_min_k: Option<usize>,
    /// Forest plot preset: cochrane (default) or compact.
    preset: Option<String>,
    /// Forest plot columns left of the axis: study, year, n, events, estimate, weight.
    columns_left: Option<Vec<String>>,
    /// Forest plot columns right of the axis.
    columns_right: Option<Vec<String>>,
    /// Figure width: "single" (85 mm), "double" (175 mm) or mm.
    width: Option<Width>,
    /// Labels under the axis, left and right of the null.
    favours: Option<Vec<String>>,
    /// Forest plot axis limits (display scale).
    xlim: Option<Vec<f64>>,
    /// Subgroups by a field of the figures: population, group, n_unit or outcome.
    subgroup: Option<String>,
    /// separate (default; one tau² per subgroup) or common.
    subgroup_tau2: Option<String>,
    /// Cumulative meta-analysis, studies added by year, precision or n.
    cumulative: Option<String>,
    /// Meta-regression (and bubble plot) on year, n or time_point.
    moderator: Option<String>,
    /// Centre of the funnel plot's significance contours, display scale
    /// (default 1 for hazard and median ratios, 0 for differences).
    funnel_null: Option<f64>,
}

pub(super) fn run(
    spec: &AnalysisSpec,
    evidence: &Evidence,
) -> Result<AnalysisOutput, AnalysisError> {
    let o: Options = spec.options()?;
    let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
    let measure: Measure = o.measure.parse().map_err(|e: String| {
        bad(
            format!("options.measure: {e}"),
            "use HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED",
        )
    })?;
    let (method, test) =
        super::pooling::model_options(spec, "method", o.method.as_deref(), o.test.as_deref())?;
    let level = o.level.unwrap_or(95.0) / 100.0;
    let params = RmaParams {
        method,
        test,
        level,
    };
    let rows = selected(spec, evidence)?;
    let (entered, excluded) = figure_effects::effects(&rows, measure, o.exclude_derived);
    let empty = StudySource::default();
    let source = |id: &str| evidence.studies.get(id).unwrap_or(&empty);
    let heading = title(spec, "Pooled estimate");
    let mut warnings: Vec<String> = entered
        .iter()
        .flat_map(|e| {
            e.effect.flags.iter().map(move |f| {
                format!(
                    "{}: {f}",
                    source(&e.figure.study_id).short_label(&e.figure.study_id)
                )
            })
        })
        .collect();
    warnings.extend(figure_effects::shared_cohorts(&entered));

    let y: Vec<f64> = entered.iter().map(|e| e.effect.yi).collect();
    let v: Vec<f64> = entered.iter().map(|e| e.effect.vi).collect();
    let labels: Vec<String> = entered.iter().map(|e| e.figure.study_id.clone()).collect();
    let ns: Vec<f64> = entered
        .iter()
        .filter_map(|e| e.figure.n.map(|n| n as f64))
        .collect();
    let hm = crate::stats::effect::harmonic_mean(&ns);
    let display = |y: f64| {
        natural(measure, y, hm).map_or(y, |x| {
            if matches!(measure, Measure::Proportion(_)) {
                100.0 * x
            } else {
                x
            }
        })
    };
    let fit = if entered.len() >= 2 {
        Some(
            rma(&y, &v, None, &labels, params)
                .map_err(|e| bad(e.to_string(), "check the selected figures"))?,
        )
    } else {
        None
    };
    let ci = match &fit {
        Some(f) => confint::q_profile(f, &y, &v, None)
            .map_err(|e| bad(e.to_string(), "check the selected figures"))?,
        None => None,
    };
    if let Some(f) = &fit {
        warnings.extend(f.warnings.iter().cloned());
    }

    let weights: Vec<Option<f64>> = fit.as_ref().map_or(vec![None; entered.len()], |f| {
        f.weights.iter().map(|w| Some(*w)).collect()
    });
    let t = pool_tables::effects_table(&entered, &excluded, &weights, &source);
    let effects_csv = to_csv(&t).map_err(export_err(spec))?;

    let mut files = vec![OutputFile {
        name: "effects.csv".into(),
        bytes: effects_csv,
    }];
    let studies = columns::study_ids(
        entered
            .iter()
            .map(|e| e.figure.study_id.as_str())
            .chain(excluded.iter().map(|(f, _)| f.study_id.as_str())),
    );
    let exclusions: String = excluded
        .iter()
        .map(|(f, r)| {
            format!(
                "- {} ({}): {}\n",
                escape_markdown(&source(&f.study_id).short_label(&f.study_id)),
                escape_markdown(&f.group),
                escape_markdown(r)
            )
        })
        .collect();
    let notes: String = warnings
        .iter()
        .map(|w| format!("- {}\n", escape_markdown(w)))
        .collect();
    let Some(fit) = fit else {
        let report = format!("**Not pooled**: {} of {} selected figures have the numbers needed (k < 2).\n\n{}{}[effects.csv]({}/effects.csv)\n", entered.len(), rows.len(), if exclusions.is_empty() { String::new() } else { format!("Excluded:\n\n{exclusions}\n") }, notes, spec.name);
        return Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files,
            summary: format!("not pooled (k = {})", entered.len()),
            report,
            studies,
            methods: super::Methods::new(
                format!(
                    "Figures were to be converted to the {measure} scale and pooled by inverse variance; fewer than two had the numbers needed, so nothing was pooled. {}",
                    super::methods::software("")
                ),
                &[],
            )
            .warn(warnings.iter().cloned()),
        });
    };

    let unit = match measure {
        Measure::HR => "hazard ratio",
        Measure::Proportion(_) => "%",
        _ => "months",
    };
    let (est, lo, hi) = (
        display(fit.beta[0]),
        display(fit.ci_lb[0]),
        display(fit.ci_ub[0]),
    );
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let pi = fit
        .pi
        .map(|(a, b)| (display(a).min(display(b)), display(a).max(display(b))));
    let sens = if o.leave_one_out.unwrap_or(true) {
        Some(
            pool_sensitivity::sensitivity(
                &y,
                &v,
                &labels,
                &entered
                    .iter()
                    .map(|e| source(&e.figure.study_id).short_label(&e.figure.study_id))
                    .collect::<Vec<_>>(),
                &columns::Sourced::of(
                    &entered.iter().map(|e| e.figure).collect::<Vec<_>>(),
                    &|f| source(&f.study_id),
                ),
                params,
                &display,
                o.small_study_min_k
                    .unwrap_or(pool_sensitivity::SMALL_STUDY_MIN_K),
            )
            .map_err(|e| bad(e, "check the selected figures"))?,
        )
    } else {
        None
    };
    if let Some(t) = sens.as_ref().and_then(|s| s.leave_one_out.as_ref()) {
        files.push(OutputFile {
            name: "leave_one_out.csv".into(),
            bytes: to_csv(t).map_err(export_err(spec))?,
        });
    }
    let model = super::forest::model_name(&fit);
    let het = format!(
        "Heterogeneity: tau² = {}{}; I² = {}%; Q({}) = {}, p {}. {} {} inference{}.",
        num(fit.tau2, 4),
        ci.as_ref().map_or(String::new(), |c| format!(
            " (95% CI {}–{})",
            num(c.tau2.0, 4),
            num(c.tau2.1, 4)
        )),
        num(fit.i2, 1),
        fit.q_df,
        num(fit.q, 2),
        fmt_p(fit.q_pval),
        model,
        if test == TestKind::Knha {
            "Knapp–Hartung"
        } else {
            "z"
        },
        if pi.is_some() {
            "; prediction interval shown"
        } else {
            ""
        }
    );
    let look = ForestLook::parse(
        o.preset.as_deref(),
        o.columns_left.as_deref(),
        o.columns_right.as_deref(),
        o.width.as_ref(),
        o.favours.as_deref(),
        o.xlim.as_deref(),
    )
    .map_err(|e| bad(format!("options.{e}"), "see the pool options in the README"))?;
    let design = pool_design::Design::new(
        &entered,
        &entered
            .iter()
            .map(|e| source(&e.figure.study_id).short_label(&e.figure.study_id))
            .collect::<Vec<_>>(),
        &entered
            .iter()
            .map(|e| source(&e.figure.study_id).year)
            .collect::<Vec<_>>(),
        o.subgroup.as_deref(),
        o.cumulative.as_deref(),
        o.moderator.as_deref(),
    )
    .map_err(|(m, fix)| bad(m, &fix))?;
    let fitted = design
        .fit(&y, &v, &labels, params, o.subgroup_tau2.as_deref())
        .map_err(|(m, fix)| bad(m, &fix))?;
    warnings.extend(fitted.warnings.iter().cloned());
    let forest_studies: Vec<ForestStudy> = entered
        .iter()
        .enumerate()
        .map(|(i, e)| ForestStudy {
            label: {
                let name = source(&e.figure.study_id).short_label(&e.figure.study_id);
                if e.figure.group == "all" {
                    name
                } else {
                    format!("{name} · {}", e.figure.group)
                }
            },
            year: source(&e.figure.study_id).year,
            n: n_text(e.figure),
            events: e.figure.events.map_or(String::new(), |x| x.to_string()),
            yi: y[i],
            vi: v[i],
            subgroup: design.subgroup_of(i),
        })
        .collect();
    let null = match o.funnel_null {
        Some(n) => Some(
            pool_design::analysis_scale_null(measure, n)
                .map_err(|m| bad(m, "leave funnel_null out for proportions and medians"))?,
        ),
        None => pool_design::default_null(measure),
    };
    let written = pool_figures::write(
        spec,
        &PoolFigures {
            title: &heading,
            studies: &forest_studies,
            fit: &fit,
            tau2_ci: ci.as_ref().map(|c| c.tau2),
            subgroups: fitted.subgroups.as_ref(),
            loo: sens.as_ref().and_then(|s| s.refits.as_deref()),
            cumulative: fitted.cumulative.as_ref().map(|(r, order, name)| {
                (
                    r.as_slice(),
                    order
                        .iter()
                        .map(|&i| forest_studies[i].label.clone())
                        .collect(),
                    name.clone(),
                )
            }),
            regression: fitted.regression.as_ref().map(|r| r.view(&design)),
            display: &display,
            axis: ForestAxis {
                scale: if matches!(measure, Measure::HR | Measure::ROM) {
                    Scale::Log
                } else {
                    Scale::Linear
                },
                null: match measure {
                    Measure::HR | Measure::ROM => Some(1.0),
                    Measure::DOM => Some(0.0),
                    _ => None,
                },
                x_label: axis_label(&entered, measure, unit),
                name: pool_design::estimate_name(measure),
                domain: match measure {
                    Measure::Proportion(_) => Some((0.0, 100.0)),
                    Measure::MED => Some((0.0, f64::INFINITY)),
                    _ => None,
                },
            },
            look,
            funnel_null: null,
            analysis_scale: pool_design::analysis_scale_label(measure),
            funnel_note: if fit.k
                < o.small_study_min_k
                    .unwrap_or(pool_sensitivity::SMALL_STUDY_MIN_K)
            {
                format!("With k = {}, asymmetry cannot be judged (tests need k ≥ 10; Sterne et al. 2011).", fit.k)
            } else {
                "Asymmetry tests are reported with the analysis.".into()
            },
        },
    )?;
    files.extend(written.files);
    warnings.extend(written.warnings);
    let notes: String = warnings
        .iter()
        .map(|w| format!("- {}\n", escape_markdown(w)))
        .collect();
    let figures_md = written.markdown;
    let design_md = fitted.markdown(&display);
    let sensitivity_md = sens.map_or(String::new(), |s| s.markdown);

    let p = pool_tables::pooled_table(
        measure,
        params,
        &fit,
        ci.as_ref(),
        (est, lo, hi, pi),
        unit,
        &entered,
    );
    files.insert(
        0,
        OutputFile {
            name: "pooled.csv".into(),
            bytes: to_csv(&p).map_err(export_err(spec))?,
        },
    );

    let methods = pool_methods(
        measure,
        &entered,
        &fit,
        &PoolExtras {
            excluded: excluded.len(),
            exclude_derived: o.exclude_derived,
            subgroup: o.subgroup.as_deref(),
            subgroup_common: fitted.subgroups.as_ref().is_some_and(|s| s.common_tau2),
            cumulative: fitted.cumulative.as_ref().map(|c| c.2.as_str()),
            leave_one_out: files.iter().any(|f| f.name == "leave_one_out.csv"),
            moderator: o.moderator.as_deref().map(|m| match m {
                "n" => "sample size (n)",
                "year" => "year of publication",
                _ => "time point",
            }),
            bias_tests: fit.k
                >= o.small_study_min_k
                    .unwrap_or(pool_sensitivity::SMALL_STUDY_MIN_K),
            contours: null.is_some(),
        },
    )
    .warn(warnings.iter().cloned());
    let report = format!(
        "{figures_md}**Pooled**: {} [{}, {}] {unit} (k = {}); {}\n\n{design_md}{sensitivity_md}{}{}[pooled.csv]({name}/pooled.csv) · [effects.csv]({name}/effects.csv) · [SVG]({name}/forest.svg){loo_link}\n",
        fmt(est),
        fmt(lo),
        fmt(hi),
        fit.k,
        escape_markdown(&het),
        if exclusions.is_empty() { String::new() } else { format!("Excluded:\n\n{exclusions}\n") },
        if notes.is_empty() { String::new() } else { format!("Notes:\n\n{notes}\n") },
        name = spec.name,
        loo_link = if files.iter().any(|f| f.name == "leave_one_out.csv") {
            format!(" · [leave_one_out.csv]({}/leave_one_out.csv)", spec.name)
        } else {
            String::new()
        }
    );
    Ok(AnalysisOutput {
        name: spec.name.clone(),
        kind: spec.kind,
        title: heading,
        files,
        summary: format!(
            "k = {}: {} [{}, {}] {unit}",
            fit.k,
            fmt(est),
            fmt(lo),
            fmt(hi)
        ),
        report,
        studies,
        methods,
    })
}

/// "Local control at 12 months (%)", "Hazard ratio (log scale)", "Median overall survival (months)".
fn axis_label(entered: &[Entered<'_>], measure: Measure, unit: &str) -> String {
    if measure == Measure::HR {
        return "Hazard ratio (log scale)".into();
    }
    let outcomes: std::collections::BTreeSet<_> =
        entered.iter().map(|e| e.figure.outcome).collect();
    let times: std::collections::BTreeSet<String> = entered
        .iter()
        .filter_map(|e| e.figure.time_point.map(|t| num(t, 2)))
        .collect();
    let outcome = if outcomes.len() == 1 {
        entered[0].figure.outcome.to_string().replace('_', " ")
    } else {
        "estimate".into()
    };
    let at = if times.len() == 1 {
        format!(
            " at {} months",
            times.iter().next().map_or("", String::as_str)
        )
    } else {
        String::new()
    };
    let prefix = if measure == Measure::MED {
        "median "
    } else {
        ""
    };
    super::format::capitalise(&format!("{prefix}{outcome}{at} ({unit})"))
}

fn fmt(x: f64) -> String {
    super::format::estimate(x)
}

/// "< 0.0001" or "= 0.0123".
fn fmt_p(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("= {p:.4}")
    }
}

/// What the pool kind did beyond the overall model.
struct PoolExtras<'a> {
    excluded: usize,
    exclude_derived: bool,
    subgroup: Option<&'a str>,
    subgroup_common: bool,
    cumulative: Option<&'a str>,
    leave_one_out: bool,
    moderator: Option<&'a str>,
    bias_tests: bool,
    contours: bool,
}

/// The methods paragraph of a pooled analysis.
fn pool_methods(
    measure: Measure,
    entered: &[Entered<'_>],
    fit: &crate::stats::pool::RmaFit,
    x: &PoolExtras<'_>,
) -> super::Methods {
    use super::Ref;
    let derived = entered.iter().filter(|e| e.effect.derived).count();
    let mut refs = super::methods::model_refs(fit);
    let mut s = String::new();
    s.push_str(&match measure {
        Measure::HR => {
            refs.extend([Ref::Parmar1998, Ref::Tierney2007]);
            "Hazard ratios were analysed on the log scale, with SEs from the reported CI (the printed rounding checked) or, without a CI, from an exact two-sided p-value (Parmar 1998; Tierney 2007).".to_string()
        }
        Measure::Proportion(s) => {
            if matches!(s, crate::stats::effect::proportion::Scale::PFT) {
                refs.push(Ref::MillerFreemanTukey1978);
            }
            format!("Proportions were analysed on the {measure} scale ({}), with SEs from the reported CI or, without one, from counts (events = proportion × n; for a Kaplan–Meier or actuarial proportion this ignores censoring and is flagged).", super::pool_design::analysis_scale_label(measure).to_lowercase())
        }
        Measure::MED => {
            refs.push(Ref::McGrath2025);
            "Median survival times were pooled on the median scale with SEs from their reported CIs assuming a Wald interval (McGrath 2025).".to_string()
        }
        _ => format!("Effects were analysed on the {measure} scale."),
    });
    s.push_str(&format!(
        " {} of {} figures entered{}{}; per-study derivations are in effects.csv.",
        entered.len(),
        entered.len() + x.excluded,
        if x.excluded > 0 {
            " (the others are listed with the reason)"
        } else {
            ""
        },
        match (x.exclude_derived, derived) {
            (true, _) => ", leaving out every effect whose SE was approximated",
            (false, 0) => "",
            (false, _) => ", including effects whose SE was approximated (flagged)",
        }
    ));
    s.push_str(&format!(
        " They were pooled with {}; heterogeneity is described by Cochran's Q, I² and tau² with its Q-profile CI",
        super::methods::model_words(fit)
    ));
    refs.push(Ref::Viechtbauer2007);
    if fit.pi.is_some() {
        s.push_str(", and a prediction interval is shown");
        refs.push(Ref::HigginsThompsonSpiegelhalter2009);
    }
    s.push('.');
    if let Some(g) = x.subgroup {
        s.push_str(&format!(
            " Subgroups by {g} were pooled {}, and compared by the test for subgroup differences ({}).",
            if x.subgroup_common { "with one tau² shared by all (a mixed-effects model on the subgroup factor)" } else { "each with its own tau²" },
            if x.subgroup_common { "the omnibus test of the subgroup factor" } else { "Q-between: an equal-effects meta-analysis of the subgroup estimates" }
        ));
        refs.push(Ref::Borenstein2009);
    }
    if x.leave_one_out {
        s.push_str(
            " Sensitivity: the model was refitted without each study in turn (leave-one-out).",
        );
    }
    if let Some(order) = x.cumulative {
        s.push_str(&format!(
            " A cumulative meta-analysis added the studies one at a time, {order}."
        ));
        refs.push(Ref::Lau1992);
    }
    if let Some(m) = x.moderator {
        s.push_str(&format!(" An exploratory meta-regression on {m} used the same estimator (bubble plot with the fitted line and its CI)."));
        refs.push(Ref::ThompsonHiggins2002);
    }
    s.push_str(if x.contours {
        " The funnel plot is contour-enhanced: shading marks where a study would be significant at p < 0.10, 0.05 and 0.01."
    } else {
        " The funnel plot shows each study against its SE with the pooled estimate's pseudo 95% CI (no null value for this measure, so no significance contours)."
    });
    if x.contours {
        refs.push(Ref::Peters2008);
    }
    if x.bias_tests {
        s.push_str(" Small-study effects were tested with Egger's regression, Begg's rank correlation and trim-and-fill.");
        refs.extend([Ref::Egger1997, Ref::BeggMazumdar1994, Ref::DuvalTweedie2000]);
    } else {
        s.push_str(" Funnel-asymmetry tests were not run (fewer than 10 studies).");
        refs.push(Ref::Sterne2011);
    }
    s.push(' ');
    s.push_str(&super::methods::software(
        "metafor 3.8 (rma.uni, confint, leave1out, cumul, predict, regtest, ranktest, trimfill)",
    ));
    refs.push(Ref::Viechtbauer2010);
    super::Methods::new(s, &refs)
}
