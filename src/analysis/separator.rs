//! The output layer's decision boundary seen from the last hidden layer: for two classes it is
//! the hyperplane w . h + b = 0, a line in a 2-unit layer and a plane in a 3-unit layer.

/// A hyperplane w . h + b = 0 in a hidden layer's space; positive side = class 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperplane {
    pub w: Vec<f64>,
    pub b: f64,
}

impl Hyperplane {
    /// The boundary of a two-class output layer. `weights[o]` holds output unit `o`'s incoming
    /// weights. One sigmoid/tanh unit: its own zero set (probability 0.5, or 0 for tanh). Two
    /// softmax units: where both logits are equal. `None` for more classes (no single plane) or
    /// mismatched shapes.
    pub fn of_output(weights: &[Vec<f64>], biases: &[f64]) -> Option<Self> {
        match (weights, biases) {
            ([w], [b]) => Some(Self {
                w: w.clone(),
                b: *b,
            }),
            ([w0, w1], [b0, b1]) if w0.len() == w1.len() => Some(Self {
                w: w1.iter().zip(w0).map(|(a, b)| a - b).collect(),
                b: b1 - b0,
            }),
            _ => None,
        }
    }

    /// w . h + b.
    pub fn eval(&self, h: &[f64]) -> f64 {
        self.w.iter().zip(h).map(|(w, x)| w * x).sum::<f64>() + self.b
    }

    /// Share of `points` on their class's side (class 1 positive); points on the plane count
    /// as wrong, so a degenerate zero plane scores 0.
    pub fn accuracy(&self, points: &[Vec<f64>], labels: &[usize]) -> f64 {
        let n = points.len().min(labels.len());
        if n == 0 {
            return 0.0;
        }
        let right = points
            .iter()
            .zip(labels)
            .filter(|(p, &l)| {
                let s = self.eval(p);
                (l == 1 && s > 0.0) || (l == 0 && s < 0.0)
            })
            .count();
        right as f64 / n as f64
    }
}

/// The part of the line w0 x + w1 y + b = 0 inside the box, as two end points.
pub fn line_in_box(
    plane: &Hyperplane,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<[(f64, f64); 2]> {
    let (a, c, b) = (*plane.w.first()?, *plane.w.get(1)?, plane.b);
    let mut hits: Vec<(f64, f64)> = Vec::new();
    if c.abs() > 1e-12 {
        for x in [x0, x1] {
            let y = -(a * x + b) / c;
            if (y0..=y1).contains(&y) {
                hits.push((x, y));
            }
        }
    }
    if a.abs() > 1e-12 {
        for y in [y0, y1] {
            let x = -(c * y + b) / a;
            if (x0..=x1).contains(&x) {
                hits.push((x, y));
            }
        }
    }
    // A line through a corner hits two edges there: keep the two hits farthest apart.
    let mut best: Option<([(f64, f64); 2], f64)> = None;
    for (i, p) in hits.iter().enumerate() {
        for q in &hits[i + 1..] {
            let d = (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2);
            if d > 1e-18 && best.is_none_or(|(_, bd)| d > bd) {
                best = Some(([*p, *q], d));
            }
        }
    }
    best.map(|(pair, _)| pair)
}

/// Mesh lines of the plane w . h + b = 0 inside a 3-D box, as short segments: the plane is
/// solved for its steepest axis over an `n` x `n` grid of the other two, and segments leaving
/// the box are dropped.
pub fn plane_mesh(plane: &Hyperplane, ranges: &[(f64, f64); 3], n: usize) -> Vec<[[f64; 3]; 2]> {
    let Some(axis) = (0..3)
        .filter(|&i| plane.w.get(i).is_some_and(|w| w.abs() > 1e-12))
        .max_by(|&i, &j| plane.w[i].abs().total_cmp(&plane.w[j].abs()))
    else {
        return Vec::new();
    };
    let (u, v) = match axis {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let n = n.max(2);
    let at =
        |k: usize, i: usize| ranges[k].0 + (ranges[k].1 - ranges[k].0) * i as f64 / (n - 1) as f64;
    let point = |i: usize, j: usize| {
        let mut p = [0.0; 3];
        p[u] = at(u, i);
        p[v] = at(v, j);
        p[axis] = -(plane.b + plane.w[u] * p[u] + plane.w[v] * p[v]) / plane.w[axis];
        p
    };
    let inside = |p: &[f64; 3]| {
        let (lo, hi) = ranges[axis];
        p[axis] >= lo && p[axis] <= hi
    };
    let mut segments = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let p = point(i, j);
            for q in [
                (i + 1 < n).then(|| point(i + 1, j)),
                (j + 1 < n).then(|| point(i, j + 1)),
            ]
            .into_iter()
            .flatten()
            {
                if inside(&p) && inside(&q) {
                    segments.push([p, q]);
                }
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_pair_boundary_is_the_difference_of_logits() {
        let p = Hyperplane::of_output(&[vec![1.0, 0.0], vec![0.0, 1.0]], &[0.0, 0.5])
            .expect("two outputs");
        assert_eq!(p.w, vec![-1.0, 1.0]);
        assert_eq!(p.b, 0.5);
        // Class 1 where logit 1 wins: h = (0, 1) gives 0 + 1.5 > 0.
        assert!(p.eval(&[0.0, 1.0]) > 0.0);
        assert!(Hyperplane::of_output(&[vec![1.0], vec![1.0], vec![1.0]], &[0.0; 3]).is_none());
    }

    #[test]
    fn accuracy_counts_sides() {
        let p = Hyperplane {
            w: vec![1.0, 0.0, 0.0],
            b: -0.5,
        };
        let pts = vec![
            vec![1.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0],
            vec![0.9, 5.0, 5.0],
            vec![0.5, 0.0, 0.0],
        ];
        assert!((p.accuracy(&pts, &[1, 0, 0, 1]) - 0.5).abs() < 1e-12);
        assert_eq!(p.accuracy(&[], &[]), 0.0);
    }

    #[test]
    fn line_is_clipped_to_the_box() {
        // x + y = 0 through the square [-1, 1]^2: corner to corner.
        let p = Hyperplane {
            w: vec![1.0, 1.0],
            b: 0.0,
        };
        let [a, b] = line_in_box(&p, (-1.0, 1.0), (-1.0, 1.0)).expect("crosses");
        assert_eq!((a, b), ((-1.0, 1.0), (1.0, -1.0)));
        let far = Hyperplane {
            w: vec![1.0, 0.0],
            b: -5.0,
        };
        assert!(line_in_box(&far, (-1.0, 1.0), (-1.0, 1.0)).is_none());
    }

    #[test]
    fn plane_mesh_lies_on_the_plane_and_in_the_box() {
        let p = Hyperplane {
            w: vec![0.2, 0.3, 1.0],
            b: -0.4,
        };
        let ranges = [(0.0, 1.0); 3];
        let mesh = plane_mesh(&p, &ranges, 5);
        assert!(!mesh.is_empty());
        for seg in &mesh {
            for q in seg {
                assert!(p.eval(q).abs() < 1e-12);
                assert!(q.iter().all(|v| (-1e-12..=1.0 + 1e-12).contains(v)));
            }
        }
        assert!(plane_mesh(
            &Hyperplane {
                w: vec![0.0; 3],
                b: 1.0
            },
            &ranges,
            5
        )
        .is_empty());
    }
}
