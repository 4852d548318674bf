//! The report section of a contrast — each study's arms and status, the
//! result line, the flags — its summary line and its methods paragraph.

use super::{Contrast, ContrastSpec, Pair, PooledContrast};
use crate::analysis::{Methods, Ref};
use crate::domain::{Figure, StudySource};
use crate::export::escape_markdown;
use crate::number::fixed;
use crate::present::format::estimate_with_unit;
use crate::project::AnalysisSpec;

/// The Markdown section: forest plot, table of studies, rationale, result,
/// flags and links.
pub(crate) fn report_markdown<'a>(
    spec: &AnalysisSpec,
    heading: &str,
    pairs: &[Pair<'a>],
    pooled: Option<&PooledContrast>,
    c: &ContrastSpec<'_>,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> String {
    let label = |id: &str| source(id).short_label(id);
    let show = |f: Option<&Figure>| f.map_or("—".to_string(), estimate_with_unit);
    let md_rows: String = pairs
        .iter()
        .map(|p| {
            format!(
                "| {} | {} | {} | {} |\n",
                escape_markdown(&label(p.study_id)),
                escape_markdown(&show(p.first)),
                escape_markdown(&show(p.second)),
                escape_markdown(&status_text(p))
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
    format!(
        "![{alt}]({name}/forest.png)\n\n| Study | {} | {} | Status |\n|---|---|---|---|\n{md_rows}\n{}{}\n{}{}[contrasts.csv]({name}/contrasts.csv) · [SVG]({name}/forest.svg)\n",
        escape_markdown(c.groups[0]),
        escape_markdown(c.groups[1]),
        c.note.map_or(String::new(), |n| format!("Rationale: {}\n\n", escape_markdown(n))),
        result_line(pairs, pooled, c),
        if flags.is_empty() { String::new() } else { format!("Notes:\n\n{flags}\n") },
        if pooled.is_some() { format!("[pooled.csv]({}/pooled.csv) · ", spec.name) } else { String::new() },
        alt = escape_markdown(heading),
        name = spec.name,
    )
}

/// The Status column: why the study is not pooled, its weight when pooled,
/// else "eligible".
pub(crate) fn status_text(p: &Pair<'_>) -> String {
    match (&p.why_not, p.weight) {
        (Some(w), _) => w.clone(),
        (None, Some(w)) => format!("pooled ({}%)", fixed(w, 1)),
        (None, None) => "eligible".into(),
    }
}

/// What the estimate is shown in.
fn unit(contrast: Contrast) -> &'static str {
    match contrast {
        Contrast::Ratio => "ratio of medians",
        Contrast::Difference => "months (difference of medians)",
    }
}

/// The bold result line: the pooled contrast with its model, or how few
/// studies gave both arms.
fn result_line(
    pairs: &[Pair<'_>],
    pooled: Option<&PooledContrast>,
    c: &ContrastSpec<'_>,
) -> String {
    match pooled {
        Some(p) => {
            let (e, l, u) = p.shown;
            format!(
                "**Pooled** {} vs {} (k = {}): {} ({}–{}), {}; {}.\n",
                escape_markdown(c.groups[0]),
                escape_markdown(c.groups[1]),
                p.fit.k,
                fixed(e, 2),
                fixed(l, 2),
                fixed(u, 2),
                unit(c.contrast),
                escape_markdown(&p.model_line),
            )
        }
        None => format!(
            "**Not pooled: only {} of {} give both arms' SEs (k < 2).**\n",
            pairs.iter().filter(|p| p.effect.is_some()).count(),
            crate::number::count(pairs.len(), "study", "studies")
        ),
    }
}

/// The analysis' line in the terminal summary.
pub(crate) fn summary(
    pairs: &[Pair<'_>],
    pooled: Option<&PooledContrast>,
    contrast: Contrast,
) -> String {
    match pooled {
        Some(p) => {
            let (e, l, u) = p.shown;
            format!(
                "k = {}: {} ({}–{}) {}",
                p.fit.k,
                fixed(e, 2),
                fixed(l, 2),
                fixed(u, 2),
                unit(contrast)
            )
        }
        None => format!(
            "{}, not pooled",
            crate::number::count(pairs.len(), "study", "studies")
        ),
    }
}

/// The methods paragraph and its references.
pub(crate) fn methods(pooled: Option<&PooledContrast>, contrast: Contrast) -> Methods {
    let text = match pooled {
        Some(p) => format!(
            "Each arm's median survival SE came from its reported CI assuming a Wald interval (McGrath et al. 2025) or, without a CI, from its number of events under an exponential model (flagged); the {} per study was pooled with inverse-variance weights in {}. {}",
            match contrast {
                Contrast::Ratio => "log ratio of medians (delta method)",
                Contrast::Difference => "difference of medians",
            },
            crate::present::methods::model_words(&p.fit),
            crate::present::methods::software("metamedian's metamedian_survival and metafor 3.8")
        ),
        None => format!(
            "Each arm's median survival SE would come from its reported CI (Wald interval) or its events; fewer than two studies had both arms, so nothing was pooled. {}",
            crate::present::methods::software("")
        ),
    };
    Methods::new(
        text,
        &[
            Ref::McGrath2025,
            Ref::BrookmeyerCrowley1982,
            Ref::Viechtbauer2005,
            Ref::KnappHartung2003,
            Ref::HigginsThompson2002,
            Ref::Viechtbauer2010,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(why_not: Option<&str>, weight: Option<f64>) -> Pair<'static> {
        Pair {
            study_id: "a",
            first: None,
            second: None,
            effect: None,
            why_not: why_not.map(str::to_string),
            weight,
        }
    }

    #[test]
    fn a_study_shows_its_reason_its_weight_or_eligible() {
        assert_eq!(
            status_text(&pair(Some("no 'control' figure in this study"), None)),
            "no 'control' figure in this study"
        );
        assert_eq!(status_text(&pair(None, Some(12.34))), "pooled (12.3%)");
        assert_eq!(status_text(&pair(None, None)), "eligible");
    }

    #[test]
    fn without_a_pool_the_summary_counts_studies_and_the_methods_say_nothing_was_pooled() {
        let pairs = [pair(Some("x"), None), pair(None, None)];
        assert_eq!(
            summary(&pairs, None, Contrast::Ratio),
            "2 studies, not pooled"
        );
        let m = methods(None, Contrast::Difference);
        assert!(m.text.contains("so nothing was pooled"), "{}", m.text);
    }
}
