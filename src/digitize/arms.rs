//! The panel's arms: its ink clustered by colour, tints set aside, each
//! colour traced (several times when one colour holds several arms), and
//! the paths that only retrace another dropped; then the steps in data
//! units.

use super::axes::Axis;
use super::colours::{self, tint, Class};
use super::panel::Panel;
use super::raster::{lab, Lab, LabMemo, Raster};
use super::trace;
use super::{Arm, Point};

/// An arm in pixels: its colour and steps.
pub struct PixelArm {
    /// Colour.
    pub colour: [u8; 3],
    /// Steps in figure pixels.
    pub steps: trace::Steps,
}

pub(super) fn to_arm(a: &PixelArm, i: usize, xa: &Axis, ya: &Axis, y_div: f64) -> Arm {
    let mut points = Vec::new();
    let time = |x: f64| xa.scale.value(x);
    let surv = |y: f64| ya.scale.value(y) / y_div;
    for (k, &(x0, x1, y)) in a.steps.plateaus.iter().enumerate() {
        if k == 0 {
            points.push(Point {
                time: time(x0).max(xa.min()),
                surv: surv(y),
            });
        } else {
            let prev = a.steps.plateaus[k - 1].2;
            points.push(Point {
                time: time(x0),
                surv: surv(prev),
            });
            points.push(Point {
                time: time(x0),
                surv: surv(y),
            });
        }
        if k + 1 == a.steps.plateaus.len() {
            points.push(Point {
                time: time(x1),
                surv: surv(y),
            });
        }
    }
    Arm {
        name: format!("Arm {}", i + 1),
        points,
        censor_times: a.steps.marks.iter().map(|&m| time(m)).collect(),
        colour: a.colour,
    }
}

/// The panel's curves, one per line colour.
#[allow(clippy::too_many_arguments)]
pub(super) fn curves(
    r: &Raster,
    inkm: &[f32],
    is_text: &[bool],
    line: &[bool],
    bg: [u8; 3],
    p: &Panel,
    xa: &Axis,
    ya: &Axis,
    memo: &mut LabMemo,
    warnings: &mut Vec<String>,
) -> Vec<PixelArm> {
    let w = r.width;
    let (pw, ph) = (p.x1 + 1 - p.x0, p.y1 + 1 - p.y0);
    let grid = grid_lines(r, inkm, line, p);
    let mut pixels = Vec::new();
    for y in 0..ph {
        for x in 0..pw {
            let (gx, gy) = (p.x0 + x, p.y0 + y);
            let i = gy * w + gx;
            if inkm[i] < 0.3 || is_text[i] {
                continue;
            }
            let c = r.rgb[i];
            let l = memo.get(c);
            if grid[y * pw + x] && l.chroma() < 10.0 {
                continue;
            }
            if l.l > 82.0 && l.chroma() < 10.0 {
                continue;
            }
            pixels.push((y * pw + x, c));
        }
    }
    let mut classes = colours::cluster(&pixels, memo, (pw / 12).max(15));
    let bgl = lab(bg);
    mark_tints(&mut classes, bgl);
    // Assign pixels.
    let mut class_of = vec![u8::MAX; pw * ph];
    for &(i, c) in &pixels {
        if let Some(k) = colours::nearest(memo.get(c), &classes) {
            class_of[i] = k as u8;
        }
    }
    let min_span = (pw as f64 * 0.12).max(5.0) as usize;
    let mut arms = Vec::new();
    let mut spans: Vec<(usize, Vec<f64>)> = Vec::new();
    let mark_w = ((xa.labels[0].digit_px as f64) * 0.9).ceil() as usize;
    for (k, c) in classes.iter().enumerate() {
        if c.tint_of.is_some() {
            continue;
        }
        let weight: Vec<f32> = (0..pw * ph)
            .map(|i| {
                if class_of[i] == k as u8 {
                    inkm[(p.y0 + i / pw) * w + p.x0 + i % pw]
                } else {
                    0.0
                }
            })
            .collect();
        let mut cols = trace::runs(&weight, pw, ph);
        // A colour whose runs are mostly tall is a filled area (where two
        // CI bands overlap, a shaded region), not a line.
        let mut lens: Vec<usize> = cols.iter().flatten().map(|r| r.y1 + 1 - r.y0).collect();
        lens.sort_unstable();
        if lens.get(lens.len() / 2).is_some_and(|&m| m > 12) {
            continue;
        }
        let t = trace::thickness(&cols);
        // One colour may hold several arms (black curves told apart by line
        // type): trace, take the path's runs away, trace again.
        for _ in 0..4 {
            let Some(path) = trace::trace(&cols, t, (pw / 12).max(8), mark_w) else {
                break;
            };
            for (i, r) in path.cols.iter().enumerate() {
                if let Some(r) = r {
                    cols[path.start + i].retain(|q| q != r);
                }
            }
            let span = path.cols.iter().filter(|c| c.is_some()).count();
            let late = path.start as f64 > 0.5 * pw as f64;
            if span < min_span || (late && (span as f64) < 0.3 * pw as f64) {
                continue;
            }
            let mut steps = trace::steps(&path, mark_w);
            for pl in &mut steps.plateaus {
                pl.0 += p.x0 as f64;
                pl.1 += p.x0 as f64;
                pl.2 += p.y0 as f64;
            }
            for m in &mut steps.marks {
                *m += p.x0 as f64;
            }
            let lv = levels(&steps);
            spans.push((arms.len(), lv));
            arms.push(PixelArm {
                colour: c.rgb,
                steps,
            });
        }
    }
    drop_ghosts(arms, &spans, warnings, ya)
}

fn memo_free_chroma(p: [u8; 3]) -> f32 {
    let (mx, mn) = (
        p.iter().copied().max().unwrap_or(0) as f32,
        p.iter().copied().min().unwrap_or(0) as f32,
    );
    (mx - mn) / 2.55 * 0.6
}

/// Classes that are another's colour thinned over the background.
fn mark_tints(classes: &mut [Class], bg: Lab) {
    let darkness = |c: &Class| c.lab.delta(bg);
    for i in 0..classes.len() {
        let mut best: Option<(usize, f32)> = None;
        for j in 0..classes.len() {
            if i == j || darkness(&classes[j]) <= darkness(&classes[i]) + 8.0 {
                continue;
            }
            let (alpha, res) = tint(classes[i].lab, classes[j].lab, bg);
            if (0.05..=0.8).contains(&alpha) && res < 10.0 && best.is_none_or(|b| res < b.1) {
                best = Some((j, res));
            }
        }
        if let Some((j, _)) = best {
            classes[i].tint_of = Some(j);
        }
    }
}

/// Row of each column's plateau, for comparing arms.
fn levels(s: &trace::Steps) -> Vec<f64> {
    let mut v = Vec::new();
    for &(x0, x1, y) in &s.plateaus {
        let (a, b) = (x0.round() as i64, x1.round() as i64);
        for _ in a..=b {
            v.push(y);
        }
    }
    v
}

/// An arm that retraces another's path (an anti-aliased fringe read as a
/// colour of its own) is not an arm.
fn drop_ghosts(
    arms: Vec<PixelArm>,
    spans: &[(usize, Vec<f64>)],
    warnings: &mut Vec<String>,
    _ya: &Axis,
) -> Vec<PixelArm> {
    let start = |a: &PixelArm| a.steps.plateaus.first().map_or(0.0, |p| p.0);
    let mut keep = vec![true; arms.len()];
    for i in 0..arms.len() {
        for j in 0..arms.len() {
            if i == j || !keep[j] {
                continue;
            }
            let (si, sj) = (start(&arms[i]), start(&arms[j]));
            let li = &spans[i].1;
            let lj = &spans[j].1;
            let off = (si - sj).round() as i64;
            let mut same = 0;
            let mut total = 0;
            for (k, y) in li.iter().enumerate() {
                let kj = k as i64 + off;
                if kj >= 0 && (kj as usize) < lj.len() {
                    total += 1;
                    if (y - lj[kj as usize]).abs() <= 1.5 {
                        same += 1;
                    }
                }
            }
            if total > 0 && same as f64 >= 0.85 * li.len() as f64 && li.len() <= lj.len() {
                keep[i] = false;
            }
        }
    }
    let dropped = keep.iter().filter(|k| !**k).count();
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} colour{} retracing another curve {} set aside",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    arms.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(a, _)| a)
        .collect()
}

/// Grid lines: neutral rows or columns crossing nine tenths of the panel
/// (panel coordinates).
fn grid_lines(r: &Raster, inkm: &[f32], line: &[bool], p: &Panel) -> Vec<bool> {
    let w = r.width;
    let (pw, ph) = (p.x1 + 1 - p.x0, p.y1 + 1 - p.y0);
    let mut grid = vec![false; pw * ph];
    let neutral = |x: usize, y: usize| {
        line[y * w + x] || {
            let k = inkm[y * w + x];
            k >= 0.1 && memo_free_chroma(r.at(x, y)) < 10.0
        }
    };
    for y in 0..ph {
        let n = (0..pw).filter(|&x| neutral(p.x0 + x, p.y0 + y)).count();
        if n as f64 >= 0.9 * pw as f64 {
            for x in 0..pw {
                grid[y * pw + x] = true;
            }
        }
    }
    for x in 0..pw {
        let n = (0..ph).filter(|&y| neutral(p.x0 + x, p.y0 + y)).count();
        if n as f64 >= 0.9 * ph as f64 {
            for y in 0..ph {
                grid[y * pw + x] = true;
            }
        }
    }
    grid
}
