//! The numbers-at-risk table under the plot: rows of whole numbers below
//! the x tick labels, each number under a tick (centred on it or starting
//! at it), falling from left to right; each row tied to an arm by its
//! colour, or by order when the rows are as many as the arms.

use super::axes::Axis;
use super::panel::Panel;
use super::raster::{LabMemo, Raster};
use super::text::NumberWord;
use super::{Arm, AtRisk};

/// A row of numbers at risk.
#[derive(Clone, Debug)]
pub struct Row {
    /// (tick index, n) by time.
    pub cells: Vec<(usize, u64)>,
    /// Mean colour of its digits.
    pub colour: [u8; 3],
    /// Vertical centre.
    pub cy: f64,
}

/// What was read under the plot.
#[derive(Clone, Debug, Default)]
pub struct Risk {
    /// Cells tied to arms.
    pub cells: Vec<AtRisk>,
    /// The rows found.
    pub rows: Vec<Row>,
    /// Boxes and texts read, for the overlay.
    pub boxes: Vec<((usize, usize, usize, usize), String)>,
}

fn word_colour(r: &Raster, inkm: &[f32], n: &NumberWord) -> [u8; 3] {
    let b = n.word.bbox;
    let (mut s, mut k) = ([0u64; 3], 0u64);
    for y in b.y0..=b.y1 {
        for x in b.x0..=b.x1 {
            if inkm[y * r.width + x] >= 0.6 {
                let p = r.at(x, y);
                for c in 0..3 {
                    s[c] += p[c] as u64;
                }
                k += 1;
            }
        }
    }
    if k == 0 {
        return [0; 3];
    }
    [(s[0] / k) as u8, (s[1] / k) as u8, (s[2] / k) as u8]
}

/// Reads the table; warnings for rows that rise or cannot be tied.
#[allow(clippy::too_many_arguments)]
pub fn read(
    numbers: &[NumberWord],
    xa: &Axis,
    p: &Panel,
    r: &Raster,
    inkm: &[f32],
    arms: &[Arm],
    memo: &mut LabMemo,
    warnings: &mut Vec<String>,
) -> Risk {
    let axis_bottom = xa
        .labels
        .iter()
        .map(|l| l.word.bbox.y1)
        .max()
        .unwrap_or(p.y1);
    let spacing = xa.spacing();
    if spacing <= 0.0 {
        return Risk::default();
    }
    let below: Vec<&NumberWord> = numbers
        .iter()
        .filter(|n| !n.word.vertical && n.word.bbox.y0 > axis_bottom && !n.percent)
        .filter(|n| n.value.fract() == 0.0 && n.value >= 0.0 && !n.text.contains('.'))
        .collect();
    // Rows by vertical centre.
    let mut sorted = below.clone();
    sorted.sort_by(|a, b| a.word.bbox.cy().total_cmp(&b.word.bbox.cy()));
    let mut rows_w: Vec<Vec<&NumberWord>> = Vec::new();
    for n in sorted {
        match rows_w.last_mut() {
            Some(row)
                if (n.word.bbox.cy() - row[0].word.bbox.cy()).abs() <= 0.4 * n.digit_px as f64 =>
            {
                row.push(n)
            }
            _ => rows_w.push(vec![n]),
        }
    }
    let mut rows = Vec::new();
    let mut risk = Risk::default();
    for row in rows_w {
        // Tie each number to a tick, by centre or by left edge, whichever
        // fits the row better.
        let tie = |key: &dyn Fn(&NumberWord) -> f64| -> (Vec<(usize, u64)>, f64) {
            let mut cells = Vec::new();
            let mut err = 0.0;
            for n in &row {
                let x = key(n);
                let (i, d) = xa
                    .positions
                    .iter()
                    .enumerate()
                    .map(|(i, &px)| (i, (px - x).abs()))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap_or((0, f64::MAX));
                if d <= 0.3 * spacing {
                    cells.push((i, n.value as u64));
                    err += d;
                }
            }
            (cells, err)
        };
        let (c1, e1) = tie(&|n| n.word.bbox.cx());
        let (c2, e2) = tie(&|n| n.word.bbox.x0 as f64);
        let mut cells = if c2.len() > c1.len() || (c2.len() == c1.len() && e2 < e1) {
            c2
        } else {
            c1
        };
        cells.sort();
        cells.dedup_by_key(|c| c.0);
        if cells.len() < 2 || cells[0].1 == 0 {
            continue;
        }
        let rises = cells.windows(2).filter(|w| w[1].1 > w[0].1).count();
        // The x labels of a table's own axis rise at every step.
        if rises * 10 > (cells.len() - 1) * 3 {
            continue;
        }
        let k = row.len() as u64;
        let sum = row.iter().fold([0u64; 3], |mut s, n| {
            let c = word_colour(r, inkm, n);
            for i in 0..3 {
                s[i] += c[i] as u64;
            }
            s
        });
        let colour = [(sum[0] / k) as u8, (sum[1] / k) as u8, (sum[2] / k) as u8];
        for n in &row {
            let b = n.word.bbox;
            risk.boxes.push(((b.x0, b.y0, b.x1, b.y1), n.text.clone()));
        }
        rows.push(Row {
            cells,
            colour,
            cy: row[0].word.bbox.cy(),
        });
    }
    tie(&rows, xa, arms, memo, warnings, &mut risk);
    risk.rows = rows;
    risk
}

/// Ties each row to an arm (by colour, or by order when the rows are as
/// many as the arms) and adds its cells; warns when it cannot, or when a
/// row rises.
fn tie(
    rows: &[Row],
    xa: &Axis,
    arms: &[Arm],
    memo: &mut LabMemo,
    warnings: &mut Vec<String>,
    risk: &mut Risk,
) {
    let chromatic = rows.iter().all(|row| memo.get(row.colour).chroma() > 15.0);
    let mut owner: Vec<Option<usize>> = vec![None; rows.len()];
    if chromatic && !arms.is_empty() {
        for (i, row) in rows.iter().enumerate() {
            let c = memo.get(row.colour);
            owner[i] = arms
                .iter()
                .enumerate()
                .map(|(k, a)| (k, memo.get(a.colour).delta(c)))
                .filter(|(_, d)| *d < 35.0)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(k, _)| k);
        }
    } else if rows.len() == arms.len() {
        for (i, o) in owner.iter_mut().enumerate() {
            *o = Some(i);
        }
        if arms.len() > 1 {
            warnings.push("numbers-at-risk rows were tied to arms by order (top row to the first arm): check them on the overlay".into());
        }
    } else if !rows.is_empty() {
        warnings.push(format!(
            "{} numbers-at-risk row{} found for {} arm{}: the rows were not tied to arms",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            arms.len(),
            if arms.len() == 1 { "" } else { "s" }
        ));
    }
    for (row, o) in rows.iter().zip(&owner) {
        let Some(k) = o else { continue };
        let name = &arms[*k].name;
        for w in row.cells.windows(2) {
            if w[1].1 > w[0].1 {
                warnings.push(format!(
                    "numbers at risk of {name} increase from {} to {} (at {} → {}): a misread digit?",
                    w[0].1,
                    w[1].1,
                    xa.labels[w[0].0].text,
                    xa.labels[w[1].0].text
                ));
            }
        }
        for &(i, n) in &row.cells {
            risk.cells.push(AtRisk {
                arm: name.clone(),
                time: xa.labels[i].value,
                n,
            });
        }
    }
}
