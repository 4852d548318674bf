//! Telling the curves apart by colour: the panel's ink clustered in
//! CIELAB; clusters that are a tint of another (a CI band's fill, the
//! anti-aliased fringe of a line) are not curves.

use std::collections::HashMap;

use super::raster::{Lab, LabMemo};

/// One colour the panel's lines are drawn in.
#[derive(Clone, Debug)]
pub struct Class {
    /// Mean colour.
    pub lab: Lab,
    /// Mean colour as RGB.
    pub rgb: [u8; 3],
    /// Pixels assigned.
    pub count: usize,
    /// A tint of another class (fill or fringe): not a curve.
    pub tint_of: Option<usize>,
}

/// How much of `c` is `d` over the background: (α, residual ΔE) of
/// c ≈ bg + α (d − bg).
pub fn tint(c: Lab, d: Lab, bg: Lab) -> (f32, f32) {
    let v = [d.l - bg.l, d.a - bg.a, d.b - bg.b];
    let u = [c.l - bg.l, c.a - bg.a, c.b - bg.b];
    let vv: f32 = v.iter().map(|x| x * x).sum();
    if vv < 1e-6 {
        return (0.0, f32::INFINITY);
    }
    let alpha = u.iter().zip(&v).map(|(a, b)| a * b).sum::<f32>() / vv;
    let r: f32 = (0..3)
        .map(|i| (u[i] - alpha * v[i]).powi(2))
        .sum::<f32>()
        .sqrt();
    (alpha, r)
}

/// Clusters the colours of `pixels` (index, rgb); clusters under
/// `min_count` pixels are dropped.
pub fn cluster(pixels: &[(usize, [u8; 3])], memo: &mut LabMemo, min_count: usize) -> Vec<Class> {
    let mut bins: HashMap<(i16, i16, i16), (usize, [f64; 3], [u64; 3])> = HashMap::new();
    for &(_, p) in pixels {
        let c = memo.get(p);
        let key = (
            (c.l / 5.0).round() as i16,
            (c.a / 5.0).round() as i16,
            (c.b / 5.0).round() as i16,
        );
        let e = bins.entry(key).or_insert((0, [0.0; 3], [0; 3]));
        e.0 += 1;
        e.1[0] += c.l as f64;
        e.1[1] += c.a as f64;
        e.1[2] += c.b as f64;
        for k in 0..3 {
            e.2[k] += p[k] as u64;
        }
    }
    let mut sorted: Vec<_> = bins.into_iter().collect();
    sorted.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut out: Vec<(usize, [f64; 3], [u64; 3])> = Vec::new();
    for (_, (n, sum, rgb)) in sorted {
        let centre = Lab {
            l: (sum[0] / n as f64) as f32,
            a: (sum[1] / n as f64) as f32,
            b: (sum[2] / n as f64) as f32,
        };
        let near = out.iter_mut().find(|(m, s, _)| {
            let c = Lab {
                l: (s[0] / *m as f64) as f32,
                a: (s[1] / *m as f64) as f32,
                b: (s[2] / *m as f64) as f32,
            };
            c.delta(centre) <= 16.0
        });
        match near {
            Some((m, s, r)) => {
                *m += n;
                for k in 0..3 {
                    s[k] += sum[k];
                    r[k] += rgb[k];
                }
            }
            None => out.push((n, sum, rgb)),
        }
    }
    out.into_iter()
        .filter(|(n, _, _)| *n >= min_count)
        .map(|(n, s, r)| Class {
            lab: Lab {
                l: (s[0] / n as f64) as f32,
                a: (s[1] / n as f64) as f32,
                b: (s[2] / n as f64) as f32,
            },
            rgb: [
                (r[0] / n as u64) as u8,
                (r[1] / n as u64) as u8,
                (r[2] / n as u64) as u8,
            ],
            count: n,
            tint_of: None,
        })
        .collect()
}

/// The class a colour belongs to: the nearest centre within ΔE 22.
pub fn nearest(c: Lab, classes: &[Class]) -> Option<usize> {
    let mut best = None;
    let mut bd = 22.0f32;
    for (i, k) in classes.iter().enumerate() {
        let d = k.lab.delta(c);
        if d < bd {
            bd = d;
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::raster::lab;
    use super::*;

    #[test]
    fn a_ci_fill_is_a_tint_of_its_line() {
        let bg = lab([255, 255, 255]);
        let line = lab([31, 119, 180]);
        // 30 % of the line colour over white.
        let fill = lab([
            (255.0 - 0.3 * (255.0 - 31.0)) as u8,
            (255.0 - 0.3 * (255.0 - 119.0)) as u8,
            (255.0 - 0.3 * (255.0 - 180.0)) as u8,
        ]);
        let (alpha, r) = tint(fill, line, bg);
        assert!(alpha > 0.15 && alpha < 0.6, "{alpha}");
        assert!(r < 12.0, "{r}");
        let orange = lab([255, 127, 14]);
        assert!(tint(orange, line, bg).1 > 20.0);
    }

    #[test]
    fn two_colours_make_two_classes() {
        let mut memo = LabMemo::default();
        let mut px = Vec::new();
        for i in 0..100 {
            px.push((i, [31, 119, 180]));
            px.push((i, [255, 127, 14]));
        }
        px.push((0, [0, 200, 0]));
        let cs = cluster(&px, &mut memo, 10);
        assert_eq!(cs.len(), 2);
    }
}
