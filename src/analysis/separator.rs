//! The output layer's decision boundaries seen from the last hidden layer. The output's logits
//! are affine in the layer's activations h, so every boundary is a hyperplane there: for one
//! sigmoid unit, w . h + b = 0; for K softmax units, classes i and j tie on
//! (w_j - w_i) . h + (b_j - b_i) = 0, and that plane is a real boundary of the classifier only
//! where i and j are the two most probable classes (every other logit below theirs). The panel
//! draws exactly those pieces, so the lines and planes it shows are the edges of the regions
//! that the network assigns to each class.

use np_engine::nn::OutputUnit;
use np_engine::train::metrics::predicted_class_from_logits;

/// A hyperplane w . h + b = 0 in a hidden layer's space; positive side = the second class.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperplane {
    pub w: Vec<f64>,
    pub b: f64,
}

/// The output layer as an affine map from a space's coordinates to logits:
/// `logit_k = w[k] . h + b[k]` (one row per output unit).
#[derive(Debug, Clone, PartialEq)]
pub struct Logits {
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
}

/// Where two classes tie: `plane` (positive side = `pair.1`), a boundary of the classifier
/// only where every `rivals` plane is negative (each rival's logit below the pair's).
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub pair: (usize, usize),
    pub plane: Hyperplane,
    pub rivals: Vec<Hyperplane>,
}

impl Logits {
    /// The output layer `weights[o]` (unit o's incoming weights), `biases[o]`; `None` when the
    /// shapes disagree.
    pub fn new(weights: &[Vec<f64>], biases: &[f64]) -> Option<Self> {
        let d = weights.first()?.len();
        (weights.len() == biases.len() && weights.iter().all(|w| w.len() == d)).then(|| Self {
            w: weights.to_vec(),
            b: biases.to_vec(),
        })
    }

    /// The same logits over `dims` coordinates, extra ones with zero weight (a 1-unit layer is
    /// drawn on a plane).
    pub fn padded(&self, dims: usize) -> Self {
        Self {
            w: self
                .w
                .iter()
                .map(|w| {
                    let mut w = w.clone();
                    w.resize(dims.max(w.len()), 0.0);
                    w
                })
                .collect(),
            b: self.b.clone(),
        }
    }

    /// The logits on the affine subspace h = mean + C^T y (C's rows are the shown directions,
    /// e.g. principal components), as a map of y. Exact on that slice through `mean`; a point
    /// off the slice is classified as drawn only if the boundary contains the dropped
    /// directions.
    pub fn in_subspace(&self, mean: &[f64], components: &[Vec<f64>]) -> Self {
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        Self {
            w: self
                .w
                .iter()
                .map(|w| components.iter().map(|c| dot(c, w)).collect())
                .collect(),
            b: self
                .w
                .iter()
                .zip(&self.b)
                .map(|(w, b)| b + dot(w, mean))
                .collect(),
        }
    }

    /// Every output unit's logit at h.
    pub fn eval(&self, h: &[f64]) -> Vec<f64> {
        self.w
            .iter()
            .zip(&self.b)
            .map(|(w, b)| w.iter().zip(h).map(|(a, x)| a * x).sum::<f64>() + b)
            .collect()
    }

    /// The class the output predicts at h, by the engine's rule on logits: one sigmoid unit,
    /// class 1 on the positive side (probability above 0.5); several softmax units, the largest
    /// logit.
    pub fn predict(&self, h: &[f64]) -> usize {
        let z = self.eval(h);
        let unit = if z.len() == 1 {
            OutputUnit::Sigmoid
        } else {
            OutputUnit::Softmax
        };
        predicted_class_from_logits(&z, unit)
    }

    /// The classifier's boundaries: one plane for one unit (classes 0 | 1); for K >= 2 units
    /// one per pair of classes i < j, each with the K - 2 rivals that bound it.
    pub fn boundaries(&self) -> Vec<Boundary> {
        let k = self.w.len();
        if k == 1 {
            return vec![Boundary {
                pair: (0, 1),
                plane: Hyperplane {
                    w: self.w[0].clone(),
                    b: self.b[0],
                },
                rivals: Vec::new(),
            }];
        }
        let diff = |j: usize, i: usize| Hyperplane {
            w: self.w[j]
                .iter()
                .zip(&self.w[i])
                .map(|(a, b)| a - b)
                .collect(),
            b: self.b[j] - self.b[i],
        };
        let mut out = Vec::new();
        for i in 0..k {
            for j in i + 1..k {
                out.push(Boundary {
                    pair: (i, j),
                    plane: diff(j, i),
                    rivals: (0..k)
                        .filter(|&r| r != i && r != j)
                        .map(|r| diff(r, i))
                        .collect(),
                });
            }
        }
        out
    }

    /// Per class: (points of that class, how many the output predicts right) at `points`.
    pub fn per_class(
        &self,
        points: &[Vec<f64>],
        labels: &[usize],
        classes: usize,
    ) -> Vec<(usize, usize)> {
        let mut out = vec![(0, 0); classes];
        for (p, &l) in points.iter().zip(labels) {
            if let Some(slot) = out.get_mut(l) {
                slot.0 += 1;
                slot.1 += usize::from(self.predict(p) == l);
            }
        }
        out
    }
}

impl Boundary {
    /// The part of the segment a-b where this boundary is real (every rival's logit below the
    /// pair's), or `None`. Rivals are affine along the segment, so this is an interval.
    pub fn clip(&self, a: &[f64], b: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        for r in &self.rivals {
            let (fa, fb) = (r.eval(a), r.eval(b));
            // f(t) = fa + t (fb - fa) <= 0.
            let slope = fb - fa;
            if slope.abs() < 1e-15 {
                if fa > 0.0 {
                    return None;
                }
            } else if slope > 0.0 {
                hi = hi.min(-fa / slope);
            } else {
                lo = lo.max(-fa / slope);
            }
        }
        if hi - lo <= 1e-9 {
            return None;
        }
        let at = |t: f64| a.iter().zip(b).map(|(x, y)| x + t * (y - x)).collect();
        Some((at(lo), at(hi)))
    }

    /// The boundary's piece inside a 2-D box, as two end points.
    pub fn segment_in_box(&self, x: (f64, f64), y: (f64, f64)) -> Option<[(f64, f64); 2]> {
        let [p, q] = line_in_box(&self.plane, x, y)?;
        let (a, b) = self.clip(&[p.0, p.1], &[q.0, q.1])?;
        Some([(a[0], a[1]), (b[0], b[1])])
    }

    /// Mesh lines of the boundary's piece inside a 3-D box (see [`plane_mesh`]).
    pub fn mesh_in_box(&self, ranges: &[(f64, f64); 3], n: usize) -> Vec<[[f64; 3]; 2]> {
        plane_mesh(&self.plane, ranges, n)
            .into_iter()
            .filter_map(|[p, q]| {
                let (a, b) = self.clip(&p, &q)?;
                Some([[a[0], a[1], a[2]], [b[0], b[1], b[2]]])
            })
            .collect()
    }
}

impl Hyperplane {
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

    fn three() -> Logits {
        // Three classes in a 2-D layer: class 0 wins to the left, 1 to the right, 2 at the top.
        Logits::new(
            &[vec![-1.0, 0.0], vec![1.0, 0.0], vec![0.0, 1.0]],
            &[0.0, 0.0, -0.5],
        )
        .expect("shapes")
    }

    #[test]
    fn two_units_give_the_difference_of_logits_and_one_unit_its_own_plane() {
        let two = Logits::new(&[vec![1.0, 0.0], vec![0.0, 1.0]], &[0.0, 0.5]).expect("shapes");
        let b = two.boundaries();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].pair, (0, 1));
        assert_eq!(b[0].plane.w, vec![-1.0, 1.0]);
        assert_eq!(b[0].plane.b, 0.5);
        assert!(b[0].rivals.is_empty());
        // Class 1 where logit 1 wins: h = (0, 1) gives 0 + 1.5 > 0.
        assert!(b[0].plane.eval(&[0.0, 1.0]) > 0.0);
        assert_eq!(two.predict(&[0.0, 1.0]), 1);
        let one = Logits::new(&[vec![2.0, -1.0]], &[0.5]).expect("shapes");
        assert_eq!(
            one.boundaries()[0].plane,
            Hyperplane {
                w: vec![2.0, -1.0],
                b: 0.5
            }
        );
        assert_eq!(one.predict(&[0.0, 1.0]), 0);
        assert!(Logits::new(&[vec![1.0], vec![1.0, 2.0]], &[0.0, 0.0]).is_none());
    }

    #[test]
    fn three_classes_have_three_pairwise_boundaries_each_with_one_rival() {
        let l = three();
        let b = l.boundaries();
        let pairs: Vec<(usize, usize)> = b.iter().map(|b| b.pair).collect();
        assert_eq!(pairs, vec![(0, 1), (0, 2), (1, 2)]);
        assert!(b.iter().all(|b| b.rivals.len() == 1));
        // Pair (0, 2): (w2 - w0) . h + (b2 - b0) = h1 + h2 - 0.5, rival 1 - 0 = 2 h1.
        assert_eq!(
            b[1].plane,
            Hyperplane {
                w: vec![1.0, 1.0],
                b: -0.5
            }
        );
        assert_eq!(
            b[1].rivals[0],
            Hyperplane {
                w: vec![2.0, 0.0],
                b: 0.0
            }
        );
        assert_eq!(
            l.per_class(
                &[
                    vec![-1.0, 0.0],
                    vec![1.0, 0.0],
                    vec![0.0, 2.0],
                    vec![2.0, 0.1]
                ],
                &[0, 1, 2, 2],
                3
            ),
            vec![(1, 1), (1, 1), (2, 1)]
        );
    }

    #[test]
    fn drawn_pieces_are_where_the_pair_are_the_top_two() {
        let l = three();
        let (x, y) = ((-2.0, 2.0), (-2.0, 2.0));
        for b in l.boundaries() {
            let [p, q] = b.segment_in_box(x, y).expect("each pair meets in this box");
            let (i, j) = b.pair;
            for t in [0.0, 0.3, 0.7, 1.0] {
                let h = [p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)];
                let z = l.eval(&h);
                assert!((z[i] - z[j]).abs() < 1e-9, "{:?}: tie at {h:?}", b.pair);
                assert!(
                    z.iter().all(|&v| v <= z[i] + 1e-9),
                    "{:?}: top two at {h:?}: {z:?}",
                    b.pair
                );
            }
        }
        // The 0 | 1 boundary is h1 = 0 below the triple point (0, 0.5) only (z2 = h2 - 0.5 < 0).
        let b01 = &l.boundaries()[0];
        let [p, q] = b01.segment_in_box(x, y).expect("drawn");
        let top = p.1.max(q.1);
        assert!(
            (top - 0.5).abs() < 1e-9,
            "cut at the triple point, not at the box: {top}"
        );
        // Outside the box or beaten everywhere: nothing.
        let beaten = Boundary {
            pair: (0, 1),
            plane: Hyperplane {
                w: vec![1.0, 0.0],
                b: 0.0,
            },
            rivals: vec![Hyperplane {
                w: vec![0.0, 0.0],
                b: 1.0,
            }],
        };
        assert!(beaten.segment_in_box(x, y).is_none());
        // In 3-D the mesh pieces obey the same rule.
        let l3 = Logits::new(
            &[
                vec![-1.0, 0.0, 0.2],
                vec![1.0, 0.0, -0.1],
                vec![0.0, 1.0, 0.3],
            ],
            &[0.0, 0.1, -0.5],
        )
        .expect("shapes");
        let cube = [(-2.0, 2.0); 3];
        let mut pieces = 0;
        for b in l3.boundaries() {
            for [p, q] in b.mesh_in_box(&cube, 7) {
                pieces += 1;
                for h in [p, q] {
                    let z = l3.eval(&h);
                    let (i, j) = b.pair;
                    assert!((z[i] - z[j]).abs() < 1e-9);
                    assert!(
                        z.iter().all(|&v| v <= z[i] + 1e-9),
                        "{:?} {h:?} {z:?}",
                        b.pair
                    );
                }
            }
        }
        assert!(pieces > 10, "{pieces}");
    }

    #[test]
    fn subspace_logits_agree_on_the_slice() {
        let l = Logits::new(
            &[
                vec![1.0, -2.0, 0.5, 0.0],
                vec![0.3, 0.1, -1.0, 2.0],
                vec![0.0, 0.0, 1.0, 1.0],
            ],
            &[0.1, -0.2, 0.3],
        )
        .expect("shapes");
        let mean = vec![0.5, 0.5, -0.5, 1.0];
        let c = vec![vec![0.6, 0.8, 0.0, 0.0], vec![0.0, 0.0, 0.6, 0.8]];
        let s = l.in_subspace(&mean, &c);
        let y = [0.7, -1.3];
        let h: Vec<f64> = (0..4)
            .map(|d| mean[d] + c[0][d] * y[0] + c[1][d] * y[1])
            .collect();
        for (a, b) in s.eval(&y).iter().zip(l.eval(&h)) {
            assert!((a - b).abs() < 1e-12);
        }
        assert_eq!(l.padded(6).w[0].len(), 6);
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
