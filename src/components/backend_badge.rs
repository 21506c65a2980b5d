//! Shows which compute backend the page uses: "webgpu: <adapter>" or "cpu: <reason>".

use yew::prelude::*;

use crate::gpu_probe::GpuProbe;

/// The text the badge shows for a probe result; kept pure so it can be tested natively.
pub fn describe(probe: &GpuProbe) -> String {
    match probe {
        GpuProbe::Available(adapter) => format!("webgpu: {adapter}"),
        GpuProbe::Unavailable(reason) => format!("cpu: {reason}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct BackendBadgeProps {
    /// The backend training runs on ("webgpu: <adapter>" or "cpu: <reason>"); `None` while the
    /// app is still opening it.
    pub label: Option<String>,
    /// What the adapter probe found (`describe`), shown whatever backend trains.
    pub adapter: Option<String>,
}

/// The badge shows the backend in use, not merely the one available: the automatic rule may
/// train a tiny network on the CPU although an adapter exists, and the probe says which.
#[function_component(BackendBadge)]
pub fn backend_badge(props: &BackendBadgeProps) -> Html {
    let (label, state) = match &props.label {
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
    let adapter = props
        .adapter
        .clone()
        .unwrap_or_else(|| "probing…".to_string());
    html! {
        <span class={classes!("backend-badge", state)} title={format!("Compute backend in use. Adapter probe: {adapter}")}>
            <span class="backend-label">{ "backend " }</span>
            <output data-testid="backend">{ label }</output>
            <output data-testid="webgpu-adapter" hidden=true>{ adapter }</output>
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
