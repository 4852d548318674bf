//! The methods paragraph of the `pool` kind: the measure and how each
//! figure's SE was found, the model, heterogeneity, and every extra the
//! analysis ran (subgroups, sensitivity, cumulative, meta-regression, funnel,
//! small-study tests), with the literature each cites.

use crate::stats::pool::RmaFit;
use crate::workflow::pool::design;
use crate::workflow::pool::effects::Measure;
use crate::workflow::pool::from_evidence::Entered;

use super::Pooling;

impl Pooling<'_> {
    /// The methods paragraph of the pooled model and every extra it ran.
    pub(super) fn methods(
        &self,
        fit: &RmaFit,
        fitted: &design::Fitted,
        leave_one_out: bool,
        contours: bool,
        published_cis: usize,
    ) -> crate::analysis::Methods {
        use crate::domain::Vocab;
        use crate::present::pool_models::{cumulative_order_words, moderator_methods_words};
        let o = self.o;
        pool_methods(
            o.measure,
            &self.entered,
            fit,
            &PoolExtras {
                excluded: self.excluded.len(),
                exclude_derived: o.exclude_derived,
                subgroup: o.subgroup.map(|s| s.name()),
                subgroup_common: fitted.subgroups.as_ref().is_some_and(|s| s.common_tau2),
                cumulative: fitted
                    .cumulative
                    .as_ref()
                    .map(|c| cumulative_order_words(c.2)),
                leave_one_out,
                moderator: o.moderator.map(moderator_methods_words),
                bias: if !o.sensitivity() {
                    Bias::Off
                } else if fit.k < o.min_k_bias() {
                    Bias::TooFew(o.min_k_bias())
                } else {
                    Bias::Run
                },
                contours,
                published_cis,
            },
        )
    }
}

/// What the pool kind did beyond the overall model.
pub(crate) struct PoolExtras<'a> {
    pub excluded: usize,
    pub exclude_derived: bool,
    pub subgroup: Option<&'a str>,
    pub subgroup_common: bool,
    pub cumulative: Option<&'a str>,
    pub leave_one_out: bool,
    pub moderator: Option<&'a str>,
    pub bias: Bias,
    pub contours: bool,
    /// Studies whose forest row shows the published CI (it differs from
    /// the re-derived one beyond rounding).
    pub published_cis: usize,
}

/// Whether the small-study tests ran, and if not why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bias {
    /// Egger, Begg and trim-and-fill ran.
    Run,
    /// Fewer studies than the minimum k (the minimum).
    TooFew(usize),
    /// `leave_one_out = false` switched the sensitivity analyses off.
    Off,
}

/// The methods paragraph of a pooled analysis.
pub(crate) fn pool_methods(
    measure: Measure,
    entered: &[Entered<'_>],
    fit: &crate::stats::pool::RmaFit,
    x: &PoolExtras<'_>,
) -> crate::analysis::Methods {
    use crate::analysis::Ref;
    let derived = entered.iter().filter(|e| e.effect.derived).count();
    let mut refs = crate::present::methods::model_refs(fit);
    let mut s = String::new();
    s.push_str(&match measure {
        Measure::HR => {
            refs.extend([Ref::Parmar1998, Ref::Tierney2007]);
            "Hazard ratios were analysed on the log scale, with SEs from the reported CI (the printed rounding checked) or, without a CI, from an exact two-sided p-value (Parmar 1998; Tierney 2007).".to_string()
        }
        Measure::Proportion(s) => {
            if matches!(s, crate::stats::effect::proportion::Scale::PFT) {
                refs.push(Ref::MillerFreemanTukey1978);
            }
            format!("Proportions were analysed on the {measure} scale ({}), with SEs from the reported CI or, without one, from counts (events = proportion × n; for a Kaplan–Meier or actuarial proportion this ignores censoring and is flagged).", crate::present::pool_models::analysis_scale_label(measure).to_lowercase())
        }
        Measure::MED => {
            refs.push(Ref::McGrath2025);
            "Median survival times were pooled on the median scale with SEs from their reported CIs assuming a Wald interval (McGrath 2025).".to_string()
        }
        _ => format!("Effects were analysed on the {measure} scale."),
    });
    s.push_str(&format!(
        " {} of {} figures entered{}{}; per-study derivations are in effects.csv.",
        entered.len(),
        entered.len() + x.excluded,
        if x.excluded > 0 {
            " (the others are listed with the reason)"
        } else {
            ""
        },
        match (x.exclude_derived, derived) {
            (true, _) => ", leaving out every effect whose SE was approximated",
            (false, 0) => "",
            (false, _) => ", including effects whose SE was approximated (flagged)",
        }
    ));
    let fe = fit.params.method == crate::stats::pool::Tau2Method::FE;
    s.push_str(&format!(
        " They were pooled with {}; heterogeneity is described by Cochran's Q and I²{}",
        crate::present::methods::model_words(fit),
        if fe {
            ""
        } else {
            ", and tau² with its Q-profile CI"
        }
    ));
    if !fe {
        refs.push(Ref::Viechtbauer2007);
    }
    if fit.pi.is_some() {
        s.push_str(", and a prediction interval is shown");
        refs.push(Ref::HigginsThompsonSpiegelhalter2009);
    }
    s.push('.');
    if x.published_cis > 0 {
        s.push_str(&format!(
            " Where a study's published CI differs beyond rounding from the CI re-derived from its SE (an interval asymmetric on the analysis scale; {} {}), the forest plot shows the published CI, marked †; the pooling uses the SE.",
            x.published_cis,
            if x.published_cis == 1 { "study" } else { "studies" }
        ));
    }
    if let Some(g) = x.subgroup {
        s.push_str(&format!(
            " Subgroups by {g} were pooled {}, and compared by the test for subgroup differences ({}).",
            if x.subgroup_common { "with one tau² shared by all (a mixed-effects model on the subgroup factor)" } else { "each with its own tau²" },
            if x.subgroup_common { "the omnibus test of the subgroup factor" } else { "Q-between: an equal-effects meta-analysis of the subgroup estimates" }
        ));
        refs.push(Ref::Borenstein2009);
    }
    if x.leave_one_out {
        s.push_str(
            " Sensitivity: the model was refitted without each study in turn (leave-one-out).",
        );
    }
    if let Some(order) = x.cumulative {
        s.push_str(&format!(
            " A cumulative meta-analysis added the studies one at a time, {order}."
        ));
        refs.push(Ref::Lau1992);
    }
    if let Some(m) = x.moderator {
        s.push_str(&format!(" An exploratory meta-regression on {m} used the same estimator (bubble plot with the fitted line and its CI)."));
        refs.push(Ref::ThompsonHiggins2002);
    }
    s.push_str(if x.contours {
        " The funnel plot shows each study against its SE, with the pooled estimate and its pseudo 95% CI; it is contour-enhanced: shading marks where a study would be significant against the null at p < 0.10, 0.05 and 0.01."
    } else {
        " The funnel plot shows each study against its SE with the pooled estimate and its pseudo 95% CI (no null value for this measure, so no significance contours)."
    });
    if x.contours {
        refs.push(Ref::Peters2008);
    }
    match x.bias {
        Bias::Run => {
            s.push_str(" Small-study effects were tested with Egger's regression, Begg's rank correlation and trim-and-fill.");
            refs.extend([Ref::Egger1997, Ref::BeggMazumdar1994, Ref::DuvalTweedie2000]);
        }
        Bias::TooFew(min_k) => {
            s.push_str(&format!(
                " Funnel-asymmetry tests were not run (fewer than {min_k} studies)."
            ));
            refs.push(Ref::Sterne2011);
        }
        Bias::Off => s.push_str(
            " Funnel-asymmetry tests were not run (sensitivity analyses switched off: leave_one_out = false).",
        ),
    }
    s.push(' ');
    s.push_str(&crate::present::methods::software(
        "metafor 3.8 (rma.uni, confint, leave1out, cumul, predict, regtest, ranktest, trimfill)",
    ));
    refs.push(Ref::Viechtbauer2010);
    crate::analysis::Methods::new(s, &refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pool::{rma, RmaParams, Tau2Method, TestKind};

    fn fit() -> RmaFit {
        let params = RmaParams {
            method: Tau2Method::REML,
            test: TestKind::Z,
            level: 0.95,
        };
        rma(
            &[0.1, 0.4, 0.2],
            &[0.01, 0.02, 0.015],
            None,
            &["a", "b", "c"],
            params,
        )
        .unwrap()
    }

    fn extras() -> PoolExtras<'static> {
        PoolExtras {
            excluded: 0,
            exclude_derived: false,
            subgroup: None,
            subgroup_common: false,
            cumulative: None,
            leave_one_out: false,
            moderator: None,
            bias: Bias::TooFew(10),
            contours: false,
            published_cis: 0,
        }
    }

    #[test]
    fn below_the_minimum_k_the_methods_say_the_asymmetry_tests_were_not_run() {
        let m = pool_methods(Measure::HR, &[], &fit(), &extras());
        assert!(m
            .text
            .contains(" Funnel-asymmetry tests were not run (fewer than 10 studies)."));
        assert!(m
            .text
            .contains("no null value for this measure, so no significance contours"));
        let m = pool_methods(
            Measure::HR,
            &[],
            &fit(),
            &PoolExtras {
                bias: Bias::Run,
                contours: true,
                ..extras()
            },
        );
        assert!(m.text.contains("tested with Egger's regression"));
        assert!(m.text.contains("it is contour-enhanced"));
    }

    #[test]
    fn without_leave_one_out_the_methods_claim_no_small_study_tests() {
        let m = pool_methods(
            Measure::HR,
            &[],
            &fit(),
            &PoolExtras {
                bias: Bias::Off,
                ..extras()
            },
        );
        assert!(!m.text.contains("Egger"), "{}", m.text);
        assert!(m.text.contains("leave_one_out = false"));
        let m = pool_methods(
            Measure::HR,
            &[],
            &fit(),
            &PoolExtras {
                bias: Bias::TooFew(6),
                ..extras()
            },
        );
        assert!(m.text.contains("(fewer than 6 studies)"));
    }

    #[test]
    fn an_equal_effects_model_claims_no_tau2_ci_nor_prediction_interval() {
        let fe = rma(
            &[0.1, 0.4, 0.2],
            &[0.01, 0.02, 0.015],
            None,
            &["a", "b", "c"],
            RmaParams {
                method: Tau2Method::FE,
                test: TestKind::Z,
                level: 0.95,
            },
        )
        .map(crate::workflow::pool::without_equal_effects_pi)
        .unwrap();
        let m = pool_methods(Measure::HR, &[], &fe, &extras());
        assert!(!m.text.contains("Q-profile"), "{}", m.text);
        assert!(!m.text.contains("prediction interval"), "{}", m.text);
        let re = pool_methods(Measure::HR, &[], &fit(), &extras());
        assert!(re.text.contains("tau² with its Q-profile CI"));
    }

    #[test]
    fn published_cis_shown_are_said() {
        let m = pool_methods(
            Measure::HR,
            &[],
            &fit(),
            &PoolExtras {
                published_cis: 1,
                ..extras()
            },
        );
        assert!(m
            .text
            .contains("the forest plot shows the published CI, marked †"));
        assert!(!pool_methods(Measure::HR, &[], &fit(), &extras())
            .text
            .contains("published CI"));
    }

    #[test]
    fn the_extras_asked_for_are_named() {
        let m = pool_methods(
            Measure::HR,
            &[],
            &fit(),
            &PoolExtras {
                exclude_derived: true,
                subgroup: Some("population"),
                subgroup_common: true,
                moderator: Some("sample size (n)"),
                ..extras()
            },
        );
        assert!(m
            .text
            .contains("leaving out every effect whose SE was approximated"));
        assert!(m
            .text
            .contains("Subgroups by population were pooled with one tau² shared by all"));
        assert!(m.text.contains("meta-regression on sample size (n)"));
    }
}
