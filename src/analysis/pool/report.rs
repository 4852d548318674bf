//! The `pool` kind's report section: the pooled estimate on the display
//! scale with its heterogeneity line, the design's and the sensitivity
//! sections, the excluded figures and the notes, and the links to every
//! file — or, with k < 2, why nothing was pooled. Words only; the numbers
//! come from the fits.

use crate::export::escape_markdown;
use crate::number::{estimate_decimals, fixed};
use crate::stats::pool::confint::HeterogeneityCi;
use crate::stats::pool::{RmaFit, TestKind};

/// The pooled estimate on the display scale, bounds ordered (a decreasing
/// back-transform, such as cloglog, swaps them).
pub(super) struct Shown {
    /// The estimate.
    pub est: f64,
    /// Lower CI bound.
    pub lo: f64,
    /// Upper CI bound.
    pub hi: f64,
    /// The prediction interval, when the model has one.
    pub pi: Option<(f64, f64)>,
    /// Decimals of the estimates and CIs (the forest plot's).
    pub decimals: usize,
}

impl Shown {
    /// The fit's estimate, CI and prediction interval through `display`
    /// (`percent` when the display scale is percentages).
    pub fn of(fit: &RmaFit, display: &dyn Fn(f64) -> f64, percent: bool) -> Shown {
        let ordered = |a: f64, b: f64| {
            let (a, b) = (display(a), display(b));
            (a.min(b), a.max(b))
        };
        let (lo, hi) = ordered(fit.ci_lb[0], fit.ci_ub[0]);
        Shown {
            est: display(fit.beta[0]),
            lo,
            hi,
            pi: fit.pi.map(|(a, b)| ordered(a, b)),
            decimals: estimate_decimals(percent, display(fit.beta[0])),
        }
    }

    /// "0.85 [0.78, 0.91]".
    pub fn estimate_ci(&self) -> String {
        format!(
            "{} [{}, {}]",
            fixed(self.est, self.decimals),
            fixed(self.lo, self.decimals),
            fixed(self.hi, self.decimals)
        )
    }
}

/// The parts of the report other sections write.
pub(super) struct Sections {
    /// The figures with their captions and links.
    pub figures: String,
    /// Subgroups and meta-regression.
    pub design: String,
    /// Leave-one-out and small-study effects.
    pub sensitivity: String,
    /// The excluded figures, one list item each ([`exclusions`]).
    pub exclusions: String,
}

/// The excluded figures as list items: "- study (group): reason".
pub(super) fn exclusions<'a>(excluded: impl Iterator<Item = (String, &'a str, &'a str)>) -> String {
    excluded
        .map(|(study, group, reason)| {
            format!(
                "- {} ({}): {}\n",
                escape_markdown(&study),
                escape_markdown(group),
                escape_markdown(reason)
            )
        })
        .collect()
}

/// The warnings as list items.
fn notes(warnings: &[String]) -> String {
    warnings
        .iter()
        .map(|w| format!("- {}\n", escape_markdown(w)))
        .collect()
}

/// "Excluded:" and the list, or nothing when no figure was excluded.
fn excluded_section(exclusions: &str) -> String {
    if exclusions.is_empty() {
        String::new()
    } else {
        format!("Excluded:\n\n{exclusions}\n")
    }
}

/// The report when fewer than two of the `selected` figures entered: the
/// count, the exclusions, the warnings (unheaded) and the effects table.
pub(super) fn not_pooled(
    name: &str,
    k: usize,
    selected: usize,
    exclusions: &str,
    warnings: &[String],
) -> String {
    format!(
        "**Not pooled**: {k} of {selected} selected figures have the numbers needed (k < 2).\n\n{}{}[effects.csv]({name}/effects.csv)\n",
        excluded_section(exclusions),
        notes(warnings)
    )
}

/// The report of a pooled analysis named `name`; `loo` says whether
/// `leave_one_out.csv` was written.
#[allow(clippy::too_many_arguments)]
pub(super) fn pooled(
    name: &str,
    fit: &RmaFit,
    ci: Option<&HeterogeneityCi>,
    test: TestKind,
    shown: &Shown,
    unit: &str,
    s: &Sections,
    warnings: &[String],
    loo: bool,
) -> String {
    let notes = notes(warnings);
    format!(
        "{}**Pooled**: {} {unit} (k = {}); {}\n\n{}{}{}{}[pooled.csv]({name}/pooled.csv) · [effects.csv]({name}/effects.csv) · [metafor.csv]({name}/metafor.csv) + [metafor.R]({name}/metafor.R) (refits this analysis in R) · [SVG]({name}/forest.svg){}\n",
        s.figures,
        shown.estimate_ci(),
        fit.k,
        escape_markdown(&heterogeneity(fit, ci, test, shown.pi.is_some())),
        s.design,
        s.sensitivity,
        excluded_section(&s.exclusions),
        if notes.is_empty() { String::new() } else { format!("Notes:\n\n{notes}\n") },
        if loo {
            format!(" · [leave_one_out.csv]({name}/leave_one_out.csv)")
        } else {
            String::new()
        }
    )
}

/// "Heterogeneity: tau² = … (95% CI …–…); I² = …%; Q(df) = …, p = …. <model> z inference."
/// — the forest plot's heterogeneity line, then the model.
fn heterogeneity(fit: &RmaFit, ci: Option<&HeterogeneityCi>, test: TestKind, pi: bool) -> String {
    format!(
        "{}. {} {} inference{}.",
        crate::present::forest::heterogeneity(
            fit.tau2,
            ci.map(|c| c.tau2),
            fit.params.level,
            fit.i2,
            fit.q,
            fit.q_df,
            fit.q_pval
        ),
        crate::present::pool_models::model_name(fit),
        crate::present::pool_models::inference_name(test),
        if pi {
            "; prediction interval shown"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_pooling_lists_exclusions_then_warnings() {
        let ex =
            exclusions([("Bishop 2017".to_string(), "all", "no CI and no p-value")].into_iter());
        let r = not_pooled("hr", 1, 3, &ex, &["Folkert 2014: approximate".into()]);
        assert_eq!(
            r,
            "**Not pooled**: 1 of 3 selected figures have the numbers needed (k < 2).\n\n\
             Excluded:\n\n- Bishop 2017 (all): no CI and no p-value\n\n\
             - Folkert 2014: approximate\n[effects.csv](hr/effects.csv)\n"
        );
    }

    #[test]
    fn without_exclusions_there_is_no_excluded_heading() {
        assert_eq!(excluded_section(""), "");
        assert!(not_pooled("x", 0, 0, "", &[]).starts_with("**Not pooled**: 0 of 0"));
        assert!(!not_pooled("x", 0, 0, "", &[]).contains("Excluded"));
    }
}
