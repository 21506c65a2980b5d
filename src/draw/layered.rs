//! A small layered (Sugiyama-style) layout for drawing a directed graph left to right: ranks by
//! longest path, dummy nodes on edges that skip ranks, barycentre sweeps to cut crossings, and
//! rows placed near their neighbours. Written here rather than taken from a crate: the crates
//! that do this (rust-sugiyama, dagre ports) bring petgraph or are new 0.1 releases, and none
//! keeps clusters (our scope boxes) together, which the graph view needs.
//!
//! Nodes are given in an order in which edges mostly point forward (a tape order). An edge
//! that points backward (a cycle, which collapsing a scope can make) is ranked as if reversed
//! and still drawn from its source to its target.

/// What to lay out: node sizes, a cluster per node (nodes of one cluster are kept together in
/// each rank), and edges `(from, to)` by index.
#[derive(Debug, Clone, Default)]
pub struct LayeredInput {
    /// `(width, height)` of each node.
    pub sizes: Vec<(f32, f32)>,
    /// The cluster of each node, `None` for a node of none.
    pub clusters: Vec<Option<usize>>,
    pub edges: Vec<(usize, usize)>,
}

/// A placed node: its centre, its size and its rank (column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub rank: usize,
}

/// The layout: nodes as given, edges as polylines (one per input edge, same order; empty for a
/// self-loop), and the size of the whole drawing.
#[derive(Debug, Clone, Default)]
pub struct LayeredLayout {
    pub nodes: Vec<Placed>,
    pub edges: Vec<Vec<(f32, f32)>>,
    pub width: f32,
    pub height: f32,
    /// Edge crossings between adjacent ranks that remained (0 where the graph allows).
    pub crossings: usize,
}

/// Spacing of the drawing, in px.
pub const RANK_GAP: f32 = 56.0;
pub const ROW_GAP: f32 = 14.0;
/// Extra space between nodes of different clusters in one rank (room for a box and its header).
pub const CLUSTER_GAP: f32 = 34.0;
pub const MARGIN: f32 = 36.0;
const DUMMY_HEIGHT: f32 = 6.0;
const SWEEPS: usize = 12;

/// One node of the layered graph: a real node or a dummy on a long edge.
struct Item {
    rank: usize,
    w: f32,
    h: f32,
    cluster: Option<usize>,
    preds: Vec<usize>,
    succs: Vec<usize>,
}

/// Lays `input` out left to right.
pub fn layout(input: &LayeredInput) -> LayeredLayout {
    let n = input.sizes.len();
    if n == 0 {
        return LayeredLayout::default();
    }
    let forward: Vec<(usize, usize)> = input
        .edges
        .iter()
        .filter(|(a, b)| a != b && *a < n && *b < n)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    let rank = ranks(n, &forward);
    let mut items: Vec<Item> = (0..n)
        .map(|i| Item {
            rank: rank[i],
            w: input.sizes[i].0,
            h: input.sizes[i].1,
            cluster: input.clusters.get(i).copied().flatten(),
            preds: Vec::new(),
            succs: Vec::new(),
        })
        .collect();
    // Each edge becomes a chain through one dummy per rank it skips.
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(input.edges.len());
    let mut seen = std::collections::HashMap::new();
    for &(a, b) in &input.edges {
        if a == b || a >= n || b >= n {
            chains.push(Vec::new());
            continue;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        if let Some(chain) = seen.get(&(lo, hi)) {
            let chain: &Vec<usize> = chain;
            chains.push(oriented(chain.clone(), a > b));
            continue;
        }
        let mut chain = vec![lo];
        let mut prev = lo;
        for r in rank[lo] + 1..rank[hi] {
            items.push(Item {
                rank: r,
                w: 0.0,
                h: DUMMY_HEIGHT,
                cluster: None,
                preds: vec![prev],
                succs: Vec::new(),
            });
            let d = items.len() - 1;
            items[prev].succs.push(d);
            chain.push(d);
            prev = d;
        }
        items[prev].succs.push(hi);
        items[hi].preds.push(prev);
        chain.push(hi);
        seen.insert((lo, hi), chain.clone());
        chains.push(oriented(chain, a > b));
    }
    let max_rank = items.iter().map(|it| it.rank).max().unwrap_or(0);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); max_rank + 1];
    for (i, it) in items.iter().enumerate() {
        order[it.rank].push(i);
    }
    let keys = initial_keys(&order);
    group_clusters(&items, &mut order, &keys);
    let order = minimise_crossings(&items, order);
    let crossings = count_crossings(&items, &order);
    let (xs, ys) = coordinates(&items, &order);

    let nodes: Vec<Placed> = (0..n)
        .map(|i| Placed {
            x: xs[i],
            y: ys[i],
            w: items[i].w,
            h: items[i].h,
            rank: items[i].rank,
        })
        .collect();
    let edges = chains
        .iter()
        .map(|chain| polyline(chain, &items, &xs, &ys))
        .collect();
    let width = (0..items.len())
        .map(|i| xs[i] + items[i].w / 2.0)
        .fold(0.0, f32::max)
        + MARGIN;
    let height = (0..items.len())
        .map(|i| ys[i] + items[i].h / 2.0)
        .fold(0.0, f32::max)
        + MARGIN;
    LayeredLayout {
        nodes,
        edges,
        width,
        height,
        crossings,
    }
}

fn oriented(mut chain: Vec<usize>, backward: bool) -> Vec<usize> {
    if backward {
        chain.reverse();
    }
    chain
}

/// Longest-path ranks over forward edges (`a < b`); then every source moves right to just
/// before its nearest consumer, so a weight sits beside the op that reads it, not in column 0.
fn ranks(n: usize, forward: &[(usize, usize)]) -> Vec<usize> {
    let mut preds = vec![Vec::new(); n];
    let mut succs = vec![Vec::new(); n];
    for &(a, b) in forward {
        preds[b].push(a);
        succs[a].push(b);
    }
    let mut rank = vec![0usize; n];
    for b in 0..n {
        rank[b] = preds[b].iter().map(|&a| rank[a] + 1).max().unwrap_or(0);
    }
    for a in 0..n {
        if preds[a].is_empty() {
            if let Some(nearest) = succs[a].iter().map(|&b| rank[b]).min() {
                rank[a] = nearest.saturating_sub(1);
            }
        }
    }
    rank
}

fn initial_keys(order: &[Vec<usize>]) -> Vec<f32> {
    let len = order.iter().flatten().max().map_or(0, |m| m + 1);
    let mut keys = vec![0.0; len];
    for rank in order {
        for (p, &i) in rank.iter().enumerate() {
            keys[i] = p as f32;
        }
    }
    keys
}

/// Barycentre sweeps, down and up, keeping the ordering with the fewest crossings.
fn minimise_crossings(items: &[Item], mut order: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    let mut best = order.clone();
    let mut best_count = count_crossings(items, &order);
    for sweep in 0..SWEEPS {
        if best_count == 0 {
            break;
        }
        let down = sweep % 2 == 0;
        let ranks: Vec<usize> = if down {
            (1..order.len()).collect()
        } else {
            (0..order.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let mut pos = initial_keys(&order);
            let neighbour_rank = if down { r - 1 } else { r + 1 };
            let current = pos.clone();
            for &i in &order[r] {
                let neighbours = if down {
                    &items[i].preds
                } else {
                    &items[i].succs
                };
                let near: Vec<f32> = neighbours
                    .iter()
                    .filter(|&&j| items[j].rank == neighbour_rank)
                    .map(|&j| current[j])
                    .collect();
                if !near.is_empty() {
                    pos[i] = near.iter().sum::<f32>() / near.len() as f32;
                }
            }
            order[r].sort_by(|&a, &b| pos[a].total_cmp(&pos[b]));
            let rank_only = std::slice::from_mut(&mut order[r]);
            group_clusters(items, rank_only, &pos);
        }
        let count = count_crossings(items, &order);
        if count < best_count {
            best_count = count;
            best = order.clone();
        }
    }
    best
}

/// Makes each cluster contiguous in every rank: clusters sit at the mean key of their members,
/// members keep their order inside.
fn group_clusters(items: &[Item], order: &mut [Vec<usize>], keys: &[f32]) {
    for rank in order.iter_mut() {
        let mut sums: std::collections::HashMap<usize, (f32, usize)> = Default::default();
        for &i in rank.iter() {
            if let Some(c) = items[i].cluster {
                let e = sums.entry(c).or_insert((0.0, 0));
                e.0 += keys[i];
                e.1 += 1;
            }
        }
        let block = |i: usize| match items[i].cluster {
            Some(c) => {
                let (s, k) = sums[&c];
                (s / k as f32, c as f32)
            }
            None => (keys[i], -1.0),
        };
        rank.sort_by(|&a, &b| {
            let (ka, ca) = block(a);
            let (kb, cb) = block(b);
            ka.total_cmp(&kb)
                .then(ca.total_cmp(&cb))
                .then(keys[a].total_cmp(&keys[b]))
        });
    }
}

/// Crossings between the segments of each pair of adjacent ranks.
pub(crate) fn count_crossings_of(
    ranks_of: &[usize],
    order: &[Vec<usize>],
    segments: &[(usize, usize)],
) -> usize {
    let pos = initial_keys(order);
    let mut total = 0;
    for r in 0..order.len().saturating_sub(1) {
        let segs: Vec<(f32, f32)> = segments
            .iter()
            .filter(|(a, _)| ranks_of[*a] == r)
            .map(|&(a, b)| (pos[a], pos[b]))
            .collect();
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                let (a, b) = (segs[i], segs[j]);
                if (a.0 - b.0) * (a.1 - b.1) < 0.0 {
                    total += 1;
                }
            }
        }
    }
    total
}

fn count_crossings(items: &[Item], order: &[Vec<usize>]) -> usize {
    let ranks_of: Vec<usize> = items.iter().map(|it| it.rank).collect();
    let segments: Vec<(usize, usize)> = items
        .iter()
        .enumerate()
        .flat_map(|(i, it)| it.succs.iter().map(move |&s| (i, s)))
        .collect();
    count_crossings_of(&ranks_of, order, &segments)
}

/// Column x by the widest node of each rank; row y near the neighbours' mean, pushed apart so
/// nothing overlaps (more room between clusters, for their boxes).
fn coordinates(items: &[Item], order: &[Vec<usize>]) -> (Vec<f32>, Vec<f32>) {
    let mut xs = vec![0.0; items.len()];
    let mut ys = vec![0.0; items.len()];
    let mut left = MARGIN;
    for rank in order {
        let width = rank.iter().map(|&i| items[i].w).fold(0.0, f32::max);
        for &i in rank {
            xs[i] = left + width / 2.0;
        }
        left += width + RANK_GAP;
    }
    let gap = |a: usize, b: usize| {
        let same = items[a].cluster.is_some() && items[a].cluster == items[b].cluster;
        if same {
            ROW_GAP
        } else {
            CLUSTER_GAP
        }
    };
    // Stacked first, then a few passes toward the neighbours.
    for rank in order {
        let mut y = MARGIN;
        for (p, &i) in rank.iter().enumerate() {
            if p > 0 {
                y += gap(rank[p - 1], i);
            }
            ys[i] = y + items[i].h / 2.0;
            y += items[i].h;
        }
    }
    for pass in 0..4 {
        let ranks: Vec<&Vec<usize>> = if pass % 2 == 0 {
            order.iter().collect()
        } else {
            order.iter().rev().collect()
        };
        for rank in ranks {
            let desired: Vec<f32> = rank
                .iter()
                .map(|&i| {
                    let near: Vec<f32> = items[i]
                        .preds
                        .iter()
                        .chain(&items[i].succs)
                        .map(|&j| ys[j])
                        .collect();
                    if near.is_empty() {
                        ys[i]
                    } else {
                        near.iter().sum::<f32>() / near.len() as f32
                    }
                })
                .collect();
            place_rank(items, rank, &desired, &gap, &mut ys);
        }
    }
    separate_clusters(items, order, &mut ys);
    // Everything moved up or down together so the top row sits at the margin.
    let top = (0..items.len())
        .map(|i| ys[i] - items[i].h / 2.0)
        .fold(f32::INFINITY, f32::min);
    for y in &mut ys {
        *y += MARGIN - top;
    }
    (xs, ys)
}

/// Keeps every node that is not in a cluster out of the cluster's box: in each rank the
/// cluster spans, nodes before its members move above the box, nodes after it below, and their
/// neighbours make room. (A box is the rectangle around its members across ranks, so without
/// this a node of another rank's row could sit inside it.)
fn separate_clusters(items: &[Item], order: &[Vec<usize>], ys: &mut [f32]) {
    let clusters: std::collections::BTreeSet<usize> =
        items.iter().filter_map(|it| it.cluster).collect();
    for c in clusters {
        let members: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].cluster == Some(c))
            .collect();
        let top = members
            .iter()
            .map(|&i| ys[i] - items[i].h / 2.0)
            .fold(f32::INFINITY, f32::min);
        let bottom = members
            .iter()
            .map(|&i| ys[i] + items[i].h / 2.0)
            .fold(f32::NEG_INFINITY, f32::max);
        let first_rank = members.iter().map(|&i| items[i].rank).min().unwrap_or(0);
        let last_rank = members.iter().map(|&i| items[i].rank).max().unwrap_or(0);
        let middle = (top + bottom) / 2.0;
        for rank in &order[first_rank..=last_rank.min(order.len() - 1)] {
            // Where the cluster sits in this rank's order (or, with no member here, by height).
            let first_member = rank.iter().position(|&i| items[i].cluster == Some(c));
            let is_above: Vec<bool> = rank
                .iter()
                .enumerate()
                .map(|(p, &i)| match first_member {
                    Some(m) => p < m,
                    None => ys[i] < middle,
                })
                .collect();
            let above = |p: usize, _: usize| is_above[p];
            // Above: from the nearest to the box upward, each bottom clear of the one below.
            let mut limit = top - CLUSTER_GAP;
            for (p, &i) in rank.iter().enumerate().rev() {
                if items[i].cluster == Some(c) || !above(p, i) {
                    continue;
                }
                ys[i] = ys[i].min(limit - items[i].h / 2.0);
                limit = ys[i] - items[i].h / 2.0 - ROW_GAP;
            }
            // Below: from the nearest downward.
            let mut limit = bottom + CLUSTER_GAP;
            for (p, &i) in rank.iter().enumerate() {
                if items[i].cluster == Some(c) || above(p, i) {
                    continue;
                }
                ys[i] = ys[i].max(limit + items[i].h / 2.0);
                limit = ys[i] + items[i].h / 2.0 + ROW_GAP;
            }
        }
    }
}

/// Puts one rank's nodes as near their desired rows as the order and the gaps allow.
fn place_rank(
    items: &[Item],
    rank: &[usize],
    desired: &[f32],
    gap: &dyn Fn(usize, usize) -> f32,
    ys: &mut [f32],
) {
    // Downward pass: no node above its desired row's least legal position.
    let mut placed: Vec<f32> = Vec::with_capacity(rank.len());
    for (p, &i) in rank.iter().enumerate() {
        let mut y = desired[p];
        if p > 0 {
            let prev = rank[p - 1];
            let least = placed[p - 1] + items[prev].h / 2.0 + gap(prev, i) + items[i].h / 2.0;
            y = y.max(least);
        }
        placed.push(y);
    }
    // Shift the block up by the mean overshoot so one crowded node does not push all down.
    let overshoot: f32 =
        placed.iter().zip(desired).map(|(p, d)| p - d).sum::<f32>() / rank.len().max(1) as f32;
    for (p, &i) in rank.iter().enumerate() {
        ys[i] = placed[p] - overshoot / 2.0;
    }
}

/// The drawn line of one edge: from the right side of its source through its dummies to the
/// left side of its target (a backward edge runs the other way).
fn polyline(chain: &[usize], items: &[Item], xs: &[f32], ys: &[f32]) -> Vec<(f32, f32)> {
    let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
        return Vec::new();
    };
    let side = |i: usize, toward: f32| {
        let dir = if toward >= xs[i] { 1.0 } else { -1.0 };
        (xs[i] + dir * items[i].w / 2.0, ys[i])
    };
    let mut points = vec![side(first, xs[last])];
    for &d in &chain[1..chain.len() - 1] {
        points.push((xs[d], ys[d]));
    }
    points.push(side(last, xs[first]));
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(n: usize, edges: &[(usize, usize)]) -> LayeredInput {
        LayeredInput {
            sizes: vec![(80.0, 30.0); n],
            clusters: vec![None; n],
            edges: edges.to_vec(),
        }
    }

    fn overlaps(a: &Placed, b: &Placed) -> bool {
        (a.x - b.x).abs() < (a.w + b.w) / 2.0 && (a.y - b.y).abs() < (a.h + b.h) / 2.0
    }

    #[test]
    fn ranks_respect_every_edge_and_sources_sit_before_their_consumer() {
        // x -> matmul <- w ; matmul -> add <- b ; add -> sigmoid
        let edges = [(0, 2), (1, 2), (2, 4), (3, 4), (4, 5)];
        let l = layout(&input(6, &edges));
        for &(a, b) in &edges {
            assert!(l.nodes[a].rank < l.nodes[b].rank, "{a}->{b}");
            assert!(l.nodes[a].x < l.nodes[b].x);
        }
        // The bias b (node 3) is a source read by add (rank 2): it sits in rank 1, not 0.
        assert_eq!(l.nodes[3].rank, 1);
        assert_eq!(l.nodes[5].rank, 3);
    }

    #[test]
    fn a_tree_is_drawn_without_crossings() {
        // A binary tree of depth 4 reducing into one root, numbered so the initial order
        // crosses: leaves interleaved across the two halves.
        let mut edges = Vec::new();
        // leaves 0..8, level-1 nodes 8..12, level-2 12..14, root 14
        let leaf_parent = [8, 10, 9, 11, 8, 10, 9, 11];
        for (leaf, &p) in leaf_parent.iter().enumerate() {
            edges.push((leaf, p));
        }
        edges.extend([(8, 13), (9, 12), (10, 13), (11, 12), (12, 14), (13, 14)]);
        let l = layout(&input(15, &edges));
        assert_eq!(l.crossings, 0);
        for i in 0..15 {
            for j in i + 1..15 {
                assert!(!overlaps(&l.nodes[i], &l.nodes[j]), "{i} and {j} overlap");
            }
        }
    }

    #[test]
    fn long_edges_get_bends_and_a_backward_edge_is_still_drawn() {
        // 0 -> 1 -> 2 -> 3 and 0 -> 3 (skips two ranks); 3 -> 1 would close a cycle.
        let l = layout(&input(4, &[(0, 1), (1, 2), (2, 3), (0, 3), (3, 1), (2, 2)]));
        assert_eq!(l.edges[3].len(), 4, "two dummies on the long edge");
        let back = &l.edges[4];
        assert!(
            back.first().unwrap().0 > back.last().unwrap().0,
            "drawn from 3 back to 1"
        );
        assert!(l.edges[5].is_empty(), "a self-loop is not drawn");
        assert!(l.width > 0.0 && l.height > 0.0);
    }

    #[test]
    fn clusters_stay_together_in_a_rank() {
        // Four sources feeding one sink; clusters alternate in the given order.
        let mut inp = input(5, &[(0, 4), (1, 4), (2, 4), (3, 4)]);
        inp.clusters = vec![Some(0), Some(1), Some(0), Some(1), None];
        let l = layout(&inp);
        let mut by_y: Vec<usize> = (0..4).collect();
        by_y.sort_by(|&a, &b| l.nodes[a].y.total_cmp(&l.nodes[b].y));
        let seq: Vec<_> = by_y.iter().map(|&i| inp.clusters[i]).collect();
        assert!(seq[0] == seq[1] && seq[2] == seq[3], "{seq:?}");
    }

    #[test]
    fn no_other_node_lies_inside_a_clusters_box() {
        // w, x -> mul (cluster) ; mul, b -> add (cluster) ; add -> out. b sits in mul's rank.
        let mut inp = input(6, &[(0, 2), (1, 2), (2, 4), (3, 4), (4, 5)]);
        inp.clusters = vec![None, None, Some(0), None, Some(0), None];
        let l = layout(&inp);
        let members = [2, 4];
        let top = members
            .iter()
            .map(|&i| l.nodes[i].y - l.nodes[i].h / 2.0)
            .fold(f32::MAX, f32::min);
        let bottom = members
            .iter()
            .map(|&i| l.nodes[i].y + l.nodes[i].h / 2.0)
            .fold(f32::MIN, f32::max);
        let left = members
            .iter()
            .map(|&i| l.nodes[i].x - l.nodes[i].w / 2.0)
            .fold(f32::MAX, f32::min);
        let right = members
            .iter()
            .map(|&i| l.nodes[i].x + l.nodes[i].w / 2.0)
            .fold(f32::MIN, f32::max);
        for i in [0, 1, 3, 5] {
            let n = l.nodes[i];
            let in_x = n.x + n.w / 2.0 > left && n.x - n.w / 2.0 < right;
            let in_y = n.y + n.h / 2.0 > top - CLUSTER_GAP + 1.0
                && n.y - n.h / 2.0 < bottom + CLUSTER_GAP - 1.0;
            assert!(!(in_x && in_y), "node {i} lies in the box");
        }
    }

    #[test]
    fn empty_and_out_of_range_edges_do_not_panic() {
        assert!(layout(&LayeredInput::default()).nodes.is_empty());
        let l = layout(&input(2, &[(0, 7), (5, 1), (0, 1)]));
        assert_eq!(l.edges.len(), 3);
        assert!(l.edges[0].is_empty() && l.edges[1].is_empty());
    }
}
