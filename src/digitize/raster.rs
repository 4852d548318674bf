//! A figure as pixels: RGB, with its background colours, each pixel's ink
//! (how far it is from the background) and CIELAB colours for telling
//! curves apart.

/// An RGB image, row-major, top-left origin.
#[derive(Clone)]
pub struct Raster {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Pixels, row by row.
    pub rgb: Vec<[u8; 3]>,
}

impl Raster {
    /// A blank (white) raster.
    pub fn white(width: usize, height: usize) -> Self {
        Raster {
            width,
            height,
            rgb: vec![[255; 3]; width * height],
        }
    }

    /// The pixel at (x, y).
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.rgb[y * self.width + x]
    }

    /// The page's background: the commonest colour (quantised to 4 bits a
    /// channel, then averaged over the pixels of that bin).
    pub fn background(&self) -> [u8; 3] {
        let mut counts = vec![0u32; 4096];
        for p in &self.rgb {
            counts[bin(*p)] += 1;
        }
        let best = (0..4096).max_by_key(|&i| (counts[i], i)).unwrap_or(4095);
        let mut sum = [0u64; 3];
        let mut n = 0u64;
        for p in self.rgb.iter().filter(|p| bin(**p) == best) {
            for c in 0..3 {
                sum[c] += p[c] as u64;
            }
            n += 1;
        }
        if n == 0 {
            return [255; 3];
        }
        [(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]
    }
}

fn bin(p: [u8; 3]) -> usize {
    ((p[0] as usize >> 4) << 8) | ((p[1] as usize >> 4) << 4) | (p[2] as usize >> 4)
}

/// How far a colour is from the background, 0 (background) to 1 (as far as
/// black is from white): the largest channel difference.
#[inline]
pub fn ink(p: [u8; 3], bg: [u8; 3]) -> f32 {
    let d = (0..3)
        .map(|c| (p[c] as i32 - bg[c] as i32).unsigned_abs())
        .max()
        .unwrap_or(0);
    d as f32 / 255.0
}

/// A colour in CIELAB (D65).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lab {
    /// Lightness, 0–100.
    pub l: f32,
    /// Green–red.
    pub a: f32,
    /// Blue–yellow.
    pub b: f32,
}

impl Lab {
    /// Chroma: distance from the grey axis.
    pub fn chroma(self) -> f32 {
        (self.a * self.a + self.b * self.b).sqrt()
    }

    /// Euclidean distance (ΔE 1976).
    pub fn delta(self, o: Lab) -> f32 {
        ((self.l - o.l).powi(2) + (self.a - o.a).powi(2) + (self.b - o.b).powi(2)).sqrt()
    }
}

fn linear(c: u8) -> f32 {
    let c = c as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn lab_f(t: f32) -> f32 {
    if t > 0.008856 {
        t.cbrt()
    } else {
        7.787 * t + 16.0 / 116.0
    }
}

/// sRGB to CIELAB.
pub fn lab(p: [u8; 3]) -> Lab {
    let (r, g, b) = (linear(p[0]), linear(p[1]), linear(p[2]));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let (fx, fy, fz) = (lab_f(x), lab_f(y), lab_f(z));
    Lab {
        l: 116.0 * fy - 16.0,
        a: 500.0 * (fx - fy),
        b: 200.0 * (fy - fz),
    }
}

/// A cache of CIELAB values for all 2²⁴ colours would be 200 MB; figures
/// use few colours, so a small memo keyed by the colour does.
#[derive(Default)]
pub struct LabMemo {
    map: std::collections::HashMap<[u8; 3], Lab>,
}

impl LabMemo {
    /// The CIELAB value of a colour.
    pub fn get(&mut self, p: [u8; 3]) -> Lab {
        *self.map.entry(p).or_insert_with(|| lab(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_of_white_black_and_red() {
        let w = lab([255, 255, 255]);
        assert!((w.l - 100.0).abs() < 0.1 && w.chroma() < 0.5);
        assert!(lab([0, 0, 0]).l.abs() < 0.1);
        let r = lab([255, 0, 0]);
        assert!((r.l - 53.24).abs() < 0.2 && (r.a - 80.09).abs() < 0.5);
    }

    #[test]
    fn background_is_the_commonest_colour() {
        let mut r = Raster::white(10, 10);
        for i in 0..30 {
            r.rgb[i] = [0, 0, 0];
        }
        assert_eq!(r.background(), [255, 255, 255]);
        assert_eq!(ink([0, 0, 0], [255, 255, 255]), 1.0);
    }
}
