use super::*;
use crate::plot::check::layout_problems;
use crate::plot::text::mm_to_px;

fn study(i: usize, est: f64, ci: (f64, f64), label: &str) -> ForestRow {
    ForestRow {
        kind: RowKind::Data,
        cells: vec![
            label.to_string(),
            format!("{}", 3 + i % 40),
            format!("{}", 20 + 7 * i),
            format!("{}", (10.0 + i as f64 % 13.0) / 10.0),
            format!("{est:.2} [{:.2}, {:.2}]", ci.0, ci.1),
        ],
        mark: ForestMark::Study {
            estimate: est,
            ci,
            weight: Some(1.0 + (i % 7) as f64),
        },
        bold: false,
    }
}

fn columns() -> (Vec<ForestColumn>, Vec<ForestColumn>) {
    let c = |h: &str, a| ForestColumn {
        header: h.into(),
        align: a,
    };
    (
        vec![
            c("Study", Align::Left),
            c("Events", Align::Right),
            c("Total", Align::Right),
        ],
        vec![
            c("Weight (%)", Align::Right),
            c("Hazard ratio [95% CI]", Align::Right),
        ],
    )
}

/// k studies in two subgroups with notes, an overall diamond and a
/// prediction bar; labels of varying length, some very long.
fn plot(k: usize, preset: Preset) -> ForestPlot {
    let (left, right) = columns();
    let mut rows = Vec::new();
    for g in 0..2 {
        rows.push(ForestRow {
            kind: RowKind::Heading,
            cells: vec![format!(
                "Subgroup {g}: patients treated with a long descriptive name"
            )],
            mark: ForestMark::None,
            bold: true,
        });
        for i in (0..k).filter(|i| i % 2 == g) {
            let est = 0.5 + (i as f64 * 0.37) % 2.0;
            let label = match i % 5 {
                0 => format!("Study {i} et al. 2019"),
                1 => format!("A very long study label number {i}, metastatic spinal cohort (pooled published cases)"),
                _ => format!("S{i} 2021"),
            };
            rows.push(study(i, est, (est * 0.4, est * 2.6), &label));
        }
        rows.push(ForestRow {
            kind: RowKind::Data,
            cells: vec![
                "Subtotal".into(),
                String::new(),
                String::new(),
                "50.0".into(),
                "1.10 [0.80, 1.50]".into(),
            ],
            mark: ForestMark::Summary {
                estimate: 1.1,
                ci: (0.8, 1.5),
            },
            bold: true,
        });
        rows.push(ForestRow {
            kind: RowKind::Note,
            cells: vec!["Heterogeneity: tau² = 0.0123; I² = 45.6%; Q(12) = 22.1, p = 0.036".into()],
            mark: ForestMark::None,
            bold: false,
        });
    }
    rows.push(ForestRow {
        kind: RowKind::Data,
        cells: vec![
            "Random-effects model (REML)".into(),
            String::new(),
            String::new(),
            "100.0".into(),
            "1.05 [0.90, 1.22]".into(),
        ],
        mark: ForestMark::Summary {
            estimate: 1.05,
            ci: (0.9, 1.22),
        },
        bold: true,
    });
    rows.push(ForestRow {
        kind: RowKind::Data,
        cells: vec![
            "Prediction interval".into(),
            String::new(),
            String::new(),
            String::new(),
            "[0.41, 2.70]".into(),
        ],
        mark: ForestMark::Prediction { pi: (0.41, 2.7) },
        bold: false,
    });
    ForestPlot {
        title: "Overall survival: hazard ratio, surgery versus no surgery".into(),
        subtitle: Some("Random-effects model; weights from the model".into()),
        preset,
        width_mm: None,
        left,
        right,
        plot_header: "Hazard ratio [95% CI]".into(),
        rows,
        scale: Scale::Log,
        reference: Some(1.0),
        overall_line: Some(1.05),
        xlim: None,
        domain: None,
        x_label: "Hazard ratio (log scale)".into(),
        favours: Some(("Favours surgery".into(), "Favours no surgery".into())),
        footnotes: vec![
            "Heterogeneity: tau² = 0.0456 (95% CI 0.0000–0.2100); I² = 38.2%; Q(99) = 160.2, p = 0.0001".into(),
            "Test for subgroup differences: Q(1) = 0.12, p = 0.73".into(),
        ],
        zero_based: false,
        legend: None,
    }
}

/// No two texts overlap and none leaves the canvas, at every k from 1 to
/// 100, in both presets; the width is the journal column unless the
/// columns cannot fit, and the height grows with k (at one text size).
#[test]
fn no_text_overlaps_at_any_k() {
    for preset in [Preset::Cochrane, Preset::Compact] {
        let (mut last_h, mut last_body) = (0, 0.0);
        for k in 1..=100 {
            let p = plot(k, preset);
            let svg = render_forest_svg(&p).unwrap();
            let problems = layout_problems(&svg);
            assert!(problems.is_empty(), "{preset:?} k = {k}: {problems:?}");
            let l = Layout::new(&p);
            // At one text size (a label that two lines hold only at a
            // smaller size shrinks the text once).
            assert!(
                l.height > last_h || l.body < last_body,
                "height does not grow at k = {k}"
            );
            (last_h, last_body) = (l.height, l.body);
            if preset == Preset::Cochrane {
                assert_eq!(l.width, mm_to_px(DOUBLE_COLUMN_MM).ceil() as u32);
            }
        }
    }
}

#[test]
fn compact_keeps_the_single_column_with_its_default_columns() {
    let mut p = plot(12, Preset::Compact);
    p.left.truncate(1);
    p.right.remove(0);
    for r in &mut p.rows {
        if r.kind == RowKind::Data {
            r.cells = vec![r.cells[0].clone(), r.cells[4].clone()];
        }
    }
    let l = Layout::new(&p);
    assert_eq!(l.width, mm_to_px(SINGLE_COLUMN_MM).ceil() as u32);
    let svg = render_forest_svg(&p).unwrap();
    assert!(
        layout_problems(&svg).is_empty(),
        "{:?}",
        layout_problems(&svg)
    );
}

#[test]
fn element_counts_labels_and_determinism() {
    let p = plot(10, Preset::Cochrane);
    let svg = render_forest_svg(&p).unwrap();
    assert_eq!(svg, render_forest_svg(&p).unwrap());
    // One weighted square per study (rect), plus the background and the bar.
    let rects = svg.matches("<rect").count();
    assert_eq!(rects, 10 + 1 + 1, "{rects}");
    // Three diamonds (two subtotals and the overall) as 4-point polygons.
    // (Arrowheads of clipped CIs are 3-point polygons.)
    let diamonds = svg
        .split("<polygon")
        .skip(1)
        .filter_map(|p| p.split("points=\"").nth(1))
        .filter(|p| p[..p.find('"').unwrap_or(0)].split_whitespace().count() == 4)
        .count();
    assert_eq!(diamonds, 3);
    for needle in [
        "Hazard ratio [95% CI]",
        "Subtotal",
        "Random-effects",
        "Prediction interval",
        "Favours surgery",
        "Favours no surgery",
        "Test for subgroup differences: Q(1) = 0.12, p = 0.73",
        "Weight",
    ] {
        assert!(svg.contains(needle), "missing {needle}");
    }
}

/// A CI beyond the axis ends in an arrow; one inside it does not.
#[test]
fn clipped_intervals_end_in_arrows() {
    let mut p = plot(4, Preset::Cochrane);
    p.xlim = Some((0.5, 2.0));
    let svg = render_forest_svg(&p).unwrap();
    let polygons = svg.matches("<polygon").count();
    let mut q = p.clone();
    q.xlim = Some((0.01, 100.0));
    let wide = render_forest_svg(&q).unwrap();
    let wide_polygons = wide.matches("<polygon").count();
    assert!(polygons > wide_polygons, "{polygons} vs {wide_polygons}");
    // With the wide axis, only the diamonds are polygons.
    assert_eq!(wide_polygons, 3);
}

/// Log axes get 1-2-5 ticks when there is room, decades when not, and the
/// labels never touch; limits bracket the estimates.
#[test]
fn log_ticks_are_readable() {
    use super::layout::{limits, ticks};
    use crate::plot::text::{pt, text_w, tick_text};
    let size = pt(7.0);
    let t = ticks(Scale::Log, 0.1, 10.0, size, 300.0);
    assert_eq!(t, vec![0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]);
    let t = ticks(Scale::Log, 0.01, 100.0, size, 90.0);
    assert!(t.len() >= 2 && t.len() < 7, "{t:?}");
    for w in t.windows(2) {
        let gap = (w[1].ln() - w[0].ln()) / (100f64.ln() - 0.01f64.ln()) * 90.0;
        assert!(
            gap > (text_w(&tick_text(w[0]), size, false) + text_w(&tick_text(w[1]), size, false))
                / 2.0
        );
    }
    let p = plot(10, Preset::Cochrane);
    let (lo, hi) = limits(&p);
    assert!(lo <= 0.5 && hi >= 2.37, "{lo} {hi}");
    let lin = ticks(Scale::Linear, 0.0, 100.0, size, 200.0);
    assert_eq!(lin.first(), Some(&0.0));
    assert_eq!(lin.last(), Some(&100.0));
}

/// A percentage axis stays within 0–100 even when CIs would reach past it.
#[test]
fn domain_bounds_the_axis() {
    let mut p = plot(3, Preset::Cochrane);
    p.scale = Scale::Linear;
    p.reference = None;
    for r in &mut p.rows {
        if let ForestMark::Study { estimate, ci, .. } = &mut r.mark {
            *estimate = 90.0;
            *ci = (70.0, 104.0);
        }
    }
    p.domain = Some((0.0, 100.0));
    let (lo, hi) = super::layout::limits(&p);
    assert!(hi <= 100.0 && lo >= 0.0, "{lo} {hi}");
}

/// The compact preset's rows as the pool kind draws them: short study
/// names, the model row and the prediction row, one estimate column.
fn compact_pool_plot() -> ForestPlot {
    let mut p = plot(3, Preset::Compact);
    p.left.truncate(1);
    p.right = vec![ForestColumn {
        header: "Proportion (%) [95% CI]".into(),
        align: Align::Right,
    }];
    p.favours = None;
    p.rows = [
        ("Stanford cohort", false),
        ("Folkert (MSKCC)", false),
        ("Subtotal (k\u{a0}=\u{a0}3)", true),
        ("Random-effects model (REML) (k\u{a0}=\u{a0}5)", true),
        ("Prediction interval", false),
    ]
    .iter()
    .map(|(label, bold)| ForestRow {
        kind: RowKind::Data,
        cells: vec![label.to_string(), "77.6 [51.7, 91.8]†".into()],
        mark: ForestMark::Study {
            estimate: 77.6,
            ci: (51.7, 91.8),
            weight: Some(1.0),
        },
        bold: *bold,
    })
    .collect();
    p.scale = Scale::Linear;
    p.reference = None;
    p.domain = Some((0.0, 100.0));
    p
}

/// An ordinary label (the model row, "Prediction interval", a study name)
/// never takes three lines: the study column widens or the text shrinks
/// first, within the single column.
#[test]
fn ordinary_labels_never_take_three_lines_in_the_compact_preset() {
    let p = compact_pool_plot();
    let l = Layout::new(&p);
    assert_eq!(l.width, mm_to_px(SINGLE_COLUMN_MM).ceil() as u32);
    for r in &l.rows {
        assert!(r.lines[0].len() <= 2, "{:?}", r.lines[0]);
    }
    let svg = render_forest_svg(&p).unwrap();
    assert!(
        layout_problems(&svg).is_empty(),
        "{:?}",
        layout_problems(&svg)
    );
}

/// A figure of 150 studies keeps at least the text size and row pitch of
/// a small one (it grows in height, one readable row per study; no
/// pagination).
#[test]
fn a_hundred_and_fifty_studies_keep_text_size_and_row_pitch() {
    for preset in [Preset::Cochrane, Preset::Compact] {
        let small = Layout::new(&plot(10, preset));
        let big_plot = plot(150, preset);
        let big = Layout::new(&big_plot);
        // Never smaller than in a small figure (which may shrink its text
        // once to keep a label within two lines).
        assert!(big.body >= small.body, "{preset:?}");
        assert!(big.body >= crate::plot::text::pt(preset.style().body_pt) * 0.85);
        // One-line study rows are as tall as in the small figure.
        let pitch = |l: &Layout| {
            l.rows
                .iter()
                .filter(|r| r.lines.iter().all(|c| c.len() == 1))
                .map(|r| r.height)
                .fold(f64::INFINITY, f64::min)
        };
        assert!(pitch(&big) >= pitch(&small) - 1e-9, "{preset:?}");
        let svg = render_forest_svg(&big_plot).unwrap();
        assert!(layout_problems(&svg).is_empty(), "{preset:?}");
    }
}
