//! What the figure is written with: the numbers behind it (CSV), the
//! report section with its Markdown table, and the methods paragraph.

use crate::domain::{Figure, StudySource};
use crate::export::{markdown_table, Table};
use crate::plot::{ComparePlot, CompareRow, IntervalKind};
use crate::present::columns::{self, Sourced};
use crate::present::format::{display_unit, estimate_text, n_text, source_text};
use crate::project::AnalysisSpec;

use super::super::Methods;
use super::words::Words;

/// The report section: the figure, what it is (nothing pooled; figures
/// without a number listed without a marker), links, and one table row per
/// figure in display order.
pub(super) fn report<'a>(
    spec: &AnalysisSpec,
    heading: &str,
    ordered: &[&'a Figure],
    rows: &[&'a Figure],
    words: &Words,
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> String {
    let table = markdown_table(
        &[
            "Study",
            "Population",
            "Group",
            &words.table_header(),
            "n",
            "Source",
        ],
        &markdown_rows(ordered, source),
    );
    format!(
        "![{alt}]({name}/compare.png)\n\nFigures as reported; nothing is pooled.{caveat} [SVG]({name}/compare.svg) · [plot data]({name}/compare.csv)\n\n{table}",
        alt = crate::export::escape_markdown(heading),
        caveat = without_number_caveat(rows),
        name = spec.name
    )
}

/// One Markdown row per figure: study, population, group, estimate, n, source.
fn markdown_rows<'a>(
    ordered: &[&'a Figure],
    source: &dyn Fn(&'a Figure) -> &'a StudySource,
) -> Vec<Vec<String>> {
    ordered
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
        .collect()
}

/// The sentence counting the figures drawn without a marker (not reached,
/// not reported), empty when every figure has a number.
pub(super) fn without_number_caveat(rows: &[&Figure]) -> String {
    let not_numeric = rows.iter().filter(|f| f.value.is_none()).count();
    if not_numeric > 0 {
        format!(
            " {} without a number (not reached / not reported) {} listed without a marker.",
            crate::number::count(not_numeric, "figure", "figures"),
            if not_numeric == 1 { "is" } else { "are" }
        )
    } else {
        String::new()
    }
}

/// The methods paragraph (no references: nothing is estimated).
pub(super) fn methods() -> Methods {
    Methods::new(
        format!(
            "Reported estimates are drawn side by side with the interval each source gives (confidence interval, interquartile range or range, each drawn differently; an unreached bound as an arrow). Nothing is pooled or converted. {}",
            crate::present::methods::software("")
        ),
        &[],
    )
}

/// The numbers behind the figure, one row per marker, with provenance.
pub(super) fn plot_data<'a>(
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
