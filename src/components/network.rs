//! The network diagram: input features as clickable nodes, hidden layers with add/remove,
//! every neuron a live thumbnail of its output over the input plane, links coloured and sized by
//! weight with a hover card, and click-to-edit for any weight or bias (the output bias too).

use std::rc::Rc;

use yew::prelude::*;

use super::guard::{guard, padlock, title, LOCKED_NOTE};
use super::pixel_canvas::PixelCanvas;
use super::weight_editor::{Target, WeightEditor};
use crate::config::{Config, Feature, DRAWN_UNITS, MAX_LAYERS, MAX_NEURONS};
use crate::draw::colors;
use crate::draw::plane::thumbnail;
use crate::session::Snapshot;
use crate::state::Action;

/// Horizontal distance between columns, in pixels.
const GAP: f64 = 96.0;
const PAD: f64 = 8.0;
/// Room for the input names left of the diagram: at least the planar features' (3.2 rem), at
/// most about twenty characters of the 0.65 rem labels.
const MIN_LABEL_ROOM: f64 = 51.0;
const MAX_LABEL_ROOM: f64 = 130.0;
const LABEL_CHAR_PX: f64 = 6.0;
const TOP: f64 = 8.0;

/// Node side for a column of `n` nodes: big thumbnails for small layers.
fn node_size(tallest: usize) -> f64 {
    match tallest {
        0..=8 => 34.0,
        9..=16 => 24.0,
        _ => 14.0,
    }
}

/// The features offered as input nodes: TensorFlow Playground's seven, plus cos(X1) and cos(X2)
/// while they are on (its links can turn them on; its page never shows them), so the default
/// diagram keeps its layout.
fn offered(config: &Config) -> Vec<Feature> {
    Feature::ALL
        .iter()
        .copied()
        .filter(|f| !matches!(f, Feature::CosX | Feature::CosY) || config.features.contains(f))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub config: Rc<Config>,
    pub snapshot: Rc<Snapshot>,
    pub on_action: Callback<Action>,
    pub on_edit: Callback<(Target, f64)>,
    /// The weight layer the backprop stepper's phase is about (0: input to first hidden):
    /// its links and units are drawn forward, the rest faded.
    #[prop_or_default]
    pub focus_layer: Option<usize>,
}

#[function_component(Network)]
pub fn network(props: &NetworkProps) -> Html {
    let hover = use_state(|| None::<Target>);
    let editing = use_state(|| None::<Target>);
    let c = &props.config;
    let s = &props.snapshot;
    let inputs = offered(c);
    let dataset = c.active_dataset();
    let planar = dataset.is_planar();
    // Real data's input column: one block for an image's pixels, a named node per table input.
    let image = s
        .data
        .wide
        .as_ref()
        .and_then(|w| w.image)
        .or(match dataset {
            crate::config::Dataset::Digits => Some((8, 8)),
            crate::config::Dataset::Mnist => Some((28, 28)),
            _ => None,
        });
    let first_fan_in = s
        .layers
        .first()
        .and_then(|l| l.w.first())
        .map_or(0, Vec::len);
    let table_names: Vec<String> = match s.data.wide.as_ref() {
        Some(w) if w.image.is_none() => w.names.clone(),
        _ => (1..=first_fan_in).map(|i| format!("input {i}")).collect(),
    };
    // Weights and biases open the editor only where the instructor allows it.
    let editable = c.shows("weightEditing") && !c.locks("weightEditing");
    let layers_locked = c.locks("numHiddenLayers");
    let features_locked = c.locks("features");
    // Column sizes: inputs, hidden layers (from the snapshot, which matches the config), outputs.
    let mut columns = vec![match (planar, image) {
        (true, _) => inputs.len(),
        (false, Some(_)) => 1,
        (false, None) => table_names.len().max(1),
    }];
    // A hidden layer wider than the diagram draws unit by unit is one block.
    let block = |col: usize| -> bool {
        if col == 0 {
            !planar && image.is_some()
        } else {
            col < s.layers.len() && s.layers[col - 1].b.len() > DRAWN_UNITS
        }
    };
    columns.extend(
        s.layers
            .iter()
            .enumerate()
            .map(|(l, layer)| if block(l + 1) { 1 } else { layer.b.len() }),
    );
    let tallest = columns.iter().copied().max().unwrap_or(1);
    // Room left of the inputs for their names (a student's columns can have long ones); past
    // `MAX_LABEL_ROOM` a name is cut short, and the node's title has it whole.
    let longest = match (planar, image) {
        (false, None) => table_names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    let label_room = (longest as f64 * LABEL_CHAR_PX + 10.0).clamp(MIN_LABEL_ROOM, MAX_LABEL_ROOM);
    let size = node_size(tallest);
    // At least 24 px apart, so the nodes' 24 px bias targets never overlap (WCAG 2.5.8).
    let step = (size + 8.0).max(24.0);
    let height = TOP * 2.0 + tallest as f64 * step + 24.0;
    let width = PAD * 2.0 + (columns.len() - 1) as f64 * GAP + size + 40.0;
    let pos = |col: usize, n: usize| {
        // A run that could not be built has no layers in its snapshot while the config's
        // controls still ask where their layers sit: such a column is empty.
        let units = columns.get(col).copied().unwrap_or(0).min(tallest);
        let offset = (tallest - units) as f64 * step / 2.0;
        (
            PAD + col as f64 * GAP,
            TOP + 24.0 + offset + n as f64 * step,
        )
    };
    // Position of each network input (enabled features only) in the input column.
    let input_rows: Vec<usize> = if planar {
        s.features
            .iter()
            .filter_map(|f| inputs.iter().position(|g| g == f))
            .collect()
    } else {
        (0..table_names.len()).collect()
    };
    let set_hover = |t: Option<Target>| {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(t))
    };
    let focus_hover = |t: Option<Target>| {
        let hover = hover.clone();
        Callback::from(move |_: FocusEvent| hover.set(t))
    };
    // Links are SVG, so Enter opens the editor as a click would for keyboard users.
    let key_edit = |t: Target| {
        let editing = editing.clone();
        Callback::from(move |e: KeyboardEvent| {
            if editable && e.key() == "Enter" {
                // Without this the same key press goes on to the editor's freshly focused input
                // and submits it unchanged.
                e.prevent_default();
                editing.set(Some(t));
            }
        })
    };
    let start_edit = |t: Target| {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| {
            if editable {
                editing.set(Some(t))
            }
        })
    };

    let mut links = Vec::new();
    for (l, layer) in s.layers.iter().enumerate() {
        // Widths are relative to the layer's largest weight (so big weights after long training
        // do not turn the diagram into a solid block), thinner for wide layers.
        let largest =
            layer.w.iter().flatten().fold(
                1e-9,
                |m: f64, w| if w.is_finite() { m.max(w.abs()) } else { m },
            );
        let widest = if layer.w.len().max(layer.w.first().map_or(0, Vec::len)) > 16 {
            2.0
        } else {
            5.0
        };
        if block(l) || block(l + 1) {
            // Too many weights to draw one by one: one link per drawn unit on the other side,
            // as thick as the weights it stands for are large (root mean square). The weight
            // images (for pixels) and the weight panels show them in full.
            let rms = |ws: &mut dyn Iterator<Item = f64>| {
                let (sum, n) = ws.fold((0.0, 0usize), |(s, n), w| (s + w * w, n + 1));
                (sum / n.max(1) as f64).sqrt()
            };
            let fan_in = layer.w.first().map_or(0, Vec::len);
            let summary: Vec<(usize, usize, f64)> = match (block(l), block(l + 1)) {
                (true, false) => layer
                    .w
                    .iter()
                    .enumerate()
                    .map(|(to, row)| (0, to, rms(&mut row.iter().copied())))
                    .collect(),
                (false, true) => (0..fan_in)
                    .map(|from| {
                        (
                            from,
                            0,
                            rms(&mut layer
                                .w
                                .iter()
                                .map(|row| row.get(from).copied().unwrap_or(0.0))),
                        )
                    })
                    .collect(),
                _ => vec![(0, 0, rms(&mut layer.w.iter().flatten().copied()))],
            };
            let largest = summary.iter().fold(
                1e-12,
                |m: f64, (_, _, v)| if v.is_finite() { m.max(*v) } else { m },
            );
            for (from, to, r) in summary {
                let from_row = if l == 0 && !block(0) {
                    input_rows.get(from).copied().unwrap_or(from)
                } else {
                    from
                };
                let (x1, y1) = pos(l, from_row);
                let (x2, y2) = pos(l + 1, to);
                let (x1, y1, x2, y2) = (x1 + size, y1 + size / 2.0, x2, y2 + size / 2.0 + 0.5);
                let mid = (x1 + x2) / 2.0;
                let d =
                    format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}");
                let stroke = 0.4 + 3.0 * (r / largest).min(1.0).sqrt();
                let testid = match (block(l), block(l + 1)) {
                    (true, false) => format!("link-{l}-{to}-block"),
                    (false, true) => format!("link-{l}-block-{from}"),
                    _ => format!("link-{l}-block-block"),
                };
                links.push(html! {
                    <g class={classes!("link", "link-block", c.layer_frozen(l).then_some("frozen"))} data-testid={testid} data-value={r.to_string()}>
                        <title>{ format!("root mean square of the weights this link stands for: {r:.4}") }</title>
                        <path d={d} stroke={colors::hex(colors::BLUE)} stroke-width={format!("{stroke:.2}")} fill="none" opacity="0.6" />
                    </g>
                });
            }
            continue;
        }
        for (to, row) in layer.w.iter().enumerate() {
            for (from, &w) in row.iter().enumerate() {
                let from_row = if l == 0 {
                    input_rows.get(from).copied().unwrap_or(from)
                } else {
                    from
                };
                let (x1, y1) = pos(l, from_row);
                let (x2, y2) = pos(l + 1, to);
                let (x1, y1, x2, y2) = (x1 + size, y1 + size / 2.0, x2, y2 + size / 2.0);
                // A perfectly level link has a zero-height box, which pointer hit-testing and
                // tools treat as invisible; half a pixel of slope keeps it a target.
                let y2 = if (y2 - y1).abs() < 0.5 { y2 + 0.5 } else { y2 };
                let mid = (x1 + x2) / 2.0;
                let d =
                    format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}");
                let t = Target::Weight { layer: l, to, from };
                let color = colors::hex(if w < 0.0 {
                    colors::ORANGE
                } else {
                    colors::BLUE
                });
                let stroke = 0.4 + widest * (w.abs() / largest).min(1.0).sqrt();
                let highlighted = *hover == Some(t);
                links.push(html! {
                    <g class={classes!("link", highlighted.then_some("hover"), (props.focus_layer == Some(l)).then_some("stepper-focus"), c.layer_frozen(l).then_some("frozen"))} data-testid={format!("link-{l}-{to}-{from}")} data-value={w.to_string()}
                        tabindex="0" role="button" aria-label={format!("weight {l}:{from}→{to}{}", if editable { ", press Enter to edit" } else { "" })}
                        onmouseenter={set_hover(Some(t))} onmouseleave={set_hover(None)} onclick={start_edit(t)}
                        onfocusin={focus_hover(Some(t))} onfocusout={focus_hover(None)} onkeydown={key_edit(t)}>
                        <path d={d.clone()} stroke={color} stroke-width={format!("{stroke:.2}")} fill="none" />
                        <path d={d} class="link-hit" stroke="transparent" stroke-width="9" fill="none" />
                    </g>
                });
            }
        }
    }

    let mut nodes = Vec::new();
    if !planar {
        match image {
            Some((h, w)) => {
                let (x, y) = pos(0, 0);
                let first = s.data.wide.as_ref().and_then(|wd| wd.test.rows.first());
                nodes.push(html! {
                    <div class="node input-node input-block" data-testid="input-block"
                        style={format!("left:{x}px;top:{y}px;width:{size}px;height:{size}px")}
                        title={format!("{h} × {w} pixels: {} inputs, each a pixel's grey level in [0, 1]", h * w)}>
                        if let Some(row) = first {
                            <PixelCanvas pixels={crate::draw::images::grey(row, h, w)} label={format!("an input image, {h} by {w} pixels")} />
                        }
                        <span class="node-label">{ format!("{h}×{w} px") }</span>
                    </div>
                });
            }
            None => {
                for (i, name) in table_names.iter().enumerate() {
                    let (x, y) = pos(0, i);
                    nodes.push(html! {
                        <div class="node input-node input-named" data-testid={format!("input-{i}")}
                            style={format!("left:{x}px;top:{y}px;width:{size}px;height:{size}px")}
                            title={format!("{name} (standardized on the training rows)")}>
                            <span class="node-label">{ name.clone() }</span>
                        </div>
                    });
                }
            }
        }
    }
    for (i, f) in inputs.iter().enumerate().filter(|_| planar) {
        let (x, y) = pos(0, i);
        let on = c.features.contains(f);
        let raw: Vec<f64> = (0..s.grid * s.grid)
            .map(|cell| {
                let (px, py) = s.data.extent.cell(s.grid, cell / s.grid, cell % s.grid);
                // The engine's own feature value, as the network receives it.
                f64::from(f.eval(px as f32, py as f32))
            })
            .collect();
        // Scaled into [-1, 1] so every feature uses the whole colour range.
        let scale = raw.iter().fold(1e-9, |m: f64, v| m.max(v.abs()));
        let values: Vec<f64> = raw.iter().map(|v| v / scale).collect();
        let on_action = props.on_action.clone();
        let f = *f;
        nodes.push(html! {
            <button class={classes!("node", "input-node", (!on).then_some("off"))} disabled={!c.shows("features") || features_locked}
                style={format!("left:{x}px;top:{y}px;width:{size}px;height:{size}px")}
                data-testid={format!("feature-{}", f.as_str())} aria-pressed={on.to_string()}
                title={title(c, "features", format!("{} ({})", f.label(), if on { "on: click to remove" } else { "off: click to use" }))}
                onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::ToggleFeature(f)))}>
                <PixelCanvas pixels={thumbnail(&values, s.grid)} label={format!("feature {}", f.label())} />
                <span class="node-label">{ f.label() }</span>
                if features_locked { <span class="node-lock">{ padlock() }</span> }
            </button>
        });
    }
    let last = s.layers.len().saturating_sub(1);
    for (l, layer) in s.layers.iter().enumerate() {
        let col = l + 1;
        if block(col) {
            let (x, y) = pos(col, 0);
            let units = layer.b.len();
            nodes.push(html! {
                <div class="node layer-block" data-testid={format!("layer-block-{l}")}
                    style={format!("left:{x}px;top:{y}px;width:{size}px;height:{size}px")}
                    title={format!("layer {}: {units} units, too many to draw one by one", l + 1)}>
                    <span class="layer-block-count">{ units }</span>
                </div>
            });
            continue;
        }
        for n in 0..layer.b.len() {
            let (x, y) = pos(col, n);
            let values: Vec<f64> = if l < last {
                s.neurons
                    .get(l)
                    .and_then(|v| v.get(n))
                    .cloned()
                    .unwrap_or_default()
            } else {
                // Output units: probabilities become [-1, 1]; a regression value is used as is.
                // Of two softmax units the first is p(class 0), drawn so that its class's
                // colour (orange, the negative end) shows where it is likely.
                let class0_unit = s.data.classes == 2 && layer.b.len() == 2 && n == 0;
                s.output
                    .iter()
                    .map(|o| {
                        let v = o.get(n).copied().unwrap_or(0.0);
                        if class0_unit {
                            1.0 - 2.0 * v
                        } else if s.data.classes > 1 {
                            2.0 * v - 1.0
                        } else {
                            v
                        }
                    })
                    .collect()
            };
            let node = Target::Node {
                layer: l,
                neuron: n,
            };
            let bias = Target::Bias { layer: l, to: n };
            // Real data names its classes: each output unit says whose probability it is.
            let class_label = (l == last)
                .then(|| s.data.wide.as_ref())
                .flatten()
                .and_then(|w| match layer.b.len() {
                    1 => w.class_names.get(1).map(|c| format!("p({c})")),
                    _ => w.class_names.get(n).cloned(),
                });
            let what = if l == last {
                format!("output {n}")
            } else {
                format!("layer {} neuron {}", l + 1, n + 1)
            };
            nodes.push(html! {
                <div class={classes!("node", (l == last).then_some("output-node"), (size < 20.0).then_some("small"), (props.focus_layer == Some(l)).then_some("stepper-focus"))}
                    style={format!("left:{x}px;top:{y}px;width:{size}px;height:{size}px")}
                    data-testid={format!("node-{l}-{n}")}
                    onmouseenter={set_hover(Some(node))} onmouseleave={set_hover(None)}>
                    if planar {
                        <PixelCanvas pixels={thumbnail(&values, s.grid)} label={format!("{what}: output over the input plane")} />
                    }
                    if let Some(name) = class_label {
                        <span class="node-label node-label-out">{ name }</span>
                    }
                    if c.shows("weightEditing") {
                        <button class="bias" data-testid={format!("bias-{l}-{n}")} disabled={!editable} aria-label={format!("Bias of {what}")}
                            title={title(c, "weightEditing", format!("Bias of {what} (click to edit)"))}
                            onmouseenter={set_hover(Some(bias))} onclick={start_edit(bias)}><span class="bias-mark">{ "b" }</span></button>
                    }
                </div>
            });
        }
    }

    let layer_controls = guard(
        c,
        "numHiddenLayers",
        html! {
            <div class="layer-controls">
                <button class="btn btn-small" data-testid="add-layer" disabled={c.network_shape.len() >= MAX_LAYERS}
                    onclick={emit(&props.on_action, Action::AddLayer)} title={title(c, "numHiddenLayers", "Add a hidden layer")}>{ "+ layer" }</button>
                <button class="btn btn-small" data-testid="remove-layer" disabled={c.network_shape.is_empty()}
                    onclick={emit(&props.on_action, Action::RemoveLayer)} title={title(c, "numHiddenLayers", "Remove the last hidden layer")}>{ "− layer" }</button>
                <span data-testid="layer-count">{ format!("{} hidden layer{}", c.network_shape.len(), if c.network_shape.len() == 1 { "" } else { "s" }) }</span>
            </div>
        },
    );
    let neuron_controls = c.network_shape.iter().enumerate().map(|(l, &n)| {
        let (x, _) = pos(l + 1, 0);
        html! {
            <div class="neuron-controls" style={format!("left:{}px;top:0px", x - 12.0)}>
                <button class="btn btn-tiny" data-testid={format!("add-neuron-{l}")} disabled={n >= MAX_NEURONS || layers_locked}
                    title={title(c, "numHiddenLayers", format!("Add a neuron to layer {}", l + 1))} aria-label={format!("Add a neuron to layer {}", l + 1)} onclick={emit(&props.on_action, Action::AddNeuron(l))}>{ "+" }</button>
                <button class="btn btn-tiny" data-testid={format!("remove-neuron-{l}")} disabled={n <= 1 || layers_locked}
                    title={title(c, "numHiddenLayers", format!("Remove a neuron from layer {}", l + 1))} aria-label={format!("Remove a neuron from layer {}", l + 1)} onclick={emit(&props.on_action, Action::RemoveNeuron(l))}>{ "−" }</button>
            </div>
        }
    });

    // A frozen weight layer's links are dashed and its gap says so in words too.
    let frozen_tags = (0..s.layers.len()).filter(|&l| c.layer_frozen(l)).map(|l| {
        let (x1, _) = pos(l, 0);
        let (x2, _) = pos(l + 1, 0);
        html! {
            <div class="frozen-tag" data-testid={format!("frozen-{l}")} style={format!("left:{:.0}px;bottom:0px", (x1 + size + x2) / 2.0 - 22.0)}
                title="Frozen: training leaves these weights as they are">{ "frozen" }</div>
        }
    });

    let card = hover.map(
        |t| html! { <div class="hover-card" data-testid="hover-card">{ t.describe(s, c) }</div> },
    );
    let editor = editing.map(|t| {
        let close = {
            let editing = editing.clone();
            Callback::from(move |_| editing.set(None))
        };
        let on_edit = props.on_edit.clone();
        let editing2 = editing.clone();
        html! {
            <WeightEditor target={t} current={t.value(s)} title={t.title(c)}
                on_apply={Callback::from(move |v: f64| { on_edit.emit((t, v)); editing2.set(None); })}
                on_cancel={close} />
        }
    });
    html! {
        <div class="network-panel" data-testid="network">
            { layer_controls }
            <div class="diagram-scroll">
                <div class={classes!("diagram", props.focus_layer.is_some().then_some("has-stepper-focus"))} style={format!("width:{width}px;height:{height}px;margin-left:{label_room}px")}>
                    <svg class="links" width={width.to_string()} height={height.to_string()}>{ for links }</svg>
                    { for neuron_controls.filter(|_| c.shows("numHiddenLayers")) }
                    { for nodes }
                    { for frozen_tags }
                </div>
            </div>
            // The editor sits above the hover card, so a card that changes size never moves it.
            { editor.unwrap_or_default() }
            if c.shows("weightEditing") && !editable {
                <p class="hint np-lock-note" data-testid="locked-weightEditing" title={LOCKED_NOTE}>
                    { padlock() }{ " Editing weights and biases is locked by your instructor." }
                </p>
            }
            <div class="card-slot">{ card.unwrap_or_else(|| html! { <div class="hover-card muted">{
                if editable { "Hover a link, node or bias to see its value; click a link or a b to edit it." } else { "Hover a link, node or bias to see its value." }
            }</div> }) }</div>
        </div>
    }
}

fn emit(cb: &Callback<Action>, a: Action) -> Callback<MouseEvent> {
    let cb = cb.clone();
    Callback::from(move |_: MouseEvent| cb.emit(a.clone()))
}
