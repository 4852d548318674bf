//! Options of a `medians` analysis, typed: the method, τ² estimator, test,
//! conversion, skewness policy and contrast effect are vocabularies parsed
//! once when survlit.toml is read; each has its default here.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::contrast::{Contrast, ContrastSpec};
use super::Method;
use crate::analysis::AnalysisError;
use crate::project::AnalysisSpec;
use crate::stats::medians::fivenum::ClosedForm;
use crate::stats::pool::{Tau2Method, TestKind};
use crate::workflow::medians::ConvertMethod;
use crate::workflow::medians::SkewedPolicy;

/// Options of `medians`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    /// wald (default), mm, wmm or mean.
    pub(crate) method: Option<Method>,
    /// τ² estimator for wald (default REML).
    pub(crate) tau2: Option<Tau2Method>,
    /// z (default) or knha, for wald.
    pub(crate) test: Option<TestKind>,
    /// Figures the analysis leaves out, "study_id/group" → reason.
    #[serde(default)]
    pub(crate) exclude: BTreeMap<String, String>,
    /// method = "mean": how medians are converted (luo-shi, luo-wan, hozo,
    /// qe, bc, mln).
    pub(crate) conversion: Option<ConvertMethod>,
    /// method = "mean": skewed summaries are excluded (default), converted
    /// on the log scale (lognormal) or kept.
    pub(crate) skewed: Option<SkewedPolicy>,
    /// Leave out converted or model-based values (the sensitivity analysis).
    #[serde(default)]
    pub(crate) exclude_derived: bool,
    /// The analyst's rationale (what is pooled and why), printed in the report.
    pub(crate) note: Option<String>,
    /// Two groups to contrast within each study, e.g. ["experimental", "control"].
    pub(crate) contrast: Option<Vec<String>>,
    /// With contrast: difference (default) or ratio of medians.
    pub(crate) effect: Option<Contrast>,
}

impl Options {
    /// The pooling method; wald when not given.
    pub(crate) fn method(&self) -> Method {
        self.method.unwrap_or(Method::Wald)
    }

    /// The τ² estimator; REML when not given.
    pub(crate) fn tau2(&self) -> Tau2Method {
        self.tau2.unwrap_or(Tau2Method::REML)
    }

    /// The test; z when not given.
    pub(crate) fn test(&self) -> TestKind {
        self.test.unwrap_or(TestKind::Z)
    }

    /// How medians become means; Luo/Shi when not given.
    pub(crate) fn conversion(&self) -> ConvertMethod {
        self.conversion
            .unwrap_or(ConvertMethod::Closed(ClosedForm::LuoShi))
    }

    /// What becomes of a skewed summary; excluded when not given.
    pub(crate) fn skewed(&self) -> SkewedPolicy {
        self.skewed.unwrap_or(SkewedPolicy::Exclude)
    }

    /// The within-study contrast the options ask for (None: no `contrast`):
    /// exactly two groups, pooled by inverse variance, the difference of
    /// medians unless `effect` says ratio.
    pub(crate) fn contrast_spec(
        &self,
        spec: &AnalysisSpec,
    ) -> Result<Option<ContrastSpec<'_>>, AnalysisError> {
        let bad = |m: String, f: &str| -> AnalysisError { spec.error(m, f.into()).into() };
        let Some(groups) = &self.contrast else {
            return Ok(None);
        };
        let [g1, g2] = groups.as_slice() else {
            return Err(bad(
                format!("options.contrast: {} group(s) given", groups.len()),
                "name two groups, e.g. contrast = [\"experimental\", \"control\"]",
            ));
        };
        if self.method() != Method::Wald {
            return Err(bad(
                "options.contrast pools by inverse variance".into(),
                "use method = \"wald\" (the default) with contrast",
            ));
        }
        Ok(Some(ContrastSpec {
            groups: [g1.as_str(), g2.as_str()],
            contrast: self.effect.unwrap_or(Contrast::Difference),
            tau2: self.tau2(),
            test: self.test(),
            exclude: &self.exclude,
            note: self.note.as_deref(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::medians::fixtures::spec;

    /// The options as `spec.options()` reads them, or its message.
    fn parse(options: &str) -> Result<Options, String> {
        spec(options).options().map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_wald_reml_z_luo_shi_and_skewed_excluded() {
        let o = parse("{}").unwrap();
        assert_eq!(o.method(), Method::Wald);
        assert_eq!(o.tau2(), Tau2Method::REML);
        assert_eq!(o.test(), TestKind::Z);
        assert_eq!(o.conversion(), ConvertMethod::Closed(ClosedForm::LuoShi));
        assert_eq!(o.skewed(), SkewedPolicy::Exclude);
        assert!(!o.exclude_derived);
        assert!(o.exclude.is_empty());
    }

    #[test]
    fn every_vocabulary_reads_its_words() {
        let o = parse(
            "{ method = \"wmm\", tau2 = \"DL\", test = \"knha\", conversion = \"qe\", skewed = \"lognormal\", effect = \"ratio\" }",
        )
        .unwrap();
        assert_eq!(o.method(), Method::Wmm);
        assert_eq!(o.tau2(), Tau2Method::DL);
        assert_eq!(o.test(), TestKind::Knha);
        assert_eq!(o.conversion(), ConvertMethod::Qe);
        assert_eq!(o.skewed(), SkewedPolicy::LogNormal);
        assert_eq!(o.effect, Some(Contrast::Ratio));
        for (word, want) in [
            ("luo-wan", ConvertMethod::Closed(ClosedForm::LuoWan)),
            ("hozo", ConvertMethod::Closed(ClosedForm::Hozo)),
            ("bc", ConvertMethod::Bc),
            ("mln", ConvertMethod::Mln),
        ] {
            let o = parse(&format!("{{ conversion = \"{word}\" }}")).unwrap();
            assert_eq!(o.conversion(), want, "{word}");
        }
    }

    #[test]
    fn a_wrong_word_fails_when_the_options_are_read_naming_the_allowed_ones() {
        let err = parse("{ method = \"wam\" }").unwrap_err();
        assert!(
            err.contains("unknown method 'wam'") && err.contains("use wald, mm, wmm, mean"),
            "{err}"
        );
        let err = parse("{ conversion = \"luo\" }").unwrap_err();
        assert!(
            err.contains("use luo-shi, luo-wan, hozo, qe, bc, mln"),
            "{err}"
        );
        let err = parse("{ skewed = \"drop\" }").unwrap_err();
        assert!(err.contains("use exclude, lognormal, keep"), "{err}");
        let err = parse("{ effect = \"log\" }").unwrap_err();
        assert!(err.contains("use difference, ratio"), "{err}");
        let err = parse("{ test = \"t\" }").unwrap_err();
        assert!(err.contains("use z, knha"), "{err}");
    }

    #[test]
    fn a_contrast_names_two_groups_pools_by_wald_and_defaults_to_the_difference() {
        let s = spec("{ contrast = [\"experimental\", \"control\"], test = \"knha\" }");
        let o: Options = s.options().unwrap();
        let c = o.contrast_spec(&s).unwrap().unwrap();
        assert_eq!(c.groups, ["experimental", "control"]);
        assert_eq!(c.contrast, Contrast::Difference);
        assert_eq!((c.tau2, c.test), (Tau2Method::REML, TestKind::Knha));
        let s = spec("{ contrast = [\"experimental\"] }");
        let err = s
            .options::<Options>()
            .unwrap()
            .contrast_spec(&s)
            .err()
            .unwrap();
        assert!(err.to_string().contains("1 group(s) given"), "{err}");
        let s = spec("{ contrast = [\"a\", \"b\"], method = \"mm\" }");
        let err = s
            .options::<Options>()
            .unwrap()
            .contrast_spec(&s)
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("pools by inverse variance"),
            "{err}"
        );
        let s = spec("{ method = \"mm\" }");
        assert!(s
            .options::<Options>()
            .unwrap()
            .contrast_spec(&s)
            .unwrap()
            .is_none());
    }
}
