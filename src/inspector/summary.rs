//! The Keras-style model summary table: layer, output shape, parameters, and the totals.

use std::rc::Rc;

use yew::prelude::*;

use super::inspection::Inspection;
use crate::analysis::summary::{summarize, thousands};
use crate::config::Config;

#[derive(Properties, PartialEq)]
pub struct SummaryPanelProps {
    pub inspection: Rc<Inspection>,
    pub config: Rc<Config>,
}

#[function_component(SummaryPanel)]
pub fn summary_panel(props: &SummaryPanelProps) -> Html {
    let net = &props.inspection.net;
    let widths = net.widths();
    let names: Vec<&str> = net
        .curves
        .iter()
        .map(|c| c.name())
        .chain(std::iter::once(net.output.name()))
        .collect();
    let frozen: Vec<(bool, bool)> = crate::session::frozen_tensors(&props.config)
        .iter()
        .map(|f| (f.kernel, f.bias))
        .collect();
    let s = summarize(&widths, &names, &frozen);
    html! {
        <section class="np-panel" data-testid="panel-summary" aria-label="Model summary">
            <h3>{ "Model summary" }</h3>
            <table class="np-table np-summary" data-testid="summary-table">
                <thead><tr><th>{ "Layer (type)" }</th><th>{ "Activation" }</th><th>{ "Output shape" }</th><th>{ "Param #" }</th></tr></thead>
                <tbody>
                    <tr><td>{ "input (InputLayer)" }</td><td></td><td>{ format!("(None, {})", widths.first().copied().unwrap_or(0)) }</td><td>{ "0" }</td></tr>
                    { for s.rows.iter().enumerate().map(|(i, r)| html! {
                        <tr data-testid={format!("summary-row-{i}")}>
                            <td>{ format!("{} ({})", r.name, r.kind) }</td>
                            <td>{ r.activation.clone() }</td>
                            <td>{ r.output_shape.clone() }</td>
                            <td data-testid={format!("summary-params-{i}")}>{ r.params }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr><th colspan="3">{ "Total params" }</th><td data-testid="summary-total">{ s.total }</td></tr>
                    <tr><th colspan="3">{ "Trainable params" }</th><td data-testid="summary-trainable">{ s.trainable }</td></tr>
                    <tr><th colspan="3">{ "Non-trainable params" }</th><td data-testid="summary-non-trainable">{ s.non_trainable }</td></tr>
                </tfoot>
            </table>
            <p class="np-note">{ format!("{} parameters: each dense layer has a weight per input-unit pair plus a bias per unit.", thousands(s.total)) }</p>
        </section>
    }
}
