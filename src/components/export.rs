//! The export area: buttons that download the experiment as a Keras 3 script, a PyTorch
//! script, the data and the metrics history (the files come from `crate::export`).

use std::rc::Rc;

use yew::prelude::*;

use super::download::save_text;
use crate::config::Config;
use crate::export::Download;
use crate::session::Snapshot;

#[derive(Properties, PartialEq)]
pub struct ExportAreaProps {
    pub config: Rc<Config>,
    pub snapshot: Rc<Snapshot>,
}

#[function_component(ExportArea)]
pub fn export_area(props: &ExportAreaProps) -> Html {
    let refused = use_state(|| None::<String>);
    let button = |d: Download| {
        let (config, snapshot, refused) = (
            props.config.clone(),
            props.snapshot.clone(),
            refused.clone(),
        );
        // The file is written on the click, from the snapshot shown at that moment.
        let onclick = Callback::from(move |_: MouseEvent| match d.text(&config, &snapshot) {
            Ok(text) => {
                refused.set(None);
                if let Err(e) = save_text(d.file(), d.mime(), &text) {
                    web_sys::console::warn_1(&e);
                }
            }
            Err(why) => refused.set(Some(why.to_string())),
        });
        html! {
            <button type="button" class="btn" data-testid={d.testid()} title={d.file()} {onclick}>
                { d.label() }
            </button>
        }
    };
    html! {
        <section class="area area-export" data-testid="area-export" aria-label="Export">
            <h2>{ "Export" }<super::help::Help name="export" /></h2>
            // Locked, the buttons are; the help beside the heading still opens.
            { super::guard::guard(&props.config, "exportArea", html! {
                <div class="export-row">
                    { for Download::ALL.into_iter().map(button) }
                </div>
            }) }
            { for refused.iter().map(|why| html! {
                <p class="alert alert-notice" role="status" data-testid="export-refused">{ why.clone() }</p>
            }) }
            <p class="export-note">
                { "Take this experiment with you. Each script rebuilds this network, loads the \
                   weights trained here and checks that its predictions match this page, then \
                   trains a fresh copy with the same settings. Save the data file in the same \
                   folder as the script. Each panel's PNG button saves its picture." }
            </p>
        </section>
    }
}
