//! Saving a file from the page: a Blob (text, or a canvas's PNG) behind an `<a download>` that
//! is clicked once. Nothing leaves the browser; the page's CSP allows `blob:` URLs.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

fn click_link(href: &str, file: &str) -> Result<(), JsValue> {
    let document = gloo::utils::document();
    let a: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(file);
    a.set_attribute("hidden", "")?;
    let body = gloo::utils::body();
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
}

/// Offers `blob` as a download named `file`.
fn save_blob(file: &str, blob: &Blob) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let clicked = click_link(&url, file);
    // The download has started from the click; the URL is let go a moment later.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked
}

/// Offers `text` as a download named `file`.
pub fn save_text(file: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    save_blob(
        file,
        &Blob::new_with_str_sequence_and_options(&parts, &options)?,
    )
}

/// Offers a canvas's picture as a PNG download named `file` (`toBlob` encodes it off the
/// page's thread and calls back).
pub fn save_canvas(canvas: &HtmlCanvasElement, file: &str) -> Result<(), JsValue> {
    let file = file.to_string();
    let done = Closure::once_into_js(move |blob: Option<Blob>| {
        let saved = blob
            .ok_or_else(|| JsValue::from_str("the canvas gave no picture"))
            .and_then(|b| save_blob(&file, &b));
        if let Err(e) = saved {
            web_sys::console::warn_1(&e);
        }
    });
    canvas.to_blob(done.unchecked_ref())
}

/// Offers every canvas inside the element whose `data-testid` is `panel` as PNG downloads,
/// named `neural-playground-<name>.png` (`-1`, `-2`, ... when there are several). Returns how
/// many were saved.
pub fn save_panel_canvases(panel: &str, name: &str) -> Result<usize, JsValue> {
    let found =
        gloo::utils::document().query_selector_all(&format!("[data-testid=\"{panel}\"] canvas"))?;
    let n = found.length();
    for i in 0..n {
        let Some(canvas) = found
            .item(i)
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let file = if n == 1 {
            format!("neural-playground-{name}.png")
        } else {
            format!("neural-playground-{name}-{}.png", i + 1)
        };
        save_canvas(&canvas, &file)?;
    }
    Ok(n as usize)
}
