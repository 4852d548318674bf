//! Swimmer plots at every size and width: no overlapping or clipped text.

use super::*;
use crate::plot::check::layout_problems;

fn plot(n: usize) -> SwimmerPlot {
    let ends = [
        LaneEnd::Death,
        LaneEnd::AliveNoDisease,
        LaneEnd::AliveWithDisease,
        LaneEnd::Alive,
        LaneEnd::Unknown,
    ];
    SwimmerPlot {
        title: "Follow-up of published patients with spinal metastases of uterine leiomyosarcoma".into(),
        subtitle: Some("One bar per patient, from the origin each report uses".into()),
        x_label: "Months".into(),
        lanes: (0..n)
            .map(|i| SwimLane {
                label: if i % 3 == 0 {
                    format!("Elhammady 2007 · patient {i} · T5–T6 (extradural), posterior decompression")
                } else {
                    format!("Shabani 2025 · 42 F · T{i}")
                },
                length: 10.0 + (i as f64 * 23.0) % 150.0,
                end: ends[i % 5],
                group: i % 2,
                note: format!("{} mo, {}", 10 + i, ends[i % 5].label()),
            })
            .collect(),
        groups: vec!["adjuvant therapy reported".into(), "adjuvant therapy not stated".into()],
        width_mm: crate::plot::DOUBLE_COLUMN_MM,
        footnotes: vec!["Origins differ between reports: surgery, spinal surgery, initial presentation.".into()],
    }
}

#[test]
fn structure_labels_and_no_overlaps() {
    for n in [1, 5, 12, 40] {
        for width in [crate::plot::SINGLE_COLUMN_MM, crate::plot::DOUBLE_COLUMN_MM] {
            let mut p = plot(n);
            p.width_mm = width;
            let svg = render_swimmer_svg(&p).unwrap();
            assert!(
                layout_problems(&svg).is_empty(),
                "n = {n}, {width} mm: {:?}",
                layout_problems(&svg)
            );
            assert_eq!(svg, render_swimmer_svg(&p).unwrap());
            for needle in ["Months", "adjuvant therapy reported", "died"] {
                assert!(svg.contains(needle), "missing {needle}");
            }
        }
    }
}
