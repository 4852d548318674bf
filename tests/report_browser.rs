//! The LMS report opened in headless Chromium: it loads without a console
//! message and every inlined figure has a non-zero size. Needs Debian's
//! `chromium` (`.ci/run` installs it and sets SURVLIT_REQUIRE_CHROMIUM, so
//! in CI a missing browser fails the test instead of skipping it).

use crate::common;

use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn report_loads_cleanly_with_every_figure_drawn() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("SURVLIT_REQUIRE_CHROMIUM").is_none(),
            "SURVLIT_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on PATH (install Debian's chromium to run this test)");
        return;
    };
    let dir = common::copy_lms_project();
    common::run_project(dir.path());
    let index = dir.path().join("reports/index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    let expected = html.matches("<figure><svg").count();
    assert!(expected >= 5, "the LMS report has figures");
    // A harness page loads the report in a frame and writes each figure's
    // rendered size into its own DOM, which --dump-dom prints.
    let harness = dir.path().join("harness.html");
    std::fs::write(
        &harness,
        format!(
            "<!DOCTYPE html><html><body><iframe id=\"f\" src=\"file://{}\" style=\"width:1200px;height:800px\"></iframe><script>\
             document.getElementById('f').addEventListener('load', () => {{\
             const d = document.getElementById('f').contentDocument;\
             const s = [...d.querySelectorAll('figure svg')].map(e => {{ const r = e.getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.height); }});\
             const p = document.createElement('pre'); p.id = 'out'; p.textContent = 'RESULT ' + s.length + ' ' + s.join(','); document.body.appendChild(p); }});\
             </script></body></html>",
            index.display()
        ),
    )
    .unwrap();
    let profile = dir.path().join("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", harness.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let line = dom
        .split("<pre id=\"out\">RESULT ")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "no result from the browser:\n{dom}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let mut parts = line.split(' ');
    let n: usize = parts.next().unwrap().parse().unwrap();
    assert_eq!(n, expected, "figures rendered");
    for size in parts.next().unwrap_or("").split(',') {
        let (w, h) = size.split_once('x').unwrap();
        assert!(
            w.parse::<u32>().unwrap() > 0 && h.parse::<u32>().unwrap() > 0,
            "a figure has no size: {size}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
}
