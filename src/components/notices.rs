//! Notices about the URL hash (what was wrong, what is used instead), the divergence alert and
//! the early stop.

use yew::prelude::*;

use crate::config::Notice;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    pub diverged: Option<String>,
    /// Why early stopping ended the run: news, not an error.
    #[prop_or_default]
    pub stopped_early: Option<String>,
    pub on_dismiss: Callback<()>,
}

#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let dismiss = {
        let cb = props.on_dismiss.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <>
            { props.diverged.as_ref().map(|m| html! {
                <div class="alert alert-error" role="alert" data-testid="diverged">
                    <strong>{ "Training stopped. " }</strong>{ m }
                </div>
            }).unwrap_or_default() }
            { props.stopped_early.as_ref().map(|m| html! {
                <div class="alert alert-notice" role="status" data-testid="early-stopped">{ m }</div>
            }).unwrap_or_default() }
            { if props.notices.is_empty() { html! {} } else { html! {
                <div class="alert alert-notice" role="status" data-testid="notices">
                    <strong>{ "Some settings in the link could not be used:" }</strong>
                    <ul>
                        { for props.notices.iter().map(|n| html! {
                            <li data-testid="notice" data-key={n.key.clone()}><code>{ &n.key }</code>{ ": " }{ &n.message }</li>
                        }) }
                    </ul>
                    <button class="btn btn-small" data-testid="dismiss-notices" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            } } }
        </>
    }
}
