//! Principal component analysis by the cyclic Jacobi eigenvalue method on the covariance
//! matrix. Hidden layers have at most a few dozen units, so a d x d Jacobi sweep is cheap and,
//! unlike power iteration, returns every component with no deflation error.

/// A fitted projection onto the leading principal components.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Mean of the fitted rows, subtracted before projecting.
    pub mean: Vec<f64>,
    /// Unit-length components, largest variance first; `components[k]` has the rows' width.
    pub components: Vec<Vec<f64>>,
    /// Variance along each component (eigenvalues of the covariance), same order.
    pub variances: Vec<f64>,
    /// Sum of all eigenvalues (the total variance), for "explained variance" read-outs.
    pub total_variance: f64,
}

impl Pca {
    /// Fits `k` components to `rows` (samples x dims). Rows with non-finite entries are skipped;
    /// `None` when no finite row is left or the rows have no width.
    // Index loops: the covariance's symmetric (i, j) pairs read clearer as indices.
    #[allow(clippy::needless_range_loop)]
    pub fn fit(rows: &[Vec<f64>], k: usize) -> Option<Self> {
        let d = rows.first()?.len();
        let finite: Vec<&Vec<f64>> = rows
            .iter()
            .filter(|r| r.len() == d && r.iter().all(|v| v.is_finite()))
            .collect();
        if d == 0 || finite.is_empty() {
            return None;
        }
        let n = finite.len() as f64;
        let mut mean = vec![0.0; d];
        for r in &finite {
            for (m, v) in mean.iter_mut().zip(r.iter()) {
                *m += v / n;
            }
        }
        let mut cov = vec![vec![0.0; d]; d];
        for r in &finite {
            for i in 0..d {
                let di = r[i] - mean[i];
                for j in i..d {
                    cov[i][j] += di * (r[j] - mean[j]) / n;
                }
            }
        }
        for i in 0..d {
            for j in 0..i {
                cov[i][j] = cov[j][i];
            }
        }
        let (values, vectors) = jacobi_eigen(cov);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let k = k.min(d);
        let components = order[..k]
            .iter()
            .map(|&c| canonical_sign((0..d).map(|i| vectors[i][c]).collect()))
            .collect();
        Some(Self {
            mean,
            components,
            variances: order[..k].iter().map(|&c| values[c].max(0.0)).collect(),
            total_variance: values.iter().map(|v| v.max(0.0)).sum(),
        })
    }

    /// The coordinates of `row` along the components.
    pub fn project(&self, row: &[f64]) -> Vec<f64> {
        self.components
            .iter()
            .map(|c| {
                c.iter()
                    .zip(row.iter().zip(&self.mean))
                    .map(|(w, (v, m))| w * (v - m))
                    .sum()
            })
            .collect()
    }

    /// Share of the total variance the kept components explain, in [0, 1].
    pub fn explained(&self) -> f64 {
        if self.total_variance > 0.0 {
            self.variances.iter().sum::<f64>() / self.total_variance
        } else {
            1.0
        }
    }

    /// Flips components to point the way `previous`'s do, so scrubbing through epochs does not
    /// mirror the picture whenever an eigenvector's arbitrary sign changes.
    pub fn align_to(&mut self, previous: &Pca) {
        for (c, p) in self.components.iter_mut().zip(&previous.components) {
            let dot: f64 = c.iter().zip(p).map(|(a, b)| a * b).sum();
            if dot < 0.0 {
                c.iter_mut().for_each(|v| *v = -*v);
            }
        }
    }
}

/// Makes the largest-magnitude entry positive: a deterministic choice of the free sign.
fn canonical_sign(mut v: Vec<f64>) -> Vec<f64> {
    let big = v
        .iter()
        .copied()
        .fold(0.0_f64, |acc, x| if x.abs() > acc.abs() { x } else { acc });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    v
}

/// Eigenvalues and eigenvectors (as the columns of the second result) of a symmetric matrix.
// Index loops: the rotation updates rows and columns p and q, as the textbook writes it.
#[allow(clippy::needless_range_loop)]
pub fn jacobi_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let scale: f64 = a.iter().flatten().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-14 * scale.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                // The rotation angle that zeroes a[p][q] (Golub and Van Loan, sec. 8.5).
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn jacobi_finds_known_eigenpairs() {
        // [[2,1],[1,2]] has eigenvalues 3 (along (1,1)) and 1 (along (1,-1)).
        let (vals, vecs) = jacobi_eigen(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        let mut sorted = vals.clone();
        sorted.sort_by(f64::total_cmp);
        assert!(close(sorted[0], 1.0, 1e-12) && close(sorted[1], 3.0, 1e-12));
        let big = if vals[0] > vals[1] { 0 } else { 1 };
        assert!(close(vecs[0][big].abs(), 0.5_f64.sqrt(), 1e-12));
        assert!(close(vecs[0][big], vecs[1][big], 1e-12));
    }

    #[test]
    fn jacobi_diagonalizes_a_3x3() {
        let a = vec![
            vec![4.0, 1.0, 2.0],
            vec![1.0, 3.0, 0.5],
            vec![2.0, 0.5, 5.0],
        ];
        let (vals, v) = jacobi_eigen(a.clone());
        // A v_k = lambda_k v_k for every column.
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i][j] * v[j][k]).sum();
                assert!(close(av, vals[k] * v[i][k], 1e-10));
            }
        }
        assert!(close(vals.iter().sum::<f64>(), 12.0, 1e-10), "trace kept");
    }

    #[test]
    fn pca_recovers_the_direction_of_a_line() {
        // Points on the line (t, 2t, -t) plus a small wiggle in a perpendicular direction.
        let rows: Vec<Vec<f64>> = (0..50)
            .map(|i| {
                let t = f64::from(i) / 10.0 - 2.5;
                let w = if i % 2 == 0 { 0.01 } else { -0.01 };
                vec![t + w, 2.0 * t, -t + w]
            })
            .collect();
        let pca = Pca::fit(&rows, 2).expect("fits");
        let n = 6.0_f64.sqrt();
        let c = &pca.components[0];
        assert!(close(c[0], 1.0 / n, 1e-3) && close(c[1], 2.0 / n, 1e-3));
        assert!(close(c[2], -1.0 / n, 1e-3));
        assert!(pca.explained() > 0.9999);
        assert!(pca.variances[0] > pca.variances[1]);
        // Projections are centred: the mean row projects to the origin.
        let p = pca.project(&pca.mean.clone());
        assert!(p.iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    fn pca_of_axis_aligned_data_is_the_axes_in_variance_order() {
        let rows: Vec<Vec<f64>> = (0..40)
            .map(|i| {
                let a = f64::from(i % 4) - 1.5; // variance 1.25
                let b = 3.0 * (f64::from(i / 4 % 2) - 0.5); // variance 2.25
                vec![a, b, 7.0]
            })
            .collect();
        let pca = Pca::fit(&rows, 3).expect("fits");
        assert!(close(pca.variances[0], 2.25, 1e-9));
        assert!(close(pca.variances[1], 1.25, 1e-9));
        assert!(close(pca.variances[2], 0.0, 1e-9));
        assert!(close(pca.components[0][1], 1.0, 1e-9));
        assert!(close(pca.components[1][0], 1.0, 1e-9));
        assert!(close(pca.mean[2], 7.0, 1e-12));
    }

    #[test]
    fn non_finite_rows_are_skipped_and_alignment_fixes_signs() {
        let mut rows = vec![vec![f64::NAN, 1.0], vec![f64::INFINITY, 0.0]];
        assert!(Pca::fit(&rows, 2).is_none());
        rows.extend((0..10).map(|i| vec![f64::from(i), 0.0]));
        let pca = Pca::fit(&rows, 1).expect("fits");
        assert!(close(pca.mean[0], 4.5, 1e-12));
        let mut flipped = pca.clone();
        flipped.components[0].iter_mut().for_each(|v| *v = -*v);
        flipped.align_to(&pca);
        assert_eq!(flipped.components, pca.components);
        assert!(Pca::fit(&[], 2).is_none());
    }
}
