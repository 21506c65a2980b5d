//! The instructor's panel (`data-testid="classroom"`): every control and panel of
//! `config::controls::CONTROLS`, grouped by area, with a "hide" and a "lock" checkbox each. The
//! choices are Config fields (`<name>_hide=true`, `<name>_lock=true`), so they land in the URL
//! as they change; the panel shows that link and an `<iframe>` snippet to copy into a course
//! page.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::help::Help;
use crate::config::controls::{areas, CONTROLS};
use crate::config::{hash, Config};
use crate::state::Action;

/// The page without its hash: what the link and the snippet point at.
fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((page, _)) => page.to_string(),
        None => href,
    }
}

/// The link that opens this experiment with these choices.
pub fn link(page: &str, c: &Config) -> String {
    format!("{page}#{}", hash::print(c))
}

/// The snippet for a course page: the link with `embed=true` (the page without header and
/// gallery), as an iframe. `&` is written `&amp;`, as HTML attributes want it.
pub fn iframe_snippet(page: &str, c: &Config) -> String {
    let src = format!("{}&embed=true", link(page, c)).replace('&', "&amp;");
    format!(
        "<iframe src=\"{src}\" title=\"Neural Playground\" width=\"100%\" height=\"900\" \
         style=\"border:0\" loading=\"lazy\"></iframe>"
    )
}

/// Puts `text` on the clipboard; `false` when the browser refuses (no permission, not a secure
/// page), in which case the caller selects the text for a manual copy.
async fn copy(text: String) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined());
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &JsValue::from_str("writeText"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .map(|f| (c.clone(), f))
    });
    let Some((clipboard, write)) = write else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(&text)) {
        Ok(promise) => match promise.dyn_into::<js_sys::Promise>() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    }
}

/// Selects the text of the field `data-testid=testid`, for copying by hand.
fn select_field(testid: &str) {
    let field = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{testid}\"]"))
            .ok()
            .flatten()
    });
    if let Some(f) = field.and_then(|f| f.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
        f.select();
    }
}

#[derive(Properties, PartialEq)]
pub struct ClassroomProps {
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
    pub on_close: Callback<()>,
}

#[function_component(Classroom)]
pub fn classroom(props: &ClassroomProps) -> Html {
    let c = &props.config;
    // What the last copy did, for the status line.
    let copied = use_state(|| None::<String>);
    let page = page_address();
    let (url, snippet) = (link(&page, c), iframe_snippet(&page, c));
    let copy_button = |testid: &'static str,
                       field: &'static str,
                       what: &'static str,
                       text: String| {
        let copied = copied.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if copy(text).await {
                    copied.set(Some(format!("Copied the {what}.")));
                } else {
                    select_field(field);
                    copied.set(Some(format!(
                        "The browser did not allow copying; the {what} is selected: press Ctrl+C (⌘C)."
                    )));
                }
            });
        });
        html! { <button type="button" class="btn btn-small" data-testid={testid} {onclick}>{ format!("Copy {what}") }</button> }
    };
    let checkbox = |name: &'static str, label: &'static str, kind: &'static str, on: bool| {
        let on_action = props.on_action.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let checked = el.checked();
                on_action.emit(if kind == "hide" {
                    Action::SetHidden(name.to_string(), checked)
                } else {
                    Action::SetLocked(name.to_string(), checked)
                });
            }
        });
        html! {
            <input type="checkbox" data-testid={format!("classroom-{kind}-{name}")} checked={on}
                aria-label={format!("{kind} {label}")} {onchange} />
        }
    };
    let clear = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::ShowAndUnlockAll))
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    html! {
        <section class="classroom" data-testid="classroom" aria-label="Classroom" onkeydown={on_key}>
            <div class="classroom-head">
                <h2>{ "Classroom: what your students can see and change" }</h2>
                <Help name="classroom" />
                <button type="button" class="btn btn-small" data-testid="classroom-close" onclick={close}>{ "Close" }</button>
            </div>
            <p class="classroom-note">
                { "Hide removes a control from the page. Lock keeps it on screen with a padlock, but nobody can change it (its keyboard key does nothing either). Every choice is written into the link below as you tick it." }
            </p>
            <div class="classroom-share">
                <label class="field">
                    <span class="field-label">{ "Link to this experiment" }</span>
                    <textarea readonly=true rows="3" data-testid="classroom-link" value={url.clone()} />
                </label>
                { copy_button("classroom-copy-link", "classroom-link", "link", url) }
                <label class="field">
                    <span class="field-label">{ "Embed in a course page (iframe)" }</span>
                    <textarea readonly=true rows="4" data-testid="classroom-iframe" value={snippet.clone()} />
                </label>
                { copy_button("classroom-copy-iframe", "classroom-iframe", "snippet", snippet) }
                <p class="classroom-copied" role="status" data-testid="classroom-copied">{ (*copied).clone().unwrap_or_default() }</p>
            </div>
            <div class="classroom-tables">
                { for areas().into_iter().map(|area| html! {
                    <table class="np-table classroom-table">
                        <caption>{ area }</caption>
                        <thead><tr><th scope="col">{ "Control" }</th><th scope="col">{ "Hide" }</th><th scope="col">{ "Lock" }</th></tr></thead>
                        <tbody>
                            { for CONTROLS.iter().filter(|k| k.area == area).map(|k| html! {
                                <tr data-testid={format!("classroom-row-{}", k.name)}>
                                    <th scope="row">{ k.label }<code class="classroom-name">{ k.name }</code></th>
                                    <td>{ checkbox(k.name, k.label, "hide", !c.shows(k.name)) }</td>
                                    <td>{ if k.lockable { checkbox(k.name, k.label, "lock", c.locks(k.name)) } else { html! { "—" } } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }) }
            </div>
            <button type="button" class="btn" data-testid="classroom-clear" onclick={clear}>{ "Show and unlock everything" }</button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_embeds_the_link_with_embed_on() {
        let (c, notices) = hash::parse("learningRate_lock=true&noise_hide=true&networkShape=3");
        assert_eq!(notices, vec![]);
        let page = "https://course.example/ml/playground/index.html";
        let url = link(page, &c);
        assert!(url.starts_with("https://course.example/ml/playground/index.html#"));
        assert!(url.contains("learningRate_lock=true") && url.contains("noise_hide=true"));
        // The link opens the same experiment.
        assert_eq!(hash::parse(&url).0, c);
        let snippet = iframe_snippet(page, &c);
        assert!(snippet.starts_with("<iframe src=\""), "{snippet}");
        assert!(!snippet.contains("&n"), "ampersands are escaped: {snippet}");
        let src = snippet.replace("&amp;", "&");
        assert!(src.contains(&format!("{url}&embed=true\"")), "{src}");
    }
}
