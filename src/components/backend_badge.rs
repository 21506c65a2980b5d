//! Shows which compute backend the page uses: "webgpu: <adapter>" or "cpu: <reason>".

use yew::prelude::*;

use crate::adapter_check::AdapterCheck;

/// The text the badge shows for an adapter check; kept pure so it can be tested natively.
pub fn describe(adapter: &AdapterCheck) -> String {
    match adapter {
        AdapterCheck::Available(name) => format!("webgpu: {name}"),
        AdapterCheck::Unavailable(reason) => format!("cpu: {reason}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct BackendBadgeProps {
    /// The backend training runs on ("webgpu: <adapter>" or "cpu: <reason>"); `None` while the
    /// app is still opening it.
    pub label: Option<String>,
    /// What the adapter check found (`describe`), shown whatever backend trains.
    pub adapter: Option<String>,
    /// Where training runs: "worker", or "page: <why not in a worker>".
    pub mode: String,
    pub in_worker: bool,
}

/// The badge shows the backend in use, not merely the one available: the automatic rule may
/// train a tiny network on the CPU although an adapter exists, and the adapter check says which.
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
        <span class={classes!("backend-badge", state)} title={format!("Compute backend in use. Adapter check: {adapter}")}>
            <span class="backend-label">{ "backend " }</span>
            <output data-testid="backend">{ label }</output>
            <output data-testid="webgpu-adapter" hidden=true>{ adapter }</output>
            <span class={classes!("run-mode", (!props.in_worker).then_some("on-page"))}
                title={if props.in_worker { "Training runs in a background worker: the page stays smooth".to_string() }
                    else { format!("Training runs on the page itself ({})", props.mode) }}>
                <output data-testid="run-mode">{ if props.in_worker { "worker".to_string() } else { props.mode.clone() } }</output>
            </span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_both_outcomes() {
        let gpu = AdapterCheck::Available("google swiftshader, software fallback".into());
        assert_eq!(
            describe(&gpu),
            "webgpu: google swiftshader, software fallback"
        );
        let cpu = AdapterCheck::Unavailable("this browser does not expose WebGPU".into());
        assert_eq!(describe(&cpu), "cpu: this browser does not expose WebGPU");
    }
}
