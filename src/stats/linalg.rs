//! Small dense matrices (p×p, p = number of model coefficients). Row-major.

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Entries, row-major.
    pub data: Vec<f64>,
}

impl Matrix {
    /// A zero matrix.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// A single column of ones (the intercept-only design).
    pub fn ones_column(rows: usize) -> Self {
        Matrix {
            rows,
            cols: 1,
            data: vec![1.0; rows],
        }
    }

    /// Entry (i, j).
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Mutable entry (i, j).
    pub fn at_mut(&mut self, i: usize, j: usize) -> &mut f64 {
        &mut self.data[i * self.cols + j]
    }

    /// Row i.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// X' diag(d) X for this matrix X (k×p) and a weight vector d (k).
    pub fn weighted_gram(&self, d: &[f64]) -> Matrix {
        let p = self.cols;
        if p == 1 && self.data.iter().all(|x| *x == 1.0) {
            // Intercept-only model: X'DX = Σd.
            return Matrix {
                rows: 1,
                cols: 1,
                data: vec![d.iter().sum()],
            };
        }
        let mut g = Matrix::zeros(p, p);
        for (i, &di) in d.iter().enumerate() {
            let r = self.row(i);
            for a in 0..p {
                let ra = r[a] * di;
                for b in a..p {
                    g.data[a * p + b] += ra * r[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                g.data[a * p + b] = g.data[b * p + a];
            }
        }
        g
    }

    /// X' (d ∘ y) for this matrix X and vectors d, y.
    pub fn weighted_xty(&self, d: &[f64], y: &[f64]) -> Vec<f64> {
        if self.cols == 1 && self.data.iter().all(|x| *x == 1.0) {
            return vec![d.iter().zip(y).map(|(d, y)| d * y).sum()];
        }
        let mut out = vec![0.0; self.cols];
        for i in 0..self.rows {
            let dy = d[i] * y[i];
            for (o, x) in out.iter_mut().zip(self.row(i)) {
                *o += x * dy;
            }
        }
        out
    }

    /// Matrix product.
    pub fn mul(&self, other: &Matrix) -> Matrix {
        let mut m = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self.at(i, k);
                for j in 0..other.cols {
                    m.data[i * other.cols + j] += a * other.at(k, j);
                }
            }
        }
        m
    }

    /// Matrix–vector product.
    pub fn mul_vec(&self, v: &[f64]) -> Vec<f64> {
        (0..self.rows)
            .map(|i| self.row(i).iter().zip(v).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// Trace.
    pub fn trace(&self) -> f64 {
        (0..self.rows.min(self.cols)).map(|i| self.at(i, i)).sum()
    }

    /// Inverse of a symmetric positive-definite matrix (Gauss–Jordan with
    /// partial pivoting); `None` when singular.
    pub fn inverse(&self) -> Option<Matrix> {
        let n = self.rows;
        let mut a = self.clone();
        let mut inv = Matrix::zeros(n, n);
        for i in 0..n {
            *inv.at_mut(i, i) = 1.0;
        }
        let scale = self
            .data
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(f64::MIN_POSITIVE);
        for col in 0..n {
            let pivot =
                (col..n).max_by(|&x, &y| a.at(x, col).abs().total_cmp(&a.at(y, col).abs()))?;
            if a.at(pivot, col).abs() <= 1e-13 * scale {
                return None;
            }
            if pivot != col {
                for j in 0..n {
                    a.data.swap(pivot * n + j, col * n + j);
                    inv.data.swap(pivot * n + j, col * n + j);
                }
            }
            let d = a.at(col, col);
            for j in 0..n {
                *a.at_mut(col, j) /= d;
                *inv.at_mut(col, j) /= d;
            }
            for r in 0..n {
                if r != col {
                    let f = a.at(r, col);
                    if f != 0.0 {
                        for j in 0..n {
                            let (ac, ic) = (a.at(col, j), inv.at(col, j));
                            *a.at_mut(r, j) -= f * ac;
                            *inv.at_mut(r, j) -= f * ic;
                        }
                    }
                }
            }
        }
        Some(inv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_2x2() {
        let m = Matrix {
            rows: 2,
            cols: 2,
            data: vec![4.0, 2.0, 2.0, 3.0],
        };
        let inv = m.inverse().unwrap();
        let id = m.mul(&inv);
        for i in 0..2 {
            for j in 0..2 {
                assert!((id.at(i, j) - f64::from(u8::from(i == j))).abs() < 1e-14);
            }
        }
        assert!(Matrix {
            rows: 2,
            cols: 2,
            data: vec![1.0, 2.0, 2.0, 4.0]
        }
        .inverse()
        .is_none());
    }
}
