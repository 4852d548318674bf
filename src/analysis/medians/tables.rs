//! What the `medians` kind writes: `medians.csv` (every figure, its route
//! and status, with provenance) and the figure. Formatting only.

use crate::domain::{Statistic, StudySource};
use crate::export::Table;
use crate::plot::{CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale};
use crate::stats::effect::wald_ci;

use crate::analysis::medians::{method_name, Method, Row};
use crate::present::columns::{self, Sourced};
use crate::present::format::{estimate_with_unit, n_text, num};
use crate::workflow::medians::routes::Route;

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
        Route::Se(e, _) => Some(e.vi.sqrt()),
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

pub(crate) fn medians_plot<'a>(
    heading: &str,
    rows: &[Row<'a>],
    pooled: Option<&(f64, f64, f64, String)>,
    method: Method,
    unit: &str,
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
            label: crate::present::format::capitalise(method_name(method)),
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
        footnote: pooled.map(|p| p.3.clone()),
    }
}
