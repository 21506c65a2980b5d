//! The hidden-layer representation panel: every training point at its activation vector in a
//! chosen hidden layer (2-D, rotatable 3-D, or PCA of wider layers), the input grid carried
//! through the layer, the output boundary in that space, and an epoch scrubber.

use std::rc::Rc;

use serde_json::json;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::inspection::Inspection;
use super::probe::input_rows;
use crate::analysis::grid::{flatten, input_grid, split_like};
use crate::analysis::pca::Pca;
use crate::analysis::rotation::Rotation;
use crate::analysis::separator::{Boundary, Logits};
use crate::components::png_button::PngButton;
use crate::draw::hidden::{ranges, scene_2d, scene_3d, HiddenView};
use crate::draw::scene_canvas::SceneCanvas;

#[derive(Properties, PartialEq)]
pub struct HiddenPanelProps {
    pub inspection: Rc<Inspection>,
}

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 300.0;

/// Reads a `<select>`'s value from its change event.
pub fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

/// Reads an `<input>`'s value from its input event.
pub fn input_value(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|s| s.value())
}

#[function_component(HiddenPanel)]
pub fn hidden_panel(props: &HiddenPanelProps) -> Html {
    let ins = &props.inspection;
    let layer_choice = use_state(|| None::<usize>);
    let dims_choice = use_state(|| 3usize);
    let scrub = use_state(|| None::<usize>);
    let rotation = use_state(Rotation::default);
    let last_pca = use_mut_ref(|| None::<Pca>);

    let hidden = ins.hidden_layers();
    if hidden == 0 {
        return html! {
            <section class="np-panel" data-testid="panel-hidden" aria-label="Hidden layer representation">
                <h3>{ "Hidden layer representation" }</h3>
                <p class="np-note">{ "This network has no hidden layer: add one to see how it re-represents the data." }</p>
            </section>
        };
    }
    let layer = layer_choice.unwrap_or(hidden - 1).min(hidden - 1);
    let frames = &ins.frames;
    // None, or an index past the end, means "live".
    let frame = scrub.and_then(|i| frames.get(i));
    let layers = frame.map_or(&ins.net.layers, |f| &f.layers);
    let epoch = frame.map_or(ins.epoch, |f| f.epoch);
    let acts = if frame.is_some() {
        ins.forward_with(layers, &ins.train.inputs)
            .post
            .get(layer)
            .cloned()
            .unwrap_or_default()
    } else {
        ins.forward.post.get(layer).cloned().unwrap_or_default()
    };
    let units = layers[layer].b.len();
    let grid_lines = input_grid(ins.extent.0, ins.extent.1, 9, 31);
    let grid_rows = input_rows(&ins.features, &flatten(&grid_lines));
    let grid_acts = ins
        .forward_with(layers, &grid_rows)
        .post
        .get(layer)
        .cloned()
        .unwrap_or_default();
    let grid_acts = split_like(&grid_lines, &grid_acts);
    // The output layer's logits as a map of this layer's activations: only the last hidden
    // layer feeds the output directly.
    let raw_logits = if layer + 1 == hidden && ins.is_classification() {
        layers.last().and_then(|o| Logits::new(&o.w, &o.b))
    } else {
        None
    };

    let dims = if units <= 3 {
        units.max(2)
    } else {
        *dims_choice
    };
    let (coords, grid, logits, axes, explained) = if units <= 3 {
        // One unit is drawn on a line: pad a zero second coordinate.
        let pad = |v: &Vec<f64>| {
            let mut v = v.clone();
            v.resize(dims, 0.0);
            v
        };
        (
            acts.iter().map(pad).collect::<Vec<_>>(),
            grid_acts
                .iter()
                .map(|l| l.iter().map(pad).collect())
                .collect::<Vec<_>>(),
            raw_logits.as_ref().map(|l| l.padded(dims)),
            (1..=dims).map(|d| format!("h{d}")).collect::<Vec<_>>(),
            None,
        )
    } else {
        match Pca::fit(&acts, dims) {
            Some(mut pca) => {
                if let Some(prev) = last_pca.borrow().as_ref() {
                    if prev.mean.len() == pca.mean.len()
                        && prev.components.len() == pca.components.len()
                    {
                        pca.align_to(prev);
                    }
                }
                *last_pca.borrow_mut() = Some(pca.clone());
                // The boundaries' slice through the shown subspace: h = mean + C^T y.
                let logits = raw_logits
                    .as_ref()
                    .map(|l| l.in_subspace(&pca.mean, &pca.components));
                (
                    acts.iter().map(|a| pca.project(a)).collect(),
                    grid_acts
                        .iter()
                        .map(|l| l.iter().map(|a| pca.project(a)).collect())
                        .collect(),
                    logits,
                    (1..=dims).map(|d| format!("PC{d}")).collect(),
                    Some(pca.explained()),
                )
            }
            None => (Vec::new(), Vec::new(), None, Vec::new(), None),
        }
    };
    let classes: Option<Vec<usize>> = ins
        .is_classification()
        .then(|| ins.train.labels.iter().map(|&l| l as usize).collect());
    let boundaries = logits.as_ref().map(Logits::boundaries).unwrap_or_default();
    let drawn = drawn_pieces(&boundaries, &coords, dims);
    let view = HiddenView {
        coords,
        classes: classes.clone(),
        values: ins.train.labels.clone(),
        grid,
        boundaries,
        axes,
    };
    let scene = if dims == 3 {
        scene_3d(&view, *rotation, WIDTH, HEIGHT)
    } else {
        scene_2d(&view, WIDTH, HEIGHT)
    };
    // One boundary (two classes): the share of points on their class's side of it.
    let raw_boundaries = raw_logits
        .as_ref()
        .map(Logits::boundaries)
        .unwrap_or_default();
    let raw_plane = match raw_boundaries.as_slice() {
        [b] => Some(b.plane.clone()),
        _ => None,
    };
    let plane_accuracy = match (&raw_plane, &classes) {
        (Some(p), Some(c)) => Some(p.accuracy(&acts, c)),
        _ => None,
    };
    let per_class = match (&raw_logits, &classes) {
        (Some(l), Some(c)) => l.per_class(&acts, c, ins.classes),
        _ => Vec::new(),
    };
    let export = json!({
        "epoch": epoch,
        "layer": layer,
        "units": units,
        "activation": ins.net.curves.get(layer).map(|c| c.name()),
        "activations": acts,
        "labels": ins.train.labels,
        "inputs": ins.train.inputs,
        "features": ins.features.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "plane": raw_plane.as_ref().map(|p| json!({"w": p.w, "b": p.b})),
        "planeAccuracy": plane_accuracy,
        "output": raw_logits.as_ref().map(|l| json!({"w": l.w, "b": l.b})),
        "boundaries": raw_boundaries.iter().zip(&drawn).map(|(b, pieces)| json!({
            "pair": [b.pair.0, b.pair.1], "w": b.plane.w, "b": b.plane.b, "drawn": pieces,
        })).collect::<Vec<_>>(),
        "view": if explained.is_some() { "pca" } else { "units" },
        "perClass": per_class.iter().map(|&(n, right)| json!({"points": n, "correct": right})).collect::<Vec<_>>(),
    })
    .to_string();

    let on_layer = {
        let layer_choice = layer_choice.clone();
        let last_pca = last_pca.clone();
        Callback::from(move |e: Event| {
            if let Some(l) = select_value(&e).and_then(|v| v.parse().ok()) {
                *last_pca.borrow_mut() = None;
                layer_choice.set(Some(l));
            }
        })
    };
    let on_dims = {
        let dims_choice = dims_choice.clone();
        let last_pca = last_pca.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = select_value(&e).and_then(|v| v.parse().ok()) {
                *last_pca.borrow_mut() = None;
                dims_choice.set(d);
            }
        })
    };
    let live_index = frames.len();
    let on_scrub = {
        let scrub = scrub.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = input_value(&e).and_then(|v| v.parse::<usize>().ok()) {
                scrub.set((i < live_index).then_some(i));
            }
        })
    };
    let on_drag = {
        let rotation = rotation.clone();
        Callback::from(move |(dx, dy): (f64, f64)| rotation.set(rotation.dragged(dx, dy)))
    };
    let scrub_value = scrub.filter(|&i| i < live_index).unwrap_or(live_index);
    let caption = match (units, explained) {
        (u, Some(e)) => format!(
            "{u} units, projected on {dims} principal components ({:.0} % of the variance)",
            e * 100.0
        ),
        (1, None) => "1 unit: the points lie on a line.".to_string(),
        (u, None) => format!("{u} units, drawn as they are."),
    };
    let boundary_note = match (view.boundaries.len(), explained.is_some(), dims) {
        (0, _, _) => "",
        (1, false, _) => " The dark line or plane is the output's boundary between the two classes.",
        (_, false, 2) => " Each line is where two classes tie and beat every other class, edged on each side with the colour of the class that wins there.",
        (_, false, _) => " Each plane is where two classes tie and beat every other class; its label shows the two classes' colours.",
        (_, true, _) => " Boundaries are cut through the points' mean in the shown components: exact on that slice; a point off it may sit on the other side of the drawn boundary.",
    };
    let hint = if dims == 3 {
        "Drag (or focus and use the arrow keys) to rotate."
    } else {
        ""
    };
    html! {
        <section class="np-panel" data-testid="panel-hidden" aria-label="Hidden layer representation">
            <h3>{ "Hidden layer representation" }</h3>
            <PngButton panel="panel-hidden" />
            <div class="np-controls">
                <label>{ "Layer " }
                    <select data-testid="hidden-layer" onchange={on_layer} aria-label="Hidden layer to show">
                        { for (0..hidden).map(|l| html! {
                            <option value={l.to_string()} selected={l == layer}>
                                { format!("hidden {} ({} units)", l + 1, ins.net.layers[l].b.len()) }
                            </option>
                        }) }
                    </select>
                </label>
                if units > 3 {
                    <label>{ "View " }
                        <select data-testid="hidden-dims" onchange={on_dims} aria-label="Dimensions of the PCA view">
                            <option value="2" selected={dims == 2}>{ "PCA 2-D" }</option>
                            <option value="3" selected={dims == 3}>{ "PCA 3-D" }</option>
                        </select>
                    </label>
                }
                <label class="np-scrub">{ format!("Epoch {epoch} ") }
                    <input type="range" data-testid="hidden-epoch" min="0" max={live_index.to_string()}
                        value={scrub_value.to_string()} oninput={on_scrub}
                        aria-label="Scrub through recorded epochs (rightmost is live)" />
                    <span data-testid="hidden-epoch-value">{ if scrub_value == live_index { "live".to_string() } else { format!("{epoch}") } }</span>
                </label>
            </div>
            <SceneCanvas scene={scene} label={format!("Training points in hidden layer {} at epoch {epoch}", layer + 1)}
                testid={Some(AttrValue::from("hidden-canvas"))}
                on_drag={(dims == 3).then_some(on_drag)} />
            <p class="np-note">{ caption }{ " " }{ hint }{ boundary_note }
                { plane_accuracy.map(|a| format!(" The output boundary separates {:.1} % of the training points in this space.", a * 100.0)).unwrap_or_default() }
            </p>
            <pre hidden=true data-testid="hidden-activations">{ export }</pre>
        </section>
    }
}

/// The boundary pieces drawn in display coordinates, per boundary: one segment in 2-D, the
/// mesh's segments in 3-D (for the export, so tests can check what is on screen).
fn drawn_pieces(
    boundaries: &[Boundary],
    coords: &[Vec<f64>],
    dims: usize,
) -> Vec<Vec<[Vec<f64>; 2]>> {
    let r = ranges(coords, dims);
    boundaries
        .iter()
        .map(|b| match r.as_slice() {
            [x, y] => b
                .segment_in_box(*x, *y)
                .map(|[p, q]| vec![[vec![p.0, p.1], vec![q.0, q.1]]])
                .unwrap_or_default(),
            [x, y, z] => b
                .mesh_in_box(&[*x, *y, *z], 9)
                .into_iter()
                .map(|[p, q]| [p.to_vec(), q.to_vec()])
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}
