//! The drawing of a recorded graph (an engine [`GraphTrace`]): nodes laid out left to right in
//! ranks, grouped in a box per scope, each scope collapsible, every node focusable with a
//! detail card of its value and gradient. What is drawn where is `draw::graph_model`'s pure
//! work; this file is the markup and the hover, focus and collapse state.

use std::rc::Rc;

use np_engine::autodiff::{GraphTrace, TraceKind, TraceNode};
use yew::prelude::*;

use crate::draw::graph_model::{
    self, cell_colour, model, number, scope_name, shape_text, summary, tensor_view, GraphModel,
    Shown, ShownNode,
};
use crate::draw::layered::Placed;

#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    pub trace: Rc<GraphTrace>,
    /// Nodes drawn highlighted (e.g. the stepper's current phase), by index into trace.nodes.
    #[prop_or_default]
    pub highlight: Rc<Vec<usize>>,
    /// Scopes (e.g. "dense_3/") drawn collapsed at first; the user can open them.
    #[prop_or_default]
    pub collapsed: Rc<Vec<String>>,
}

#[function_component(GraphView)]
pub fn graph_view(props: &GraphViewProps) -> Html {
    let collapsed = use_state(|| props.collapsed.as_ref().clone());
    {
        // A new list from the owner (another network) starts from its choice again.
        let collapsed = collapsed.clone();
        use_effect_with(props.collapsed.clone(), move |c| {
            collapsed.set(c.as_ref().clone());
        });
    }
    let focused = use_state(|| None::<usize>);
    let drawing = {
        let trace = props.trace.clone();
        use_memo(((*collapsed).clone(), trace), |(c, t)| model(t, c))
    };
    let toggle = {
        let collapsed = collapsed.clone();
        Callback::from(move |scope: String| {
            let mut c = (*collapsed).clone();
            match c.iter().position(|s| *s == scope) {
                Some(i) => {
                    c.remove(i);
                }
                None => c.push(scope),
            }
            collapsed.set(c);
        })
    };
    let trace = &props.trace;
    if trace.nodes.is_empty() {
        return html! { <p class="gv-empty" data-testid="graph-view">{ "Nothing recorded yet." }</p> };
    }
    let lit = |n: &ShownNode| match &n.shown {
        Shown::Node(i) => props.highlight.contains(i),
        Shown::Scope(p) => props.highlight.iter().any(|&i| {
            trace
                .nodes
                .get(i)
                .is_some_and(|t| t.scope.starts_with(p.as_str()))
        }),
    };
    let card = focused
        .and_then(|i| trace.nodes.get(i).map(|t| (i, t)))
        .and_then(|(i, t)| {
            let at = drawing.nodes.iter().find(|n| n.shown == Shown::Node(i))?.at;
            Some(detail_card(t, at))
        });
    let m: &GraphModel = &drawing;
    html! {
        <div class="gv-scroll" data-testid="graph-view">
            <div class="gv-canvas" style={format!("width:{}px;height:{}px", m.width.ceil(), m.height.ceil())}>
                <svg class="gv-svg" width={m.width.ceil().to_string()} height={m.height.ceil().to_string()}
                    data-crossings={m.crossings.to_string()}
                    role="group" aria-label="Computational graph: inputs on the left, results on the right">
                    <defs>
                        <marker id="gv-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">
                            <path d="M0,0 L8,4 L0,8 z" class="gv-arrowhead" />
                        </marker>
                    </defs>
                    { for m.boxes.iter().map(|b| scope_box(b, &toggle)) }
                    { for m.edges.iter().filter(|e| e.len() >= 2).map(|e| html! {
                        <path class="gv-edge" d={path(e)} marker-end="url(#gv-arrow)" />
                    }) }
                    { for m.nodes.iter().map(|n| node(n, trace, lit(n), &focused, &toggle)) }
                </svg>
                { card.unwrap_or_default() }
            </div>
        </div>
    }
}

/// A smooth path through the polyline's points (horizontal tangents at each point).
fn path(points: &[(f32, f32)]) -> String {
    let mut d = format!("M{:.1},{:.1}", points[0].0, points[0].1);
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let mid = (x0 + x1) / 2.0;
        d.push_str(&format!(
            " C{mid:.1},{y0:.1} {mid:.1},{y1:.1} {x1:.1},{y1:.1}"
        ));
    }
    d
}

/// The open/close button of a scope, at `(x, y)` (its top left).
fn toggle_button(scope: &str, open: bool, x: f32, y: f32, on_toggle: &Callback<String>) -> Html {
    let name = scope_name(scope).to_string();
    let click = {
        let (on_toggle, scope) = (on_toggle.clone(), scope.to_string());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_toggle.emit(scope.clone());
        })
    };
    let key = {
        let (on_toggle, scope) = (on_toggle.clone(), scope.to_string());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                on_toggle.emit(scope.clone());
            }
        })
    };
    let words = if open {
        format!("Collapse {name}")
    } else {
        format!("Open {name}")
    };
    html! {
        <g class="gv-toggle" role="button" tabindex="0" aria-label={words.clone()} aria-expanded={open.to_string()}
            data-testid={format!("graph-scope-toggle-{name}")} transform={format!("translate({x:.1},{y:.1})")}
            onclick={click} onkeydown={key}>
            <title>{ words }</title>
            <rect width="16" height="16" rx="3" />
            <text x="8" y="12.5" text-anchor="middle">{ if open { "−" } else { "+" } }</text>
        </g>
    }
}

fn scope_box(b: &graph_model::ScopeBox, on_toggle: &Callback<String>) -> Html {
    html! {
        <g class="gv-box" data-scope={b.scope.clone()}>
            <rect x={b.x.to_string()} y={b.y.to_string()} width={b.w.to_string()} height={b.h.to_string()} rx="8" />
            { toggle_button(&b.scope, true, b.x + 6.0, b.y + 4.0, on_toggle) }
            <text class="gv-box-title" x={(b.x + 28.0).to_string()} y={(b.y + 16.0).to_string()}>{ scope_name(&b.scope) }</text>
        </g>
    }
}

fn kind_words(t: &TraceNode) -> &'static str {
    match &t.kind {
        TraceKind::Input => "fed input",
        TraceKind::Constant => "constant",
        TraceKind::Variable {
            trainable: true, ..
        } => "trainable variable",
        TraceKind::Variable { .. } => "variable (not trained)",
        TraceKind::Op { .. } => "op",
    }
}

fn node(
    n: &ShownNode,
    trace: &GraphTrace,
    lit: bool,
    focused: &UseStateHandle<Option<usize>>,
    on_toggle: &Callback<String>,
) -> Html {
    let Placed { x, y, w, h, .. } = n.at;
    let (left, top) = (x - w / 2.0, y - h / 2.0);
    let mut lines: Vec<(&String, bool)> = vec![(&n.detail, false)];
    lines.extend(n.value_line.iter().map(|v| (v, false)));
    lines.extend(n.grad_line.iter().map(|g| (g, true)));
    let body = html! {
        <>
            <rect class="gv-node-box" width={w.to_string()} height={h.to_string()} rx="6" />
            <text class="gv-label" x={(w / 2.0).to_string()} y="16" text-anchor="middle">{ n.label.clone() }</text>
            { for lines.iter().enumerate().map(|(k, (s, grad))| html! {
                <text class={classes!("gv-line", grad.then_some("gv-grad"))}
                    x={(w / 2.0).to_string()} y={(30.0 + 14.0 * k as f32).to_string()} text-anchor="middle">{ (*s).clone() }</text>
            }) }
        </>
    };
    match &n.shown {
        Shown::Scope(scope) => html! {
            <g class={classes!("gv-node", n.look.class(), lit.then_some("gv-lit"))}
                transform={format!("translate({left:.1},{top:.1})")} data-scope={scope.clone()}>
                { body }
                { toggle_button(scope, false, w - 22.0, 6.0, on_toggle) }
            </g>
        },
        Shown::Node(i) => {
            let i = *i;
            let t = &trace.nodes[i];
            let value = summary(&t.value, t.elements());
            let grad = match &t.grad {
                Some(g) => format!("gradient {}", summary(g, t.elements())),
                None => "no gradient".to_string(),
            };
            let label = format!(
                "{}, {}, shape {}, value {value}, {grad}",
                n.label,
                kind_words(t),
                shape_text(&t.dims)
            );
            let first = t.value.first().map(|v| v.to_string()).unwrap_or_default();
            let show = {
                let focused = focused.clone();
                Rc::new(move || focused.set(Some(i)))
            };
            let hide = {
                let focused = focused.clone();
                Rc::new(move || {
                    if *focused == Some(i) {
                        focused.set(None);
                    }
                })
            };
            let (show2, hide2) = (show.clone(), hide.clone());
            html! {
                <g class={classes!("gv-node", n.look.class(), lit.then_some("gv-lit"), (**focused == Some(i)).then_some("gv-focused"))}
                    transform={format!("translate({left:.1},{top:.1})")} tabindex="0" role="img"
                    data-testid={format!("graph-node-{i}")} data-value={first} aria-label={label}
                    onmouseenter={move |_: MouseEvent| show()} onfocus={move |_: FocusEvent| show2()}
                    onmouseleave={move |_: MouseEvent| hide()} onblur={move |_: FocusEvent| hide2()}>
                    { body }
                </g>
            }
        }
    }
}

/// The card beside a node: what it is, its value and its gradient.
fn detail_card(t: &TraceNode, at: Placed) -> Html {
    let style = format!(
        "left:{:.0}px;top:{:.0}px",
        at.x + at.w / 2.0 + 8.0,
        (at.y - at.h / 2.0).max(0.0)
    );
    html! {
        <div class="gv-card" data-testid="graph-card" role="status" style={style}>
            <p class="gv-card-title"><strong>{ t.label() }</strong>{ format!(" · {} · {}", kind_words(t), shape_text(&t.dims)) }</p>
            <p class="gv-card-head">{ "value" }</p>
            { tensor(&t.value, &t.dims, "value") }
            <p class="gv-card-head">{ "gradient" }</p>
            { match &t.grad {
                Some(g) => tensor(g, &t.dims, "grad"),
                None => html! { <p class="gv-card-none" data-testid="graph-card-grad">{ "no gradient (no trainable variable lies upstream)" }</p> },
            } }
        </div>
    }
}

fn tensor(values: &[f32], dims: &[usize], what: &str) -> Html {
    match tensor_view(values, dims) {
        graph_model::Tensor::Numbers(rows) => html! {
            <table class="gv-numbers" data-testid={format!("graph-card-{what}")}>
                { for rows.iter().map(|r| html! { <tr>{ for r.iter().map(|v| html! { <td>{ v.clone() }</td> }) }</tr> }) }
            </table>
        },
        graph_model::Tensor::Heatmap {
            rows,
            cols,
            cells,
            min,
            max,
            of,
        } => {
            // Cells at most 12 px, the map at most 180 px wide.
            let cell = (180.0 / cols as f32).clamp(2.0, 12.0);
            let (w, h) = (cell * cols as f32, cell * rows as f32);
            html! {
                <div class="gv-heat" data-testid={format!("graph-card-{what}")}>
                    <svg width={w.to_string()} height={h.to_string()} role="img"
                        aria-label={format!("{what} heatmap, {rows} by {cols}, from {} to {}", number(min), number(max))}>
                        { for cells.iter().enumerate().map(|(k, &v)| html! {
                            <rect x={((k % cols) as f32 * cell).to_string()} y={((k / cols) as f32 * cell).to_string()}
                                width={cell.to_string()} height={cell.to_string()} fill={cell_colour(v, min, max)} />
                        }) }
                    </svg>
                    <p class="gv-scale">
                        <span class="gv-swatch" style={format!("background:{}", cell_colour(min, min, max))}></span>{ number(min) }
                        { " to " }
                        <span class="gv-swatch" style={format!("background:{}", cell_colour(max, min, max))}></span>{ number(max) }
                        if cells.len() < of { { format!(" (first {} of {of} elements)", cells.len()) } }
                    </p>
                </div>
            }
        }
    }
}
