//! Says in the header what trains the network, in a student's words ("Training on your CPU:
//! this browser offers no WebGPU"), with the technical detail one click away: the backend in use
//! ("webgpu: <adapter>" or "cpu: <reason>"), what the adapter check found, and where training runs.

use yew::prelude::*;

use crate::adapter_check::AdapterCheck;

/// The text the badge shows for an adapter check; kept pure so it can be tested natively.
pub fn describe(adapter: &AdapterCheck) -> String {
    match adapter {
        AdapterCheck::Available(name) => format!("webgpu: {name}"),
        AdapterCheck::Unavailable(reason) => format!("cpu: {reason}"),
    }
}

/// The badge's sentence for a student, from the backend in use (`label`, "webgpu: …" or
/// "cpu: <reason>", `None` while opening) and the adapter check (`describe`'s text). The
/// reasons are the ones `np_wgpu::choose` and the app write; any other CPU reason means the
/// GPU was there but could not be opened.
pub fn plain_words(label: Option<&str>, adapter: Option<&str>) -> String {
    let Some(label) = label else {
        return "Getting ready to train…".to_string();
    };
    if label.starts_with("webgpu") {
        return "Training on your GPU (WebGPU)".to_string();
    }
    let why = if label.contains("device was lost") {
        "the GPU stopped working, so training moved here and carries on with the same weights"
    } else if label == "cpu: chosen" {
        "the Backend setting asks for it"
    } else if label.contains("too small") {
        "this network is too small to gain from the GPU"
    } else if label.contains("software adapter") {
        "this browser's WebGPU runs in software, slower than the CPU"
    } else if adapter.is_none_or(|a| a.starts_with("cpu")) {
        "this browser offers no WebGPU"
    } else {
        "the GPU could not be started"
    };
    format!("Training on your CPU: {why}")
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
/// The e2e specs read the technical outputs (`backend`, `webgpu-adapter`, `run-mode`), which
/// keep their text inside the closed disclosure.
#[function_component(BackendBadge)]
pub fn backend_badge(props: &BackendBadgeProps) -> Html {
    let state = match props.label.as_deref() {
        Some(t) if t.starts_with("webgpu") => "gpu",
        Some(_) => "cpu",
        None => "probing",
    };
    let label = props
        .label
        .clone()
        .unwrap_or_else(|| "probing…".to_string());
    let adapter = props
        .adapter
        .clone()
        .unwrap_or_else(|| "probing…".to_string());
    let words = plain_words(props.label.as_deref(), props.adapter.as_deref());
    let mode = if props.in_worker {
        "worker".to_string()
    } else {
        props.mode.clone()
    };
    html! {
        <details class={classes!("backend-badge", state)} data-testid="backend-badge">
            <summary data-testid="backend-summary">
                { words }
                if !props.in_worker {
                    <span class="run-mode-words">{ " (on the page itself, so the page may respond slower)" }</span>
                }
            </summary>
            <dl class="backend-detail">
                <dt>{ "Backend in use" }</dt>
                <dd><output data-testid="backend">{ label }</output></dd>
                <dt>{ "WebGPU check" }</dt>
                <dd><output data-testid="webgpu-adapter">{ adapter }</output></dd>
                <dt>{ "Training runs in" }</dt>
                <dd><output data-testid="run-mode">{ mode }</output></dd>
            </dl>
        </details>
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

    #[test]
    fn speaks_to_a_student_for_every_reason() {
        let no_webgpu = Some("cpu: this browser does not expose WebGPU");
        let swiftshader = Some("webgpu: google swiftshader, software fallback");
        let cases = [
            (None, None, "Getting ready to train…"),
            (swiftshader, swiftshader, "Training on your GPU (WebGPU)"),
            // wgpu's own error text when the browser has no WebGPU: the student hears none of it.
            (
                Some("cpu: No suitable graphics adapter found; noop support not compiled in, vulkan support not compiled in"),
                no_webgpu,
                "Training on your CPU: this browser offers no WebGPU",
            ),
            (
                Some("cpu: chosen"),
                swiftshader,
                "Training on your CPU: the Backend setting asks for it",
            ),
            (
                Some("cpu: network too small to gain from the GPU"),
                Some("webgpu: nvidia ampere"),
                "Training on your CPU: this network is too small to gain from the GPU",
            ),
            (
                Some("cpu: faster than the software adapter google swiftshader"),
                swiftshader,
                "Training on your CPU: this browser's WebGPU runs in software, slower than the CPU",
            ),
            (
                Some("cpu: the GPU device was lost"),
                swiftshader,
                "Training on your CPU: the GPU stopped working, so training moved here and carries on with the same weights",
            ),
            (
                Some("cpu: requestDevice failed"),
                Some("webgpu: nvidia ampere"),
                "Training on your CPU: the GPU could not be started",
            ),
        ];
        for (label, adapter, want) in cases {
            assert_eq!(plain_words(label, adapter), want, "{label:?} / {adapter:?}");
        }
    }
}
