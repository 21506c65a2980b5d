//! Shows which compute backend the page uses: "webgpu: <adapter>" or "cpu: <reason>".

use yew::prelude::*;

use crate::gpu_probe::{probe_webgpu, GpuProbe};

/// The text the badge shows for a probe result; kept pure so it can be tested natively.
pub fn describe(probe: &GpuProbe) -> String {
    match probe {
        GpuProbe::Available(adapter) => format!("webgpu: {adapter}"),
        GpuProbe::Unavailable(reason) => format!("cpu: {reason}"),
    }
}

#[function_component(BackendBadge)]
pub fn backend_badge() -> Html {
    let text = use_state(|| None::<String>);
    {
        let text = text.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                text.set(Some(describe(&probe_webgpu().await)));
            });
        });
    }
    let (label, state) = match &*text {
        Some(t) => (
            t.clone(),
            if t.starts_with("webgpu") {
                "gpu"
            } else {
                "cpu"
            },
        ),
        None => ("probing…".to_string(), "probing"),
    };
    html! {
        <span class={classes!("backend-badge", state)} title="Compute backend in use">
            <span class="backend-label">{ "backend " }</span>
            <output data-testid="backend">{ label }</output>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_both_outcomes() {
        let gpu = GpuProbe::Available("google swiftshader, software fallback".into());
        assert_eq!(
            describe(&gpu),
            "webgpu: google swiftshader, software fallback"
        );
        let cpu = GpuProbe::Unavailable("this browser does not expose WebGPU".into());
        assert_eq!(describe(&cpu), "cpu: this browser does not expose WebGPU");
    }
}
