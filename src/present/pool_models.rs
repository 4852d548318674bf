//! Fitted meta-analytic models in words: the model line, the subgroup and
//! meta-regression summary of the report, and the names of a measure's
//! estimate and analysis scale.

use crate::domain::Vocab;
use crate::number::{fixed, i2 as i2_text, num, p_value, significant, statistic, tau2, PStyle};
use crate::stats::pool::{RmaFit, Tau2Method, TestKind};
use crate::workflow::pool::design::{CumulativeOrder, Fitted, Moderator};
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::natural;

/// The model's name: "Random-effects model (REML)" or "Equal-effects
/// model" (the forest's overall row, the report and the model line).
pub fn model_name(fit: &RmaFit) -> String {
    if fit.params.method == Tau2Method::FE {
        "Equal-effects model".into()
    } else {
        format!("Random-effects model ({})", fit.params.method)
    }
}

/// The inference's name: "Knapp–Hartung" or "z".
pub fn inference_name(test: TestKind) -> &'static str {
    match test {
        TestKind::Knha => "Knapp–Hartung",
        TestKind::Z => "z",
    }
}

/// "Random-effects model (REML), z inference; tau² = …, I² = …%, Q(df) = …"
/// for a fitted model, in the one number style.
pub fn model_line(fit: &RmaFit) -> String {
    format!(
        "{}, {} inference; tau² = {}, I² = {}%, Q({}) = {}",
        model_name(fit),
        inference_name(fit.params.test),
        tau2(fit.tau2),
        i2_text(fit.i2),
        fit.q_df,
        statistic(fit.q)
    )
}

/// A meta-regression's moderator test as the report and the bubble plot
/// print it: "F(1, 3) = 12.10, p = 0.040; residual tau² = 0.1114".
pub fn moderator_test_text(fit: &RmaFit) -> String {
    let (qm, df, p) = fit.qm.unwrap_or((f64::NAN, 0, f64::NAN));
    format!(
        "{}({df}{}) = {}, {}; residual tau² = {}",
        if fit.df.is_some() { "F" } else { "QM" },
        fit.df.map_or(String::new(), |d| format!(", {}", num(d, 0))),
        statistic(qm),
        p_value(p, PStyle::Prose),
        tau2(fit.tau2)
    )
}

/// The test for subgroup differences: "Q(2) = 24.30, p < 0.001" (F with
/// two df under a common τ² with Knapp–Hartung).
pub fn subgroup_test_text(sg: &crate::stats::pool::subgroups::Subgroups) -> String {
    format!(
        "{} = {}, {}",
        match sg.df2 {
            Some(d2) => format!("F({}, {d2})", sg.df),
            None => format!("Q({})", sg.df),
        },
        statistic(sg.stat),
        p_value(sg.pval, PStyle::Prose)
    )
}

/// Report text: the subgroup estimates and test, the regression.
/// Estimates and CIs at `decimals` ([`crate::number::estimate_decimals`], the forest's).
pub(crate) fn fitted_markdown(
    fitted: &Fitted,
    display: &dyn Fn(f64) -> f64,
    decimals: usize,
) -> String {
    let estimate = |x: f64| fixed(x, decimals);
    let mut s = String::new();
    if let (Some(sg), Some(field)) = (&fitted.subgroups, fitted.subgroup_field) {
        let field = field.name();
        s.push_str(&format!(
            "Subgroups by {field} ({} tau²):\n\n| subgroup | k | estimate [CI] | I² |\n|---|---|---|---|\n",
            if sg.common_tau2 { "common" } else { "separate" }
        ));
        for g in &sg.groups {
            let (a, b) = (display(g.ci_lb), display(g.ci_ub));
            s.push_str(&format!(
                "| {} | {} | {} [{}, {}] | {} |\n",
                crate::export::escape_markdown(&g.group),
                g.k,
                estimate(display(g.estimate)),
                estimate(a.min(b)),
                estimate(a.max(b)),
                if g.i2.is_nan() || g.k < 2 {
                    "—".to_string()
                } else {
                    format!("{}%", i2_text(g.i2))
                }
            ));
        }
        s.push_str(&format!(
            "\nTest for subgroup differences: {}.\n\n",
            subgroup_test_text(sg)
        ));
    }
    if let (Some(r), Some(m)) = (&fitted.regression, fitted.moderator) {
        let label = moderator_label(m);
        s.push_str(&format!(
            "Meta-regression on {label} (exploratory): slope {} (SE {}) per unit on the analysis scale, {}.\n\n",
            significant(r.fit.beta[1], 3),
            significant(r.fit.se[1], 3),
            moderator_test_text(&r.fit)
        ));
    }
    s
}

/// Analysis scale → the scale the report shows: the natural scale
/// ([`natural`]; `harmonic_n` for the PFT back-transform), proportions in
/// percent; a measure without a natural scale stays as it is.
pub fn display_scale(measure: Measure, harmonic_n: f64) -> impl Fn(f64) -> f64 {
    let percent = matches!(measure, Measure::Proportion(_));
    move |y: f64| natural(measure, y, harmonic_n).map_or(y, |x| if percent { 100.0 * x } else { x })
}

/// The unit of the displayed estimate: "hazard ratio", "%" or "months".
pub fn natural_unit(measure: Measure) -> &'static str {
    match measure {
        Measure::HR => "hazard ratio",
        Measure::Proportion(_) => "%",
        _ => "months",
    }
}

/// The moderator as the report and the bubble plot name it.
pub fn moderator_label(m: Moderator) -> &'static str {
    match m {
        Moderator::Year => "year of publication",
        Moderator::N => "sample size",
        Moderator::TimePoint => "time point (months)",
    }
}

/// The moderator as the methods paragraph names it.
pub fn moderator_methods_words(m: Moderator) -> &'static str {
    match m {
        Moderator::N => "sample size (n)",
        Moderator::Year => "year of publication",
        Moderator::TimePoint => "time point",
    }
}

/// The cumulative order in words ("most precise first (smallest variance)").
pub fn cumulative_order_words(by: CumulativeOrder) -> &'static str {
    match by {
        CumulativeOrder::Year => "by year of publication",
        CumulativeOrder::Precision => "most precise first (smallest variance)",
        CumulativeOrder::N => "largest first (n)",
    }
}

/// The estimate's name in column headers.
pub fn estimate_name(measure: Measure) -> String {
    match measure {
        Measure::HR => "Hazard ratio".into(),
        Measure::ROM => "Ratio of medians".into(),
        Measure::DOM => "Difference of medians".into(),
        Measure::MED => "Median (months)".into(),
        Measure::Proportion(_) => "Proportion (%)".into(),
        Measure::GEN => "Estimate".into(),
    }
}

/// The analysis scale's name (funnel plot axis).
pub fn analysis_scale_label(measure: Measure) -> String {
    match measure {
        Measure::HR => "Log hazard ratio".into(),
        Measure::ROM => "Log ratio of medians".into(),
        Measure::Proportion(s) => match s {
            crate::stats::effect::proportion::Scale::PR => "Proportion".into(),
            crate::stats::effect::proportion::Scale::PLN => "Log proportion".into(),
            crate::stats::effect::proportion::Scale::PLO => "Logit proportion".into(),
            crate::stats::effect::proportion::Scale::PAS => "Arcsine square-root proportion".into(),
            crate::stats::effect::proportion::Scale::PFT => {
                "Freeman–Tukey double-arcsine proportion".into()
            }
            crate::stats::effect::proportion::Scale::CLOGLOG => {
                "Complementary log-log survival".into()
            }
        },
        Measure::MED => "Median (months)".into(),
        Measure::DOM => "Difference of medians (months)".into(),
        Measure::GEN => "Effect".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::effect::proportion::Scale;
    use crate::stats::pool::{rma, RmaParams, NO_LABELS};

    #[test]
    fn the_model_line_names_the_model_and_its_inference_once() {
        let fit = |method, test| {
            let params = RmaParams {
                method,
                test,
                level: 0.95,
            };
            rma(
                &[0.1, 0.3, 0.5],
                &[0.01, 0.02, 0.03],
                None,
                NO_LABELS,
                params,
            )
            .unwrap()
        };
        let re = fit(Tau2Method::REML, TestKind::Knha);
        assert_eq!(model_name(&re), "Random-effects model (REML)");
        assert!(model_line(&re)
            .starts_with("Random-effects model (REML), Knapp–Hartung inference; tau² = "));
        let fe = fit(Tau2Method::FE, TestKind::Z);
        assert_eq!(model_name(&fe), "Equal-effects model");
        assert!(model_line(&fe).starts_with("Equal-effects model, z inference; tau² = 0, I² = "));
    }

    #[test]
    fn proportions_are_shown_in_percent_ratios_exponentiated() {
        let plo = display_scale(Measure::Proportion(Scale::PLO), 50.0);
        assert!((plo(0.0) - 50.0).abs() < 1e-12);
        let hr = display_scale(Measure::HR, 50.0);
        assert!((hr(2f64.ln()) - 2.0).abs() < 1e-12);
        assert_eq!(display_scale(Measure::MED, 50.0)(14.5), 14.5);
        assert_eq!(display_scale(Measure::GEN, 50.0)(-0.3), -0.3);
    }

    #[test]
    fn units_follow_the_measure() {
        assert_eq!(natural_unit(Measure::HR), "hazard ratio");
        assert_eq!(natural_unit(Measure::Proportion(Scale::PFT)), "%");
        assert_eq!(natural_unit(Measure::MED), "months");
    }

    #[test]
    fn the_moderator_is_named_for_the_report_and_for_the_methods() {
        assert_eq!(moderator_label(Moderator::N), "sample size");
        assert_eq!(moderator_methods_words(Moderator::N), "sample size (n)");
        assert_eq!(moderator_label(Moderator::TimePoint), "time point (months)");
        assert_eq!(moderator_methods_words(Moderator::TimePoint), "time point");
        assert_eq!(
            cumulative_order_words(CumulativeOrder::Precision),
            "most precise first (smallest variance)"
        );
    }
}
