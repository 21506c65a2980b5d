//! Where the student's own CSV file is kept: the browser's Cache Storage, under an address of
//! this site that is never requested from the network. The page stores the file when it is
//! chosen ([`store`]); the host's loop (in the worker, or on the page in the fallback mode)
//! reads it back as a `Response` ([`stored`]) whenever a session needs it, after a reload too;
//! [`forget`] removes it. Cache Storage rather than localStorage: it holds files of hundreds of
//! megabytes, and a worker can read it.
//!
//! Everything is reached through the global scope (`caches`), which the window and the worker
//! both have, in secure contexts (https, localhost).

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The cache's name.
const CACHE: &str = "neural-playground-own-data";
/// The address the file is kept under (relative to the site; nothing is served there).
const KEY: &str = "own-data/current.csv";
/// Headers of the stored response: the file's name (URI-encoded) and its size.
pub const NAME_HEADER: &str = "x-np-file-name";
pub const SIZE_HEADER: &str = "x-np-file-bytes";

use super::fetch::text_of;

fn method(target: &JsValue, name: &str) -> Result<Function, String> {
    Reflect::get(target, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("this browser's storage has no `{name}`"))
}

async fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f = method(target, name)?;
    let array: js_sys::Array = args.iter().collect();
    let promise = f.apply(target, &array).map_err(|e| text_of(&e))?;
    JsFuture::from(Promise::from(promise))
        .await
        .map_err(|e| text_of(&e))
}

fn caches() -> Result<JsValue, String> {
    Reflect::get(&js_sys::global(), &"caches".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .ok_or_else(|| {
            "this page cannot keep files in the browser here (it needs https or localhost)"
                .to_string()
        })
}

async fn cache() -> Result<JsValue, String> {
    call(&caches()?, "open", &[CACHE.into()]).await
}

/// Keeps `file` as the student's data, replacing any earlier one.
pub async fn store(file: &web_sys::File) -> Result<(), String> {
    let headers = web_sys::Headers::new().map_err(|e| text_of(&e))?;
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    headers
        .set(NAME_HEADER, &name)
        .and_then(|()| headers.set(SIZE_HEADER, &(file.size() as u64).to_string()))
        .and_then(|()| headers.set("content-type", "text/csv"))
        .map_err(|e| text_of(&e))?;
    let init = web_sys::ResponseInit::new();
    Reflect::set(&init, &"headers".into(), &headers).map_err(|e| text_of(&e))?;
    let response = web_sys::Response::new_with_opt_blob_and_init(Some(file), &init)
        .map_err(|e| text_of(&e))?;
    call(&cache().await?, "put", &[KEY.into(), response.into()])
        .await
        .map_err(|e| format!("your file could not be kept in this browser ({e}): free some space or use a smaller file"))?;
    Ok(())
}

/// The stored file, if there is one.
pub async fn stored() -> Result<Option<web_sys::Response>, String> {
    let found = call(&cache().await?, "match", &[KEY.into()]).await?;
    if found.is_undefined() || found.is_null() {
        return Ok(None);
    }
    found
        .dyn_into()
        .map(Some)
        .map_err(|_| "the browser's stored copy of your file is not a file".to_string())
}

/// The stored file's name, from its response.
pub fn name_of(response: &web_sys::Response) -> String {
    response
        .headers()
        .get(NAME_HEADER)
        .ok()
        .flatten()
        .and_then(|n| js_sys::decode_uri_component(&n).ok())
        .map(String::from)
        .unwrap_or_else(|| "your file".to_string())
}

/// Removes the stored file (the student's "forget my file").
pub async fn forget() -> Result<(), String> {
    let options = Object::new();
    call(&cache().await?, "delete", &[KEY.into(), options.into()])
        .await
        .map(|_| ())
}
