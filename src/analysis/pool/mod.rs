//! `pool`: pools the selected figures (hazard ratios, proportions at a time
//! point, or median survival) with the metafor-validated engine, and writes
//! `pooled.csv`, `effects.csv` (every figure's derivation, or why it was
//! excluded) and a forest plot. With fewer than two usable studies nothing is
//! pooled and the report says why.

mod figures;
pub mod metafor;
pub mod methods;
pub mod options;
pub mod sensitivity;
pub mod tables;

use crate::analysis::Kind;
use crate::domain::Reads;
use crate::domain::{Evidence, StudySource};
use crate::export::{escape_markdown, to_csv};
use crate::plot::Scale;
use crate::project::AnalysisSpec;
use crate::stats::pool::{confint, rma, RmaParams, TestKind};

use super::evidence_table::selected;
use super::{export_err, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::analysis::pool::options::PoolOptions;
use crate::present::columns;
use crate::present::forest::{ForestAxis, ForestLook, ForestStudy};
use crate::present::format::{estimate, n_text, num};
use crate::present::pool_figures::{self, PoolFigures};
use crate::workflow::pool::design;
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::from_evidence;
use crate::workflow::pool::natural;

/// Figures pooled by the metafor-validated engine.
pub(crate) struct Pool;

impl Kind for Pool {
    type Options = PoolOptions;
    const READS: Reads = Reads::FIGURES;

    fn run(
        spec: &AnalysisSpec,
        o: PoolOptions,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
        let measure: Measure = o.measure.parse().map_err(|e: String| {
            bad(
                format!("options.measure: {e}"),
                "use HR, PR, PLO, PLN, PAS, PFT, CLOGLOG or MED",
            )
        })?;
        let (method, test) = crate::analysis::options::model_options(
            spec,
            "method",
            o.method.as_deref(),
            o.test.as_deref(),
        )?;
        let level = o.level.unwrap_or(95.0) / 100.0;
        let params = RmaParams {
            method,
            test,
            level,
        };
        let rows = selected(spec, evidence)?;
        let (entered, excluded) = from_evidence::effects(&rows, measure, o.exclude_derived);
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
        warnings.extend(from_evidence::shared_cohorts(&entered));

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
        let t = tables::effects_table(&entered, &excluded, &weights, &source);
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
                        crate::present::methods::software("")
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
                sensitivity::sensitivity(
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
                        .unwrap_or(sensitivity::SMALL_STUDY_MIN_K),
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
        let model = crate::present::forest::model_name(&fit);
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
        let design = design::Design::new(
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
                design::analysis_scale_null(measure, n)
                    .map_err(|m| bad(m, "leave funnel_null out for proportions and medians"))?,
            ),
            None => design::default_null(measure),
        };
        let written = figures::write(
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
                regression: fitted
                    .regression
                    .as_ref()
                    .map(|r| pool_figures::regression_view(r, &design)),
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
                    x_label: crate::present::pool_figures::axis_label(&entered, measure, unit),
                    name: crate::present::pool_models::estimate_name(measure),
                    domain: match measure {
                        Measure::Proportion(_) => Some((0.0, 100.0)),
                        Measure::MED => Some((0.0, f64::INFINITY)),
                        _ => None,
                    },
                },
                look,
                funnel_null: null,
                analysis_scale: crate::present::pool_models::analysis_scale_label(measure),
                funnel_note: if fit.k
                    < o.small_study_min_k
                        .unwrap_or(sensitivity::SMALL_STUDY_MIN_K)
                {
                    format!("With k = {}, asymmetry cannot be judged (tests need k ≥ 10; Sterne et al. 2011).", fit.k)
                } else {
                    "Asymmetry tests are reported with the analysis.".into()
                },
            },
        )?;
        files.extend(written.files);
        warnings.extend(written.warnings);
        files.extend(
            crate::analysis::pool::metafor::files(
                &spec.name,
                measure,
                params,
                &entered,
                &crate::analysis::pool::metafor::Design {
                    subgroup: design.subgroup_field().map(|f| {
                        (
                            f,
                            (0..entered.len())
                                .map(|i| design.subgroup_of(i).unwrap_or_default())
                                .collect(),
                        )
                    }),
                    moderator: design
                        .moderator()
                        .map(|(_, x)| (o.moderator.as_deref().unwrap_or("x"), x)),
                },
            )
            .map_err(export_err(spec))?,
        );
        let notes: String = warnings
            .iter()
            .map(|w| format!("- {}\n", escape_markdown(w)))
            .collect();
        let figures_md = written.markdown;
        let design_md = crate::present::pool_models::fitted_markdown(&fitted, &display);
        let sensitivity_md = sens.map_or(String::new(), |s| s.markdown);

        let p = tables::pooled_table(
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

        let methods = crate::analysis::pool::methods::pool_methods(
            measure,
            &entered,
            &fit,
            &crate::analysis::pool::methods::PoolExtras {
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
                        .unwrap_or(sensitivity::SMALL_STUDY_MIN_K),
                contours: null.is_some(),
            },
        )
        .warn(warnings.iter().cloned());
        let report = format!(
            "{figures_md}**Pooled**: {} [{}, {}] {unit} (k = {}); {}\n\n{design_md}{sensitivity_md}{}{}[pooled.csv]({name}/pooled.csv) · [effects.csv]({name}/effects.csv) · [metafor.csv]({name}/metafor.csv) + [metafor.R]({name}/metafor.R) (refits this analysis in R) · [SVG]({name}/forest.svg){loo_link}\n",
            estimate(est),
            estimate(lo),
            estimate(hi),
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
                estimate(est),
                estimate(lo),
                estimate(hi)
            ),
            report,
            studies,
            methods,
        })
    }
}

/// "< 0.0001" or "= 0.0123".
fn fmt_p(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("= {p:.4}")
    }
}
