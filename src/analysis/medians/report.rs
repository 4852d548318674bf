//! The report section of a `medians` analysis — the table of figures with
//! their routes and statuses, the notes, the result line — and its line in
//! the terminal summary. Words and formatted numbers only.

use super::{figure_label, method_name, Method, Outcome, Row};
use crate::domain::StudySource;
use crate::export::escape_markdown;
use crate::number::fixed;
use crate::present::format::{estimate_with_unit, n_text};
use crate::project::AnalysisSpec;
use crate::workflow::medians::routes::Route;

/// What the report section shows besides the rows.
pub(crate) struct Section<'s> {
    /// The heading (also the figure's alt text).
    pub(crate) heading: &'s str,
    /// The pooling method.
    pub(crate) method: Method,
    /// The figures' unit.
    pub(crate) unit: &'s str,
    /// Studies that share a cohort, one note each.
    pub(crate) overlap_notes: &'s [String],
    /// The analyst's rationale.
    pub(crate) note: Option<&'s str>,
}

/// The Markdown section: figure, table of figures, rationale, result,
/// notes and links.
pub(crate) fn report_markdown<'a>(
    spec: &AnalysisSpec,
    s: &Section<'_>,
    rows: &[Row<'a>],
    outcome: &Outcome,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> String {
    let md_rows: String = rows.iter().map(|r| table_row(r, source)).collect();
    let notes: String = s
        .overlap_notes
        .iter()
        .chain(&flags(rows, source))
        .map(|n| format!("- {}\n", escape_markdown(n)))
        .collect();
    let rationale = s.note.map_or(String::new(), |n| {
        format!("Rationale: {}\n\n", escape_markdown(n))
    });
    let result = result_line(outcome, s.method, s.unit);
    format!(
        "![{alt}]({name}/medians.png)\n\n| Study · group | Population | n | Reported | Route | Status |\n|---|---|---|---|---|---|\n{md_rows}\n{rationale}{result}\n{}{}[medians.csv]({name}/medians.csv) · [SVG]({name}/medians.svg)\n",
        if notes.is_empty() { String::new() } else { format!("Notes:\n\n{notes}\n") },
        if outcome.pooled().is_some() { format!("[pooled.csv]({}/pooled.csv) · ", spec.name) } else { String::new() },
        alt = escape_markdown(s.heading),
        name = spec.name,
    )
}

/// One figure's line of the report table.
fn table_row<'a>(r: &Row<'a>, source: &dyn Fn(&str) -> &'a StudySource) -> String {
    let f = r.figure;
    format!(
        "| {} | {} | {} | {} | {} | {} |\n",
        escape_markdown(&figure_label(f, source)),
        escape_markdown(&f.population),
        n_text(f),
        escape_markdown(&estimate_with_unit(f)),
        escape_markdown(&r.route.label()),
        escape_markdown(&status_text(r)),
    )
}

/// The Status column: why the figure is not pooled ("not pooled" when
/// that only repeats its route), its weight when pooled, else "eligible"
/// (it could enter, but nothing was pooled).
pub(crate) fn status_text(r: &Row<'_>) -> String {
    match (&r.status, r.weight) {
        (Some(s), _) if *s == r.route.label() => "not pooled".to_string(),
        (Some(s), _) => s.clone(),
        (None, Some(w)) => format!("pooled ({}%)", fixed(w, 1)),
        (None, None) => "eligible".into(),
    }
}

/// The flags of the figures that enter (converted or model-based values),
/// each after its figure's label.
pub(crate) fn flags<'a>(rows: &[Row<'a>], source: &dyn Fn(&str) -> &'a StudySource) -> Vec<String> {
    rows.iter()
        .filter(|r| r.status.is_none())
        .flat_map(|r| match &r.route {
            Route::Se(e, _) => e
                .flags
                .iter()
                .map(|fl| format!("{}: {fl}", figure_label(r.figure, source)))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The bold result line: the pooled estimate with its model, or why
/// nothing was pooled.
fn result_line(outcome: &Outcome, method: Method, unit: &str) -> String {
    match outcome {
        Outcome::Pooled(p) => format!(
            "**Pooled** ({}, k = {}): {} {unit} ({}–{}); {}.\n",
            method_name(method),
            p.k,
            fixed(p.estimate, 1),
            fixed(p.lower, 1),
            fixed(p.upper, 1),
            escape_markdown(&p.footnote),
        ),
        Outcome::NotPooled(why) => format!("**{}**\n", escape_markdown(why)),
    }
}

/// The analysis' line in the terminal summary.
pub(crate) fn summary(outcome: &Outcome, figures: usize, method: Method, unit: &str) -> String {
    match outcome {
        Outcome::Pooled(p) => format!(
            "k = {}: {} ({}–{}) {unit}",
            p.k,
            fixed(p.estimate, 1),
            fixed(p.lower, 1),
            fixed(p.upper, 1)
        ),
        Outcome::NotPooled(_) => format!(
            "{figures} {}, not pooled",
            if method == Method::Mean {
                "figures"
            } else {
                "medians"
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::{median, median_with_ci, no_source, row};
    use crate::domain::Figure;

    #[test]
    fn a_status_that_repeats_the_route_reads_not_pooled() {
        let f = median("a", "all", 10.0);
        let listed = Route::Listed("mean without SD: no SE, listed only".into());
        let r = row(&f, listed, Some("mean without SD: no SE, listed only"));
        assert_eq!(status_text(&r), "not pooled");
        let r = row(&f, Route::NOnly, Some("no n to weight by"));
        assert_eq!(status_text(&r), "no n to weight by");
    }

    #[test]
    fn an_entering_figure_shows_its_weight_or_eligible_when_nothing_was_pooled() {
        let f = median("a", "all", 10.0);
        let mut r = row(&f, Route::NOnly, None);
        assert_eq!(status_text(&r), "eligible");
        r.weight = Some(37.26);
        assert_eq!(status_text(&r), "pooled (37.3%)");
    }

    #[test]
    fn only_entering_figures_carry_their_flags_into_the_notes() {
        let f = Figure {
            events: Some(25),
            ..median("ev", "spine", 20.0)
        };
        let route = crate::workflow::medians::routes::route(&f);
        assert!(matches!(&route, Route::Se(e, _) if !e.flags.is_empty()));
        let entering = [row(&f, route.clone(), None)];
        let got = flags(&entering, &no_source);
        assert!(
            !got.is_empty() && got[0].starts_with("ev (spine): "),
            "{got:?}"
        );
        let left_out = [row(&f, route, Some("left out by the analysis: x"))];
        assert!(flags(&left_out, &no_source).is_empty());
        let g = median_with_ci("ci", "all", 46.0, 67);
        let wald = [row(&g, crate::workflow::medians::routes::route(&g), None)];
        assert!(flags(&wald, &no_source).is_empty());
    }

    #[test]
    fn the_summary_counts_figures_or_medians_when_nothing_is_pooled() {
        let none = Outcome::NotPooled("Not pooled: x.".into());
        assert_eq!(
            summary(&none, 3, Method::Mean, "months"),
            "3 figures, not pooled"
        );
        assert_eq!(
            summary(&none, 2, Method::Mm, "months"),
            "2 medians, not pooled"
        );
    }
}
