//! What the graph view draws, computed from a [`GraphTrace`] without a DOM: the nodes shown
//! (a collapsed scope is one node), their captions and places from the layered layout, the
//! edges as polylines, the boxes of the open scopes, and the words and numbers of a node's
//! detail card.

use std::collections::{BTreeSet, HashMap};

use np_engine::autodiff::{GraphTrace, TraceKind, TraceNode};

use super::layered::{self, LayeredInput, Placed};

/// Most elements a detail card lists as numbers; beyond, it shows a heatmap.
pub const MAX_LISTED: usize = 16;
/// A node's height: a line per caption, shape, value and gradient.
const LINE: f32 = 14.0;
const NODE_PAD: f32 = 10.0;
const SCOPE_NODE_HEIGHT: f32 = 44.0;
/// Room around a scope's nodes inside its box, and for its header above them.
pub const BOX_PAD: f32 = 10.0;
pub const BOX_HEADER: f32 = 20.0;

/// One drawn node: a traced node, or a collapsed scope standing for its nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Node(usize),
    Scope(String),
}

/// The kind of a drawn node, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Input,
    Constant,
    Variable,
    Op,
    Scope,
}

impl Look {
    pub fn class(self) -> &'static str {
        match self {
            Look::Input => "gv-input",
            Look::Constant => "gv-constant",
            Look::Variable => "gv-variable",
            Look::Op => "gv-op",
            Look::Scope => "gv-scope-node",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShownNode {
    pub shown: Shown,
    pub look: Look,
    /// The caption: the op, or the variable's or input's name, or the scope's name.
    pub label: String,
    /// The second line: the shape, or how many nodes a collapsed scope holds.
    pub detail: String,
    /// The value in short (`= 21`, `= -0.3 … 0.8`); none for a collapsed scope.
    pub value_line: Option<String>,
    /// The gradient in short, where one reached the node.
    pub grad_line: Option<String>,
    pub at: Placed,
}

/// The box of an open scope around its nodes, with its header.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeBox {
    /// The scope path, `"dense_1/"`.
    pub scope: String,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphModel {
    pub nodes: Vec<ShownNode>,
    /// Polylines; `edge_ends[i]` says which shown nodes edge `i` joins.
    pub edges: Vec<Vec<(f32, f32)>>,
    pub edge_ends: Vec<(usize, usize)>,
    pub boxes: Vec<ScopeBox>,
    pub width: f32,
    pub height: f32,
    /// Every scope of the trace, outermost first (each has a toggle).
    pub scopes: Vec<String>,
    /// Edge crossings the layout could not remove.
    pub crossings: usize,
}

/// The scope's name without its trailing slash (`"dense_1/"` gives `"dense_1"`), as toggles'
/// test ids and captions use it.
pub fn scope_name(scope: &str) -> &str {
    scope.strip_suffix('/').unwrap_or(scope)
}

/// Every scope path a node's scope lies in, outermost first: `"a/b/"` gives `"a/"`, `"a/b/"`.
fn prefixes(scope: &str) -> impl Iterator<Item = &str> {
    scope.match_indices('/').map(move |(i, _)| &scope[..=i])
}

/// `[2, 3]`, or `scalar`.
pub fn shape_text(dims: &[usize]) -> String {
    if dims.is_empty() {
        "scalar".into()
    } else {
        format!(
            "[{}]",
            dims.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn caption(node: &TraceNode) -> (Look, String) {
    match &node.kind {
        TraceKind::Input => (Look::Input, node.label()),
        TraceKind::Constant => (Look::Constant, node.label()),
        TraceKind::Variable { .. } => (Look::Variable, node.label()),
        TraceKind::Op { op } => (
            Look::Op,
            match &node.name {
                // A named op shows both: `intermed = add`.
                Some(n) if n != op => format!("{n} = {op}"),
                _ => op.clone(),
            },
        ),
    }
}

/// The lines of one node before it is placed.
struct Texts {
    look: Look,
    label: String,
    detail: String,
    value_line: Option<String>,
    grad_line: Option<String>,
}

impl Texts {
    fn lines(&self) -> usize {
        2 + usize::from(self.value_line.is_some()) + usize::from(self.grad_line.is_some())
    }
}

/// A value in a few characters for the node itself: the number, up to three numbers, or the
/// range.
pub fn short(values: &[f32], elements: usize) -> String {
    if values.len() == elements && elements <= 3 && !values.is_empty() {
        return values
            .iter()
            .map(|&v| number(v))
            .collect::<Vec<_>>()
            .join(", ");
    }
    let (lo, hi) = range(values);
    format!("{} … {}", number(lo), number(hi))
}

/// Rough text width at the view's font size, so boxes fit their captions without a DOM.
fn text_width(text: &str) -> f32 {
    text.chars().count() as f32 * 7.2
}

/// The drawing of `trace` with the scopes `collapsed` shut.
pub fn model(trace: &GraphTrace, collapsed: &[String]) -> GraphModel {
    let mut scopes = BTreeSet::new();
    for n in &trace.nodes {
        scopes.extend(prefixes(&n.scope).map(str::to_string));
    }
    let scopes: Vec<String> = {
        let mut s: Vec<String> = scopes.into_iter().collect();
        s.sort_by_key(|p| (p.matches('/').count(), p.clone()));
        s
    };
    // The outermost collapsed scope a node lies in decides what stands for it.
    let group_of = |n: &TraceNode| {
        prefixes(&n.scope)
            .find(|p| collapsed.iter().any(|c| c == p))
            .map(str::to_string)
    };
    let mut shown: Vec<Shown> = Vec::new();
    let mut index_of_scope: HashMap<String, usize> = HashMap::new();
    let mut shown_of: Vec<usize> = Vec::with_capacity(trace.nodes.len());
    let mut members: HashMap<String, usize> = HashMap::new();
    for (i, n) in trace.nodes.iter().enumerate() {
        match group_of(n) {
            Some(g) => {
                *members.entry(g.clone()).or_default() += 1;
                let at = *index_of_scope.entry(g.clone()).or_insert_with(|| {
                    shown.push(Shown::Scope(g));
                    shown.len() - 1
                });
                shown_of.push(at);
            }
            None => {
                shown.push(Shown::Node(i));
                shown_of.push(shown.len() - 1);
            }
        }
    }
    let mut edge_ends: Vec<(usize, usize)> = Vec::new();
    for (j, n) in trace.nodes.iter().enumerate() {
        for &i in &n.inputs {
            let Some(&from) = shown_of.get(i) else {
                continue;
            };
            let e = (from, shown_of[j]);
            if e.0 != e.1 && !edge_ends.contains(&e) {
                edge_ends.push(e);
            }
        }
    }
    // The cluster of a shown node: the scope it is drawn inside (a collapsed scope is drawn
    // inside its parent).
    let cluster_scope = |s: &Shown| -> String {
        match s {
            Shown::Node(i) => trace.nodes[*i].scope.clone(),
            Shown::Scope(p) => {
                let inner = scope_name(p);
                match inner.rfind('/') {
                    Some(k) => inner[..=k].to_string(),
                    None => String::new(),
                }
            }
        }
    };
    let texts: Vec<Texts> = shown
        .iter()
        .map(|s| match s {
            Shown::Node(i) => {
                let n = &trace.nodes[*i];
                let (look, label) = caption(n);
                Texts {
                    look,
                    label,
                    detail: shape_text(&n.dims),
                    value_line: Some(format!("= {}", short(&n.value, n.elements()))),
                    grad_line: n
                        .grad
                        .as_ref()
                        .map(|g| format!("grad {}", short(g, n.elements()))),
                }
            }
            Shown::Scope(p) => {
                let k = members.get(p).copied().unwrap_or(0);
                Texts {
                    look: Look::Scope,
                    label: scope_name(p).to_string(),
                    detail: format!("{k} node{}", if k == 1 { "" } else { "s" }),
                    value_line: None,
                    grad_line: None,
                }
            }
        })
        .collect();
    let input = LayeredInput {
        sizes: texts
            .iter()
            .map(|t| {
                let widest = [
                    Some(&t.label),
                    Some(&t.detail),
                    t.value_line.as_ref(),
                    t.grad_line.as_ref(),
                ]
                .into_iter()
                .flatten()
                .map(|s| text_width(s))
                .fold(0.0, f32::max);
                // A collapsed scope also holds its open button beside the caption.
                let button = if t.look == Look::Scope { 26.0 } else { 0.0 };
                let w = (widest + 22.0 + button).clamp(56.0, 220.0);
                let h = if t.look == Look::Scope {
                    SCOPE_NODE_HEIGHT
                } else {
                    t.lines() as f32 * LINE + NODE_PAD
                };
                (w, h)
            })
            .collect(),
        clusters: shown
            .iter()
            .map(|s| {
                let c = cluster_scope(s);
                (!c.is_empty()).then(|| scopes.iter().position(|p| *p == c).unwrap_or(0))
            })
            .collect(),
        edges: edge_ends.clone(),
    };
    let laid = layered::layout(&input);
    let nodes: Vec<ShownNode> = shown
        .into_iter()
        .zip(texts)
        .zip(&laid.nodes)
        .map(|((shown, t), &at)| ShownNode {
            shown,
            look: t.look,
            label: t.label,
            detail: t.detail,
            value_line: t.value_line,
            grad_line: t.grad_line,
            at,
        })
        .collect();
    let boxes = scope_boxes(&scopes, collapsed, trace, &nodes);
    // Boxes of nodes at the top need their header inside the drawing.
    let top = boxes.iter().map(|b| b.y).fold(0.0_f32, f32::min);
    let mut model = GraphModel {
        nodes,
        edges: laid.edges,
        edge_ends,
        boxes,
        width: laid.width,
        height: laid.height,
        scopes,
        crossings: laid.crossings,
    };
    if top < 0.0 {
        model.shift_down(-top + 4.0);
    }
    model
}

impl GraphModel {
    fn shift_down(&mut self, dy: f32) {
        for n in &mut self.nodes {
            n.at.y += dy;
        }
        for e in &mut self.edges {
            for p in e {
                p.1 += dy;
            }
        }
        for b in &mut self.boxes {
            b.y += dy;
        }
        self.height += dy;
    }
}

/// A box per open scope around the shown nodes inside it, nested scopes padded inside their
/// parents' boxes.
fn scope_boxes(
    scopes: &[String],
    collapsed: &[String],
    trace: &GraphTrace,
    nodes: &[ShownNode],
) -> Vec<ScopeBox> {
    let shut = |p: &str| prefixes(p).any(|q| collapsed.iter().any(|c| c == q));
    let mut boxes = Vec::new();
    for scope in scopes {
        if shut(scope) {
            continue;
        }
        let inside = nodes.iter().filter(|n| match &n.shown {
            Shown::Node(i) => trace.nodes[*i].scope.starts_with(scope.as_str()),
            Shown::Scope(p) => p.starts_with(scope.as_str()) && p != scope,
        });
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for n in inside {
            x0 = x0.min(n.at.x - n.at.w / 2.0);
            x1 = x1.max(n.at.x + n.at.w / 2.0);
            y0 = y0.min(n.at.y - n.at.h / 2.0);
            y1 = y1.max(n.at.y + n.at.h / 2.0);
        }
        if x0 > x1 {
            continue;
        }
        // Deeper scopes sit inside: the outer box gets more room.
        let depth = scope.matches('/').count() as f32;
        let deepest = scopes
            .iter()
            .filter(|s| s.starts_with(scope.as_str()))
            .map(|s| s.matches('/').count() as f32)
            .fold(depth, f32::max);
        let pad = BOX_PAD + (deepest - depth) * 6.0;
        boxes.push(ScopeBox {
            scope: scope.clone(),
            x: x0 - pad,
            y: y0 - pad - BOX_HEADER - (deepest - depth) * BOX_HEADER,
            w: x1 - x0 + 2.0 * pad,
            h: y1 - y0 + 2.0 * pad + BOX_HEADER + (deepest - depth) * BOX_HEADER,
        });
    }
    boxes
}

/// A number as a card shows it: short, but exact for integers.
pub fn number(v: f32) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v.fract() == 0.0 && v.abs() < 1e7 {
        return format!("{v:.0}");
    }
    let a = v.abs();
    if (1e-3..1e5).contains(&a) {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:.3e}")
    }
}

/// A one-line summary of a value for the node's aria-label: the scalar itself, a few
/// numbers, or mean and range.
pub fn summary(values: &[f32], elements: usize) -> String {
    match values {
        [] => "no value".into(),
        [v] if elements == 1 => number(*v),
        _ if elements <= 4 && values.len() == elements => values
            .iter()
            .map(|&v| number(v))
            .collect::<Vec<_>>()
            .join(", "),
        _ => {
            let (lo, hi) = range(values);
            let mean = values.iter().sum::<f32>() / values.len() as f32;
            format!(
                "mean {}, from {} to {}",
                number(mean),
                number(lo),
                number(hi)
            )
        }
    }
}

/// Least and greatest of the finite values (0, 0 when none).
pub fn range(values: &[f32]) -> (f32, f32) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f32::INFINITY, f32::min);
    let hi = finite.fold(f32::NEG_INFINITY, f32::max);
    if lo > hi {
        (0.0, 0.0)
    } else {
        (lo, hi)
    }
}

/// How a card shows one tensor.
#[derive(Debug, Clone, PartialEq)]
pub enum Tensor {
    /// Rows of numbers (a scalar is one row of one).
    Numbers(Vec<Vec<String>>),
    /// A heatmap of `rows x cols` cells (row-major, only the kept values), coloured against
    /// the largest magnitude, with the range written beside it.
    Heatmap {
        rows: usize,
        cols: usize,
        cells: Vec<f32>,
        min: f32,
        max: f32,
        /// Elements of the whole tensor, more than `cells.len()` when the trace cut it.
        of: usize,
    },
}

/// A card's view of `values` of shape `dims`.
pub fn tensor_view(values: &[f32], dims: &[usize]) -> Tensor {
    let elements: usize = dims.iter().product();
    let cols = match dims {
        [] => 1,
        [.., last] => (*last).max(1),
    };
    if elements <= MAX_LISTED && values.len() == elements {
        let rows = values
            .chunks(cols)
            .map(|r| r.iter().map(|&v| number(v)).collect())
            .collect();
        return Tensor::Numbers(rows);
    }
    let (min, max) = range(values);
    Tensor::Heatmap {
        rows: values.len().div_ceil(cols),
        cols,
        cells: values.to_vec(),
        min,
        max,
        of: elements,
    }
}

/// The colour of one heatmap cell: its value against the largest magnitude, orange negative
/// and blue positive as everywhere on the page.
pub fn cell_colour(v: f32, min: f32, max: f32) -> String {
    let scale = min.abs().max(max.abs());
    let t = if scale > 0.0 {
        f64::from(v / scale)
    } else {
        0.0
    };
    super::colors::hex(super::colors::diverging(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use np_engine::{Graph, Tensor as T};

    /// Two dense layers and a loss, as the trainer scopes them.
    fn network_trace() -> GraphTrace {
        let mut g = Graph::cpu();
        let w1 = g
            .variable("w1", &T::new(vec![0.1; 6], &[2, 3]).unwrap(), true)
            .unwrap();
        let w2 = g
            .variable("w2", &T::new(vec![0.2; 3], &[3, 1]).unwrap(), true)
            .unwrap();
        let x = g
            .input("x", &T::new(vec![1.0, 2.0], &[1, 2]).unwrap())
            .unwrap();
        g.push_scope("dense_1");
        let w = g.var(w1).unwrap();
        let z = g.matmul(x, w).unwrap();
        let h = g.tanh(z).unwrap();
        g.pop_scope();
        g.push_scope("dense_2");
        let w = g.var(w2).unwrap();
        let out = g.matmul(h, w).unwrap();
        g.pop_scope();
        g.push_scope("loss");
        let loss = g.sum(out).unwrap();
        g.pop_scope();
        g.backward(loss).unwrap();
        g.trace(64).unwrap()
    }

    #[test]
    fn every_node_is_drawn_with_its_caption_and_scopes_get_boxes() {
        let t = network_trace();
        let m = model(&t, &[]);
        assert_eq!(m.nodes.len(), t.nodes.len());
        assert_eq!(m.scopes, vec!["dense_1/", "dense_2/", "loss/"]);
        assert_eq!(m.boxes.len(), 3);
        let labels: Vec<&str> = m.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["x", "w1", "matmul", "tanh", "w2", "matmul", "reduce_sum"]
        );
        assert_eq!(m.nodes[2].detail, "[1, 3]");
        // Each box holds its nodes.
        for b in &m.boxes {
            for n in &m.nodes {
                if let Shown::Node(i) = n.shown {
                    if t.nodes[i].scope == b.scope {
                        assert!(n.at.x - n.at.w / 2.0 >= b.x && n.at.y - n.at.h / 2.0 >= b.y);
                    }
                }
            }
        }
        assert!(m.boxes.iter().all(|b| b.y >= 0.0));
    }

    #[test]
    fn a_collapsed_scope_is_one_node_with_edges_in_and_out() {
        let t = network_trace();
        let m = model(&t, &["dense_1/".to_string()]);
        assert_eq!(m.nodes.len(), t.nodes.len() - 3 + 1);
        let k = m
            .nodes
            .iter()
            .position(|n| n.shown == Shown::Scope("dense_1/".into()))
            .unwrap();
        assert_eq!(m.nodes[k].detail, "3 nodes");
        assert!(
            m.edge_ends.iter().any(|&(a, b)| b == k && a != k),
            "an edge in (from x)"
        );
        assert!(
            m.edge_ends.iter().any(|&(a, b)| a == k && b != k),
            "an edge out"
        );
        assert_eq!(m.boxes.len(), 2, "no box for the collapsed scope");
    }

    #[test]
    fn cards_list_small_tensors_and_map_large_ones() {
        assert_eq!(
            tensor_view(&[1.0, 2.5], &[1, 2]),
            Tensor::Numbers(vec![vec!["1".into(), "2.5".into()]])
        );
        assert_eq!(
            tensor_view(&[12.0], &[]),
            Tensor::Numbers(vec![vec!["12".into()]])
        );
        let big: Vec<f32> = (0..40).map(|i| i as f32 - 20.0).collect();
        match tensor_view(&big, &[8, 5]) {
            Tensor::Heatmap {
                rows,
                cols,
                min,
                max,
                of,
                ..
            } => {
                assert_eq!((rows, cols, min, max, of), (8, 5, -20.0, 19.0, 40));
            }
            other => panic!("{other:?}"),
        }
        // A value the trace cut is mapped as far as it was kept, and says of how many.
        match tensor_view(&big[..10], &[8, 5]) {
            Tensor::Heatmap { rows, of, .. } => assert_eq!((rows, of), (2, 40)),
            other => panic!("{other:?}"),
        }
        assert_eq!(summary(&[21.0], 1), "21");
        assert_eq!(summary(&[1.0, 3.0], 2), "1, 3");
        assert_eq!(summary(&big, 40), "mean -0.5, from -20 to 19");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(1.5e-6), "1.500e-6");
        assert_eq!(cell_colour(0.0, -1.0, 1.0), cell_colour(0.0, 0.0, 0.0));
    }

    #[test]
    fn scope_names_drop_the_slash() {
        assert_eq!(scope_name("dense_3/"), "dense_3");
        assert_eq!(prefixes("a/b/").collect::<Vec<_>>(), vec!["a/", "a/b/"]);
        assert_eq!(shape_text(&[]), "scalar");
    }

    #[test]
    fn an_eight_by_thirty_two_network_collapsed_stays_small() {
        let mut g = Graph::cpu();
        let mut h = g
            .input("x", &T::new(vec![0.5; 10 * 2], &[10, 2]).unwrap())
            .unwrap();
        let mut fan_in = 2;
        let mut scopes = Vec::new();
        for layer in 1..=8 {
            let w = g
                .variable(
                    &format!("w{layer}"),
                    &T::new(vec![0.01; fan_in * 32], &[fan_in, 32]).unwrap(),
                    true,
                )
                .unwrap();
            let b = g
                .variable(
                    &format!("b{layer}"),
                    &T::new(vec![0.0; 32], &[32]).unwrap(),
                    true,
                )
                .unwrap();
            g.push_scope(&format!("dense_{layer}"));
            let wn = g.var(w).unwrap();
            let bn = g.var(b).unwrap();
            let z = g.matmul(h, wn).unwrap();
            h = g
                .bias_act(z, bn, np_engine::backend::UnaryOp::Tanh)
                .unwrap();
            g.pop_scope();
            scopes.push(format!("dense_{layer}/"));
            fan_in = 32;
        }
        let loss = g.mean(h).unwrap();
        g.backward(loss).unwrap();
        let t = g.trace(256).unwrap();
        let m = model(&t, &scopes);
        assert_eq!(m.nodes.len(), 1 + 8 + 1);
        assert!(m.height < 200.0, "one row: {}", m.height);
        let open = model(&t, &[]);
        assert_eq!(open.nodes.len(), t.nodes.len());
    }
}
