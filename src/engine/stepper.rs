//! The backprop stepper (`data-testid="backprop-stepper"`): one training step of the engine,
//! explained phase by phase with its formula and the engine's own numbers. The host explains
//! the step without taking it; "Take this step" then takes exactly that step.

use std::rc::Rc;

use np_engine::backend::UpdateRule;
use np_engine::train::{StepExplanation, StepPick};
use yew::prelude::*;

use super::matrix::Matrix;
use super::phases::{phases, Phase, PhaseKind};
use super::{Answer, EngineAsk};
use crate::components::graph_view::GraphView;
use crate::protocol::EngineView;

#[derive(Properties, PartialEq)]
pub struct StepperProps {
    /// The last explanation the host sent for the stepper (or why there is none).
    pub explained: Option<Answer<Result<StepExplanation, String>>>,
    /// Rows of the training split (the sample picker's range).
    pub train_rows: usize,
    pub on_ask: Callback<EngineAsk>,
    /// The weight layer (0-based) the current phase is about, for the network diagram; `None`
    /// when no phase is shown or it is about every layer (the update).
    pub on_focus: Callback<Option<usize>>,
}

/// A formula in MathML (chromium draws it natively; no fonts or scripts).
fn math(body: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(format!(
        "<math display=\"block\">{body}</math>"
    )))
}

fn sub(name: &str, index: impl std::fmt::Display) -> String {
    format!("<msub><mi>{name}</mi><mn>{index}</mn></msub>")
}

fn activation_words(f: &str) -> &str {
    match f {
        "identity" => "the identity (the output unit is applied inside the loss)",
        "tanh" => "tanh",
        "sigmoid" => "the sigmoid",
        "relu" => "ReLU",
        _ => f,
    }
}

/// The formula and a sentence for a phase.
fn explain(phase: &Phase, e: &StepExplanation) -> (Html, String) {
    match phase.kind {
        PhaseKind::Forward { layer, .. } => {
            let input = if layer == 1 {
                "<mi>X</mi>".to_string()
            } else {
                sub("A", layer - 1)
            };
            let f = &e.layers[layer - 1].activation;
            (
                math(&format!(
                    "{z}<mo>=</mo>{input}{w}<mo>+</mo>{b}<mspace width=\"1em\"/>{a}<mo>=</mo><mi>f</mi><mo>(</mo>{z}<mo>)</mo>",
                    z = sub("Z", layer),
                    w = sub("W", layer),
                    b = sub("b", layer),
                    a = sub("A", layer),
                )),
                format!(
                    "Each row is one sample, so the layer multiplies the rows by W (the course writes W X with one column per sample: the same numbers, transposed). Here f is {}.",
                    activation_words(f)
                ),
            )
        }
        PhaseKind::Loss => (
            math("<mi>L</mi><mo>=</mo><mfrac><mn>1</mn><mi>m</mi></mfrac><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>m</mi></munderover><mi>ℓ</mi><mo>(</mo><msub><mover><mi>y</mi><mo>^</mo></mover><mi>i</mi></msub><mo>,</mo><msub><mi>y</mi><mi>i</mi></msub><mo>)</mo><mo>+</mo><mtext>penalty</mtext>"),
            format!(
                "The loss averages over the m = {} row{} of the step; an L1 or L2 penalty on the weights is added to it.",
                e.rows.len(),
                if e.rows.len() == 1 { "" } else { "s" }
            ),
        ),
        PhaseKind::Backward { layer, .. } if layer == e.layers.len() => (
            math(&format!(
                "{dz}<mo>=</mo><mfrac><mn>1</mn><mi>m</mi></mfrac><mo>(</mo><mover><mi>Y</mi><mo>^</mo></mover><mo>−</mo><mi>Y</mi><mo>)</mo><mspace width=\"1em\"/>{dw}<mo>=</mo><msup>{a}<mi>T</mi></msup>{dz}<mspace width=\"1em\"/>{db}<mo>=</mo><munder><mo>∑</mo><mtext>rows</mtext></munder>{dz}",
                dz = sub("dZ", layer),
                dw = sub("dW", layer),
                db = sub("db", layer),
                a = if layer == 1 { "<mi>X</mi>".into() } else { sub("A", layer - 1) },
            )),
            "For cross-entropy on a sigmoid or softmax output (and for squared error on a linear one) the output's delta is the prediction minus the target; the 1/m of the mean is carried in dZ, so the sums below need no 1/m of their own.".into(),
        ),
        PhaseKind::Backward { layer, first } => {
            let prev = if first {
                String::new()
            } else {
                format!(
                    "<mspace width=\"1em\"/>{da}<mo>=</mo>{dz}<msup>{w}<mi>T</mi></msup>",
                    da = sub("dA", layer - 1),
                    dz = sub("dZ", layer),
                    w = sub("W", layer)
                )
            };
            (
                math(&format!(
                    "{dz}<mo>=</mo>{da}<mo>⊙</mo><mi>f</mi><mo>′</mo><mo>(</mo>{z}<mo>)</mo><mspace width=\"1em\"/>{dw}<mo>=</mo><msup>{a}<mi>T</mi></msup>{dz}<mspace width=\"1em\"/>{db}<mo>=</mo><munder><mo>∑</mo><mtext>rows</mtext></munder>{dz}{prev}",
                    dz = sub("dZ", layer),
                    da = sub("dA", layer),
                    z = sub("Z", layer),
                    dw = sub("dW", layer),
                    db = sub("db", layer),
                    a = if layer == 1 { "<mi>X</mi>".into() } else { sub("A", layer - 1) },
                )),
                format!(
                    "The gradient arriving at this layer's output is multiplied element by element by the slope of {} at Z{layer}.{}",
                    activation_words(&e.layers[layer - 1].activation),
                    if first { " This is the first layer: the gradient stops at the data." } else { " dA is what the layer before receives." }
                ),
            )
        }
        PhaseKind::Update => update_formula(&e.optimizer_after.rule),
    }
}

fn update_formula(rule: &UpdateRule) -> (Html, String) {
    let p = "<mi>p</mi><mo>←</mo><mi>p</mi><mo>−</mo><mi>η</mi>";
    match *rule {
        UpdateRule::Sgd { lr, momentum: 0.0, .. } => (
            math(&format!("{p}<mi>dp</mi>")),
            format!("Plain gradient descent with learning rate η = {lr}: every weight and bias takes a step against its gradient."),
        ),
        UpdateRule::Sgd { lr, momentum, nesterov } => (
            math(&format!("<mi>v</mi><mo>←</mo><mi>μ</mi><mi>v</mi><mo>+</mo><mi>dp</mi><mspace width=\"1em\"/>{p}<mi>v</mi>")),
            format!("Momentum (μ = {momentum}, η = {lr}{}): the velocity v remembers past gradients, so steps grow along a steady direction.", if nesterov { ", Nesterov's look-ahead" } else { "" }),
        ),
        UpdateRule::AdaGrad { lr, eps, .. } => (
            math(&format!("<mi>s</mi><mo>←</mo><mi>s</mi><mo>+</mo><msup><mi>dp</mi><mn>2</mn></msup><mspace width=\"1em\"/>{p}<mfrac><mi>dp</mi><mrow><msqrt><mi>s</mi></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac>")),
            format!("AdaGrad (η = {lr}, ε = {eps}): s sums squared gradients, so often-moved parameters take ever smaller steps."),
        ),
        UpdateRule::RmsProp { lr, alpha, eps } => (
            math(&format!("<mi>v</mi><mo>←</mo><mi>ρ</mi><mi>v</mi><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>ρ</mi><mo>)</mo><msup><mi>dp</mi><mn>2</mn></msup><mspace width=\"1em\"/>{p}<mfrac><mi>dp</mi><mrow><msqrt><mi>v</mi></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac>")),
            format!("RMSprop (ρ = {alpha}, η = {lr}, ε = {eps}): v is a running average of squared gradients."),
        ),
        UpdateRule::Adam { lr, beta1, beta2, eps } => (
            math(&format!("<mi>m</mi><mo>←</mo><msub><mi>β</mi><mn>1</mn></msub><mi>m</mi><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><msub><mi>β</mi><mn>1</mn></msub><mo>)</mo><mi>dp</mi><mspace width=\"1em\"/><mi>v</mi><mo>←</mo><msub><mi>β</mi><mn>2</mn></msub><mi>v</mi><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><msub><mi>β</mi><mn>2</mn></msub><mo>)</mo><msup><mi>dp</mi><mn>2</mn></msup><mspace width=\"1em\"/>{p}<mfrac><mover><mi>m</mi><mo>^</mo></mover><mrow><msqrt><mover><mi>v</mi><mo>^</mo></mover></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac>")),
            format!("Adam (η = {lr}, β1 = {beta1}, β2 = {beta2}, ε = {eps}): m and v are running averages of the gradient and its square, corrected for their start at zero (the hats)."),
        ),
    }
}

#[function_component(Stepper)]
pub fn stepper(props: &StepperProps) -> Html {
    let phase = use_state(|| 0usize);
    let one_row = use_state(|| false);
    let row = use_state(|| 0u32);
    let taken = use_state(|| false);
    let key = props.explained.as_ref().map(Answer::key);
    let model = use_memo(key, {
        let explained = props.explained.clone();
        move |_| match explained.as_deref() {
            Some(Ok(e)) => Some(phases(e)),
            _ => None,
        }
    });
    // The trace the graph draws, shared once per explanation rather than copied per render.
    let trace = use_memo(key, {
        let explained = props.explained.clone();
        move |_| match explained.as_deref() {
            Some(Ok(e)) => Some(Rc::new(e.trace.clone())),
            _ => None,
        }
    });
    {
        // A new explanation starts at its first phase.
        let (phase, taken) = (phase.clone(), taken.clone());
        use_effect_with(key, move |_| {
            phase.set(0);
            taken.set(false);
        });
    }
    {
        // The diagram follows the phase; closing the stepper clears it.
        let focus = model.as_ref().as_ref().and_then(|m| {
            m.get((*phase).min(m.len().saturating_sub(1)))
                .and_then(|p| match p.kind {
                    PhaseKind::Forward { layer, .. } | PhaseKind::Backward { layer, .. } => {
                        Some(layer - 1)
                    }
                    PhaseKind::Loss => m
                        .iter()
                        .filter(|p| matches!(p.kind, PhaseKind::Forward { .. }))
                        .count()
                        .checked_sub(1),
                    PhaseKind::Update => None,
                })
        });
        let on_focus = props.on_focus.clone();
        use_effect_with(focus, move |&focus| {
            on_focus.emit(focus);
            let on_focus = on_focus.clone();
            move || on_focus.emit(None)
        });
    }
    let pick = if *one_row {
        StepPick::Row { row: *row }
    } else {
        StepPick::NextBatch
    };
    let explain_now = {
        let on_ask = props.on_ask.clone();
        Callback::from(move |_| on_ask.emit(EngineAsk::Explain(pick, EngineView::Stepper)))
    };
    let count = model.as_ref().as_ref().map_or(0, |m| m.len());
    let at = (*phase).min(count.saturating_sub(1));
    let go = |to: usize| {
        let phase = phase.clone();
        Callback::from(move |_: MouseEvent| phase.set(to))
    };
    let onkeydown = {
        let phase = phase.clone();
        Callback::from(move |e: KeyboardEvent| {
            if count == 0 {
                return;
            }
            let to = match e.key().as_str() {
                "ArrowRight" | "PageDown" => (at + 1).min(count - 1),
                "ArrowLeft" | "PageUp" => at.saturating_sub(1),
                "End" => count - 1,
                "Home" => 0,
                _ => return,
            };
            e.prevent_default();
            phase.set(to);
        })
    };
    let take = {
        let (on_ask, taken) = (props.on_ask.clone(), taken.clone());
        let pick = match props.explained.as_deref() {
            Some(Ok(e)) => e.pick,
            _ => pick,
        };
        Callback::from(move |_| {
            taken.set(true);
            on_ask.emit(EngineAsk::Take(pick));
        })
    };
    let picker = {
        let on_mode = {
            let one_row = one_row.clone();
            Callback::from(move |e: Event| {
                let v = e
                    .target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value();
                one_row.set(v == "row");
            })
        };
        let on_row = {
            let row = row.clone();
            let max = props.train_rows.saturating_sub(1) as u32;
            Callback::from(move |e: Event| {
                let v = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value();
                if let Ok(n) = v.trim().parse::<u32>() {
                    row.set(n.min(max));
                }
            })
        };
        html! {
            <div class="stepper-pick">
                <label>{ "Explain " }
                    <select data-testid="stepper-pick" onchange={on_mode} aria-label="which rows the explained step trains on">
                        <option value="batch" selected={!*one_row}>{ "the next mini-batch" }</option>
                        <option value="row" selected={*one_row}>{ "one training sample" }</option>
                    </select>
                </label>
                if *one_row {
                    <label>{ " number " }
                        <input type="number" data-testid="stepper-row" min="0" max={props.train_rows.saturating_sub(1).to_string()}
                            value={row.to_string()} onchange={on_row} aria-label="training sample number" />
                    </label>
                }
                <button type="button" class="btn" data-testid="stepper-explain" onclick={explain_now}>{ "Explain the step" }</button>
            </div>
        }
    };
    let body = match (props.explained.as_deref(), model.as_ref()) {
        (None, _) => {
            html! { <p class="np-note">{ "Explain the next step to walk through it: forward layer by layer, the loss, backward, and the update, with the engine's own numbers." }</p> }
        }
        (Some(Err(why)), _) => {
            html! { <p class="np-note np-error" data-testid="stepper-error">{ why.clone() }</p> }
        }
        (Some(Ok(e)), Some(model)) if !model.is_empty() => {
            let p = &model[at];
            let (formula, words) = explain(p, e);
            let highlight = Rc::new(p.nodes.clone());
            html! {
                <>
                <div class="stepper-nav" role="group" aria-label="phases">
                    <button type="button" class="btn btn-small" data-testid="stepper-prev" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ "◀ Previous" }</button>
                    <span data-testid="stepper-phase" data-phase={at.to_string()} aria-live="polite">{ format!("{} ({} of {count})", p.title, at + 1) }</span>
                    <button type="button" class="btn btn-small" data-testid="stepper-next" disabled={at + 1 >= count} onclick={go((at + 1).min(count - 1))}>{ "Next ▶" }</button>
                    <button type="button" class="btn btn-small" data-testid="stepper-end" disabled={at + 1 >= count} onclick={go(count - 1)}>{ "To the end" }</button>
                </div>
                <p class="np-note">{ format!("Rows of this step: {}", e.rows.iter().take(12).map(|r| r.to_string()).collect::<Vec<_>>().join(", ")) }{ if e.rows.len() > 12 { ", …" } else { "" } }</p>
                <div class="stepper-formula" data-testid="stepper-formula">{ formula }</div>
                <p class="stepper-words">{ words }</p>
                <div class="stepper-values">
                    { for p.shown.iter().map(|s| html! { <Matrix label={s.label.clone()} id={s.id.clone()} dims={s.dims.clone()} values={s.values.clone()} /> }) }
                </div>
                if p.kind == PhaseKind::Update {
                    if *taken {
                        <p class="np-note" data-testid="stepper-taken">{ "Step taken: the network now holds the values above. Explain the next step to go on." }</p>
                    } else {
                        <button type="button" class="btn button-primary" data-testid="stepper-take" onclick={take}>{ "Take this step" }</button>
                    }
                }
                <details class="stepper-graph">
                    <summary>{ "Where this phase sits in the step's graph" }</summary>
                    if let Some(trace) = (*trace).clone() {
                        <GraphView {trace} {highlight} />
                    }
                </details>
                </>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="backprop-stepper" data-testid="backprop-stepper" tabindex="0" {onkeydown}
            aria-label="Backprop step by step: arrow keys move between phases">
            { picker }
            { body }
        </div>
    }
}
