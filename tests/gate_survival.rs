//! The gate (#15 item 1) for the survival kinds: `check` finds what `km`,
//! `cox` and `reconstruct` would refuse — by the code their run uses — each
//! at its survlit.toml line, and warns at an option's line of a setting
//! that will not do what it says; `audit` names the file its errors are in.

use assert_cmd::Command;

use crate::common::TestProject;

fn stderr(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// The cox kind's case-report project with `analyses` as its survlit.toml's.
fn cases(analyses: &str) -> TestProject {
    let p = crate::cox_kind::project("treatment");
    p.write(
        "survlit.toml",
        &format!("title = \"t\"\n[data]\nfigures = \"data/figures.csv\"\ncases = \"data/cases.csv\"\n{analyses}"),
    );
    p
}

const KM_COX_MISTAKES: &str = r#"[[analysis]]
name = "km1"
kind = "km"
options = { group = "treatmnt" }
[[analysis]]
name = "km2"
kind = "km"
options = { sources = ["reconstructed"] }
[[analysis]]
name = "km3"
kind = "km"
[analysis.options]
group = "treatment"
reference = "surgery+rtt"
time_breaks = [60, 120]
time_max = 24
event_code = 2
rmst = 500
[[analysis]]
name = "cx1"
kind = "cox"
options = { group = "treatment", reference = "surgery+rtt" }
[[analysis]]
name = "cx2"
kind = "cox"
options = { group = "cov_grade" }
"#;

#[test]
fn check_names_what_km_and_cox_would_refuse_at_its_line() {
    let p = cases(KM_COX_MISTAKES);
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    for want in [
        "error[analysis]: survlit.toml, line 8: analysis 'km1': options.group: unknown case column 'treatmnt'\n  fix: did you mean 'treatment'?",
        "error[analysis]: survlit.toml, line 12: analysis 'km2': no digitised curve with numbers at risk is selected",
        "error[analysis]: survlit.toml, line 19: analysis 'km3': options.time_breaks: no time_breaks at or before time_max 24",
        "error[analysis]: survlit.toml, line 26: analysis 'cx1': options.reference: no group 'surgery+rtt' (groups: surgery, surgery+rt)\n  fix: did you mean 'surgery+rt'?",
        "warning[analysis]: survlit.toml, line 18: analysis 'km3': options.reference: no group 'surgery+rtt' (groups: surgery, surgery+rt); the groups are not compared",
        "warning[analysis]: survlit.toml, line 21: analysis 'km3': options.event_code = 2: no selected case has event 2 (the selected cases carry 0, 1)",
        "warning[analysis]: survlit.toml, line 22: analysis 'km3': options.rmst = 500 months is beyond the last follow-up (50 months)",
        "warning[analysis]: survlit.toml, line 30: analysis 'cx2': options.group: no selected case has a column cov_grade",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert!(err.contains("check failed: 4 errors"), "{err}");
    // run refuses with the same first error, before writing anything.
    let (code, run) = stderr(&mut p.survlit("run"));
    assert_eq!(code, Some(1), "{run}");
    assert!(
        run.contains("line 8: analysis 'km1': options.group: unknown case column 'treatmnt'"),
        "{run}"
    );
    assert!(!p.path("reports").exists());
}

#[test]
fn a_cox_without_group_and_a_km_of_absent_cases_fail_check() {
    let p = cases("[[analysis]]\nname = \"cx\"\nkind = \"cox\"\n[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = { sources = [\"cases\"] }\n");
    p.write(
        "survlit.toml",
        &std::fs::read_to_string(p.path("survlit.toml"))
            .unwrap()
            .replace("cases = \"data/cases.csv\"\n", ""),
    );
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("analysis 'cx'") && err.contains("group"),
        "{err}"
    );
    assert!(
        err.contains("line 10: analysis 'km': the patients come from case reports (sources), but there are no case rows"),
        "{err}"
    );
}

#[test]
fn a_case_table_without_follow_up_is_a_warning_not_a_silent_empty_curve() {
    let p = cases("[[analysis]]\nname = \"km\"\nkind = \"km\"\n");
    let data = std::fs::read_to_string(p.path("data/cases.csv")).unwrap();
    let mut lines = data.lines();
    let header = lines.next().unwrap();
    let blank: Vec<String> = lines
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            // follow_up is the 8th column, counted after the quoted citation.
            let at = cells.len() - 7;
            cells[at] = "";
            cells.join(",")
        })
        .collect();
    p.write(
        "data/cases.csv",
        &format!("{header}\n{}\n", blank.join("\n")),
    );
    let (code, err) = stderr(&mut p.survlit("check"));
    assert!(
        err.contains("analysis 'km': none of the 8 selected cases has a follow-up time and a known vital status"),
        "{code:?} {err}"
    );
}

/// The reconstruct kind's project, with a second arm digitised without
/// numbers at risk and `options` for its analysis.
fn reconstruction(options: &str) -> TestProject {
    let p = crate::reconstruct_kind::project("13.9");
    let curves = std::fs::read_to_string(p.path("data/curves.csv")).unwrap();
    p.write(
        "data/curves.csv",
        &format!(
            "{curves}smith2020,Obs,0,months,1,Figure 2\nsmith2020,Obs,10,months,0.5,Figure 2\n"
        ),
    );
    p.write("survlit.toml", &format!("title = \"t\"\n[data]\nfigures = \"data/figures.csv\"\ncurves = \"data/curves.csv\"\nat_risk = \"data/at_risk.csv\"\n[[analysis]]\nname = \"rec\"\nkind = \"reconstruct\"\n[analysis.options]\n{options}"));
    p
}

#[test]
fn check_names_what_reconstruct_would_refuse_or_ignore() {
    let p = reconstruction("total_events = { \"smith2020/Surgry\" = 80, \"jones2019/Obs\" = 3 }\nreference = \"Observation\"\ntime_max = 12\ntime_breaks = [24, 48]\n");
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    for want in [
        "error[analysis]: survlit.toml, line 10: analysis 'rec': options.total_events: no selected digitised arm 'smith2020/Surgry' (study_id/arm)\n  fix: did you mean 'smith2020/Surgery'?",
        "warning[analysis]: survlit.toml, line 10: analysis 'rec': options.total_events: no selected digitised arm 'jones2019/Obs' (study_id/arm); it is not used",
        "warning[analysis]: survlit.toml, line 11: analysis 'rec': options.reference: no reconstructed arm 'Observation'",
        "error[analysis]: survlit.toml, line 13: analysis 'rec': options.time_breaks: no time_breaks at or before time_max 12",
        "warning[analysis]: survlit.toml, line 6: analysis 'rec': arm smith2020/Obs: no number at risk at time 0",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

#[test]
fn reconstruct_with_no_arm_to_rebuild_fails_check_naming_why() {
    let p = reconstruction("");
    p.write(
        "data/at_risk.csv",
        "study_id,arm,time,time_unit,n_risk\nsmith2020,Surgery,12,months,50\n",
    );
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("line 6: analysis 'rec': no digitised curve with numbers at risk is selected (smith2020/Surgery: no number at risk at time 0"),
        "{err}"
    );
}

/// `survlit audit` on a project whose survlit.toml (not its data) has an
/// error says where the error is, not that the data has errors.
#[test]
fn audit_names_survlit_toml_when_the_errors_are_there() {
    let p =
        cases("[[analysis]]\nname = \"km\"\nkind = \"km\"\noptions = { group = \"treatmnt\" }\n");
    p.write(
        "claims.csv",
        "claim_id,text,value,unit,statistic,study_id\nc1,median 46 months,46,months,median,a\n",
    );
    let mut cmd = Command::cargo_bin("survlit").unwrap();
    let (code, err) = stderr(cmd.arg("audit").arg(p.path("claims.csv")).arg(p.root()));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("audit stopped: 1 error in survlit.toml (listed above"),
        "{err}"
    );
    assert!(!err.contains("data has errors"), "{err}");
}

/// `survlit km`, `logrank` and `cox` on a column typo or a missing column:
/// one message naming each absent column with its option and the closest
/// column of the table, not one error per column.
#[test]
fn survival_commands_name_absent_columns_once_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pts.csv");
    std::fs::write(&file, "months,status,arm,sex\n1,1,a,F\n2,0,b,M\n3,1,a,M\n").unwrap();
    for (args, want) in [
        (
            &["km", "--time", "month", "--event", "statsu"][..],
            "no column 'month' (--time): did you mean 'months'? (rename it, or --time months); no column 'statsu' (--event): did you mean 'status'?",
        ),
        (
            &["logrank", "--time", "months", "--event", "status", "--group", "amr"][..],
            "no column 'amr' (--group): did you mean 'arm'?",
        ),
        (
            &["cox", "--time", "months", "--event", "status", "--covariates", "arm,sexx"][..],
            "no column 'sexx' (--covariates): did you mean 'sex'?",
        ),
        (
            &["km"][..],
            "no column 'time' (--time; name the column with --time); no column 'event' (--event; name the column with --event); the table has months, status, arm, sex",
        ),
    ] {
        let mut cmd = Command::cargo_bin("survlit").unwrap();
        let (code, err) = stderr(cmd.arg(args[0]).arg(&file).args(&args[1..]));
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}\n{want}\n{err}");
        let lines = err.lines().filter(|l| l.contains("no column")).count();
        assert_eq!(lines, 1, "one message: {err}");
    }
}

/// A cox model no patient enters is refused by run ("no patients"), so
/// check refuses it too; km only warns (its run writes "not estimated").
#[test]
fn a_cox_no_patient_enters_fails_check_as_run_refuses_it() {
    let p =
        cases("[[analysis]]\nname = \"cx\"\nkind = \"cox\"\noptions = { group = \"treatment\" }\n");
    let data = std::fs::read_to_string(p.path("data/cases.csv")).unwrap();
    let unknown = data
        .replace("dead_disease", "unknown")
        .replace("alive_ned", "unknown");
    // The event column (0/1) decides too: blank it.
    let blank: Vec<String> = unknown
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_string();
            }
            let mut cells: Vec<&str> = l.split(',').collect();
            let at = cells.len() - 3;
            cells[at] = "";
            cells.join(",")
        })
        .collect();
    p.write("data/cases.csv", &format!("{}\n", blank.join("\n")));
    let (code, err) = stderr(&mut p.survlit("check"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("line 5: analysis 'cx': no patient enters the model"),
        "{err}"
    );
}
