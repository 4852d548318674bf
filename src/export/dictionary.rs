//! `reports/DICTIONARY.md`: every CSV under `reports/`, each column with its
//! type (as the table that wrote it declares it) and meaning. Meanings are looked up
//! by file name and column, then by column; a column without one is listed
//! as undocumented (a test keeps the LMS project free of them).

use std::collections::BTreeMap;

use super::markdown::markdown_table;
use super::Schema;

/// Meaning of a column in one kind of file (by file name), where it differs
/// from the column's general meaning.
const BY_FILE: &[(&str, &str, &str)] = &[
    ("pooled.csv", "estimate", "pooled estimate on the analysis scale (logit, log HR, …; see measure)"),
    ("pooled.csv", "se", "standard error of the pooled estimate (analysis scale)"),
    ("pooled.csv", "k", "number of studies pooled"),
    ("pooled.csv", "studies", "study ids pooled, ';'-separated"),
    ("pooled.csv", "value", "pooled value in the figures' unit"),
    ("medians.csv", "value", "the reported median or mean, in unit"),
    ("leave_one_out.csv", "estimate", "pooled estimate without the omitted study (natural scale)"),
    ("leave_one_out.csv", "ci_lb", "lower CI bound without the omitted study (natural scale)"),
    ("leave_one_out.csv", "ci_ub", "upper CI bound without the omitted study (natural scale)"),
    ("cox.csv", "se", "standard error of the coefficient (log hazard ratio)"),
    ("cox.csv", "row", "what the row holds: coefficient (a model term) or ph_test (the proportional-hazards test of a term, or global)"),
    ("contrasts.csv", "estimate", "within-study contrast of medians (difference, or log ratio)"),
    ("contrasts.csv", "se", "standard error of the contrast"),
    ("contrasts.csv", "effect", "within-study contrast of the two medians: difference (months) or log ratio"),
    ("pooled.csv", "contrast", "the two groups compared, first vs second"),
    ("pooled.csv", "scale", "scale of the contrast: difference of medians (months) or log ratio of medians"),
    ("audit.csv", "value", "the claim's number in the canonical unit"),
    ("audit.csv", "text", "the draft's sentence making the claim"),
    ("audit.csv", "location", "where in the draft the claim is"),
    ("audit.csv", "study_id", "study the claim cites (empty: none)"),
    ("audit.csv", "population", "population the draft attributes the number to, in its words"),
    ("audit.csv", "statistic", "statistic the draft says the number is"),
    ("audit.csv", "outcome", "outcome the draft names"),
    ("metafor.csv", "study", "study id (and group when not 'all'): metafor's slab"),
    ("metafor.csv", "ni", "n of the figure (metafor's ni; used by the PFT back-transform)"),
    ("compare.csv", "estimate", "estimate as displayed (source's decimals)"),
    ("km.csv", "time_months", "time of the step, months from the time origin"),
    ("ipd.csv", "time_months", "reconstructed event or censoring time, months"),
    ("ipd.csv", "event", "1 = event, 0 = censored (reconstructed)"),
];

/// General meanings.
const COLUMNS: &[(&str, &str)] = &[
    ("study_id", "identifier of the source (one paper, or one report of a cohort)"),
    ("study_label", "short display label of the source"),
    ("citation", "full citation of the source"),
    ("year", "publication year"),
    ("doi", "DOI, lower case, without resolver"),
    ("pmid", "PubMed id"),
    ("source_location", "page, table, figure or section where the number is printed"),
    ("source_url", "public address where the number was read"),
    ("quote", "the sentence quoted from the source"),
    ("notes", "extractor's notes"),
    ("confidence", "extractor's confidence in the value and its attribution"),
    ("data_file", "input file the row was read from (provenance)"),
    ("data_line", "line of that file (CSV) or row (spreadsheet)"),
    ("outcome", "what was measured (overall_survival, local_control, latency, …)"),
    ("population", "short population label used to group figures"),
    ("population_detail", "full description of the population"),
    ("group", "arm or subgroup within the population ('all' = whole population)"),
    ("statistic", "kind of summary (median, mean, proportion_at_t, hazard_ratio, …)"),
    ("value_status", "reported, not_reached or not_reported"),
    ("value", "the value in the canonical unit (months; proportion 0–1; ratio)"),
    ("unit", "canonical unit of the value, CI, range, IQR and SD"),
    ("reported_value", "the value exactly as written in the input"),
    ("reported_unit", "the unit as written in the input"),
    ("time_point_months", "time point of a proportion, months"),
    ("time_origin", "what time is counted from"),
    ("derivation", "how the number was obtained or derived (estimator, conversion, SE route)"),
    ("n", "number of patients (or lesions, sites: see n_unit)"),
    ("n_unit", "what n counts: patients, lesions or treatment_sites"),
    ("events", "number of events"),
    ("ci_lower", "lower confidence bound, canonical unit"),
    ("ci_upper", "upper confidence bound, canonical unit"),
    ("ci_level", "confidence level, 0–1"),
    ("range_min", "smallest value of the reported range"),
    ("range_max", "largest value of the reported range"),
    ("iqr_lower", "first quartile"),
    ("iqr_upper", "third quartile"),
    ("sd", "standard deviation"),
    ("p_value", "p-value as printed (with <, ≤, > when printed so)"),
    ("tags", "';'-separated tags used to select rows"),
    ("cohort", "patients counted by other studies too; rows of different studies with one cohort are not independent"),
    ("case_id", "patient identifier"),
    ("age_years", "age at presentation, years"),
    ("sex", "F, M or unknown"),
    ("primary_site", "site of the primary tumour"),
    ("primary_treatment", "treatment of the primary tumour"),
    ("latency_months", "months from the primary tumour to the spinal presentation"),
    ("spinal_level", "spinal level(s) of the metastasis"),
    ("treatment", "treatment of the metastasis"),
    ("adjuvant", "adjuvant therapy"),
    ("follow_up_months", "follow-up, months from follow_up_origin"),
    ("follow_up_origin", "what follow-up is counted from"),
    ("status", "status of the row: vital status of a case, or pooled/excluded for an effect, or the route's status for a median"),
    ("vital_status", "status at last follow-up (alive_ned, dead_disease, …)"),
    ("event", "1 = death (event), 0 = alive (censored), empty = unknown"),
    ("entered", "whether the patient entered the Kaplan–Meier analysis"),
    ("reason", "why the row was excluded or left out (empty when it entered)"),
    ("time_months", "time, months"),
    ("arm", "arm of a digitised curve"),
    ("method", "method: tau² estimator (pool), reconstruction method, or pooling method of medians"),
    ("source", "where the patient rows come from: cases (case reports) or reconstructed (from curves)"),
    ("n_risk", "number at risk just before the time"),
    ("n_event", "events at the time"),
    ("n_censor", "censored at the time"),
    ("surv", "Kaplan–Meier survival estimate"),
    ("se_surv", "standard error of the survival estimate (Greenwood)"),
    ("ci_lb", "lower confidence bound (analysis scale unless named _natural)"),
    ("ci_ub", "upper confidence bound (analysis scale unless named _natural)"),
    ("yi", "effect size on the analysis scale (metafor's yi)"),
    ("vi", "sampling variance of yi (metafor's vi)"),
    ("sei", "standard error of yi (√vi)"),
    ("weight_pct", "weight in the pooled estimate, percent"),
    ("weight_percent", "weight in the pooled estimate, percent"),
    ("flags", "caveats of the derivation (approximated SE, asymmetric CI, …)"),
    ("measure", "effect measure (HR, PLO, PR, MED, …) as in metafor"),
    ("test", "z, or knha (Knapp–Hartung t)"),
    ("level", "confidence level, percent"),
    ("k", "number of studies"),
    ("estimate", "estimate"),
    ("se", "standard error"),
    ("pval", "p-value"),
    ("pi_lb", "lower bound of the prediction interval (analysis scale)"),
    ("pi_ub", "upper bound of the prediction interval (analysis scale)"),
    ("estimate_natural", "pooled estimate back-transformed to the natural scale (natural_unit)"),
    ("ci_lb_natural", "lower CI bound, natural scale"),
    ("ci_ub_natural", "upper CI bound, natural scale"),
    ("pi_lb_natural", "lower prediction bound, natural scale"),
    ("pi_ub_natural", "upper prediction bound, natural scale"),
    ("natural_unit", "unit of the natural-scale columns"),
    ("tau2", "between-study variance τ²"),
    ("tau2_ci_lb", "lower Q-profile CI bound of τ²"),
    ("tau2_ci_ub", "upper Q-profile CI bound of τ²"),
    ("tau2_method", "τ² estimator"),
    ("i2", "I², percent"),
    ("i2_percent", "I², percent"),
    ("h2", "H²"),
    ("q", "Cochran's Q"),
    ("q_df", "degrees of freedom of Q"),
    ("q_pval", "p-value of Q"),
    ("studies", "study ids, ';'-separated"),
    ("refit", "which refit: the study omitted (leave-one-out) or added (cumulative)"),
    ("route", "what the median's numbers allow: a CI → Wald SE, b events → exponential SE, c n only → median of medians, d not reached"),
    ("pooled_value", "the value that entered the pool (converted mean, or the median)"),
    ("heading", "the row group of the figure"),
    ("label", "row label in the figure"),
    ("detail", "the group or detail shown under the label"),
    ("interval", "which interval is drawn: CI, IQR or range"),
    ("plotted_value", "value as plotted"),
    ("plotted_lower", "lower end as plotted (empty: open)"),
    ("plotted_upper", "upper end as plotted (empty: open)"),
    ("plotted_unit", "unit of the plotted numbers"),
    ("term", "model term"),
    ("coef", "coefficient (log hazard ratio)"),
    ("hr", "hazard ratio, exp(coef)"),
    ("hr_ci_lb", "lower CI bound of the hazard ratio"),
    ("hr_ci_ub", "upper CI bound of the hazard ratio"),
    ("z", "Wald z statistic"),
    ("chisq", "chi-square statistic"),
    ("df", "degrees of freedom"),
    ("display_estimate", "estimate on the display scale"),
    ("display_ci_lower", "lower CI bound on the display scale"),
    ("display_ci_upper", "upper CI bound on the display scale"),
    ("median_1", "median of the first group"),
    ("median_2", "median of the second group"),
    ("claim_id", "identifier of the claim"),
    ("reported_value_claim", "the claim's number as written"),
    ("verdict", "supported, mismatch, unsupported or not found"),
    ("reasons", "why the claim is not supported, ';'-separated"),
    ("source_says", "what the cited source reports"),
    ("source_file", "figures file of the figure behind the verdict"),
    ("source_line", "line of that figure"),
    ("source_quote", "the quoted sentence of that figure"),
    ("claims_file", "the claims file"),
    ("claims_line", "line of the claim in that file"),
    ("location", "where in the source or draft"),
    ("text", "text"),
];

fn meaning(file: &str, column: &str) -> Option<&'static str> {
    let name = file.rsplit('/').next().unwrap_or(file);
    BY_FILE
        .iter()
        .find(|(f, c, _)| *f == name && *c == column)
        .map(|(_, _, m)| *m)
        .or_else(|| COLUMNS.iter().find(|(c, _)| *c == column).map(|(_, m)| *m))
        .or_else(|| {
            column
                .starts_with("cov_")
                .then_some("free covariate from the cases table (its cov_ column)")
        })
}

/// Columns without a documented meaning, as "file: column".
pub fn undocumented(schemas: &BTreeMap<String, Schema>) -> Vec<String> {
    let mut out = Vec::new();
    for (f, cols) in schemas {
        for (c, _) in cols {
            if meaning(f, c).is_none() {
                out.push(format!("{f}: {c}"));
            }
        }
    }
    out
}

/// The dictionary as Markdown.
pub fn markdown(schemas: &BTreeMap<String, Schema>) -> String {
    let mut md = String::from(
        "# Data dictionary\n\n\
         Every CSV under `reports/`, one section per file, each column with its type (as the table declares it) and meaning.\n\n\
         Conventions: one row per record (tidy); times in months (ages in years), proportions as 0–1 (reports and figures show percent), ratios as ratios; \
         an empty cell means not reported or not applicable; every row that comes from the data carries its provenance \
         (study, citation, DOI/PMID, source location, quote, and the input file and line); \
         text cells a spreadsheet would run as a formula (starting with =, +, -, @) are written with a leading `'`. \
         Every CSV has a Parquet copy beside it (`<name>.parquet`: the same columns, typed as listed here, formula neutralisation undone). \
         Each pooled analysis also writes `metafor.csv` (`yi, vi` as metafor reads them) and `metafor.R`, which refits it in R.\n",
    );
    for (file, cols) in schemas {
        md.push_str(&format!("\n## `{file}`\n\n"));
        let rows: Vec<Vec<String>> = cols
            .iter()
            .map(|(c, t)| {
                vec![
                    c.clone(),
                    t.name().to_string(),
                    meaning(file, c).unwrap_or("(undocumented)").to_string(),
                ]
            })
            .collect();
        md.push_str(&markdown_table(&["Column", "Type", "Meaning"], &rows));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanings_come_from_file_then_column() {
        assert!(meaning("a/pooled.csv", "estimate")
            .unwrap()
            .starts_with("pooled estimate"));
        assert_eq!(
            meaning("a/compare.csv", "estimate"),
            Some("estimate as displayed (source's decimals)")
        );
        assert_eq!(meaning("a/other.csv", "estimate"), Some("estimate"));
        assert!(meaning("a/cases.csv", "cov_grade").is_some());
        assert!(meaning("a/x.csv", "mystery").is_none());
        let mut schemas = BTreeMap::new();
        schemas.insert(
            "a/x.csv".to_string(),
            vec![
                ("study_id".to_string(), super::super::ColumnType::Text),
                ("mystery".to_string(), super::super::ColumnType::Number),
            ],
        );
        assert_eq!(undocumented(&schemas), vec!["a/x.csv: mystery".to_string()]);
        let md = markdown(&schemas);
        // The declared type, whatever the values written.
        assert!(
            md.contains("## `a/x.csv`") && md.contains("| mystery | number | (undocumented) |")
        );
    }
}
