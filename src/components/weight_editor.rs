//! What the diagram can point at (a weight, a bias, a neuron), its hover text, and the small
//! form that edits a weight or bias.

use yew::prelude::*;

use super::output::number;
use crate::config::Config;
use crate::session::Snapshot;

/// A parameter or neuron of the network. `layer` counts weight layers: 0 feeds the first hidden
/// layer from the inputs, the last feeds the output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    Weight {
        layer: usize,
        to: usize,
        from: usize,
    },
    Bias {
        layer: usize,
        to: usize,
    },
    Node {
        layer: usize,
        neuron: usize,
    },
}

impl Target {
    /// The current value, read from the snapshot (so hover values never go stale).
    pub fn value(self, s: &Snapshot) -> f64 {
        match self {
            Target::Weight { layer, to, from } => s
                .layers
                .get(layer)
                .and_then(|l| l.w.get(to))
                .and_then(|r| r.get(from))
                .copied()
                .unwrap_or(f64::NAN),
            Target::Bias { layer, to } | Target::Node { layer, neuron: to } => s
                .layers
                .get(layer)
                .and_then(|l| l.b.get(to))
                .copied()
                .unwrap_or(f64::NAN),
        }
    }

    fn unit(layer: usize, n: usize, s: &Snapshot) -> String {
        if layer + 1 == s.layers.len() {
            if s.layers[layer].b.len() > 1 {
                format!("output {}", n + 1)
            } else {
                "the output".to_string()
            }
        } else {
            format!("layer {} neuron {}", layer + 1, n + 1)
        }
    }

    fn source(layer: usize, from: usize, s: &Snapshot) -> String {
        if layer == 0 {
            let named = s
                .data
                .wide
                .as_ref()
                .and_then(|w| w.names.get(from).cloned());
            s.features
                .get(from)
                .map(|f| f.label().to_string())
                .or(named)
                .unwrap_or_else(|| "input".to_string())
        } else {
            format!("layer {} neuron {}", layer, from + 1)
        }
    }

    /// A one-line name.
    pub fn title(self, _c: &Config) -> String {
        match self {
            Target::Weight { layer, to, from } => format!("weight {layer}:{from}→{to}"),
            Target::Bias { layer, to } => format!("bias {layer}:{to}"),
            Target::Node { layer, neuron } => format!("neuron {layer}:{neuron}"),
        }
    }

    /// The hover card's content.
    pub fn describe(self, s: &Snapshot, c: &Config) -> Html {
        let v = number(Some(self.value(s)));
        match self {
            Target::Weight { layer, to, from } => html! { <>
                <strong>{ "Weight " }</strong>{ format!("{} → {}", Target::source(layer, from, s), Target::unit(layer, to, s)) }
                { ": " }<output data-testid="hover-value">{ v }</output>
            </> },
            Target::Bias { layer, to } => html! { <>
                <strong>{ "Bias " }</strong>{ format!("of {}", Target::unit(layer, to, s)) }
                { ": " }<output data-testid="hover-value">{ v }</output>
            </> },
            Target::Node { layer, neuron } => {
                let act = if layer + 1 == s.layers.len() {
                    match s.data.classes {
                        1 => "linear".to_string(),
                        2 => "sigmoid".to_string(),
                        _ => "softmax".to_string(),
                    }
                } else {
                    c.layer_activation(layer).to_string()
                };
                html! { <>
                    <strong>{ Target::unit(layer, neuron, s) }</strong>
                    { format!(" ({act}), bias ") }<output data-testid="hover-value">{ v }</output>
                    { format!(", {} incoming weights", s.layers.get(layer).and_then(|l| l.w.get(neuron)).map_or(0, Vec::len)) }
                </> }
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct WeightEditorProps {
    pub target: Target,
    pub current: f64,
    pub title: String,
    pub on_apply: Callback<f64>,
    pub on_cancel: Callback<()>,
}

#[function_component(WeightEditor)]
pub fn weight_editor(props: &WeightEditorProps) -> Html {
    let input = use_node_ref();
    let error = use_state(|| None::<String>);
    let apply = {
        let input = input.clone();
        let on_apply = props.on_apply.clone();
        let error = error.clone();
        move || {
            let text = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => on_apply.emit(v),
                _ => error.set(Some(format!("`{text}` is not a number"))),
            }
        }
    };
    let onsubmit = {
        let apply = apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            apply();
        })
    };
    let onkeydown = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cancel.emit(());
            }
        })
    };
    {
        // The starting text is set once per target, not as a `value` attribute: Yew would put the
        // attribute back on every re-render (a hover elsewhere), wiping what the user typed.
        let input = input.clone();
        let current = props.current;
        use_effect_with(props.target, move |_| {
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                i.set_value(&format!("{current:.4}"));
                let _ = i.focus();
                i.select();
            }
        });
    }
    let cancel = {
        let cb = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <form class="weight-editor" data-testid="weight-editor" {onsubmit} {onkeydown}>
            <label for="weight-input">{ format!("New value for {}", props.title) }</label>
            <input id="weight-input" ref={input} data-testid="weight-input" type="text" inputmode="decimal" />
            <button type="submit" class="btn" data-testid="weight-apply">{ "Apply" }</button>
            <button type="button" class="btn" data-testid="weight-cancel" onclick={cancel}>{ "Cancel" }</button>
            { error.as_ref().map(|e| html! { <span class="error">{ e }</span> }).unwrap_or_default() }
        </form>
    }
}
