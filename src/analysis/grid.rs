//! The input plane's grid, as polylines to carry through the network: drawn in a hidden
//! layer's space it shows how the layer bends and folds the plane (the warped-grid view of
//! ConvNetJS and Chris Olah's "Neural Networks, Manifolds, and Topology").

/// `lines` horizontal and `lines` vertical lines across [-domain, domain]^2, each sampled at
/// `points` points so the warp shows as curvature.
pub fn input_grid(domain: f64, lines: usize, points: usize) -> Vec<Vec<(f64, f64)>> {
    let lines = lines.max(2);
    let points = points.max(2);
    let at = |i: usize, n: usize| -domain + 2.0 * domain * i as f64 / (n - 1) as f64;
    let mut out = Vec::with_capacity(2 * lines);
    for i in 0..lines {
        let fixed = at(i, lines);
        out.push((0..points).map(|j| (at(j, points), fixed)).collect());
        out.push((0..points).map(|j| (fixed, at(j, points))).collect());
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
        let g = input_grid(6.0, 5, 9);
        assert_eq!(g.len(), 10);
        assert!(g.iter().all(|l| l.len() == 9));
        assert_eq!(g[0][0], (-6.0, -6.0));
        assert_eq!(g[0][8], (6.0, -6.0));
        assert_eq!(g[1][8], (-6.0, 6.0));
        assert_eq!(g[8][4], (0.0, 6.0));
    }

    #[test]
    fn flatten_and_split_round_trip() {
        let g = input_grid(1.0, 2, 3);
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
