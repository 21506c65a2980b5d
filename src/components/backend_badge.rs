//! Shows which compute backend the page uses: "webgpu: <adapter>" or "cpu: <reason>".

use yew::prelude::*;

/// The text the badge shows for a probe result; kept pure so it can be tested natively.
pub fn describe(result: &Result<np_wgpu::AdapterSummary, np_wgpu::ProbeError>) -> String {
    match result {
        Ok(adapter) => format!("webgpu: {}", adapter.name),
        Err(err) => format!("cpu: {err}"),
    }
}

#[function_component(BackendBadge)]
pub fn backend_badge() -> Html {
    let text = use_state(|| None::<String>);
    {
        let text = text.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = probe_browser().await;
                text.set(Some(describe(&result)));
            });
        });
    }
    let (label, state) = match &*text {
        Some(t) => (t.clone(), if t.starts_with("webgpu") { "gpu" } else { "cpu" }),
        None => ("probing…".to_string(), "probing"),
    };
    html! {
        <span class={classes!("backend-badge", state)} title="Compute backend in use">
            <span class="backend-label">{ "backend " }</span>
            <output data-testid="backend">{ label }</output>
        </span>
    }
}

/// Browsers without `navigator.gpu` get a clear reason instead of wgpu's generic error.
async fn probe_browser() -> Result<np_wgpu::AdapterSummary, np_wgpu::ProbeError> {
    let has_gpu = web_sys::window()
        .map(|w| {
            let navigator = w.navigator();
            js_sys::Reflect::get(&navigator, &"gpu".into())
                .map(|v| !v.is_undefined() && !v.is_null())
                .unwrap_or(false)
        })
        .unwrap_or(false);
    if !has_gpu {
        return Err(np_wgpu::ProbeError::NoAdapter(
            "this browser does not expose WebGPU".to_string(),
        ));
    }
    np_wgpu::probe().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_both_outcomes() {
        let gpu = Ok(np_wgpu::AdapterSummary {
            name: "SwiftShader".into(),
            backend: "webgpu".into(),
            is_software: true,
        });
        assert_eq!(describe(&gpu), "webgpu: SwiftShader");
        let cpu = Err(np_wgpu::ProbeError::NoAdapter("none".into()));
        assert_eq!(describe(&cpu), "cpu: no GPU adapter (none)");
    }
}
