//! PLACEHOLDER until the sandbox branch's layered graph drawing is merged: the nodes as a list.

use std::rc::Rc;

use np_engine::autodiff::GraphTrace;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    pub trace: Rc<GraphTrace>,
    #[prop_or_default]
    pub highlight: Rc<Vec<usize>>,
    #[prop_or_default]
    pub collapsed: Rc<Vec<String>>,
}

#[function_component(GraphView)]
pub fn graph_view(props: &GraphViewProps) -> Html {
    html! {
        <ol class="graph-view">
            { for props.trace.nodes.iter().enumerate().map(|(i, n)| html! {
                <li data-testid={format!("graph-node-{i}")} class={classes!(props.highlight.contains(&i).then_some("highlight"))}
                    data-value={n.value.first().map(|v| f64::from(*v).to_string())}>
                    { format!("{}{} {:?}", n.scope, n.label(), n.dims) }
                </li>
            }) }
        </ol>
    }
}
