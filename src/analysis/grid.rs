//! The input plane's grid, as polylines to carry through the network: drawn in a hidden
//! layer's space it shows how the layer bends and folds the plane (the warped-grid view of
//! ConvNetJS and Chris Olah's "Neural Networks, Manifolds, and Topology").

/// `lines` horizontal and `lines` vertical lines across the box `x` by `y`, each sampled at
/// `points` points so the warp shows as curvature.
pub fn input_grid(
    x: (f64, f64),
    y: (f64, f64),
    lines: usize,
    points: usize,
) -> Vec<Vec<(f64, f64)>> {
    let lines = lines.max(2);
    let points = points.max(2);
    let at = |(lo, hi): (f64, f64), i: usize, n: usize| lo + (hi - lo) * i as f64 / (n - 1) as f64;
    let mut out = Vec::with_capacity(2 * lines);
    for i in 0..lines {
        let (fy, fx) = (at(y, i, lines), at(x, i, lines));
        out.push((0..points).map(|j| (at(x, j, points), fy)).collect());
        out.push((0..points).map(|j| (fx, at(y, j, points))).collect());
    }
    out
}

/// The grid's points flattened in order, for one batched forward pass; `split_like` puts the
/// results back into lines.
pub fn flatten(lines: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    lines.iter().flatten().copied().collect()
}

/// Cuts `values` (one per flattened point) back into the lines' lengths.
pub fn split_like<T: Clone>(lines: &[Vec<(f64, f64)>], values: &[T]) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut start = 0;
    for line in lines {
        let end = (start + line.len()).min(values.len());
        out.push(values[start..end].to_vec());
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_covers_the_square() {
        let g = input_grid((-6.0, 6.0), (-6.0, 6.0), 5, 9);
        assert_eq!(g.len(), 10);
        assert!(g.iter().all(|l| l.len() == 9));
        assert_eq!(g[0][0], (-6.0, -6.0));
        assert_eq!(g[0][8], (6.0, -6.0));
        assert_eq!(g[1][8], (-6.0, 6.0));
        assert_eq!(g[8][4], (0.0, 6.0));
        let r = input_grid((0.0, 1.0), (-2.0, 2.0), 3, 3);
        assert_eq!(r[0][2], (1.0, -2.0));
        assert_eq!(r[5][0], (1.0, -2.0));
    }

    #[test]
    fn flatten_and_split_round_trip() {
        let g = input_grid((-1.0, 1.0), (-1.0, 1.0), 2, 3);
        let flat = flatten(&g);
        assert_eq!(flat.len(), 12);
        let back = split_like(&g, &flat);
        assert_eq!(back, g);
        let short = split_like(&g, &flat[..4]);
        assert_eq!(
            short[1].len(),
            1,
            "missing values shorten lines instead of panicking"
        );
    }
}
