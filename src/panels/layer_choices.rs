//! Per-hidden-layer activation pickers, so the course's comparisons (sigmoid against ReLU in
//! depth) can be set up layer by layer. They dispatch the reducer's existing actions.

use yew::prelude::*;

use super::hidden::select_value;
use crate::config::{Activation, Config};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct LayerChoicesProps {
    pub config: Config,
    pub on_action: Callback<Action>,
}

#[function_component(LayerChoices)]
pub fn layer_choices(props: &LayerChoicesProps) -> Html {
    let c = &props.config;
    if c.network_shape.is_empty() {
        return html! {};
    }
    html! {
        <fieldset class="np-layer-choices" data-testid="layer-choices">
            <legend>{ "Activation per hidden layer" }</legend>
            { for (0..c.network_shape.len()).map(|l| {
                let on_action = props.on_action.clone();
                let onchange = Callback::from(move |e: Event| {
                    if let Some(a) = select_value(&e).as_deref().and_then(Activation::parse) {
                        on_action.emit(Action::SetLayerActivation(l, a));
                    }
                });
                let current = c.layer_activation(l);
                html! {
                    <label>{ format!("hidden {} ", l + 1) }
                        <select data-testid={format!("layer-activation-{l}")} {onchange}
                            aria-label={format!("Activation of hidden layer {}", l + 1)}>
                            { for Activation::ALL.iter().map(|a| html! {
                                <option value={a.as_str()} selected={*a == current}>{ a.as_str() }</option>
                            }) }
                        </select>
                    </label>
                }
            }) }
        </fieldset>
    }
}
