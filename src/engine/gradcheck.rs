//! The gradient check in the page (`data-testid="gradient-check"`): the host nudges every
//! parameter (a seeded sample in large networks) and compares the change in the loss with the
//! gradient backpropagation found; this draws the table, worst first, and says what it means.

use np_engine::train::GradCheck;
use yew::prelude::*;

use super::matrix::short;
use super::{Answer, EngineAsk};

/// Rows of the table shown (the worst ones; the rest are summarised).
const SHOWN: usize = 40;
/// Elements checked at most; beyond, a seeded sample.
pub const CHECK_LIMIT: u32 = 3000;

#[derive(Properties, PartialEq)]
pub struct GradCheckProps {
    pub result: Option<Answer<Result<GradCheck, String>>>,
    /// Asked and not yet answered.
    pub busy: bool,
    pub on_ask: Callback<EngineAsk>,
}

fn e(v: f64) -> String {
    if v.is_nan() {
        "not a number".into()
    } else {
        format!("{v:.2e}")
    }
}

/// What the result means, in a sentence or two.
pub fn verdict(c: &GradCheck) -> String {
    let kinks = c.entries.iter().filter(|e| e.kink).count();
    let smooth_max = c
        .entries
        .iter()
        .filter(|e| !e.kink)
        .map(|e| e.relative_error)
        .fold(0.0, f64::max);
    let sampled = if c.checked < c.total {
        format!(
            " ({} of the {} parameters, a random sample)",
            c.checked, c.total
        )
    } else {
        format!(" (all {} parameters)", c.total)
    };
    let kink_note = if kinks > 0 {
        format!(" {kinks} element{} straddle a kink (ReLU, or the L1 penalty at zero), where the loss has no single slope: the difference there is one-sided, so a larger error on them is expected and says nothing about backpropagation.", if kinks == 1 { "" } else { "s" })
    } else {
        String::new()
    };
    if c.max_relative_error.is_nan() {
        return "Some losses are not finite numbers: the run has diverged. Reset it and check again.".into();
    }
    let body = if smooth_max < 1e-4 {
        format!("Backpropagation agrees with the finite differences{sampled}: the largest relative error is {}, the size of 32-bit rounding. The gradients are right.", e(smooth_max))
    } else if smooth_max < 1e-2 {
        format!("Backpropagation agrees with the finite differences{sampled} to within {}. The engine computes in 32-bit floats, so the loss itself is exact only to about 7 digits and small gradients measure less precisely; an error in an op's backward pass would show errors near 1.", e(smooth_max))
    } else {
        format!("Some gradients disagree with the finite differences{sampled}: the largest relative error is {}. Errors this large mean a gradient is wrong (or the loss is very curved within the step).", e(smooth_max))
    };
    body + &kink_note
}

#[function_component(GradientCheck)]
pub fn gradient_check(props: &GradCheckProps) -> Html {
    let run = {
        let on_ask = props.on_ask.clone();
        Callback::from(move |_| on_ask.emit(EngineAsk::Check))
    };
    let body = match props.result.as_deref() {
        None => {
            html! { <p class="np-note">{ "Nudge every weight and bias by a small step both ways, measure how the loss changes, and compare with the gradient backpropagation computed." }</p> }
        }
        Some(Err(why)) => {
            html! { <p class="np-note np-error" data-testid="gradient-check-error">{ why.clone() }</p> }
        }
        Some(Ok(c)) => html! {
            <>
            <p class="gradient-check-summary">{ "Largest relative error: " }
                <output data-testid="gradient-check-max" data-value={c.max_relative_error.to_string()}>{ e(c.max_relative_error) }</output>
                { format!(" over {} element{} of a batch of {} row{}, step {}", c.checked, if c.checked == 1 { "" } else { "s" }, c.rows, if c.rows == 1 { "" } else { "s" }, c.step) }
            </p>
            <p data-testid="gradient-check-verdict">{ verdict(c) }</p>
            <table class="np-table gradient-check-table" data-testid="gradient-check-table">
                <caption>{ format!("Worst first{}", if c.entries.len() > SHOWN { format!(" (the {SHOWN} worst of {})", c.entries.len()) } else { String::new() }) }</caption>
                <thead><tr><th scope="col">{ "parameter" }</th><th scope="col">{ "numerical" }</th><th scope="col">{ "analytic" }</th><th scope="col">{ "relative error" }</th></tr></thead>
                <tbody>
                { for c.entries.iter().take(SHOWN).map(|g| html! {
                    <tr class={classes!(g.kink.then_some("kink"))}>
                        <th scope="row">{ format!("{}[{}]", g.param, g.index.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")) }{ if g.kink { " (kink)" } else { "" } }</th>
                        <td>{ short(g.numerical as f32) }</td>
                        <td>{ short(g.analytic as f32) }</td>
                        <td data-value={g.relative_error.to_string()}>{ e(g.relative_error) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </>
        },
    };
    html! {
        <div class="gradient-check" data-testid="gradient-check">
            <button type="button" class="btn" data-testid="gradient-check-run" onclick={run} disabled={props.busy}>
                { if props.busy { "Checking…" } else { "Check the gradients" } }
            </button>
            { body }
        </div>
    }
}
