//! `reports/index.html`: one self-contained page — every figure inlined as
//! SVG, no `<img>` or external resources, user text escaped.

use crate::common::{fig, figures_csv, TestProject};

fn project_with(rows: &[String]) -> TestProject {
    let p = TestProject::with_tables(&[("figures", &figures_csv(rows))]);
    let toml = std::fs::read_to_string(p.path("survlit.toml")).unwrap()
        + "\n[[analysis]]\nname = \"cmp\"\nkind = \"compare\"\n";
    p.write("survlit.toml", &toml);
    p
}

#[test]
fn figures_are_inlined_and_nothing_is_fetched() {
    let p = project_with(&[
        fig(&[]),
        fig(&[
            ("study_id", "jones2021"),
            ("citation", "Jones B. Cases. J 2021;2:3."),
            ("doi", "10.1000/jones"),
            ("pmid", "22222222"),
            ("value", "20"),
        ]),
    ]);
    p.survlit("run").assert().success();
    let html = std::fs::read_to_string(p.path("reports/index.html")).unwrap();
    let md = std::fs::read_to_string(p.path("reports/index.md")).unwrap();
    let images = md.matches("![").count();
    assert!(images >= 1);
    assert_eq!(
        html.matches("<figure><svg").count(),
        images,
        "every figure inlined"
    );
    assert!(!html.contains("<img"), "no external images");
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains(" src=\"http"),
        "nothing fetched from the network"
    );
    assert!(
        html.contains("@font-face{font-family:'DejaVu Sans'"),
        "bundled font embedded"
    );
    // The sources list keeps its DOI links.
    assert!(
        html.contains("href=\"https://doi.org/10.1000/jones\""),
        "{}",
        &html[html.len() - 2000..]
    );
}

#[test]
fn user_text_is_escaped() {
    let p = project_with(&[fig(&[(
        "population",
        "spinal <script>alert(1)</script> & co",
    )])]);
    p.survlit("run").assert().success();
    let html = std::fs::read_to_string(p.path("reports/index.html")).unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "user text must never become markup"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
