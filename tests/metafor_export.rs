//! The metafor-ready export of the LMS pooled analyses: metafor.csv holds
//! the pooled rows of effects.csv (same yi, vi), and refitted by R metafor
//! from that file (tests/reference/scripts/metafor_lms_export.R) it gives
//! survlit's pooled.csv and meta-regression.

use crate::common;

use std::path::Path;

use crate::common::{csv_table, ROOT};

fn col(h: &csv::StringRecord, name: &str) -> usize {
    h.iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn metafor_csv_holds_the_pooled_effects() {
    for a in [
        "sbrt-local-control-pooled",
        "sbrt-local-control-size",
        "sbrt-local-control-subgroups",
    ] {
        let dir = Path::new(ROOT).join("reports").join(a);
        let (eh, effects) = csv_table(&dir.join("effects.csv"));
        let (mh, metafor) = csv_table(&dir.join("metafor.csv"));
        let pooled: Vec<&csv::StringRecord> = effects
            .iter()
            .filter(|r| &r[col(&eh, "status")] == "pooled")
            .collect();
        assert_eq!(pooled.len(), metafor.len(), "{a}");
        for (e, m) in pooled.iter().zip(&metafor) {
            assert_eq!(&e[col(&eh, "yi")], &m[col(&mh, "yi")], "{a}");
            assert_eq!(&e[col(&eh, "vi")], &m[col(&mh, "vi")], "{a}");
            assert_eq!(&e[col(&eh, "data_line")], &m[col(&mh, "data_line")], "{a}");
        }
        let script = std::fs::read_to_string(dir.join("metafor.R")).unwrap();
        assert!(
            script.contains("read.csv(\"metafor.csv\"")
                && script.contains("method = \"REML\", test = \"knha\""),
            "{script}"
        );
    }
}

#[test]
fn metafor_refits_the_export_to_survlits_numbers() {
    let (rh, reference) = common::reference_table("lms_export.csv");
    let get = |r: &csv::StringRecord, c: &str| -> f64 { r[col(&rh, c)].parse().unwrap() };
    for r in reference
        .iter()
        .filter(|r| &r[col(&rh, "model")] == "pooled")
    {
        let a = &r[col(&rh, "analysis")];
        let (ph, pooled) = csv_table(&Path::new(ROOT).join("reports").join(a).join("pooled.csv"));
        let ours = |c: &str| -> f64 { pooled[0][col(&ph, c)].parse().unwrap() };
        for (theirs, mine) in [
            ("estimate", "estimate"),
            ("se", "se"),
            ("tau2", "tau2"),
            ("q", "q"),
        ] {
            let (t, m) = (get(r, theirs), ours(mine));
            assert!(
                (t - m).abs() < 1e-8 * t.abs().max(1.0),
                "{a} {mine}: survlit {m}, metafor {t}"
            );
        }
    }
    // The meta-regression as the report prints it (number style of #15).
    let reg = reference
        .iter()
        .find(|r| r[col(&rh, "model")].starts_with("meta-regression"))
        .unwrap();
    let index = std::fs::read_to_string(Path::new(ROOT).join("reports/index.md")).unwrap();
    use survlit::number::{p_value, significant, statistic, tau2, PStyle};
    let line = format!("slope {} (SE ", significant(get(reg, "slope"), 3));
    assert!(index.contains(&line), "{line}");
    assert!(
        index.contains(&format!(
            "F(1, 3) = {}, {}; residual tau² = {}",
            statistic(get(reg, "qm")),
            p_value(get(reg, "qm_pval"), PStyle::Prose),
            tau2(get(reg, "tau2"))
        )),
        "meta-regression line differs from metafor's refit"
    );
}
