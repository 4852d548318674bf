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

/// Sent alone, the page's links still work: every `href` goes to a heading
/// of the page, a data URL (the file embedded), or the web; any other link
/// is named in the page's closing note as a file that must go with it.
#[test]
fn every_link_works_when_the_page_is_sent_alone() {
    let p = project_with(&[fig(&[])]);
    p.survlit("run").assert().success();
    let html = std::fs::read_to_string(p.path("reports/index.html")).unwrap();
    let about = &html[html.rfind("<hr>").expect("closing note")..];
    let mut local = 0;
    let mut embedded = 0;
    for href in html
        .split("href=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
    {
        if let Some(id) = href.strip_prefix('#') {
            local += 1;
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "no heading for {href}"
            );
        } else if href.starts_with("data:") {
            embedded += 1;
        } else if !href.starts_with("https://") {
            assert!(
                about.contains(&format!("<code>{href}</code>")),
                "link '{href}' neither works alone nor is named as accompanying:\n{about}"
            );
        }
    }
    assert!(local >= 1, "the analysis list links to its section");
    // The comparison's plot data and SVG, DICTIONARY.md.
    assert!(embedded >= 3, "{embedded} files embedded");
    assert!(
        html.contains("download=\"cmp_compare.csv\""),
        "named download"
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
