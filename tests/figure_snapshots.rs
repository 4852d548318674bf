//! Every figure type rendered from fixed inputs and compared, as SVG text,
//! with its committed snapshot (tests/snapshots/). Text is laid out with
//! the bundled DejaVu Sans, so the SVG is the same on every machine; any
//! change to a figure shows up here as a reviewed diff (`cargo insta
//! review`), never silently. Each figure is also checked for overlapping
//! or clipped text.

use survlit::plot::*;

fn check(name: &str, svg: &str) {
    let problems = check::layout_problems(svg);
    assert!(problems.is_empty(), "{name}: {problems:?}");
    insta::assert_snapshot!(name, svg);
}

fn forest() -> ForestPlot {
    let col = |h: &str, a| ForestColumn {
        header: h.into(),
        align: a,
    };
    let study = |label: &str, e: f64, lo: f64, hi: f64, w: f64| ForestRow {
        kind: RowKind::Data,
        cells: vec![
            label.into(),
            "12".into(),
            "80".into(),
            format!("{w:.1}"),
            format!("{e:.2} [{lo:.2}, {hi:.2}]"),
        ],
        mark: ForestMark::Study {
            estimate: e,
            ci: (lo, hi),
            weight: Some(w),
        },
        bold: false,
    };
    ForestPlot {
        title: "Overall survival: hazard ratio, metastasectomy versus none".into(),
        subtitle: Some("Random-effects model (REML); squares sized by weight".into()),
        preset: Preset::Cochrane,
        width_mm: None,
        left: vec![
            col("Study", Align::Left),
            col("Events", Align::Right),
            col("Total", Align::Right),
        ],
        right: vec![
            col("Weight (%)", Align::Right),
            col("Hazard ratio [95% CI]", Align::Right),
        ],
        plot_header: "Hazard ratio [95% CI]".into(),
        rows: vec![
            ForestRow {
                kind: RowKind::Heading,
                cells: vec!["Spine".into()],
                mark: ForestMark::None,
                bold: true,
            },
            study("Alpha 2019", 0.62, 0.41, 0.94, 30.0),
            study(
                "Beta 2021 · metastatic spinal LMS, pooled published cases",
                0.85,
                0.30,
                2.40,
                12.0,
            ),
            ForestRow {
                kind: RowKind::Data,
                cells: vec![
                    "Subtotal (k = 2)".into(),
                    String::new(),
                    String::new(),
                    "42.0".into(),
                    "0.67 [0.46, 0.97]".into(),
                ],
                mark: ForestMark::Summary {
                    estimate: 0.67,
                    ci: (0.46, 0.97),
                },
                bold: true,
            },
            ForestRow {
                kind: RowKind::Note,
                cells: vec!["Heterogeneity: tau² = 0; I² = 0%; Q(1) = 0.31, p = 0.58".into()],
                mark: ForestMark::None,
                bold: false,
            },
            ForestRow {
                kind: RowKind::Heading,
                cells: vec!["Lung and liver".into()],
                mark: ForestMark::None,
                bold: true,
            },
            study("Gamma 2015", 0.48, 0.33, 0.70, 33.0),
            study("Delta 2020", 1.10, 0.08, 14.0, 25.0),
            ForestRow {
                kind: RowKind::Data,
                cells: vec![
                    "Random-effects model (REML) (k = 4)".into(),
                    String::new(),
                    String::new(),
                    "100".into(),
                    "0.61 [0.47, 0.79]".into(),
                ],
                mark: ForestMark::Summary {
                    estimate: 0.61,
                    ci: (0.47, 0.79),
                },
                bold: true,
            },
            ForestRow {
                kind: RowKind::Data,
                cells: vec![
                    "Prediction interval".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "[0.39, 0.95]".into(),
                ],
                mark: ForestMark::Prediction { pi: (0.39, 0.95) },
                bold: false,
            },
        ],
        scale: Scale::Log,
        reference: Some(1.0),
        overall_line: Some(0.61),
        xlim: Some((0.1, 10.0)),
        domain: None,
        x_label: "Hazard ratio (log scale)".into(),
        favours: Some(("Favours metastasectomy".into(), "Favours none".into())),
        footnotes: vec![
            "Heterogeneity: tau² = 0.0123 (95% CI 0–0.41); I² = 8.1%; Q(3) = 3.27, p = 0.35".into(),
            "Test for overall effect: z = -3.75, p = 0.0002".into(),
            "Test for subgroup differences: Q(1) = 0.96, p = 0.33".into(),
        ],
        zero_based: false,
        legend: None,
    }
}

#[test]
fn forest_cochrane() {
    check("forest_cochrane", &render_forest_svg(&forest()).unwrap());
}

#[test]
fn forest_compact() {
    let mut p = forest();
    p.preset = Preset::Compact;
    p.left.truncate(1);
    p.right.remove(0);
    p.plot_header = String::new();
    for r in &mut p.rows {
        if r.kind == RowKind::Data {
            r.cells = vec![r.cells[0].clone(), r.cells[4].clone()];
        }
    }
    check("forest_compact", &render_forest_svg(&p).unwrap());
}

#[test]
fn comparison() {
    let row = |label: &str, v: Option<f64>, i: Option<PlotInterval>, text: &str| CompareRow {
        label: label.into(),
        detail: String::new(),
        n_text: "9".into(),
        value: v,
        value_text: text.into(),
        interval: i,
        summary: false,
        pi: None,
    };
    let iv = |kind, lower, upper| Some(PlotInterval { kind, lower, upper });
    let p = ComparePlot {
        title: "Median overall survival as reported".into(),
        subtitle: Some("Reported figures only; nothing pooled".into()),
        x_label: "Median overall survival (months)".into(),
        value_header: "Median (months)".into(),
        label_header: "Study · group".into(),
        estimate_name: "median".into(),
        scale: Scale::Linear,
        groups: vec![
            CompareGroup {
                heading: Some("spinal metastases of uterine LMS".into()),
                rows: vec![
                    row("Contartese 2022", Some(46.0), None, "46"),
                    row(
                        "Serrato 2025",
                        Some(46.0),
                        iv(IntervalKind::Ci, Some(20.0), Some(72.0)),
                        "46 (95% CI 20–72)",
                    ),
                    row("Serrato 2025 · primary", None, None, "not reached"),
                ],
            },
            CompareGroup {
                heading: Some("any site".into()),
                rows: vec![
                    row(
                        "Stanford",
                        Some(13.0),
                        iv(IntervalKind::Range, Some(0.3), Some(97.0)),
                        "13 (range 0.3–97)",
                    ),
                    row(
                        "LiBrizzi 2022",
                        Some(69.7),
                        iv(IntervalKind::Iqr, Some(43.2), Some(124.5)),
                        "69.7 (IQR 43.2–124.5)",
                    ),
                    row(
                        "Open 2020",
                        Some(30.0),
                        iv(IntervalKind::Ci, Some(18.0), None),
                        "30 (95% CI 18–NR)",
                    ),
                ],
            },
        ],
        reference: None,
        footnote: Some("Open bounds run to the edge of the axis.".into()),
    };
    check("comparison", &render_compare_svg(&p).unwrap());
}

#[test]
fn kaplan_meier_kmunicate() {
    let curve = |label: &str, d: f64, median: Option<f64>| KmCurve {
        label: label.into(),
        steps: vec![
            (0.0, 1.0),
            (6.0, 0.9 - d),
            (18.0, 0.6 - d),
            (30.0, 0.45 - d),
            (48.0, 0.3 - d),
        ],
        band: Some(vec![
            (0.0, 1.0, 1.0),
            (6.0, 0.8 - d, 0.97 - d),
            (18.0, 0.48 - d, 0.72 - d),
            (30.0, 0.33 - d, 0.58 - d),
            (48.0, 0.18 - d, 0.44 - d),
        ]),
        censored: vec![(10.0, 0.9 - d), (40.0, 0.45 - d)],
        at_risk: vec![40, 30, 19, 9, 2],
        censored_by: vec![0, 2, 5, 9, 12],
        events_by: vec![0, 8, 16, 22, 26],
        median,
        points: Vec::new(),
    };
    let p = KmPlot {
        title: "Overall survival by adjuvant therapy".into(),
        subtitle: Some("Kaplan–Meier estimates with 95% CIs; ticks mark censoring".into()),
        x_label: "Months since surgery".into(),
        curves: vec![
            curve("Adjuvant (n = 40)", 0.0, Some(27.0)),
            curve("None (n = 40)", 0.1, Some(20.0)),
        ],
        ticks: vec![0.0, 12.0, 24.0, 36.0, 48.0],
        x_max: 48.0,
        kmunicate: true,
        width_mm: DOUBLE_COLUMN_MM,
        footnote: Some("Illustrative data.".into()),
    };
    check("kaplan_meier_kmunicate", &render_km_svg(&p).unwrap());
    // The reconstruction QA overlay: digitised points over the curve.
    let mut qa = p.clone();
    qa.curves.truncate(1);
    qa.curves[0].points = vec![(6.0, 0.91), (18.0, 0.61), (30.0, 0.44)];
    qa.curves[0].band = None;
    qa.kmunicate = false;
    qa.width_mm = SINGLE_COLUMN_MM;
    check("kaplan_meier_qa_overlay", &render_km_svg(&qa).unwrap());
}

#[test]
fn funnel_contour_enhanced() {
    let p = FunnelPlot {
        title: "Contour-enhanced funnel plot".into(),
        subtitle: Some("Log hazard ratios; contours around the null".into()),
        x_label: "Log hazard ratio".into(),
        points: [
            (-0.5, 0.2),
            (-0.3, 0.15),
            (-0.8, 0.35),
            (0.1, 0.3),
            (-1.2, 0.5),
            (-0.4, 0.1),
        ]
        .iter()
        .map(|&(yi, sei)| FunnelPoint { yi, sei })
        .collect(),
        center: -0.42,
        null: 0.0,
        contours: vec![
            (1.6448536269514722, "0.05 ≤ p < 0.10".into()),
            (1.959963984540054, "0.01 ≤ p < 0.05".into()),
            (2.5758293035489004, "p < 0.01".into()),
        ],
        inner_label: "p ≥ 0.10".into(),
        pseudo_ci_z: 1.959963984540054,
        xticks: None,
        width_mm: SINGLE_COLUMN_MM,
        footnotes: vec!["k = 6: asymmetry cannot be judged (Sterne et al. 2011).".into()],
    };
    check("funnel_contour_enhanced", &render_funnel_svg(&p).unwrap());
}

#[test]
fn bubble() {
    let p = BubblePlot {
        title: "Meta-regression on absolute latitude".into(),
        subtitle: Some("Mixed-effects model (REML)".into()),
        x_label: "Absolute latitude (degrees)".into(),
        y_label: "Log risk ratio".into(),
        points: [
            (44.0, -0.89, 3.1),
            (55.0, -1.59, 4.0),
            (42.0, -1.35, 2.0),
            (52.0, -1.44, 5.2),
            (13.0, -0.22, 6.0),
            (44.0, -0.79, 7.5),
            (19.0, -1.62, 1.2),
            (13.0, 0.01, 8.0),
        ]
        .iter()
        .map(|&(x, y, weight)| BubblePoint { x, y, weight })
        .collect(),
        line: (0..=10)
            .map(|j| {
                let x = 13.0 + 4.2 * f64::from(j);
                let fit = 0.2515 - 0.0291 * x;
                (x, fit, fit - 0.3, fit + 0.3)
            })
            .collect(),
        reference: Some(0.0),
        domain: None,
        width_mm: SINGLE_COLUMN_MM,
        footnotes: vec!["QM(1) = 16.36, p < 0.0001".into()],
    };
    check("bubble", &render_bubble_svg(&p).unwrap());
}

#[test]
fn swimmer() {
    let lane = |label: &str, length: f64, end: LaneEnd, group: usize| SwimLane {
        label: label.into(),
        length,
        end,
        group,
        note: format!("{length} mo"),
    };
    let p = SwimmerPlot {
        title: "Follow-up of each patient".into(),
        subtitle: Some("One bar per patient; the marker gives the status at last follow-up".into()),
        x_label: "Months of follow-up".into(),
        lanes: vec![
            lane("Elhammady 2007 #2 · F", 156.0, LaneEnd::Death, 1),
            lane(
                "Shabani 2025 · 42 F · T5-T6",
                60.0,
                LaneEnd::AliveNoDisease,
                0,
            ),
            lane(
                "Nanassis 1999 · 46 F · T2-T3 (extradural)",
                22.0,
                LaneEnd::Unknown,
                1,
            ),
            lane(
                "PMID 38741997 · 63 F · C5 lamina / C5-C6 foramen",
                12.0,
                LaneEnd::AliveWithDisease,
                0,
            ),
        ],
        groups: vec![
            "adjuvant therapy reported".into(),
            "adjuvant therapy not stated".into(),
        ],
        width_mm: DOUBLE_COLUMN_MM,
        footnotes: vec!["Origins differ between reports.".into()],
    };
    check("swimmer", &render_swimmer_svg(&p).unwrap());
}
