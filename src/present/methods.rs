//! The methods paragraph of each analysis and the literature it cites:
//! what was done, stated exactly (measure, estimator, test, CI type,
//! conversions and reconstruction used, software version), so a review
//! can paste it. The report numbers the references in order of first use.

/// A methods reference.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum Ref {
    /// DerSimonian & Laird 1986.
    DerSimonianLaird1986,
    /// Viechtbauer 2005 (REML and other τ² estimators).
    Viechtbauer2005,
    /// Viechtbauer 2010 (metafor).
    Viechtbauer2010,
    /// Knapp & Hartung 2003.
    KnappHartung2003,
    /// Higgins & Thompson 2002 (I²).
    HigginsThompson2002,
    /// Viechtbauer 2007 (Q-profile CI for τ²).
    Viechtbauer2007,
    /// Higgins, Thompson & Spiegelhalter 2009 (prediction interval).
    HigginsThompsonSpiegelhalter2009,
    /// Borenstein et al. 2009 (subgroups, Q-between).
    Borenstein2009,
    /// Lau et al. 1992 (cumulative meta-analysis).
    Lau1992,
    /// Peters et al. 2008 (contour-enhanced funnel plot).
    Peters2008,
    /// Egger et al. 1997.
    Egger1997,
    /// Begg & Mazumdar 1994.
    BeggMazumdar1994,
    /// Duval & Tweedie 2000 (trim-and-fill).
    DuvalTweedie2000,
    /// Sterne et al. 2011 (funnel-asymmetry tests need k ≥ 10).
    Sterne2011,
    /// Thompson & Higgins 2002 (meta-regression).
    ThompsonHiggins2002,
    /// Kaplan & Meier 1958.
    KaplanMeier1958,
    /// Greenwood 1926.
    Greenwood1926,
    /// Brookmeyer & Crowley 1982 (CI of the median).
    BrookmeyerCrowley1982,
    /// Morris et al. 2019 (KMunicate).
    Morris2019,
    /// Cox 1972.
    Cox1972,
    /// Efron 1977 (ties).
    Efron1977,
    /// Grambsch & Therneau 1994 (proportional-hazards test).
    GrambschTherneau1994,
    /// Therneau: R survival package.
    TherneauSurvival,
    /// Guyot et al. 2012 (reconstructing IPD from KM curves).
    Guyot2012,
    /// Wan et al. 2014.
    Wan2014,
    /// Luo et al. 2018.
    Luo2018,
    /// Shi et al. 2020.
    Shi2020,
    /// Shi et al. 2023 (skewness tests).
    Shi2023,
    /// Hozo et al. 2005.
    Hozo2005,
    /// McGrath et al. 2020 (QE, BC methods).
    McGrath2020,
    /// Cai, Zhou & Pan 2021 (MLN: the method for unknown non-normal
    /// distributions, a Box–Cox transform to normality).
    Cai2021,
    /// McGrath et al. 2019 (median of medians, one-stage methods).
    McGrath2019,
    /// McGrath et al. 2025 (meta-analysis of median survival times).
    McGrath2025,
    /// Freeman & Tukey 1950 / Miller 1978 (double arcsine).
    MillerFreemanTukey1978,
    /// Parmar et al. 1998 (HR from summary statistics).
    Parmar1998,
    /// Tierney et al. 2007 (practical HR extraction).
    Tierney2007,
}

impl Ref {
    /// The full citation.
    pub fn citation(self) -> &'static str {
        match self {
            Ref::DerSimonianLaird1986 => "DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials 1986;7(3):177–188. doi:10.1016/0197-2456(86)90046-2",
            Ref::Viechtbauer2005 => "Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the random-effects model. J Educ Behav Stat 2005;30(3):261–293. doi:10.3102/10769986030003261",
            Ref::Viechtbauer2010 => "Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw 2010;36(3):1–48. doi:10.18637/jss.v036.i03",
            Ref::KnappHartung2003 => "Knapp G, Hartung J. Improved tests for a random effects meta-regression with a single covariate. Stat Med 2003;22(17):2693–2710. doi:10.1002/sim.1482",
            Ref::HigginsThompson2002 => "Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med 2002;21(11):1539–1558. doi:10.1002/sim.1186",
            Ref::Viechtbauer2007 => "Viechtbauer W. Confidence intervals for the amount of heterogeneity in meta-analysis. Stat Med 2007;26(1):37–52. doi:10.1002/sim.2514",
            Ref::HigginsThompsonSpiegelhalter2009 => "Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects meta-analysis. J R Stat Soc A 2009;172(1):137–159. doi:10.1111/j.1467-985X.2008.00552.x",
            Ref::Borenstein2009 => "Borenstein M, Hedges LV, Higgins JPT, Rothstein HR. Introduction to Meta-Analysis. Chichester: Wiley; 2009 (chapter 19, subgroup analyses).",
            Ref::Lau1992 => "Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC. Cumulative meta-analysis of therapeutic trials for myocardial infarction. N Engl J Med 1992;327(4):248–254. doi:10.1056/NEJM199207233270406",
            Ref::Peters2008 => "Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L. Contour-enhanced meta-analysis funnel plots help distinguish publication bias from other causes of asymmetry. J Clin Epidemiol 2008;61(10):991–996. doi:10.1016/j.jclinepi.2007.11.010",
            Ref::Egger1997 => "Egger M, Davey Smith G, Schneider M, Minder C. Bias in meta-analysis detected by a simple, graphical test. BMJ 1997;315(7109):629–634. doi:10.1136/bmj.315.7109.629",
            Ref::BeggMazumdar1994 => "Begg CB, Mazumdar M. Operating characteristics of a rank correlation test for publication bias. Biometrics 1994;50(4):1088–1101. doi:10.2307/2533446",
            Ref::DuvalTweedie2000 => "Duval S, Tweedie R. Trim and fill: a simple funnel-plot-based method of testing and adjusting for publication bias in meta-analysis. Biometrics 2000;56(2):455–463. doi:10.1111/j.0006-341x.2000.00455.x",
            Ref::Sterne2011 => "Sterne JAC, Sutton AJ, Ioannidis JPA, et al. Recommendations for examining and interpreting funnel plot asymmetry in meta-analyses of randomised controlled trials. BMJ 2011;343:d4002. doi:10.1136/bmj.d4002",
            Ref::ThompsonHiggins2002 => "Thompson SG, Higgins JPT. How should meta-regression analyses be undertaken and interpreted? Stat Med 2002;21(11):1559–1573. doi:10.1002/sim.1187",
            Ref::KaplanMeier1958 => "Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc 1958;53(282):457–481. doi:10.1080/01621459.1958.10501452",
            Ref::Greenwood1926 => "Greenwood M. The natural duration of cancer. Reports on Public Health and Medical Subjects 33. London: HMSO; 1926.",
            Ref::BrookmeyerCrowley1982 => "Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics 1982;38(1):29–41. doi:10.2307/2530286",
            Ref::Morris2019 => "Morris TP, Jarvis CI, Cragg W, Phillips PPJ, Choodari-Oskooei B, Sydes MR. Proposals on Kaplan–Meier plots in medical research and a survey of stakeholder views: KMunicate. BMJ Open 2019;9(9):e030215. doi:10.1136/bmjopen-2019-030215",
            Ref::Cox1972 => "Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34(2):187–220. doi:10.1111/j.2517-6161.1972.tb00899.x",
            Ref::Efron1977 => "Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc 1977;72(359):557–565. doi:10.1080/01621459.1977.10480613",
            Ref::GrambschTherneau1994 => "Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals. Biometrika 1994;81(3):515–526. doi:10.1093/biomet/81.3.515",
            Ref::TherneauSurvival => "Therneau TM. A Package for Survival Analysis in R (survival), version 3.5. https://CRAN.R-project.org/package=survival",
            Ref::Guyot2012 => "Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data: reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol 2012;12:9. doi:10.1186/1471-2288-12-9",
            Ref::Wan2014 => "Wan X, Wang W, Liu J, Tong T. Estimating the sample mean and standard deviation from the sample size, median, range and/or interquartile range. BMC Med Res Methodol 2014;14:135. doi:10.1186/1471-2288-14-135",
            Ref::Luo2018 => "Luo D, Wan X, Liu J, Tong T. Optimally estimating the sample mean from the sample size, median, mid-range, and/or mid-quartile range. Stat Methods Med Res 2018;27(6):1785–1805. doi:10.1177/0962280216669183",
            Ref::Shi2020 => "Shi J, Luo D, Weng H, et al. Optimally estimating the sample standard deviation from the five-number summary. Res Synth Methods 2020;11(5):641–654. doi:10.1002/jrsm.1429",
            Ref::Shi2023 => "Shi J, Luo D, Wan X, et al. Detecting the skewness of data from the five-number summary and its application in meta-analysis. Stat Methods Med Res 2023;32(7):1338–1360. doi:10.1177/09622802231172043",
            Ref::Hozo2005 => "Hozo SP, Djulbegovic B, Hozo I. Estimating the mean and variance from the median, range, and the size of a sample. BMC Med Res Methodol 2005;5:13. doi:10.1186/1471-2288-5-13",
            Ref::McGrath2020 => "McGrath S, Zhao X, Steele R, Thombs BD, Benedetti A. Estimating the sample mean and standard deviation from commonly reported quantiles in meta-analysis. Stat Methods Med Res 2020;29(9):2520–2537. doi:10.1177/0962280219889080",
            Ref::Cai2021 => "Cai S, Zhou J, Pan J. Estimating the sample mean and standard deviation from order statistics and sample size in meta-analysis. Stat Methods Med Res 2021;30(12):2701–2719. doi:10.1177/09622802211047348",
            Ref::McGrath2019 => "McGrath S, Zhao X, Qin ZZ, Steele R, Benedetti A. One-sample aggregate data meta-analysis of medians. Stat Med 2019;38(6):969–984. doi:10.1002/sim.8013",
            Ref::McGrath2025 => "McGrath S, et al. Meta-analysis of median survival times (the metamedian_survival method: standard errors from reported confidence intervals, inverse-variance pooling). arXiv:2503.03065, 2025.",
            Ref::Parmar1998 => "Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform meta-analyses of the published literature for survival endpoints. Stat Med 1998;17(24):2815–2834. doi:10.1002/(SICI)1097-0258(19981230)17:24<2815::AID-SIM110>3.0.CO;2-8",
            Ref::Tierney2007 => "Tierney JF, Stewart LA, Ghersi D, Burdett S, Sydes MR. Practical methods for incorporating summary time-to-event data into meta-analysis. Trials 2007;8:16. doi:10.1186/1745-6215-8-16",
            Ref::MillerFreemanTukey1978 => "Miller JJ. The inverse of the Freeman–Tukey double arcsine transformation. Am Stat 1978;32(4):138. doi:10.1080/00031305.1978.10479283",
        }
    }
}

/// What an analysis did, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Methods {
    /// The paragraph, plain text.
    pub text: String,
    /// References it cites.
    pub refs: Vec<Ref>,
    /// Warnings the analysis raised (also listed under Data quality).
    pub warnings: Vec<String>,
}

impl Methods {
    /// A paragraph citing `refs`.
    pub fn new(text: impl Into<String>, refs: &[Ref]) -> Methods {
        Methods {
            text: text.into(),
            refs: refs.to_vec(),
            warnings: Vec::new(),
        }
    }

    /// With the analysis' warnings.
    pub fn warn(mut self, warnings: impl IntoIterator<Item = String>) -> Methods {
        self.warnings.extend(warnings);
        self
    }
}

/// "survlit 0.1.0 (validated against …)".
pub fn software(validated_against: &str) -> String {
    format!(
        "Computed with survlit {}{}.",
        env!("CARGO_PKG_VERSION"),
        if validated_against.is_empty() {
            String::new()
        } else {
            format!(", whose results are checked in its test suite against {validated_against}")
        }
    )
}

/// "a random-effects model (tau² by REML) with Knapp–Hartung t inference at
/// the 95% level" for a fitted model.
pub fn model_words(fit: &crate::stats::pool::RmaFit) -> String {
    use crate::stats::pool::{Tau2Method, TestKind};
    format!(
        "{} with {} inference at the {}% level",
        if fit.params.method == Tau2Method::FE {
            "an equal-effects (inverse-variance) model".to_string()
        } else {
            format!(
                "a random-effects model (tau² by {})",
                tau2_words(fit.params.method)
            )
        },
        if fit.params.test == TestKind::Knha {
            "Knapp–Hartung t"
        } else {
            "normal (z)"
        },
        super::format::num(fit.params.level * 100.0, 1)
    )
}

/// The τ² estimator in words.
pub fn tau2_words(m: crate::stats::pool::Tau2Method) -> String {
    use crate::stats::pool::Tau2Method as T;
    match m {
        T::DL => "the DerSimonian–Laird method".into(),
        T::REML => "restricted maximum likelihood, REML".into(),
        T::ML => "maximum likelihood".into(),
        T::PM => "the Paule–Mandel method".into(),
        T::HE => "the Hedges method".into(),
        T::HS => "the Hunter–Schmidt method".into(),
        T::SJ => "the Sidik–Jonkman method".into(),
        T::EB => "the empirical Bayes method".into(),
        other => format!("{other}"),
    }
}

/// The references of a fitted model's estimator and test.
pub fn model_refs(fit: &crate::stats::pool::RmaFit) -> Vec<Ref> {
    use crate::stats::pool::{Tau2Method, TestKind};
    let mut r = Vec::new();
    match fit.params.method {
        Tau2Method::FE => {}
        Tau2Method::DL => r.push(Ref::DerSimonianLaird1986),
        _ => r.push(Ref::Viechtbauer2005),
    }
    if fit.params.test == TestKind::Knha {
        r.push(Ref::KnappHartung2003);
    }
    r.push(Ref::HigginsThompson2002);
    r
}
