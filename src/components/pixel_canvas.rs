//! A canvas that shows a [`Pixels`] image, redrawn only when the image changes (or the browser
//! restores a lost canvas).

use wasm_bindgen::{Clamped, JsCast};
use yew::prelude::*;

use super::canvas_restore::use_context_restored;
use crate::draw::Pixels;

#[derive(Properties, PartialEq)]
pub struct PixelCanvasProps {
    pub pixels: Pixels,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    pub label: AttrValue,
}

#[function_component(PixelCanvas)]
pub fn pixel_canvas(props: &PixelCanvasProps) -> Html {
    let canvas = use_node_ref();
    let restored = use_context_restored(&canvas);
    {
        let canvas = canvas.clone();
        use_effect_with((props.pixels.clone(), restored), move |(pixels, _)| {
            if let Err(e) = paint(&canvas, pixels) {
                web_sys::console::warn_1(&format!("canvas: {e}").into());
            }
        });
    }
    html! {
        <canvas ref={canvas} class={props.class.clone()} data-testid={props.testid.clone()}
            width={props.pixels.width.to_string()} height={props.pixels.height.to_string()}
            role="img" aria-label={props.label.clone()}></canvas>
    }
}

fn paint(canvas: &NodeRef, pixels: &Pixels) -> Result<(), String> {
    let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() else {
        return Ok(());
    };
    let ctx = canvas
        .get_context("2d")
        .map_err(|e| format!("{e:?}"))?
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("no 2d context")?;
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&pixels.rgba),
        pixels.width,
        pixels.height,
    )
    .map_err(|e| format!("{e:?}"))?;
    ctx.put_image_data(&image, 0.0, 0.0)
        .map_err(|e| format!("{e:?}"))
}
