//! The `medians` kind with `contrast = ["G1", "G2"]`: within each study,
//! the median of group G1 against that of G2 — their difference (months)
//! or the log of their ratio (McGrath et al. 2025) — pooled by inverse
//! variance. Each arm's SE comes from its CI (Wald) or, without one, from
//! its events under an exponential model (flagged). Writes `contrasts.csv`,
//! `pooled.csv` and a forest plot.

use std::collections::BTreeMap;

use crate::domain::{parsed_as_vocab, Figure, StudySource, Vocab};
use crate::plot::render_compare_svg;
use crate::project::AnalysisSpec;
use crate::stats::effect::Effect;
use crate::stats::pool::{RmaFit, Tau2Method, TestKind};

use crate::analysis::{figure_files, title, AnalysisError, AnalysisOutput, OutputFile};
use crate::present::columns;

mod output;
mod pairs;
mod pooling;
mod report;

/// Difference or ratio of medians (`effect = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contrast {
    /// m₁ − m₂ (months).
    Difference,
    /// ln(m₁/m₂), shown as the ratio.
    Ratio,
}

impl Vocab for Contrast {
    const WHAT: &'static str = "effect";
    const ALL: &'static [(&'static str, Self)] = &[
        ("difference", Contrast::Difference),
        ("ratio", Contrast::Ratio),
    ];
}

parsed_as_vocab!(Contrast);

impl Contrast {
    /// A value on the pooling scale as shown: the ratio for a log ratio.
    pub(crate) fn display(self, y: f64) -> f64 {
        match self {
            Contrast::Ratio => y.exp(),
            Contrast::Difference => y,
        }
    }

    /// The heading without a title: "Difference of medians" or "Ratio of
    /// medians".
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Contrast::Difference => "Difference of medians",
            Contrast::Ratio => "Ratio of medians",
        }
    }
}

/// Everything the contrast needs from the kind's options.
pub(crate) struct ContrastSpec<'s> {
    /// The two groups, G1 then G2.
    pub groups: [&'s str; 2],
    /// Difference or ratio.
    pub contrast: Contrast,
    /// τ² estimator.
    pub tau2: Tau2Method,
    /// Inference.
    pub test: TestKind,
    /// Studies the analysis leaves out, study_id → reason.
    pub exclude: &'s BTreeMap<String, String>,
    /// The analyst's rationale.
    pub note: Option<&'s str>,
}

/// One study's pair of arms and what became of it.
pub(crate) struct Pair<'a> {
    /// The study.
    pub(crate) study_id: &'a str,
    /// Its G1 figure (the first, when there are several).
    pub(crate) first: Option<&'a Figure>,
    /// Its G2 figure (the first, when there are several).
    pub(crate) second: Option<&'a Figure>,
    /// G1 against G2 on the pooling scale, when both arms give one.
    pub(crate) effect: Option<Effect>,
    /// Why the study is not pooled (None: it is, or is eligible).
    pub(crate) why_not: Option<String>,
    /// Weight in percent, when pooled.
    pub(crate) weight: Option<f64>,
}

/// The pooled contrast: the fit and its estimate on the display scale.
pub(crate) struct PooledContrast {
    /// The random-effects fit on the pooling scale.
    pub(crate) fit: RmaFit,
    /// Estimate, lower and upper 95% CI bound, as shown.
    pub(crate) shown: (f64, f64, f64),
    /// The model line (τ², I², Q), for the result line and the forest.
    pub(crate) model_line: String,
}

/// Runs the contrast over the selected median figures: pairs the arms of
/// each study, pools the studies where both give an SE, and writes the
/// tables, the forest plot and the report section.
pub(crate) fn run<'a>(
    spec: &AnalysisSpec,
    figures: &[&'a Figure],
    c: &ContrastSpec<'_>,
    source: &dyn Fn(&str) -> &'a StudySource,
) -> Result<AnalysisOutput, AnalysisError> {
    let heading = title(spec, c.contrast.heading());
    let by_study = pairs::group_by_study(figures, c.groups);
    pairs::check_exclusions(spec, &by_study, c.exclude)?;
    let mut pairs = pairs::pair_up(&by_study, c);
    let pooled = pooling::pool(spec, &mut pairs, c)?;
    let mut tables = vec![("contrasts.csv", output::contrasts_table(&pairs, source))];
    if let Some(p) = &pooled {
        tables.push(("pooled.csv", output::pooled_table(c, &p.fit)));
    }
    let mut files = tables
        .iter()
        .map(|(name, t)| OutputFile::csv(spec, name, t))
        .collect::<Result<Vec<_>, _>>()?;
    let plot = output::forest_plot(&heading, &pairs, pooled.as_ref(), c, source);
    files.extend(figure_files(spec, "forest", render_compare_svg(&plot))?);
    Ok(AnalysisOutput {
        name: spec.name.clone(),
        kind: spec.kind,
        report: report::report_markdown(spec, &heading, &pairs, pooled.as_ref(), c, source),
        title: heading,
        files,
        summary: report::summary(&pairs, pooled.as_ref(), c.contrast),
        studies: columns::study_ids(pairs.iter().map(|p| p.study_id)),
        methods: report::methods(pooled.as_ref(), c.contrast),
    })
}

#[cfg(test)]
mod tests {
    use super::Contrast;

    #[test]
    fn the_heading_names_the_contrast_asked_for() {
        assert_eq!(Contrast::Ratio.heading(), "Ratio of medians");
        assert_eq!(Contrast::Difference.heading(), "Difference of medians");
    }
}
