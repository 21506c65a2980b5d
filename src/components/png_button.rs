//! The small "PNG" button of a panel: saves the panel's canvases as pictures.

use yew::prelude::*;

use super::download::save_panel_canvases;

#[derive(Properties, PartialEq)]
pub struct PngButtonProps {
    /// The `data-testid` of the panel whose canvases are saved, e.g. `panel-loss`.
    pub panel: AttrValue,
}

/// The picture's name: the panel's `data-testid` without its `panel-` prefix.
pub fn picture_name(panel: &str) -> &str {
    panel.strip_prefix("panel-").unwrap_or(panel)
}

#[function_component(PngButton)]
pub fn png_button(props: &PngButtonProps) -> Html {
    let panel = props.panel.clone();
    let name = picture_name(&panel).to_string();
    let onclick = {
        let (panel, name) = (panel.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = save_panel_canvases(&panel, &name) {
                web_sys::console::warn_1(&e);
            }
        })
    };
    html! {
        <button type="button" class="btn png-button" data-testid={format!("png-{name}")}
            title="Save this panel's picture as a PNG file" {onclick}>{ "PNG" }</button>
    }
}
