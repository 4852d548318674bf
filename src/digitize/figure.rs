//! A raster figure read end to end.

use super::arms::{curves, to_arm};
use super::axes::{self, fit, Axis, Scale};
use super::panel::{self, Lines, Panel};
use super::raster::{ink, lab, LabMemo, Raster};
use super::text::{self, NumberWord, Text};
use super::{at_risk, Arm, DigitizeError, Digitized, Geometry, XAxis, YAxis};

/// The page's backgrounds: the commonest colour, and light neutral colours
/// covering over a twentieth of it (a ggplot panel's grey).
fn backgrounds(r: &Raster) -> Vec<[u8; 3]> {
    let main = r.background();
    let mut out = vec![main];
    let mut counts: std::collections::HashMap<[u8; 3], usize> = std::collections::HashMap::new();
    for p in r.rgb.iter().step_by(3) {
        *counts.entry(*p).or_default() += 1;
    }
    let n = r.rgb.len().div_ceil(3);
    let mut common: Vec<_> = counts.into_iter().filter(|(_, c)| *c * 20 >= n).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (p, _) in common {
        let l = lab(p);
        if l.l > 75.0 && l.chroma() < 6.0 && ink(p, main) > 0.02 {
            out.push(p);
        }
    }
    out
}

fn ink_map(r: &Raster, bgs: &[[u8; 3]]) -> Vec<f32> {
    r.rgb
        .iter()
        .map(|&p| bgs.iter().map(|&b| ink(p, b)).fold(f32::MAX, f32::min))
        .collect()
}

/// Moves each label's position to the centre of its tick mark, when one
/// is drawn between the label and the panel, and refits the scale.
fn refine_ticks(a: &mut Axis, line: &[bool], width: usize, horizontal: bool, lines: &Lines) {
    let mut pos = a.positions.clone();
    for (i, l) in a.labels.iter().enumerate() {
        let b = l.word.bbox;
        let d = l.digit_px as f64;
        let (lo, hi, zone) = if horizontal {
            // Rows between the axis line and the label's top.
            let bottom = b.y0 as isize - 1;
            let top = match lines.bottom {
                Some(r) => r as isize + 1,
                None => bottom - (1.5 * d) as isize,
            };
            (
                (pos[i] - d).max(0.0) as usize,
                (pos[i] + d) as usize,
                (top, bottom),
            )
        } else {
            let left = b.x1 as isize + 1;
            let right = match lines.left {
                Some(c) => c as isize - 1,
                None => left + (1.5 * d) as isize,
            };
            (
                (pos[i] - d).max(0.0) as usize,
                (pos[i] + d) as usize,
                (left, right),
            )
        };
        if zone.1 < zone.0 || zone.0 < 0 {
            continue;
        }
        let (mut sw, mut swp) = (0.0, 0.0);
        for p in lo..=hi {
            let mut s = 0usize;
            for q in zone.0 as usize..=zone.1 as usize {
                let (x, y) = if horizontal { (p, q) } else { (q, p) };
                if x < width && y * width + x < line.len() && line[y * width + x] {
                    s += 1;
                }
            }
            let len = (zone.1 - zone.0 + 1) as f64;
            if s as f64 >= 0.6 * len && len >= 1.0 {
                sw += s as f64;
                swp += s as f64 * p as f64;
            }
        }
        if sw > 0.0 {
            let c = swp / sw;
            if (c - pos[i]).abs() <= 0.5 * d.max(2.0) {
                pos[i] = c;
            }
        }
    }
    let values: Vec<f64> = a.labels.iter().map(|l| l.value).collect();
    let (ia, ib, _) = fit(&values, &pos);
    a.positions = pos;
    a.scale = Scale { a: ia, b: ib };
}

/// Components of words inside the panel: text, not curve.
fn text_mask(t: &Text, width: usize, height: usize, digit: f64, panel: &Panel) -> Vec<bool> {
    let mut is_text = vec![false; t.comps.len() + 1];
    for w in &t.words {
        let tall: Vec<&super::components::BBox> = w
            .parts
            .iter()
            .filter(|b| b.h() as f64 >= 0.5 * digit && b.h() as f64 <= 2.5 * digit)
            .collect();
        let flat = w.parts.iter().all(|b| (b.h() as f64) < 0.4 * b.w() as f64);
        if tall.len() >= 2 && !flat {
            for &id in &w.ids {
                is_text[id + 1] = true;
            }
        }
    }
    let mut mask = vec![false; width * height];
    for y in panel.y0..=panel.y1 {
        for x in panel.x0..=panel.x1 {
            let l = t.labels[y * width + x] as usize;
            mask[y * width + x] = l > 0 && is_text[l];
        }
    }
    mask
}

/// Reads a raster figure.
pub fn read_raster(r: &Raster) -> Result<Digitized, DigitizeError> {
    let (w, h) = (r.width, r.height);
    if w < 20 || h < 20 {
        return Err(DigitizeError::NoAxes("the image is too small".into()));
    }
    let bgs = backgrounds(r);
    let bg = bgs[0];
    let inkm = ink_map(r, &bgs);
    let t = text::find(&inkm, w, h);
    let numbers: Vec<NumberWord> = t
        .words
        .iter()
        .chain(&t.vertical)
        .filter(|wd| wd.parts.len() <= 8)
        .filter_map(|wd| text::read(&inkm, w, wd))
        .collect();
    let xs = axes::x_candidates(&numbers);
    let ys = axes::y_candidates(&numbers);
    let Some((mut xa, mut ya)) = axes::choose(&xs, &ys) else {
        let why = match (xs.is_empty(), ys.is_empty()) {
            (true, true) => "neither axis has evenly spaced numeric tick labels",
            (true, false) => "the x axis has no evenly spaced numeric tick labels",
            (false, true) => "the y axis has no evenly spaced numeric tick labels",
            _ => "the x and y tick labels do not form the two axes of one plot",
        };
        return Err(DigitizeError::NoAxes(why.into()));
    };
    let mut memo = LabMemo::default();
    let line: Vec<bool> = r
        .rgb
        .iter()
        .zip(&inkm)
        .map(|(&p, &k)| k >= 0.45 && memo.get(p).chroma() < 14.0)
        .collect();
    let (_, lines) = panel::find(&line, w, h, &xa, &ya);
    refine_ticks(&mut xa, &line, w, true, &lines);
    refine_ticks(&mut ya, &line, w, false, &lines);
    let (p, lines) = panel::find(&line, w, h, &xa, &ya);
    let digit = xa.labels[0].digit_px as f64;
    let is_text = text_mask(&t, w, h, digit, &p);
    let mut warnings = Vec::new();
    let arms = curves(
        r,
        &inkm,
        &is_text,
        &line,
        bg,
        &p,
        &xa,
        &ya,
        &mut memo,
        &mut warnings,
    );
    let _ = lines;
    if arms.is_empty() {
        return Err(DigitizeError::NoCurves);
    }
    let percent = ya.percent || ya.max() > 1.5;
    let y_div = if percent { 100.0 } else { 1.0 };
    let mut out_arms: Vec<Arm> = arms
        .iter()
        .enumerate()
        .map(|(i, a)| to_arm(a, i, &xa, &ya, y_div))
        .collect();
    let risk = at_risk::read(
        &numbers,
        &xa,
        &p,
        r,
        &inkm,
        &out_arms,
        &mut memo,
        &mut warnings,
    );
    if out_arms.len() > 1 || !risk.rows.is_empty() {
        // Names come from the legend when it is read; until then, by colour.
    }
    for a in &mut out_arms {
        a.points
            .iter_mut()
            .for_each(|q| q.surv = q.surv.clamp(0.0, 1.0));
    }
    warnings.push(format!(
        "arm names were not read from the legend: the arms are named {} in the order found (top curve at the start first)",
        out_arms.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
    ));
    let geometry = Geometry {
        panel: (p.x0, p.y0, p.x1, p.y1),
        x_scale: (xa.scale.a, xa.scale.b),
        y_scale: (ya.scale.a, ya.scale.b),
        labels: xa
            .labels
            .iter()
            .chain(&ya.labels)
            .map(|l| {
                let b = l.word.bbox;
                ((b.x0, b.y0, b.x1, b.y1), l.text.clone())
            })
            .collect(),
        at_risk: risk.boxes.clone(),
    };
    Ok(Digitized {
        x_axis: XAxis {
            min: xa.min(),
            max: xa.max(),
        },
        y_axis: YAxis {
            min: ya.min(),
            max: ya.max(),
            scale: if percent { "percent" } else { "proportion" },
        },
        arms: out_arms,
        at_risk: risk.cells,
        warnings,
        geometry,
    })
}

#[cfg(test)]
mod debug {
    use super::*;

    /// `SURVLIT_FIG=path cargo test --lib digitize::figure::debug -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn show() {
        let Ok(path) = std::env::var("SURVLIT_FIG") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let r = Raster {
            width: img.width() as usize,
            height: img.height() as usize,
            rgb: img.pixels().map(|p| p.0).collect(),
        };
        let bgs = backgrounds(&r);
        println!("backgrounds {bgs:?}");
        let inkm = ink_map(&r, &bgs);
        let t = text::find(&inkm, r.width, r.height);
        println!("{} words, {} vertical", t.words.len(), t.vertical.len());
        for wd in t
            .words
            .iter()
            .chain(&t.vertical)
            .filter(|w| w.parts.len() <= 8)
        {
            if let Some(n) = text::read(&inkm, r.width, wd) {
                println!(
                    "  {:>8} v={} at ({},{})-({},{}) px {:.1} worst {:.3}",
                    n.text,
                    wd.vertical as u8,
                    wd.bbox.x0,
                    wd.bbox.y0,
                    wd.bbox.x1,
                    wd.bbox.y1,
                    n.digit_px,
                    n.worst
                );
            }
        }
        let numbers: Vec<NumberWord> = t
            .words
            .iter()
            .chain(&t.vertical)
            .filter(|wd| wd.parts.len() <= 8)
            .filter_map(|wd| text::read(&inkm, r.width, wd))
            .collect();
        for a in axes::x_candidates(&numbers) {
            println!(
                "x cand: {:?}",
                a.labels.iter().map(|l| l.text.clone()).collect::<Vec<_>>()
            );
        }
        for a in axes::y_candidates(&numbers) {
            println!(
                "y cand: {:?}",
                a.labels.iter().map(|l| l.text.clone()).collect::<Vec<_>>()
            );
        }
        match read_raster(&r) {
            Ok(d) => {
                println!("panel {:?}", d.geometry.panel);
                for a in &d.arms {
                    println!(
                        "arm {} colour {:?} {} points, {} marks",
                        a.name,
                        a.colour,
                        a.points.len(),
                        a.censor_times.len()
                    );
                }
                println!("warnings {:?}", d.warnings);
            }
            Err(e) => println!("error {e}"),
        }
    }
}
