//! Labelled form fields shared by the panels: every control gets a visible label, an id tying
//! the two, and a `data-testid`.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A labelled `<select>`; `options` are (value, text) pairs. A current value missing from the
/// options is added, so a hash value off the usual list still shows.
pub fn select(
    testid: &'static str,
    label: &str,
    options: Vec<(String, String)>,
    selected: &str,
    on_change: Callback<String>,
) -> Html {
    select_with_unavailable(testid, label, options, selected, on_change, &[])
}

/// A [`select`] whose options in `unavailable` (value, reason) are shown but cannot be picked:
/// the reason is the option's text and tooltip, so a student sees why rather than picking it
/// and being refused.
pub fn select_with_unavailable(
    testid: &'static str,
    label: &str,
    options: Vec<(String, String)>,
    selected: &str,
    on_change: Callback<String>,
    unavailable: &[(&str, &str)],
) -> Html {
    let mut options = options;
    if !options.iter().any(|(v, _)| v == selected) {
        options.push((selected.to_string(), selected.to_string()));
    }
    let onchange = Callback::from(move |e: Event| {
        if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            on_change.emit(el.value());
        }
    });
    let id = format!("field-{testid}");
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ label }</span>
            <select id={id} data-testid={testid} {onchange}>
                { for options.into_iter().map(|(v, t)| {
                    match unavailable.iter().find(|(u, _)| *u == v) {
                        Some((_, why)) => html! {
                            <option value={v.clone()} disabled=true title={why.to_string()}>
                                { format!("{t} ({why})") }
                            </option>
                        },
                        None => html! {
                            <option value={v.clone()} selected={v == selected}>{ t }</option>
                        },
                    }
                }) }
            </select>
        </label>
    }
}

/// A labelled range slider reporting on release (one history entry per change).
pub fn slider(
    testid: &'static str,
    label: &str,
    range: (f64, f64, f64),
    value: f64,
    shown: String,
    on_change: Callback<f64>,
) -> Html {
    slider_with(testid, label, range, value, shown, on_change, None)
}

/// A slider that is shown but off, with the reason beside it (`data-testid="<testid>-unused"`).
pub fn slider_off(
    testid: &'static str,
    label: &str,
    range: (f64, f64, f64),
    value: f64,
    shown: String,
    reason: &str,
) -> Html {
    slider_with(
        testid,
        label,
        range,
        value,
        shown,
        Callback::noop(),
        Some(reason),
    )
}

fn slider_with(
    testid: &'static str,
    label: &str,
    (min, max, step): (f64, f64, f64),
    value: f64,
    shown: String,
    on_change: Callback<f64>,
    off_because: Option<&str>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            if let Ok(v) = el.value().parse::<f64>() {
                on_change.emit(v);
            }
        }
    });
    let id = format!("field-{testid}");
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ label }{ ": " }<output class="field-value">{ shown }</output></span>
            <input id={id} type="range" data-testid={testid} min={min.to_string()} max={max.to_string()}
                step={step.to_string()} value={value.to_string()} disabled={off_because.is_some()} {onchange} />
            { for off_because.map(|why| html! {
                <span class="hint" data-testid={format!("{testid}-unused")}>{ why }</span>
            }) }
        </label>
    }
}

/// A labelled checkbox.
pub fn checkbox(
    testid: &'static str,
    label: &str,
    checked: bool,
    on_change: Callback<bool>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            on_change.emit(el.checked());
        }
    });
    let id = format!("field-{testid}");
    html! {
        <label class="field field-check" for={id.clone()}>
            <input id={id} type="checkbox" data-testid={testid} {checked} {onchange} />
            <span class="field-label">{ label }</span>
        </label>
    }
}

/// Options for a named enum.
pub fn enum_options<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (name(v).to_string(), name(v).to_string()))
        .collect()
}
