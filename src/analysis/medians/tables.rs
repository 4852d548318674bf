//! What the `medians` kind writes: `medians.csv` (every figure, its route
//! and status, with provenance), `pooled.csv` and the figure. Formatting
//! only.

use crate::domain::{Statistic, StudySource, Vocab};
use crate::export::Table;
use crate::number::fixed;
use crate::plot::{CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale};
use crate::stats::effect::wald_ci;
use crate::stats::medians::pool_med::PooledMedian;
use crate::stats::pool::{RmaFit, Tau2Method, TestKind};

use crate::analysis::medians::{method_name, Method, Pooled, Row};
use crate::present::columns::{self, Sourced};
use crate::present::format::{estimate_with_unit, n_text, num};
use crate::workflow::medians::routes::Route;

/// `medians.csv`: every figure read, its route, SE, status and weight,
/// with provenance.
pub(crate) fn medians_table<'a>(
    rows: &[Row<'a>],
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Table {
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
        Route::Se(e, _) => Some(e.sei()),
        _ => None,
    };
    t.text("group", text(&|r| Some(r.figure.group.clone())))
        .text("population", text(&|r| Some(r.figure.population.clone())))
        .text(
            "value_status",
            text(&|r| Some(r.figure.value_status.to_string())),
        )
        .text("statistic", text(&|r| Some(r.figure.statistic.to_string())))
        .number("value", rows.iter().map(|r| r.figure.value).collect())
        .text("unit", text(&|r| Some(r.figure.unit.to_string())))
        .number(
            "pooled_value",
            rows.iter()
                .map(|r| match &r.route {
                    Route::Se(e, _) => Some(e.yi),
                    _ => None,
                })
                .collect(),
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
        .text("cohort", text(&|r| r.figure.cohort.clone()));
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}

/// The figure: each figure as reported (a converted mean where means are
/// pooled) with its CI, and the pooled estimate as a diamond.
pub(crate) fn medians_plot<'a>(
    heading: &str,
    rows: &[Row<'a>],
    pooled: Option<&Pooled>,
    method: Method,
    unit: &str,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> ComparePlot {
    let mut plot_rows: Vec<CompareRow> =
        rows.iter().map(|r| figure_row(r, method, source)).collect();
    if let Some(p) = pooled {
        let (e, l, u) = (p.estimate, p.lower, p.upper);
        plot_rows.push(CompareRow {
            summary: true,
            pi: None,
            label: crate::present::format::capitalise(method_name(method)),
            detail: String::new(),
            n_text: String::new(),
            value: Some(e),
            value_text: format!("{} ({}–{})", fixed(e, 1), fixed(l, 1), fixed(u, 1)),
            interval: Some(PlotInterval {
                kind: IntervalKind::Ci,
                lower: Some(l),
                upper: Some(u),
            }),
        });
    }
    ComparePlot {
        title: heading.to_string(),
        subtitle: Some(match (method, pooled.is_some()) {
            (Method::Mean, _) => "Means with 95% CIs (medians converted to means where marked); diamond: pooled mean.".into(),
            (_, true) => "Reported medians with 95% CIs (or model-based intervals); diamond: pooled estimate.".into(),
            (_, false) => "Reported medians with 95% CIs where reported; not pooled (see the report).".into(),
        }),
        x_label: if method == Method::Mean {
            format!("Mean ({unit})")
        } else {
            format!("Median survival ({unit})")
        },
        value_header: format!("As reported ({unit})"),
        label_header: "Study · group".into(),
        estimate_name: if method == Method::Mean { "mean" } else { "median" }.into(),
        scale: Scale::Linear,
        groups: vec![CompareGroup {
            heading: None,
            rows: plot_rows,
        }],
        reference: None,
        footnote: pooled.map(|p| p.footnote.clone()),
    }
}

/// One figure's line of the figure: as reported (the converted mean that
/// enters, when means are pooled), its CI or model-based interval when it
/// has an SE, its weight or "not pooled".
fn figure_row<'a>(
    r: &Row<'a>,
    method: Method,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> CompareRow {
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
        // Means: the (converted) mean that enters; medians as reported.
        value: match (&r.route, method) {
            (Route::Se(e, _), Method::Mean) => Some(e.yi),
            // A mean without SD is still a mean: shown, without a CI.
            (_, Method::Mean) if f.statistic == Statistic::Mean => f.value,
            (_, Method::Mean) => None,
            _ => f.value,
        },
        value_text: format!(
            "{}{}{}",
            estimate_with_unit(f),
            match (&r.route, method) {
                (Route::Se(e, _), Method::Mean) if e.derived => {
                    format!(" → mean {}", num(e.yi, 1))
                }
                _ => String::new(),
            },
            match (&r.status, r.weight) {
                (None, Some(w)) => format!("  {}%", fixed(w, 1)),
                (Some(_), _) => "  not pooled".into(),
                _ => String::new(),
            }
        ),
        interval,
    }
}

/// `pooled.csv` of an inverse-variance pool (`wald` or `mean`).
pub(crate) fn inverse_variance_table(
    method: Method,
    tau2: Tau2Method,
    test: TestKind,
    fit: &RmaFit,
    unit: &str,
) -> Table {
    let mut t = Table::default();
    t.text("method", vec![Some(method.name().into())])
        .text("tau2_method", vec![Some(tau2.to_string())])
        .text("test", vec![Some(test.to_string())])
        .integer("k", vec![Some(fit.k as u64)])
        .number("estimate", vec![Some(fit.beta[0])])
        .text("unit", vec![Some(unit.to_string())])
        .number("se", vec![Some(fit.se[0])])
        .number("ci_lower", vec![Some(fit.ci_lb[0])])
        .number("ci_upper", vec![Some(fit.ci_ub[0])])
        .number("tau2", vec![Some(fit.tau2)])
        .number("i2_percent", vec![Some(fit.i2)])
        .number("q", vec![Some(fit.q)])
        .number("q_pval", vec![Some(fit.q_pval)]);
    t
}

/// `pooled.csv` of a (weighted) median of medians (`mm` or `wmm`).
pub(crate) fn median_of_medians_table(method: Method, p: &PooledMedian, unit: &str) -> Table {
    let mut t = Table::default();
    t.text("method", vec![Some(method.name().into())])
        .integer("k", vec![Some(p.k as u64)])
        .number("estimate", vec![Some(p.estimate)])
        .text("unit", vec![Some(unit.to_string())])
        .number("ci_lower", vec![Some(p.ci_lb)])
        .number("ci_upper", vec![Some(p.ci_ub)]);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median, median_with_ci, no_source, row};
    use crate::domain::Figure;

    #[test]
    fn under_means_a_mean_without_sd_is_drawn_but_an_unconverted_median_is_not() {
        let mean = Figure {
            statistic: Statistic::Mean,
            n: Some(9),
            ..median("m", "all", 62.4)
        };
        let listed = Route::Listed("mean without SD: no SE, listed only".into());
        let got = figure_row(
            &row(&mean, listed.clone(), Some("x")),
            Method::Mean,
            &no_source,
        );
        assert_eq!(got.value, Some(62.4));
        assert!(got.interval.is_none());
        assert!(
            got.value_text.ends_with("  not pooled"),
            "{}",
            got.value_text
        );
        let med = median("d", "all", 30.0);
        let got = figure_row(&row(&med, listed, Some("x")), Method::Mean, &no_source);
        assert_eq!(got.value, None);
        // Medians are drawn as reported under the median methods.
        let got = figure_row(&row(&med, Route::ValueOnly, None), Method::Mm, &no_source);
        assert_eq!(got.value, Some(30.0));
    }

    #[test]
    fn a_figure_with_a_ci_is_drawn_with_the_reported_ci_and_its_group() {
        let f = median_with_ci("a", "spine", 40.0, 30);
        let route = crate::workflow::medians::routes::route(&f);
        let mut r = row(&f, route, None);
        r.weight = Some(50.0);
        let got = figure_row(&r, Method::Wald, &no_source);
        let i = got.interval.unwrap();
        assert_eq!((i.lower, i.upper), (Some(20.0), Some(60.0)));
        assert_eq!(got.detail, "spine");
        assert!(got.value_text.ends_with("  50.0%"), "{}", got.value_text);
    }
}
