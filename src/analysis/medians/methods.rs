//! The methods paragraph of a `medians` analysis and its references.

use super::Method;
use crate::analysis::{Methods, Ref};
use crate::present::format;

/// The method as the report and the figure name it.
pub(crate) fn method_name(m: Method) -> &'static str {
    match m {
        Method::Wald => "inverse-variance (Wald SEs)",
        Method::Mm => "median of medians",
        Method::Wmm => "weighted median of medians",
        Method::Mean => "inverse-variance (means)",
    }
}

/// The methods paragraph: each figure's route, then what was pooled and how.
pub(crate) fn methods(m: Method, conversion_text: &str, pooled: bool) -> Methods {
    let routes = if m == Method::Mean {
        "Means were taken as reported; medians with a spread were converted as below."
    } else {
        "Each reported median was assigned the route its numbers allow: with a CI, an SE from the CI assuming a Wald interval; with events only, an SE under an exponential model (flagged); with n only, median-of-medians methods only; not reached, never a number. Figures from reports that pool the same published cases (a shared cohort) were not pooled together."
    };
    let text = if pooled {
        format!(
            "{routes} {} {}",
            format::capitalise(&methods_text(m, conversion_text)),
            crate::present::methods::software("metafor 3.8, metamedian and estmeansd")
        )
    } else {
        format!(
            "{routes} Fewer than two independent, comparable figures remained, so nothing was pooled. {}",
            crate::present::methods::software("")
        )
    };
    let mut refs = vec![Ref::McGrath2025, Ref::BrookmeyerCrowley1982];
    match m {
        Method::Mm | Method::Wmm => refs.push(Ref::McGrath2019),
        Method::Mean => {
            for (name, r) in [
                ("Luo", Ref::Luo2018),
                ("Shi", Ref::Shi2020),
                ("Wan", Ref::Wan2014),
                ("Hozo", Ref::Hozo2005),
                ("McGrath", Ref::McGrath2020),
                ("Cai", Ref::Cai2021),
            ] {
                if conversion_text.contains(name) {
                    refs.push(r);
                }
            }
            refs.push(Ref::Shi2023);
            refs.push(Ref::Viechtbauer2005);
        }
        Method::Wald => refs.push(Ref::Viechtbauer2005),
    }
    Methods::new(text, &refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mln_conversion_cites_its_paper() {
        let m = methods(Method::Mean, "MLN (Cai 2021), lambda 0.2", true);
        assert!(m.refs.contains(&Ref::Cai2021), "{:?}", m.refs);
        assert!(!methods(Method::Mean, "Luo 2018", true)
            .refs
            .contains(&Ref::Cai2021));
    }
}

/// What was pooled and how, as a clause.
fn methods_text(m: Method, conversion_text: &str) -> String {
    match m {
        Method::Wald => "median survival times were pooled on the median scale with inverse-variance weights; each SE came from the reported CI assuming a Wald interval (McGrath et al. 2025) or, without a CI, from the number of events under an exponential model (flagged).".to_string(),
        Method::Mean => format!(
            "means were pooled with inverse-variance weights (SE = SD/√n); medians reported with a range and/or IQR were converted to a mean and SD first ({}), after the skewness test of Shi et al. 2023; converted values are flagged.",
            conversion_text,
        ),
        Method::Mm | Method::Wmm => format!(
            "the {} of the reported medians, with a 95% CI from inverting the sign test (McGrath et al. 2019).",
            if m == Method::Wmm { "median, weighted by sample size," } else { "median" },
        ),
    }
}
