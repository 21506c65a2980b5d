//! Per-layer choices: each hidden layer's activation and every weight layer's initialization,
//! and, for two classes, one sigmoid or two softmax output units. They set up the course's
//! comparisons (sigmoid against ReLU in depth; naive, Glorot and He starts; the 2-3-2 softmax
//! circles network) layer by layer, through the reducer's actions.

use std::rc::Rc;

use yew::prelude::*;

use super::hidden::select_value;
use crate::components::guard::guard;
use crate::config::{Activation, Config, Init, Problem, TwoClassOutput};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct LayerChoicesProps {
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
}

/// A `<select>` (test id, accessible label) over `options` that emits `action(choice)`.
fn picker<T: Copy + PartialEq + 'static>(
    (testid, label): (String, String),
    options: &'static [T],
    name: fn(T) -> &'static str,
    current: T,
    parse: fn(&str) -> Option<T>,
    action: impl Fn(T) -> Action + 'static,
    on_action: &Callback<Action>,
) -> Html {
    let on_action = on_action.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(v) = select_value(&e).as_deref().and_then(parse) {
            on_action.emit(action(v));
        }
    });
    html! {
        <select data-testid={testid} aria-label={label} {onchange}>
            { for options.iter().map(|&o| html! {
                <option value={name(o)} selected={o == current}>{ name(o) }</option>
            }) }
        </select>
    }
}

/// The "freeze" box of weight layer `l` (`what` names it): frozen layers keep their weights.
fn freeze_box(c: &Config, l: usize, what: &str, on_action: &Callback<Action>) -> Html {
    let fixed_by_steps = l == 0 && c.steps_apply();
    let onchange = {
        let on_action = on_action.clone();
        Callback::from(move |_: Event| on_action.emit(Action::ToggleFreeze(l)))
    };
    let title = if fixed_by_steps {
        "Fixed by the course's step construction (turn it off in the function-approximation view)"
            .to_string()
    } else {
        format!("Freeze the {what}: training leaves its weights and biases as they are")
    };
    guard(
        c,
        "freeze",
        html! {
            <label class="np-freeze" {title}>
                <input type="checkbox" data-testid={format!("layer-freeze-{l}")} checked={c.layer_frozen(l)}
                    disabled={fixed_by_steps} aria-label={format!("Freeze the {what}")} {onchange} />
                { "freeze" }
            </label>
        },
    )
}

#[function_component(LayerChoices)]
pub fn layer_choices(props: &LayerChoicesProps) -> Html {
    let c = &props.config;
    let hidden = c.network_shape.len();
    let init_picker = |l: usize, what: &str| {
        picker(
            (
                format!("layer-init-{l}"),
                format!("Initialization of the {what}"),
            ),
            Init::ALL,
            Init::as_str,
            c.layer_init(l),
            Init::parse,
            move |i| Action::SetLayerInit(l, i),
            &props.on_action,
        )
    };
    let two_classes = c.problem == Problem::Classification && c.active_dataset().classes() == 2;
    let output_units = match (c.problem, two_classes, c.two_class_output) {
        (Problem::Regression, ..) => "1 linear unit".to_string(),
        (_, true, TwoClassOutput::Sigmoid) => "1 sigmoid unit".to_string(),
        (_, true, TwoClassOutput::Softmax) => "2 softmax units".to_string(),
        _ => format!("{} softmax units", c.active_dataset().classes()),
    };
    html! {
        <fieldset class="np-layer-choices" data-testid="layer-choices">
            <legend>{ "Per layer: activation, initialization, freeze" }</legend>
            { for (0..hidden).map(|l| {
                let what = format!("hidden layer {}", l + 1);
                html! {
                    <span class="np-layer-choice">
                        <span class="np-layer-name">{ format!("hidden {}", l + 1) }</span>
                        { guard(c, "activation", picker(
                            (format!("layer-activation-{l}"), format!("Activation of {what}")),
                            Activation::ALL,
                            Activation::as_str,
                            c.layer_activation(l),
                            Activation::parse,
                            move |a| Action::SetLayerActivation(l, a),
                            &props.on_action,
                        )) }
                        { guard(c, "init", init_picker(l, &what)) }
                        { freeze_box(c, l, &what, &props.on_action) }
                    </span>
                }
            }) }
            <span class="np-layer-choice">
                <span class="np-layer-name">{ "output" }</span>
                if two_classes {
                    { guard(c, "twoClassOutput", picker(
                        ("two-class-output".into(), "Output units for two classes".into()),
                        TwoClassOutput::ALL,
                        TwoClassOutput::as_str,
                        c.two_class_output,
                        TwoClassOutput::parse,
                        Action::SetTwoClassOutput,
                        &props.on_action,
                    )) }
                }
                { guard(c, "init", init_picker(hidden, "output layer")) }
                { freeze_box(c, hidden, "output layer", &props.on_action) }
                <span class="np-layer-units" data-testid="output-units">{ output_units }</span>
            </span>
        </fieldset>
    }
}
