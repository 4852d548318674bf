//! `compare`: reported estimates side by side in one figure — point, CI (or
//! IQR, or range) where given, labelled with study, group and n, grouped under
//! headings. Nothing is pooled: this is the first review figure.

use crate::analysis::Kind;
use crate::domain::Reads;
use std::collections::BTreeSet;

use serde::Deserialize;

use crate::domain::{Evidence, Figure, StudySource, Unit, ValueStatus, Vocab};
use crate::export::{markdown_table, to_csv, Table};
use crate::plot::{
    render_compare_svg, CompareGroup, ComparePlot, CompareRow, IntervalKind, PlotInterval, Scale,
};
use crate::project::AnalysisSpec;

use super::evidence_table::selected;
use super::{title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns::{self, Sourced};
use crate::present::format::{
    capitalise, display_factor, display_unit, estimate_text, n_text, num, source_text,
    statistic_words,
};

/// What rows are grouped under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GroupBy {
    /// Population label (default).
    #[default]
    Population,
    /// Outcome.
    Outcome,
    /// Study.
    Study,
    /// No headings.
    None,
}

/// Options of `compare`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// Grouping of rows.
    #[serde(default)]
    group_by: GroupBy,
    /// Axis label (default from outcome, statistic and unit).
    x_label: Option<String>,
    /// Line under the title.
    subtitle: Option<String>,
    /// PNG resolution (default: the project's, 300 dpi).
    dpi: Option<u32>,
}

/// Reported medians or proportions side by side in one figure.
pub(crate) struct Compare;

impl Kind for Compare {
    type Options = Options;
    const READS: Reads = Reads::FIGURES;
    const WARNS_SHARED_COHORTS: bool = true;

    fn run(
        spec: &AnalysisSpec,
        opts: Options,
        evidence: &Evidence,
    ) -> Result<AnalysisOutput, AnalysisError> {
        let rows = selected(spec, evidence)?;
        let units: BTreeSet<&str> = rows.iter().map(|f| f.unit.name()).collect();
        if units.len() > 1 {
            return Err(spec.error(format!("selects figures in different units ({}) that cannot share one axis", units.into_iter().collect::<Vec<_>>().join(", ")), "narrow select.statistic or select.outcome so that all figures are times, or all proportions, or all ratios".into()).into());
        }
        let empty = StudySource::default();
        let source = |f: &Figure| evidence.studies.get(&f.study_id).unwrap_or(&empty);
        let statistics: BTreeSet<_> = rows.iter().map(|f| f.statistic).collect();
        let outcomes: BTreeSet<_> = rows.iter().map(|f| f.outcome).collect();
        let time_points: BTreeSet<String> = rows
            .iter()
            .filter_map(|f| f.time_point.map(|t| num(t, 2)))
            .collect();
        let unit = rows[0].unit;
        let unit_word = display_unit(unit);

        let mut ordered: Vec<&Figure> = rows.clone();
        let key = |f: &Figure| -> String {
            match opts.group_by {
                GroupBy::Population => f.population.clone(),
                GroupBy::Outcome => f.outcome.name().replace('_', " "),
                GroupBy::Study => source(f).short_label(&f.study_id),
                GroupBy::None => String::new(),
            }
        };
        // Groups in order of first appearance in the data; rows by year then label.
        let first_line = |k: &str| {
            rows.iter()
                .filter(|f| key(f) == k)
                .map(|f| f.origin.line)
                .min()
                .unwrap_or(0)
        };
        ordered.sort_by(|a, b| {
            (
                first_line(&key(a)),
                source(a).year.unwrap_or(i32::MAX),
                source(a).short_label(&a.study_id),
                a.origin.line,
            )
                .cmp(&(
                    first_line(&key(b)),
                    source(b).year.unwrap_or(i32::MAX),
                    source(b).short_label(&b.study_id),
                    b.origin.line,
                ))
        });
        let mut groups: Vec<CompareGroup> = Vec::new();
        for f in &ordered {
            let heading = (opts.group_by != GroupBy::None).then(|| key(f));
            let row = plot_row(
                f,
                source(f),
                statistics.len() > 1,
                outcomes.len() > 1 && opts.group_by != GroupBy::Outcome,
                time_points.len() > 1,
            );
            match groups.last_mut() {
                Some(g) if g.heading == heading => g.rows.push(row),
                _ => groups.push(CompareGroup {
                    heading,
                    rows: vec![row],
                }),
            }
        }

        let stat_word = if statistics.len() == 1 {
            statistic_words(rows[0].statistic)
        } else {
            "estimate".into()
        };
        let outcome_word = if outcomes.len() == 1 {
            rows[0].outcome.name().replace('_', " ")
        } else {
            String::new()
        };
        let at = if time_points.len() == 1 {
            format!(
                " at {} months",
                time_points.iter().next().map_or("", String::as_str)
            )
        } else {
            String::new()
        };
        let unit_suffix = if unit_word.is_empty() {
            String::new()
        } else {
            format!(" ({unit_word})")
        };
        let all_proportions =
            rows.iter().all(|f| f.statistic.is_proportion()) && outcomes.len() == 1;
        // "Local control at 12 months (%)" reads better than "Proportion local control ...".
        // Mixed statistics (means and medians of latency) are named by the outcome alone.
        let measure = if all_proportions || statistics.len() > 1 {
            outcome_word.clone()
        } else {
            format!("{stat_word} {outcome_word}")
        };
        let x_label = opts.x_label.clone().unwrap_or_else(|| {
            capitalise(&format!("{measure}{at}{unit_suffix}").replace("  ", " "))
        });
        let heading = title(
            spec,
            &capitalise(&format!("{stat_word} {outcome_word} across studies")),
        );
        let plot = ComparePlot {
            reference: (unit == Unit::Ratio).then_some(1.0),
            footnote: None,
            title: heading.clone(),
            subtitle: opts.subtitle.clone(),
            x_label,
            value_header: capitalise(&format!(
                "{}{unit_suffix}",
                if all_proportions {
                    &outcome_word
                } else {
                    &stat_word
                }
            )),
            label_header: "Study · group".into(),
            estimate_name: stat_word.clone(),
            scale: if unit == Unit::Ratio {
                Scale::Log
            } else {
                Scale::Linear
            },
            groups,
        };
        // An analysis' own `dpi` wins over the project's.
        let spec_dpi;
        let spec = match opts.dpi {
            Some(dpi) => {
                spec_dpi = {
                    let mut s = spec.clone();
                    s.dpi = dpi;
                    s
                };
                &spec_dpi
            }
            None => spec,
        };
        let mut files = super::figure_files(spec, "compare", render_compare_svg(&plot))?.to_vec();
        let data = plot_data(&ordered, &plot, &source);
        let csv = to_csv(&data).map_err(super::export_err(spec))?;

        let md_rows: Vec<Vec<String>> = ordered
            .iter()
            .map(|f| {
                let s = source(f);
                vec![
                    s.short_label(&f.study_id),
                    f.population.clone(),
                    f.group.clone(),
                    estimate_text(f),
                    n_text(f),
                    source_text(
                        f.provenance.source_location.as_deref(),
                        s.doi.as_deref(),
                        s.pmid.as_deref(),
                    ),
                ]
            })
            .collect();
        let table = markdown_table(
            &[
                "Study",
                "Population",
                "Group",
                &capitalise(&format!("{stat_word}{unit_suffix}")),
                "n",
                "Source",
            ],
            &md_rows,
        );
        let studies = columns::study_ids(rows.iter().map(|f| f.study_id.as_str()));
        let not_numeric = rows.iter().filter(|f| f.value.is_none()).count();
        let caveat = if not_numeric > 0 {
            format!(" {not_numeric} figure(s) without a number (not reached / not reported) are listed without a marker.")
        } else {
            String::new()
        };
        let report = format!(
            "![{alt}]({name}/compare.png)\n\nFigures as reported; nothing is pooled.{caveat} [SVG]({name}/compare.svg) · [plot data]({name}/compare.csv)\n\n{table}",
            alt = crate::export::escape_markdown(&heading),
            name = spec.name
        );
        Ok(AnalysisOutput {
            name: spec.name.clone(),
            kind: spec.kind,
            title: heading,
            files: {
                files.push(OutputFile {
                    name: "compare.csv".into(),
                    bytes: csv,
                });
                files
            },
            summary: format!("{} figures from {} studies", rows.len(), studies.len()),
            report,
            studies,
            methods: super::Methods::new(
                format!(
                    "Reported estimates are drawn side by side with the interval each source gives (confidence interval, interquartile range or range, each drawn differently; an unreached bound as an arrow). Nothing is pooled or converted. {}",
                    crate::present::methods::software("")
                ),
                &[],
            ),
        })
    }
}

fn plot_row(
    f: &Figure,
    s: &StudySource,
    show_statistic: bool,
    show_outcome: bool,
    show_time: bool,
) -> CompareRow {
    let k = display_factor(f);
    let mut detail: Vec<String> = Vec::new();
    if f.group != "all" {
        detail.push(f.group.clone());
    }
    if show_outcome {
        detail.push(f.outcome.name().replace('_', " "));
    }
    if show_statistic {
        detail.push(statistic_words(f.statistic));
    }
    if show_time {
        if let Some(t) = f.time_point {
            detail.push(format!("at {} mo", num(t, 2)));
        }
    }
    let scaled = |i: &crate::domain::Interval, kind| PlotInterval {
        kind,
        lower: i.lower.map(|v| v * k),
        upper: i.upper.map(|v| v * k),
    };
    let interval =
        f.ci.map(|c| scaled(&c.bounds, IntervalKind::Ci))
            .or_else(|| f.iqr.as_ref().map(|i| scaled(i, IntervalKind::Iqr)))
            .or_else(|| f.range.as_ref().map(|i| scaled(i, IntervalKind::Range)));
    CompareRow {
        summary: false,
        pi: None,
        label: s.short_label(&f.study_id),
        detail: detail.join(", "),
        n_text: n_text(f),
        value: if f.value_status == ValueStatus::Reported {
            f.value.map(|v| v * k)
        } else {
            None
        },
        value_text: estimate_text(f),
        interval,
    }
}

/// The numbers behind the figure, one row per marker, with provenance.
fn plot_data<'a>(
    rows: &[&'a Figure],
    plot: &ComparePlot,
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> Table {
    let plotted: Vec<(&Option<String>, &CompareRow)> = plot
        .groups
        .iter()
        .flat_map(|g| g.rows.iter().map(move |r| (&g.heading, r)))
        .collect();
    let sourced = Sourced::of(rows, source);
    let text = |g: &dyn Fn(&Figure) -> String| rows.iter().map(|f| Some(g(f))).collect::<Vec<_>>();
    let kind = |k: IntervalKind| match k {
        IntervalKind::Ci => "ci",
        IntervalKind::Iqr => "iqr",
        IntervalKind::Range => "range",
    };
    let mut t = Table::default();
    columns::identity(&mut t, &sourced);
    t.text(
        "label",
        plotted.iter().map(|(_, r)| Some(r.label.clone())).collect(),
    )
    .text(
        "heading",
        plotted.iter().map(|(h, _)| (*h).clone()).collect(),
    )
    .text(
        "detail",
        plotted
            .iter()
            .map(|(_, r)| Some(r.detail.clone()).filter(|d| !d.is_empty()))
            .collect(),
    )
    .text("outcome", text(&|f| f.outcome.to_string()))
    .text("statistic", text(&|f| f.statistic.to_string()))
    .text("value_status", text(&|f| f.value_status.to_string()))
    .number(
        "plotted_value",
        plotted.iter().map(|(_, r)| r.value).collect(),
    )
    .text(
        "interval",
        plotted
            .iter()
            .map(|(_, r)| r.interval.map(|i| kind(i.kind).to_string()))
            .collect(),
    )
    .number(
        "plotted_lower",
        plotted
            .iter()
            .map(|(_, r)| r.interval.and_then(|i| i.lower))
            .collect(),
    )
    .number(
        "plotted_upper",
        plotted
            .iter()
            .map(|(_, r)| r.interval.and_then(|i| i.upper))
            .collect(),
    )
    .text("plotted_unit", text(&|f| display_unit(f.unit).to_string()))
    .integer("n", rows.iter().map(|f| f.n).collect());
    columns::location(&mut t, &sourced);
    columns::data_origin(&mut t, &sourced);
    t
}
