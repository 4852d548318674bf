//! Connected components (8-connected) of a mask, with their bounding boxes.

/// A bounding box, inclusive of both ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BBox {
    /// Left column.
    pub x0: usize,
    /// Top row.
    pub y0: usize,
    /// Right column.
    pub x1: usize,
    /// Bottom row.
    pub y1: usize,
}

impl BBox {
    /// Width in pixels.
    pub fn w(&self) -> usize {
        self.x1 + 1 - self.x0
    }
    /// Height in pixels.
    pub fn h(&self) -> usize {
        self.y1 + 1 - self.y0
    }
    /// Horizontal centre.
    pub fn cx(&self) -> f64 {
        (self.x0 + self.x1) as f64 / 2.0
    }
    /// Vertical centre.
    pub fn cy(&self) -> f64 {
        (self.y0 + self.y1) as f64 / 2.0
    }
    /// The smallest box holding both.
    pub fn union(&self, o: &BBox) -> BBox {
        BBox {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
    /// Columns both boxes cover.
    pub fn x_overlap(&self, o: &BBox) -> isize {
        self.x1.min(o.x1) as isize - self.x0.max(o.x0) as isize + 1
    }
    /// Rows both boxes cover.
    pub fn y_overlap(&self, o: &BBox) -> isize {
        self.y1.min(o.y1) as isize - self.y0.max(o.y0) as isize + 1
    }
}

/// One component: its box and pixel count.
#[derive(Clone, Debug)]
pub struct Component {
    /// Bounding box.
    pub bbox: BBox,
    /// Pixels in it.
    pub area: usize,
}

/// Labels the 8-connected components of `mask` (width × height); returns
/// each pixel's label (0 = not in the mask, components numbered from 1)
/// and the components in label order.
pub fn label(mask: &[bool], width: usize, height: usize) -> (Vec<u32>, Vec<Component>) {
    let mut labels = vec![0u32; mask.len()];
    let mut comps = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || labels[start] != 0 {
            continue;
        }
        let id = comps.len() as u32 + 1;
        labels[start] = id;
        stack.push(start);
        let (sx, sy) = (start % width, start / width);
        let mut bbox = BBox {
            x0: sx,
            y0: sy,
            x1: sx,
            y1: sy,
        };
        let mut area = 0;
        while let Some(i) = stack.pop() {
            area += 1;
            let (x, y) = (i % width, i / width);
            bbox.x0 = bbox.x0.min(x);
            bbox.x1 = bbox.x1.max(x);
            bbox.y0 = bbox.y0.min(y);
            bbox.y1 = bbox.y1.max(y);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= width as i64 || ny >= height as i64 {
                        continue;
                    }
                    let j = ny as usize * width + nx as usize;
                    if mask[j] && labels[j] == 0 {
                        labels[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        comps.push(Component { bbox, area });
    }
    (labels, comps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_blobs_and_a_diagonal() {
        #[rustfmt::skip]
        let m = [
            1, 1, 0, 0, 0,
            0, 1, 0, 0, 1,
            0, 0, 1, 0, 1,
            0, 0, 0, 0, 0,
        ];
        let mask: Vec<bool> = m.iter().map(|&v| v == 1).collect();
        let (_, comps) = label(&mask, 5, 4);
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0].area, 4);
        assert_eq!(
            comps[0].bbox,
            BBox {
                x0: 0,
                y0: 0,
                x1: 2,
                y1: 2
            }
        );
        assert_eq!(comps[1].bbox.h(), 2);
    }
}
