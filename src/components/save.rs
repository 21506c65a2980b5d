//! The save area: download the run as a file, open a saved one (or drop it on the page), start
//! over; and a line saying what this browser keeps. The app does the work (`crate::save`); this
//! draws the buttons and reads the chosen file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

use crate::save::MAX_BYTES;

#[derive(Properties, PartialEq)]
pub struct SaveAreaProps {
    /// What this browser keeps of the run (`data-testid="save-status"`).
    pub status: String,
    /// Why the last download or upload was refused.
    pub error: Option<String>,
    pub on_download: Callback<()>,
    /// A file's text, or why it could not be read.
    pub on_file: Callback<Result<String, String>>,
    pub on_start_over: Callback<()>,
    /// Locked by the instructor (`saveArea_lock=true`): shown, not usable.
    #[prop_or_default]
    pub locked: bool,
}

/// Reads `file` as text and hands it on. A file larger than any save is refused unread (a
/// dropped 2 GB file would otherwise be read whole into the page).
pub fn read_file(file: File, done: Callback<Result<String, String>>) {
    let size = file.size();
    if size > MAX_BYTES as f64 {
        done.emit(Err(format!(
            "\"{}\" is {:.1} MB; a saved run of this page is at most {} MB. Choose a file saved by \
             the \"Download run\" button.",
            file.name(),
            size / 1e6,
            MAX_BYTES >> 20
        )));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let text = JsFuture::from(file.text()).await;
        done.emit(match text.ok().and_then(|t| t.as_string()) {
            Some(t) => Ok(t),
            None => Err(format!(
                "\"{}\" could not be read as text; choose a file saved by the \"Download run\" \
                 button.",
                file.name()
            )),
        });
    });
}

#[function_component(SaveArea)]
pub fn save_area(props: &SaveAreaProps) -> Html {
    let on_download = props.on_download.reform(|_: MouseEvent| ());
    let on_start_over = props.on_start_over.reform(|_: MouseEvent| ());
    let on_file = props.on_file.clone();
    let on_change = Callback::from(move |e: Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file, on_file.clone());
        }
        // The same file can be chosen again after a refusal.
        input.set_value("");
    });
    let buttons = html! {
        <div class="export-row">
            <button type="button" class="btn" data-testid="save-download" onclick={on_download}
                title="Download the whole run (settings, weights, optimizer state, history) as a file">
                { "Download run" }
            </button>
            <label class="btn file-button" data-testid="save-open"
                title="Continue a run from a file saved here, on any machine">
                { "Open a saved run…" }
                <input type="file" accept=".json,application/json" data-testid="save-file-input"
                    class="visually-hidden" onchange={on_change} />
            </label>
            <button type="button" class="btn" data-testid="save-start-over" onclick={on_start_over}
                title="Forget the run this browser keeps for this experiment and start from fresh weights">
                { "Start over" }
            </button>
        </div>
    };
    html! {
        <section class="area area-save" data-testid="area-save" aria-label="Save">
            <h2>{ "Save" }<super::help::Help name="save" /></h2>
            { if props.locked { super::guard::locked("saveArea", buttons) } else { buttons } }
            <p class="save-status" role="status" data-testid="save-status">{ props.status.clone() }</p>
            { for props.error.iter().map(|why| html! {
                <p class="alert alert-notice" role="alert" data-testid="save-error">{ why.clone() }</p>
            }) }
            <p class="export-note">
                { "This browser keeps each experiment's run as it trains, so a reload or a visit \
                   tomorrow continues where you stopped. A downloaded run opens on any machine, \
                   and training goes on from it exactly as if it had never stopped. You can also \
                   drop a saved file anywhere on the page." }
            </p>
        </section>
    }
}
