//! Fetches a shipped dataset's file for the host (`Host::take_data_request`), off the loop, and
//! reports its progress as the bytes arrive: MNIST is 55 MB, and a student should see it come.
//! The student's own file is read the same way from the browser's storage (`own_store`), where
//! the page put it. Runs the same in the worker and on the page: `fetch` and `caches` are the
//! global scope's either way, and the file's address is relative to the site, where the
//! worker's script sits too.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::drive::Inbox;
use super::own_store;
use crate::config::Dataset;
use crate::session::host::DataArrival;
use crate::session::own;
use np_engine::data::table::{ReadOptions, TableReader};

/// Bytes between two progress reports: about fifty reports for MNIST, one for the small files.
const REPORT_EVERY: u64 = 1 << 20;

/// Starts fetching `dataset`'s file; what happens arrives in `inbox`.
pub fn fetch_dataset(dataset: Dataset, inbox: Rc<Inbox>) {
    wasm_bindgen_futures::spawn_local(async move {
        let got = match dataset {
            Dataset::Own => own_file(&inbox).await,
            _ => fetch_bytes(dataset, &inbox)
                .await
                .map(|bytes| DataArrival::Loaded {
                    dataset,
                    name: dataset.file().unwrap_or_default(),
                    bytes,
                }),
        };
        inbox.push_data(got.unwrap_or_else(|why| DataArrival::Failed { dataset, why }));
    });
}

/// The student's stored file, read into a table part by part as it streams from storage: a
/// 100 MB file is never held whole beside its table, and the progress shown is the reading's.
async fn own_file(inbox: &Inbox) -> Result<DataArrival, String> {
    let response = own_store::stored().await?.ok_or(
        "Your CSV file is no longer kept in this browser (it was forgotten, or the browser \
         cleared its storage): choose it again under \"Your own data\".",
    )?;
    let name = own_store::name_of(&response);
    let total = response
        .headers()
        .get(own_store::SIZE_HEADER)
        .ok()
        .flatten()
        .and_then(|t| t.parse::<u64>().ok());
    let retry = "choose the file again";
    let options = ReadOptions::default();
    let mut reader = match total {
        Some(size) => TableReader::for_file(size, options),
        None => Ok(TableReader::new(options)),
    }
    .map_err(|e| own::unusable(&name, &e))?;
    read_body(response, total, Dataset::Own, &name, retry, inbox, |part| {
        reader
            .feed(part)
            .map(|_| ())
            .map_err(|e| own::unusable(&name, &e))
    })
    .await?;
    let table = reader.finish().map_err(|e| own::unusable(&name, &e))?;
    Ok(DataArrival::OwnTable {
        name,
        table: Box::new(table),
    })
}

/// A JavaScript error's message (or the value itself, as text).
pub(super) fn text_of(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

async fn fetch_bytes(dataset: Dataset, inbox: &Inbox) -> Result<Vec<u8>, String> {
    let url = dataset.file().unwrap_or_default();
    let retry = "check the connection to the site, then press play to try again";
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser cannot fetch files here")?;
    let response = fetch
        .call1(&global, &url.clone().into())
        .map_err(|e| text_of(&e))?;
    let response: web_sys::Response = JsFuture::from(Promise::from(response))
        .await
        .map_err(|e| format!("`{url}` could not be fetched ({}): {retry}", text_of(&e)))?
        .dyn_into()
        .map_err(|_| format!("`{url}`: the answer was not a response"))?;
    if !response.ok() {
        let hint = if dataset == Dataset::Mnist {
            "MNIST is not committed: scripts/setup.sh builds it into assets/data before the site is built"
        } else {
            "the site was built without its data folder"
        };
        return Err(format!(
            "The site answered {} for `{url}`: {hint}.",
            response.status()
        ));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|t| t.parse::<u64>().ok());
    let mut bytes = Vec::with_capacity(total.unwrap_or(0).min(1 << 30) as usize);
    read_body(response, total, dataset, &url, retry, inbox, |part| {
        bytes.extend_from_slice(part);
        Ok(())
    })
    .await?;
    Ok(bytes)
}

/// Reads `response`'s body in parts into `take`, telling `inbox` how far it got; stops at the
/// first part `take` refuses, with its reason.
async fn read_body(
    response: web_sys::Response,
    total: Option<u64>,
    dataset: Dataset,
    url: &str,
    retry: &str,
    inbox: &Inbox,
    mut take: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let body = response
        .body()
        .ok_or_else(|| format!("`{url}` came with no body: {retry}"))?;
    let reader = body.get_reader();
    let read: Function = Reflect::get(&reader, &"read".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser cannot read a response in parts")?;
    let mut part = Vec::new();
    let mut loaded = 0u64;
    let mut reported = 0u64;
    loop {
        let chunk = read.call0(&reader).map_err(|e| text_of(&e))?;
        let chunk = JsFuture::from(Promise::from(chunk)).await.map_err(|e| {
            format!(
                "`{url}` broke off after {loaded} bytes ({}): {retry}",
                text_of(&e)
            )
        })?;
        let done = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        if let Ok(value) = Reflect::get(&chunk, &"value".into()) {
            let array: Uint8Array = value.unchecked_into();
            part.resize(array.length() as usize, 0);
            array.copy_to(&mut part);
            take(&part)?;
            loaded += part.len() as u64;
        }
        if loaded - reported >= REPORT_EVERY {
            reported = loaded;
            inbox.push_data(DataArrival::Progress {
                dataset,
                loaded,
                total,
            });
        }
    }
    inbox.push_data(DataArrival::Progress {
        dataset,
        loaded,
        total,
    });
    Ok(())
}
